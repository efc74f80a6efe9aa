/** Report building and formatting: versioned JSON shape, exit code, terminal safety, colors, redaction. */
import { describe, expect, it } from 'vitest';
import { finalize, fingerprintOf } from '../src/engine.js';
import { emptyFacts } from '../src/facts.js';
import type { Check, Finding } from '../src/model.js';
import { formatReport } from '../src/report/index.js';
import { REPORT_SCHEMA_VERSION, buildReport } from '../src/report/report.js';
import { escapeControl } from '../src/report/terminal.js';
import { registerSecret } from '../src/secrets/redact.js';

const check: Check = {
  meta: { id: 'QA-X99', title: 'Test check', family: 'grants', severity: 'high', mitigation: 'm', remediation: 'r' },
};

function finding(status: Finding['status'], severity: Finding['severity'], message: string, name = 'obj'): Finding {
  return finalize(check, { status, severity, message, object: { kind: 'table', name } });
}

const facts = emptyFacts('postgres', {
  server: { product: 'PostgreSQL', version: '15.2' },
  target: { database: 'jobs', schema: 'public', tablePrefix: 'QRTZ_', user: 'auditor', host: 'db' },
  serviceAccount: 'app',
});

describe('report', () => {
  it('has the documented JSON shape and exit code by --fail-on', () => {
    const fs = [finding('fail', 'medium', 'm1'), finding('pass', 'high', 'ok'), finding('not-evaluated', 'high', 'ne')];
    const high = buildReport(facts, fs, 'high', '2026-01-01T00:00:00.000Z', 5);
    expect(high.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(Object.keys(high)).toEqual(['schemaVersion', 'tool', 'target', 'startedAt', 'durationMs', 'summary', 'findings', 'inventory', 'unreadable']);
    expect(high.tool.name).toBe('qrtz-audit');
    expect(high.target).toEqual({ dialect: 'postgres', database: 'jobs', schema: 'public', tablePrefix: 'QRTZ_', user: 'auditor', host: 'db', server: 'PostgreSQL 15.2', serviceAccount: 'app' });
    expect(high.summary.exitCode).toBe(0);
    expect(high.summary.byStatus).toMatchObject({ fail: 1, pass: 1, 'not-evaluated': 1 });
    expect(buildReport(facts, fs, 'medium', '', 0).summary.exitCode).toBe(1);
    const json = JSON.parse(formatReport(high, 'json', { color: false })) as typeof high;
    expect(Object.keys(json.findings[0] as object)).toEqual(['check', 'severity', 'status', 'title', 'message', 'object', 'remediation', 'mitigation', 'family', 'fingerprint']);
  });

  it('fingerprints depend on check, object and discriminator only', () => {
    expect(finding('fail', 'high', 'a').fingerprint).toBe(finding('fail', 'low', 'b').fingerprint);
    expect(finding('fail', 'high', 'a', 'x').fingerprint).not.toBe(finding('fail', 'high', 'a', 'y').fingerprint);
    expect(fingerprintOf('QA-X99', 'obj', 'd')).not.toBe(fingerprintOf('QA-X99', 'obj'));
  });

  it('escapes control characters from database content in the table', () => {
    const evil = 'job\u001b]0;pwned\u0007\u001b[2J\r\u202ename';
    const text = formatReport(buildReport(facts, [finding('fail', 'high', `bad ${evil}`, evil)], 'high', '', 0), 'table', { color: false });
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
    expect(text).toContain('job\\x1b]0;pwned\\x07\\x1b[2J\\x0d\\u{202e}name');
    expect(escapeControl('a\nb', true)).toBe('a\nb');
  });

  it('colors only when asked (NO_COLOR / non-TTY turn them off upstream)', () => {
    const r = buildReport(facts, [finding('fail', 'critical', 'boom')], 'high', '', 0);
    expect(formatReport(r, 'table', { color: false })).not.toContain('\u001b[');
    expect(formatReport(r, 'table', { color: true })).toContain('\u001b[');
  });

  it('redacts registered secrets in every format', () => {
    registerSecret('hunter2-very-secret');
    const r = buildReport(facts, [finding('fail', 'high', 'value hunter2-very-secret leaked')], 'high', '', 0);
    for (const f of ['json', 'table'] as const) {
      const out = formatReport(r, f, { color: false });
      expect(out).not.toContain('hunter2-very-secret');
      expect(out).toContain('[REDACTED]');
    }
  });
});
