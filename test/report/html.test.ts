/**
 * #14 part 2 (HTML for auditors): self-contained (CSP default-src 'none', the one inline script allowed by its
 * hash), header with the target, chart and counts, neutral passes, escaped database text; in headless
 * Chromium on a real SQLite audit: no console errors, and the filter and sort work.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finalize } from '../../src/engine.js';
import { emptyFacts } from '../../src/facts.js';
import type { Check } from '../../src/model.js';
import { formatReport } from '../../src/report/index.js';
import { buildReport, type Report } from '../../src/report/report.js';
import { runCli } from '../support/cli.js';
import { optionalPiece } from '../support/pg-server.js';
import { chromiumBinary, renderInChromium } from './chromium.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point of the test
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const evil = 'job"<script>alert(1)</script>\u202e\u001b[2J';
const check = (id: string, severity: Check['meta']['severity']): Check => ({
  meta: { id, title: `Title ${id}`, family: 'grants', severity, mitigation: 'm', remediation: 'REVOKE x;' },
});
const facts = emptyFacts('postgres', {
  server: { product: 'PostgreSQL', version: '15.4' },
  target: { database: `jobs${evil}`, schema: 'public', tablePrefix: 'QRTZ_', user: 'auditor', host: 'db.example' },
  serviceAccount: 'app',
});
const report = buildReport(
  facts,
  [
    finalize(check('QA-X1', 'critical'), {
      status: 'fail',
      message: `bad ${evil}`,
      object: { kind: 'row', name: evil },
    }),
    finalize(check('QA-X2', 'high'), { status: 'pass', message: 'fine', object: { kind: 'table', name: 't' } }),
  ],
  'high',
  '2026-01-01T00:00:00.000Z',
  1500,
);

describe('HTML structure', () => {
  const html = formatReport(report, 'html', { color: false });

  it('self-contained: one inline script, allowed by its hash; no external resource', () => {
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    const hash = createHash('sha256')
      .update(scripts[0]?.[1] ?? '')
      .digest('base64');
    expect(html).toContain(`default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}'`);
    expect(html).not.toMatch(/\s(src|href)=/i);
    expect(html.replace('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:/);
  });

  it('header names target, host, server, login, time and tool version; chart and counts', () => {
    for (const text of [
      'db.example',
      'PostgreSQL 15.4',
      'auditor',
      '2026-01-01T00:00:00.000Z',
      `qrtz-audit ${report.tool.version}`,
    ])
      expect(html).toContain(text);
    expect(html).toMatch(/<svg role="img"[^>]*>.*<rect [^>]*fill="#8b0000"/s);
    expect(html).toContain('<td class="n">1</td>');
  });

  it('passes are neutral: no severity colour, no remediation', () => {
    const pass = html.split('\n').find((l) => l.includes('data-status="pass"')) ?? '';
    const passRow = html.slice(html.indexOf(pass), html.indexOf('</tr>', html.indexOf(pass)));
    expect(passRow).toContain('badge neutral');
    expect(passRow).not.toContain('REVOKE');
    const failRow = html.slice(
      html.indexOf('data-status="fail"'),
      html.indexOf('</tr>', html.indexOf('data-status="fail"')),
    );
    expect(failRow).toContain('badge critical');
    expect(failRow).toContain('REVOKE x;');
  });

  it('database text is escaped; control and bidi characters made visible', () => {
    expect(html).not.toMatch(RAW);
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('job&quot;&lt;script&gt;alert(1)&lt;/script&gt;\\u202e\\x1b[2J');
  });
});

const chromium = chromiumBinary();
describe.skipIf(!optionalPiece(chromium, 'chromium'))('HTML in headless Chromium (real SQLite audit)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qrtz-html-'));
  const file = join(dir, 'qrtz-audit.html');
  let json: Report;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeAll(async () => {
    const store = join(dir, 'quartz.db');
    expect((await runCli(['demo', '--keep', store, '--format', 'json'])).code).toBe(0);
    expect((await runCli(['scan', store, '--format', 'json,html', '--output-dir', dir])).code).toBe(1);
    json = JSON.parse(readFileSync(join(dir, 'qrtz-audit.json'), 'utf8')) as Report;
  });
  const visibleRows = (dom: string) => (dom.match(/<tr class="st-[^"]*"(?![^>]*\shidden)[^>]*>/g) ?? []).length;

  it('renders without console messages; the script shows the controls', async () => {
    const r = await renderInChromium(chromium as string, file);
    expect(r.console).toEqual([]);
    expect(r.dom).toContain('<form class="filters" id="filters">'); // no longer hidden
    expect(r.dom).toMatch(new RegExp(`${json.findings.length} of ${json.findings.length} shown`));
    expect(visibleRows(r.dom)).toBe(json.findings.length);
  }, 90_000);

  it('filters by status, severity and text from the address', async () => {
    const fails = json.findings.filter((f) => f.status === 'fail');
    const r = await renderInChromium(chromium as string, file, 'status=fail');
    expect(r.console).toEqual([]);
    expect(visibleRows(r.dom)).toBe(fails.length);
    const critical = fails.filter((f) => f.severity === 'critical').length;
    const c = await renderInChromium(chromium as string, file, 'status=fail&severity=critical');
    expect(visibleRows(c.dom)).toBe(critical);
    const f01 = json.findings.filter((f) => f.check === 'QA-F01').length;
    expect(f01).toBeGreaterThan(0);
    const q = await renderInChromium(chromium as string, file, 'q=qa-f01');
    expect(visibleRows(q.dom)).toBe(f01);
  }, 90_000);

  it('sorts by a column (from the address, as a click on its header does)', async () => {
    const r = await renderInChromium(chromium as string, file, 'sort=check');
    expect(r.console).toEqual([]);
    const checks = [...r.dom.matchAll(/data-kcheck="([^"]*)"/g)].map((m) => m[1] as string);
    expect(checks).toHaveLength(json.findings.length);
    expect(checks).toEqual([...checks].sort());
    expect(checks).not.toEqual(
      [...readFileSync(file, 'utf8').matchAll(/data-kcheck="([^"]*)"/g)].map((m) => m[1] as string),
    ); // the default order (status, severity) is another one
    expect(r.dom).toContain('aria-sort="ascending"');
  }, 90_000);

  it('without the script, the table is complete and the controls stay hidden', () => {
    const noScript = readFileSync(file, 'utf8').replace(/<script>[\s\S]*?<\/script>/, '');
    writeFileSync(join(dir, 'plain.html'), noScript);
    expect(noScript).toContain('<form class="filters" id="filters" hidden>');
    expect(visibleRows(noScript)).toBe(json.findings.length);
  });
});
