/**
 * Issue #13 parts 1–3 and 7 end to end on a real SQLite JobStore through the CLI: 2,000 rows holding the
 * same planted password (every finding in JSON, one grouped item in the table), suppressions with reason
 * and expiry (an expired entry no longer applies and is reported, a stale one too), a baseline that hides
 * known findings and reports remediated ones, `diff` between two reports, and the Prometheus output.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReport, runCli } from '../support/cli.js';
import { makeSameSecretStore, PLANTED_PASSWORD } from '../support/same-secret.js';

const ROWS = 2000;
let dir: string;
let db: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'qrtz-compliance-'));
  db = join(dir, 'store.db');
  makeSameSecretStore(db, ROWS);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('nothing lost: 2,000 rows with the same password', () => {
  it('JSON lists all 2,000 QA-S01 findings; the table shows one grouped item with the count', async () => {
    const rssBefore = process.resourceUsage().maxRSS;
    const json = await runCli(['scan', db, '--format', 'json']);
    const rssAfter = process.resourceUsage().maxRSS;
    // Measured, not asserted (speed and memory targets belong in bench/many-findings.ts).
    console.log(`2,000-row scan: peak RSS of the test process ${rssBefore} KB before, ${rssAfter} KB after`);
    const report = parseReport(json);
    const s01 = report.findings.filter((f) => f.check === 'QA-S01' && f.status === 'fail');
    expect(s01).toHaveLength(ROWS);
    expect(new Set(s01.map((f) => f.fingerprint)).size).toBe(ROWS);
    expect(new Set(s01.map((f) => f.evidence?.fingerprint)).size).toBe(1);
    expect(report.findings.some((f) => /not listed/.test(f.message))).toBe(false);
    expect(json.stdout).not.toContain(PLANTED_PASSWORD);

    const table = await runCli(['scan', db, '--format', 'table']);
    const lines = table.stdout.split('\n').filter((l) => l.includes('QA-S01'));
    expect(
      lines.filter((l) =>
        /same secret \(fingerprint [0-9a-f]{12}\) in 2000 rows of QRTZ_JOB_DETAILS\.JOB_DATA \*/.test(l),
      ),
    ).toHaveLength(1);
    expect(table.stdout).toContain(
      'first rows: Sched/batch.sync-00000, Sched/batch.sync-00001, Sched/batch.sync-00002 (+1997 more)',
    );
    // The grouped item plus its one example line: not 2,000 lines.
    expect(lines.length).toBeLessThanOrEqual(2);

    const md = await runCli(['scan', db, '--format', 'markdown']);
    expect(md.stdout).toMatch(/same secret \(fingerprint [0-9a-f]{12}\) in 2000 rows/);
    expect(md.stdout).not.toMatch(/more findings not shown/);

    const sarif = JSON.parse((await runCli(['scan', db, '--format', 'sarif'])).stdout);
    expect(sarif.runs[0].results.filter((r: { ruleId: string }) => r.ruleId === 'QA-S01')).toHaveLength(ROWS);
    const junit = (await runCli(['scan', db, '--format', 'junit', '--fail-on', 'high'])).stdout;
    expect(junit.match(/classname="qrtz-audit\.content\.QA-S01"/g)).toHaveLength(ROWS);
  });
});

describe('suppressions', () => {
  it('an entry with reason and expiry suppresses (marked everywhere, not counted); an expired one applies no more; a stale one is reported', async () => {
    const ignore = join(dir, 'ignore.yml');
    writeFileSync(
      ignore,
      [
        'suppressions:',
        '  - check: QA-S01',
        "    object: 'QRTZ_JOB_DETAILS.JOB_DATA Sched/batch.sync-*'",
        '    reason: synthetic test rows, password rotated (CHG-1234)',
        '    owner: team-scheduling',
        '    expires: 2999-12-31',
        '  - check: QA-E01',
        "    object: '*'",
        '    reason: disk encryption planned',
        '    expires: 2020-01-31',
        '  - check: QA-G01',
        '    fingerprint: 0123456789abcdef',
        '    reason: a grant that was revoked long ago',
        '',
      ].join('\n'),
    );
    const plain = parseReport(await runCli(['scan', db, '--format', 'json']));
    const run = await runCli(['scan', db, '--format', 'json', '--ignore-file', ignore]);
    const report = parseReport(run);
    const s01 = report.findings.filter((f) => f.check === 'QA-S01');
    expect(s01).toHaveLength(ROWS);
    for (const f of s01)
      expect(f.suppressed).toEqual({
        reason: 'synthetic test rows, password rotated (CHG-1234)',
        owner: 'team-scheduling',
        expires: '2999-12-31',
        source: `${ignore}#1`,
      });
    expect(report.summary.suppressed).toBe(ROWS);
    expect(report.summary.byStatus.fail).toBe(plain.summary.byStatus.fail - ROWS);
    expect(report.summary.failedBySeverity.high).toBe(plain.summary.failedBySeverity.high - ROWS);
    // The expired entry no longer applies: QA-E01 still fails (and exits 1 at high).
    const e01 = report.findings.find((f) => f.check === 'QA-E01' && f.status === 'fail');
    expect(e01?.suppressed).toBeUndefined();
    expect(run.code).toBe(1);
    expect(report.compliance?.suppressions?.expired).toEqual([
      expect.objectContaining({ check: 'QA-E01', expires: '2020-01-31', source: `${ignore}#2` }),
    ]);
    expect(report.compliance?.suppressions?.stale).toEqual([
      expect.objectContaining({ check: 'QA-G01', fingerprint: '0123456789abcdef', source: `${ignore}#3` }),
    ]);
    expect(run.stderr).toContain(`suppression ${ignore}#2 (QA-E01 *) expired on 2020-01-31: it no longer applies`);
    expect(run.stderr).toContain(`suppression ${ignore}#3 (QA-G01 0123456789abcdef) matches no finding (stale)`);

    // Suppressing what still fails at high (E01 with a live entry) turns the exit code to 0… unless others fail.
    const sarif = JSON.parse((await runCli(['scan', db, '--format', 'sarif', '--ignore-file', ignore])).stdout);
    const suppressedResults = sarif.runs[0].results.filter((r: { suppressions?: unknown[] }) => r.suppressions);
    expect(suppressedResults).toHaveLength(ROWS);
    expect(suppressedResults[0].suppressions).toEqual([
      expect.objectContaining({
        kind: 'external',
        status: 'accepted',
        justification: 'synthetic test rows, password rotated (CHG-1234)',
      }),
    ]);
    const table = (await runCli(['scan', db, '--format', 'table', '--ignore-file', ignore])).stdout;
    expect(table).toContain('SUPPRESSED (2000)');
    expect(table).toContain('EXPIRED SUPPRESSIONS (1): no longer applied');
    expect(table).toContain('STALE SUPPRESSIONS (1): match no finding');
    expect(table).not.toMatch(/same secret .* in 2000 rows/);
    expect(table).toMatch(/2000 suppressed — exit 1/);
  });

  it('.qrtz-audit-ignore.yml in the current directory is found; a mistake names file, line, path and what was expected', async () => {
    const cwd = process.cwd();
    const here = mkdtempSync(join(dir, 'cwd-'));
    try {
      process.chdir(here);
      writeFileSync(
        '.qrtz-audit-ignore.yml',
        'suppressions:\n  - check: QA-S01\n    object: "*"\n    reason: accepted in this directory\n',
      );
      const ok = parseReport(await runCli(['scan', db, '--format', 'json']));
      expect(ok.summary.suppressed).toBe(ROWS);
      writeFileSync(
        '.qrtz-audit-ignore.yml',
        'suppressions:\n  - check: QA-S01\n    object: "*"\n  - check: QA-S01\n    fingerprint: abc\n    reason: x\n',
      );
      const bad = await runCli(['scan', db, '--format', 'json']);
      expect(bad.code).toBe(2);
      expect(bad.stdout).toBe('');
      expect(bad.stderr).toBe(
        'qrtz-audit: .qrtz-audit-ignore.yml:2:5: suppressions[0].reason: missing (expected string)\n',
      );
      writeFileSync(
        '.qrtz-audit-ignore.yml',
        'suppressions:\n  - check: QA-S01\n    object: "*"\n    reason: ok\n    expires: 2026-02-30\n',
      );
      const date = await runCli(['scan', db]);
      expect(date.stderr).toBe(
        'qrtz-audit: .qrtz-audit-ignore.yml:5:14: suppressions[0].expires: a real calendar date\n',
      );
      const missing = await runCli(['scan', db, '--ignore-file', 'nope.yml']);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/^qrtz-audit: cannot read ignore file nope\.yml: /);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('baselines and diffs', () => {
  it('a baseline hides known findings (exit 0), fails on new ones and reports remediated entries; diff shows new and resolved', async () => {
    const work = join(dir, 'baseline.db');
    makeSameSecretStore(work, 10);
    const base = join(dir, 'baseline.json');
    const created = await runCli(['baseline', 'create', work, '-o', base]);
    expect(created.code).toBe(0);
    expect(created.stderr).toMatch(/baseline of \d+ failing finding\(s\) written to /);
    const baseline = JSON.parse(readFileSync(base, 'utf8'));
    expect(baseline).toMatchObject({ kind: 'qrtz-audit-baseline', version: 1, target: { dialect: 'sqlite' } });
    expect(baseline.entries.filter((e: { check: string }) => e.check === 'QA-S01')).toHaveLength(10);
    expect(readFileSync(base, 'utf8')).not.toContain(PLANTED_PASSWORD);

    const old = join(dir, 'old.json');
    const known = await runCli(['scan', work, '--baseline', base, '--format', 'json', '-o', old]);
    const knownReport = JSON.parse(readFileSync(old, 'utf8'));
    expect(known.code).toBe(0);
    expect(knownReport.summary.baselined).toBe(baseline.entries.length);
    expect(knownReport.compliance.baseline).toMatchObject({ known: baseline.entries.length, new: 0, remediated: [] });

    // Remediate one row, plant a new secret in another: the new one fails, the removed one is remediated.
    const sq = new Database(work);
    sq.prepare(`DELETE FROM QRTZ_JOB_DETAILS WHERE JOB_NAME = 'sync-00003'`).run();
    sq.prepare(
      `INSERT INTO QRTZ_JOB_DETAILS VALUES ('Sched', 'fresh', 'batch', NULL, 'Contoso.Jobs.Sync, Contoso', 1, 0, 0, 0, ?)`,
    ).run(Buffer.from(JSON.stringify({ apiToken: 'ghp_0123456789abcdefghijABCDEFGHIJ012345' })));
    sq.close();
    const now = join(dir, 'new.json');
    const after = await runCli(['scan', work, '--baseline', base, '--format', 'json', '-o', now]);
    const r = JSON.parse(readFileSync(now, 'utf8'));
    expect(after.code).toBe(1);
    const fresh = r.findings.filter((f: { status: string; baseline?: string }) => f.status === 'fail' && !f.baseline);
    expect(fresh.map((f: { object: { name: string } }) => f.object.name)).toEqual([
      'QRTZ_JOB_DETAILS.JOB_DATA Sched/batch.fresh',
    ]);
    expect(r.compliance.baseline.new).toBe(1);
    expect(r.compliance.baseline.remediated).toEqual([
      expect.objectContaining({ check: 'QA-S01', object: 'QRTZ_JOB_DETAILS.JOB_DATA Sched/batch.sync-00003' }),
    ]);
    const table = (await runCli(['scan', work, '--baseline', base, '--format', 'table'])).stdout;
    expect(table).toContain('remediated: QA-S01 QRTZ_JOB_DETAILS.JOB_DATA Sched/batch.sync-00003');
    expect(table).toMatch(/BASELINE \(\d+ known, 1 remediated\)/);

    const diff = await runCli(['diff', old, now, '--format', 'json']);
    expect(diff.code).toBe(1);
    const d = JSON.parse(diff.stdout);
    expect(d.added.map((f: { object: string }) => f.object)).toEqual(['QRTZ_JOB_DETAILS.JOB_DATA Sched/batch.fresh']);
    expect(d.resolved.map((f: { object: string }) => f.object)).toEqual([
      'QRTZ_JOB_DETAILS.JOB_DATA Sched/batch.sync-00003',
    ]);
    const text = await runCli(['diff', old, now]);
    expect(text.stdout).toContain('NEW (1)');
    expect(text.stdout).toContain('RESOLVED (1)');
    const same = await runCli(['diff', now, now, '--format', 'markdown']);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('0 new, 0 resolved, 0 changed');
    const bad = await runCli(['diff', base, now]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a qrtz-audit JSON report/);
    // A device that never ends is read up to the report bound, not forever; one line, exit 2.
    const endless = await runCli(['diff', '/dev/zero', now]);
    expect(endless.code).toBe(2);
    expect(endless.stderr.trim()).toMatch(
      /^qrtz-audit: \/dev\/zero: larger than \d+ bytes; not a qrtz-audit JSON report$/,
    );
    const badBase = await runCli(['scan', work, '--baseline', old]);
    expect(badBase.code).toBe(2);
    expect(badBase.stderr).toMatch(/not a qrtz-audit baseline/);
  });
});

describe('prometheus', () => {
  it('textfile collector output: findings by check, severity and status, suppressed apart, targets, duration, last success', async () => {
    const ignore = join(dir, 'prom-ignore.yml');
    writeFileSync(ignore, 'suppressions:\n  - check: QA-S01\n    object: "*"\n    reason: accepted\n');
    const run = await runCli(['scan', db, '--format', 'prometheus', '--ignore-file', ignore]);
    const samples = new Map<string, number>();
    for (const line of run.stdout.split('\n')) {
      if (!line || line.startsWith('#')) continue;
      const m = /^([a-z_]+)(\{.*\})? (\S+)$/.exec(line);
      expect(m, line).not.toBeNull();
      samples.set(`${m?.[1]}${m?.[2] ?? ''}`, Number(m?.[3]));
    }
    const labels = `dialect="sqlite",database="${db}",schema="main"`;
    expect(samples.get(`qrtz_audit_findings_suppressed{${labels},check="QA-S01",severity="high",status="fail"}`)).toBe(
      ROWS,
    );
    expect(samples.get(`qrtz_audit_findings{${labels},check="QA-E01",severity="high",status="fail"}`)).toBe(1);
    expect(samples.get(`qrtz_audit_targets_audited{${labels}}`)).toBe(1);
    expect(samples.get(`qrtz_audit_targets_incomplete{${labels}}`)).toBe(0);
    expect(samples.get(`qrtz_audit_duration_seconds{${labels}}`)).toBeGreaterThan(0);
    const last = samples.get(`qrtz_audit_last_success_timestamp_seconds{${labels}}`) as number;
    expect(Math.abs(last - Date.now() / 1000)).toBeLessThan(600);
  });
});
