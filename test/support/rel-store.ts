/**
 * The reliability suite's JobStore content, dialect-neutral: a realistic Quartz store (jobs, triggers,
 * locks, fired triggers, scheduler state, calendars) whose blobs and text columns carry fabricated
 * secrets in every blob format, and a hostile variant whose names, keys and values carry terminal
 * escapes, bidi overrides, HTML/script, `]]>` and very long strings. Rows are plain values; `insertRows`
 * writes them with parameterized statements through whatever client the caller has.
 */
import { writeJobDataMap as javaJobDataMap, serialDos, serializeJava } from '../../src/fixtures/java-writer.js';
import { writeJobDataMap as nrbfJobDataMap, writeGadgetGraph, writeSerialDos } from '../../src/fixtures/nrbf-writer.js';
import { QUARTZ_TABLES } from '../../src/model.js';

export type Dialect = 'postgres' | 'mysql' | 'sqlite';

export interface Row {
  table: string; // logical Quartz table without prefix, e.g. JOB_DETAILS
  values: Record<string, unknown>;
}

/** Fabricated secrets (assembled at run time so no scanner mistakes the source for a leak); none is real. */
export const REL_SECRETS = {
  nrbfPassword: `Nrb-${'Tq9x'.repeat(3)}!`,
  nrbfNested: `Nst-${'Vb7w'.repeat(3)}#`,
  javaPassword: `Jva-${'Hk3m'.repeat(3)}$`,
  jsonToken: `ghp_${'Zx8Cv7Bn6M'.repeat(3)}${'q'.repeat(6)}`,
  propsPassword: `Prp-${'Lp2o'.repeat(3)}%`,
  descriptionUrl: `Dsc-${'Gf5d'.repeat(3)}&`,
  triggerPassword: `Trg-${'Wq1e'.repeat(3)}*`,
  simpropUrl: `Smp-${'Rt4y'.repeat(3)}`,
  blobTrigger: `Bbt-${'Ui6o'.repeat(3)}@`,
} as const;

export const SCHED = 'RelSched';

/** Hostile strings: each must come out harmless in every human format and exact in JSON/SARIF. */
export const HOSTILE = {
  ansi: 'red\u001b[31mALERT\u001b[0m\u001b[2J',
  osc: 'link\u001b]8;;http://evil.example/\u0007click\u001b]8;;\u0007\u001b]0;pwned-title\u0007',
  controls: 'bs\bcr\rtab\tbell\u0007del\u007fc1\u009b31m',
  bidi: 'invoice\u202Etxt.exe\u2066iso\u2069\u200E\u061C',
  html: '<script>document.title="PWNED-SCRIPT"</script><img src=x onerror="document.title=\'PWNED-IMG\'">',
  cdata: 'end]]><evil attr="1"/><!--',
  long: `long-${'L'.repeat(100_000)}`,
} as const;

const now = Date.now();
const ticks = (ms: number) => (BigInt(ms) * 10_000n + 621_355_968_000_000_000n).toString();

function job(
  name: string,
  group: string,
  cls: string,
  data: Uint8Array | string | null,
  description: string | null = null,
): Row {
  return {
    table: 'JOB_DETAILS',
    values: {
      sched_name: SCHED,
      job_name: name,
      job_group: group,
      description,
      job_class_name: cls,
      is_durable: true,
      is_nonconcurrent: false,
      is_update_data: false,
      requests_recovery: false,
      job_data: data === null ? null : Buffer.from(typeof data === 'string' ? Buffer.from(data) : data),
    },
  };
}

function trigger(
  name: string,
  group: string,
  jobName: string,
  jobGroup: string,
  state = 'WAITING',
  data: Uint8Array | null = null,
): Row {
  return {
    table: 'TRIGGERS',
    values: {
      sched_name: SCHED,
      trigger_name: name,
      trigger_group: group,
      job_name: jobName,
      job_group: jobGroup,
      description: null,
      next_fire_time: ticks(now + 5 * 60_000),
      prev_fire_time: ticks(now - 60_000),
      priority: 5,
      trigger_state: state,
      trigger_type: 'SIMPLE',
      start_time: ticks(now - 86_400_000),
      job_data: data === null ? null : Buffer.from(data),
    },
  };
}

/** A realistic store with a secret in every blob format and text column the scan reads. */
export function secretRows(workloadTriggers = 0): Row[] {
  const S = REL_SECRETS;
  const rows: Row[] = [
    job(
      'nrbf-job',
      'grp',
      'Quartz.Job.NoOpJob, Quartz',
      nrbfJobDataMap({
        smtp_password: S.nrbfPassword,
        retries: 3,
        settings: { dictionary: { password: S.nrbfNested } },
      }),
    ),
    job('java-job', 'grp', 'com.example.Sync', javaJobDataMap({ 'db.password': S.javaPassword, count: 7 })),
    job(
      'json-job',
      'grp',
      'Contoso.Jobs.Export, Contoso',
      JSON.stringify({
        $type: 'Quartz.JobDataMap, Quartz',
        apiToken: S.jsonToken,
        payload: { $type: 'System.Windows.Data.ObjectDataProvider, PresentationFramework', MethodName: 'Start' },
      }),
    ),
    job(
      'props-job',
      'grp',
      'com.example.Props',
      `#Fri Nov 27 03:06:46 UTC 2026\nuser=svc\nsmtpPassword=${S.propsPassword}\n`,
    ),
    job(
      'desc-job',
      'grp',
      'com.example.Report',
      '',
      `posts to https://report:${S.descriptionUrl}@reports.example.com/in`,
    ),
    job('gadget-job', 'grp', 'Quartz.Job.NoOpJob, Quartz', writeGadgetGraph('System.Security.Claims.ClaimsPrincipal')),
    job('plain-job', 'grp', 'Contoso.Jobs.Report, Contoso', JSON.stringify({ reportName: 'daily' })),
    trigger('t-nrbf', 'tg', 'nrbf-job', 'grp', 'WAITING', nrbfJobDataMap({ password: S.triggerPassword })),
    trigger('t-blob', 'tg', 'plain-job', 'grp', 'WAITING'),
    {
      table: 'SIMPROP_TRIGGERS',
      values: {
        sched_name: SCHED,
        trigger_name: 't-nrbf',
        trigger_group: 'tg',
        str_prop_1: `jdbc:postgresql://db/app?user=app&password=${S.simpropUrl}`,
      },
    },
    {
      table: 'BLOB_TRIGGERS',
      values: {
        sched_name: SCHED,
        trigger_name: 't-blob',
        trigger_group: 'tg',
        blob_data: Buffer.from(javaJobDataMap({ 'mail.password': S.blobTrigger })),
      },
    },
    { table: 'CALENDARS', values: { sched_name: SCHED, calendar_name: 'holidays', calendar: Buffer.from([0]) } },
    { table: 'LOCKS', values: { sched_name: SCHED, lock_name: 'TRIGGER_ACCESS' } },
    { table: 'LOCKS', values: { sched_name: SCHED, lock_name: 'STATE_ACCESS' } },
    {
      table: 'SCHEDULER_STATE',
      values: { sched_name: SCHED, instance_name: 'node-a', last_checkin_time: ticks(now), checkin_interval: 7500 },
    },
  ];
  for (let i = 0; i < workloadTriggers; i++) rows.push(trigger(`w${i}`, 'work', 'plain-job', 'grp'));
  return rows;
}

/** Hostile names, keys and values across jobs, triggers, descriptions and every blob format, plus blobs that lie. */
export function hostileRows(): Row[] {
  const H = HOSTILE;
  const rows: Row[] = [];
  const names = Object.entries(H).filter(([k]) => k !== 'long');
  for (const [k, v] of names) {
    // job name, group and description hostile; a secret under a hostile key so a finding names the row and key
    rows.push(
      job(
        `${k}:${v}`,
        `g-${v}`,
        `Evil.${k}.Job, ${v}`,
        nrbfJobDataMap({ [`password${v}`]: `Hst-${'Pq7z'.repeat(3)}-${k}`, [`note${k}`]: v }),
        `desc ${v}`,
      ),
    );
    rows.push(
      job(
        `java-${k}:${v}`,
        `g-${v}`,
        `com.evil.${k}`,
        javaJobDataMap({ [`secret.${v}`]: `Jhs-${'Mn8b'.repeat(3)}-${k}` }),
      ),
    );
  }
  rows.push(
    job(
      `json-long:${H.long.slice(0, 2000)}`,
      'g-long',
      'Contoso.Long, Contoso',
      JSON.stringify({ [`k${H.long}`]: H.long, apiKey: `sk_live_${'a1B2c3D4'.repeat(4)}` }),
      H.long,
    ),
  );
  // blobs that are huge in structure or lie
  rows.push(job('serialdos-nrbf', 'bad', 'Quartz.Job.NoOpJob, Quartz', writeSerialDos(60)));
  rows.push(job('serialdos-java', 'bad', 'com.example.X', serializeJava(serialDos(60))));
  rows.push(job('deep-json', 'bad', 'Contoso.Deep, Contoso', `${'['.repeat(200_000)}${']'.repeat(200_000)}`));
  rows.push(job('lying-nrbf', 'bad', 'Quartz.Job.NoOpJob, Quartz', lyingNrbf()));
  rows.push(job('lying-java', 'bad', 'com.example.Lie', lyingJava()));
  rows.push(job('cyclic-nrbf', 'bad', 'Quartz.Job.NoOpJob, Quartz', cyclicNrbf()));
  rows.push(job('huge-blob', 'bad', 'Contoso.Huge, Contoso', Buffer.alloc(3 * 1024 * 1024, 0x41)));
  return rows;
}

/** NRBF: a valid header followed by a BinaryObjectString whose 7-bit length claims ~2 GiB. */
export function lyingNrbf(): Buffer {
  const header = Buffer.from([
    0x00, 0x01, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  ]);
  const str = Buffer.from([0x06, 0x01, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0x07, 0x41, 0x42]);
  return Buffer.concat([header, str]);
}

/** Java serialization: TC_STRING with a 2-byte length of 65535 over 3 bytes, then TC_LONGSTRING claiming 2^62 bytes. */
export function lyingJava(): Buffer {
  return Buffer.from([0xac, 0xed, 0x00, 0x05, 0x7c, 0x3f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x41, 0x42, 0x43]);
}

/** NRBF: a ClassWithMembersAndTypes whose object member references the object itself (id 1 → 1). */
export function cyclicNrbf(): Buffer {
  const b: number[] = [
    0x00, 0x01, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  ];
  // SystemClassWithMembersAndTypes (4): object id 1, name "Loop", 1 member "self" of BinaryType Object (2)
  b.push(
    0x04,
    0x01,
    0x00,
    0x00,
    0x00,
    0x04,
    ...Buffer.from('Loop'),
    0x01,
    0x00,
    0x00,
    0x00,
    0x04,
    ...Buffer.from('self'),
    0x02,
  );
  // member value: MemberReference (9) to id 1
  b.push(0x09, 0x01, 0x00, 0x00, 0x00);
  b.push(0x0b); // MessageEnd
  return Buffer.from(b);
}

/** The table's name as the dialect's test schema spells it. */
export function tableName(dialect: Dialect, logical: string, prefix = 'QRTZ_'): string {
  return dialect === 'postgres' ? `${prefix}${logical}`.toLowerCase() : `${prefix}${logical}`;
}

/** INSERTs of `rows` through `exec` (parameterized: $n for PostgreSQL, ? otherwise), in order. */
export async function insertRows(
  dialect: Dialect,
  exec: (sql: string, params: unknown[]) => Promise<unknown>,
  rows: Row[],
  prefix = 'QRTZ_',
): Promise<void> {
  for (const r of rows) {
    const cols = Object.keys(r.values);
    const ph = cols.map((_, i) => (dialect === 'postgres' ? `$${i + 1}` : '?')).join(', ');
    const vals = cols.map((c) => {
      const v = r.values[c];
      if (dialect === 'sqlite' && typeof v === 'boolean') return v ? 1 : 0;
      if (dialect === 'sqlite' && typeof v === 'string' && /^-?\d{12,}$/.test(v)) return BigInt(v);
      return v;
    });
    await exec(`INSERT INTO ${tableName(dialect, r.table, prefix)} (${cols.join(', ')}) VALUES (${ph})`, vals);
  }
}

/** Every Quartz table of the official schema, logical names (the model's list). */
export { QUARTZ_TABLES };
