/**
 * Peak memory of a scan whose findings are many (issue #13 part 1): `npx tsx bench/many-findings.ts [rows]`.
 * Builds a SQLite store with ROWS (default 2,000; BENCH_ROWS or argv) jobs holding the same planted
 * password, runs `qrtz-audit scan --format json` in this process, and prints the QA-S01 count, the JSON
 * size and the peak RSS (process.resourceUsage().maxRSS) before and after. Not a timed assertion.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli.js';
import type { Report } from '../src/report/report.js';
import { makeSameSecretStore } from '../test/support/same-secret.js';

const rows = Number(process.argv[2] ?? process.env.BENCH_ROWS ?? 2000);
const dir = mkdtempSync(join(tmpdir(), 'qrtz-bench-findings-'));
try {
  const db = join(dir, 'store.db');
  makeSameSecretStore(db, rows);
  const out = join(dir, 'report.json');
  const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;
  const before = process.resourceUsage().maxRSS;
  const t0 = Date.now();
  const code = await main(['scan', db, '--format', 'json', '--output', out], {
    stdout: () => {},
    stderr: () => {},
    stdin: process.stdin,
    stdoutIsTTY: false,
    colorAllowed: false,
    stderrColor: false,
  });
  const ms = Date.now() - t0;
  const peak = process.resourceUsage().maxRSS;
  const text = readFileSync(out, 'utf8');
  const report = JSON.parse(text) as Report;
  const s01 = report.findings.filter((f) => f.check === 'QA-S01' && f.status === 'fail').length;
  console.log(
    `rows ${rows}: exit ${code}, QA-S01 findings ${s01}, findings ${report.findings.length}, JSON ${(text.length / 1e6).toFixed(1)} MB, ` +
      `${ms} ms; peak RSS ${mb(before)} before the scan, ${mb(peak)} after`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
