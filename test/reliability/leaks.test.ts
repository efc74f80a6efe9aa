/**
 * No leaks (issue #17 part 6): with secrets planted in every blob format (NRBF, Java serialization,
 * Json.NET, properties) and in text columns (description, SIMPROP string properties), and the password
 * given by every connection path — in the URL, in the driver's environment (PGPASSWORD / MYSQL_PWD),
 * on standard input (--password-stdin), in a configuration file (--from-config --use-config-credentials)
 * — no raw secret or password appears in stdout, stderr, an output file or an error message, in any
 * format, with --verbose and --debug, and with a wrong password too. Each path logs in as its own user
 * with its own password (the redaction registry is per process: one path must not protect another).
 * A password in the command line's URL draws a one-line warning that the process list shows it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUARTZ_MYSQL_SCHEMA } from '../integration/mysql/schema.js';
import { runCli } from '../support/cli.js';
import { dbRequired, sharedMariadb } from '../support/mariadb-server.js';
import { createQuartzDb } from '../support/pg-quartz.js';
import { acquirePostgres, adminSql, type PgServer } from '../support/pg-server.js';
import { insertRows, REL_SECRETS, secretRows } from '../support/rel-store.js';

const FORMATS = ['table', 'json', 'sarif', 'junit', 'html'] as const;
const PATHS = ['url', 'env', 'stdin', 'config'] as const;
type Path = (typeof PATHS)[number];
const id = randomBytes(3).toString('hex');
/** Fabricated passwords, one per path and one wrong one per path; long and unlike words. */
const pw = (tag: string) => `Pw${tag}-${randomBytes(9).toString('base64url')}#${id}`;
const PASSWORDS = Object.fromEntries(PATHS.map((p) => [p, pw(p)])) as Record<Path, string>;
const WRONG = Object.fromEntries(PATHS.map((p) => [p, pw(`x${p}`)])) as Record<Path, string>;
const URL_WARNING = /^qrtz-audit: warning: the password in the URL is visible to other local users .*--password-stdin/m;

interface Target {
  /** argv for `scan` (without format options) and stdin, for a path and a password. */
  args(
    path: Path,
    password: string,
    dir: string,
  ): { argv: string[]; stdin: string; env: Record<string, string | undefined> };
}

/** Runs every format (+ --verbose, --debug) and a wrong password through one path; returns all text seen. */
async function exercise(
  t: Target,
  path: Path,
  out: string,
): Promise<{ text: string; codes: number[]; stderrs: string[] }> {
  const dir = mkdtempSync(join(out, `${path}-`));
  let text = '';
  const codes: number[] = [];
  const stderrs: string[] = [];
  const run = async (password: string, extra: string[]) => {
    const { argv, stdin, env } = t.args(path, password, dir);
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    for (const [k, v] of Object.entries(env)) if (v !== undefined) process.env[k] = v;
    try {
      const r = await runCli(['--debug', ...argv, ...extra], stdin);
      codes.push(r.code);
      stderrs.push(r.stderr);
      text += `${r.stdout}\n${r.stderr}\n`;
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  };
  await run(PASSWORDS[path], ['--format', 'json']);
  await run(PASSWORDS[path], ['--format', 'table', '--verbose']);
  for (const f of FORMATS) {
    await run(PASSWORDS[path], ['--format', f, '--verbose', '--output', join(dir, `r.${f}`)]);
    text += readFileSync(join(dir, `r.${f}`), 'utf8');
  }
  await run(WRONG[path], ['--format', 'json']);
  return { text, codes, stderrs };
}

function expectNoLeak(text: string, path: Path): void {
  for (const [k, v] of Object.entries(REL_SECRETS))
    expect(text.includes(v), `blob/text secret ${k} leaked (${path})`).toBe(false);
  for (const p of PATHS) {
    expect(text.includes(PASSWORDS[p]), `password of ${p} leaked (${path})`).toBe(false);
    expect(text.includes(WRONG[p]), `wrong password of ${p} leaked (${path})`).toBe(false);
    expect(text.includes(encodeURIComponent(PASSWORDS[p])), `encoded password of ${p} leaked (${path})`).toBe(false);
  }
}

const pgGot = await acquirePostgres({
  fresh: true,
  hba: [`host all ${PATHS.map((p) => `rel_${p}_${id}`).join(',')} 127.0.0.1/32 scram-sha-256`],
});
const pgServer = 'skip' in pgGot ? undefined : (pgGot as PgServer);

describe.skipIf(!pgServer)('no leaks on PostgreSQL (scram-sha-256 logins)', () => {
  const s = pgServer as PgServer;
  const DB = 'relleak';
  const out = mkdtempSync(join(tmpdir(), 'qrtz-rel-leak-pg-'));
  const user = (p: Path) => `rel_${p}_${id}`;
  const t: Target = {
    args(path, password, dir) {
      const base = `127.0.0.1:${s.port}/${DB}?sslmode=disable`;
      const common = ['--schema', 'quartz', '--service-account', 'rel_svc'];
      if (path === 'url')
        return {
          argv: ['scan', `postgres://${user(path)}:${encodeURIComponent(password)}@${base}`, ...common],
          stdin: '',
          env: {},
        };
      if (path === 'env')
        return {
          argv: ['scan', `postgres://${user(path)}@${base}`, ...common],
          stdin: '',
          env: { PGPASSWORD: password },
        };
      if (path === 'stdin')
        return {
          argv: ['scan', `postgres://${user(path)}@${base}`, '--password-stdin', ...common],
          stdin: `${password}\n`,
          env: {},
        };
      writeFileSync(
        join(dir, 'appsettings.json'),
        JSON.stringify({
          ConnectionStrings: {
            Quartz: `Host=127.0.0.1;Port=${s.port};Database=${DB};Username=${user(path)};Password=${password};Search Path=quartz;SSL Mode=Disable`,
          },
          Quartz: {
            'quartz.jobStore.type': 'Quartz.Impl.AdoJobStore.JobStoreTX, Quartz',
            'quartz.jobStore.driverDelegateType': 'Quartz.Impl.AdoJobStore.PostgreSQLDelegate, Quartz',
            'quartz.jobStore.dataSource': 'default',
            'quartz.jobStore.tablePrefix': 'qrtz_',
            'quartz.dataSource.default.provider': 'Npgsql',
            'quartz.dataSource.default.connectionStringName': 'Quartz',
          },
        }),
      );
      return {
        argv: [
          'scan',
          '--from-config',
          dir,
          '--use-config-credentials',
          '--schema',
          'quartz',
          '--service-account',
          'rel_svc',
        ],
        stdin: '',
        env: {},
      };
    },
  };
  beforeAll(async () => {
    await createQuartzDb(s, DB, 'quartz', 'rel_owner');
    await adminSql(s, 'postgres', 'CREATE ROLE rel_svc LOGIN');
    for (const p of PATHS) {
      await adminSql(s, 'postgres', `CREATE ROLE ${user(p)} LOGIN PASSWORD '${PASSWORDS[p]}'`);
      await adminSql(
        s,
        DB,
        `GRANT USAGE ON SCHEMA quartz TO ${user(p)}; GRANT SELECT ON ALL TABLES IN SCHEMA quartz TO ${user(p)}`,
      );
    }
    await adminSql(
      s,
      DB,
      'GRANT USAGE ON SCHEMA quartz TO rel_svc; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA quartz TO rel_svc',
    );
    const c = new pg.Client({ connectionString: s.adminUrl(DB) });
    await c.connect();
    await c.query('SET search_path = quartz');
    await insertRows('postgres', (sql, params) => c.query(sql, params), secretRows());
    await c.end();
  });
  afterAll(async () => {
    rmSync(out, { recursive: true, force: true });
    await s.stop();
  });

  for (const path of PATHS) {
    it(`password by ${path}: no secret or password in any format, file or error (--verbose, --debug, wrong password)`, async () => {
      const r = await exercise(t, path, out);
      // the audits ran (findings) and the wrong password was refused in one line
      expect(r.codes.slice(0, -1).every((c) => c === 1)).toBe(true);
      expect(r.codes.at(-1)).toBe(2);
      expect(r.stderrs.at(-1)).toMatch(/^qrtz-audit: .*(password|authentication)/im);
      expect(r.text).toContain('QA-S01');
      expectNoLeak(r.text, path);
      // the URL warning: exactly once per run for a password in the URL, never otherwise
      for (const e of r.stderrs) {
        expect(URL_WARNING.test(e), `URL warning (${path}): ${e}`).toBe(path === 'url');
        expect((e.match(/warning: the password in the URL/g) ?? []).length).toBe(path === 'url' ? 1 : 0);
      }
    });
  }
});

describe('no leaks on MariaDB (shared service)', () => {
  const DB = `rel_leak_${id}`;
  const out = mkdtempSync(join(tmpdir(), 'qrtz-rel-leak-my-'));
  const user = (p: Path) => `rel_${p}_${id}`;
  let admin: mysql.Connection | undefined;
  let skip = '';
  const t: Target = {
    args(path, password, dir) {
      const base = `127.0.0.1:3306/${DB}`;
      const common = ['--service-account', `'rel_svc_${id}'@'%'`];
      if (path === 'url')
        return {
          argv: ['scan', `mysql://${user(path)}:${encodeURIComponent(password)}@${base}`, ...common],
          stdin: '',
          env: {},
        };
      if (path === 'env')
        return { argv: ['scan', `mysql://${user(path)}@${base}`, ...common], stdin: '', env: { MYSQL_PWD: password } };
      if (path === 'stdin')
        return {
          argv: ['scan', `mysql://${user(path)}@${base}`, '--password-stdin', ...common],
          stdin: `${password}\n`,
          env: {},
        };
      writeFileSync(
        join(dir, 'quartz.properties'),
        [
          'org.quartz.jobStore.class = org.quartz.impl.jdbcjobstore.JobStoreTX',
          'org.quartz.jobStore.driverDelegateClass = org.quartz.impl.jdbcjobstore.StdJDBCDelegate',
          'org.quartz.jobStore.dataSource = qzDS',
          'org.quartz.jobStore.tablePrefix = QRTZ_',
          'org.quartz.dataSource.qzDS.driver = org.mariadb.jdbc.Driver',
          `org.quartz.dataSource.qzDS.URL = jdbc:mariadb://127.0.0.1:3306/${DB}`,
          `org.quartz.dataSource.qzDS.user = ${user(path)}`,
          `org.quartz.dataSource.qzDS.password = ${password}`,
          '',
        ].join('\n'),
      );
      return { argv: ['scan', '--from-config', dir, '--use-config-credentials', ...common], stdin: '', env: {} };
    },
  };
  beforeAll(async () => {
    const shared = await sharedMariadb();
    if (!shared.ok) {
      skip = shared.reason;
      if (dbRequired()) throw new Error(`QRTZ_REQUIRE_DB includes mariadb but ${skip}`);
      console.warn(`SKIPPED (no leaks on MariaDB): ${skip}`);
      return;
    }
    admin = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
    await admin.query(`CREATE DATABASE \`${DB}\``);
    await admin.query(`USE \`${DB}\``);
    for (const stmt of QUARTZ_MYSQL_SCHEMA) await admin.query(stmt);
    await insertRows('mysql', (sql, params) => (admin as mysql.Connection).query(sql, params), secretRows());
    await admin.query(`CREATE USER 'rel_svc_${id}'@'%'`);
    await admin.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON \`${DB}\`.* TO 'rel_svc_${id}'@'%'`);
    for (const p of PATHS) {
      await admin.query(`CREATE USER '${user(p)}'@'%' IDENTIFIED BY ?`, [PASSWORDS[p]]);
      await admin.query(`GRANT SELECT ON \`${DB}\`.* TO '${user(p)}'@'%'`);
    }
  });
  afterAll(async () => {
    rmSync(out, { recursive: true, force: true });
    if (!admin) return;
    await admin.query(`DROP DATABASE IF EXISTS \`${DB}\``);
    for (const u of [...PATHS.map(user), `rel_svc_${id}`]) await admin.query(`DROP USER IF EXISTS '${u}'@'%'`);
    await admin.end();
  });

  for (const path of PATHS) {
    it(`password by ${path}: no secret or password in any format, file or error (--verbose, --debug, wrong password)`, async (ctx) => {
      if (!admin) return ctx.skip();
      const r = await exercise(t, path, out);
      expect(r.codes.slice(0, -1).every((c) => c === 1)).toBe(true);
      expect(r.codes.at(-1)).toBe(2);
      expect(r.stderrs.at(-1)).toMatch(/^qrtz-audit: .*(password|access denied)/im);
      expect(r.text).toContain('QA-S01');
      expectNoLeak(r.text, path);
      for (const e of r.stderrs) {
        expect(URL_WARNING.test(e), `URL warning (${path}): ${e}`).toBe(path === 'url');
        expect((e.match(/warning: the password in the URL/g) ?? []).length).toBe(path === 'url' ? 1 : 0);
      }
    });
  }
});
