/** #14 part 2: Markdown for a PR comment or CI step summary; database text can never become Markdown or HTML. */
import { describe, expect, it } from 'vitest';
import { finalize } from '../../src/engine.js';
import { emptyFacts } from '../../src/facts.js';
import type { Check, Finding } from '../../src/model.js';
import { formatReport } from '../../src/report/index.js';
import { formatMarkdown, mdEscape, mdFence } from '../../src/report/markdown.js';
import { buildReport } from '../../src/report/report.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point of the test
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const check = (id: string, family: Check['meta']['family'], severity: Check['meta']['severity']): Check => ({
  meta: { id, title: `Title ${id}`, family, severity, mitigation: 'm', remediation: 'REVOKE ALL ON x FROM y;' },
});
const evil = 'job|x`<img src=x onerror=alert(1)>[l](http://e)**b**\u202e\u001b[2J\n# head';
const facts = emptyFacts('postgres', {
  server: { product: 'PostgreSQL', version: '15' },
  target: { database: 'jobs|db', schema: 'public', tablePrefix: 'QRTZ_', user: 'auditor', host: 'db' },
  serviceAccount: 'app',
});

function findings(): Finding[] {
  return [
    finalize(check('QA-X1', 'grants', 'critical'), {
      status: 'fail',
      message: `bad ${evil}`,
      object: { kind: 'row', name: evil },
      evidence: { job: evil },
      remediation: `-- for ${evil}\n\`\`\`\nDROP TABLE x; -- \`\`\`\`\`\``,
    }),
    finalize(check('QA-X2', 'encryption', 'medium'), {
      status: 'fail',
      message: 'tls off',
      object: { kind: 'server', name: 'db' },
    }),
    finalize(check('QA-X3', 'grants', 'high'), { status: 'pass', message: 'ok', object: { kind: 'table', name: 't' } }),
    finalize(check('QA-X4', 'audit', 'high'), {
      status: 'not-evaluated',
      message: 'cannot read',
      object: { kind: 'server', name: 'db' },
    }),
  ];
}

describe('markdown', () => {
  const md = formatReport(buildReport(facts, findings(), 'high', '2026-01-01T00:00:00Z', 1), 'markdown', {
    color: false,
  });

  it('a summary table of failures by severity and family, then findings grouped by severity', () => {
    expect(md).toMatch(/^## qrtz-audit: FAIL: PostgreSQL 15 jobs\\\|db\\\.public\n/);
    const lines = md.split('\n');
    expect(lines).toContain('| failed | grants | encryption | audit | total |');
    expect(lines).toContain('| critical | 1 | 0 | 0 | 1 |');
    expect(lines).toContain('| medium | 0 | 1 | 0 | 1 |');
    expect(lines).toContain('| *pass* | 1 | 0 | 0 | 1 |');
    expect(lines).toContain('| *not-evaluated* | 0 | 0 | 1 | 1 |');
    expect(md.indexOf('### CRITICAL (1)')).toBeLessThan(md.indexOf('### MEDIUM (1)'));
    expect(md).toContain('### Not evaluated (1)');
    expect(md).toContain('Incomplete audit');
  });

  it('database text stays text: no raw HTML, link, heading, table cell break or control character', () => {
    expect(md).not.toMatch(RAW);
    // Outside fenced code (whose content Markdown shows literally), no raw HTML or link.
    const prose = md.replace(/^\s*(`{3,})[^\n]*\n[\s\S]*?^\s*\1\s*$/gm, '');
    expect(prose).not.toContain('DROP TABLE');
    expect(prose).not.toContain('<img');
    expect(prose).not.toMatch(/(^|[^\\])\]\(/); // a link needs an unescaped ](
    expect(prose).not.toContain('http://');
    expect(md).not.toMatch(/^# head/m);
    expect(md).toContain('job\\|x\\`&lt;img src=x onerror=alert(1)&gt;\\[l\\](http:&#47;&#47;e)');
    expect(md).toContain('\\\\u202e\\\\x1b\\[2J\\\\n# head');
    // The remediation fence is longer than any backtick run in it: the block cannot be closed from inside.
    const fence = md
      .split('\n')
      .find((l) => /^\s*`{3,}$/.test(l))
      ?.trim();
    expect(fence).toBe('```````');
  });

  it('escaping helpers', () => {
    expect(mdEscape('a|b')).toBe('a\\|b');
    // No @mention, #reference or autolink from database text; no heading, list or quote at a line start.
    expect(mdEscape('role @security-team #12 see https://x.test www.x.test')).toBe(
      'role <code>@</code>security-team <code>#</code>12 see https:&#47;&#47;x.test www&#46;x.test',
    );
    expect(mdEscape('# h', true)).toBe('\\# h');
    expect(mdEscape('- item', true)).toBe('\\- item');
    expect(mdEscape('1. item', true)).toBe('1\\. item');
    expect(mdEscape('> quote')).toBe('&gt; quote');
    expect(mdEscape('127.0.0.1')).toBe('127.0.0.1');
    expect(mdEscape('===', true)).toBe('\\===');
    expect(mdEscape('<b>&')).toBe('&lt;b&gt;&amp;');
    expect(mdFence('x ```` y')).toBe('`````\nx ```` y\n`````');
  });

  it('fits a GitHub comment: findings are cut with a note', () => {
    const many = Array.from({ length: 2000 }, (_, i) =>
      finalize(check('QA-X5', 'grants', 'high'), {
        status: 'fail',
        message: `grant ${i} ${'x'.repeat(40)}`,
        object: { kind: 'principal', name: `role_${i}` },
      }),
    );
    const out = formatMarkdown(buildReport(facts, many, 'high', '', 1), 20_000);
    expect(out.length).toBeLessThanOrEqual(20_000);
    expect(out).toMatch(/_\d+ more findings not shown/);
  });
});
