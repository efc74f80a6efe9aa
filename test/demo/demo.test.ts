import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { demoJobs } from '../../src/demo/seed.js';
import { parseReport, runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'qrtz-demo-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('qrtz-audit demo', () => {
  it('seeds a store, runs the real scan with the seeded findings; the demo exits 0, the report says a scan exits 1', async () => {
    const run = await runCli(['demo', '--format', 'json']);
    expect(run.code).toBe(0);
    const report = parseReport(run);
    expect(report.summary.exitCode).toBe(1);
    expect(run.stderr).toContain('a scan of this store exits 1');
    const failed = new Set(report.findings.filter((f) => f.status === 'fail').map((f) => f.check));
    // Every problem the seed plants, plus the file-level ones (plaintext, 0644).
    const expected = new Set(demoJobs().flatMap((j) => j.expect));
    for (const id of ['QA-H01', 'QA-F01', 'QA-E01']) expected.add(id);
    for (const id of expected) expect(failed, `${id} should fail`).toContain(id);
    // The clean job produces no job-hygiene or secret finding.
    const onClean = report.findings.filter((f) => f.status === 'fail' && f.object.name.includes('daily-summary'));
    expect(onClean).toEqual([]);
    // Secrets stay out of the report.
    expect(run.stdout).not.toContain('Winter2024!Export');
    expect(run.stdout).not.toContain('ghp_4Qm7Zr2Lk9Xw1Ty8Vb3Nc6Hd0Js5Pa2Ue7Fg');
    expect(run.stderr).toContain('seeded a Quartz.NET SQLite JobStore');
    // The temp store is gone.
    const m = /at (\S+quartz-demo\.db)/.exec(run.stderr);
    expect(m?.[1] && existsSync(m[1])).toBe(false);
  });

  it('--keep PATH keeps a world-readable Quartz.NET-shaped store and refuses to overwrite', async () => {
    const path = join(dir, 'kept.db');
    const run = await runCli(['demo', '--keep', path, '--format', 'json', '--only', 'grants,encryption']);
    expect(run.code).toBe(0);
    expect(statSync(path).mode & 0o777).toBe(0o644);
    const db = new Database(path, { readonly: true });
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]
    ).map((r) => r.name);
    const triggers = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger'").get() as {
      n: number;
    };
    const jobs = db.prepare('SELECT count(*) AS n FROM QRTZ_JOB_DETAILS').get() as { n: number };
    db.close();
    expect(tables).toHaveLength(11);
    expect(triggers.n).toBe(4);
    expect(jobs.n).toBe(demoJobs().length);
    const again = await runCli(['demo', '--keep', path]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('exists');
    // A kept store scans the same through `scan`.
    const scanned = await runCli(['scan', `sqlite:${path}`, '--format', 'json']);
    expect(scanned.code).toBe(1);
    const scan = parseReport(scanned);
    expect(scan.findings.some((f) => f.check === 'QA-J01' && f.status === 'fail')).toBe(true);
  });

  it('refuses an existing --keep file without touching it', async () => {
    const path = join(dir, 'precious.db');
    writeFileSync(path, 'not yours');
    expect((await runCli(['demo', '--keep', path])).code).toBe(2);
    expect(readFileSync(path, 'utf8')).toBe('not yours');
  });

  it.skipIf(!existsSync(join(process.cwd(), 'bin/qrtz-audit.js')))('runs from the bin script like a user would', () => {
    let code = 0;
    let out = '';
    try {
      out = execFileSync(process.execPath, ['bin/qrtz-audit.js', 'demo', '--format', 'json'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 60_000,
      });
    } catch (err) {
      const e = err as { status: number; stdout: string };
      code = e.status;
      out = e.stdout;
    }
    expect(code).toBe(0);
    expect(JSON.parse(out).findings.some((f: { check: string }) => f.check === 'QA-J02')).toBe(true);
  });
});
