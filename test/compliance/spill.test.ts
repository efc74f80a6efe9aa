/** Findings past the in-memory bound spill to a temp file and come back whole: JSON, summary, marks, cleanup. */
import { existsSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyBaseline, createBaseline } from '../../src/compliance/baseline.js';
import { applySuppressions } from '../../src/compliance/suppress.js';
import { finalize } from '../../src/engine.js';
import { emptyFacts } from '../../src/facts.js';
import type { Check, Finding } from '../../src/model.js';
import { formatJson, writeJsonStreaming } from '../../src/report/json.js';
import { buildReport } from '../../src/report/report.js';
import { registerSecret } from '../../src/secrets/redact.js';
import { allFindings, disposeReport, FindingSpill, spillOf } from '../../src/spill.js';

const check: Check = {
  meta: { id: 'QA-S01', title: 'Secret', family: 'content', severity: 'high', mitigation: 'm', remediation: 'r' },
};
const row = (i: number, msg = 'holds a secret'): Finding =>
  finalize(check, {
    status: 'fail',
    message: msg,
    object: {
      kind: 'row',
      name: `QRTZ_JOB_DETAILS.JOB_DATA S/g.j${i}`,
      table: 'QRTZ_JOB_DETAILS',
      rowKey: `S/g.j${i}`,
    },
    evidence: { detector: 'key-name', fingerprint: 'aaaaaaaaaaaa' },
    discriminator: 'key-name:password',
  });
const facts = emptyFacts('sqlite', {
  server: { product: 'SQLite', version: '3' },
  target: { database: 'x.db', schema: 'main', tablePrefix: 'QRTZ_', user: 'u' },
  serviceAccount: 'u',
});

describe('finding spill', () => {
  it('JSON streamed from memory + spill equals the JSON of all findings; marks and summaries cover spilled ones', () => {
    registerSecret('Spilled-Secret-Value-42');
    const spill = new FindingSpill();
    const inMemory = [row(0), row(1)];
    for (let i = 2; i < 500; i++)
      spill.add(row(i, i === 7 ? 'leaks Spilled-Secret-Value-42 and a \u001b[31m colour' : 'holds a secret'));
    expect(statSync(spill.dir).mode & 0o777).toBe(0o700);
    expect(statSync(spill.path).mode & 0o777).toBe(0o600);
    const report = buildReport(facts, inMemory, 'high', '2026-01-01T00:00:00.000Z', 5, { spill });
    expect(report.findings).toHaveLength(2);
    expect(report.summary.total).toBe(500);
    expect(report.summary.byStatus.fail).toBe(500);

    let streamed = '';
    writeJsonStreaming(report, (c) => {
      streamed += c;
    });
    const all = { ...report, findings: [...allFindings(report)] };
    expect(streamed).toBe(formatJson(all));
    expect(streamed).not.toContain('Spilled-Secret-Value-42');
    const parsed = JSON.parse(streamed);
    expect(parsed.findings).toHaveLength(500);
    expect(parsed.findings[7].display.message).toBe('leaks [REDACTED] and a \\x1b[31m colour');

    const suppressed = applySuppressions(report, [{ check: 'QA-S01', object: '*j4?', reason: 'ok' }], {
      now: 0,
      source: 'f',
    });
    // *j4? matches j40…j49 (all spilled), not j4: one character after it is required.
    const marked = [...allFindings(suppressed)].filter((f) => f.suppressed).map((f) => f.object.rowKey);
    expect(marked).toEqual(Array.from({ length: 10 }, (_, i) => `S/g.j4${i}`));
    expect(suppressed.summary).toMatchObject({ suppressed: 10, total: 500 });
    expect(spillOf(suppressed)).toBeDefined();

    const baseline = createBaseline(report);
    expect(baseline.entries).toHaveLength(500);
    const known = applyBaseline(suppressed, baseline, 'b');
    expect(known.summary).toMatchObject({ exitCode: 0, baselined: 490, suppressed: 10 });

    disposeReport(report);
    expect(existsSync(spill.dir)).toBe(false);
  });
});
