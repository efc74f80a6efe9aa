/**
 * A real SQL Server 2022 through testcontainers, wherever a container engine answers: the official
 * Quartz.NET tables_sqlServer.sql schema, a service login with over-grants and tamper, and blobs; the
 * adapter's facts asserted as an auditor (sa) and as the service login itself (self audit, partial view).
 * Skips loudly without an engine (getContainerRuntimeClient throws), unless QRTZ_REQUIRE_DB names mssql.
 * Everything it creates lives in the throwaway container.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sql from 'mssql';
import { GenericContainer, getContainerRuntimeClient, type StartedTestContainer, Wait } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allChecks } from '../../../src/checks/index.js';
import type { ConnectOptions } from '../../../src/dialect.js';
import { createMssqlAdapter } from '../../../src/dialects/mssql/index.js';
import { evaluateFacts } from '../../../src/engine.js';
import { writeJobDataMap as writeJavaJobDataMap } from '../../../src/fixtures/java-writer.js';
import { writeJobDataMap } from '../../../src/fixtures/nrbf-writer.js';
import { type BlobRow, checkOptions, FAMILIES, type Facts, type Unreadable } from '../../../src/model.js';

const runtime = await getContainerRuntimeClient().then(
  () => undefined,
  (err: Error) => `no container engine: ${err.message}`,
);
if (runtime) {
  if (/mssql|sqlserver/i.test(process.env.QRTZ_REQUIRE_DB ?? ''))
    throw new Error(`QRTZ_REQUIRE_DB=mssql but ${runtime}`);
  console.warn(`[skip] mssql-container: ${runtime}`);
}

const SA_PW = 'Sa-Pw-2022!x';
const SVC_PW = 'Svc-Pw-2022!q';
const schemaSql = readFileSync(
  join(import.meta.dirname, '..', '..', 'fixtures', 'mssql', 'tables_sqlServer.sql'),
  'utf8',
);
/** The script's batches (GO separators), comments dropped. */
export function batches(script: string): string[] {
  return script
    .split(/^\s*GO\s*$/im)
    .map((b) => b.replace(/^--.*$/gm, '').trim())
    .filter(Boolean);
}

describe.skipIf(Boolean(runtime))('SQL Server 2022 (testcontainers)', () => {
  let container: StartedTestContainer;
  let admin: sql.ConnectionPool;
  let audited: Facts;
  let self: Facts;
  const blobs: BlobRow[] = [];
  const blobUnreadable: Unreadable[] = [];
  const options = (user: string, pw: string, serviceAccount?: string): ConnectOptions => ({
    url: `mssql://${user}:${encodeURIComponent(pw)}@${container.getHost()}:${container.getMappedPort(1433)}/quartz?trustServerCertificate=true`,
    tablePrefix: 'QRTZ_',
    ...(serviceAccount ? { serviceAccount } : {}),
    allowPrincipals: [],
    families: new Set(['grants', 'encryption', 'audit', 'content', 'scheduler', 'updates']),
    statementTimeoutMs: 30_000,
    lockTimeoutMs: 2_000,
    connectTimeoutMs: 30_000,
    maxBlobSize: 65_536,
    attestations: {},
  });

  beforeAll(async () => {
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
    await run('CREATE DATABASE quartz');
    await run('ALTER DATABASE quartz SET ALLOW_SNAPSHOT_ISOLATION ON');
    await run('ALTER DATABASE quartz SET TRUSTWORTHY ON');
    await run(
      "EXEC sp_configure 'show advanced options', 1; RECONFIGURE; EXEC sp_configure 'xp_cmdshell', 1; RECONFIGURE;",
    );
    for (const b of batches(schemaSql)) await run(`USE quartz;\n${b}`);
    await run(`USE quartz;
      CREATE LOGIN quartz_login WITH PASSWORD = '${SVC_PW}', CHECK_POLICY = OFF, CHECK_EXPIRATION = OFF;
      CREATE LOGIN reporting_login WITH PASSWORD = 'Rep-Pw-2022!r';`);
    await run("USE quartz; EXEC('CREATE SCHEMA app');");
    await run(`USE quartz;
      CREATE USER quartz_app FOR LOGIN quartz_login WITH DEFAULT_SCHEMA = app;
      CREATE USER reporting FOR LOGIN reporting_login;
      CREATE ROLE quartz_role; CREATE ROLE outer_role;
      ALTER ROLE quartz_role ADD MEMBER quartz_app; ALTER ROLE outer_role ADD MEMBER quartz_role;
      GRANT SELECT, INSERT, UPDATE, DELETE ON SCHEMA::dbo TO outer_role;
      GRANT ALTER ON dbo.QRTZ_LOCKS TO quartz_app WITH GRANT OPTION;
      ALTER ROLE db_datareader ADD MEMBER reporting;
      GRANT CONNECT TO guest;
      GRANT SELECT ON dbo.QRTZ_JOB_DETAILS TO public;`);
    await run(`USE quartz; EXEC('CREATE SYNONYM app.QRTZ_LOCKS FOR dbo.QRTZ_CALENDARS');`);
    await run(
      `USE quartz; EXEC('CREATE TRIGGER dbo.trg_jd ON dbo.QRTZ_JOB_DETAILS AFTER INSERT, UPDATE AS SET NOCOUNT ON;');`,
    );
    const nrbf = Buffer.from(writeJobDataMap({ smtp_password: 'Hunter2-Smtp!', to: 'ops@example.com' }));
    const java = Buffer.from(writeJavaJobDataMap({ apiKey: 'AKIAIOSFODNN7EXAMPLE' }));
    const json = Buffer.from(
      JSON.stringify({ $type: 'System.Collections.Generic.Dictionary`2', password: 'json-Pw-1' }),
    );
    const insert = admin.request();
    insert.input('nrbf', sql.VarBinary(sql.MAX), nrbf);
    insert.input('java', sql.VarBinary(sql.MAX), java);
    insert.input('json', sql.VarBinary(sql.MAX), json);
    // query (sp_executesql) carries the parameters; USE applies to the rest of that batch.
    await insert.query(`USE quartz;
      INSERT INTO dbo.QRTZ_JOB_DETAILS VALUES
        (N'S', N'mail', N'G', NULL, N'Quartz.Job.SendMailJob, Quartz.Jobs', 0, 0, 0, 0, @nrbf),
        (N'S', N'java', N'G', NULL, N'org.acme.Job', 0, 0, 0, 0, @java),
        (N'S', N'json', N'G', N'json map', N'Acme.Job, Acme', 0, 0, 0, 0, @json);
      INSERT INTO dbo.QRTZ_CALENDARS VALUES (N'S', N'holidays', 0x0001000000FFFFFFFF01000000000000000C02000000);`);
    const auditor = createMssqlAdapter(options('sa', SA_PW, 'quartz_app'));
    await auditor.connect();
    audited = await auditor.collectFacts();
    for await (const r of auditor.blobRows((u) => blobUnreadable.push(u))) blobs.push(r);
    await auditor.close();
    const selfAdapter = createMssqlAdapter(options('quartz_login', SVC_PW));
    await selfAdapter.connect();
    self = await selfAdapter.collectFacts();
    await selfAdapter.close();
  }, 420_000);

  afterAll(async () => {
    await admin?.close();
    await container?.stop();
  });

  it('finds the eleven dbo tables of the official schema and the server version', () => {
    expect(audited.dialect).toBe('mssql');
    expect(audited.tables).toHaveLength(11);
    expect(audited.missingTables).toEqual([]);
    expect(audited.mssql?.version.major).toBe(16);
    expect(audited.mssql?.isolation.used).toBe('snapshot');
  });

  it('effective DML through nested roles and the schema grant; ALTER with grant option', () => {
    const e = audited.effective.filter((x) => x.principal === 'quartz_app' && x.table === 'TRIGGERS');
    expect(e.map((x) => x.privilege).sort()).toEqual(['DELETE', 'INSERT', 'SELECT', 'UPDATE']);
    expect(e.find((x) => x.privilege === 'INSERT')?.via).toEqual(['quartz_role', 'outer_role', '(schema)']);
    expect(audited.grants).toContainEqual(
      expect.objectContaining({ grantee: 'quartz_app', privilege: 'ALTER', quartzTable: 'LOCKS', grantable: true }),
    );
    expect(
      audited.effective.some(
        (x) => x.principal === 'reporting' && x.privilege === 'SELECT' && x.via[0] === 'db_datareader',
      ),
    ).toBe(true);
  });

  it('capabilities, guest, TRUSTWORTHY, logins', () => {
    const m = audited.mssql;
    expect(m?.capabilities.osCommand.xpCmdshellEnabled).toBe(true);
    expect(m?.capabilities.osCommand.reachableBy.some((r) => r.principal === 'sa')).toBe(true);
    expect(m?.capabilities.trustworthyEscalation).toBe(true);
    expect(m?.guestEnabled).toBe(true);
    expect(m?.logins.list?.find((l) => l.name === 'quartz_login')).toMatchObject({
      policyChecked: false,
      expirationChecked: false,
    });
    expect(m?.logins.saEnabled).toBe(true);
    expect(m?.serviceUser).toMatchObject({ login: 'quartz_login', defaultSchema: 'app', serverAdmin: false });
  });

  it('tamper: the DML trigger and the synonym in the default schema', () => {
    expect(audited.tamper.map((t) => `${t.kind}:${t.name}`).sort()).toEqual([
      'shadow-object:app.QRTZ_LOCKS',
      'trigger:trg_jd',
    ]);
  });

  it('encryption: no TDE, the session encrypted, certificate trusted blindly', () => {
    expect(audited.mssql?.tde.database?.stateDesc).toBe('NONE');
    expect(audited.mssql?.connection).toMatchObject({ encryptOption: true, trustServerCertificate: true });
    expect(audited.session.tls).toBe(true);
  });

  it('blobs stream with sizes and bounded bytes', () => {
    expect(blobUnreadable).toEqual([]);
    const jd = blobs.filter((b) => b.table === 'JOB_DETAILS');
    expect(jd.map((b) => b.key.name).sort()).toEqual(['java', 'json', 'mail']);
    for (const b of jd) expect(b.bytes?.length).toBe(b.size);
    expect(blobs.some((b) => b.table === 'CALENDARS')).toBe(true);
  });

  it('findings of the SQL Server checks on the seeded scenario (issue #12 parts 2–4)', () => {
    const all = evaluateFacts(audited, allChecks, new Set(FAMILIES), checkOptions({ maxBlobSize: 65_536 }));
    const has = (id: string, status: string, severity?: string, re?: RegExp) =>
      all.some(
        (f) =>
          f.check === id &&
          f.status === status &&
          (severity === undefined || f.severity === severity) &&
          (re === undefined || re.test(f.message)),
      );
    expect(all.filter((f) => /not yet evaluated|failed internally/.test(f.message))).toEqual([]);
    expect(has('QA-G01', 'pass')).toBe(true);
    expect(has('QA-G02', 'fail', 'high', /xp_cmdshell is enabled/)).toBe(true);
    expect(has('QA-G02', 'fail', 'high', /TRUSTWORTHY/)).toBe(true);
    expect(has('QA-G03', 'fail', 'high', /quartz_app holds ALTER on QRTZ_LOCKS/)).toBe(true);
    expect(has('QA-G03', 'fail', 'medium', /WITH GRANT OPTION/)).toBe(true);
    expect(has('QA-G04', 'fail', 'high', /public holds SELECT on QRTZ_JOB_DETAILS/)).toBe(true);
    expect(has('QA-G04', 'fail', 'medium', /guest is enabled/)).toBe(true);
    expect(has('QA-G05', 'fail', 'medium', /reporting can read/)).toBe(true);
    expect(has('QA-G13', 'fail', 'medium', /CHECK_POLICY/)).toBe(true);
    expect(has('QA-G13', 'fail', 'medium', /sa login/)).toBe(true);
    expect(has('QA-T01', 'fail', 'high', /trg_jd/)).toBe(true);
    expect(has('QA-E01', 'fail', 'high', /not encrypted at rest/)).toBe(true);
    expect(has('QA-E02', 'pass')).toBe(true);
    expect(has('QA-E02', 'fail', 'medium', /TrustServerCertificate/)).toBe(true);
    expect(has('QA-A01', 'fail', 'high', /no server audit exists/)).toBe(true);
    expect(has('QA-U02', 'pass', undefined, /SQL Server 2022/)).toBe(true);
    expect(audited.scheduler?.unreadable).toEqual([]);
    const selfFindings = evaluateFacts(self, allChecks, new Set(FAMILIES), checkOptions({ maxBlobSize: 65_536 }));
    const a01 = selfFindings.filter((f) => f.check === 'QA-A01');
    expect(a01.map((f) => f.status)).toEqual(['not-evaluated']);
    expect(String(a01[0]?.evidence?.needs)).toMatch(/VIEW ANY DEFINITION or ALTER ANY SERVER AUDIT/);
  });

  it('self audit: the service login sees a partial catalog and says which permission is missing', () => {
    expect(self.serviceAccount).toBe('quartz_app');
    expect(self.serviceAccountSource).toBe('connected-login');
    const what = self.unreadable.map((u) => u.what);
    expect(what).toContain('mssql.tde');
    expect(what).toContain('mssql.server-audits');
    expect(self.mssql?.tde.database).toBeNull();
  });
});
