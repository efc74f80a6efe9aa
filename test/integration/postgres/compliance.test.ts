/**
 * Issue #13 on a real PostgreSQL JobStore through the CLI: 2,000 rows with the same planted password (every
 * finding in JSON, one grouped item in the table), a suppression with reason and expiry (an expired one no
 * longer applies), a stale entry, a baseline hiding known findings and reporting remediated ones after a
 * REVOKE, and `diff` showing a privilege granted between two scans. Fixture database and roles are made
 * with unique names and dropped afterwards; the audit itself only reads.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../../src/report/report.js';
import { parseReport, runCli } from '../../support/cli.js';
import { createQuartzDb, dropAll } from '../../support/pg-quartz.js';
import { acquirePostgres, adminSql, type PgServer } from '../../support/pg-server.js';
import { PLANTED_PASSWORD } from '../../support/same-secret.js';

const got = await acquirePostgres();
const server = 'skip' in got ? undefined : (got as PgServer);
if (!server) console.warn(`SKIPPED (PostgreSQL compliance): ${(got as { skip: string }).skip}`);
const P = `qc${process.pid}`;
const DB = `${P}_store`;
const ROLES = [`${P}_owner`, `${P}_app`, `${P}_writer`];
const ROWS = 2000;

describe.skipIf(!server)('PostgreSQL: nothing lost, suppressions, baseline, diff', () => {
  const s = server as PgServer;
  let dir: string;
  const url = () => `postgres://postgres@127.0.0.1:${s.port}/${DB}?sslmode=disable`;
  const grantsArgs = () => ['--schema', 'quartz', '--service-account', `${P}_app`, '--only', 'grants'];
  const scanTo = async (file: string, extra: string[] = []) => {
    const run = await runCli(['scan', url(), ...grantsArgs(), '--format', 'json', '-o', file, ...extra]);
    return { run, report: JSON.parse(readFileSync(file, 'utf8')) as Report };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qrtz-pg-compliance-'));
    await dropAll(s, [DB], ROLES);
    await adminSql(s, 'postgres', `CREATE ROLE ${P}_app LOGIN; CREATE ROLE ${P}_writer LOGIN;`);
    await createQuartzDb(s, DB, 'quartz', `${P}_owner`);
    await adminSql(
      s,
      DB,
      `GRANT USAGE ON SCHEMA quartz TO ${P}_app, ${P}_writer;
       GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA quartz TO ${P}_app;
       REVOKE ALL ON DATABASE ${DB} FROM PUBLIC; GRANT CONNECT ON DATABASE ${DB} TO ${P}_app;
       INSERT INTO quartz.qrtz_job_details
         SELECT 'Sched', 'sync-' || lpad(i::text, 5, '0'), 'batch', NULL, 'Contoso.Jobs.Sync, Contoso', true, false, false, false,
                convert_to('{"password":"${PLANTED_PASSWORD}","target":"crm"}', 'UTF8')
         FROM generate_series(0, ${ROWS - 1}) AS i;`,
    );
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    try {
      await dropAll(s, [DB], ROLES);
    } finally {
      await s.stop();
    }
  });

  it('2,000 rows with the same password: JSON lists 2,000 QA-S01 findings, the table one grouped item', async () => {
    const rss0 = process.resourceUsage().maxRSS;
    const json = await runCli(['scan', url(), '--schema', 'quartz', '--only', 'content', '--format', 'json']);
    console.log(`PostgreSQL 2,000-row scan: peak RSS ${rss0} KB before, ${process.resourceUsage().maxRSS} KB after`);
    const report = parseReport(json);
    expect(report.findings.filter((f) => f.check === 'QA-S01' && f.status === 'fail')).toHaveLength(ROWS);
    expect(json.stdout).not.toContain(PLANTED_PASSWORD);
    const table = await runCli(['scan', url(), '--schema', 'quartz', '--only', 'content', '--format', 'table']);
    expect(
      table.stdout.match(/same secret \(fingerprint [0-9a-f]{12}\) in 2000 rows of qrtz_job_details\.job_data \*/gi),
    ).toHaveLength(1);
    expect(table.stdout.split('\n').filter((l) => l.includes('QA-S01')).length).toBeLessThanOrEqual(2);
  });

  it('diff shows a newly granted privilege; a baseline hides it, then reports it remediated after REVOKE', async () => {
    const before = await scanTo(join(dir, 'before.json'));
    expect(before.report.findings.filter((f) => f.status === 'fail' && f.object.name.includes(`${P}_writer`))).toEqual(
      [],
    );
    await adminSql(s, DB, `GRANT INSERT, UPDATE ON quartz.qrtz_job_details TO ${P}_writer`);
    const after = await scanTo(join(dir, 'after.json'));
    const granted = after.report.findings.filter((f) => f.status === 'fail' && f.object.name.includes(`${P}_writer`));
    expect(granted.length).toBeGreaterThan(0);

    const diff = await runCli(['diff', join(dir, 'before.json'), join(dir, 'after.json'), '--format', 'json']);
    expect(diff.code).toBe(1);
    const d = JSON.parse(diff.stdout);
    expect(d.added.map((f: { fingerprint: string }) => f.fingerprint).sort()).toEqual(
      granted.map((f) => f.fingerprint).sort(),
    );
    expect(d.resolved).toEqual([]);
    const md = await runCli(['diff', join(dir, 'before.json'), join(dir, 'after.json'), '--format', 'markdown']);
    expect(md.stdout).toContain(`${P}\\_writer`);

    // Baseline the state with the grant: scanning again exits 0 and hides the known findings.
    const base = join(dir, 'baseline.json');
    const created = await runCli(['baseline', 'create', url(), ...grantsArgs(), '-o', base]);
    expect(created.code).toBe(0);
    const known = await scanTo(join(dir, 'known.json'), ['--baseline', base, '--fail-on', 'low']);
    expect(known.run.code).toBe(0);
    expect(known.report.compliance?.baseline).toMatchObject({ new: 0, remediated: [] });
    expect(known.report.findings.filter((f) => f.baseline === 'known').length).toBe(
      known.report.compliance?.baseline?.known,
    );

    await adminSql(s, DB, `REVOKE INSERT, UPDATE ON quartz.qrtz_job_details FROM ${P}_writer`);
    const fixed = await scanTo(join(dir, 'fixed.json'), ['--baseline', base]);
    expect(fixed.run.code).toBe(0);
    expect(fixed.report.compliance?.baseline?.remediated.map((e) => e.fingerprint).sort()).toEqual(
      granted.map((f) => f.fingerprint).sort(),
    );
    const resolved = JSON.parse(
      (await runCli(['diff', join(dir, 'after.json'), join(dir, 'fixed.json'), '--format', 'json'])).stdout,
    );
    expect(resolved.resolved.map((f: { fingerprint: string }) => f.fingerprint).sort()).toEqual(
      granted.map((f) => f.fingerprint).sort(),
    );
  });

  it('a suppression with reason and expiry accepts the grant; an expired one does not; a stale one is reported', async () => {
    await adminSql(s, DB, `GRANT INSERT ON quartz.qrtz_job_details TO ${P}_writer`);
    try {
      const first = await scanTo(join(dir, 'sup0.json'));
      const target = first.report.findings.find((f) => f.status === 'fail' && f.object.name.includes(`${P}_writer`));
      expect(target).toBeDefined();
      const t = target as Report['findings'][number];
      const ignore = join(dir, 'ignore.yml');
      const write = (expires: string) =>
        writeFileSync(
          ignore,
          `suppressions:\n  - check: ${t.check}\n    fingerprint: ${t.fingerprint}\n    reason: ETL writer, approved in SEC-42\n    owner: dba\n    expires: ${expires}\n  - check: QA-G09\n    object: "nobody*"\n    reason: stale on purpose\n`,
        );
      write('2999-01-01');
      const live = await scanTo(join(dir, 'sup1.json'), ['--ignore-file', ignore]);
      const marked = live.report.findings.find((f) => f.fingerprint === t.fingerprint);
      expect(marked?.suppressed).toEqual({
        reason: 'ETL writer, approved in SEC-42',
        owner: 'dba',
        expires: '2999-01-01',
        source: `${ignore}#1`,
      });
      expect(live.report.summary.suppressed).toBeGreaterThanOrEqual(1);
      expect(live.report.compliance?.suppressions?.stale).toEqual([
        expect.objectContaining({ check: 'QA-G09', object: 'nobody*' }),
      ]);
      expect(live.run.stderr).toContain('matches no finding (stale)');

      write('2020-06-30');
      const expired = await scanTo(join(dir, 'sup2.json'), ['--ignore-file', ignore]);
      expect(expired.report.findings.find((f) => f.fingerprint === t.fingerprint)?.suppressed).toBeUndefined();
      expect(expired.report.compliance?.suppressions?.expired).toEqual([
        expect.objectContaining({ check: t.check, expires: '2020-06-30' }),
      ]);
      expect(expired.run.stderr).toContain('expired on 2020-06-30: it no longer applies');
    } finally {
      await adminSql(s, DB, `REVOKE INSERT ON quartz.qrtz_job_details FROM ${P}_writer`);
    }
  });
});
