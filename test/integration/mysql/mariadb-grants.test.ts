/**
 * Grant scenarios on the shared MariaDB service (127.0.0.1:3306, root): each run creates its own databases,
 * accounts and roles with a unique suffix and drops them afterwards. Skips loudly when the service is not
 * reachable, unless QRTZ_REQUIRE_DB names mysql/mariadb.
 */
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMysqlAdapter } from '../../../src/dialects/mysql/index.js';
import { UserError } from '../../../src/errors.js';
import { dbRequired, sharedMariadb } from '../../support/mariadb-server.js';
import { about, byCheck, connectOptions, createQuartzDb, type ScanOutput, scan, uniq } from './helpers.js';

const shared = await sharedMariadb();
if (!shared.ok) {
  if (dbRequired()) throw new Error(`QRTZ_REQUIRE_DB is set but ${shared.reason}`);
  console.warn(`[skip] mariadb-grants: ${shared.reason}`);
}
const HOST = process.env.QRTZ_MYSQL_HOST ?? '127.0.0.1';
const PORT = Number(process.env.QRTZ_MYSQL_PORT ?? 3306);
const url = (db: string, user = 'root', pw = '') =>
  `mysql://${encodeURIComponent(user)}${pw ? `:${encodeURIComponent(pw)}` : ''}@${HOST}:${PORT}/${db}`;

describe.skipIf(!shared.ok)('MariaDB grant scenarios (shared service)', () => {
  const id = uniq();
  const clean = `qa_${id}_clean`;
  const bad = `qa_${id}_bad`;
  const pub = `qa_${id}_pub`;
  const acct = {
    svc: `'qa_${id}_svc'@'10.1.2.%'`,
    self: `'qa_${id}_self'@'%'`,
    admin: `'qa_${id}_adm'@'%'`,
    dev: `'qa_${id}_dev'@'%'`,
    writer: `'qa_${id}_app2'@'%'`,
    anon: `''@'10.99.${Number.parseInt(id.slice(0, 2), 16)}.%'`,
    aud: `'qa_${id}_aud'@'%'`,
  };
  const role = `qa_${id}_rw`;
  const pw = `Pw-${id}-x`;
  let root: mysql.Connection;
  let cleanScan: ScanOutput;
  let badScan: ScanOutput;

  beforeAll(async () => {
    root = await mysql.createConnection({ host: HOST, port: PORT, user: 'root' });
    await createQuartzDb(root, clean);
    await createQuartzDb(root, bad);
    const q = (s: string) => root.query(s);
    // Least-privileged service account: DML on each QRTZ table, application subnet only, TLS required.
    await q(`CREATE USER ${acct.svc} IDENTIFIED BY '${pw}' REQUIRE SSL`);
    for (const t of ['JOB_DETAILS', 'TRIGGERS', 'SIMPLE_TRIGGERS', 'CRON_TRIGGERS', 'SIMPROP_TRIGGERS']) {
      await q(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${clean}.QRTZ_${t} TO ${acct.svc}`);
    }
    for (const t of [
      'BLOB_TRIGGERS',
      'CALENDARS',
      'PAUSED_TRIGGER_GRPS',
      'FIRED_TRIGGERS',
      'SCHEDULER_STATE',
      'LOCKS',
    ]) {
      await q(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${clean}.QRTZ_${t} TO ${acct.svc}`);
    }
    // A service account that audits itself (no access to the grant tables).
    await q(`CREATE USER ${acct.self} IDENTIFIED BY '${pw}'`);
    await q(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${clean}.* TO ${acct.self}`);
    // A low-privileged auditor login that sees only its own grants.
    await q(`CREATE USER ${acct.aud} IDENTIFIED BY '${pw}'`);
    await q(`GRANT SELECT ON ${clean}.QRTZ_LOCKS TO ${acct.aud}`);

    // Bad database: over-privileged service account, DDL for a developer, anonymous account, writer via role, trigger.
    await q(`CREATE USER ${acct.admin} IDENTIFIED BY '${pw}'`);
    await q(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${bad}.* TO ${acct.admin}`);
    await q(`GRANT FILE, PROCESS, SUPER, CREATE USER ON *.* TO ${acct.admin}`);
    await q(`CREATE USER ${acct.dev} IDENTIFIED BY '${pw}'`);
    await q(`GRANT ALTER, DROP, TRIGGER ON ${bad}.* TO ${acct.dev}`);
    await q(`CREATE USER ${acct.anon}`);
    await q(`GRANT SELECT ON ${bad}.* TO ${acct.anon}`);
    await q(`CREATE ROLE ${role}`);
    await q(`GRANT INSERT, UPDATE ON ${bad}.QRTZ_JOB_DETAILS TO ${role}`);
    await q(`CREATE USER ${acct.writer} IDENTIFIED BY '${pw}'`);
    await q(`GRANT ${role} TO ${acct.writer}`);
    await q(`SET DEFAULT ROLE ${role} FOR ${acct.writer}`);
    await q(
      `CREATE TRIGGER ${bad}.qa_tamper BEFORE INSERT ON ${bad}.QRTZ_JOB_DETAILS FOR EACH ROW SET NEW.DESCRIPTION = 'x'`,
    );
    // One job with a JobDataMap, one trigger without.
    await q(
      `INSERT INTO ${clean}.QRTZ_JOB_DETAILS VALUES ('S1','nightly','backup','d','Acme.BackupJob',1,0,0,0, REPEAT(x'AB', 300))`,
    );
    await q(
      `INSERT INTO ${clean}.QRTZ_TRIGGERS (SCHED_NAME,TRIGGER_NAME,TRIGGER_GROUP,JOB_NAME,JOB_GROUP,TRIGGER_STATE,TRIGGER_TYPE,START_TIME) VALUES ('S1','t1','g','nightly','backup','WAITING','SIMPLE',0)`,
    );
    // The self-auditing account and the auditor login are expected principals of the clean database.
    await createQuartzDb(root, pub);
    cleanScan = await scan(url(clean), {
      serviceAccount: acct.svc,
      allowPrincipals: [`qa_${id}_self`, `qa_${id}_aud`],
    });
    badScan = await scan(url(bad), { serviceAccount: acct.admin });
  });

  afterAll(async () => {
    if (!root) return;
    for (const a of Object.values(acct)) await root.query(`DROP USER IF EXISTS ${a}`).catch(() => {});
    await root.query(`DROP ROLE IF EXISTS ${role}`).catch(() => {});
    await root.query(`DROP DATABASE IF EXISTS ${clean}`).catch(() => {});
    await root.query(`DROP DATABASE IF EXISTS ${bad}`).catch(() => {});
    await root.query(`REVOKE SELECT ON ${pub}.QRTZ_JOB_DETAILS FROM PUBLIC`).catch(() => {});
    await root.query(`DROP DATABASE IF EXISTS ${pub}`).catch(() => {});
    await root.end();
  });

  it('detects MariaDB and finds all eleven tables of the official schema', () => {
    expect(cleanScan.facts.dialect).toBe('mariadb');
    expect(cleanScan.facts.tables).toHaveLength(11);
    expect(cleanScan.facts.missingTables).toEqual([]);
    expect(cleanScan.facts.serviceAccount).toBe(acct.svc);
    expect(cleanScan.facts.connectedAs).toMatch(/^'root'@/);
  });

  it('least-privileged service account: no grant check fails about it', () => {
    const mine = about(cleanScan.findings, acct.svc);
    expect(mine.filter((f) => f.status === 'fail')).toEqual([]);
    for (const id of ['QA-G01', 'QA-G02', 'QA-G07', 'QA-G08', 'QA-G10']) {
      expect(byCheck(mine, id, 'pass'), id).toHaveLength(1);
    }
    const svcEff = cleanScan.facts.effective.filter((e) => e.principal === acct.svc);
    expect(svcEff).toHaveLength(44); // 11 tables × SELECT/INSERT/UPDATE/DELETE, direct table grants
    expect(svcEff.every((e) => e.via.length === 0)).toBe(true);
    // No other principal than administrators and the auditing login reaches the clean tables.
    expect(byCheck(cleanScan.findings, 'QA-G05', 'fail')).toEqual([]);
    expect(byCheck(cleanScan.findings, 'QA-T01', 'pass')).toHaveLength(1);
  });

  it('QA-G01/G02: SUPER and CREATE USER are critical/high, FILE and PROCESS high', () => {
    const g01 = byCheck(about(badScan.findings, acct.admin), 'QA-G01', 'fail');
    expect(g01.map((f) => f.severity).sort()).toEqual(['critical', 'high']);
    expect(g01.find((f) => f.severity === 'critical')?.evidence?.privileges).toBe('SUPER');
    expect(g01.find((f) => f.severity === 'high')?.evidence?.privileges).toBe('CREATE USER');
    const g02 = byCheck(about(badScan.findings, acct.admin), 'QA-G02', 'fail');
    expect(g02.map((f) => `${f.evidence?.privilege}:${f.severity}`).sort()).toEqual(['FILE:high', 'PROCESS:high']);
    expect(badScan.facts.principals.find((p) => p.name === acct.admin)?.attributes).toContain('superuser');
  });

  it('QA-G11: schema-level ALTER/DROP/TRIGGER count for the QRTZ tables', () => {
    const [f] = byCheck(about(badScan.findings, acct.dev), 'QA-G11', 'fail');
    expect(f?.severity).toBe('high');
    expect(f?.evidence?.privileges).toBe('ALTER,DROP,TRIGGER');
    expect(String(f?.evidence?.via)).toContain('(schema)');
  });

  it('QA-G12: an anonymous account that can read the QRTZ tables', () => {
    const [f] = byCheck(about(badScan.findings, acct.anon), 'QA-G12', 'fail');
    expect(f?.severity).toBe('high');
    expect(f?.evidence?.privileges).toBe('SELECT');
    expect(badScan.facts.principals.find((p) => p.name === acct.anon)?.attributes).toEqual(
      expect.arrayContaining(['anonymous', 'empty-password']),
    );
  });

  it('QA-G05: an unexpected writer through a default role, and the anonymous reader', () => {
    const writer = byCheck(about(badScan.findings, acct.writer), 'QA-G05', 'fail');
    expect(writer).toHaveLength(1);
    expect(writer[0]?.severity).toBe('high');
    expect(writer[0]?.evidence?.privileges).toBe('INSERT,UPDATE');
    expect(String(writer[0]?.evidence?.via)).toBe(role);
    expect(badScan.facts.memberships).toContainEqual({ member: acct.writer, role, admin: false, inherit: true });
    const anon = byCheck(about(badScan.findings, acct.anon), 'QA-G05', 'fail');
    expect(anon.map((f) => f.severity)).toEqual(['medium']);
  });

  it('QA-G05: a grant to PUBLIC is a reader for everyone (MariaDB 10.11 PUBLIC)', async () => {
    // Granted only for this test (it reaches every account on the server, so other scans would see it).
    await root.query(`GRANT SELECT ON ${pub}.QRTZ_JOB_DETAILS TO PUBLIC`);
    let r: ScanOutput;
    try {
      r = await scan(url(pub), { serviceAccount: acct.svc });
    } finally {
      await root.query(`REVOKE SELECT ON ${pub}.QRTZ_JOB_DETAILS FROM PUBLIC`);
    }
    const f = byCheck(about(r.findings, 'PUBLIC'), 'QA-G05', 'fail');
    expect(f.map((x) => `${x.severity}:${x.evidence?.privileges}:${x.evidence?.tables}`)).toEqual(['medium:SELECT:1']);
    expect(r.facts.effective.filter((e) => e.principal === acct.svc).map((e) => e.via)).toEqual([['PUBLIC']]);
  });

  it('QA-T01: a trigger on a QRTZ table is reported', () => {
    const t01 = byCheck(badScan.findings, 'QA-T01', 'fail');
    expect(t01).toHaveLength(1);
    expect(t01[0]?.evidence?.name).toBe('qa_tamper');
    expect(t01[0]?.object.table).toBe('QRTZ_JOB_DETAILS');
  });

  it('--allow-principal removes an expected writer from QA-G05', async () => {
    const again = await scan(url(bad), { serviceAccount: acct.admin, allowPrincipals: [`qa_${id}_app2`] });
    expect(byCheck(about(again.findings, acct.writer), 'QA-G05', 'fail')).toEqual([]);
  });

  it('low-privileged auditor: checks it cannot evaluate say so, with the privilege', async () => {
    const r = await scan(url(clean, `qa_${id}_aud`, pw), { serviceAccount: acct.svc });
    expect(r.facts.unreadable.map((u) => u.what)).toEqual(
      expect.arrayContaining(['mysql.global_priv', 'grants.others', 'effective-privileges', 'tamper', 'tablespaces']),
    );
    for (const id of ['QA-G01', 'QA-G02', 'QA-G12', 'QA-G05', 'QA-G07', 'QA-G08', 'QA-G10', 'QA-T01']) {
      const fs = byCheck(r.findings, id);
      expect(fs.length, id).toBeGreaterThan(0);
      expect(
        fs.every((f) => f.status === 'not-evaluated'),
        `${id}: ${fs.map((f) => f.status)}`,
      ).toBe(true);
      expect(String(fs[0]?.evidence?.needs), id).toMatch(/SELECT on the mysql grant tables|TRIGGER on/);
    }
    // Encryption state of the tables needs PROCESS.
    const e01 = byCheck(r.findings, 'QA-E01').filter((f) => f.object.kind === 'table');
    expect(e01.every((f) => f.status === 'not-evaluated' && f.evidence?.needs === 'PROCESS')).toBe(true);
  });

  it('self-audit without the grant tables: own grants via SHOW GRANTS', async () => {
    const r = await scan(url(clean, `qa_${id}_self`, pw), {});
    expect(r.facts.serviceAccount).toBe(acct.self);
    expect(r.facts.grants.filter((g) => g.grantee === acct.self).map((g) => g.privilege)).toEqual([
      'SELECT',
      'INSERT',
      'UPDATE',
      'DELETE',
    ]);
    expect(byCheck(r.findings, 'QA-G01').map((f) => f.status)).toEqual(['pass']);
    expect(byCheck(r.findings, 'QA-G08').map((f) => f.status)).toEqual(['pass']);
    expect(byCheck(r.findings, 'QA-G07').map((f) => f.status)).toEqual(['pass']);
    expect(byCheck(r.findings, 'QA-G10', 'fail').map((f) => f.evidence?.requireSsl ?? f.evidence?.host)).toEqual([
      '%',
      false,
    ]);
    expect(byCheck(r.findings, 'QA-G05').map((f) => f.status)).toEqual(['not-evaluated']);
    expect(byCheck(r.findings, 'QA-G12').map((f) => f.status)).toEqual(['not-evaluated']);
  });

  it('streams blob rows with the byte bound and the real size; reads scheduler state and schema columns', async () => {
    const r = await scan(url(clean), { maxBlobSize: 16 }, true);
    expect(r.facts.unreadable.filter((u) => /scheduler|schema-columns/.test(u.what))).toEqual([]);
    expect(r.facts.scheduler?.triggerStates).toBeDefined();
    expect(r.facts.quartzSchemaColumns).toHaveLength(80); // every column of the official MySQL schema
    const job = r.blobs.find((b) => b.table === 'JOB_DETAILS');
    expect(job?.key).toEqual({ sched: 'S1', group: 'backup', name: 'nightly' });
    expect(job?.size).toBe(300);
    expect(job?.bytes).toEqual(Buffer.alloc(16, 0xab));
    expect(job?.jobClassName).toBe('Acme.BackupJob');
    const trig = r.blobs.find((b) => b.table === 'TRIGGERS');
    expect(trig).toMatchObject({ column: 'JOB_DATA', bytes: null, size: 0, description: null });
  });

  it('a wrong password is an auth UserError that does not echo the password', async () => {
    const err = await scan(url(clean, `qa_${id}_self`, 'Wrong-Pw-77')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).kind).toBe('auth');
    expect((err as Error).message).not.toContain('Wrong-Pw-77');
  });

  it('hostile identifiers: a database name with a backtick and quotes is quoted, never spliced', async () => {
    const weird = `qa_${id}_we\`ir'd"`;
    const q = `\`${weird.replace(/`/g, '``')}\``;
    await root.query(`CREATE DATABASE ${q}`);
    try {
      await root.query(`USE ${q}`);
      await root.query(
        'CREATE TABLE QRTZ_CALENDARS (SCHED_NAME VARCHAR(120) NOT NULL, CALENDAR_NAME VARCHAR(200) NOT NULL, CALENDAR BLOB NOT NULL, PRIMARY KEY (SCHED_NAME, CALENDAR_NAME)) ENGINE=InnoDB',
      );
      await root.query("INSERT INTO QRTZ_CALENDARS VALUES ('S', 'c`1', x'0102')");
      const r = await scan(url(encodeURIComponent(weird)), {}, true);
      expect(r.facts.tables.map((t) => `${t.schema}|${t.name}`)).toEqual([`${weird}|QRTZ_CALENDARS`]);
      expect(r.facts.missingTables).toHaveLength(10);
      expect(r.blobs.map((b) => [b.key.name, b.bytes?.toString('hex')])).toEqual([['c`1', '0102']]);
    } finally {
      await root.query(`DROP DATABASE IF EXISTS ${q}`);
      await root.query('USE mysql');
    }
  });

  it('no tables: a UserError naming the Quartz-looking tables it did find', async () => {
    await expect(scan(url(clean), { tablePrefix: 'NOPE_' })).rejects.toThrow(UserError);
    await expect(scan(url(clean), { tablePrefix: 'NOPE_' })).rejects.toThrow(new RegExp(`${clean}\\.QRTZ_`));
  });

  it('the adapter session is read-only: a write on it fails, inside and outside its transaction', async () => {
    const adapter = createMysqlAdapter(connectOptions(url(clean)));
    await adapter.connect();
    try {
      // Reach the adapter's own connection: the guard under test is its session setup, not a copy of it.
      const runOn = (adapter as unknown as { run(sql: string): Promise<unknown> }).run.bind(adapter);
      await expect(runOn(`DELETE FROM ${clean}.QRTZ_LOCKS`)).rejects.toThrow(/read only|READ ONLY/i);
      // Timeouts from the options: statement 30 s, lock 2 s (rounded up to whole seconds).
      const [vars] = (await runOn(
        'SELECT @@session.max_statement_time AS st, @@session.lock_wait_timeout AS lw, @@session.innodb_lock_wait_timeout AS ilw',
      )) as { st: string; lw: string; ilw: string }[];
      expect([Number(vars?.st), Number(vars?.lw), Number(vars?.ilw)]).toEqual([30, 2, 2]);
      await adapter.collectFacts(); // opens START TRANSACTION READ ONLY
      await expect(runOn(`INSERT INTO ${clean}.QRTZ_LOCKS VALUES ('S', 'X')`)).rejects.toThrow(/read only|READ ONLY/i);
    } finally {
      await adapter.close();
    }
    const [rows] = await root.query(`SELECT COUNT(*) AS n FROM ${clean}.QRTZ_LOCKS`);
    expect((rows as { n: number }[])[0]?.n).toBe(0);
  });
});
