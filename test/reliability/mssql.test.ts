/**
 * Reliability on SQL Server without a server (issue #17, extended to SQL Server's fixtures): the real adapter
 * (src/dialects/mssql), the real connection layer (knex's mssql client, tedious's Request and types) and the real
 * CLI run in-process over a fake tedious connection (test/support/fake-tedious.ts) that answers every statement
 * from rows shaped as SQL Server returns them: the catalog views' rows of test/fixtures/mssql/catalog-rows.ts
 * (columns as Microsoft documents them, checked in test/integration/mssql/queries.test.ts) and Quartz tables holding
 * the reliability store's hostile and secret-bearing rows (test/support/rel-store.ts), with the types tedious gives
 * the documented column types (varbinary → Buffer, DATALENGTH of varbinary(max) → bigint → string, COUNT → int).
 * Every row the fake answers has exactly the columns of the statement's select list. It proves:
 *  - read-only: every queries/mssql file, and every request the adapter actually sends during a full scan (the
 *    connection's SET batch and every sp_executesql statement), is SELECT statements behind only the documented
 *    SETs (LOCK_TIMEOUT, DEADLOCK_PRIORITY LOW, SNAPSHOT / READ COMMITTED isolation), checked by a tokenizer
 *    (comments, strings and [identifiers] removed) and by node-sql-parser's transactsql grammar; the checker
 *    catches the writes it must catch; the values travel as typed parameters, never in the text;
 *  - hostile content (catalog principal names and Quartz rows with ANSI/OSC, controls, bidi, HTML/script, `]]>`,
 *    lone surrogates, 100,000-character strings; lying, cyclic, exponential and huge blobs) comes out harmless in
 *    table, HTML, Markdown and JUnit (parsed as XML), exact in JSON and SARIF;
 *  - no leaks: the password given in the URL, an ADO.NET connection string (--connection-string-env) or on
 *    standard input reaches the driver and never any output, stderr or file, with --verbose and --debug; nor
 *    does any secret planted in the rows;
 *  - faults: a connection lost mid-stream (the session killed) ends in a partial report marked incomplete in
 *    every format (exit 1 with findings, 4 without), with one connection opened and closed and nothing sent after
 *    the loss; a connection lost while the catalog is read is one line and exit 2; a statement past its request
 *    timeout marks its table unreadable (statement-timeout) and the audit goes on; no unhandled rejection.
 * The same promises against a real SQL Server are test/reliability/mssql-container.test.ts (Docker).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { URL_PASSWORD_WARNING } from '../../src/commands/scan.js';
import { KEYSET } from '../../src/dialects/mssql/blobs.js';
import type { BlobTable } from '../../src/model.js';
import type { Report } from '../../src/report/report.js';
import { ROWS } from '../fixtures/mssql/catalog-rows.js';
import { runCli } from '../support/cli.js';
import { type Answer, fakeTedious, RESET, type Sent, serverError, TIMEOUT } from '../support/fake-tedious.js';
import { filled, selectList } from '../support/mssql-queries.js';
import { HOSTILE, hostileRows, REL_SECRETS, type Row, SCHED, secretRows } from '../support/rel-store.js';
import { readOnlyViolation } from '../support/tsql-readonly.js';
import { unsafeContext } from '../support/unsafe-text.js';

const root = join(import.meta.dirname, '..', '..');
const FORMATS = ['table', 'json', 'sarif', 'junit', 'html', 'markdown'] as const;
const dir = mkdtempSync(join(tmpdir(), 'qrtz-rel-mssql-'));
afterAll(() => (process.env.KEEP ? undefined : rmSync(dir, { recursive: true, force: true })));

// ---------------------------------------------------------------------------------------------------------
// Read-only statement proof

describe('SQL Server: read-only statement proof', () => {
  const qdir = join(root, 'queries', 'mssql');
  const files = readdirSync(qdir).filter((f) => f.endsWith('.sql'));

  it('the checker catches writes, code, session changes and locking hints, and passes the documented prefix', () => {
    for (const bad of [
      'SELECT 1; DELETE FROM dbo.QRTZ_LOCKS',
      'SELECT a INTO dbo.t2 FROM dbo.t',
      "EXEC('DROP TABLE t')",
      'SET LOCK_TIMEOUT 1; UPDATE t SET a = 1',
      'SELECT * FROM dbo.QRTZ_LOCKS WITH (UPDLOCK, ROWLOCK)',
      'SELECT * FROM dbo.QRTZ_LOCKS WITH (NOLOCK)',
      "SELECT 'x'; EXEC sp_configure 'xp_cmdshell', 1",
      'SET IMPLICIT_TRANSACTIONS ON; SELECT 1',
      'SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED',
      'BEGIN TRAN; SELECT 1',
      'SELECT 1 /* nested /* comment */ still comment */; TRUNCATE TABLE t',
      "WAITFOR DELAY '00:00:10'",
      "SELECT 1 'unterminated",
    ])
      expect(readOnlyViolation(bad), bad).not.toBe('');
    // keywords inside strings, comments and [identifiers] are data, not statements
    for (const good of [
      "SELECT N'DELETE; DROP TABLE x' AS s -- EXEC xp_cmdshell",
      'SELECT [INSERT] FROM [dbo].[DROP;TABLE] AS t',
      'SET LOCK_TIMEOUT 2000;\nSET DEADLOCK_PRIORITY LOW;\nSET TRANSACTION ISOLATION LEVEL SNAPSHOT;\nSELECT 1 AS one',
    ])
      expect(readOnlyViolation(good), good).toBe('');
  });

  it.each(files)('%s is a read-only batch (documented SETs or SELECT statements only)', (f) => {
    expect(readOnlyViolation(filled(readFileSync(join(qdir, f), 'utf8')))).toBe('');
  });
});

// ---------------------------------------------------------------------------------------------------------
// The fake server's content

const HOSTILE_PRINCIPAL = `dev${HOSTILE.ansi}${HOSTILE.bidi}${HOSTILE.html}${HOSTILE.cdata}`;
/** Catalog rows: the fixture, with the db_owner member dev_user renamed to a hostile name. */
const CATALOG: Record<string, Record<string, unknown>[]> = {
  ...ROWS,
  principals: (ROWS.principals ?? []).map((p) => (p.name === 'dev_user' ? { ...p, name: HOSTILE_PRINCIPAL } : p)),
};
const NOW = Date.now();
const ticks = (ms: number) => (BigInt(ms) * 10_000n + 621_355_968_000_000_000n).toString();
/** Scheduler rows: bigint columns come as strings (CAST … AS VARCHAR, DATEDIFF_BIG), COUNT(*) as int. */
const SCHEDULER: Record<string, Record<string, unknown>[]> = {
  'scheduler-now': [{ now_ms: String(NOW) }],
  'scheduler-time-sample': [{ max_start: ticks(NOW - 86_400_000) }],
  'scheduler-trigger-states': [{ state: 'WAITING', n: 2 }],
  'scheduler-states': [
    { sched: SCHED, instance: `node${HOSTILE.osc}`, last_checkin: ticks(NOW), checkin_interval: '7500' },
  ],
  'scheduler-states-count': [{ n: 1 }],
  'scheduler-paused-groups-count': [{ n: 0 }],
  'scheduler-executing-count': [{ n: 0 }],
};
/** The varbinary(max) column of each blob table (tables_sqlServer.sql). */
const BLOB_COLUMN: Record<string, string> = {
  JOB_DETAILS: 'job_data',
  TRIGGERS: 'job_data',
  BLOB_TRIGGERS: 'blob_data',
  CALENDARS: 'calendar',
};
const LONE_SURROGATE = `lone\ud800surrogate\udfff`;
const LONE_SECRET = `Lsg-${'Hy6u'.repeat(3)}`;

/** Quartz rows per logical table. */
function quartzTables(rows: Row[]): Record<string, Row[]> {
  const out: Record<string, Row[]> = {};
  for (const r of rows) {
    const list = out[r.table] ?? [];
    out[r.table] = list;
    list.push(r);
  }
  return out;
}
const STORE = quartzTables([
  ...secretRows(3),
  ...hostileRows(),
  {
    table: 'JOB_DETAILS',
    values: {
      sched_name: SCHED,
      job_name: LONE_SURROGATE,
      job_group: 'g-lone',
      description: LONE_SURROGATE,
      job_class_name: 'Lone.Job, Lone',
      job_data: Buffer.from(JSON.stringify({ [LONE_SURROGATE]: LONE_SURROGATE, password: LONE_SECRET })),
    },
  },
]);
/** A store with nothing to find: ten plain JSON JobDataMaps. */
const CLEAN = quartzTables(
  Array.from({ length: 10 }, (_, i) => ({
    table: 'JOB_DETAILS',
    values: {
      sched_name: SCHED,
      job_name: `clean-${i}`,
      job_group: 'g',
      description: null,
      job_class_name: 'Acme.Jobs.Report, Acme',
      job_data: Buffer.from(JSON.stringify({ reportId: i, format: 'pdf' })),
    },
  })),
);
const QUERY_OF: Record<string, BlobTable> = Object.fromEntries(
  Object.entries(KEYSET).map(([t, k]) => [k.query, t as BlobTable]),
);

/** The named inputs of a query file in the order of use: knex sends them as @p0, @p1, … in that order. */
const inputNames = new Map<string, string[]>();
function inputsOf(file: string, s: Sent): Record<string, { type: string; value: unknown }> {
  let names = inputNames.get(file);
  if (!names) {
    const text = readFileSync(join(root, 'queries', 'mssql', `${file}.sql`), 'utf8').replace(/--[^\n]*/g, '');
    names = [...text.matchAll(/(?<![@\w])@([A-Za-z_]\w*)/g)].map((m) => (m[1] as string).toLowerCase());
    inputNames.set(file, names);
  }
  if (names.length !== s.params.length) throw new Error(`${file}: ${s.params.length} parameters for ${names.length}`);
  return Object.fromEntries(names.map((n, i) => [n, { type: s.params[i]?.type ?? '', value: s.params[i]?.value }]));
}

/** What the fake saw that a server would have refused or answered differently; asserted empty below. */
const misfits: string[] = [];
const columnsOf = new Map<string, string[]>();
/** Every answered row has exactly the select list's columns, as a server returns them. */
function shaped(file: string, rows: Record<string, unknown>[]): Record<string, unknown>[] {
  if (!columnsOf.has(file)) columnsOf.set(file, selectList(file));
  const cols = JSON.stringify(columnsOf.get(file));
  for (const r of rows)
    if (JSON.stringify(Object.keys(r)) !== cols) misfits.push(`${file}: ${JSON.stringify(Object.keys(r))} ≠ ${cols}`);
  return rows;
}

/**
 * One keyset batch of `table`: after (@k1, @k2, @k3) unless @first, TOP (n) of the statement, in key order; blobs
 * (SUBSTRING of varbinary(max): a Buffer) and STR_PROP_n cut at @max, size = DATALENGTH (bigint: a string).
 */
function keysetBatch(table: BlobTable, file: string, s: Sent, store: Record<string, Row[]>): Record<string, unknown>[] {
  const inputs = inputsOf(file, s);
  const types = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.type]));
  const want = { first: 'Bit', k1: 'NVarChar', k2: 'NVarChar', k3: 'NVarChar', max: 'Int' };
  for (const [k, t] of Object.entries(types))
    if (want[k as keyof typeof want] !== t) misfits.push(`${file}: @${k} sent as ${t}`);
  const keys = KEYSET[table].keys;
  const top = Number(/SELECT TOP \((\d+)\)/.exec(s.sql)?.[1]);
  const max = Number(inputs.max?.value);
  const blobCol = BLOB_COLUMN[table];
  const row = (r: Row): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const col of columnsOf.get(file) ?? selectList(file)) {
      const blob = blobCol ? (r.values[blobCol] as Buffer | null | undefined) : undefined;
      if (col === 'size') out.size = blob ? String(blob.length) : null;
      else if (col === 'bytes') out.bytes = blob ? Buffer.from(blob.subarray(0, max)) : null;
      else {
        const v = r.values[col.toLowerCase()] ?? null;
        out[col] = /^STR_PROP_\d$/.test(col) && typeof v === 'string' ? v.slice(0, max) : v;
      }
    }
    return out;
  };
  const tuple = (r: Record<string, unknown>) => keys.map((k) => String(r[k] ?? ''));
  const after = ['k1', 'k2', 'k3'].slice(0, keys.length).map((k) => String(inputs[k]?.value ?? ''));
  const cmp = (a: string[], b: string[]) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] as string) < (b[i] as string) ? -1 : 1;
    return 0;
  };
  if (!columnsOf.has(file)) columnsOf.set(file, selectList(file));
  return (store[table] ?? [])
    .map(row)
    .sort((a, b) => cmp(tuple(a), tuple(b)))
    .filter((r) => inputs.first?.value === true || cmp(tuple(r), after) > 0)
    .slice(0, top);
}

/** Faults and content of the next runs (tests set them; `fresh()` puts them back). */
const server = {
  store: STORE,
  blobBatches: 0,
  /** the n-th blob batch (1-based) loses the connection; 0: never */
  resetAtBlobBatch: 0,
  /** a statement of this file loses the connection */
  resetAtFile: '',
  /** statements of these files run past the request timeout */
  timeoutFiles: new Set<string>(),
};
function fresh(): void {
  Object.assign(server, { store: STORE, blobBatches: 0, resetAtBlobBatch: 0, resetAtFile: '' });
  server.timeoutFiles = new Set();
}

function answer(file: string, s: Sent): Answer {
  if (server.timeoutFiles.has(file)) return TIMEOUT;
  if (file === server.resetAtFile) return RESET;
  const table = QUERY_OF[file];
  if (table) {
    server.blobBatches++;
    if (server.blobBatches === server.resetAtBlobBatch) return RESET;
    return shaped(file, keysetBatch(table, file, s, server.store));
  }
  if (file.startsWith('scheduler-')) return shaped(file, SCHEDULER[file] ?? []);
  const rows = CATALOG[file];
  if (!rows) return serverError(`Invalid object name '${file}'.`, 208);
  return shaped(file, rows);
}

const fake = fakeTedious(answer);
afterAll(() => fake.restore());

/** Unhandled rejections and uncaught exceptions during this file's runs (a fault must end in a report or a line). */
const unhandled: unknown[] = [];
const onUnhandled = (err: unknown) => unhandled.push(err);
process.on('unhandledRejection', onUnhandled);
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

/** Runs the CLI; returns what the fake saw during that run. */
async function scan(argv: string[], stdin = '') {
  const from = { sent: fake.sent.length, opened: fake.opened(), passwords: fake.passwords.length };
  const r = await runCli(argv, stdin);
  return {
    ...r,
    sent: fake.sent.slice(from.sent),
    opened: fake.opened() - from.opened,
    passwords: fake.passwords.slice(from.passwords),
  };
}

const URL_PW = `Url-${'Mq4s'.repeat(3)}!`;
const CS_PW = `Cs;-${'Zr8t'.repeat(3)}"`;
const STDIN_PW = `Stdin-${'Wk2p'.repeat(3)}@`;
const TARGET = `mssql://auditor:${encodeURIComponent(URL_PW)}@db.example.test:1433/quartz`;

/** Every secret that must never show: the rows' planted ones, the hostile rows' ones, and the passwords. */
const NEVER = [
  ...Object.values(REL_SECRETS),
  `sk_live_${'a1B2c3D4'.repeat(4)}`,
  `Hst-${'Pq7z'.repeat(3)}`,
  `Jhs-${'Mn8b'.repeat(3)}`,
  LONE_SECRET,
  URL_PW,
  encodeURIComponent(URL_PW),
  CS_PW,
  STDIN_PW,
];
/**
 * Tests that run several full scans of the hostile store: about 7 s a scan alone (its decoding), several times that
 * beside other suites on a loaded machine. A test cut short by its timeout would go on scanning in the background
 * and feed its requests to the next test's assertions, so the bound is a hang guard, far above any real run.
 */
const SCANS_TIMEOUT_MS = 600_000;
const fileOfSent = (s: Sent) => [...s.sql.matchAll(/^-- ([a-z0-9-]+)\.sql:/gm)].at(-1)?.[1] ?? '';

describe('SQL Server (fake tedious server): full audits in every format', { timeout: SCANS_TIMEOUT_MS }, () => {
  const out = join(dir, 'formats');
  const texts: Record<string, string> = {};
  const codes: number[] = [];
  const sent: Sent[] = [];
  const passwords: string[][] = [];
  const opened: number[] = [];
  const openAfter: number[] = [];
  beforeAll(async () => {
    fresh();
    mkdirSync(out, { recursive: true });
    for (const f of FORMATS) {
      const r = await scan([
        '--debug',
        'scan',
        TARGET,
        '--format',
        f,
        '--verbose',
        '--output',
        join(out, `r.${f}`),
        '--max-blob-size',
        '1048576',
      ]);
      codes.push(r.code);
      texts[f] = readFileSync(join(out, `r.${f}`), 'utf8');
      texts[`${f}.stderr`] = r.stderr;
      texts[`${f}.stdout`] = r.stdout;
      sent.push(...r.sent);
      passwords.push(r.passwords);
      opened.push(r.opened);
      openAfter.push(fake.open());
    }
  }, SCANS_TIMEOUT_MS);

  it('every audit completes (exit 1), on one connection it closes, with the URL password; the URL password drew its warning', () => {
    expect(codes).toEqual([1, 1, 1, 1, 1, 1]);
    expect(opened).toEqual(FORMATS.map(() => 1));
    expect(openAfter).toEqual(FORMATS.map(() => 0));
    expect(passwords).toEqual(FORMATS.map(() => [URL_PW]));
    for (const f of FORMATS) {
      const lines = texts[`${f}.stderr`]?.trim().split('\n') ?? [];
      expect(lines[0]).toBe(URL_PASSWORD_WARNING);
      expect(lines, texts[`${f}.stderr`]).toHaveLength(2);
      expect(unsafeContext(`${f} stderr`, texts[`${f}.stderr`] ?? '')).toBe('');
    }
    const rep = JSON.parse(texts.json ?? '') as Report;
    expect(rep.target.dialect).toBe('mssql');
    expect(rep.inventory.blobs?.rows).toBeGreaterThan(20);
    expect(rep.summary.incomplete).toBe(false);
  });

  it('every row the fake answered has exactly the columns of the statement it answered; keyset inputs went as bit, nvarchar and int', () => {
    const answered = new Set(sent.map(fileOfSent));
    for (const q of ['server', 'principals', 'blob-job-details', 'blob-simprop-triggers', 'scheduler-states'])
      expect(answered).toContain(q);
    expect(misfits).toEqual([]);
  });

  it('every request the adapter sent is read-only: the SET batch of each connection, then SELECTs with typed parameters', () => {
    expect(sent.length).toBeGreaterThan(40);
    const bad = [...new Set(sent.map((s) => s.sql))].map((t) => readOnlyViolation(t)).filter(Boolean);
    expect(bad).toEqual([]);
    // per connection: first afterCreate's batch (lock timeout, low deadlock priority), then only sp_executesql
    const byConnection = new Map<number, Sent[]>();
    for (const s of sent) byConnection.set(s.connection, [...(byConnection.get(s.connection) ?? []), s]);
    expect(byConnection.size).toBe(FORMATS.length);
    for (const list of byConnection.values()) {
      expect(list[0]?.kind).toBe('batch');
      expect(list[0]?.sql).toMatch(/^SET LOCK_TIMEOUT \d+\s*;[\s\S]*^SET DEADLOCK_PRIORITY LOW/m);
      expect(list.slice(1).every((s) => s.kind === 'execSql')).toBe(true);
    }
    // every statement names its isolation level; content reads run under SNAPSHOT (the fixture database allows it)
    for (const s of sent.filter((x) => x.kind === 'execSql'))
      expect(s.sql).toMatch(/^SET TRANSACTION ISOLATION LEVEL (SNAPSHOT|READ COMMITTED)\s*;/m);
    for (const s of sent.filter((x) => /^blob-|^scheduler-/.test(fileOfSent(x))))
      expect(s.sql).toMatch(/ISOLATION LEVEL SNAPSHOT/);
    // values (keys read from the hostile store) travel as parameters, never in the statement text
    const keyed = sent.filter((s) => s.params.some((p) => p.value === SCHED));
    expect(keyed.length).toBeGreaterThan(0);
    for (const s of sent) expect(s.sql.includes(SCHED) || s.sql.includes(HOSTILE.html)).toBe(false);
  });

  it('table, HTML, Markdown and JUnit hold no raw control, escape or bidi character; hostile names are shown', async () => {
    for (const f of ['table', 'html', 'markdown', 'junit']) expect(unsafeContext(f, texts[f] ?? '')).toBe('');
    expect(texts.table).toContain('\\x1b[31mALERT');
    expect(texts.html).toContain('&lt;script&gt;');
    expect(texts.html).not.toMatch(/<script>document\.title/);
    expect(texts.html).not.toMatch(/<img src=x/);
    // Markdown: hostile HTML only inside code (fences and spans), where renderers show it as text
    const prose = (texts.markdown ?? '')
      .replace(/^ *(`{3,})[^\n]*\n[\s\S]*?^ *\1\s*$/gm, '')
      .replace(/(`+)[^`]*?\1/g, '');
    expect(prose).not.toMatch(/<script|<img|<evil/i);
    expect(texts.junit).not.toContain('<evil');
    expect(XMLValidator.validate(texts.junit ?? '')).toBe(true);
    // the hostile principal is named in the grants findings (db_owner member)
    expect(texts.table).toMatch(/devred\\x1b\[31mALERT/);
  });

  it('JSON and SARIF parse and keep the exact hostile values', async () => {
    const rep = JSON.parse(texts.json ?? '') as Report;
    const all = JSON.stringify(rep);
    for (const [k, v] of Object.entries(HOSTILE).filter(([k]) => k !== 'long'))
      expect(all.includes(JSON.stringify(`${k}:${v}`).slice(1, -1)), `${k} kept exactly in JSON`).toBe(true);
    expect(all.includes(JSON.stringify(HOSTILE_PRINCIPAL).slice(1, -1)), 'hostile principal kept').toBe(true);
    expect(all.includes(JSON.stringify(LONE_SURROGATE).slice(1, -1)), 'lone surrogates kept (escaped)').toBe(true);
    const sarif = JSON.parse(texts.sarif ?? '');
    expect(sarif.runs[0].results.length).toBeGreaterThan(0);
    expect(sarif.runs[0].tool.driver.name).toBe('qrtz-audit');
  });

  it('blobs that are huge, deeply nested, exponential, cyclic or lying: the right findings', async () => {
    const rep = JSON.parse(texts.json ?? '') as Report;
    const bad = rep.findings
      .filter((f) => f.status === 'fail' && String(f.object.rowKey ?? '').startsWith(`${SCHED}/bad.`))
      .map((f) => `${f.check} ${f.object.rowKey}`);
    for (const row of ['serialdos-nrbf', 'serialdos-java', 'deep-json', 'lying-nrbf', 'lying-java', 'cyclic-nrbf'])
      expect(
        bad.some((b) => /^QA-B0[2-5] /.test(b) && b.endsWith(`/bad.${row}`)),
        row,
      ).toBe(true);
    expect(bad).toContain(`QA-B04 ${SCHED}/bad.lying-nrbf`);
    expect(bad).toContain(`QA-B04 ${SCHED}/bad.lying-java`);
  });

  it('no planted secret or password in any output, stderr or file (--verbose, --debug)', async () => {
    for (const [k, t] of Object.entries(texts))
      for (const s of NEVER) expect(t.includes(s), `${s.slice(0, 6)}… in ${k}`).toBe(false);
  });
});

describe('SQL Server (fake tedious server): no leaks through the other connection paths', {
  timeout: SCANS_TIMEOUT_MS,
}, () => {
  beforeAll(fresh);

  it('--connection-string-env with an ADO.NET string: the password reaches the driver, never an output', async () => {
    // a password with ; and " must be quoted in an ADO.NET string: "…" with "" doubled
    process.env.QRTZ_REL_MSSQL_CS = `Server=tcp:db.example.test,1433;Database=quartz;User Id=auditor;Password="${CS_PW.replaceAll('"', '""')}";Encrypt=True`;
    const out = join(dir, 'cs');
    mkdirSync(out, { recursive: true });
    let text = '';
    const passwords: string[] = [];
    try {
      for (const f of FORMATS) {
        const r = await scan([
          '--debug',
          'scan',
          'mssql:',
          '--connection-string-env',
          'QRTZ_REL_MSSQL_CS',
          '--format',
          f,
          '--verbose',
          '--output',
          join(out, `r.${f}`),
        ]);
        expect(r.code, r.stderr).toBe(1);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        passwords.push(...r.passwords);
        text += `${r.stdout}\n${r.stderr}\n${readFileSync(join(out, `r.${f}`), 'utf8')}`;
      }
      const r = await scan(['scan', 'mssql:', '--connection-string-env', 'QRTZ_REL_MSSQL_CS', '--format', 'json']);
      passwords.push(...r.passwords);
      text += `${r.stdout}\n${r.stderr}`;
    } finally {
      delete process.env.QRTZ_REL_MSSQL_CS;
    }
    expect(passwords).toEqual([...FORMATS, 'json'].map(() => CS_PW));
    for (const s of NEVER) expect(text.includes(s), `${s.slice(0, 6)}…`).toBe(false);
  });

  it('--password-stdin: the password reaches the driver, never an output; no URL warning', async () => {
    const r = await scan(
      [
        '--debug',
        'scan',
        'mssql://auditor@db.example.test/quartz',
        '--password-stdin',
        '--format',
        'table',
        '--verbose',
      ],
      `${STDIN_PW}\n`,
    );
    expect(r.code, r.stderr).toBe(1);
    expect(r.passwords).toEqual([STDIN_PW]);
    expect(r.stderr).not.toContain('visible to other local users');
    for (const s of NEVER) expect(`${r.stdout}${r.stderr}`.includes(s), `${s.slice(0, 6)}…`).toBe(false);
  });
});

describe('SQL Server (fake tedious server): faults', { timeout: SCANS_TIMEOUT_MS }, () => {
  beforeAll(fresh);

  it('the connection lost in the blob stream (session killed): every format marks the report incomplete; one connection, closed; nothing sent after', async () => {
    const out = join(dir, 'killed');
    mkdirSync(out, { recursive: true });
    const texts: Record<string, string> = {};
    for (const f of FORMATS) {
      fresh();
      server.resetAtBlobBatch = 2;
      const file = join(out, `r.${f}`);
      const r = await scan(['scan', TARGET, '--format', f, '--output', file, '--max-blob-size', '1048576']);
      // findings at --fail-on win over incomplete (exit 1, README "Exit codes"); the summary says INCOMPLETE
      expect(r.code, r.stderr).toBe(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toBe(URL_PASSWORD_WARNING);
      expect(lines[1]).toMatch(/INCOMPLETE: \d+ check/);
      expect(r.opened, 'no reconnect after the loss').toBe(1);
      expect(fake.open(), 'the lost connection is not left open').toBe(0);
      expect(server.blobBatches).toBe(2);
      expect(fileOfSent(r.sent.at(-1) as Sent), 'nothing sent after the loss').toMatch(/^blob-/);
      texts[f] = readFileSync(file, 'utf8');
      for (const s of NEVER)
        expect(`${texts[f]}${r.stdout}${r.stderr}`.includes(s), `${s.slice(0, 6)}… (${f})`).toBe(false);
    }
    const rep = JSON.parse(texts.json ?? '') as Report;
    expect(rep.summary.incomplete).toBe(true);
    expect(JSON.stringify(rep.unreadable)).toMatch(/connection lost mid-scan/);
    // what was read before the loss is still reported (the first batch's rows)
    expect(rep.inventory.blobs?.rows).toBeGreaterThan(0);
    const sarif = JSON.parse(texts.sarif ?? '');
    expect(sarif.runs[0].invocations[0].executionSuccessful).toBe(false);
    expect(JSON.stringify(sarif.runs[0].invocations[0].toolExecutionNotifications)).toMatch(/connection lost mid-scan/);
    expect(XMLValidator.validate(texts.junit ?? '')).toBe(true);
    expect(texts.junit).toMatch(/<failure message="incomplete audit" type="incomplete">/);
    expect(texts.junit).toMatch(/<skipped message="not-evaluated: [^"]*connection lost mid-scan/);
    for (const f of ['table', 'html', 'markdown']) expect(texts[f], f).toMatch(/incomplete/i);
    for (const f of ['table', 'html', 'markdown']) expect(texts[f], f).toMatch(/connection lost mid-scan/);
  });

  it('with nothing else to report, the same loss exits 4 (incomplete)', async () => {
    fresh();
    server.store = CLEAN;
    server.resetAtBlobBatch = 2;
    const file = join(dir, 'killed-clean.json');
    const r = await scan([
      'scan',
      TARGET,
      '--only',
      'content',
      '--format',
      'json',
      '--output',
      file,
      '--max-blob-size',
      '1048576',
    ]);
    expect(r.code, r.stderr).toBe(4);
    const rep = JSON.parse(readFileSync(file, 'utf8')) as Report;
    expect(rep.summary.incomplete).toBe(true);
    expect(rep.findings.filter((f) => f.status === 'fail')).toEqual([]);
    // the first batch (4 rows at a 1 MiB bound) was read and evaluated
    expect(rep.inventory.blobs?.rows).toBe(4);
    expect(fake.open()).toBe(0);
  });

  it('the connection lost while the catalog is read: one line naming the target without its password, exit 2, connection closed', async () => {
    fresh();
    server.resetAtFile = 'principals';
    const r = await scan(['scan', TARGET, '--format', 'json']);
    expect([r.code, r.stdout]).toEqual([2, '']);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(URL_PASSWORD_WARNING);
    expect(lines[1]).toMatch(/db\.example\.test/);
    expect(lines[1]).not.toContain(URL_PW);
    expect(lines[1]).not.toContain(encodeURIComponent(URL_PW));
    expect(r.opened).toBe(1);
    expect(fake.open()).toBe(0);
    expect(fileOfSent(r.sent.at(-1) as Sent)).toBe('principals');
  });

  it('a blob statement past its request timeout: that table is unreadable (statement-timeout), the others are read, incomplete', async () => {
    fresh();
    server.timeoutFiles.add('blob-calendars');
    const file = join(dir, 'timeout-blob.json');
    const r = await scan(['scan', TARGET, '--format', 'json', '--output', file, '--statement-timeout', '9000']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr.trim().split('\n')[1]).toMatch(/INCOMPLETE: \d+ check/);
    const rep = JSON.parse(readFileSync(file, 'utf8')) as Report;
    expect(rep.summary.incomplete).toBe(true);
    const u = rep.unreadable.find((x) => x.what === 'blobs.CALENDARS');
    expect(u).toMatchObject({ table: 'dbo.QRTZ_CALENDARS', cause: 'statement-timeout' });
    expect(u?.reason).toMatch(/Timeout: Request failed to complete in 9000ms/);
    // the connection stayed usable: the tables after it were read on the same connection
    expect(r.opened).toBe(1);
    const files = r.sent.map(fileOfSent);
    expect(files.indexOf('blob-simprop-triggers')).toBeGreaterThan(files.indexOf('blob-calendars'));
    expect(rep.inventory.blobs?.rows).toBeGreaterThan(20);
    expect(fake.open()).toBe(0);
  });

  it('a catalog statement past its request timeout: recorded as unreadable (statement-timeout), the audit goes on', async () => {
    fresh();
    server.timeoutFiles.add('server-audits');
    const file = join(dir, 'timeout-catalog.json');
    const r = await scan(['scan', TARGET, '--format', 'json', '--output', file]);
    expect(r.code, r.stderr).toBe(1);
    const rep = JSON.parse(readFileSync(file, 'utf8')) as Report;
    expect(rep.unreadable).toContainEqual(
      expect.objectContaining({ what: 'mssql.server-audits.error', cause: 'statement-timeout' }),
    );
    expect(rep.summary.incomplete).toBe(true);
    expect(r.opened).toBe(1);
    expect(fake.open()).toBe(0);
  });

  it('no unhandled rejection in any of these runs', () => {
    expect(unhandled).toEqual([]);
  });
});
