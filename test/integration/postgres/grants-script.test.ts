/**
 * `qrtz-audit grants-script --dialect postgres` (issue #14 part 10), applied to the real PostgreSQL:
 * a Quartz database whose service account holds too much (TRUNCATE, REFERENCES, TRIGGER, CREATE on
 * the schema) and whose tables PUBLIC can read is fixed by the script; the auditor login it creates
 * then runs a full audit: no grant-check failure for the service account and no not-evaluated check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantsScript } from '../../../src/grants-script.js';
import { failing, parseReport, runCli } from '../../support/cli.js';
import { createQuartzDb, dropAll } from '../../support/pg-quartz.js';
import { acquirePostgres, adminSql, type PgServer } from '../../support/pg-server.js';
import { insertRows, secretRows } from '../../support/rel-store.js';

const got = await acquirePostgres();
const server = 'skip' in got ? undefined : (got as PgServer);
const P = `qgs${process.pid}`;
const DB = `${P}_quartz`;
const [OWNER, SVC, AUDITOR] = [`${P}_owner`, `${P}_svc`, `${P}_auditor`];

describe.skipIf(!server)('grants-script on PostgreSQL', () => {
  const s = server as PgServer;
  beforeAll(async () => {
    await dropAll(s, [DB], [SVC, AUDITOR, OWNER]);
    await adminSql(s, 'postgres', `CREATE ROLE ${SVC} LOGIN`);
    await createQuartzDb(s, DB, 'quartz', OWNER);
    await adminSql(
      s,
      DB,
      `GRANT ALL ON SCHEMA quartz TO ${SVC}; GRANT ALL ON ALL TABLES IN SCHEMA quartz TO ${SVC};
       GRANT SELECT ON quartz.qrtz_job_details TO PUBLIC; GRANT USAGE ON SCHEMA quartz TO PUBLIC;`,
    );
    // Rows with fire times, so every scheduler check can be evaluated (an empty store cannot say its time unit).
    await insertRows('postgres', (sql, params) => adminSql(s, DB, sql, params), secretRows(), 'quartz.QRTZ_');
  });
  afterAll(async () => {
    try {
      await dropAll(s, [DB], [SVC, AUDITOR, OWNER]);
    } finally {
      await s.stop();
    }
  });

  it('the CLI prints it; both parts apply cleanly; the audit as the auditor has no grant failure and nothing not evaluated', async () => {
    const run = await runCli([
      'grants-script',
      '--dialect',
      'postgres',
      '--schema',
      'quartz',
      '--prefix',
      'QRTZ_',
      '--user',
      SVC,
      '--auditor',
      AUDITOR,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      grantsScript({ dialect: 'postgres', schema: 'quartz', prefix: 'QRTZ_', user: SVC, auditor: AUDITOR }),
    );
    await adminSql(s, DB, run.stdout);
    // exactly SELECT, INSERT, UPDATE, DELETE for the service account, SELECT for the auditor, nothing for PUBLIC
    const privs = await adminSql(
      s,
      DB,
      `SELECT g.grantee, string_agg(DISTINCT g.privilege_type, ',' ORDER BY g.privilege_type) AS p, count(DISTINCT g.table_name)::int AS n
         FROM information_schema.role_table_grants g WHERE g.table_schema = 'quartz' AND g.grantee <> $1 GROUP BY g.grantee ORDER BY 1`,
      [OWNER],
    );
    expect(privs.rows).toEqual([
      { grantee: AUDITOR, p: 'SELECT', n: 11 },
      { grantee: SVC, p: 'DELETE,INSERT,SELECT,UPDATE', n: 11 },
    ]);
    const report = parseReport(
      await runCli([
        'scan',
        `postgres://${AUDITOR}@127.0.0.1:${s.port}/${DB}?sslmode=disable`,
        '--schema',
        'quartz',
        '--service-account',
        SVC,
        '--allow-principal',
        AUDITOR,
        '--format',
        'json',
        '--fail-on',
        'critical',
      ]),
    );
    expect(report.target.user).toBe(AUDITOR);
    expect(failing(report, 'QA-G')).toEqual([]);
    expect(report.findings.filter((f) => f.status === 'not-evaluated').map((f) => `${f.check} ${f.message}`)).toEqual(
      [],
    );
    expect(report.unreadable ?? []).toEqual([]);
  });

  it('refuses a service account that owns the Quartz tables (the script stops before granting anything)', async () => {
    const owned = `${P}_owned`;
    await createQuartzDb(s, owned, 'quartz', SVC);
    try {
      await expect(
        adminSql(s, owned, grantsScript({ dialect: 'postgres', schema: 'quartz', user: SVC })),
      ).rejects.toThrow(/the service account owns Quartz tables or their schema/);
    } finally {
      await dropAll(s, [owned], []);
    }
  });
});
