/**
 * Reliability on a real SQL Server 2022 (issue #17 parts 1, 4 and 6, mirroring the PostgreSQL and MariaDB
 * suites as far as they apply) through testcontainers, wherever a container engine answers; it skips loudly
 * without one, and fails under QRTZ_REQUIRE_DB=mssql. NOTE: no container engine runs where this suite was
 * written, so it has never run; the fixture-server suite (test/reliability/mssql.test.ts) runs everywhere.
 *  1. read-only: full audits in every format as a least-privileged auditor login leave every Quartz table's
 *     row count and CHECKSUM_AGG(BINARY_CHECKSUM(*)) and its sys.dm_db_index_usage_stats user_updates unchanged;
 *     the transaction log holds no transaction begun by the auditor's login after the audit started (LSN delta
 *     of the audit session only: checkpoints and other background work move the log end, so its end LSN is
 *     reported, not asserted); an Extended Events session records every batch and RPC from that login, and
 *     each one is documented SETs (the adapter's, the driver's session options) and SELECT statements only;
 *  4. the session killed (KILL) mid-stream: a partial report marked incomplete in every format, no hang, no
 *     session left;
 *  6. the auditor's password never appears in any output.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sql from 'mssql';
import { GenericContainer, getContainerRuntimeClient, type StartedTestContainer, Wait } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report.js';
import { runCli } from '../support/cli.js';
import { QUARTZ_TABLES, REL_SECRETS, type Row, secretRows } from '../support/rel-store.js';
import { untilNoSession } from '../support/sessions.js';
import { readOnlyViolation } from '../support/tsql-readonly.js';

const runtime = await getContainerRuntimeClient().then(
  () => undefined,
  (err: Error) => `no container engine: ${err.message}`,
);
if (runtime) {
  if (/mssql|sqlserver/i.test(process.env.QRTZ_REQUIRE_DB ?? ''))
    throw new Error(`QRTZ_REQUIRE_DB=mssql but ${runtime}`);
  console.warn(`SKIPPED (reliability on SQL Server, testcontainers): ${runtime}`);
}

const SA_PW = 'Sa-Rel-2022!x';
const AUDITOR = 'rel_auditor';
const AUDITOR_PW = `Aud-${'Rk7q'.repeat(3)}!`;
const FORMATS = ['table', 'json', 'sarif', 'junit', 'html', 'markdown'] as const;
const schemaSql = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mssql', 'tables_sqlServer.sql'), 'utf8');
const batches = (script: string) =>
  script
    .split(/^\s*GO\s*$/im)
    .map((b) => b.replace(/^--.*$/gm, '').trim())
    .filter(Boolean);

/** The session options tedious sends after login (its initial SQL): SETs of options, never implicit transactions. */
const DRIVER_SET =
  /^set (textsize -?\d+|quoted_identifier on|arithabort (on|off)|numeric_roundabort off|ansi_warnings on|ansi_padding on|ansi_nulls on|ansi_null_dflt_on on|concat_null_yields_null on|cursor_close_on_commit off|implicit_transactions off|xact_abort (on|off)|language [\w ]+|datefirst \d|dateformat \w+|transaction isolation level read committed)$/i;
function driverSetsOnly(batch: string): boolean {
  const lines = batch
    .split(/[\n;]/)
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.length > 0 && lines.every((l) => DRIVER_SET.test(l));
}
/** The statement an RPC ran: sp_executesql's first N'…' argument, unescaped; a plain batch as it is. */
function statementOf(text: string): string {
  const m = /^\s*exec(?:ute)?\s+sp_executesql\s+N'((?:[^']|'')*)'/i.exec(text);
  return m ? (m[1] as string).replaceAll("''", "'") : text;
}

describe.skipIf(Boolean(runtime))('reliability on SQL Server 2022 (testcontainers)', () => {
  let container: StartedTestContainer;
  let admin: sql.ConnectionPool;
  let out = '';
  const url = (db: string) =>
    `mssql://${AUDITOR}:${encodeURIComponent(AUDITOR_PW)}@${container.getHost()}:${container.getMappedPort(1433)}/${db}?trustServerCertificate=true`;
  const q = async <T = Record<string, unknown>>(text: string): Promise<T[]> =>
    ((await admin.request().query(text)).recordset ?? []) as T[];

  async function evidence(db: string) {
    const tables: Record<string, string> = {};
    for (const t of QUARTZ_TABLES) {
      const [r] = await q<{ n: number; c: number | null }>(
        `SELECT COUNT_BIG(*) AS n, CHECKSUM_AGG(BINARY_CHECKSUM(*)) AS c FROM [${db}].dbo.[QRTZ_${t}]`,
      );
      tables[t] = `${r?.n}:${r?.c}`;
    }
    const updates = await q<{ name: string; u: number }>(
      `SELECT o.name, SUM(s.user_updates) AS u FROM sys.dm_db_index_usage_stats AS s
       JOIN [${db}].sys.objects AS o ON o.object_id = s.object_id
       WHERE s.database_id = DB_ID('${db}') GROUP BY o.name`,
    );
    return { tables, updates: Object.fromEntries(updates.map((r) => [r.name, String(r.u)])) };
  }
  async function logEnd(db: string): Promise<string> {
    const [r] = await q<{ lsn: string }>(`SELECT log_end_lsn AS lsn FROM sys.dm_db_log_stats(DB_ID('${db}'))`);
    return String(r?.lsn);
  }
  /** Transactions the auditor's login began in `db`'s log after `afterLsn` (fn_dblog LOP_BEGIN_XACT). */
  async function auditorTransactions(db: string, afterLsn: string): Promise<string[]> {
    const rows = await q<{ lsn: string; name: string }>(
      `USE [${db}]; SELECT [Current LSN] AS lsn, [Transaction Name] AS name FROM fn_dblog(NULL, NULL)
       WHERE Operation = 'LOP_BEGIN_XACT' AND [Transaction SID] = SUSER_SID('${AUDITOR}')`,
    );
    // fn_dblog LSNs are fixed-width hex (00000025:00000100:0001); log_end_lsn is numeric: compare as fn_dblog's
    return rows.filter((r) => r.lsn > afterLsn).map((r) => `${r.lsn} ${r.name}`);
  }
  async function currentLogLsn(db: string): Promise<string> {
    const [r] = await q<{ lsn: string }>(`USE [${db}]; SELECT MAX([Current LSN]) AS lsn FROM fn_dblog(NULL, NULL)`);
    return String(r?.lsn);
  }
  const auditorSessions = async () =>
    Number(
      (await q<{ n: number }>(`SELECT COUNT(*) AS n FROM sys.dm_exec_sessions WHERE login_name = '${AUDITOR}'`))[0]?.n,
    );

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'qrtz-rel-mssql-c-'));
    container = await new GenericContainer('mcr.microsoft.com/mssql/server:2022-latest')
      .withEnvironment({ ACCEPT_EULA: 'Y', MSSQL_SA_PASSWORD: SA_PW, MSSQL_PID: 'Developer' })
      .withExposedPorts(1433)
      .withWaitStrategy(Wait.forLogMessage(/SQL Server is now ready for client connections/))
      .withStartupTimeout(240_000)
      .start();
    admin = await new sql.ConnectionPool({
      server: container.getHost(),
      port: container.getMappedPort(1433),
      user: 'sa',
      password: SA_PW,
      options: { encrypt: true, trustServerCertificate: true },
      pool: { max: 1 },
    }).connect();
    const run = async (text: string) => {
      await admin.request().batch(text);
    };
    for (const db of ['quartz', 'bulk']) {
      await run(`CREATE DATABASE ${db}`);
      await run(`ALTER DATABASE ${db} SET ALLOW_SNAPSHOT_ISOLATION ON`);
      for (const b of batches(schemaSql)) await run(`USE ${db};\n${b}`);
    }
    // the auditor: reads and catalog views only
    await run(`CREATE LOGIN ${AUDITOR} WITH PASSWORD = '${AUDITOR_PW}', CHECK_POLICY = OFF;
      GRANT VIEW SERVER STATE TO ${AUDITOR}; GRANT VIEW ANY DEFINITION TO ${AUDITOR};`);
    for (const db of ['quartz', 'bulk'])
      await run(`USE ${db}; CREATE USER ${AUDITOR} FOR LOGIN ${AUDITOR};
        ALTER ROLE db_datareader ADD MEMBER ${AUDITOR}; GRANT VIEW DATABASE STATE TO ${AUDITOR};
        GRANT VIEW DEFINITION TO ${AUDITOR};`);
    // the reliability store, parameterized
    for (const r of secretRows(20) as Row[]) {
      const req = admin.request();
      const cols = Object.keys(r.values);
      cols.forEach((c, i) => {
        const v = r.values[c];
        if (Buffer.isBuffer(v)) req.input(`p${i}`, sql.VarBinary(sql.MAX), v);
        else req.input(`p${i}`, typeof v === 'boolean' ? Number(v) : v);
      });
      await req.query(
        `USE quartz; INSERT INTO dbo.QRTZ_${r.table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `@p${i}`).join(', ')})`,
      );
    }
    // a bulk store long enough that a scan is still streaming when its session is killed
    await run(`USE bulk; WITH n AS (SELECT TOP (40000) ROW_NUMBER() OVER (ORDER BY (SELECT NULL)) AS i
        FROM sys.all_objects a CROSS JOIN sys.all_objects b)
      INSERT INTO dbo.QRTZ_JOB_DETAILS SELECT 'S', CONCAT('j', i), 'g', NULL, 'X.Y, Z', 1, 0, 0, 0,
        CAST(REPLICATE(CAST(CONVERT(varchar(32), HASHBYTES('MD5', CONCAT('x', i)), 2) AS varchar(max)), 60) AS varbinary(max))
      FROM n;`);
    // every batch and RPC of the auditor's login, in memory
    await run(`CREATE EVENT SESSION rel_audit ON SERVER
      ADD EVENT sqlserver.sql_batch_completed (ACTION (sqlserver.session_id) WHERE sqlserver.server_principal_name = N'${AUDITOR}'),
      ADD EVENT sqlserver.rpc_completed (ACTION (sqlserver.session_id) WHERE sqlserver.server_principal_name = N'${AUDITOR}')
      ADD TARGET package0.ring_buffer (SET max_memory = 65536);
      ALTER EVENT SESSION rel_audit ON SERVER STATE = START;`);
  }, 600_000);

  afterAll(async () => {
    await admin?.close().catch(() => {});
    await container?.stop();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  async function recordedStatements(): Promise<string[]> {
    const [r] = await q<{ x: string }>(
      `SELECT CAST(t.target_data AS nvarchar(max)) AS x FROM sys.dm_xe_session_targets AS t
       JOIN sys.dm_xe_sessions AS s ON s.address = t.event_session_address WHERE s.name = 'rel_audit'`,
    );
    const xml = String(r?.x ?? '');
    const unxml = (s: string) =>
      s
        .replaceAll('&lt;', '<')
        .replaceAll('&gt;', '>')
        .replaceAll('&quot;', '"')
        .replaceAll('&apos;', "'")
        .replaceAll('&#x0D;', '\r')
        .replaceAll('&#x0A;', '\n')
        .replaceAll('&amp;', '&');
    return [
      ...xml.matchAll(/<data name="(?:batch_text|statement)">\s*<type[^>]*\/>\s*<value>([\s\S]*?)<\/value>/g),
    ].map((m) => unxml(m[1] as string));
  }

  it('part 1: full audits in every format write nothing (rows, checksums, index updates, auditor log records) and run only reads', async () => {
    const before = await evidence('quartz');
    const lsn = await currentLogLsn('quartz');
    const endBefore = await logEnd('quartz');
    const codes: number[] = [];
    const texts: string[] = [];
    for (const f of FORMATS) {
      const file = join(out, `r.${f}`);
      const r = await runCli(['scan', url('quartz'), '--format', f, '--output', file]);
      codes.push(r.code);
      texts.push(r.stdout, r.stderr, readFileSync(file, 'utf8'));
    }
    expect(codes).toEqual(FORMATS.map(() => 1));
    expect(await evidence('quartz')).toEqual(before);
    expect(await auditorTransactions('quartz', lsn)).toEqual([]);
    const statements = await recordedStatements();
    expect(statements.length).toBeGreaterThan(20 * FORMATS.length);
    const bad = statements
      .filter((s) => !driverSetsOnly(s))
      .map((s) => [readOnlyViolation(statementOf(s)), s.slice(0, 200)])
      .filter(([why]) => why);
    expect(bad).toEqual([]);
    for (const t of texts)
      for (const s of [AUDITOR_PW, ...Object.values(REL_SECRETS)]) expect(t.includes(s)).toBe(false);
    console.info(
      `[rel mssql] ${FORMATS.length} audits: ${statements.length} batches/RPCs recorded, all reads; log end ${endBefore} → ${await logEnd('quartz')} (background), no auditor transaction`,
    );
    expect(await untilNoSession(auditorSessions)).toBe(0);
  }, 600_000);

  it('part 1: the statement check itself rejects writes (it can fail)', () => {
    expect(
      readOnlyViolation(statementOf("exec sp_executesql N'UPDATE dbo.QRTZ_LOCKS SET LOCK_NAME = ''x'''")),
    ).not.toBe('');
    expect(driverSetsOnly('set implicit_transactions on')).toBe(false);
    expect(driverSetsOnly('set textsize 2147483647\nset xact_abort on')).toBe(true);
  });

  it('part 4: the session killed mid-stream (KILL): a partial report marked incomplete in every format, no hang, no session left', async () => {
    const texts: Record<string, string> = {};
    const codes: number[] = [];
    for (const f of ['json', 'table', 'sarif', 'junit', 'html'] as const) {
      const file = join(out, `killed.${f}`);
      const running = runCli(['scan', url('bulk'), '--format', f, '--output', file, '--fail-on', 'critical']);
      let killed = false;
      for (let i = 0; i < 2000 && !killed; i++) {
        const [r] = await q<{ sid: number }>(
          `SELECT TOP (1) r.session_id AS sid FROM sys.dm_exec_requests AS r
           JOIN sys.dm_exec_sessions AS s ON s.session_id = r.session_id
           CROSS APPLY sys.dm_exec_sql_text(r.sql_handle) AS t
           WHERE s.login_name = '${AUDITOR}' AND t.text LIKE '%JOB_DATA%'`,
        );
        if (r) {
          await admin.request().batch(`KILL ${Number(r.sid)}`);
          killed = true;
        } else await new Promise((res) => setTimeout(res, 5));
      }
      const r = await Promise.race([
        running,
        new Promise<never>((_, rej) => setTimeout(() => rej(new Error('audit hung after KILL')), 60_000)),
      ]);
      expect(killed, `never saw the blob stream: exit ${r.code} ${r.stderr}`).toBe(true);
      expect(r.stderr.trim().split('\n')).toHaveLength(2); // the URL-password warning, the summary
      expect(r.stderr).not.toContain(AUDITOR_PW);
      codes.push(r.code);
      texts[f] = readFileSync(file, 'utf8');
    }
    const json = JSON.parse(texts.json ?? '{}') as Report;
    expect(json.summary.incomplete).toBe(true);
    expect(JSON.stringify(json.unreadable)).toMatch(/connection lost mid-scan/);
    const criticalFails = json.findings.some((x) => x.status === 'fail' && x.severity === 'critical');
    expect(codes).toEqual(codes.map(() => (criticalFails ? 1 : 4)));
    for (const f of ['table', 'junit', 'html']) expect(texts[f]).toMatch(/incomplete/i);
    expect(await untilNoSession(auditorSessions)).toBe(0);
  }, 600_000);
});
