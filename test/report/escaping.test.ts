/**
 * #9 part 6: one escaping policy for every human-facing output. ESC ]0;…BEL ESC [2J and U+202E in
 * names never reach the table, HTML or JUnit raw; JSON and SARIF keep the exact value and carry a
 * safe display form beside it.
 */
import { describe, expect, it } from 'vitest';
import { finalize } from '../../src/engine.js';
import { emptyFacts } from '../../src/facts.js';
import type { Check } from '../../src/model.js';
import { formatReport } from '../../src/report/index.js';
import { buildReport, type Report } from '../../src/report/report.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point of the test
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const TITLE = '\u001b]0;owned\u0007\u001b[2J';
const job = `invoice\u202etxt.exe${TITLE}`;

const check: Check = {
  meta: { id: 'QA-X98', title: 'T', family: 'content', severity: 'high', mitigation: 'm', remediation: 'r' },
};
const facts = emptyFacts('postgres', {
  server: { product: 'PostgreSQL', version: '15' },
  target: { database: `db${TITLE}`, schema: 'q\u2066s', tablePrefix: 'QRTZ_', user: 'auditor' },
  serviceAccount: `svc\u202e`,
  serviceAccountSource: 'inferred',
});
const report = buildReport(
  facts,
  [
    finalize(check, {
      status: 'fail',
      message: `job ${job} is bad`,
      object: { kind: 'row', name: job },
      evidence: { job },
      remediation: `-- fix ${job}\nREVOKE x FROM y;`,
    }),
  ],
  'high',
  '',
  0,
);

describe('escaping policy', () => {
  for (const format of ['table', 'html', 'junit'] as const) {
    it(`${format}: no raw ESC, BEL or bidi control`, () => {
      const out = formatReport(report, format, { color: false });
      expect(out).not.toMatch(RAW);
      expect(out).toContain('invoice\\u202etxt.exe\\x1b]0;owned\\x07\\x1b[2J');
    });
  }

  it('JSON keeps the exact values and adds display forms', () => {
    const r = JSON.parse(formatReport(report, 'json', { color: false })) as Report;
    const f = r.findings[0];
    expect(f?.object.name).toBe(job);
    expect(f?.object.display).toBe('invoice\\u202etxt.exe\\x1b]0;owned\\x07\\x1b[2J');
    expect(f?.display?.message).toBe('job invoice\\u202etxt.exe\\x1b]0;owned\\x07\\x1b[2J is bad');
    expect(f?.display?.evidence?.job).toBe('invoice\\u202etxt.exe\\x1b]0;owned\\x07\\x1b[2J');
    expect(f?.display?.remediation).toBe('-- fix invoice\\u202etxt.exe\\x1b]0;owned\\x07\\x1b[2J\nREVOKE x FROM y;');
    expect(r.target.database).toBe(`db${TITLE}`);
    expect(r.target.display?.database).toBe('db\\x1b]0;owned\\x07\\x1b[2J');
    expect(r.target.display?.serviceAccount).toBe('svc\\u202e');
  });

  it('an evidence key named __proto__ keeps its display form as a plain key', () => {
    const evidence = JSON.parse('{"__proto__": "a\\u202eb"}') as Record<string, string>;
    const r = buildReport(
      facts,
      [finalize(check, { status: 'info', message: 'm', object: { kind: 'database', name: 'd' }, evidence })],
      'high',
      '',
      0,
    );
    const out = JSON.parse(formatReport(r, 'json', { color: false })) as Report;
    const ev = out.findings[0]?.display?.evidence as Record<string, string>;
    expect(Object.getOwnPropertyDescriptor(ev, '__proto__')?.value).toBe('a\\u202eb');
  });

  it('a clean finding carries no display form', () => {
    const clean = buildReport(
      facts,
      [finalize(check, { status: 'pass', message: 'fine', object: { kind: 'database', name: 'jobs' } })],
      'high',
      '',
      0,
    );
    expect(clean.findings[0]?.display).toBeUndefined();
    expect(clean.findings[0]?.object.display).toBeUndefined();
  });

  it('SARIF keeps the exact value and carries the display form in properties', () => {
    const s = JSON.parse(formatReport(report, 'sarif', { color: false }));
    const res = s.runs[0].results[0];
    expect(res.locations[0].logicalLocations[0].name).toBe(job);
    expect(res.properties.objectDisplay).toBe('invoice\\u202etxt.exe\\x1b]0;owned\\x07\\x1b[2J');
    expect(res.properties.display.message).toContain('\\u202e');
  });

  it('the summary line says the service account was inferred, escaped', () => {
    const out = formatReport(report, 'table', { color: false });
    expect(out).toContain('service account svc\\u202e (inferred: the only login holding Quartz DML)');
  });
});
