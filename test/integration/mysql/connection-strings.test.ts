/**
 * The connection strings a Quartz application already has (issue #14 part 9), against the shared
 * MariaDB: JDBC URLs (jdbc:mysql:, jdbc:mariadb:) from quartz.properties, a MySqlConnector string
 * from quartz.config, and ~/.my.cnf in a temporary HOME each connect and run an audit through the
 * CLI; the password never appears in the output. Skips loudly without the service.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReport, runCli } from '../../support/cli.js';
import { dbRequired, sharedMariadb } from '../../support/mariadb-server.js';
import { createQuartzDb, uniq } from './helpers.js';

const shared = await sharedMariadb();
if (!shared.ok) {
  if (dbRequired()) throw new Error(`QRTZ_REQUIRE_DB is set but ${shared.reason}`);
  console.warn(`[skip] mysql/connection-strings: ${shared.reason}`);
}
const HOST = process.env.QRTZ_MYSQL_HOST ?? '127.0.0.1';
const PORT = Number(process.env.QRTZ_MYSQL_PORT ?? 3306);

describe.skipIf(!shared.ok)('MariaDB: connection strings users already have', () => {
  const id = uniq();
  const db = `qa_${id}_cs`;
  const user = `qa_${id}_app`;
  const secret = `Pw;"'${id} x#`;
  const home = mkdtempSync(join(tmpdir(), 'qrtz-mycnf-'));
  const saved = { ...process.env };
  let root: mysql.Connection;

  beforeAll(async () => {
    root = await mysql.createConnection({ host: HOST, port: PORT, user: 'root' });
    await createQuartzDb(root, db);
    await root.query('CREATE USER ?@? IDENTIFIED BY ?', [user, '%', secret]);
    await root.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON \`${db}\`.* TO ?@?`, [user, '%']);
  });
  afterAll(async () => {
    process.env = saved;
    rmSync(home, { recursive: true, force: true });
    await root.query(`DROP DATABASE IF EXISTS \`${db}\``);
    await root.query('DROP USER IF EXISTS ?@?', [user, '%']);
    await root.end();
  });

  async function audit(args: string[], env: Record<string, string> = {}) {
    process.env = { ...saved, QRTZ_AUDIT_NO_MY_CNF: '', ...env };
    try {
      const run = await runCli(['scan', ...args, '--format', 'json', '--fail-on', 'critical', '--allow-incomplete']);
      expect(run.stdout + run.stderr).not.toContain(secret);
      const report = parseReport(run);
      expect(report.target).toMatchObject({ dialect: 'mariadb', database: db });
      expect(String(report.target.user)).toMatch(new RegExp(`^'?${user}'?@`));
      expect(report.findings.length).toBeGreaterThan(10);
      return run;
    } finally {
      process.env = saved;
    }
  }

  it('jdbc:mysql: and jdbc:mariadb: URLs as quartz.properties holds them', async () => {
    const pw = encodeURIComponent(secret);
    await audit([
      `jdbc:mysql://${HOST}:${PORT}/${db}?user=${user}&password=${pw}&useSSL=false&serverTimezone=UTC&characterEncoding=utf8&allowPublicKeyRetrieval=true`,
    ]);
    await audit(['--connection-string-env', 'JDBC_URL'], {
      JDBC_URL: `jdbc:mariadb://${HOST}:${PORT}/${db}?user=${user}&password=${pw}&sslMode=disable&autocommit=true`,
    });
  });

  it('a MySqlConnector string as quartz.config holds it, told apart by its keys', async () => {
    await audit(['--connection-string-env', 'QUARTZ_CS'], {
      QUARTZ_CS: `Server=${HOST};Port=${PORT};Database=${db};Uid=${user};Pwd="${secret.replace(/"/g, '""')}";SslMode=None;AllowUserVariables=True;CharSet=utf8mb4`,
    });
  });

  it('~/.my.cnf [client] gives user and password when the URL does not; --no-my-cnf turns it off', async () => {
    writeFileSync(
      join(home, '.my.cnf'),
      `[mysqld]\nport=1\n[client]\nuser=${user}\npassword="${secret.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"\nhost=${HOST}\nport=${PORT}\nssl-mode=DISABLED\ndefault-character-set=utf8mb4\n`,
    );
    await audit([`mariadb:///${db}`], { HOME: home });
    process.env = { ...saved, HOME: home, MYSQL_PWD: '' };
    try {
      const off = await runCli(['scan', `mariadb://${user}@${HOST}:${PORT}/${db}?sslmode=disabled`, '--no-my-cnf']);
      expect(off.code).toBe(2);
      expect(off.stderr).toMatch(/access denied for mariadb:\/\/qa_\w+_app@/);
      expect(off.stderr).not.toContain(secret);
    } finally {
      process.env = saved;
    }
  });
});
