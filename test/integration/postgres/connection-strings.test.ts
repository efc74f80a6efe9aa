/**
 * The connection strings a Quartz application already has (issue #14 part 9), against the real
 * PostgreSQL: a JDBC URL from quartz.properties, an Npgsql string from quartz.config, a libpq keyword
 * string, and a pg_service.conf service in a temporary HOME each connect and run an audit through
 * the CLI; the password they hold never appears in the output.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReport, runCli } from '../../support/cli.js';
import { createQuartzDb, dropAll } from '../../support/pg-quartz.js';
import { acquirePostgres, adminSql, type PgServer } from '../../support/pg-server.js';

const got = await acquirePostgres();
const server = 'skip' in got ? undefined : (got as PgServer);
const P = `qcs${process.pid}`;
const DB = `${P}_quartz`;
const APP = `${P}_app`;
const SECRET = `Pw;'"${P} x`;
const home = mkdtempSync(join(tmpdir(), 'qrtz-cs-home-'));

describe.skipIf(!server)('PostgreSQL: connection strings users already have', () => {
  const s = server as PgServer;
  const saved = { ...process.env };
  beforeAll(async () => {
    await dropAll(s, [DB], [APP, `${P}_owner`]);
    await adminSql(s, 'postgres', `CREATE ROLE ${APP} LOGIN PASSWORD '${SECRET.replace(/'/g, "''")}'`);
    await createQuartzDb(s, DB, 'quartz', `${P}_owner`);
    await adminSql(
      s,
      DB,
      `GRANT USAGE ON SCHEMA quartz TO ${APP}; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA quartz TO ${APP}`,
    );
  });
  afterAll(async () => {
    process.env = saved;
    rmSync(home, { recursive: true, force: true });
    try {
      await dropAll(s, [DB], [APP, `${P}_owner`]);
    } finally {
      await s.stop();
    }
  });

  async function audit(args: string[], env: Record<string, string> = {}) {
    process.env = { ...saved, ...env };
    try {
      const run = await runCli(['scan', ...args, '--format', 'json', '--fail-on', 'critical', '--allow-incomplete']);
      expect(run.stdout + run.stderr).not.toContain(SECRET);
      const report = parseReport(run);
      expect(report.target).toMatchObject({ dialect: 'postgres', database: DB, schema: 'quartz', user: APP });
      expect(report.findings.length).toBeGreaterThan(10);
      return run;
    } finally {
      process.env = saved;
    }
  }

  it('a JDBC URL as quartz.properties holds it (org.quartz.dataSource.NAME.URL), currentSchema naming the schema', async () => {
    const pw = encodeURIComponent(SECRET);
    const run = await audit([
      `jdbc:postgresql://127.0.0.1:${s.port}/${DB}?user=${APP}&password=${pw}&currentSchema=quartz&ApplicationName=QuartzScheduler&sslmode=disable&reWriteBatchedInserts=true`,
    ]);
    // On the command line the password is visible to `ps`: the one warning says so.
    expect(run.stderr).toContain('the password in the URL is visible to other local users');
  });

  it('an Npgsql string as quartz.config holds it (quartz.dataSource.default.connectionString), via --connection-string-env', async () => {
    await audit(['--connection-string-env', 'QUARTZ_CS'], {
      QUARTZ_CS: `Server=127.0.0.1;Port=${s.port};Database=${DB};User Id=${APP};Password="${SECRET.replace(/"/g, '""')}";Search Path=quartz;SSL Mode=Disable;Pooling=true;Maximum Pool Size=10`,
    });
  });

  it('a libpq keyword string, the password quoted with libpq rules', async () => {
    const q = SECRET.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
    await audit(['--connection-string-env', 'PGCS', '--schema', 'quartz'], {
      PGCS: `host=127.0.0.1 port=${s.port} dbname=${DB} user=${APP} password='${q}' sslmode=disable application_name=quartz`,
    });
  });

  it('a connection service from ~/.pg_service.conf, by service= and by PGSERVICE', async () => {
    writeFileSync(
      join(home, '.pg_service.conf'),
      `[quartz-prod]\nhost=127.0.0.1\nport=${s.port}\ndbname=${DB}\nuser=${APP}\nsslmode=disable\n`,
    );
    const env = { HOME: home, PGPASSWORD: SECRET, PGSYSCONFDIR: join(home, 'none') };
    await audit(['service=quartz-prod', '--schema', 'quartz'], env);
    await audit(['postgres://', '--schema', 'quartz'], { ...env, PGSERVICE: 'quartz-prod' });
  });

  it('an option the audit cannot honour is one line naming it; a wrong password is never echoed', async () => {
    const bad = await runCli([
      'scan',
      `host=127.0.0.1 port=${s.port} dbname=${DB} user=${APP} options='-c search_path=evil'`,
    ]);
    expect([bad.code, bad.stderr.trim()]).toEqual([
      2,
      'qrtz-audit: connection URL: options is not supported: it would change the session settings the audit pins (search_path, read-only, timeouts)',
    ]);
  });
});
