/**
 * Reliability on MariaDB (issue #17 parts 1–4), on a throwaway mariadbd with the general query log,
 * the binary log and per-user/per-table statistics (userstat) on:
 *  1. full audits (every family, every format) leave the binlog position, the per-table changed-row
 *     counters, every user's write counters and CHECKSUM TABLE of every Quartz table unchanged, and the
 *     general log shows only reads from the audit's connections (the global InnoDB LSN, which background
 *     work moves, is reported, not asserted);
 *  2. the login scripts/auditor-mariadb.sql creates runs a full audit; the only not-evaluated checks
 *     are the ones that need PROCESS or TRIGGER (not granted on purpose), and they name it;
 *  3. a Quartz-like workload never waits on the auditor (InnoDB lock waits and metadata-lock waits
 *     sampled throughout);
 *  4. faults: the connection killed (KILL), a lock held past --lock-timeout, the server stopped.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report.js';
import { QUARTZ_MYSQL_SCHEMA } from '../integration/mysql/schema.js';
import { parseReport, runCli } from '../support/cli.js';
import { dbRequired, type MariadbServer, startMariadb, throwawayUnavailable } from '../support/mariadb-server.js';
import { insertRows, QUARTZ_TABLES, secretRows, tableName } from '../support/rel-store.js';
import { runWorkload } from '../support/rel-workload.js';
import { SESSION_WINDOW_MS, untilNoSession } from '../support/sessions.js';

const unavailable = throwawayUnavailable();
let server: MariadbServer | undefined;
let startError = '';
if (!unavailable) {
  try {
    server = await startMariadb((dir) => [
      'general_log=1',
      `general_log_file=${join(dir, 'general.log')}`,
      `log_bin=${join(dir, 'binlog')}`,
      'server_id=1',
      'binlog_format=ROW',
      'userstat=1',
      'innodb_stats_auto_recalc=0',
      'innodb_stats_persistent=0',
      'innodb_max_dirty_pages_pct=0',
      'innodb_max_dirty_pages_pct_lwm=0',
    ]);
  } catch (err) {
    startError = (err as Error).message.split('\n')[0] ?? '';
  }
}
const skip = unavailable ?? (server ? undefined : `throwaway mariadbd did not start: ${startError}`);
if (skip) {
  if (dbRequired()) throw new Error(`QRTZ_REQUIRE_DB includes mariadb but ${skip}`);
  console.warn(`SKIPPED (reliability on MariaDB): ${skip}`);
}

const DB = 'relq';
const APP = 'rel_quartz_app';
const AUDITOR = 'rel_auditor';
const WORK_TRIGGERS = 40;
const FORMATS = ['table', 'json', 'sarif', 'junit', 'html'] as const;

const withTimeout = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<T>((_, rej) => setTimeout(() => rej(new Error(`${what}: hung for ${ms} ms`)), ms))]);

/**
 * Write evidence that only a write can move: the binlog position, per-table changed-row counters, CHECKSUM
 * TABLE of every Quartz table, and the write counters of every connected user (userstat). The global InnoDB
 * LSN is not part of it: purge, statistics and checkpoints move it with no client writing (it once failed a
 * run with nothing written), so it is only reported; the audit's own share of writes is its users' counters.
 */
interface Evidence {
  binlog: string;
  changed: Record<string, string>;
  checksums: Record<string, string>;
  writes: Record<string, string>;
}

/** General-log entries (connection id, command, argument), multi-line arguments joined. */
function generalLog(text: string): { id: number; command: string; arg: string }[] {
  const out: { id: number; command: string; arg: string }[] = [];
  for (const line of text.split('\n')) {
    const m = /^(?:\d{6}\s+\d{1,2}:\d\d:\d\d)?\s+(\d+) (\w+)\t?(.*)$/.exec(line);
    if (m) out.push({ id: Number(m[1]), command: m[2] as string, arg: m[3] as string });
    else if (out.length) (out[out.length - 1] as { arg: string }).arg += `\n${line}`;
  }
  return out;
}

/** Why a MariaDB statement is not a pure read, or undefined. */
export function notAReadMysql(sql: string): string | undefined {
  const s = sql
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/(^|\n)\s*(--|#)[^\n]*/g, '\n')
    .trim();
  const first = (/^[A-Za-z]+/.exec(s)?.[0] ?? '').toUpperCase();
  if (!['SELECT', 'SHOW', 'SET', 'START', 'COMMIT', 'ROLLBACK', 'WITH'].includes(first)) return first || s.slice(0, 30);
  if (/\bFOR\s+UPDATE\b|\bLOCK\s+IN\s+SHARE\s+MODE\b|\bFOR\s+SHARE\b/i.test(s)) return `${first} with a locking read`;
  if (/\bINTO\s+(OUTFILE|DUMPFILE|@)/i.test(s)) return `${first} INTO`;
  if (first === 'SET' && /^SET\s+(GLOBAL|PASSWORD|@@GLOBAL|DEFAULT\s+ROLE)/i.test(s)) return s.slice(0, 30);
  if (first === 'START' && !/^START\s+TRANSACTION/i.test(s)) return s.slice(0, 30);
  if (/\b(GET_LOCK|RELEASE_LOCK|SLEEP|BENCHMARK|LOAD_FILE|NEXTVAL|SETVAL)\s*\(/i.test(s))
    return `${first} calling a function with effects`;
  return undefined;
}

const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);

/** Test timeout: a hang guard above a scan plus the up-to-60 s "no session left" window (the default 60 s was not). */
const SUITE = { timeout: SESSION_WINDOW_MS + 240_000 };

describe.skipIf(Boolean(skip))('reliability on MariaDB (throwaway server, general log on)', SUITE, () => {
  const s = server as MariadbServer;
  const out = mkdtempSync(join(tmpdir(), 'qrtz-rel-my-'));
  let admin: mysql.Connection;
  let adminId = 0;
  const generalLogFile = () => join(s.dir, 'general.log');
  const url = (user = 'root') => s.url(DB, user);
  const scanArgs = (user = 'root') => ['scan', url(user), '--service-account', `'${APP}'@'%'`];

  async function rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const [r] = await admin.query(sql, params);
    return r as T[];
  }
  async function evidence(): Promise<Evidence> {
    const [m] = await rows<{ File: string; Position: number }>('SHOW MASTER STATUS');
    const changed: Record<string, string> = {};
    for (const r of await rows<{ TABLE_NAME: string; ROWS_CHANGED: number }>(
      'SELECT TABLE_NAME, ROWS_CHANGED FROM information_schema.TABLE_STATISTICS WHERE TABLE_SCHEMA = ?',
      [DB],
    ))
      changed[r.TABLE_NAME] = String(r.ROWS_CHANGED);
    const checksums: Record<string, string> = {};
    for (const t of QUARTZ_TABLES) {
      const name = tableName('mysql', t);
      const [c] = await rows<{ Checksum: number }>(`CHECKSUM TABLE \`${DB}\`.\`${name}\` EXTENDED`);
      checksums[name] = String(c?.Checksum);
    }
    const writes: Record<string, string> = {};
    for (const u of await rows<Record<string, number | string>>(
      'SELECT USER, ROWS_INSERTED, ROWS_UPDATED, ROWS_DELETED, UPDATE_COMMANDS, BINLOG_BYTES_WRITTEN FROM information_schema.USER_STATISTICS',
    )) {
      const w = `ins=${u.ROWS_INSERTED} upd=${u.ROWS_UPDATED} del=${u.ROWS_DELETED} cmds=${u.UPDATE_COMMANDS} binlog=${u.BINLOG_BYTES_WRITTEN}`;
      // a user's first connection adds its row: a user who never wrote is no evidence either way
      if (w !== 'ins=0 upd=0 del=0 cmds=0 binlog=0') writes[String(u.USER)] = w;
    }
    return { binlog: `${m?.File}:${m?.Position}`, changed, checksums, writes };
  }
  async function lsn(): Promise<string> {
    const [l] = await rows<{ Value: string }>("SHOW GLOBAL STATUS LIKE 'Innodb_lsn_current'");
    return String(l?.Value);
  }
  /**
   * Waits until InnoDB's background work has stopped moving the LSN: every dirty page flushed (the
   * server runs with innodb_max_dirty_pages_pct=0, so the page cleaner flushes at once) and the
   * checkpoint written after it — a checkpoint record moves the LSN, a read never does.
   */
  async function quiet(): Promise<void> {
    let last = '';
    let stable = 0;
    for (let i = 0; i < 100 && stable < 2; i++) {
      const st = Object.fromEntries(
        (
          await rows<{ Variable_name: string; Value: string }>(
            "SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_lsn_current', 'Innodb_buffer_pool_pages_dirty')",
          )
        ).map((r) => [r.Variable_name, r.Value]),
      );
      const now = `${st.Innodb_lsn_current}`;
      stable = st.Innodb_buffer_pool_pages_dirty === '0' && now === last ? stable + 1 : 0;
      last = now;
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  async function auditorConnections(user: string): Promise<number[]> {
    return (
      await rows<{ ID: number }>(
        'SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ? AND ID <> CONNECTION_ID()',
        [user],
      )
    ).map((r) => r.ID);
  }
  async function noSessionLeft(user: string): Promise<number> {
    return untilNoSession(async () => (await auditorConnections(user)).length);
  }

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    admin = await s.admin();
    const [[idRow]] = (await admin.query('SELECT CONNECTION_ID() AS id')) as unknown as [{ id: number }[]];
    adminId = Number(idRow?.id);
    await admin.query(`CREATE DATABASE \`${DB}\``);
    await admin.query(`USE \`${DB}\``);
    for (const stmt of QUARTZ_MYSQL_SCHEMA) await admin.query(stmt);
    await insertRows('mysql', (sql, params) => admin.query(sql, params), secretRows(WORK_TRIGGERS));
    await admin.query(`CREATE USER '${APP}'@'%'`);
    await admin.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON \`${DB}\`.* TO '${APP}'@'%'`);
    // a bulk store for the fault tests: long enough that a scan is still running when it is hit
    await admin.query('CREATE DATABASE bulk');
    await admin.query('USE bulk');
    for (const stmt of QUARTZ_MYSQL_SCHEMA) await admin.query(stmt);
    await admin.query(
      `INSERT INTO bulk.QRTZ_JOB_DETAILS SELECT 'S', CONCAT('j', seq), 'g', NULL, 'X.Y, Z', 1, 0, 0, 0, REPEAT(MD5(seq), 60) FROM seq_1_to_40000`,
    );
    await admin.query(`USE \`${DB}\``);
    for (const t of QUARTZ_TABLES) await admin.query(`ANALYZE TABLE \`${DB}\`.\`${tableName('mysql', t)}\``);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await admin?.end().catch(() => {});
    rmSync(out, { recursive: true, force: true });
    await s.stop();
  });

  it('part 1: full audits in every format write nothing (binlog, changed rows, write counters, checksums) and log only reads', async () => {
    await quiet();
    const before = await evidence();
    const lsnBefore = await lsn();
    await new Promise((r) => setTimeout(r, 500));
    expect(await evidence()).toEqual(before);
    const from = statSync(generalLogFile()).size;
    const codes: number[] = [];
    for (const f of FORMATS) {
      const r = await runCli([...scanArgs(), '--format', f, '--output', join(out, `r.${f}`)]);
      codes.push(r.code);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    await quiet();
    const after = await evidence();
    const lsnAfter = await lsn();
    expect(codes).toEqual([1, 1, 1, 1, 1]);
    const json = JSON.parse(readFileSync(join(out, 'r.json'), 'utf8')) as Report;
    expect(json.findings.some((x) => x.check === 'QA-S01' && x.status === 'fail')).toBe(true);
    expect(after).toEqual(before);
    const entries = generalLog(readFileSync(generalLogFile()).subarray(from).toString('utf8')).filter(
      (e) => e.id !== adminId,
    );
    const statements = entries.filter((e) => e.command === 'Query' || e.command === 'Execute');
    expect(new Set(entries.filter((e) => e.command === 'Connect').map((e) => e.arg.split('@')[0]))).toEqual(
      new Set(['root']),
    );
    expect(statements.length).toBeGreaterThan(20 * FORMATS.length);
    const bad = statements.map((e) => [notAReadMysql(e.arg), e.arg.slice(0, 200)]).filter(([why]) => why);
    expect(bad).toEqual([]);
    console.info(
      `[rel mariadb] ${FORMATS.length} audits: ${statements.length} statements logged, all reads; binlog ${before.binlog}, counters and checksums unchanged; InnoDB LSN ${lsnBefore} → ${lsnAfter} (background work, not evidence)`,
    );
  });

  it('part 1: the general-log check itself rejects writes (it can fail)', () => {
    expect(notAReadMysql('SELECT * FROM QRTZ_LOCKS FOR UPDATE')).toMatch(/locking/);
    expect(notAReadMysql('/* x */ UPDATE QRTZ_TRIGGERS SET TRIGGER_STATE = 1')).toBe('UPDATE');
    expect(notAReadMysql('SET GLOBAL general_log = 0')).toBeDefined();
    expect(notAReadMysql("SELECT GET_LOCK('x', 1)")).toMatch(/function/);
    expect(notAReadMysql('SELECT 1')).toBeUndefined();
  });

  it('part 2: the auditor login from scripts/auditor-mariadb.sql: a full audit, not-evaluated only where PROCESS/TRIGGER is needed', async () => {
    const script = join(import.meta.dirname, '..', '..', 'scripts', 'auditor-mariadb.sql');
    // exactly as the README says: the variables, then the script, on the client's standard input
    execFileSync('mariadb', [`--socket=${s.socket}`, '-uroot'], {
      input: `SET @auditor='${AUDITOR}', @auditor_host='%', @quartz_db='${DB}';\n${readFileSync(script, 'utf8')}`,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const grants = (await rows<Record<string, string>>(`SHOW GRANTS FOR '${AUDITOR}'@'%'`)).map(
      (r) => Object.values(r)[0],
    );
    expect(grants.join('\n')).not.toMatch(
      /INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|SUPER|PROCESS|TRIGGER|ALL PRIVILEGES/,
    );
    await quiet();
    const before = await evidence();
    const run = await runCli([...scanArgs(AUDITOR), '--format', 'json']);
    const rep = parseReport(run);
    await quiet();
    expect(await evidence()).toEqual(before);
    const [u] = await rows<{ ROWS_READ: number; ROWS_UPDATED: number; ROWS_DELETED: number; ROWS_INSERTED: number }>(
      'SELECT ROWS_READ, ROWS_UPDATED, ROWS_DELETED, ROWS_INSERTED FROM information_schema.USER_STATISTICS WHERE USER = ?',
      [AUDITOR],
    );
    expect([u?.ROWS_UPDATED, u?.ROWS_DELETED, u?.ROWS_INSERTED]).toEqual([0, 0, 0]);
    expect(Number(u?.ROWS_READ)).toBeGreaterThan(0);
    expect(rep.target.user).toBe(`'${AUDITOR}'@'%'`);
    const notEvaluated = rep.findings
      .filter((f) => f.status === 'not-evaluated')
      .map((f) => `${f.check} ${f.object.name}: ${f.message}`)
      .sort();
    console.info(
      `[rel mariadb] auditor login not-evaluated: ${JSON.stringify(notEvaluated)}; unreadable: ${JSON.stringify(rep.unreadable)}`,
    );
    for (const line of notEvaluated) expect(line).toMatch(/PROCESS|TRIGGER/);
    expect(notEvaluated.map((l) => l.split(':')[0])).toEqual(EXPECTED_NOT_EVALUATED);
    expect(rep.findings.some((f) => f.check === 'QA-S01' && f.status === 'fail')).toBe(true);
  });

  it('part 3: a Quartz-like workload never waits on the auditor', async () => {
    const clients = await Promise.all([s.admin(), s.admin(), s.admin(), s.admin()]);
    for (const c of clients) await c.query(`USE \`${DB}\``);
    const workers = clients.map((c) => ({
      query: async (sql: string, params?: unknown[]) => {
        const [r] = await c.query(sql, params);
        return Array.isArray(r) ? r : [];
      },
    }));
    try {
      const opts = { triggers: WORK_TRIGGERS, maxIterations: 400 };
      const baseline = await runWorkload('mysql', workers, { ...opts, untilMs: performance.now() + 2000 });
      let auditing = true;
      let audits = 0;
      const auditCodes: number[] = [];
      const auditLoop = (async () => {
        while (auditing) {
          const r = await runCli([...scanArgs(AUDITOR), '--format', 'json']);
          auditCodes.push(r.code);
          audits++;
        }
      })();
      const blocked: string[] = [];
      let samples = 0;
      const sampler = (async () => {
        while (auditing) {
          const lockWaits = await rows<{ id: number }>(
            `SELECT r.trx_mysql_thread_id AS id FROM information_schema.INNODB_LOCK_WAITS w
               JOIN information_schema.INNODB_TRX b ON b.trx_id = w.blocking_trx_id
               JOIN information_schema.INNODB_TRX r ON r.trx_id = w.requesting_trx_id
               JOIN information_schema.PROCESSLIST p ON p.ID = b.trx_mysql_thread_id
              WHERE p.USER = ?`,
            [AUDITOR],
          );
          const mdl = await rows<{ ID: number; INFO: string }>(
            "SELECT ID, INFO FROM information_schema.PROCESSLIST WHERE STATE LIKE '%metadata lock%' AND USER = 'root'",
          );
          samples++;
          for (const x of lockWaits) blocked.push(`row lock wait of ${x.id}`);
          for (const x of mdl) blocked.push(`metadata lock wait: ${x.INFO}`);
          await new Promise((res) => setTimeout(res, 10));
        }
      })();
      const loaded = await runWorkload('mysql', workers, { ...opts, untilMs: performance.now() + 4500 });
      auditing = false;
      await Promise.all([auditLoop, sampler]);
      console.info(
        `[rel mariadb] workload without audit: ${baseline.statements} statements, max ${baseline.maxMs} ms, p99 ${baseline.p99Ms} ms; with ${audits} audits running: ${loaded.statements} statements, max ${loaded.maxMs} ms (${loaded.slowest}), p99 ${loaded.p99Ms} ms; ${samples} lock samples, ${blocked.length} blocked by the auditor`,
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
      for (const c of clients) await c.end();
    }
    expect(await noSessionLeft(AUDITOR)).toBe(0);
  });

  it('part 4: a table locked past --lock-timeout: unreadable (lock-timeout), exit 4, incomplete in every format', async () => {
    const locker = await s.admin();
    try {
      await locker.query(`LOCK TABLES \`${DB}\`.QRTZ_JOB_DETAILS WRITE`);
      const codes: number[] = [];
      const texts: Record<string, string> = {};
      for (const f of FORMATS) {
        const file = join(out, `lock.${f}`);
        const r = await withTimeout(
          runCli([
            ...scanArgs(AUDITOR),
            '--format',
            f,
            '--output',
            file,
            '--lock-timeout',
            '1s',
            '--fail-on',
            'critical',
          ]),
          40_000,
          'audit under a held lock',
        );
        codes.push(r.code);
        texts[f] = readFileSync(file, 'utf8');
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
      }
      const json = JSON.parse(texts.json ?? '{}') as Report;
      expect(json.unreadable?.map((u) => [u.table, u.cause])).toContainEqual(['QRTZ_JOB_DETAILS', 'lock-timeout']);
      expect(codes).toEqual([4, 4, 4, 4, 4]);
      expect(JSON.parse(texts.sarif ?? '{}').runs[0].invocations[0].executionSuccessful).toBe(false);
      for (const f of ['table', 'junit', 'html']) expect(texts[f]).toMatch(/incomplete/i);
    } finally {
      await locker.query('UNLOCK TABLES');
      await locker.end();
    }
    expect(await noSessionLeft(AUDITOR)).toBe(0);
  });

  /** Waits until the audit streams blobs (a statement reading JOB_DATA), then runs `hit` on its connection id. */
  async function whenStreaming(hit: (id: number) => Promise<void>): Promise<boolean> {
    for (let i = 0; i < 2000; i++) {
      const r = await rows<{ ID: number }>(
        // A JOB_DETAILS batch (the long stream; other tables follow on the same connection, so the kill
        // always lands before the audit's last statement — a late kill on the last table's batch raced).
        "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ? AND INFO LIKE '%JOB_CLASS_NAME%' AND INFO LIKE '%JOB_DATA%' AND ID <> CONNECTION_ID()",
        [AUDITOR],
      );
      if (r[0]) {
        await hit(Number(r[0].ID));
        return true;
      }
      await new Promise((res) => setTimeout(res, 5));
    }
    return false;
  }
  const bulkArgs = () => ['scan', s.url('bulk', AUDITOR), '--service-account', `'${APP}'@'%'`, '--fail-on', 'critical'];

  it('part 4: the connection killed mid-stream (KILL): a partial report marked incomplete in every format, exit 4, no session left', async () => {
    await admin.query(`GRANT SELECT ON bulk.* TO '${AUDITOR}'@'%'`);
    const texts: Record<string, string> = {};
    const codes: number[] = [];
    for (const f of FORMATS) {
      const file = join(out, `killed.${f}`);
      const running = runCli([...bulkArgs(), '--format', f, '--output', file]);
      const hit = await whenStreaming(async (id) => {
        await admin.query(`KILL ${id}`);
      });
      const r = await withTimeout(running, 30_000, 'audit whose connection was killed');
      expect(hit, `never saw the blob stream: exit ${r.code} ${r.stderr}`).toBe(true);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      codes.push(r.code);
      texts[f] = existsSync(file) ? readFileSync(file, 'utf8') : '';
    }
    expect(codes).toEqual([4, 4, 4, 4, 4]);
    const json = JSON.parse(texts.json ?? '{}') as Report;
    expect(json.summary.incomplete).toBe(true);
    expect(json.unreadable?.map((u) => [u.what, u.cause])).toContainEqual(['blobs.stream', 'other']);
    expect(JSON.parse(texts.sarif ?? '{}').runs[0].invocations[0].executionSuccessful).toBe(false);
    for (const f of ['table', 'junit', 'html']) expect(texts[f]).toMatch(/incomplete/i);
    expect(await noSessionLeft(AUDITOR)).toBe(0);
  });

  it('part 4: the server stopped mid-stream: a partial report marked incomplete, exit 4, no hang (last: stops the server)', async () => {
    const file = join(out, 'stopped.json');
    const running = runCli([...bulkArgs(), '--format', 'json', '--output', file]);
    const hit = await whenStreaming(async () => {
      await admin.end().catch(() => {});
      await s.stop();
    });
    const r = await withTimeout(running, 40_000, 'audit whose server stopped');
    expect(hit).toBe(true);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.code).toBe(4);
    const json = JSON.parse(readFileSync(file, 'utf8')) as Report;
    expect(json.unreadable?.map((u) => [u.what, u.cause])).toContainEqual(['blobs.stream', 'other']);
    expect(unhandled).toEqual([]);
  });
});

/**
 * What the minimal login cannot evaluate, exactly: QA-E01 per table (tablespace encryption state needs
 * PROCESS) and QA-T01 (information_schema.TRIGGERS hides triggers without TRIGGER).
 */
const EXPECTED_NOT_EVALUATED: string[] = [
  ...QUARTZ_TABLES.map((t) => `QA-E01 ${DB}.${tableName('mysql', t)}`).sort(),
  `QA-T01 ${DB}`,
];
