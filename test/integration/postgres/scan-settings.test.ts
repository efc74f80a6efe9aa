/**
 * Server settings on throwaway PostgreSQL instances: pgaudit loaded vs not, ssl on vs off, plus the
 * read-only session and what a login without pg_read_all_settings can (not) see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { URL_PASSWORD_WARNING } from '../../../src/commands/scan.js';
import { createPostgresAdapter } from '../../../src/dialects/postgres/index.js';
import { FAMILIES } from '../../../src/model.js';
import { parseReport, runCli } from '../../support/cli.js';
import { createQuartzDb, dropAll } from '../../support/pg-quartz.js';
import {
  acquirePostgres,
  adminSql,
  opensslBinary,
  optionalPiece,
  type PgServer,
  pgauditLibrary,
  pgBinDir,
} from '../../support/pg-server.js';

// Each optional piece skips exactly the tests that need it (loudly), unless QRTZ_REQUIRE_DB asks for it.
const haveBinaries = optionalPiece(
  pgBinDir() ?? { skip: 'no PostgreSQL server binaries to start throwaway instances with special settings' },
  'postgres server binaries',
);
const havePgaudit = haveBinaries && optionalPiece(pgauditLibrary(), 'pgaudit');
const haveOpenssl = haveBinaries && optionalPiece(opensslBinary(), 'openssl');

async function setup(server: PgServer, db: string): Promise<void> {
  await createQuartzDb(server, db, 'public', 'quartz_owner');
  await adminSql(
    server,
    db,
    `CREATE ROLE quartz_app LOGIN; CREATE ROLE auditor LOGIN; CREATE ROLE plain LOGIN;
     GRANT pg_read_all_settings TO auditor;
     GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO quartz_app;
     GRANT SELECT ON ALL TABLES IN SCHEMA public TO auditor, plain;`,
  );
}

function finding(report: ReturnType<typeof parseReport>, check: string, status?: string) {
  return report.findings.filter((f) => f.check === check && (!status || f.status === status));
}

describe.skipIf(!haveBinaries)('PostgreSQL settings', () => {
  let plain: PgServer;
  let audited: PgServer;
  let tls: PgServer;
  const started = (s: PgServer | { skip: string }): PgServer => {
    if ('skip' in s) throw new Error(`throwaway server did not start: ${s.skip}`);
    return s;
  };
  beforeAll(async () => {
    plain = started(
      await acquirePostgres({
        conf: ['log_connections = on'],
        hba: ['host all pwuser 127.0.0.1/32 scram-sha-256'],
      }),
    );
    await setup(plain, 'jobs');
    await adminSql(
      plain,
      'postgres',
      "SET password_encryption = 'scram-sha-256'; CREATE ROLE pwuser LOGIN PASSWORD 'Tr0ub4dor-and-3'",
    );
    if (havePgaudit) {
      audited = started(
        await acquirePostgres({ conf: ["shared_preload_libraries = 'pgaudit'", "pgaudit.log = 'write, ddl'"] }),
      );
      await setup(audited, 'jobs');
      await adminSql(audited, 'jobs', 'CREATE EXTENSION pgaudit');
    }
    if (haveOpenssl) {
      tls = started(
        await acquirePostgres({
          ssl: true,
          hba: ['host all pwuser 127.0.0.1/32 scram-sha-256'],
          conf: ["password_encryption = 'md5'"],
        }),
      );
      await setup(tls, 'jobs');
      await adminSql(
        tls,
        'postgres',
        "SET password_encryption = 'scram-sha-256'; CREATE ROLE pwuser LOGIN PASSWORD 'Tr0ub4dor-and-3'",
      );
    }
  }, 120_000);
  afterAll(async () => {
    for (const s of [plain, audited, tls]) await s?.stop();
  });

  const scan = async (server: PgServer, user: string, extra: string[] = [], sslmode = 'disable') =>
    await runCli([
      'scan',
      `postgres://${user}@127.0.0.1:${server.port}/jobs?sslmode=${sslmode}`,
      '--service-account',
      'quartz_app',
      '--format',
      'json',
      ...extra,
    ]);

  it('pgaudit not loaded: QA-A01 high', async () => {
    const off = parseReport(await scan(plain, 'auditor', ['--only', 'audit']));
    expect(finding(off, 'QA-A01', 'fail').map((f) => f.severity)).toEqual(['high']);
  });

  it.skipIf(!havePgaudit)('pgaudit loaded with write,ddl: QA-A01 pass', async () => {
    const on = parseReport(await scan(audited, 'auditor', ['--only', 'audit']));
    expect(finding(on, 'QA-A01').map((f) => f.status)).toEqual(['pass']);
    expect(finding(on, 'QA-A01')[0]?.message).toContain("pgaudit.log = 'write, ddl'");
  });

  it.skipIf(!havePgaudit)('pgaudit loaded but logging only reads: QA-A01 medium', async () => {
    await adminSql(audited, 'postgres', "ALTER SYSTEM SET pgaudit.log = 'read'");
    await adminSql(audited, 'postgres', 'SELECT pg_reload_conf()');
    try {
      await new Promise((r) => setTimeout(r, 300));
      const rep = parseReport(await scan(audited, 'auditor', ['--only', 'audit']));
      expect(finding(rep, 'QA-A01', 'fail').map((f) => f.severity)).toEqual(['medium']);
    } finally {
      await adminSql(audited, 'postgres', 'ALTER SYSTEM RESET pgaudit.log');
      await adminSql(audited, 'postgres', 'SELECT pg_reload_conf()');
    }
  });

  it('a login without pg_read_all_settings: QA-A01 not-evaluated on a server without pgaudit, naming the role it needs', async () => {
    const rep = parseReport(await scan(plain, 'plain', ['--only', 'audit']));
    const a01 = finding(rep, 'QA-A01');
    expect(a01.map((f) => f.status)).toEqual(['not-evaluated']);
    expect(a01[0]?.evidence?.needs).toContain('pg_read_all_settings');
    expect(rep.unreadable.map((u) => u.what)).toContain('settings.shared_preload_libraries');
  });

  it.skipIf(!havePgaudit)(
    'with pgaudit loaded, its settings are visible to everyone: A01 is evaluated from them',
    async () => {
      const rep2 = parseReport(await scan(audited, 'plain', ['--only', 'audit']));
      expect(finding(rep2, 'QA-A01').map((f) => f.status)).toEqual(['pass']);
    },
  );

  it('log_connections on, log_disconnections off: QA-A02 names the one that is off', async () => {
    const rep = parseReport(await scan(plain, 'auditor', ['--only', 'audit']));
    expect(finding(rep, 'QA-A02', 'fail')[0]?.message).toMatch(/^log_disconnections off/);
  });

  it('ssl off: QA-E02 high', async () => {
    const off = parseReport(await scan(plain, 'auditor', ['--only', 'encryption']));
    expect(finding(off, 'QA-E02', 'fail').map((f) => f.severity)).toContain('high');
  });

  it.skipIf(!haveOpenssl)('ssl on over TLS: pass; ssl on but this session in plaintext: medium', async () => {
    const on = parseReport(await scan(tls, 'auditor', ['--only', 'encryption'], 'require'));
    expect(finding(on, 'QA-E02', 'fail')).toEqual([]);
    expect(
      finding(on, 'QA-E02', 'pass')
        .map((f) => f.object.kind)
        .sort(),
    ).toEqual(['server', 'session']);
    const plainSession = parseReport(await scan(tls, 'auditor', ['--only', 'encryption'], 'disable'));
    expect(finding(plainSession, 'QA-E02', 'fail').map((f) => [f.object.kind, f.severity])).toEqual([
      ['session', 'medium'],
    ]);
    // sslmode=prefer (the default) takes TLS where the server offers it
    const prefer = parseReport(await scan(tls, 'auditor', ['--only', 'encryption'], 'prefer'));
    expect(finding(prefer, 'QA-E02', 'fail')).toEqual([]);
  });

  it.skipIf(!haveOpenssl)(
    'password_encryption md5: QA-E03; QA-E01 is manual without evidence and passes with --attest',
    async () => {
      const rep = parseReport(await scan(tls, 'auditor', ['--only', 'encryption'], 'require'));
      expect(finding(rep, 'QA-E03', 'fail')).toHaveLength(1);
      expect(finding(rep, 'QA-E01').map((f) => f.status)).toEqual(['manual']);
      const att = parseReport(
        await scan(
          tls,
          'auditor',
          ['--only', 'encryption', '--attest', 'at-rest=LUKS on the data volume, ticket SEC-12'],
          'require',
        ),
      );
      expect(finding(att, 'QA-E01').map((f) => [f.status, f.evidence?.attestation])).toEqual([
        ['pass', 'LUKS on the data volume, ticket SEC-12'],
      ]);
    },
  );

  it.skipIf(!haveOpenssl)('wrong password: exit 2, one line, and the password appears nowhere', async () => {
    const secret = 'Wr0ng-Pa55word-xyz';
    const run = await runCli([
      'scan',
      `postgres://pwuser:${secret}@127.0.0.1:${tls.port}/jobs?sslmode=require`,
      '--format',
      'json',
    ]);
    expect(run.code).toBe(2);
    // the password in the URL draws its one warning line first (issue #17 part 6), then the error
    expect(run.stderr.startsWith(`${URL_PASSWORD_WARNING}\n`)).toBe(true);
    expect(run.stderr.slice(URL_PASSWORD_WARNING.length + 1)).toMatch(
      /^qrtz-audit: password authentication failed for postgres:\/\/pwuser@127\.0\.0\.1:\d+\/jobs\n$/,
    );
    expect(run.stdout + run.stderr).not.toContain(secret);
    const dbg = await runCli([
      '--debug',
      'scan',
      `postgres://pwuser:${secret}@127.0.0.1:${tls.port}/jobs?sslmode=require`,
    ]);
    expect(dbg.code).toBe(2);
    expect(dbg.stdout + dbg.stderr).not.toContain(secret);
  });

  // "at once" without a clock: the line is the server's own password request, not a timeout
  it('a server that wants a password when none was given: one clear line, exit 2, at once', async () => {
    const saved = process.env.PGPASSWORD;
    const savedFile = process.env.PGPASSFILE;
    delete process.env.PGPASSWORD;
    process.env.PGPASSFILE = '/nonexistent/qrtz-audit-test-pgpass';
    try {
      const run = await runCli(['scan', `postgres://pwuser@127.0.0.1:${plain.port}/jobs?sslmode=disable`]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /^qrtz-audit: the server requires a password \(PGPASSWORD, --password-stdin or the URL\) for postgres:\/\/pwuser@127\.0\.0\.1:\d+\/jobs\n$/,
      );
      expect(run.stderr).not.toMatch(/SASL|SCRAM/);
    } finally {
      if (saved === undefined) delete process.env.PGPASSWORD;
      else process.env.PGPASSWORD = saved;
      if (savedFile === undefined) delete process.env.PGPASSFILE;
      else process.env.PGPASSFILE = savedFile;
    }
    // The failed login was closed: the server holds no session of pwuser (it would linger for 60 s).
    await new Promise((r) => setTimeout(r, 300));
    const left = await adminSql(
      plain,
      'postgres',
      "SELECT count(*)::int n FROM pg_stat_activity WHERE usename = 'pwuser'",
    );
    expect(left.rows[0].n).toBe(0);
  });

  it.skipIf(!haveOpenssl)(
    'right password through --password-stdin connects (then fails on missing tables, exit 2)',
    async () => {
      await adminSql(tls, 'postgres', 'CREATE DATABASE empty_db');
      try {
        const run = await runCli(
          ['scan', `postgres://pwuser@127.0.0.1:${tls.port}/empty_db?sslmode=require`, '--password-stdin'],
          'Tr0ub4dor-and-3\n',
        );
        expect(run.code).toBe(2);
        expect(run.stderr).toContain('no Quartz tables with prefix QRTZ_ in schema public');
        expect(run.stderr).not.toContain('Tr0ub4dor');
      } finally {
        await adminSql(tls, 'postgres', 'DROP DATABASE empty_db');
      }
    },
  );

  it('the audit session is read-only, named qrtz-audit, with statement and lock timeouts', async () => {
    const adapter = createPostgresAdapter({
      url: `postgres://auditor@127.0.0.1:${plain.port}/jobs?sslmode=disable`,
      tablePrefix: 'QRTZ_',
      allowPrincipals: [],
      families: new Set(FAMILIES),
      statementTimeoutMs: 12345,
      lockTimeoutMs: 678,
      connectTimeoutMs: 5000,
      maxBlobSize: 1024,
      attestations: {},
    });
    await adapter.connect();
    try {
      const client = (adapter as unknown as { client: import('pg').Client }).client;
      const r = await client.query(
        "SELECT current_setting('transaction_read_only') ro, current_setting('application_name') app, current_setting('statement_timeout') st, current_setting('lock_timeout') lt, current_setting('search_path') sp, current_setting('row_security') rls, current_setting('transaction_isolation') iso, current_setting('default_transaction_read_only') dro",
      );
      expect(r.rows[0]).toEqual({
        ro: 'on',
        app: 'qrtz-audit',
        st: '12345ms',
        lt: '678ms',
        sp: 'pg_catalog, pg_temp',
        rls: 'off',
        iso: 'repeatable read',
        dro: 'on',
      });
      await client.query('SAVEPOINT probe');
      await expect(client.query('CREATE TABLE should_fail (x int)')).rejects.toThrow(/read-only transaction/);
      await client.query('ROLLBACK TO SAVEPOINT probe');
      // One explicit transaction: its read-only mode cannot be turned off once a query has run.
      await expect(client.query('SET transaction_read_only = off')).rejects.toThrow(/read-write mode/);
      await client.query('ROLLBACK TO SAVEPOINT probe');
    } finally {
      await adapter.close();
    }
  });
});

describe('bad input', () => {
  it('malformed URL, unknown scheme: exit 2 with one line', async () => {
    const a = await runCli(['scan', 'postgres://[broken']);
    expect(a.code).toBe(2);
    expect(a.stderr).toBe('qrtz-audit: malformed connection URL (expected postgres://user@host:port/database)\n');
    const b = await runCli(['scan', 'oracle://x@y/z']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/^qrtz-audit: unsupported database scheme oracle/);
    const c = await runCli(['scan', 'not a url']);
    expect(c.code).toBe(2);
  });

  it('unknown family, bad number, unknown option: exit 2', async () => {
    expect((await runCli(['scan', 'postgres://u@h/d', '--only', 'grantz'])).stderr).toContain(
      'unknown check family grantz',
    );
    expect((await runCli(['scan', 'postgres://u@h/d', '--statement-timeout', '-1'])).code).toBe(2);
    expect((await runCli(['scan', 'postgres://u@h/d', '--frobnicate'])).code).toBe(2);
    expect((await runCli(['scan', 'postgres://u@h/d', '--fail-on', 'severe'])).code).toBe(2);
  });

  it('refused connection and unknown host: exit 2, password not shown', async () => {
    const { freePort } = await import('../../support/pg-server.js');
    const port = await freePort();
    const r = await runCli(['scan', `postgres://u:S3cretPw!@127.0.0.1:${port}/d?sslmode=disable`]);
    expect(r.code).toBe(2);
    expect(r.stderr.startsWith(`${URL_PASSWORD_WARNING}\n`)).toBe(true);
    expect(r.stderr.slice(URL_PASSWORD_WARNING.length + 1)).toMatch(
      /^qrtz-audit: connection refused by postgres:\/\/u@127\.0\.0\.1:\d+\n$/,
    );
    const h = await runCli([
      'scan',
      'postgres://u:S3cretPw!@no-such-host.invalid/d?sslmode=disable',
      '--connect-timeout',
      '3000',
    ]);
    expect(h.code).toBe(2);
    expect(h.stderr).toContain('unknown host');
    expect(r.stderr + h.stderr).not.toContain('S3cretPw');
  });
});

describe.skipIf(!haveBinaries)('missing database, tables, prefix', () => {
  let s: PgServer;
  beforeAll(async () => {
    const a = await acquirePostgres();
    if ('skip' in a) throw new Error(a.skip);
    s = a;
    await createQuartzDb(s, 'qa_bad', 'quartz', 'qa_bad_owner');
  });
  afterAll(async () => {
    try {
      await dropAll(s, ['qa_bad'], ['qa_bad_owner']);
    } finally {
      await s.stop();
    }
  });
  it('missing database: exit 2', async () => {
    const r = await runCli(['scan', `postgres://postgres@127.0.0.1:${s.port}/nope_db?sslmode=disable`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/database does not exist/);
  });
  it('wrong schema or prefix: exit 2 listing where Quartz tables are', async () => {
    const r = await runCli(['scan', `postgres://postgres@127.0.0.1:${s.port}/qa_bad?sslmode=disable`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'qrtz-audit: no Quartz tables with prefix QRTZ_ in schema public. Quartz-looking tables found at: quartz.qrtz_ (use --schema / --table-prefix).\n',
    );
    const p = await runCli([
      'scan',
      `postgres://postgres@127.0.0.1:${s.port}/qa_bad?sslmode=disable`,
      '--schema',
      'quartz',
      '--table-prefix',
      'QRTZX_',
    ]);
    expect(p.code).toBe(2);
    expect(p.stderr).toContain('quartz.qrtz_');
  });
  it('prefix is matched case-insensitively and exactly (QRTZ_ finds qrtz_ tables; _ is no wildcard)', async () => {
    await adminSql(s, 'qa_bad', 'CREATE TABLE quartz.qrtzxjob_details (x int)');
    const r = await runCli([
      'scan',
      `postgres://postgres@127.0.0.1:${s.port}/qa_bad?sslmode=disable`,
      '--schema',
      'quartz',
      '--only',
      'grants',
      '--format',
      'json',
    ]);
    const rep = parseReport(r);
    expect(rep.inventory.tables.present).toHaveLength(11);
    expect(rep.inventory.tables.present).not.toContain('qrtzxjob_details');
  });
  it('missing standard tables are listed', async () => {
    await adminSql(s, 'qa_bad', 'DROP TABLE quartz.qrtz_simprop_triggers');
    const rep = parseReport(
      await runCli([
        'scan',
        `postgres://postgres@127.0.0.1:${s.port}/qa_bad?sslmode=disable`,
        '--schema',
        'quartz',
        '--only',
        'grants',
        '--format',
        'json',
      ]),
    );
    expect(rep.inventory.tables.missing).toEqual(['SIMPROP_TRIGGERS']);
  });
  it('permission denied on a catalog: the checks that need it are not-evaluated, not passed', async () => {
    await adminSql(
      s,
      'qa_bad',
      'CREATE ROLE qa_bad_low LOGIN; GRANT USAGE ON SCHEMA quartz TO qa_bad_low; REVOKE SELECT ON pg_catalog.pg_auth_members FROM PUBLIC;',
    );
    try {
      const rep = parseReport(
        await runCli([
          'scan',
          `postgres://qa_bad_low@127.0.0.1:${s.port}/qa_bad?sslmode=disable`,
          '--schema',
          'quartz',
          // A login without DML is not the scheduler's: without this the scan asks for it (exit 2).
          '--service-account',
          'qa_bad_low',
          '--only',
          'grants',
          '--format',
          'json',
        ]),
      );
      expect(rep.findings.filter((f) => f.check === 'QA-G02').map((f) => f.status)).toEqual(['not-evaluated']);
      expect(rep.unreadable.map((u) => u.what)).toContain('pg_auth_members');
    } finally {
      await adminSql(
        s,
        'qa_bad',
        'GRANT SELECT ON pg_catalog.pg_auth_members TO PUBLIC; REVOKE USAGE ON SCHEMA quartz FROM qa_bad_low; DROP ROLE qa_bad_low;',
      );
    }
  });
});
