/**
 * Issue #15 part 3, end to end through the CLI: `scan --from-config` audits real JobStores — the shared
 * PostgreSQL (127.0.0.1:5432), the shared MariaDB (127.0.0.1:3306) and a SQLite file — from the
 * application's configuration files alone (dialect, host, database, schema, prefix), the service account
 * taken from the connection string's user. The config findings (QA-C…, objects of kind 'file') are in the
 * same report as the database findings, in every format; --only/--skip config are respected; no planted
 * password or secret from a configuration file appears in stdout, stderr or any output file (--verbose,
 * --debug). Every database, role and user made here is dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report.js';
import { createQuartzDb as createMysqlQuartzDb } from '../integration/mysql/helpers.js';
import { makeStore } from '../integration/sqlite/helpers.js';
import { type CliRun, parseReport, runCli } from '../support/cli.js';
import { dbRequired, sharedMariadb } from '../support/mariadb-server.js';
import { QUARTZ_PG_SCHEMA } from '../support/pg-quartz.js';
import { requireDb } from '../support/pg-server.js';
import { stage, write } from './helpers.js';

const id = randomBytes(4).toString('hex');
const FORMATS = 'json,sarif,junit,markdown,html,table';

/** A job definition file with a planted secret in its job-data-map (QA-C08 / QA-S01). */
function jobsXml(secret: string, dotnet: boolean): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<job-scheduling-data xmlns="${dotnet ? 'http://quartznet.sourceforge.net/JobSchedulingData' : 'http://www.quartz-scheduler.org/xml/JobSchedulingData'}" version="2.0">
  <schedule>
    <job>
      <name>mailer</name>
      <group>ops</group>
      <${dotnet ? 'job-type' : 'job-class'}>${dotnet ? 'Contoso.Jobs.Mailer, Contoso' : 'com.contoso.jobs.Mailer'}</${dotnet ? 'job-type' : 'job-class'}>
      <job-data-map>
        <entry><key>smtpPassword</key><value>${secret}</value></entry>
      </job-data-map>
    </job>
  </schedule>
</job-scheduling-data>
`;
}

interface Exercise {
  report: Report;
  runs: CliRun[];
  /** stdout, stderr and every output file of every run. */
  text: string;
}

/** The scan in every format (--output-dir, --verbose), on stdout with --debug, and with --skip/--only config. */
async function exercise(base: string[], out: string): Promise<Exercise & { skip: Report; only: Report }> {
  const all = await runCli([...base, '--format', FORMATS, '--output-dir', out, '--verbose']);
  const debug = await runCli([...base, '--format', 'table', '--verbose', '--debug']);
  const skip = await runCli([...base, '--format', 'json', '--skip', 'config']);
  const only = await runCli([...base, '--format', 'json', '--only', 'config']);
  const runs = [all, debug, skip, only];
  const files = readdirSync(out).map((f) => readFileSync(join(out, f), 'utf8'));
  let report: Report;
  try {
    report = JSON.parse(readFileSync(join(out, 'qrtz-audit.json'), 'utf8')) as Report;
  } catch {
    throw new Error(`no JSON report (exit ${all.code}): ${all.stderr}`);
  }
  return {
    report,
    runs,
    text: [...runs.flatMap((r) => [r.stdout, r.stderr]), ...files].join('\n'),
    skip: parseReport(skip),
    only: parseReport(only),
  };
}

/** What every database's run must show: one report, database and config findings, the config ones as files. */
function expectJoined(e: Awaited<ReturnType<typeof exercise>>, dbFamily: string, secrets: string[]): void {
  const r = e.report;
  expect(e.runs.map((x) => x.code)).toEqual([1, 1, 1, 1]);
  const families = new Set(r.findings.map((f) => f.family));
  expect(families).toContain('config');
  expect(families).toContain(dbFamily);
  const config = r.findings.filter((f) => f.family === 'config');
  expect(config.filter((f) => f.status === 'fail').every((f) => f.object.kind === 'file')).toBe(true);
  expect(config.some((f) => f.check === 'QA-C08' && f.status === 'fail' && f.evidence?.contentCheck === 'QA-S01')).toBe(
    true,
  );
  expect(config.find((f) => f.check === 'QA-C12')?.status).toBe('info');
  expect(r.target.configFiles?.count).toBeGreaterThanOrEqual(2);
  expect(r.inventory.files?.some((f) => f.kind === 'job-xml')).toBe(true);
  // --skip config: the database audit alone; --only config: the configuration findings alone
  expect(e.skip.findings.some((f) => f.family === 'config')).toBe(false);
  expect(e.skip.findings.length).toBeGreaterThan(0);
  expect(e.only.findings.length).toBeGreaterThan(0);
  expect(e.only.findings.every((f) => f.family === 'config')).toBe(true);
  // the same config findings in every format
  expect(e.text).toMatch(/qrtz-audit\.config\.QA-C08/); // JUnit classname
  expect(e.text).toMatch(/"ruleId": "QA-C08"/); // SARIF
  for (const s of secrets) expect(e.text, 'a planted secret leaked').not.toContain(s);
}

describe('scan --from-config end to end', () => {
  it('SQLite: appsettings.json + Production overlay + quartz_jobs.xml → the JobStore file, config findings joined', async () => {
    const { dir, cleanup } = await stage([]);
    const secret = `Sqlite-Job-${id}-Secret`;
    try {
      const db = join(dir, 'App_Data', 'quartz.db');
      await mkdir(join(dir, 'App_Data'));
      makeStore(db, { prefix: 'app_qrtz_' });
      await write(
        join(dir, 'appsettings.json'),
        `{
  // a relative data source is relative to the application folder
  "ConnectionStrings": { "Quartz": "Data Source=App_Data/quartz.db;Cache=Shared" },
  "Serilog": { "MinimumLevel": { "Override": { "Quartz": "Debug" } } },
  "Quartz": {
    "quartz.jobStore.type": "Quartz.Impl.AdoJobStore.JobStoreTX, Quartz",
    "quartz.jobStore.driverDelegateType": "Quartz.Impl.AdoJobStore.SQLiteDelegate, Quartz",
    "quartz.jobStore.dataSource": "default",
    "quartz.dataSource.default.provider": "SQLite-Microsoft",
    "quartz.dataSource.default.connectionStringName": "Quartz",
    "quartz.serializer.type": "json",
    "quartz.plugin.xml.type": "Quartz.Plugin.Xml.XMLSchedulingDataProcessorPlugin, Quartz.Plugins",
    "quartz.plugin.xml.fileNames": "quartz_jobs.xml",
  },
}`,
        0o644,
      );
      await write(
        join(dir, 'appsettings.Production.json'),
        '{ "Quartz": { "quartz.jobStore.tablePrefix": "app_qrtz_" } }',
      );
      await write(join(dir, 'quartz_jobs.xml'), jobsXml(secret, true));
      const out = join(dir, 'reports');
      const e = await exercise(['scan', '--from-config', dir], out);
      expectJoined(e, 'content', [secret]);
      expect([e.report.target.dialect, e.report.target.tablePrefix]).toEqual(['sqlite', 'app_qrtz_']);
      // the NativeJob row of the file was read under the configured prefix
      expect(e.report.findings.some((f) => f.check === 'QA-J01' && f.status === 'fail')).toBe(true);
      // appsettings.json is world-readable: QA-C07 on the real file
      expect(
        e.report.findings.some(
          (f) => f.check === 'QA-C07' && f.status === 'fail' && String(f.evidence?.file).endsWith('appsettings.json'),
        ),
      ).toBe(true);
      expect(e.report.findings.some((f) => f.check === 'QA-C10' && f.evidence?.framework === 'serilog')).toBe(true);
    } finally {
      await cleanup();
    }
  });

  const pgUrl = process.env.QRTZ_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  describe('PostgreSQL (shared service): App.config with Npgsql', () => {
    const db = `qa_e2e_${id}`;
    const svc = `qa_e2e_svc_${id}`;
    const owner = `qa_e2e_own_${id}`;
    const password = `Pg-E2e-${id}-Pw`;
    const jobSecret = `Pg-Job-${id}-Secret`;
    let reachable: string | true = true;
    const admin = async (database: string, sql: string) => {
      const u = new URL(pgUrl);
      u.pathname = `/${database}`;
      const c = new pg.Client({ connectionString: u.toString(), connectionTimeoutMillis: 3000 });
      await c.connect();
      try {
        await c.query(sql);
      } finally {
        await c.end();
      }
    };
    beforeAll(async () => {
      try {
        await admin('postgres', 'SELECT 1');
      } catch (err) {
        reachable = (err as Error).message;
        return;
      }
      await admin('postgres', `CREATE ROLE ${owner} NOLOGIN`);
      await admin('postgres', `CREATE ROLE ${svc} LOGIN PASSWORD '${password}'`);
      await admin('postgres', `CREATE DATABASE ${db}`);
      await admin(
        db,
        `CREATE SCHEMA quartz AUTHORIZATION ${owner}; SET ROLE ${owner}; SET search_path = quartz; ${QUARTZ_PG_SCHEMA}; RESET ROLE;
         GRANT USAGE ON SCHEMA quartz TO ${svc}; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA quartz TO ${svc};
         GRANT ALL ON quartz.qrtz_job_details TO PUBLIC;`,
      );
    });
    afterAll(async () => {
      if (reachable !== true) return;
      await admin('postgres', `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await admin('postgres', `DROP ROLE IF EXISTS ${svc}`);
      await admin('postgres', `DROP ROLE IF EXISTS ${owner}`);
    });

    it('schema from Search Path, service account from User ID, config findings in the same report, no secret anywhere', async (ctx) => {
      if (reachable !== true) {
        if (requireDb('postgres')) throw new Error(`QRTZ_REQUIRE_DB includes postgres but ${reachable}`);
        console.warn(`SKIPPED: PostgreSQL at ${new URL(pgUrl).host} not reachable: ${reachable}`);
        return ctx.skip();
      }
      const u = new URL(pgUrl);
      const { dir, cleanup } = await stage([]);
      try {
        await write(
          join(dir, 'App.config'),
          `<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <configSections>
    <section name="quartz" type="System.Configuration.NameValueSectionHandler, System" />
  </configSections>
  <quartz>
    <add key="quartz.jobStore.type" value="Quartz.Impl.AdoJobStore.JobStoreTX, Quartz" />
    <add key="quartz.jobStore.driverDelegateType" value="Quartz.Impl.AdoJobStore.PostgreSQLDelegate, Quartz" />
    <add key="quartz.jobStore.dataSource" value="default" />
    <add key="quartz.jobStore.tablePrefix" value="qrtz_" />
    <add key="quartz.dataSource.default.connectionStringName" value="QuartzDb" />
    <add key="quartz.dataSource.default.provider" value="Npgsql" />
    <add key="quartz.serializer.type" value="binary" />
    <add key="quartz.plugin.xml.type" value="Quartz.Plugin.Xml.XMLSchedulingDataProcessorPlugin, Quartz.Plugins" />
    <add key="quartz.plugin.xml.fileNames" value="~/quartz_jobs.xml" />
  </quartz>
  <connectionStrings>
    <add name="QuartzDb" providerName="Npgsql"
         connectionString="Host=${u.hostname};Port=${u.port || 5432};Database=${db};User ID=${svc};Password=${password};Search Path=quartz;SSL Mode=Disable" />
  </connectionStrings>
</configuration>
`,
        );
        await write(join(dir, 'quartz_jobs.xml'), jobsXml(jobSecret, true));
        // with the configured credentials (the configured user connects)
        const e = await exercise(['scan', '--from-config', dir, '--use-config-credentials'], join(dir, 'reports'));
        expectJoined(e, 'grants', [password, jobSecret]);
        expect(e.report.target).toMatchObject({
          dialect: 'postgres',
          database: db,
          schema: 'quartz',
          user: svc,
          serviceAccount: svc,
        });
        const failed = new Set(e.report.findings.filter((f) => f.status === 'fail').map((f) => f.check));
        for (const c of ['QA-G04', 'QA-C01', 'QA-C05', 'QA-C06', 'QA-C08']) expect(failed, c).toContain(c);
        // the auditor's own login: the configured user stays the service account, its password is not used
        const a = await exercise(['scan', '--from-config', dir, '--login', 'postgres'], join(dir, 'reports-auditor'));
        expectJoined(a, 'grants', [password, jobSecret]);
        expect([a.report.target.user, a.report.target.serviceAccount]).toEqual(['postgres', svc]);
      } finally {
        await cleanup();
      }
    });
  });

  describe('MariaDB (shared service): Java quartz.properties, jobs.xml, log4j2.xml, pom.xml', () => {
    const db = `qa_e2e_${id}`;
    const user = `qa_e2e_${id}`;
    const password = `Maria-E2e-${id}-Pw`;
    const jobSecret = `Maria-Job-${id}-Secret`;
    let conn: mysql.Connection | undefined;
    let skip: string | undefined;
    beforeAll(async () => {
      const s = await sharedMariadb();
      if (!s.ok) {
        skip = s.reason;
        return;
      }
      conn = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
      await createMysqlQuartzDb(conn, db);
      await conn.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
      await conn.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON \`${db}\`.* TO '${user}'@'%'`);
    });
    afterAll(async () => {
      if (!conn) return;
      await conn.query(`DROP DATABASE IF EXISTS \`${db}\``);
      await conn.query(`DROP USER IF EXISTS '${user}'@'%'`);
      await conn.end();
    });

    it('the configured JDBC URL, user and password; Java logging and build findings join the database report', async (ctx) => {
      if (!conn) {
        if (dbRequired()) throw new Error(`QRTZ_REQUIRE_DB includes mariadb but ${skip}`);
        console.warn(`SKIPPED: ${skip}`);
        return ctx.skip();
      }
      const { dir, cleanup } = await stage([]);
      try {
        await write(
          join(dir, 'quartz.properties'),
          [
            '# Java Quartz on MariaDB',
            'org.quartz.scheduler.instanceName = BillingScheduler',
            'org.quartz.jobStore.class = org.quartz.impl.jdbcjobstore.JobStoreTX',
            'org.quartz.jobStore.driverDelegateClass = org.quartz.impl.jdbcjobstore.StdJDBCDelegate',
            'org.quartz.jobStore.dataSource = qzDS',
            'org.quartz.jobStore.tablePrefix = QRTZ_',
            'org.quartz.dataSource.qzDS.driver = org.mariadb.jdbc.Driver',
            `org.quartz.dataSource.qzDS.URL = jdbc:mariadb://127.0.0.1:3306/${db}?useSSL=false`,
            `org.quartz.dataSource.qzDS.user = ${user}`,
            `org.quartz.dataSource.qzDS.password = ${password}`,
            'org.quartz.plugin.jobInitializer.class = org.quartz.plugins.xml.XMLSchedulingDataProcessorPlugin',
            'org.quartz.plugin.jobInitializer.fileNames = jobs.xml',
            'org.quartz.plugin.jobInitializer.scanInterval = 60',
            '',
          ].join('\n'),
        );
        await write(join(dir, 'jobs.xml'), jobsXml(jobSecret, false));
        await chmod(join(dir, 'jobs.xml'), 0o666);
        await write(
          join(dir, 'log4j2.xml'),
          '<Configuration><Loggers><Logger name="org.quartz" level="debug"/><Root level="info"/></Loggers></Configuration>\n',
        );
        await write(
          join(dir, 'pom.xml'),
          '<project xmlns="http://maven.apache.org/POM/4.0.0"><dependencies><dependency><groupId>org.quartz-scheduler</groupId><artifactId>quartz</artifactId><version>2.3.0</version></dependency></dependencies></project>\n',
        );
        const e = await exercise(['scan', '--from-config', dir, '--use-config-credentials'], join(dir, 'reports'));
        expectJoined(e, 'grants', [password, jobSecret]);
        // the connection string's user, as the MySQL account it resolves to
        const account = `'${user}'@'%'`;
        expect(e.report.target).toMatchObject({
          dialect: 'mariadb',
          database: db,
          user: account,
          serviceAccount: account,
        });
        const failed = new Set(e.report.findings.filter((f) => f.status === 'fail').map((f) => f.check));
        for (const c of ['QA-C02', 'QA-C05', 'QA-C06', 'QA-C07', 'QA-C08', 'QA-C09', 'QA-C10', 'QA-C11'])
          expect(failed, c).toContain(c);
      } finally {
        await cleanup();
      }
    });
  });
});
