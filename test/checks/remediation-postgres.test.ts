/**
 * #9 part 3/5 on a real PostgreSQL: the QA-G03/G04/G05 remediations of a scan are piped into
 * `psql -f -` (the way a DBA pastes them) in a test-made database whose schema, tables and roles have
 * hostile names (quotes, semicolons, upper case, a newline followed by ALTER ROLE … SUPERUSER). The
 * fixes must run cleanly and revoke exactly what was reported, and the injected statement must not run.
 */
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report.js';
import { parseReport, runCli } from '../support/cli.js';
import { QUARTZ_PG_SCHEMA } from '../support/pg-quartz.js';
import { acquirePostgres, adminSql, type PgServer } from '../support/pg-server.js';

const got = await acquirePostgres();
const server = 'skip' in got ? undefined : (got as PgServer);
if (!server) console.warn(`SKIPPED remediation-postgres: ${(got as { skip: string }).skip}`);
const hasPsql = (() => {
  try {
    execFileSync('psql', ['--version']);
    return true;
  } catch {
    return false;
  }
})();
if (!hasPsql) console.warn('remediation-postgres: psql not installed; remediations run through the pg driver instead');

const P = `qarem${process.pid}`;
const DB = `${P}_db`;
const SCHEMA = `Adv "UC"; x`;
const OWNER = `${P}_owner`;
const APP = `${P}_app`;
const EVIL = `${P}_ev"il; DROP TABLE x; --`;
const UPPER = `${P}_UP`;
const VICTIM = `${P}_victim`;
const INJECT = `${P}_x\nALTER ROLE ${VICTIM} SUPERUSER; --`;
/** A login that holds the injected role's privileges through membership (the fix names the role). */
const MEMBER = `${P}_member`;
const ROLES = [OWNER, APP, EVIL, UPPER, VICTIM, MEMBER, INJECT];
/** Hand-written quoting for the fixture SQL (independent of the code under test). */
const q = (s: string) => `"${s.replace(/"/g, '""')}"`;

async function cleanup(s: PgServer): Promise<void> {
  await adminSql(s, 'postgres', `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  for (const r of ROLES) await adminSql(s, 'postgres', `DROP ROLE IF EXISTS ${q(r)}`).catch(() => {});
}

async function scan(s: PgServer): Promise<Report> {
  const run = await runCli([
    'scan',
    `postgres://postgres@127.0.0.1:${s.port}/${DB}?sslmode=disable`,
    '--schema',
    SCHEMA,
    '--service-account',
    APP,
    '--only',
    'grants',
    '--format',
    'json',
  ]);
  return parseReport(run);
}

describe.skipIf(!server)('remediations pasted into psql', () => {
  const s = server as PgServer;
  beforeAll(async () => {
    await cleanup(s);
    await adminSql(s, 'postgres', `CREATE DATABASE ${DB}`);
    await adminSql(
      s,
      'postgres',
      `CREATE ROLE ${q(OWNER)} NOLOGIN; CREATE ROLE ${q(APP)} LOGIN; CREATE ROLE ${q(EVIL)} LOGIN;
       CREATE ROLE ${q(UPPER)} LOGIN; CREATE ROLE ${q(VICTIM)} NOLOGIN; CREATE ROLE ${q(INJECT)} LOGIN;
       CREATE ROLE ${q(MEMBER)} LOGIN; GRANT ${q(INJECT)} TO ${q(MEMBER)};`,
    );
    const tables = [...QUARTZ_PG_SCHEMA.matchAll(/CREATE TABLE (qrtz_[a-z_]+)/g)].map((m) => m[1] as string);
    await adminSql(
      s,
      DB,
      `CREATE SCHEMA ${q(SCHEMA)} AUTHORIZATION ${q(OWNER)}; SET ROLE ${q(OWNER)}; SET search_path = ${q(SCHEMA)};
       ${QUARTZ_PG_SCHEMA};
       ${tables.map((t) => `ALTER TABLE ${t} RENAME TO ${q(t.toUpperCase())};`).join('\n')}
       GRANT USAGE ON SCHEMA ${q(SCHEMA)} TO PUBLIC;
       GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${q(SCHEMA)} TO ${q(APP)};
       GRANT TRUNCATE, TRIGGER ON ALL TABLES IN SCHEMA ${q(SCHEMA)} TO ${q(EVIL)};
       GRANT SELECT ON ${q('QRTZ_LOCKS')} TO ${q(UPPER)} WITH GRANT OPTION;
       GRANT INSERT ON ${q('QRTZ_TRIGGERS')} TO ${q(INJECT)};
       GRANT SELECT ON ${q('QRTZ_CALENDARS')} TO PUBLIC;
       RESET ROLE;`,
    );
  }, 120_000);
  afterAll(async () => {
    try {
      await cleanup(s);
    } finally {
      await s.stop();
    }
  });

  it('the fixes run cleanly, revoke what was reported and inject nothing', async () => {
    const before = await scan(s);
    const fails = before.findings.filter((f) =>
      ['QA-G03', 'QA-G04', 'QA-G05'].includes(f.status === 'fail' ? f.check : ''),
    );
    expect(fails.map((f) => `${f.check} ${f.object.principal ?? f.object.name}`).sort()).toEqual(
      [
        `QA-G03 ${EVIL}`,
        `QA-G03 ${UPPER}`,
        'QA-G04 PUBLIC',
        'QA-G05 PUBLIC',
        `QA-G05 ${EVIL}`,
        `QA-G05 ${INJECT}`,
        `QA-G05 ${MEMBER}`,
        `QA-G05 ${UPPER}`,
      ].sort(),
    );
    for (const who of [INJECT, MEMBER]) {
      expect(fails.find((f) => f.check === 'QA-G05' && f.object.principal === who)?.remediation).toMatch(
        /^-- no SQL given: /,
      );
    }
    const script = `${fails.map((f) => f.remediation).join('\n')}\n`;
    if (hasPsql) {
      execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', s.adminUrl(DB), '-f', '-'], { input: script });
    } else {
      const c = new pg.Client({ connectionString: s.adminUrl(DB) });
      await c.connect();
      try {
        await c.query(script);
      } finally {
        await c.end();
      }
    }
    const victim = await adminSql(s, 'postgres', 'SELECT rolsuper FROM pg_roles WHERE rolname = $1', [VICTIM]);
    expect(victim.rows[0]?.rolsuper).toBe(false);
    const priv = async (role: string, table: string, p: string) =>
      (
        await adminSql(s, DB, `SELECT has_table_privilege($1, format('%I.%I', $2::text, $3::text), $4) AS ok`, [
          role,
          SCHEMA,
          table,
          p,
        ])
      ).rows[0]?.ok as boolean;
    expect(await priv(EVIL, 'QRTZ_TRIGGERS', 'TRUNCATE')).toBe(false);
    expect(await priv(EVIL, 'QRTZ_JOB_DETAILS', 'TRIGGER')).toBe(false);
    expect(await priv(UPPER, 'QRTZ_LOCKS', 'SELECT')).toBe(false);
    expect(await priv(UPPER, 'QRTZ_LOCKS', 'SELECT WITH GRANT OPTION')).toBe(false);
    expect(await priv(APP, 'QRTZ_LOCKS', 'UPDATE')).toBe(true); // the service account keeps what Quartz needs
    expect(await priv(INJECT, 'QRTZ_TRIGGERS', 'INSERT')).toBe(true); // no SQL was given for it
    const after = await scan(s);
    const left = after.findings.filter((f) => f.status === 'fail' && ['QA-G03', 'QA-G04', 'QA-G05'].includes(f.check));
    expect(left.map((f) => `${f.check} ${f.object.principal}`).sort()).toEqual(
      [`QA-G05 ${INJECT}`, `QA-G05 ${MEMBER}`].sort(),
    );
  }, 120_000);
});
