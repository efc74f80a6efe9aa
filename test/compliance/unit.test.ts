/** The pure parts of issue #13: glob, expiry, suppression marks, baseline, diff, grouping, Prometheus escaping. */
import { describe, expect, it } from 'vitest';
import { applyBaseline, createBaseline } from '../../src/compliance/baseline.js';
import { diffReports } from '../../src/compliance/diff.js';
import { matchesObjectGlob } from '../../src/compliance/glob.js';
import { parseIgnoreFile } from '../../src/compliance/ignore-file.js';
import { applySuppressions, isExpired } from '../../src/compliance/suppress.js';
import { finalize } from '../../src/engine.js';
import { emptyFacts } from '../../src/facts.js';
import type { Check, Finding } from '../../src/model.js';
import { groupFindings } from '../../src/report/group.js';
import { escapeLabelValue, formatPrometheus } from '../../src/report/prometheus.js';
import { buildReport, type Report } from '../../src/report/report.js';

const check = (id: string): Check => ({
  meta: { id, title: `Check ${id}`, family: 'grants', severity: 'high', mitigation: 'm', remediation: 'r' },
});
function finding(id: string, status: Finding['status'], name: string, severity: Finding['severity'] = 'high'): Finding {
  return finalize(check(id), { status, severity, message: `${id} on ${name}`, object: { kind: 'principal', name } });
}
const facts = emptyFacts('postgres', {
  server: { product: 'PostgreSQL', version: '15.2' },
  target: { database: 'jobs', schema: 'quartz', tablePrefix: 'QRTZ_', user: 'auditor', host: 'db' },
  serviceAccount: 'app',
});
const report = (fs: Finding[]): Report => buildReport(facts, fs, 'high', '2026-06-01T00:00:00.000Z', 1500);

describe('object glob', () => {
  it('* spans any run (dots, slashes, spaces), ? one character, the rest literal and anchored', () => {
    expect(
      matchesObjectGlob('QRTZ_JOB_DETAILS.JOB_DATA Sched/batch.sync-01', 'QRTZ_JOB_DETAILS.JOB_DATA Sched/*'),
    ).toBe(true);
    expect(matchesObjectGlob('role etl', 'role ?tl')).toBe(true);
    expect(matchesObjectGlob('role etl2', 'role ?tl')).toBe(false);
    expect(matchesObjectGlob('roleXetl', 'role.etl')).toBe(false);
    expect(matchesObjectGlob('a(b)[c]+$', 'a(b)[c]+$')).toBe(true);
    expect(matchesObjectGlob('Role etl', 'role etl')).toBe(false);
  });
});

describe('suppressions', () => {
  it('expiry applies through its day (UTC) and stops at the next midnight', () => {
    const e = { check: 'QA-G01', object: '*', reason: 'r', expires: '2026-03-31' };
    expect(isExpired(e, Date.parse('2026-03-31T23:59:59Z'))).toBe(false);
    expect(isExpired(e, Date.parse('2026-04-01T00:00:00Z'))).toBe(true);
  });

  it('marks matching actionable findings only, recomputes the exit code, lists expired and stale entries', () => {
    const r = report([
      finding('QA-G01', 'fail', 'role etl'),
      finding('QA-G01', 'pass', 'jobs'),
      finding('QA-G02', 'fail', 'role x', 'low'),
    ]);
    expect(r.summary.exitCode).toBe(1);
    const out = applySuppressions(
      r,
      [
        { check: 'QA-G01', object: '*', reason: 'accepted', owner: 'dba' },
        { check: 'QA-G02', object: '*', reason: 'old', expires: '2020-01-01' },
        { check: 'QA-G03', object: '*', reason: 'nothing' },
      ],
      { now: Date.parse('2026-06-01T00:00:00Z'), source: 'f.yml' },
    );
    expect(out.findings.map((f) => f.suppressed?.source ?? '-')).toEqual(['f.yml#1', '-', '-']);
    expect(out.summary).toMatchObject({ exitCode: 0, suppressed: 1, byStatus: { fail: 1, pass: 1 } });
    expect(out.compliance?.suppressions).toMatchObject({
      entries: 3,
      applied: 1,
      expired: [{ check: 'QA-G02', source: 'f.yml#2' }],
      stale: [{ check: 'QA-G03', source: 'f.yml#3' }],
    });
    // The input report is not changed; a second source adds up and keeps the first mark.
    expect(r.findings[0]?.suppressed).toBeUndefined();
    const again = applySuppressions(out, [{ check: 'QA-G01', object: 'role *', reason: 'config' }], {
      now: 0,
      source: 'config',
    });
    expect(again.findings[0]?.suppressed?.source).toBe('f.yml#1');
    expect(again.compliance?.suppressions?.entries).toBe(4);
    expect(again.compliance?.suppressions?.stale).toHaveLength(1);
  });

  it('ignore-file errors name the line, the path and what was expected', () => {
    expect(() => parseIgnoreFile('suppressions:\n  - check: QA-G1\n    object: x\n    reason: r\n', 'i.yml')).toThrow(
      'i.yml:2:12: suppressions[0].check: a check id such as QA-S01',
    );
    expect(() => parseIgnoreFile('suppressions:\n  - check: QA-G01\n    reason: r\n', 'i.yml')).toThrow(
      'i.yml:2:5: suppressions[0]: an entry needs an object pattern or a fingerprint',
    );
    expect(() => parseIgnoreFile('suppressions:\n  - check: QA-G01\n    objet: x\n    reason: r\n', 'i.yml')).toThrow(
      'i.yml:2:5: suppressions[0]: unknown key objet',
    );
    expect(() => parseIgnoreFile('suppressions: [\n', 'i.yml')).toThrow(/^i\.yml:\d+:\d+: not valid YAML: /);
    expect(() => parseIgnoreFile('', 'i.yml')).toThrow('i.yml:1:1: suppressions: missing (expected array)');
  });
});

describe('baseline and diff', () => {
  it('known failing findings stop failing; entries of a check that did not run are unverified, not remediated', () => {
    const first = report([finding('QA-G01', 'fail', 'role etl'), finding('QA-G05', 'fail', 'role ops')]);
    const b = createBaseline(first, '2026-06-01T00:00:00.000Z');
    expect(b.entries.map((e) => e.check)).toEqual(['QA-G01', 'QA-G05']);
    const later = report([finding('QA-G01', 'pass', 'jobs'), finding('QA-G02', 'fail', 'role new')]);
    const out = applyBaseline(later, b, 'b.json');
    expect(out.compliance?.baseline).toMatchObject({ known: 0, new: 1 });
    expect(out.compliance?.baseline?.remediated.map((e) => e.check)).toEqual(['QA-G01']);
    expect(out.compliance?.baseline?.unverified.map((e) => e.check)).toEqual(['QA-G05']);
    const same = applyBaseline(first, b, 'b.json');
    expect(same.summary).toMatchObject({ exitCode: 0, baselined: 2 });
  });

  it('diff: new, resolved and changed (severity up counts as worse)', () => {
    const a = report([finding('QA-G01', 'fail', 'role etl', 'medium'), finding('QA-G05', 'fail', 'role ops')]);
    const b = report([finding('QA-G01', 'fail', 'role etl', 'high'), finding('QA-G07', 'fail', 'role new', 'low')]);
    const d = diffReports(a, b, 'high');
    expect(d.added.map((f) => f.check)).toEqual(['QA-G07']);
    expect(d.resolved.map((f) => f.check)).toEqual(['QA-G05']);
    expect(d.changed).toHaveLength(1);
    expect(d.changed[0]?.fields).toEqual(['severity']);
    expect(d.worsened).toBe(1);
    // Backwards, QA-G05 (high) is the new failure; the same report twice changes nothing.
    expect(diffReports(b, a, 'high').worsened).toBe(1);
    expect(diffReports(b, b, 'high')).toMatchObject({ added: [], resolved: [], changed: [], worsened: 0 });
  });
});

describe('grouping and Prometheus', () => {
  it('groups the same secret across rows and other row findings by pattern; small groups stay findings', () => {
    const row = (id: string, key: string, secret?: string): Finding =>
      finalize(check(id), {
        status: 'fail',
        message: 'm',
        object: { kind: 'row', name: `T.C ${key}`, table: 'T', rowKey: key },
        ...(secret ? { evidence: { detector: 'key-name', fingerprint: secret } } : {}),
        discriminator: 'key-name:password',
      });
    const items = groupFindings([
      ...Array.from({ length: 5 }, (_, i) => row('QA-S01', `s/k${i}`, 'aaaaaaaaaaaa')),
      row('QA-S01', 's/other', 'bbbbbbbbbbbb'),
      ...Array.from({ length: 4 }, (_, i) => row('QA-B02', `s/g${i}`)),
      ...Array.from({ length: 2 }, (_, i) => row('QA-B04', `s/m${i}`)),
    ]);
    expect(
      items.map((i) => (i.kind === 'one' ? i.finding.check : `${i.kind}:${i.check}:${i.count}:${i.pattern}`)),
    ).toEqual(['secret:QA-S01:5:T.C *', 'QA-S01', 'pattern:QA-B02:4:T.C *', 'QA-B04', 'QA-B04']);
  });

  it('escapes label values per the exposition format and keeps one sample per line', () => {
    // A line feed is made visible first (the two characters \n), then backslashes and quotes are escaped.
    expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\\\nd');
    const hostile = buildReport(
      emptyFacts('postgres', {
        server: { product: 'PostgreSQL', version: '15' },
        target: { database: 'jo"bs\\\nx', schema: 'q', tablePrefix: 'QRTZ_', user: 'u' },
        serviceAccount: 'app',
      }),
      [finding('QA-G01', 'fail', 'r')],
      'high',
      '2026-06-01T00:00:00.000Z',
      2000,
    );
    const text = formatPrometheus(hostile);
    for (const line of text.trimEnd().split('\n'))
      expect(line).toMatch(/^(# (HELP|TYPE) .+|[a-z_]+\{[^\n]*\} [0-9.e+-]+)$/);
    expect(text).toContain('database="jo\\"bs\\\\\\\\nx"');
    expect(text).toContain(
      'qrtz_audit_last_success_timestamp_seconds{dialect="postgres",database="jo\\"bs\\\\\\\\nx",schema="q"} 1780272002',
    );
  });
});
