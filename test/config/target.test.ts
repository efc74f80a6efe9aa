/**
 * toScanTarget(): the JobStore a configuration names, then a real scan of it with what the configuration
 * gives (URL, prefix, service account, password): a SQLite file, the shared PostgreSQL (127.0.0.1:5432) and
 * the shared MariaDB (127.0.0.1:3306). Every database, role and user made here is dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toScanTarget } from '../../src/config/index.js';
import { UserError } from '../../src/errors.js';
import { createQuartzDb as createMysqlQuartzDb } from '../integration/mysql/helpers.js';
import { makeStore } from '../integration/sqlite/helpers.js';
import { parseReport, runCli } from '../support/cli.js';
import { dbRequired, sharedMariadb } from '../support/mariadb-server.js';
import { QUARTZ_PG_SCHEMA } from '../support/pg-quartz.js';
import { requireDb } from '../support/pg-server.js';
import { FIXTURES, factsOf, stage, write } from './helpers.js';

const uniq = () => randomBytes(4).toString('hex');

describe('toScanTarget from fixtures', () => {
  it('ASP.NET + Npgsql: password-free URL, prefix from the overlay, service account = the connection user', async () => {
    const t = toScanTarget(await factsOf([join(FIXTURES, 'aspnet-risky')]));
    expect({ ...t }).toEqual({
      dialect: 'postgres',
      url: 'postgres://quartz_svc@pg.internal:5433/quartz',
      tablePrefix: 'app_qrtz_',
      platform: 'dotnet',
      connection: 'Quartz',
      dataSource: 'default',
      file: join(FIXTURES, 'aspnet-risky', 'appsettings.json'),
      line: 11,
      serviceAccount: 'quartz_svc',
      database: 'quartz',
    });
    // the configured password travels only in non-enumerable fields
    expect(t.password).toBe('Npg-S3cret-Value');
    expect(JSON.stringify(t)).not.toContain('Npg-S3cret-Value');
    expect(Object.keys(t)).not.toContain('connectionString');
  });

  it('Java MariaDB JDBC URL → mariadb://; SQL Server from App.config', async () => {
    const j = toScanTarget(await factsOf([join(FIXTURES, 'java-hardened')]));
    expect([j.dialect, j.url, j.tablePrefix, j.serviceAccount, j.schema]).toEqual([
      'mysql',
      'mariadb://quartz_app@db.internal:3306/quartz',
      'qrtz_',
      'quartz_app',
      'quartz',
    ]);
    const s = toScanTarget(await factsOf([join(FIXTURES, 'netfx-risky')]));
    expect([s.dialect, s.url, s.serviceAccount, s.database]).toEqual(['sqlserver', undefined, 'quartz_svc', 'Quartz']);
  });

  it('RAMJobStore, encrypted connection strings: clear usage errors', async () => {
    const { dir, cleanup } = await stage([]);
    try {
      await write(join(dir, 'quartz.config'), 'quartz.jobStore.type = Quartz.Simpl.RAMJobStore, Quartz\n');
      await expect(factsOf([dir]).then((f) => toScanTarget(f))).rejects.toThrow(
        /RAMJobStore: there is no JobStore database/,
      );
    } finally {
      await cleanup();
    }
    const enc = await factsOf([join(FIXTURES, 'webconfig-encrypted')]);
    let err: unknown;
    try {
      toScanTarget(enc);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/connection strings are encrypted \(RsaProtectedConfigurationProvider\)/);
  });
});

/** `scan --from-config DIR` through the CLI, as a DBA would: with the configured credentials unless told otherwise. */
async function scanFromConfig(dir: string, extra: string[] = ['--use-config-credentials']) {
  return runCli(['scan', '--from-config', dir, '--format', 'json', ...extra]);
}

describe('scan straight from configuration files', () => {
  it('SQLite: appsettings.json (Microsoft.Data.Sqlite) → the JobStore with its prefix', async () => {
    const { dir, cleanup } = await stage([]);
    try {
      const db = join(dir, 'quartz.sqlite');
      makeStore(db, { prefix: 'app_qrtz_' });
      await write(
        join(dir, 'appsettings.json'),
        JSON.stringify({
          ConnectionStrings: { Quartz: `Data Source=${db};Cache=Shared` },
          Quartz: {
            'quartz.jobStore.type': 'Quartz.Impl.AdoJobStore.JobStoreTX, Quartz',
            'quartz.jobStore.driverDelegateType': 'Quartz.Impl.AdoJobStore.SQLiteDelegate, Quartz',
            'quartz.jobStore.dataSource': 'default',
            'quartz.jobStore.tablePrefix': 'app_qrtz_',
            'quartz.dataSource.default.provider': 'SQLite-Microsoft',
            'quartz.dataSource.default.connectionStringName': 'Quartz',
            'quartz.serializer.type': 'json',
          },
        }),
      );
      const t = toScanTarget(await factsOf([dir]));
      expect([t.dialect, t.url, t.tablePrefix]).toEqual(['sqlite', `sqlite:${db}`, 'app_qrtz_']);
      const run = await scanFromConfig(dir);
      const report = parseReport(run);
      expect(run.code).toBe(1);
      // the tables were found under the configured prefix and the NativeJob row was read
      expect(report.findings.some((f) => f.check === 'QA-J01' && f.status === 'fail')).toBe(true);
    } finally {
      await cleanup();
    }
  });

  const pgUrl = process.env.QRTZ_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  let pgOk: string | true = true;
  beforeAll(async () => {
    const c = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 3000 });
    try {
      await c.connect();
      await c.end();
    } catch (e) {
      pgOk = (e as Error).message;
    }
  });

  describe('PostgreSQL (shared service)', () => {
    const id = uniq();
    const db = `qa_cfg_${id}`;
    const svc = `qa_cfg_svc_${id}`;
    const owner = `qa_cfg_own_${id}`;
    const secret = `Pg-Cfg-${id}-Secret`;
    const admin = async (database: string, sql: string) => {
      const u = new URL(pgUrl);
      u.pathname = `/${database}`;
      const c = new pg.Client({ connectionString: u.toString() });
      await c.connect();
      try {
        await c.query(sql);
      } finally {
        await c.end();
      }
    };
    afterAll(async () => {
      if (pgOk !== true) return;
      await admin('postgres', `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await admin('postgres', `DROP ROLE IF EXISTS ${svc}`);
      await admin('postgres', `DROP ROLE IF EXISTS ${owner}`);
    });

    it('Npgsql appsettings → scan of the real JobStore as the configured user, service account from the string', async (ctx) => {
      if (pgOk !== true) {
        if (requireDb('postgres')) throw new Error(`QRTZ_REQUIRE_DB includes postgres but ${pgOk}`);
        console.warn(`SKIPPED: PostgreSQL at ${new URL(pgUrl).host} not reachable: ${pgOk}`);
        ctx.skip();
        return;
      }
      await admin('postgres', `CREATE ROLE ${owner} NOLOGIN`);
      await admin('postgres', `CREATE ROLE ${svc} LOGIN PASSWORD '${secret}'`);
      await admin('postgres', `CREATE DATABASE ${db}`);
      await admin(
        db,
        `CREATE SCHEMA quartz AUTHORIZATION ${owner}; SET ROLE ${owner}; SET search_path = quartz; ${QUARTZ_PG_SCHEMA}; RESET ROLE;
         GRANT USAGE ON SCHEMA quartz TO ${svc}; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA quartz TO ${svc};
         GRANT ALL ON quartz.qrtz_job_details TO PUBLIC;`,
      );
      const u = new URL(pgUrl);
      const { dir, cleanup } = await stage([]);
      try {
        await write(
          join(dir, 'appsettings.json'),
          `{
  // Quartz.NET on PostgreSQL
  "ConnectionStrings": {
    "QuartzDb": "Host=${u.hostname};Port=${u.port || 5432};Database=${db};Username=${svc};Password=${secret};Search Path=quartz"
  },
  "Quartz": {
    "quartz.jobStore.type": "Quartz.Impl.AdoJobStore.JobStoreTX, Quartz",
    "quartz.jobStore.driverDelegateType": "Quartz.Impl.AdoJobStore.PostgreSQLDelegate, Quartz",
    "quartz.jobStore.dataSource": "default",
    "quartz.jobStore.tablePrefix": "qrtz_",
    "quartz.dataSource.default.provider": "Npgsql",
    "quartz.dataSource.default.connectionStringName": "QuartzDb",
  },
}`,
        );
        const t = toScanTarget(await factsOf([dir]));
        expect(t.serviceAccount).toBe(svc);
        const run = await scanFromConfig(dir, ['--use-config-credentials', '--schema', 'quartz', '--only', 'grants']);
        const report = parseReport(run);
        expect(run.stdout + run.stderr).not.toContain(secret);
        expect(JSON.stringify(report)).toContain(svc);
        // PUBLIC holds every privilege on the job details: a grants finding about the real tables
        expect(
          report.findings.some(
            (f) => f.check === 'QA-G04' && f.status === 'fail' && /qrtz_job_details/.test(f.message),
          ),
        ).toBe(true);
        expect(report.target.user).toBe(svc);
        // the auditor's own login: the configured user stays the service account, its password is not used
        const audit = await scanFromConfig(dir, ['--login', 'postgres', '--schema', 'quartz', '--only', 'grants']);
        const ar = parseReport(audit);
        expect(audit.stdout + audit.stderr).not.toContain(secret);
        expect([ar.target.user, ar.target.serviceAccount]).toEqual(['postgres', svc]);
        // who connects must be said
        const neither = await scanFromConfig(dir, []);
        expect([neither.code, neither.stderr.trim().split('\n').length]).toEqual([2, 1]);
        expect(neither.stderr).toMatch(/say who connects: --login USER .* or --use-config-credentials/);
        const both = await runCli(['scan', 'postgres://x@127.0.0.1/x', '--from-config', dir]);
        expect([both.code, both.stderr]).toEqual([
          2,
          'qrtz-audit: give either a database URL or --from-config, not both\n',
        ]);
      } finally {
        await cleanup();
      }
    });
  });

  describe('MariaDB (shared service)', () => {
    const id = uniq();
    const db = `qa_cfg_${id}`;
    const user = `qa_cfg_${id}`;
    const secret = `Maria-Cfg-${id}-Secret`;
    let conn: mysql.Connection | undefined;
    let skip: string | undefined;
    beforeAll(async () => {
      const s = await sharedMariadb();
      if (!s.ok) {
        skip = s.reason;
        return;
      }
      conn = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
    });
    afterAll(async () => {
      if (!conn) return;
      await conn.query(`DROP DATABASE IF EXISTS \`${db}\``);
      await conn.query(`DROP USER IF EXISTS '${user}'@'%'`);
      await conn.end();
    });

    it('Java quartz.properties (jdbc:mariadb, user, password) → scan with the configured credentials', async (ctx) => {
      if (!conn) {
        if (dbRequired()) throw new Error(`QRTZ_REQUIRE_DB includes mariadb but ${skip}`);
        console.warn(`SKIPPED: ${skip}`);
        ctx.skip();
        return;
      }
      await createMysqlQuartzDb(conn, db);
      await conn.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${secret}'`);
      await conn.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON \`${db}\`.* TO '${user}'@'%'`);
      const { dir, cleanup } = await stage([]);
      try {
        await write(
          join(dir, 'quartz.properties'),
          [
            'org.quartz.jobStore.class = org.quartz.impl.jdbcjobstore.JobStoreTX',
            'org.quartz.jobStore.driverDelegateClass = org.quartz.impl.jdbcjobstore.StdJDBCDelegate',
            'org.quartz.jobStore.useProperties = true',
            'org.quartz.jobStore.dataSource = qzDS',
            'org.quartz.jobStore.tablePrefix = QRTZ_',
            'org.quartz.dataSource.qzDS.driver = org.mariadb.jdbc.Driver',
            `org.quartz.dataSource.qzDS.URL = jdbc:mariadb://127.0.0.1:3306/${db}`,
            `org.quartz.dataSource.qzDS.user = ${user}`,
            `org.quartz.dataSource.qzDS.password = ${secret}`,
            '',
          ].join('\n'),
        );
        const t = toScanTarget(await factsOf([dir]));
        expect([t.url, t.serviceAccount]).toEqual([`mariadb://${user}@127.0.0.1:3306/${db}`, user]);
        const run = await scanFromConfig(dir, ['--use-config-credentials', '--only', 'grants']);
        expect(run.stdout + run.stderr).not.toContain(secret);
        const report = parseReport(run);
        expect(report.findings.length).toBeGreaterThan(0);
        expect(JSON.stringify(report)).toContain(user);
      } finally {
        await cleanup();
      }
    });
  });
});

describe('JDBC scheme without a driver class', () => {
  it('jdbc:mariadb:// alone gives a mariadb:// target', async () => {
    const { dir, cleanup } = await stage([]);
    try {
      await write(
        join(dir, 'quartz.properties'),
        'org.quartz.jobStore.class = org.quartz.impl.jdbcjobstore.JobStoreTX\norg.quartz.jobStore.dataSource = d\norg.quartz.dataSource.d.URL = jdbc:mariadb://db:3306/q?user=qz\n',
      );
      const t = toScanTarget(await factsOf([dir]));
      expect([t.url, t.serviceAccount]).toEqual(['mariadb://qz@db:3306/q', 'qz']);
    } finally {
      await cleanup();
    }
  });
});

describe('SQLite data files relative to the application', () => {
  it('resolves Data Source=|DataDirectory|/x.db and relative paths against the configuration folder', async () => {
    const { dir, cleanup } = await stage([]);
    try {
      const cfg = (ds: string) =>
        [
          '<configuration><quartz>',
          '<add key="quartz.jobStore.type" value="Quartz.Impl.AdoJobStore.JobStoreTX, Quartz"/>',
          '<add key="quartz.jobStore.dataSource" value="d"/>',
          '<add key="quartz.dataSource.d.provider" value="SQLite"/>',
          '<add key="quartz.dataSource.d.connectionStringName" value="q"/>',
          `</quartz><connectionStrings><add name="q" connectionString="Data Source=${ds};Version=3"/></connectionStrings>`,
          '</configuration>',
        ].join('\n');
      await write(join(dir, 'App.config'), cfg('|DataDirectory|\\quartz.db'));
      expect(toScanTarget(await factsOf([dir])).url).toBe(`sqlite:${join(dir, 'quartz.db')}`);
      await write(join(dir, 'App.config'), cfg('data/q.sqlite'));
      expect(toScanTarget(await factsOf([dir])).url).toBe(`sqlite:${join(dir, 'data', 'q.sqlite')}`);
      // a file name without a database extension: the provider (read after the string) makes it a file
      await write(join(dir, 'App.config'), cfg('store/scheduler.data'));
      expect(toScanTarget(await factsOf([dir])).url).toBe(`sqlite:${join(dir, 'store', 'scheduler.data')}`);
    } finally {
      await cleanup();
    }
  });
});
