/**
 * Blobs on a real PostgreSQL JobStore: streamed row keys, format inventory, --max-blob-size, gadget
 * and secret findings from NRBF, Java, Json.NET and properties blobs and text columns — and a leak
 * test over every output format (with --debug) that no raw secret appears anywhere.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeJobDataMap as javaJobDataMap } from '../../../src/fixtures/java-writer.js';
import { writeJobDataMap as nrbfJobDataMap, writeGadgetGraph } from '../../../src/fixtures/nrbf-writer.js';
import { parseReport, runCli } from '../../support/cli.js';
import { createQuartzDb, dropAll } from '../../support/pg-quartz.js';
import { acquirePostgres, adminSql, type PgServer } from '../../support/pg-server.js';

const got = await acquirePostgres();
const server = 'skip' in got ? undefined : (got as PgServer);
const DB = `qa${process.pid}_blobs`;
const OWNER = `qa${process.pid}_bowner`;

// Fabricated secrets, assembled at run time; none of them is real.
const SECRETS = {
  nrbfPassword: `Nrbf-${'p4ss'.repeat(3)}!`,
  nestedPassword: `Nested-${'Zz9'.repeat(4)}`,
  javaPassword: `Java-${'Qq7'.repeat(4)}#`,
  jsonGithub: `ghp_${'A1b2C3d4E5'.repeat(3)}${'x'.repeat(6)}`,
  propsPassword: `Props-${'Ww3'.repeat(4)}$`,
  descriptionUrl: `Dsc-${'Rr5'.repeat(4)}`,
  triggerPassword: `Trig-${'Kk8'.repeat(4)}%`,
  simpropUrl: `Smp-${'Jj4'.repeat(4)}`,
};

describe.skipIf(!server)('PostgreSQL blobs and secrets', () => {
  const s = server as PgServer;
  const out = mkdtempSync(join(tmpdir(), 'qrtz-out-'));
  beforeAll(async () => {
    await createQuartzDb(s, DB, 'public', OWNER);
    const rows: [string, string, string | null, Uint8Array | string][] = [
      [
        'nrbf-job',
        'Quartz.Job.NoOpJob, Quartz',
        null,
        nrbfJobDataMap({
          smtp_password: SECRETS.nrbfPassword,
          retries: 3,
          settings: { dictionary: { password: SECRETS.nestedPassword } },
        }),
      ],
      ['java-job', 'com.example.Sync', null, javaJobDataMap({ 'db.password': SECRETS.javaPassword, count: 7 })],
      [
        'json-job',
        'Contoso.Jobs.Export, Contoso',
        null,
        JSON.stringify({
          $type: 'Quartz.JobDataMap, Quartz',
          apiToken: SECRETS.jsonGithub,
          payload: { $type: 'System.Windows.Data.ObjectDataProvider, PresentationFramework', MethodName: 'Start' },
        }),
      ],
      [
        'props-job',
        'com.example.Props',
        null,
        `#Fri Nov 27 03:06:46 UTC 2026\nuser=svc\nsmtpPassword=${SECRETS.propsPassword}\n`,
      ],
      [
        'desc-job',
        'com.example.Report',
        `posts to https://report:${SECRETS.descriptionUrl}@reports.example.com/in`,
        '',
      ],
      [
        'gadget-job',
        'Quartz.Job.NoOpJob, Quartz',
        null,
        writeGadgetGraph(
          'System.Security.Claims.ClaimsPrincipal',
          'mscorlib, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089',
        ),
      ],
      ['big-job', 'Quartz.Job.NoOpJob, Quartz', null, `{"blob":"${'a'.repeat(5000)}"}`],
    ];
    for (const [name, cls, desc, data] of rows) {
      await adminSql(s, DB, 'INSERT INTO qrtz_job_details VALUES ($1, $2, $3, $4, $5, true, false, false, false, $6)', [
        'Sched',
        name,
        'grp',
        desc,
        cls,
        typeof data === 'string' ? Buffer.from(data) : Buffer.from(data),
      ]);
    }
    await adminSql(
      s,
      DB,
      `INSERT INTO qrtz_triggers (sched_name, trigger_name, trigger_group, job_name, job_group, trigger_state, trigger_type, start_time, job_data)
       VALUES ('Sched', 't1', 'tg', 'nrbf-job', 'grp', 'WAITING', 'CRON', 0, $1)`,
      [Buffer.from(nrbfJobDataMap({ password: SECRETS.triggerPassword }))],
    );
    await adminSql(s, DB, "INSERT INTO qrtz_calendars VALUES ('Sched', 'holidays', '\\x00')");
    await adminSql(
      s,
      DB,
      'INSERT INTO qrtz_simprop_triggers (sched_name, trigger_name, trigger_group, str_prop_1) VALUES ($1, $2, $3, $4)',
      ['Sched', 't1', 'tg', `jdbc:postgresql://db/app?user=app&password=${SECRETS.simpropUrl}`],
    );
  });
  afterAll(async () => {
    rmSync(out, { recursive: true, force: true });
    try {
      await dropAll(s, [DB], [OWNER]);
    } finally {
      await s.stop();
    }
  });

  const base = () => [
    'scan',
    `postgres://postgres@127.0.0.1:${s.port}/${DB}?sslmode=disable`,
    '--only',
    'blobs',
    '--max-blob-size',
    '4096',
  ];

  it('inventories every blob column by format, with row keys, and flags the oversize blob', async () => {
    const rep = parseReport(await runCli([...base(), '--format', 'json']));
    const inv = rep.inventory.blobs;
    expect(inv?.byColumn['qrtz_job_details.JOB_DATA']).toMatchObject({
      nrbf: { rows: 2 },
      java: { rows: 1 },
      'json-newtonsoft': { rows: 1 },
      properties: { rows: 1 },
      empty: { rows: 1 },
    });
    expect(inv?.byColumn['qrtz_triggers.JOB_DATA']).toMatchObject({ nrbf: { rows: 1 } });
    expect(inv?.byColumn['qrtz_calendars.CALENDAR']).toBeDefined();
    const b05 = rep.findings.filter((f) => f.check === 'QA-B05' && f.status === 'fail');
    expect(b05.map((f) => f.object.rowKey)).toEqual(['Sched/grp.big-job']);
    expect(
      rep.findings
        .filter((f) => f.check === 'QA-B01' && f.status === 'fail')
        .map((f) => f.object.name)
        .sort(),
    ).toEqual(['qrtz_job_details.JOB_DATA', 'qrtz_triggers.JOB_DATA']);
    expect(rep.findings.filter((f) => f.check === 'QA-B07' && f.status === 'fail').map((f) => f.object.name)).toEqual([
      'qrtz_job_details.JOB_DATA',
    ]);
  });

  it('gadgets in NRBF and Json.NET blobs: QA-B02 critical with the row key', async () => {
    const rep = parseReport(await runCli([...base(), '--format', 'json']));
    const b02 = rep.findings.filter((f) => f.check === 'QA-B02' && f.status === 'fail');
    const pairs = b02.map((f) => `${f.object.rowKey} ${f.evidence?.type}`);
    expect(pairs).toContain('Sched/grp.json-job System.Windows.Data.ObjectDataProvider');
    expect(pairs).toContain('Sched/grp.gadget-job System.Security.Claims.ClaimsPrincipal');
    expect(b02.every((f) => f.severity === 'critical')).toBe(true);
    expect(
      rep.findings.some((f) => f.check === 'QA-B06' && f.status === 'fail' && f.object.rowKey === 'Sched/grp.json-job'),
    ).toBe(true);
  });

  it('secrets in every blob format and in descriptions are found with their key paths', async () => {
    const rep = parseReport(await runCli([...base(), '--format', 'json']));
    const s0 = rep.findings
      .filter((f) => f.check.startsWith('QA-S') && f.status === 'fail')
      .map((f) => `${f.object.rowKey} ${f.evidence?.keyPath}`);
    expect(s0).toEqual(
      expect.arrayContaining([
        'Sched/grp.nrbf-job smtp_password',
        'Sched/grp.nrbf-job settings › password',
        'Sched/grp.java-job db.password',
        'Sched/grp.json-job apiToken',
        'Sched/grp.props-job smtpPassword',
        'Sched/tg.t1 password',
      ]),
    );
    expect(rep.findings.some((f) => f.check === 'QA-S02' && f.object.rowKey === 'Sched/grp.desc-job')).toBe(true);
    // SIMPROP_TRIGGERS.STR_PROP_1..3 are read as text columns
    expect(
      rep.findings.some(
        (f) =>
          f.check === 'QA-S02' &&
          f.object.rowKey === 'Sched/tg.t1' &&
          String(f.evidence?.keyPath).includes('STR_PROP_1'),
      ),
    ).toBe(true);
    expect(Object.keys(rep.inventory.blobs?.byColumn ?? {})).not.toContain('qrtz_simprop_triggers.STR_PROP');
  });

  it('no raw secret appears in any output format, file or error, even with --debug', async () => {
    const runs = [
      await runCli(['--debug', ...base(), '--format', 'json']),
      await runCli(['--debug', ...base(), '--format', 'table', '--verbose']),
      await runCli(['--debug', ...base(), '--format', 'json', '--output', join(out, 'r.json')]),
      await runCli(['--debug', ...base(), '--format', 'table', '--output', join(out, 'r.txt')]),
      await runCli(['--debug', ...base(), '--format', 'sarif', '--output', join(out, 'r.sarif')]),
      await runCli(['--debug', ...base(), '--format', 'junit', '--output', join(out, 'r.xml')]),
      await runCli(['--debug', ...base(), '--format', 'html', '--output', join(out, 'r.html')]),
    ];
    const text =
      runs.map((r) => r.stdout + r.stderr).join('\n') +
      readFileSync(join(out, 'r.json'), 'utf8') +
      readFileSync(join(out, 'r.txt'), 'utf8');
    expect(runs.map((r) => r.code)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(text).toContain('QA-S01');
    for (const [name, secret] of Object.entries(SECRETS)) {
      expect(text.includes(secret), `${name} leaked`).toBe(false);
    }
  });
});
