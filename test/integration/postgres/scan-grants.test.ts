/**
 * `qrtz-audit scan` against real PostgreSQL JobStores built from the Quartz.NET schema: a
 * least-privileged setup (no grant failures) and one with every over-grant the checks know.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../../src/report/report.js';
import { failing, parseReport, runCli } from '../../support/cli.js';
import { createQuartzDb, dropAll } from '../../support/pg-quartz.js';
import { acquirePostgres, adminSql, type PgServer } from '../../support/pg-server.js';

const got = await acquirePostgres();
const server = 'skip' in got ? undefined : (got as PgServer);
const P = `qa${process.pid}`; // unique role/database names per run
const ROLES = [
  `${P}_owner`,
  `${P}_app`,
  `${P}_auditor`,
  `${P}_svc`,
  `${P}_ops`,
  `${P}_writer`,
  `${P}_team`,
  `${P}_bob`,
  `${P}_reader`,
  `${P}_svc2`,
];
const DBS = [`${P}_least`, `${P}_over`, `${P}_owned`];

function url(user: string, db: string): string {
  return `postgres://${user}@127.0.0.1:${server?.port}/${db}?sslmode=disable`;
}

async function scan(
  user: string,
  db: string,
  extra: string[] = [],
): Promise<{ code: number; report: Report; stderr: string }> {
  const run = await runCli(['scan', url(user, db), '--schema', 'quartz', '--format', 'json', ...extra]);
  return { code: run.code, report: parseReport(run), stderr: run.stderr };
}

describe.skipIf(!server)('PostgreSQL grant scenarios', () => {
  const s = server as PgServer;
  beforeAll(async () => {
    await dropAll(s, DBS, ROLES);
    await adminSql(
      s,
      'postgres',
      `CREATE ROLE ${P}_app LOGIN; CREATE ROLE ${P}_auditor LOGIN; GRANT pg_read_all_settings TO ${P}_auditor;
       CREATE ROLE ${P}_svc LOGIN; CREATE ROLE ${P}_ops LOGIN; CREATE ROLE ${P}_writer NOLOGIN;
       CREATE ROLE ${P}_team NOLOGIN; CREATE ROLE ${P}_bob LOGIN; CREATE ROLE ${P}_reader LOGIN;
       CREATE ROLE ${P}_svc2 LOGIN;`,
    );
    // Least privilege: NOLOGIN owner, app with DML only, auditor with SELECT.
    await createQuartzDb(s, `${P}_least`, 'quartz', `${P}_owner`);
    await adminSql(
      s,
      `${P}_least`,
      `GRANT USAGE ON SCHEMA quartz TO ${P}_app, ${P}_auditor;
       GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA quartz TO ${P}_app;
       GRANT SELECT ON ALL TABLES IN SCHEMA quartz TO ${P}_auditor;
       ALTER ROLE ${P}_app IN DATABASE ${P}_least SET search_path = quartz;
       REVOKE ALL ON DATABASE ${P}_least FROM PUBLIC;
       GRANT CONNECT ON DATABASE ${P}_least TO ${P}_app, ${P}_auditor;`,
    );
    // Every over-grant at once.
    await createQuartzDb(s, `${P}_over`, 'quartz', `${P}_owner`);
    await adminSql(
      s,
      `${P}_over`,
      `GRANT USAGE ON SCHEMA quartz TO ${P}_svc, ${P}_auditor, ${P}_ops, ${P}_writer;
       GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA quartz TO ${P}_svc;
       GRANT SELECT ON ALL TABLES IN SCHEMA quartz TO ${P}_auditor;
       ALTER ROLE ${P}_svc SUPERUSER;
       GRANT pg_execute_server_program TO ${P}_svc;
       GRANT TRUNCATE, TRIGGER ON quartz.qrtz_triggers TO ${P}_ops;
       GRANT SELECT ON quartz.qrtz_job_details TO PUBLIC;
       GRANT INSERT, UPDATE ON quartz.qrtz_job_details TO ${P}_writer;
       GRANT ${P}_writer TO ${P}_team; GRANT ${P}_team TO ${P}_bob;
       ALTER DEFAULT PRIVILEGES FOR ROLE ${P}_owner IN SCHEMA quartz GRANT SELECT ON TABLES TO PUBLIC;
       CREATE FUNCTION quartz.touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
       CREATE TRIGGER rewrite_jobs BEFORE INSERT OR UPDATE ON quartz.qrtz_job_details FOR EACH ROW EXECUTE FUNCTION quartz.touch();`,
    );
    // The service account owns its tables (and nothing else is wrong).
    await createQuartzDb(s, `${P}_owned`, 'quartz', `${P}_svc2`);
    await adminSql(
      s,
      `${P}_owned`,
      `GRANT USAGE ON SCHEMA quartz TO ${P}_auditor; GRANT SELECT ON ALL TABLES IN SCHEMA quartz TO ${P}_auditor;`,
    );
  });
  afterAll(async () => {
    try {
      await dropAll(s, DBS, ROLES);
    } finally {
      await s.stop();
    }
  });

  it('least-privileged service account: no grant failures, exit 0 at --fail-on critical', async () => {
    const { code, report } = await scan(`${P}_auditor`, `${P}_least`, [
      '--service-account',
      `${P}_app`,
      '--only',
      'grants',
      '--fail-on',
      'critical',
    ]);
    expect(failing(report, 'QA-G')).toEqual([]);
    expect(failing(report, 'QA-T')).toEqual([]);
    expect(code).toBe(0);
    const passed = report.findings.filter((f) => f.status === 'pass').map((f) => f.check);
    for (const id of [
      'QA-G01',
      'QA-G02',
      'QA-G03',
      'QA-G04',
      'QA-G05',
      'QA-G06',
      'QA-G07',
      'QA-G08',
      'QA-G09',
      'QA-T01',
    ]) {
      expect(passed).toContain(id);
    }
    expect(report.target).toMatchObject({
      dialect: 'postgres',
      database: `${P}_least`,
      schema: 'quartz',
      user: `${P}_auditor`,
      serviceAccount: `${P}_app`,
    });
    expect(report.inventory.tables.present).toHaveLength(11);
  });

  it('without --service-account, a login holding no DML is not taken as the scheduler: the one app login is inferred', async () => {
    const { report } = await scan(`${P}_auditor`, `${P}_least`, ['--only', 'grants']);
    expect(report.target).toMatchObject({ user: `${P}_auditor`, serviceAccount: `${P}_app` });
    // The auditor's own pg_read_all_settings and missing DML are not findings, the app is not an unexpected writer.
    expect(failing(report, 'QA-G')).toEqual([]);
  });

  it('without --service-account and no single candidate: exit 2 asking for it; a name that does not exist: exit 2 with close matches', async () => {
    await adminSql(
      s,
      `${P}_least`,
      `GRANT USAGE ON SCHEMA quartz TO ${P}_svc2; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA quartz TO ${P}_svc2`,
    );
    try {
      const run = await runCli(['scan', url(`${P}_auditor`, `${P}_least`), '--schema', 'quartz', '--only', 'grants']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^qrtz-audit: .*--service-account.*candidates: .*_app.*_svc2/);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      await adminSql(
        s,
        `${P}_least`,
        `REVOKE ALL ON ALL TABLES IN SCHEMA quartz FROM ${P}_svc2; REVOKE USAGE ON SCHEMA quartz FROM ${P}_svc2`,
      );
    }
    const typo = await runCli([
      'scan',
      url(`${P}_auditor`, `${P}_least`),
      '--schema',
      'quartz',
      '--service-account',
      `${P}_ap`,
    ]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain(`close matches: "${P}_app"`);
  });

  it('the connected auditor that can write is flagged as an unexpected writer', async () => {
    await adminSql(s, `${P}_least`, `GRANT INSERT ON quartz.qrtz_locks TO ${P}_auditor`);
    try {
      const { report } = await scan(`${P}_auditor`, `${P}_least`, [
        '--service-account',
        `${P}_app`,
        '--only',
        'grants',
      ]);
      const g05 = report.findings.filter((f) => f.check === 'QA-G05' && f.status === 'fail');
      expect(g05).toHaveLength(1);
      expect(g05[0]?.object.principal).toBe(`${P}_auditor`);
      expect(g05[0]?.evidence?.privileges).toBe('INSERT');
    } finally {
      await adminSql(s, `${P}_least`, `REVOKE INSERT ON quartz.qrtz_locks FROM ${P}_auditor`);
    }
  });

  it('over-grants: each is reported under its id, and the scan exits 1', async () => {
    const { code, report } = await scan(`${P}_auditor`, `${P}_over`, [
      '--service-account',
      `${P}_svc`,
      '--only',
      'grants',
    ]);
    expect(code).toBe(1);
    const f = (check: string) => report.findings.filter((x) => x.check === check && x.status === 'fail');
    // G01: superuser service account
    expect(f('QA-G01').map((x) => [x.severity, x.evidence?.attribute])).toEqual([['critical', 'SUPERUSER']]);
    // G02: member of pg_execute_server_program
    expect(f('QA-G02').map((x) => x.evidence?.role)).toEqual(['pg_execute_server_program']);
    expect(f('QA-G02')[0]?.remediation).toBe(`REVOKE pg_execute_server_program FROM ${P}_svc;`);
    // G03: TRUNCATE + TRIGGER to ops (TRIGGER makes it high)
    expect(f('QA-G03').map((x) => [x.object.principal, x.severity, x.evidence?.privileges])).toEqual([
      [`${P}_ops`, 'high', 'TRIGGER,TRUNCATE'],
    ]);
    expect(f('QA-G03')[0]?.remediation).toContain(`REVOKE TRIGGER, TRUNCATE ON quartz.qrtz_triggers FROM ${P}_ops;`);
    // G04: PUBLIC read
    expect(f('QA-G04').map((x) => [x.object.name, x.severity, x.evidence?.privileges])).toEqual([
      ['PUBLIC', 'high', 'SELECT'],
    ]);
    // G05: bob writes through team → writer; ops truncates; PUBLIC and every login read job_details
    const g05 = f('QA-G05').map((x) => `${x.object.principal}:${x.severity}:${x.evidence?.privileges}`);
    expect(g05).toContain(`${P}_bob:high:INSERT,UPDATE`);
    expect(g05).toContain(`${P}_ops:high:TRUNCATE`);
    expect(g05).toContain('PUBLIC:medium:SELECT');
    const bob = f('QA-G05').find((x) => x.object.principal === `${P}_bob`);
    expect(bob?.evidence?.via).toBe(`${P}_team → ${P}_writer`);
    expect(bob?.remediation).toContain(`REVOKE ${P}_team FROM ${P}_bob;`);
    // The auditor reads but is not flagged; the service account is not flagged.
    expect(g05.some((x) => x.startsWith(`${P}_auditor:`))).toBe(false);
    expect(g05.some((x) => x.startsWith(`${P}_svc:`))).toBe(false);
    // G09: default privileges to PUBLIC; T01: the trigger
    expect(f('QA-G09').map((x) => x.evidence?.grantee)).toEqual(['PUBLIC']);
    expect(f('QA-T01').map((x) => [x.evidence?.kind, x.evidence?.name, x.object.table])).toEqual([
      ['trigger', 'rewrite_jobs', 'qrtz_job_details'],
    ]);
    // G06 does not fire: the owner role is a separate NOLOGIN role
    expect(f('QA-G06')).toEqual([]);
  });

  it('over-grants show in the table output too', async () => {
    const run = await runCli([
      'scan',
      url(`${P}_auditor`, `${P}_over`),
      '--schema',
      'quartz',
      '--service-account',
      `${P}_svc`,
      '--only',
      'grants',
      '--format',
      'table',
    ]);
    expect(run.code).toBe(1);
    for (const id of ['QA-G01', 'QA-G02', 'QA-G03', 'QA-G04', 'QA-G05', 'QA-G09', 'QA-T01'])
      expect(run.stdout).toContain(id);
    expect(run.stdout).toMatch(/^CRITICAL \(\d+\)$/m);
    expect(run.stdout).toMatch(/\d+ failed \(.*critical.*\).*exit 1 \(fail-on high\)/);
  });

  it('service account owning its tables: QA-G06', async () => {
    const { report } = await scan(`${P}_auditor`, `${P}_owned`, ['--service-account', `${P}_svc2`, '--only', 'grants']);
    const g06 = report.findings.filter((x) => x.check === 'QA-G06' && x.status === 'fail');
    expect(g06.map((x) => x.evidence?.tables ?? x.evidence?.schema)).toEqual([11, 'quartz']);
    expect(g06[0]?.remediation).toContain('ALTER TABLE quartz.qrtz_job_details OWNER TO quartz_owner;');
  });

  it('a schema shadowing a Quartz table earlier in the search_path: QA-T01', async () => {
    await adminSql(
      s,
      `${P}_least`,
      `CREATE SCHEMA ${P}_app AUTHORIZATION ${P}_owner; CREATE VIEW ${P}_app.qrtz_locks AS SELECT 'x'::text AS sched_name, 'y'::text AS lock_name;
       ALTER ROLE ${P}_app IN DATABASE ${P}_least SET search_path = "$user", quartz;`,
    );
    try {
      const { report } = await scan(`${P}_auditor`, `${P}_least`, [
        '--service-account',
        `${P}_app`,
        '--only',
        'grants',
      ]);
      const t01 = report.findings.filter((x) => x.check === 'QA-T01' && x.status === 'fail');
      expect(t01.map((x) => [x.evidence?.kind, x.evidence?.name])).toEqual([['shadow-object', `${P}_app.qrtz_locks`]]);
    } finally {
      await adminSql(
        s,
        `${P}_least`,
        `DROP SCHEMA ${P}_app CASCADE; ALTER ROLE ${P}_app IN DATABASE ${P}_least SET search_path = quartz;`,
      );
    }
  });

  it('fingerprints are stable across runs and differ between objects', async () => {
    const a = await scan(`${P}_auditor`, `${P}_over`, ['--service-account', `${P}_svc`, '--only', 'grants']);
    const b = await scan(`${P}_auditor`, `${P}_over`, ['--service-account', `${P}_svc`, '--only', 'grants']);
    const fa = a.report.findings.map((f) => f.fingerprint).sort();
    expect(b.report.findings.map((f) => f.fingerprint).sort()).toEqual(fa);
    expect(new Set(fa).size).toBe(fa.length);
  });
});
