/**
 * Reliability on PostgreSQL (issue #17 parts 1–4), on a throwaway server whose statement log is on
 * (log_statement=all to a JSON log with application_name), autovacuum off and wal_level=minimal so
 * that nothing but a client can move the WAL position:
 *  1. full audits (every family, every format) leave the WAL position, the next transaction id,
 *     the per-table insert/update/delete counters and a checksum of every Quartz table unchanged, and
 *     the statement log shows only read statements (each parsed with PostgreSQL's own parser) from
 *     the audit's sessions;
 *  2. the auditor login scripts/auditor-postgres.sql creates is enough for a full audit: the only
 *     not-evaluated checks are the ones that need more, and they say so;
 *  3. a Quartz-like workload never waits on the auditor (pg_blocking_pids sampled throughout);
 *  4. faults: a killed connection, a lock held past --lock-timeout, a statement timeout, the server
 *     stopped mid-scan — one line, a distinct exit code, no hang, no session left.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'libpg-query';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report.js';
import { parseReport, runCli } from '../support/cli.js';
import { createQuartzDb } from '../support/pg-quartz.js';
import { acquirePostgres, adminSql, type PgServer } from '../support/pg-server.js';
import { insertRows, QUARTZ_TABLES, REL_SECRETS, secretRows, tableName } from '../support/rel-store.js';
import { runWorkload } from '../support/rel-workload.js';
import { SESSION_WINDOW_MS, untilNoSession } from '../support/sessions.js';

const logDir = mkdtempSync(join(tmpdir(), 'qrtz-pglog-'));
if (process.getuid?.() === 0) {
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  chownSync(logDir, uid, gid);
}
const got = await acquirePostgres({
  fresh: true,
  conf: [
    'logging_collector = on',
    `log_directory = '${logDir}'`,
    "log_filename = 'pg.log'",
    "log_destination = 'jsonlog'",
    "log_statement = 'all'",
    'log_disconnections = on',
    'autovacuum = off',
    'wal_level = minimal',
    'max_wal_senders = 0',
  ],
});
const server = 'skip' in got ? undefined : (got as PgServer);
const DB = 'relq';
const SCHEMA = 'quartz';
const OWNER = 'rel_owner';
const APP = 'rel_quartz_app';
const AUDITOR = 'rel_auditor';
const WORK_TRIGGERS = 40;
const FORMATS = ['table', 'json', 'sarif', 'junit', 'html'] as const;
const ADMIN_APP = 'qrtz-rel-admin';

async function admin<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: unknown[] = [], db = DB) {
  const c = new pg.Client({ connectionString: (server as PgServer).adminUrl(db), application_name: ADMIN_APP });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

interface Evidence {
  lsn: string;
  nextXid: string;
  counters: Record<string, string>;
  checksums: Record<string, string>;
}

async function evidence(): Promise<Evidence> {
  const [w] = await admin<{ lsn: string; xmax: string }>(
    'SELECT pg_current_wal_insert_lsn()::text AS lsn, pg_snapshot_xmax(pg_current_snapshot())::text AS xmax',
  );
  const counters: Record<string, string> = {};
  for (const r of await admin<{ relname: string; c: string }>(
    `SELECT relname, concat_ws('/', n_tup_ins, n_tup_upd, n_tup_del, n_tup_hot_upd) AS c FROM pg_stat_all_tables WHERE schemaname = $1`,
    [SCHEMA],
  ))
    counters[r.relname] = r.c;
  const checksums: Record<string, string> = {};
  for (const t of QUARTZ_TABLES) {
    const name = tableName('postgres', t);
    const [r] = await admin<{ md5: string; n: string }>(
      `SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS md5, count(*)::text AS n FROM ${SCHEMA}.${name} x`,
    );
    checksums[name] = `${r?.n}:${r?.md5}`;
  }
  return { lsn: w?.lsn ?? '', nextXid: w?.xmax ?? '', counters, checksums };
}

interface LogEntry {
  application_name?: string;
  message?: string;
  pid?: number;
  session_id?: string;
  user?: string;
  detail?: string;
}

function logFile(): string {
  const f = readdirSync(logDir).find((x) => x.endsWith('.json'));
  return f ? join(logDir, f) : '';
}
function logSize(): number {
  const f = logFile();
  return f && existsSync(f) ? statSync(f).size : 0;
}
/** Log entries written after byte `from`, once the sessions of `app` have all disconnected. */
async function logSince(from: number, sessions: number): Promise<LogEntry[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const text = readFileSync(logFile()).subarray(from).toString('utf8');
    const entries = text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as LogEntry);
    const disconnects = entries.filter(
      (e) => e.application_name !== ADMIN_APP && /^disconnection:/.test(e.message ?? ''),
    ).length;
    if (disconnects >= sessions || Date.now() > deadline) return entries;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The SQL of a log_statement line: "statement: …" (simple protocol) or "execute <name>: …" (extended). */
function statementOf(message: string): string | undefined {
  const m = /^(?:statement|execute [^:]*): ([\s\S]*)$/.exec(message);
  return m?.[1];
}

const READ_NODES = new Set([
  'SelectStmt',
  'VariableSetStmt',
  'VariableShowStmt',
  'TransactionStmt',
  'DeclareCursorStmt',
  'FetchStmt',
  'ClosePortalStmt',
]);
const WRITING_FUNCTIONS =
  /"(nextval|setval|pg_advisory[a-z_]*|lo_[a-z_]+|dblink[a-z_]*|pg_notify|pg_terminate_backend|pg_cancel_backend|pg_reload_conf|pg_rotate_logfile|pg_switch_wal|pg_create_[a-z_]+|pg_drop_[a-z_]+|pg_file_write|pg_read_file|pg_read_binary_file|pg_stat_reset[a-z_]*|txid_current|pg_current_xact_id|set_config)"/;

/** Why a statement is not a pure read, or undefined when it is one. */
async function notARead(sql: string): Promise<string | undefined> {
  let tree: { stmts: { stmt: Record<string, unknown> }[] };
  try {
    tree = (await parse(sql)) as typeof tree;
  } catch (err) {
    return `unparsable: ${(err as Error).message}`;
  }
  for (const { stmt } of tree.stmts) {
    const kind = Object.keys(stmt)[0] as string;
    if (!READ_NODES.has(kind)) return kind;
    const json = JSON.stringify(stmt);
    if (/"(lockingClause|intoClause)"/.test(json)) return `${kind} with FOR UPDATE/SHARE or INTO`;
    if (/"(InsertStmt|UpdateStmt|DeleteStmt|MergeStmt)"/.test(json)) return `${kind} with a data-modifying part`;
    const fn = WRITING_FUNCTIONS.exec(json);
    if (fn) return `${kind} calling ${fn[1]}`;
    if (kind === 'TransactionStmt' && /TRANS_STMT_PREPARE|TRANS_STMT_COMMIT_PREPARED/.test(json))
      return 'prepared transaction';
  }
  return undefined;
}

const url = (user = 'postgres') => `postgres://${user}@127.0.0.1:${(server as PgServer).port}/${DB}?sslmode=disable`;
const scanArgs = (user = 'postgres') => ['scan', url(user), '--schema', SCHEMA, '--service-account', APP];

async function auditSessions(): Promise<number> {
  const [r] = await admin<{ n: string }>(
    "SELECT count(*)::text AS n FROM pg_stat_activity WHERE application_name = 'qrtz-audit' OR usename = $1",
    [AUDITOR],
    'postgres',
  );
  return Number(r?.n);
}
async function noSessionLeft(): Promise<number> {
  const n = await untilNoSession(auditSessions);
  if (n) {
    // Say which session stayed, for whoever reads the failure: state, query, client address and age.
    const rows = await admin<Record<string, unknown>>(
      `SELECT pid, usename, application_name, client_addr::text, client_port, state, wait_event_type, wait_event,
              backend_type, now() - backend_start AS age, now() - state_change AS in_state, left(query, 200) AS query
         FROM pg_stat_activity WHERE application_name = 'qrtz-audit' OR usename = $1`,
      [AUDITOR],
      'postgres',
    );
    console.warn(`sessions left after the audit: ${JSON.stringify(rows)}`);
  }
  return n;
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<T>((_, rej) => setTimeout(() => rej(new Error(`${what}: hung for ${ms} ms`)), ms))]);

const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);

/** Test timeout: a hang guard above a scan plus the up-to-60 s "no session left" window (the default 60 s was not). */
const SUITE = { timeout: SESSION_WINDOW_MS + 240_000 };

describe.skipIf(!server)('reliability on PostgreSQL (throwaway server, statement log on)', SUITE, () => {
  const s = server as PgServer;
  const out = mkdtempSync(join(tmpdir(), 'qrtz-rel-pg-'));
  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    await createQuartzDb(s, DB, SCHEMA, OWNER);
    await adminSql(s, 'postgres', `CREATE ROLE ${APP} LOGIN`);
    await adminSql(
      s,
      DB,
      `GRANT USAGE ON SCHEMA ${SCHEMA} TO ${APP}; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${SCHEMA} TO ${APP}`,
    );
    const c = new pg.Client({ connectionString: s.adminUrl(DB) });
    await c.connect();
    try {
      await c.query(`SET search_path = ${SCHEMA}`);
      await insertRows('postgres', (sql, params) => c.query(sql, params), secretRows(WORK_TRIGGERS));
      // a bulk table for the fault tests: long enough that a scan is still running when it is hit
      await c.query(`CREATE SCHEMA bulk AUTHORIZATION ${OWNER}`);
      await c.query(`CREATE TABLE bulk.qrtz_job_details (LIKE ${SCHEMA}.qrtz_job_details INCLUDING ALL)`);
      await c.query(
        `INSERT INTO bulk.qrtz_job_details SELECT 'S', 'j' || g, 'g', NULL, 'X.Y, Z', true, false, false, false,
           convert_to(repeat(md5(g::text), 60), 'UTF8') FROM generate_series(1, 60000) g`,
      );
      for (const t of QUARTZ_TABLES.filter((t) => t !== 'JOB_DETAILS'))
        await c.query(`CREATE TABLE bulk.${tableName('postgres', t)} (LIKE ${SCHEMA}.${tableName('postgres', t)})`);
      await c.query(`ALTER TABLE bulk.qrtz_job_details OWNER TO ${OWNER}`);
      // settle: every tuple's hint bits set and frozen, then a checkpoint, so a read has nothing to write
      // (a second VACUUM removes the catalog rows ANALYZE replaced: reading them would prune pages)
      await c.query('VACUUM (FREEZE, ANALYZE)');
      await c.query('VACUUM');
      await c.query('CHECKPOINT');
    } finally {
      await c.end();
    }
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    rmSync(out, { recursive: true, force: true });
    await s.stop();
    rmSync(logDir, { recursive: true, force: true });
  });

  it('part 1: full audits in every format write nothing (WAL, xid, counters, checksums) and log only reads', async () => {
    const before = await evidence();
    // the server itself is quiet: the evidence read twice is the same
    expect(await evidence()).toEqual(before);
    const from = logSize();
    const codes: number[] = [];
    for (const f of FORMATS) {
      const r = await runCli([...scanArgs(), '--format', f, '--output', join(out, `r.${f}`)]);
      codes.push(r.code);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    const after = await evidence();
    const entries = await logSince(from, FORMATS.length);
    expect(codes).toEqual([1, 1, 1, 1, 1]);
    // the audits read the tables (secrets found), and wrote nothing
    const json = JSON.parse(readFileSync(join(out, 'r.json'), 'utf8')) as Report;
    expect(json.findings.some((x) => x.check === 'QA-S01' && x.status === 'fail')).toBe(true);
    expect(json.unreadable ?? []).toEqual([]);
    expect(after).toEqual(before);
    // and no planted secret reached any format
    for (const f of FORMATS) {
      const text = readFileSync(join(out, `r.${f}`), 'utf8');
      for (const [k, v] of Object.entries(REL_SECRETS)) expect(text.includes(v), `${k} in ${f}`).toBe(false);
    }
    // the statement log: every statement of every non-admin session is a read
    const audit = entries.filter((e) => e.application_name !== ADMIN_APP);
    const statements = audit.map((e) => statementOf(e.message ?? '')).filter((x): x is string => x !== undefined);
    expect(new Set(audit.filter((e) => statementOf(e.message ?? '')).map((e) => e.application_name))).toEqual(
      new Set(['qrtz-audit']),
    );
    expect(statements.length).toBeGreaterThan(20 * FORMATS.length);
    const bad: string[] = [];
    for (const st of statements) {
      const why = await notARead(st);
      if (why) bad.push(`${why}: ${st.slice(0, 200)}`);
    }
    expect(bad).toEqual([]);
    console.info(
      `[rel pg] ${FORMATS.length} audits: ${statements.length} statements logged, all reads; WAL ${before.lsn} unchanged, next xid ${before.nextXid} unchanged`,
    );
  });

  it('part 1: the statement-log check itself rejects writes (it can fail)', async () => {
    expect(await notARead('SELECT 1 FROM quartz.qrtz_locks FOR UPDATE')).toMatch(/FOR UPDATE/);
    expect(await notARead("UPDATE quartz.qrtz_triggers SET trigger_state = 'x'")).toBe('UpdateStmt');
    expect(await notARead('WITH d AS (DELETE FROM t RETURNING 1) SELECT * FROM d')).toMatch(/data-modifying/);
    expect(await notARead("SELECT nextval('s')")).toMatch(/nextval/);
    expect(await notARead('SELECT 1')).toBeUndefined();
    expect(await notARead('DECLARE c NO SCROLL CURSOR FOR SELECT 1')).toBeUndefined();
  });

  it('part 2: the auditor login from scripts/auditor-postgres.sql runs a full audit; only what needs more is not evaluated', async () => {
    const script = join(import.meta.dirname, '..', '..', 'scripts', 'auditor-postgres.sql');
    execFileSync(
      'psql',
      [
        '-X',
        '-q',
        '-v',
        'ON_ERROR_STOP=1',
        '-v',
        `auditor=${AUDITOR}`,
        '-v',
        `schema=${SCHEMA}`,
        '-v',
        'prefix=qrtz_',
        '-d',
        s.adminUrl(DB),
        '-f',
        script,
      ],
      { stdio: 'pipe' },
    );
    const [role] = await admin<{ rolsuper: boolean; rolcreaterole: boolean; rolconnlimit: number }>(
      'SELECT rolsuper, rolcreaterole, rolconnlimit FROM pg_roles WHERE rolname = $1',
      [AUDITOR],
    );
    expect(role).toEqual({ rolsuper: false, rolcreaterole: false, rolconnlimit: 2 });
    await admin('VACUUM');
    await admin('CHECKPOINT');
    const before = await evidence();
    const run = await runCli([...scanArgs(AUDITOR), '--format', 'json']);
    const rep = parseReport(run);
    expect(await evidence()).toEqual(before);
    expect(rep.target.user).toBe(AUDITOR);
    expect(rep.unreadable ?? []).toEqual([]);
    const notEvaluated = rep.findings
      .filter((f) => f.status === 'not-evaluated')
      .map((f) => `${f.check} ${f.message}`)
      .sort();
    expect(notEvaluated).toEqual([]);
    // every family ran and found what the superuser finds
    // (but the session's own TLS finding names who connected, and a superuser's audit lists the auditor
    // login as an unexpected reader: QA-G05, until --allow-principal names it)
    const su = parseReport(await runCli([...scanArgs(), '--format', 'json']));
    const keys = (r: Report) =>
      r.findings
        .filter((f) => !(f.check === 'QA-E02' && f.object.name.startsWith('session of')) && f.check !== 'QA-G05')
        .map((f) => `${f.check} ${f.status} ${f.object.name} ${f.object.rowKey ?? ''}`)
        .sort();
    expect(keys(rep)).toEqual(keys(su));
    expect(su.findings.filter((f) => f.check === 'QA-G05' && f.status === 'fail').map((f) => f.object.name)).toEqual([
      `role ${AUDITOR}`,
    ]);
    const allowed = parseReport(await runCli([...scanArgs(), '--format', 'json', '--allow-principal', AUDITOR]));
    expect(allowed.findings.filter((f) => f.check === 'QA-G05' && f.status === 'fail')).toEqual([]);
  });

  it('part 3: a Quartz-like workload never waits on the auditor', async () => {
    const mk = async () => {
      const c = new pg.Client({ connectionString: s.adminUrl(DB), application_name: 'quartz-worker' });
      await c.connect();
      return c;
    };
    const clients = await Promise.all([mk(), mk(), mk(), mk()]);
    const workers = clients.map((c) => ({
      query: async (sql: string, params?: unknown[]) => (await c.query(sql, params)).rows,
    }));
    const monitor = new pg.Client({ connectionString: s.adminUrl(DB), application_name: ADMIN_APP });
    await monitor.connect();
    try {
      const opts = { schema: SCHEMA, triggers: WORK_TRIGGERS, maxIterations: 400 };
      const baseline = await runWorkload('postgres', workers, { ...opts, untilMs: performance.now() + 2000 });
      // with audits running back to back: sample who blocks the workers every 10 ms
      let auditing = true;
      let audits = 0;
      const auditCodes: number[] = [];
      const auditLoop = (async () => {
        while (auditing) {
          const r = await runCli([...scanArgs(), '--format', 'json']);
          auditCodes.push(r.code);
          audits++;
        }
      })();
      const blocked: string[] = [];
      let samples = 0;
      const sampler = (async () => {
        while (auditing) {
          const r = await monitor.query<{ pid: number; query: string }>(
            `SELECT w.pid, w.query FROM pg_stat_activity w
              WHERE w.application_name = 'quartz-worker'
                AND EXISTS (SELECT 1 FROM unnest(pg_blocking_pids(w.pid)) b JOIN pg_stat_activity a ON a.pid = b
                             WHERE a.application_name = 'qrtz-audit')`,
          );
          samples++;
          for (const x of r.rows) blocked.push(x.query);
          await new Promise((res) => setTimeout(res, 10));
        }
      })();
      const loaded = await runWorkload('postgres', workers, { ...opts, untilMs: performance.now() + 4500 });
      auditing = false;
      await Promise.all([auditLoop, sampler]);
      console.info(
        `[rel pg] workload without audit: ${baseline.statements} statements, max ${baseline.maxMs} ms, p99 ${baseline.p99Ms} ms; with ${audits} audits running: ${loaded.statements} statements, max ${loaded.maxMs} ms (${loaded.slowest}), p99 ${loaded.p99Ms} ms; ${samples} lock samples, ${blocked.length} blocked by the auditor`,
      );
      expect(audits).toBeGreaterThanOrEqual(1);
      expect(auditCodes.every((c) => c === 1)).toBe(true);
      expect([baseline.errors, loaded.errors]).toEqual([[], []]);
      // The proof is the sampler: in every sample (one every 10 ms, at least one per audit) no workload session
      // waited on a lock the auditor held, so no wait on the auditor lasted longer than the sampling interval. The
      // workload's slowest statement is reported above, not asserted: it measures the machine's load (1,402 ms once
      // with audits sharing this process's CPU on an overloaded shared machine), not the auditor's locks.
      expect(samples).toBeGreaterThanOrEqual(audits);
      expect(blocked).toEqual([]);
    } finally {
      await monitor.end();
      for (const c of clients) await c.end();
    }
    expect(await noSessionLeft()).toBe(0);
  });

  it('part 4: a lock held past --lock-timeout: the table is unreadable (lock-timeout), exit 4, incomplete in every format', async () => {
    const locker = new pg.Client({ connectionString: s.adminUrl(DB), application_name: ADMIN_APP });
    await locker.connect();
    try {
      await locker.query(`BEGIN; LOCK TABLE ${SCHEMA}.qrtz_job_details IN ACCESS EXCLUSIVE MODE`);
      const runs: Record<string, { code: number; text: string; stderr: string }> = {};
      for (const f of FORMATS) {
        const file = join(out, `lock.${f}`);
        const r = await withTimeout(
          runCli([...scanArgs(), '--format', f, '--output', file, '--lock-timeout', '300ms', '--fail-on', 'critical']),
          30_000,
          'audit under a held lock',
        );
        runs[f] = { code: r.code, text: readFileSync(file, 'utf8'), stderr: r.stderr };
      }
      const json = JSON.parse(runs.json?.text ?? '{}') as Report;
      expect(json.unreadable?.map((u) => [u.table, u.cause])).toContainEqual(['qrtz_job_details', 'lock-timeout']);
      expect(Object.values(runs).map((r) => r.code)).toEqual([4, 4, 4, 4, 4]);
      expect(json.summary.incomplete).toBe(true);
      expect(JSON.parse(runs.sarif?.text ?? '{}').runs[0].invocations[0].executionSuccessful).toBe(false);
      expect(runs.junit?.text).toMatch(/<failure[^>]*>[\s\S]*incomplete|incomplete[\s\S]*<failure/i);
      expect(runs.table?.text).toMatch(/incomplete/i);
      expect(runs.html?.text).toMatch(/incomplete/i);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    expect(await noSessionLeft()).toBe(0);
  });

  it('part 4: a statement past --statement-timeout (a lock wait longer than it): unreadable (statement-timeout), exit 4', async () => {
    const locker = new pg.Client({ connectionString: s.adminUrl(DB), application_name: ADMIN_APP });
    await locker.connect();
    try {
      await locker.query(`BEGIN; LOCK TABLE ${SCHEMA}.qrtz_job_details IN ACCESS EXCLUSIVE MODE`);
      const file = join(out, 'st.json');
      const r = await withTimeout(
        runCli([
          ...scanArgs(),
          '--format',
          'json',
          '--output',
          file,
          '--statement-timeout',
          '400ms',
          '--lock-timeout',
          '20s',
          '--fail-on',
          'critical',
        ]),
        30_000,
        'audit with a statement timeout',
      );
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      const rep = JSON.parse(readFileSync(file, 'utf8')) as Report;
      expect(rep.unreadable?.map((u) => [u.table, u.cause])).toContainEqual(['qrtz_job_details', 'statement-timeout']);
      expect(r.code).toBe(4);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    expect(await noSessionLeft()).toBe(0);
  });

  it('part 4: a statement timeout during session setup: one line naming the option, exit 2', async () => {
    const r = await runCli([...scanArgs(), '--format', 'json', '--statement-timeout', '1ms']);
    // either the setup itself or a later read times out; never a hang or a stack
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    if (r.code === 2) expect(r.stderr).toMatch(/^qrtz-audit: statement timeout: .*--statement-timeout/);
    else expect([1, 4]).toContain(r.code);
    expect(await noSessionLeft()).toBe(0);
  });

  /** Waits until the audit streams blobs (a FETCH from its cursor), then runs `hit` on its backend pid. */
  async function whenStreaming(hit: (pid: number) => Promise<void>): Promise<boolean> {
    for (let i = 0; i < 2000; i++) {
      const rows = await admin<{ pid: number }>(
        // a FETCH that has returned (idle in its transaction after it): at least one batch reached the auditor
        "SELECT pid FROM pg_stat_activity WHERE application_name = 'qrtz-audit' AND query ILIKE 'FETCH%' AND state = 'idle in transaction'",
        [],
        'postgres',
      );
      if (rows[0]) {
        await hit(rows[0].pid);
        return true;
      }
      await new Promise((res) => setTimeout(res, 5));
    }
    return false;
  }
  const bulkArgs = () => ['scan', url(), '--schema', 'bulk', '--service-account', APP, '--fail-on', 'critical'];

  it('part 4: the connection killed during connect/facts (pg_terminate_backend): one line, exit 2, no hang, no session left', async () => {
    // Deterministic, not a race with a catalog read that takes milliseconds: a lock on a table the facts read
    // holds the audit there (its wait is visible in pg_stat_activity) until it is killed.
    const locker = new pg.Client({ connectionString: s.adminUrl(DB), application_name: ADMIN_APP });
    await locker.connect();
    let r: Awaited<ReturnType<typeof runCli>>;
    let killed = 0;
    try {
      await locker.query('BEGIN; LOCK TABLE bulk.qrtz_scheduler_state IN ACCESS EXCLUSIVE MODE');
      const running = runCli([
        ...bulkArgs(),
        '--format',
        'json',
        '--output',
        join(out, 'killed-early.json'),
        '--lock-timeout',
        '60s',
      ]);
      for (let i = 0; i < 6000 && !killed; i++) {
        const rows = await admin<{ ok: boolean }>(
          "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = 'qrtz-audit' AND wait_event_type = 'Lock'",
          [],
          'postgres',
        );
        killed = rows.length;
        if (!killed) await new Promise((res) => setTimeout(res, 10));
      }
      r = await withTimeout(running, 30_000, 'audit whose connection was killed');
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    expect(killed).toBeGreaterThan(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    // killed before the blob stream: nothing to report but the error
    expect(r.stderr).toMatch(/^qrtz-audit: .*(terminat|connection|closed)/i);
    expect(r.code).toBe(2);
    expect(existsSync(join(out, 'killed-early.json'))).toBe(false);
    expect(await noSessionLeft()).toBe(0);
  });

  it('part 4: the connection killed mid-stream: a partial report marked incomplete in every format, exit 4, no session left', async () => {
    const texts: Record<string, string> = {};
    const codes: number[] = [];
    for (const f of FORMATS) {
      const file = join(out, `killed.${f}`);
      const running = runCli([...bulkArgs(), '--format', f, '--output', file]);
      const hit = await whenStreaming(async (pid) => {
        await admin('SELECT pg_terminate_backend($1)', [pid], 'postgres');
      });
      const r = await withTimeout(running, 30_000, 'audit whose connection was killed');
      expect(hit).toBe(true);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/incomplete/i);
      codes.push(r.code);
      texts[f] = readFileSync(file, 'utf8');
    }
    expect(codes).toEqual([4, 4, 4, 4, 4]);
    const json = JSON.parse(texts.json ?? '{}') as Report;
    expect(json.summary.incomplete).toBe(true);
    expect(json.unreadable?.map((u) => [u.what, u.cause])).toContainEqual(['blobs.stream', 'other']);
    expect(json.unreadable?.find((u) => u.what === 'blobs.stream')?.reason).toMatch(/^connection lost mid-scan: /);
    expect((json.inventory.blobs?.rows ?? 0) > 0).toBe(true);
    expect(JSON.parse(texts.sarif ?? '{}').runs[0].invocations[0].executionSuccessful).toBe(false);
    for (const f of ['table', 'junit', 'html']) expect(texts[f]).toMatch(/incomplete/i);
    expect(await noSessionLeft()).toBe(0);
  });

  it('part 4: the server stopped mid-stream: a partial report marked incomplete, exit 4, no hang (last: stops the server)', async () => {
    const file = join(out, 'stopped.json');
    const running = runCli([...bulkArgs(), '--format', 'json', '--output', file]);
    const hit = await whenStreaming(async () => {
      await s.stop();
    });
    const r = await withTimeout(running, 30_000, 'audit whose server stopped');
    expect(hit).toBe(true);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.code).toBe(4);
    const json = JSON.parse(readFileSync(file, 'utf8')) as Report;
    expect(json.unreadable?.map((u) => [u.what, u.cause])).toContainEqual(['blobs.stream', 'other']);
    expect(unhandled).toEqual([]);
  });
});
