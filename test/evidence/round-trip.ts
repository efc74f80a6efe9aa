/**
 * The offline-evaluation round trip every database's evidence test runs (issue #13 part 6): one scan writes
 * the JSON report and the evidence file; `evaluate` of the evidence must give the same report; suppressions
 * and a baseline given to `evaluate` apply offline; the evidence file is private and holds no planted secret
 * or password.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createBaseline, formatBaseline } from '../../src/compliance/baseline.js';
import type { Report } from '../../src/report/report.js';
import { runCli } from '../support/cli.js';

export interface RoundTrip {
  online: Report;
  offline: Report;
  evidencePath: string;
  evidenceText: string;
}

/** Forms a secret may take in a JSON file: raw, JSON-escaped, URL-encoded. */
function forms(secret: string): string[] {
  return [...new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])];
}

/** scan --evidence, then evaluate; asserts equal reports, a 0600 file and no secret in it. */
export async function roundTrip(dir: string, scanArgs: string[], secrets: string[]): Promise<RoundTrip> {
  const onlinePath = join(dir, 'online.json');
  const evidencePath = join(dir, 'evidence.json');
  const offlinePath = join(dir, 'offline.json');
  const scan = await runCli(['scan', ...scanArgs, '--format', 'json', '-o', onlinePath, '--evidence', evidencePath]);
  expect(scan.code, scan.stderr).not.toBe(2);
  expect(scan.code).not.toBe(3);
  const online = JSON.parse(readFileSync(onlinePath, 'utf8')) as Report;
  const evaluated = await runCli(['evaluate', evidencePath, '--format', 'json', '-o', offlinePath]);
  expect(evaluated.stderr).not.toMatch(/error/i);
  const offline = JSON.parse(readFileSync(offlinePath, 'utf8')) as Report;
  // Same exit code, and the same report: every finding (ids, objects, fingerprints, severities, statuses,
  // messages, evidence), in the same order, the same summary, target, inventory and unreadable list.
  expect(evaluated.code).toBe(scan.code);
  expect(offline.findings.length).toBe(online.findings.length);
  expect(offline.findings).toEqual(online.findings);
  expect(offline).toEqual(online);
  // Private, versioned, redacted.
  expect(statSync(evidencePath).mode & 0o777).toBe(0o600);
  const evidenceText = readFileSync(evidencePath, 'utf8');
  const head = JSON.parse(evidenceText) as { format: string; version: number };
  expect(head.format).toBe('qrtz-audit-evidence');
  expect(head.version).toBe(1);
  for (const s of secrets)
    for (const f of forms(s)) expect(evidenceText.includes(f), `evidence holds ${s}`).toBe(false);
  return { online, offline, evidencePath, evidenceText };
}

/**
 * Suppressions and a baseline given to `evaluate` apply offline: the S01 rows are suppressed (marked, not
 * counted), an expired entry applies no more and is reported, every other failing finding is baseline-known,
 * so the exit code drops to 0.
 */
export async function complianceOffline(dir: string, rt: RoundTrip): Promise<void> {
  const ignore = join(dir, 'ignore.yml');
  const failing = rt.online.findings.filter((f) => f.status === 'fail');
  const s01 = failing.filter((f) => f.check === 'QA-S01');
  expect(s01.length).toBeGreaterThan(0);
  // The planted rows' object names end in their number: one glob covers them all.
  const s01Glob = (s01[0]?.object.name ?? '').replace(/\d+$/, '*');
  writeFileSync(
    ignore,
    [
      'suppressions:',
      '  - check: QA-S01',
      `    object: '${s01Glob}'`,
      '    reason: synthetic rows, password rotated (CHG-42)',
      '    expires: 2999-12-31',
      '  - check: QA-E01',
      "    object: '*'",
      '    reason: disk encryption planned',
      '    expires: 2020-01-31',
      '',
    ].join('\n'),
  );
  const others = failing.filter((f) => f.check !== 'QA-S01');
  const baselinePath = join(dir, 'baseline.json');
  writeFileSync(baselinePath, formatBaseline(createBaseline({ ...rt.online, findings: others } as Report)));
  const out = join(dir, 'offline-compliance.json');
  const run = await runCli([
    'evaluate',
    rt.evidencePath,
    '--ignore-file',
    ignore,
    '--baseline',
    baselinePath,
    '--fail-on',
    'low',
    '--allow-incomplete',
    '--format',
    'json',
    '-o',
    out,
  ]);
  const r = JSON.parse(readFileSync(out, 'utf8')) as Report;
  expect(run.stderr).toMatch(/suppression .*QA-E01.* expired on 2020-01-31/);
  expect(r.summary.suppressed).toBe(s01.length);
  expect(r.summary.baselined).toBe(others.length);
  expect(r.compliance?.suppressions?.expired.map((e) => e.check)).toEqual(['QA-E01']);
  for (const f of r.findings.filter((x) => x.check === 'QA-S01' && x.status === 'fail'))
    expect(f.suppressed?.reason).toBe('synthetic rows, password rotated (CHG-42)');
  expect(r.findings.filter((f) => f.status === 'fail' && !f.suppressed && !f.baseline)).toEqual([]);
  expect(run.code).toBe(0);
  // The same evidence without them: nothing accepted, the scan's exit code.
  const plain = await runCli(['evaluate', rt.evidencePath, '--fail-on', 'low', '--format', 'json']);
  expect(plain.code).toBe(1);
  expect((JSON.parse(plain.stdout) as Report).summary.suppressed).toBe(0);
}
