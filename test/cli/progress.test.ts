/**
 * #14 part 6 through the CLI on a real audit (the demo's SQLite store):
 * - on a terminal (util-linux `script` gives the CLI a pseudo-terminal; COLUMNS=80 since that terminal has no
 *   size): phase lines, a progress bar with rows of the counted total, MB/s and ETA, the line when the blobs are
 *   done, and a table whose every line fits 80 columns; `--quiet` leaves only the report;
 * - off a terminal: nothing animated, exactly one summary line on stderr (target, rows, findings by severity,
 *   duration); `--quiet` silences it;
 * - the table wraps to COLUMNS: no line past 80 columns, the same text as unwrapped (only whitespace differs).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const BIN = resolve(import.meta.dirname, '../../bin/qrtz-audit.js');
// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal control sequences are what is removed.
const CSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]/g;
const visible = (s: string) => s.replace(CSI, '');

const dir = mkdtempSync(join(tmpdir(), 'qrtz-progress-'));
const store = join(dir, 'quartz.db');
beforeAll(async () => {
  expect((await runCli(['demo', '--keep', store, '--quiet', '--format', 'json'])).code).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scriptMissing = spawnSync('script', ['--version'], { encoding: 'utf8' }).status !== 0;
if (scriptMissing) console.warn('[skip] progress on a terminal: util-linux `script` is not installed');

/** Runs the CLI under a pseudo-terminal (stdout and stderr both the terminal). */
function onTerminal(args: string[]) {
  const cmd = ['node', BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('script', ['-qfec', cmd, '/dev/null'], {
    env: { ...process.env, COLUMNS: '80', NO_COLOR: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout.replace(/\r\n/g, '\n') };
}

describe.skipIf(scriptMissing)('on a terminal', () => {
  it('phase lines, a progress bar of the counted rows with MB/s and ETA, a table within 80 columns', {
    timeout: 120_000,
  }, () => {
    const r = onTerminal(['scan', store]);
    expect(r.code, r.out).toBe(1);
    const text = visible(r.out);
    for (const phase of [
      'qrtz-audit: connecting…',
      'qrtz-audit: reading the catalog',
      'qrtz-audit: counting blob rows…',
      'qrtz-audit: evaluating checks…',
    ])
      expect(text).toContain(phase);
    // The bar's renders: rows of the total, MB/s, ETA; its last render has every row.
    const renders = [
      ...r.out.matchAll(/qrtz-audit: blobs [#.]+ (\d+)\/(\d+) rows \| ([\d.]+|—) MB\/s \| ETA [\dsmh.]+/g),
    ];
    expect(renders.length, r.out).toBeGreaterThan(0);
    const last = renders[renders.length - 1] as RegExpMatchArray;
    expect(Number(last[1])).toBe(Number(last[2]));
    const done = /qrtz-audit: blobs: (\d+) of (\d+) rows, [\d.]+ (B|kB|MB) in [\d.]+ s \([\d.]+ MB\/s\)/.exec(text);
    expect(done, text).not.toBeNull();
    expect(done?.[1]).toBe(done?.[2]);
    expect(Number(done?.[2])).toBe(Number(last[2]));
    // The table (stdout): every line within 80 columns. Lines of stderr start with "qrtz-audit:".
    const table = text.split('\n').filter((l) => !l.startsWith('qrtz-audit:') && !l.includes('qrtz-audit: blobs'));
    expect(table.some((l) => l.includes('CRITICAL'))).toBe(true);
    for (const l of table) expect(l.length, l).toBeLessThanOrEqual(80);
    // The summary line on stderr at the end.
    expect(text).toMatch(/qrtz-audit: SQLite .* \d+ blob rows \(.*\) in [\d.]+ s; \d+ failed/);
  });

  it('--quiet: no phase line, no bar, no summary line; the table still prints', { timeout: 120_000 }, () => {
    const r = onTerminal(['scan', store, '--quiet']);
    expect(r.code, r.out).toBe(1);
    const text = visible(r.out);
    expect(text).not.toMatch(/^qrtz-audit:/m);
    expect(r.out).not.toContain('rows |');
    expect(text).toContain('CRITICAL');
  });
});

describe('off a terminal', () => {
  it('nothing animated; exactly one summary line on stderr: target, rows, findings by severity, duration', async () => {
    const r = await runCli(['scan', store, '--format', 'json']);
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^qrtz-audit: SQLite \S+ .*quartz\.db\.main prefix QRTZ_: \d+ blob rows \([\d.]+ (B|kB|MB)\) in [\d.]+ s; \d+ failed \(\d+ critical, \d+ high, \d+ medium\), .* — exit 1 \(fail-on high\)$/,
    );
    expect(r.stderr).not.toContain('\r');
    expect(r.stderr).not.toContain('\u001b');
    const report = JSON.parse(r.stdout) as { inventory: { blobs: { rows: number } } };
    expect(lines[0]).toContain(`: ${report.inventory.blobs.rows} blob rows`);
  });

  it('--quiet silences it (the report is unchanged)', async () => {
    const r = await runCli(['scan', store, '--format', 'json', '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).findings.length).toBeGreaterThan(5);
    const d = await runCli(['demo', '--quiet', '--format', 'json']);
    expect(d.code).toBe(0);
    expect(d.stderr).toBe('');
  });

  it('a report written to a file: the summary line names it, once', async () => {
    const out = join(dir, 'r.json');
    const r = await runCli(['scan', store, '--format', 'json', '-o', out]);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).toMatch(/blob rows .* — exit 1 \(fail-on high\) — report written to /);
  });
});

describe('--config (one target, and a fleet)', () => {
  it('one target: the run summary line as for a URL; --quiet silences it', async () => {
    const file = join(dir, 'one.yml');
    writeFileSync(file, `targets:\n  - name: demo\n    url: ${store}\n`);
    const r = await runCli(['scan', '--config', file, '--format', 'json']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^qrtz-audit: SQLite .* \d+ blob rows .* — exit 1 \(fail-on high\)\n$/);
    const q = await runCli(['scan', '--config', file, '--format', 'json', '--quiet']);
    expect([q.code, q.stderr]).toEqual([1, '']);
  });

  it('a fleet: --quiet silences the fleet’s and the targets’ summary lines', async () => {
    const file = join(dir, 'fleet.yml');
    writeFileSync(file, `targets:\n  - name: a\n    url: ${store}\n  - name: b\n    url: ${store}\n`);
    const out = join(dir, 'fleet-out');
    const r = await runCli(['scan', '--config', file, '--format', 'json', '--output-dir', out]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('merged report written to');
    const q = await runCli(['scan', '--config', file, '--format', 'json', '--output-dir', out, '--quiet']);
    expect([q.code, q.stderr]).toEqual([1, '']);
  });
});

describe('the table wraps to COLUMNS', () => {
  const withColumns = async (columns: string | undefined) => {
    const saved = process.env.COLUMNS;
    if (columns === undefined) delete process.env.COLUMNS;
    else process.env.COLUMNS = columns;
    try {
      return await runCli(['scan', store, '--format', 'table', '--verbose']);
    } finally {
      if (saved === undefined) delete process.env.COLUMNS;
      else process.env.COLUMNS = saved;
    }
  };

  it('at 80 columns no line is longer; the text is the unwrapped text (only whitespace differs)', async () => {
    const wide = await withColumns(undefined);
    const narrow = await withColumns('80');
    expect(narrow.code).toBe(1);
    const long = wide.stdout.split('\n').filter((l) => l.length > 80);
    expect(
      long.length,
      'unwrapped, some lines are longer than 80 (the test would otherwise prove nothing)',
    ).toBeGreaterThan(5);
    for (const l of narrow.stdout.split('\n')) expect(l.length, l).toBeLessThanOrEqual(80);
    // The same text: only whitespace differs (and the database clock QA-H02 reports, read at each scan).
    const text = (s: string) => s.replace(/dbNowUtc=\S+/g, '').replace(/\s+/g, '');
    expect(text(narrow.stdout)).toBe(text(wide.stdout));
    expect(narrow.stdout.split('\n').length).toBeGreaterThan(wide.stdout.split('\n').length);
  });
});
