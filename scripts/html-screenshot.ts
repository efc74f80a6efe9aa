/**
 * The README's screenshot of the HTML report: audits the demo's seeded SQLite JobStore, writes the HTML
 * report, and has headless Chromium take a screenshot of it.
 *   npx tsx scripts/html-screenshot.ts [out.png]   (default docs/html-report.png; needs Debian's chromium)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { main } from '../src/cli.js';
import { processIo } from '../src/commands/io.js';
import { chromiumBinary } from '../test/report/chromium.js';

const out = resolve(process.argv[2] ?? 'docs/html-report.png');
const chromium = chromiumBinary();
if (typeof chromium !== 'string') {
  process.stderr.write(`html-screenshot: ${chromium.skip}\n`);
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'qrtz-shot-'));
try {
  const store = join(dir, 'quartz-demo.db');
  const io = { ...processIo(), stdout: () => {} };
  await main(['demo', '--keep', store, '--format', 'json'], io);
  await main(['scan', store, '--format', 'html', '--output-dir', dir], io);
  mkdirSync(dirname(out), { recursive: true });
  const profile = join(dir, 'profile');
  execFileSync(
    chromium,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--hide-scrollbars',
      `--user-data-dir=${profile}`,
      '--window-size=1280,1500',
      `--screenshot=${out}`,
      pathToFileURL(join(dir, 'qrtz-audit.html')).href,
    ],
    { stdio: ['ignore', 'ignore', 'ignore'] },
  );
  process.stderr.write(`html-screenshot: wrote ${out}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
