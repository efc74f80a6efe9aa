/**
 * #14 parts 3 and 4: several formats from one scan (--format …,… --output-dir DIR) and `qrtz-audit convert`
 * from a saved JSON report, end to end through the CLI on a real SQLite JobStore (the demo's seeded store).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readReport } from '../../src/commands/convert.js';
import { UserError } from '../../src/errors.js';
import { REPORT_SCHEMA_VERSION, type Report } from '../../src/report/report.js';
import { runCli } from '../support/cli.js';
import { githubSarifProblems, sarifSchemaProblems } from './sarif-github.js';

const dir = mkdtempSync(join(tmpdir(), 'qrtz-outputs-'));
const store = join(dir, 'quartz.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  expect((await runCli(['demo', '--keep', store, '--format', 'json'])).code).toBe(0);
});

describe('several formats from one scan', () => {
  it('writes json, sarif, junit, markdown and html (and the SARIF target descriptor) into a directory', async () => {
    const out = join(dir, 'reports', 'nested');
    const r = await runCli(['scan', store, '--format', 'json,sarif,junit,markdown,html', '--output-dir', out]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/failed .* — reports written to .*: qrtz-audit\.json, qrtz-audit\.sarif/);
    expect(readdirSync(out).sort()).toEqual([
      'qrtz-audit-target.json',
      'qrtz-audit.html',
      'qrtz-audit.json',
      'qrtz-audit.junit.xml',
      'qrtz-audit.md',
      'qrtz-audit.sarif',
    ]);
    const json = JSON.parse(readFileSync(join(out, 'qrtz-audit.json'), 'utf8')) as Report;
    expect(json.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(json.summary.exitCode).toBe(1);
    const sarif = JSON.parse(readFileSync(join(out, 'qrtz-audit.sarif'), 'utf8'));
    expect(sarifSchemaProblems(sarif)).toEqual([]);
    expect(githubSarifProblems(sarif)).toEqual([]);
    // One scan: every file describes the same findings.
    expect(sarif.runs[0].results).toHaveLength(json.findings.filter((f) => f.status === 'fail').length);
    const junit = new XMLParser({ ignoreAttributes: false }).parse(
      readFileSync(join(out, 'qrtz-audit.junit.xml'), 'utf8'),
    );
    expect(junit.testsuites).toBeDefined();
    expect(readFileSync(join(out, 'qrtz-audit.md'), 'utf8')).toMatch(/^## qrtz-audit: FAIL/);
    expect(readFileSync(join(out, 'qrtz-audit.html'), 'utf8')).toMatch(/^<!doctype html>/);
    const descriptor = JSON.parse(readFileSync(join(out, 'qrtz-audit-target.json'), 'utf8'));
    expect(descriptor.target.database).toBe(json.target.database);
  });

  it('several formats without --output-dir, or --output with --output-dir, are one usage line, exit 2, before connecting', async () => {
    const none = join(dir, 'absent.db');
    const a = await runCli(['scan', none, '--format', 'json,sarif']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/^qrtz-audit: several formats \(json,sarif\) need --output-dir DIR/);
    expect(a.stderr.trim().split('\n')).toHaveLength(1);
    const b = await runCli(['scan', none, '--format', 'json', '--output', 'x', '--output-dir', 'y']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('--output and --output-dir cannot be combined');
    const c = await runCli(['scan', none, '--format', 'json,pdf']);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('unknown format pdf');
  });

  it('--output with sarif writes the target descriptor beside the file', async () => {
    const sub = mkdtempSync(join(dir, 'single-'));
    const r = await runCli(['scan', store, '--format', 'sarif', '--output', join(sub, 'audit.sarif')]);
    expect(r.code).toBe(1);
    expect(existsSync(join(sub, 'qrtz-audit-target.json'))).toBe(true);
    expect(r.stderr).toContain('target descriptor');
  });
});

describe('qrtz-audit convert', () => {
  it('converts a saved JSON report to exactly what the scan wrote', async () => {
    const out = join(dir, 'conv');
    expect((await runCli(['scan', store, '--format', 'json,sarif,junit,markdown', '--output-dir', out])).code).toBe(1);
    const saved = join(out, 'qrtz-audit.json');
    for (const [format, file] of [
      ['sarif', 'qrtz-audit.sarif'],
      ['junit', 'qrtz-audit.junit.xml'],
      ['markdown', 'qrtz-audit.md'],
      ['json', 'qrtz-audit.json'],
    ] as const) {
      const r = await runCli(['convert', saved, '--format', format]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout, format).toBe(readFileSync(join(out, file), 'utf8'));
    }
    const again = join(dir, 'conv2');
    const r = await runCli(['convert', saved, '--format', 'sarif,html', '--output-dir', again]);
    expect(r.code).toBe(0);
    expect(readdirSync(again).sort()).toEqual(['qrtz-audit-target.json', 'qrtz-audit.html', 'qrtz-audit.sarif']);
  });

  it('a wrong version, non-JSON, a foreign JSON or a bad shape is one line, exit 2', async () => {
    const good = JSON.parse((await runCli(['scan', store, '--format', 'json'])).stdout) as Report &
      Record<string, unknown>;
    const cases: [string, string, RegExp][] = [
      [
        'v2.json',
        JSON.stringify({ ...good, schemaVersion: 2 }),
        /report schema version 2; this qrtz-audit reads version 1/,
      ],
      ['text.json', 'hello', /not JSON/],
      ['other.json', JSON.stringify({ version: '2.1.0', runs: [] }), /not a qrtz-audit JSON report/],
      [
        'shape.json',
        JSON.stringify({ ...good, findings: [{ ...good.findings[0], severity: 'apocalyptic' }] }),
        /not a valid qrtz-audit report: findings\.0\.severity/,
      ],
    ];
    for (const [name, text, message] of cases) {
      const p = join(dir, name);
      writeFileSync(p, text);
      const r = await runCli(['convert', p, '--format', 'sarif']);
      expect(r.code, name).toBe(2);
      expect(r.stdout, name).toBe('');
      expect(r.stderr, name).toMatch(message);
      expect(r.stderr.trim().split('\n'), name).toHaveLength(1);
    }
    const missing = await runCli(['convert', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^qrtz-audit: cannot read /);
  });

  it('a file name with an escape sequence is escaped in every readReport message (the library API prints no raw ESC)', async () => {
    // readReport itself, not the CLI: the CLI escapes every error line again where it prints it.
    const good = (await runCli(['scan', store, '--format', 'json'])).stdout;
    const cases: [string, string | undefined, RegExp][] = [
      ['notjson', 'hello\u001b[2J', /: not JSON \(.*\\x1b\[2J.*\); convert reads/],
      ['missing', undefined, /^cannot read .*ENOENT/],
      ['fleet', JSON.stringify({ kind: 'qrtz-audit-fleet' }), /: a merged fleet report/],
      ['other', '{}', /: not a qrtz-audit JSON report/],
      ['v2', JSON.stringify({ ...JSON.parse(good), schemaVersion: 2 }), /: report schema version 2;/],
      ['shape', JSON.stringify({ ...JSON.parse(good), findings: 7 }), /: not a valid qrtz-audit report: findings:/],
    ];
    for (const [name, text, message] of cases) {
      const p = join(dir, `evil-\u001b[31m${name}\u001b[0m.json`);
      if (text !== undefined) writeFileSync(p, text);
      let err: unknown;
      try {
        readReport(p);
      } catch (e) {
        err = e;
      }
      expect(err, name).toBeInstanceOf(UserError);
      const m = (err as Error).message;
      expect(m, name).toMatch(message);
      expect(m, name).toContain(`evil-\\x1b[31m${name}\\x1b[0m.json`);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the point of the test
      expect(m, name).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    }
  });

  it('a hostile saved report (no display forms, raw HTML, ESC and bidi in every field) is escaped by every format', async () => {
    const good = JSON.parse((await runCli(['scan', store, '--format', 'json'])).stdout) as Report;
    const evil = 'x<script>alert(1)</script>\u202e\u001b]0;t\u0007|`';
    const f = good.findings.find((x) => x.status === 'fail');
    const doc = {
      ...good,
      target: { ...good.target, database: evil, host: evil, user: evil },
      findings: [
        {
          ...f,
          message: evil,
          title: evil,
          remediation: evil,
          object: { kind: 'row', name: evil },
          evidence: { [evil]: evil },
        },
      ],
      unreadable: [{ what: evil, reason: evil, table: evil, cause: 'privilege' }],
    };
    const p = join(dir, 'hostile.json');
    writeFileSync(p, JSON.stringify(doc));
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the point of the test
    const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
    for (const format of ['html', 'markdown', 'junit', 'table', 'sarif']) {
      const r = await runCli(['convert', p, '--format', format]);
      expect(r.code, format).toBe(0);
      if (format !== 'sarif') expect(r.stdout, format).not.toMatch(RAW);
      // Markdown shows fenced code literally: only the prose outside the remediation fence must be escaped.
      const prose = r.stdout.replace(/^\s*(`{3,})[^\n]*\n[\s\S]*?^\s*\1\s*$/gm, '');
      if (format !== 'table' && format !== 'sarif') expect(prose, format).not.toContain('<script>alert');
    }
    const sarif = JSON.parse((await runCli(['convert', p, '--format', 'sarif'])).stdout);
    expect(sarif.runs[0].results[0].message.text).not.toMatch(RAW);
    expect(sarif.runs[0].tool.driver.rules[0].help.markdown).not.toContain('<script>alert');
  });
});
