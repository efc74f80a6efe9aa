/**
 * The library API in-process (issue #14 part 7): audit() is the CLI's JSON report; inline suppressions and a
 * baseline apply as the CLI's files do (a wrong entry is a UserError); collect → writeEvidence → evaluate gives
 * the same report; warnings reach onWarning. The packed package is tested in pack.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  audit,
  collect,
  evaluate,
  formatReport,
  readEvidence,
  reportFrom,
  UserError,
  writeEvidence,
} from '../../src/api.js';
import { runCli } from '../support/cli.js';
import { makeSameSecretStore, PLANTED_PASSWORD } from '../support/same-secret.js';

const KEY = 'api-test-fingerprint-key-abcdef';
let dir: string;
let db: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'qrtz-api-'));
  db = join(dir, 'store.db');
  makeSameSecretStore(db, 30);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('library API', () => {
  it('audit() returns the report scan --format json writes', async () => {
    process.env.QRTZ_API_KEY = KEY;
    const cli = await runCli(['scan', db, '--format', 'json', '--fingerprint-key-env', 'QRTZ_API_KEY']);
    const api = await audit({ target: db, fingerprintKey: KEY, ignoreFile: false, onWarning: () => {} });
    const online = JSON.parse(cli.stdout);
    const clock = (r: { findings: { evidence?: Record<string, unknown> }[] }) =>
      r.findings.map((f) => {
        const { dbNowUtc: _c, ...evidence } = f.evidence ?? {};
        return { ...f, evidence };
      });
    expect(clock(api)).toEqual(clock(online));
    expect(api.summary).toEqual(online.summary);
    expect(api.summary.exitCode).toBe(cli.code);
    expect(JSON.stringify(api)).not.toContain(PLANTED_PASSWORD);
    expect(formatReport(api, 'sarif')).toContain('"version": "2.1.0"');
  });

  it('inline suppressions and a baseline apply; an expired entry reaches onWarning; a wrong entry is a UserError', async () => {
    const warnings: string[] = [];
    const first = await audit({ target: db, ignoreFile: false, onWarning: () => {} });
    const others = first.findings.filter((f) => f.status === 'fail' && f.check !== 'QA-S01');
    const baseline = join(dir, 'baseline.json');
    const cli = await runCli(['baseline', 'create', db, '-o', baseline]);
    expect(cli.code).toBe(0);
    const r = await audit({
      target: db,
      ignoreFile: false,
      baseline,
      suppressions: [
        { check: 'QA-S01', object: '*', reason: 'synthetic rows', expires: '2999-01-01' },
        { check: 'QA-E01', object: '*', reason: 'old', expires: '2020-01-01' },
      ],
      onWarning: (l) => warnings.push(l),
    });
    expect(r.summary.suppressed).toBe(30);
    expect(r.summary.baselined).toBe(others.length);
    expect(r.summary.exitCode).toBe(0);
    expect(warnings.some((l) => /QA-E01.*expired on 2020-01-01/.test(l))).toBe(true);
    await expect(
      audit({ target: db, ignoreFile: false, suppressions: [{ check: 'QA-S01', reason: '' } as never] }),
    ).rejects.toThrow(UserError);
    await expect(audit({ target: join(dir, 'absent.db'), ignoreFile: false })).rejects.toThrow(UserError);
  });

  it('collect → writeEvidence → evaluate (and reportFrom of readEvidence) give the report of reportFrom(collect)', async () => {
    const evidence = await collect({ target: db, onWarning: () => {} });
    const path = join(dir, 'ev.json');
    writeEvidence(path, evidence);
    const direct = reportFrom(evidence, { ignoreFile: false });
    const offline = evaluate(path, { ignoreFile: false });
    expect(offline).toEqual(direct);
    expect(reportFrom(readEvidence(path), { ignoreFile: false })).toEqual(direct);
    expect(readFileSync(path, 'utf8')).not.toContain(PLANTED_PASSWORD);
    writeFileSync(path, '{"format":"qrtz-audit-evidence","version":9}');
    expect(() => evaluate(path)).toThrow(/newer qrtz-audit/);
  });
});
