/**
 * #14 part 1: SARIF from real audits through the CLI — the demo's SQLite store, a configuration directory (results
 * on repository-relative files), a throwaway PostgreSQL database and a throwaway MariaDB database with planted
 * over-grants — validated by Microsoft's validator with GitHub's
 * rules (`Sarif.Multitool validate --rule-kind "Sarif;Gh"`, test/support/sarif-multitool.ts): no error.
 * A negative control (a rule without fullDescription) proves the helper reports what the validator refuses.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQuartzDb as createMariadbQuartzDb, uniq } from '../integration/mysql/helpers.js';
import { runCli } from '../support/cli.js';
import { dbRequired, sharedMariadb } from '../support/mariadb-server.js';
import { pgQuartzStore } from '../support/pg-quartz.js';
import { acquirePostgres, type PgServer } from '../support/pg-server.js';
import { multitoolErrors, multitoolUnavailable, problemLines } from '../support/sarif-multitool.js';

const unavailable = await multitoolUnavailable();
if (unavailable) console.warn(`[skip] SARIF multitool validation: ${unavailable}`);

const dir = mkdtempSync(join(tmpdir(), 'qrtz-sarif-multitool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Scans into DIR/<name>/qrtz-audit.sarif through the CLI; returns the file and the parsed SARIF. */
async function scanSarif(name: string, args: string[], codes = [1]) {
  const out = join(dir, name);
  const run = await runCli(['scan', ...args, '--format', 'sarif', '--output-dir', out]);
  expect(codes, `exit ${run.code}: ${run.stderr}`).toContain(run.code);
  const file = join(out, 'qrtz-audit.sarif');
  return { file, sarif: JSON.parse(readFileSync(file, 'utf8')) };
}

describe.skipIf(unavailable)('SARIF accepted by Microsoft’s validator with GitHub’s rules', () => {
  const store = join(dir, 'quartz.db');

  it('SQLite (the demo store): 0 errors, results present', { timeout: 120_000 }, async () => {
    expect((await runCli(['demo', '--keep', store, '--format', 'json'])).code).toBe(0);
    const { file, sarif } = await scanSarif('sqlite', [store]);
    expect(sarif.runs[0].results.length).toBeGreaterThan(3);
    const errors = await multitoolErrors(file);
    expect(errors, problemLines(errors)).toEqual([]);
  });

  it('configuration files (results on repository-relative files and lines): 0 errors', {
    timeout: 120_000,
  }, async () => {
    const out = join(dir, 'config');
    const run = await runCli(['config', 'test/fixtures/config/aspnet-risky', '--format', 'sarif', '--output-dir', out]);
    expect(run.code, run.stderr).toBe(1);
    const file = join(out, 'qrtz-audit.sarif');
    const sarif = JSON.parse(readFileSync(file, 'utf8'));
    const uris = sarif.runs[0].results.map(
      (r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
        r.locations[0]?.physicalLocation.artifactLocation.uri,
    );
    expect(uris.length).toBeGreaterThan(3);
    for (const u of uris) expect(u).toMatch(/^test\/fixtures\/config\/aspnet-risky\//);
    const errors = await multitoolErrors(file);
    expect(errors, problemLines(errors)).toEqual([]);
  });

  it('negative control: a rule without fullDescription is an error (GH2012), so the check can fail', {
    timeout: 120_000,
  }, async () => {
    const { sarif } = await scanSarif('control', [store]);
    const rule = sarif.runs[0].tool.driver.rules[0];
    delete rule.fullDescription;
    const bad = join(dir, 'bad.sarif');
    writeFileSync(bad, JSON.stringify(sarif));
    const errors = await multitoolErrors(bad);
    expect(errors.map((e) => e.ruleId)).toContain('GH2012');
    expect(problemLines(errors)).toMatch(/runs\[0\]\.tool\.driver\.rules\[0\].*fullDescription/);
  });
});

// PostgreSQL: a throwaway database with the official Quartz schema, over-grants, and an auditor that cannot read
// one table (its checks become not-evaluated: toolExecutionNotifications are validated too).
const pg = unavailable ? { skip: 'multitool unavailable' } : await acquirePostgres();
const pgServer = 'skip' in pg ? undefined : (pg as PgServer);
if (!unavailable && !pgServer) console.warn(`[skip] SARIF multitool on PostgreSQL: ${(pg as { skip: string }).skip}`);
const store = pgQuartzStore('qsmt', { db: 'jobs', logins: ['app', 'auditor'] });
const P = store.prefix;
const PG_DB = store.db;

describe.skipIf(!pgServer)('SARIF of a real PostgreSQL audit, validated', () => {
  const s = pgServer as PgServer;
  beforeAll(async () => {
    await store.create(
      s,
      `GRANT USAGE ON SCHEMA quartz TO ${P}_app, ${P}_auditor, PUBLIC;
       GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA quartz TO ${P}_app;
       GRANT SELECT ON ALL TABLES IN SCHEMA quartz TO ${P}_auditor;
       REVOKE SELECT ON quartz.qrtz_calendars FROM ${P}_auditor;
       GRANT INSERT ON quartz.qrtz_job_details TO PUBLIC;`,
    );
  });
  afterAll(async () => {
    await store.drop(s);
  });

  it('0 errors; results and not-evaluated notifications present', { timeout: 180_000 }, async () => {
    const url = `postgres://${P}_auditor@127.0.0.1:${s.port}/${PG_DB}?sslmode=disable`;
    const { file, sarif } = await scanSarif(
      'postgres',
      [url, '--schema', 'quartz', '--service-account', `${P}_app`],
      [1, 4],
    );
    const r = sarif.runs[0];
    expect(r.results.some((x: { ruleId: string }) => x.ruleId.startsWith('QA-G'))).toBe(true);
    expect(r.invocations[0].toolExecutionNotifications?.length ?? 0).toBeGreaterThan(0);
    const errors = await multitoolErrors(file);
    expect(errors, problemLines(errors)).toEqual([]);
  });
});

// MariaDB: the shared service; a throwaway database and a service account with more than DML.
const maria = unavailable ? ({ ok: false, reason: 'multitool unavailable' } as const) : await sharedMariadb();
if (!unavailable && !maria.ok) {
  if (dbRequired()) throw new Error(`QRTZ_REQUIRE_DB is set but ${maria.reason}`);
  console.warn(`[skip] SARIF multitool on MariaDB: ${maria.reason}`);
}
const HOST = process.env.QRTZ_MYSQL_HOST ?? '127.0.0.1';
const PORT = Number(process.env.QRTZ_MYSQL_PORT ?? 3306);

describe.skipIf(!maria.ok)('SARIF of a real MariaDB audit, validated', () => {
  const id = uniq();
  const db = `qa_${id}_sarif`;
  const svc = `qa_${id}_svc`;
  let root: mysql.Connection;
  beforeAll(async () => {
    root = await mysql.createConnection({ host: HOST, port: PORT, user: 'root' });
    await createMariadbQuartzDb(root, db);
    await root.query(`CREATE USER '${svc}'@'%' IDENTIFIED BY 'Pw-${id}-x'`);
    // Planted: the service account may drop and alter the Quartz tables, and grant on.
    await root.query(`GRANT ALL PRIVILEGES ON \`${db}\`.* TO '${svc}'@'%' WITH GRANT OPTION`);
  });
  afterAll(async () => {
    await root.query(`DROP USER IF EXISTS '${svc}'@'%'`).catch(() => {});
    await root.query(`DROP DATABASE IF EXISTS \`${db}\``).catch(() => {});
    await root.end();
  });

  it('0 errors; grant results present', { timeout: 180_000 }, async () => {
    const { file, sarif } = await scanSarif(
      'mariadb',
      [`mysql://root@${HOST}:${PORT}/${db}`, '--service-account', `${svc}@%`],
      [1, 4],
    );
    expect(sarif.runs[0].results.some((x: { ruleId: string }) => x.ruleId.startsWith('QA-G'))).toBe(true);
    const errors = await multitoolErrors(file);
    expect(errors, problemLines(errors)).toEqual([]);
  });
});
