/**
 * Issue #13 on the shared MariaDB service through the CLI: `diff` shows an account granted INSERT between two
 * scans, a baseline hides it and reports it remediated after REVOKE, and a suppression with reason and expiry
 * accepts it (an expired one no longer does; a stale one is reported). Database and accounts have unique
 * names and are dropped afterwards; the audit itself only reads.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../../src/report/report.js';
import { runCli } from '../../support/cli.js';
import { dbRequired, sharedMariadb } from '../../support/mariadb-server.js';
import { createQuartzDb, uniq } from './helpers.js';

const shared = await sharedMariadb();
if (!shared.ok) {
  if (dbRequired()) throw new Error(`QRTZ_REQUIRE_DB is set but ${shared.reason}`);
  console.warn(`[skip] mariadb compliance: ${shared.reason}`);
}
const HOST = process.env.QRTZ_MYSQL_HOST ?? '127.0.0.1';
const PORT = Number(process.env.QRTZ_MYSQL_PORT ?? 3306);

describe.skipIf(!shared.ok)('MariaDB: suppressions, baseline, diff (shared service)', () => {
  const id = uniq();
  const db = `qa_${id}_comp`;
  const svc = `qa_${id}_svc`;
  const writer = `qa_${id}_w`;
  let root: mysql.Connection;
  let dir: string;
  const scanTo = async (file: string, extra: string[] = []) => {
    const run = await runCli([
      'scan',
      `mysql://root@${HOST}:${PORT}/${db}`,
      '--service-account',
      `${svc}@%`,
      '--only',
      'grants',
      '--format',
      'json',
      '-o',
      file,
      ...extra,
    ]);
    if (run.code === 2) throw new Error(run.stderr);
    return { run, report: JSON.parse(readFileSync(file, 'utf8')) as Report };
  };
  const aboutWriter = (r: Report) => r.findings.filter((f) => f.status === 'fail' && f.object.name.includes(writer));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qrtz-mariadb-compliance-'));
    root = await mysql.createConnection({ host: HOST, port: PORT, user: 'root' });
    await createQuartzDb(root, db);
    await root.query(`CREATE USER '${svc}'@'%' IDENTIFIED BY 'Pw-${id}-x'`);
    await root.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${db}.* TO '${svc}'@'%'`);
    await root.query(`CREATE USER '${writer}'@'%' IDENTIFIED BY 'Pw-${id}-y'`);
  });
  afterAll(async () => {
    for (const u of [svc, writer]) await root.query(`DROP USER IF EXISTS '${u}'@'%'`).catch(() => {});
    await root.query(`DROP DATABASE IF EXISTS ${db}`).catch(() => {});
    await root.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('diff shows the new grant; baseline hides it, then reports it remediated; suppression expiry and stale entries', async () => {
    const before = await scanTo(join(dir, 'before.json'));
    expect(aboutWriter(before.report)).toEqual([]);
    await root.query(`GRANT INSERT ON ${db}.QRTZ_JOB_DETAILS TO '${writer}'@'%'`);
    const after = await scanTo(join(dir, 'after.json'));
    const granted = aboutWriter(after.report);
    expect(granted.length).toBeGreaterThan(0);
    const fps = granted.map((f) => f.fingerprint).sort();

    const diff = await runCli(['diff', join(dir, 'before.json'), join(dir, 'after.json'), '--format', 'json']);
    expect(diff.code).toBe(1);
    expect(
      JSON.parse(diff.stdout)
        .added.map((f: { fingerprint: string }) => f.fingerprint)
        .sort(),
    ).toEqual(fps);
    const table = await runCli(['diff', join(dir, 'before.json'), join(dir, 'after.json')]);
    expect(table.stdout).toContain(writer);

    // Suppression: live entry accepts the grant (exit no longer 1 because of it), expired one does not.
    const ignore = join(dir, 'ignore.yml');
    const g = granted[0] as Report['findings'][number];
    const entries = (expires: string) =>
      `suppressions:\n  - check: ${g.check}\n    object: "*${writer}*"\n    reason: loader account, SEC-7\n    expires: ${expires}\n  - check: QA-G02\n    fingerprint: ffffffffffffffff\n    reason: stale\n`;
    writeFileSync(ignore, entries('2999-12-31'));
    const live = await scanTo(join(dir, 'live.json'), ['--ignore-file', ignore]);
    expect(live.report.findings.find((f) => f.fingerprint === g.fingerprint)?.suppressed).toMatchObject({
      reason: 'loader account, SEC-7',
      expires: '2999-12-31',
    });
    expect(live.report.compliance?.suppressions?.stale).toEqual([
      expect.objectContaining({ check: 'QA-G02', fingerprint: 'ffffffffffffffff' }),
    ]);
    writeFileSync(ignore, entries('2021-01-01'));
    const old = await scanTo(join(dir, 'old.json'), ['--ignore-file', ignore]);
    expect(old.report.findings.find((f) => f.fingerprint === g.fingerprint)?.suppressed).toBeUndefined();
    expect(old.report.compliance?.suppressions?.expired).toEqual([
      expect.objectContaining({ check: g.check, expires: '2021-01-01' }),
    ]);
    expect(old.run.stderr).toContain('expired on 2021-01-01');

    // Baseline with the grant, then REVOKE: remediated.
    const base = join(dir, 'baseline.json');
    const created = await runCli([
      'baseline',
      'create',
      `mysql://root@${HOST}:${PORT}/${db}`,
      '--service-account',
      `${svc}@%`,
      '--only',
      'grants',
      '-o',
      base,
    ]);
    expect(created.code, created.stderr).toBe(0);
    const known = await scanTo(join(dir, 'known.json'), ['--baseline', base]);
    expect(known.report.compliance?.baseline?.new).toBe(0);
    expect(aboutWriter(known.report).every((f) => f.baseline === 'known')).toBe(true);
    await root.query(`REVOKE INSERT ON ${db}.QRTZ_JOB_DETAILS FROM '${writer}'@'%'`);
    const fixed = await scanTo(join(dir, 'fixed.json'), ['--baseline', base]);
    expect(fixed.report.compliance?.baseline?.remediated.map((e) => e.fingerprint).sort()).toEqual(fps);
  });
});
