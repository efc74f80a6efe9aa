/** Report building and formatting: versioned JSON shape, exit code, terminal safety, colors, redaction. */
import { describe, expect, it } from 'vitest';
import { finalize, fingerprintOf } from '../src/engine.js';
import { emptyFacts } from '../src/facts.js';
import type { Check, Finding } from '../src/model.js';
import { formatReport } from '../src/report/index.js';
import { buildReport, REPORT_SCHEMA_VERSION } from '../src/report/report.js';
import { escapeControl } from '../src/report/terminal.js';
import { registerSecret } from '../src/secrets/redact.js';

/** A C0 control other than newline/tab, or DEL: must never reach a terminal or an XML file raw. */
function isRawControl(ch: string): boolean {
  const c = ch.codePointAt(0) as number;
  return (c < 0x20 && c !== 0x0a && c !== 0x09) || c === 0x7f;
}

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
    expect(Object.keys(high)).toEqual([
      'schemaVersion',
      'tool',
      'target',
      'startedAt',
      'durationMs',
      'summary',
      'findings',
      'inventory',
      'unreadable',
    ]);
    expect(high.tool.name).toBe('qrtz-audit');
    expect(high.target).toEqual({
      dialect: 'postgres',
      database: 'jobs',
      schema: 'public',
      tablePrefix: 'QRTZ_',
      user: 'auditor',
      host: 'db',
      server: 'PostgreSQL 15.2',
      serviceAccount: 'app',
    });
    // #10: a not-evaluated check at or above --fail-on makes the audit incomplete: exit 4 …
    expect(high.summary.exitCode).toBe(4);
    expect(high.summary.incomplete).toBe(true);
    expect(high.summary.incompleteChecks).toEqual(['QA-X99']);
    // … unless --allow-incomplete; below the threshold it does not count; findings (1) win over 4.
    expect(buildReport(facts, fs, 'high', '', 0, { allowIncomplete: true }).summary.exitCode).toBe(0);
    expect(buildReport(facts, fs, 'critical', '', 0).summary.exitCode).toBe(0);
    expect(buildReport(facts, fs, 'critical', '', 0).summary.incomplete).toBe(false);
    expect(high.summary.byStatus).toMatchObject({ fail: 1, pass: 1, 'not-evaluated': 1 });
    expect(buildReport(facts, fs, 'medium', '', 0).summary.exitCode).toBe(1);
    const json = JSON.parse(formatReport(high, 'json', { color: false })) as typeof high;
    expect(Object.keys(json.findings[0] as object)).toEqual([
      'check',
      'severity',
      'status',
      'title',
      'message',
      'object',
      'remediation',
      'mitigation',
      'family',
      'fingerprint',
    ]);
  });

  it('a pass, info or not-applicable finding never carries the generic remediation (#10 part 3)', () => {
    expect(finding('pass', 'high', 'ok').remediation).toBe('');
    expect(finding('info', 'info', 'inventory').remediation).toBe('');
    expect(finding('not-applicable', 'high', 'n/a').remediation).toBe('');
    expect(finding('fail', 'high', 'bad').remediation).toBe('r');
    expect(finding('not-evaluated', 'high', 'ne').remediation).toBe('r');
    const s = JSON.parse(
      formatReport(
        buildReport(facts, [finding('pass', 'high', 'ok'), finding('fail', 'high', 'x')], 'high', '', 0),
        'sarif',
        {
          color: false,
        },
      ),
    );
    expect(s.runs[0].tool.driver.rules[0].help.text).toBe('r');
  });

  it('fingerprints depend on check, object and discriminator only', () => {
    expect(finding('fail', 'high', 'a').fingerprint).toBe(finding('fail', 'low', 'b').fingerprint);
    expect(finding('fail', 'high', 'a', 'x').fingerprint).not.toBe(finding('fail', 'high', 'a', 'y').fingerprint);
    expect(fingerprintOf('QA-X99', 'obj', 'd')).not.toBe(fingerprintOf('QA-X99', 'obj'));
  });

  it('escapes control characters from database content in the table', () => {
    const evil = 'job\u001b]0;pwned\u0007\u001b[2J\r\u202ename';
    const text = formatReport(
      buildReport(facts, [finding('fail', 'high', `bad ${evil}`, evil)], 'high', '', 0),
      'table',
      { color: false },
    );
    expect([...text].filter((ch) => isRawControl(ch) || ch === '\u202e')).toEqual([]);
    expect(text).toContain('job\\x1b]0;pwned\\x07\\x1b[2J\\r\\u202ename');
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
    for (const f of ['json', 'table', 'sarif', 'junit', 'html'] as const) {
      const out = formatReport(r, f, { color: false });
      expect(out).not.toContain('hunter2-very-secret');
      expect(out).toContain('[REDACTED]');
    }
  });
});

describe('sarif, junit, html', () => {
  const evil = 'x<y>&"\'\u0001\u001b[31m';
  const fs = [
    finding('fail', 'critical', `boom ${evil}`, 'public.qrtz_locks'),
    finding('pass', 'high', 'fine'),
    finding('not-evaluated', 'medium', 'cannot see', 'db'),
  ];
  const r = buildReport(facts, fs, 'high', '2026-01-01T00:00:00.000Z', 1234);

  it('SARIF 2.1.0: one rule per check, a result per failing finding with level, locations and fingerprint', () => {
    const s = JSON.parse(formatReport(r, 'sarif', { color: false }));
    expect(s.version).toBe('2.1.0');
    const run = s.runs[0];
    expect(run.tool.driver.rules.map((x: { id: string }) => x.id)).toEqual(['QA-X99']);
    // #14: passes are not results; the not-evaluated one is a tool execution notification.
    expect(run.results.map((x: { kind: string; level: string }) => [x.kind, x.level])).toEqual([['fail', 'error']]);
    expect(run.results[0].locations[0].logicalLocations[0].name).toBe('public.qrtz_locks');
    expect(run.results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('qrtz-audit-target.json');
    expect(run.results[0].partialFingerprints['qrtzAudit/v1']).toBe(fs[0]?.fingerprint);
    expect(run.tool.driver.rules[0].properties['security-severity']).toBe('9.5');
    expect(run.results[0].properties['security-severity']).toBe('9.5');
  });

  it('JUnit: failures and skips counted, text escaped, no raw control characters', () => {
    const x = formatReport(r, 'junit', { color: false });
    expect(x).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="qrtz-audit" tests="3" failures="1" errors="0" skipped="1" time="1.234">/,
    );
    expect(x).toContain(
      '<failure message="[critical] Test check" type="critical">boom x&lt;y&gt;&amp;&quot;&apos;\\x01\\x1b[31m',
    );
    expect(x).toContain('<skipped message="not-evaluated: cannot see"/>');
    expect([...x].filter((ch) => isRawControl(ch))).toEqual([]);
    expect((x.match(/<testcase /g) ?? []).length).toBe((x.match(/<\/testcase>/g) ?? []).length);
  });

  it('HTML: self-contained, escaped, only its own inline script', () => {
    const html = formatReport(r, 'html', { color: false });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain("default-src 'none'");
    expect(html.match(/<script/gi)).toHaveLength(1);
    expect(html).not.toMatch(/<script[^>]*src=/i);
    expect(html).toContain('boom x&lt;y&gt;&amp;');
    expect(html).not.toContain('x<y>');
  });
});
