/**
 * Headless Chromium without a driver library: `--dump-dom` gives the DOM after the page's scripts ran, and
 * `--enable-logging=stderr` prints every console message (CSP violations and script errors included) as an
 * `INFO:CONSOLE` line. QRTZ_TEST_NO_CHROMIUM=1 simulates a machine without it.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export function chromiumBinary(): string | { skip: string } {
  if (process.env.QRTZ_TEST_NO_CHROMIUM === '1')
    return { skip: 'chromium treated as absent (QRTZ_TEST_NO_CHROMIUM=1)' };
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(':')) {
      if (dir && existsSync(join(dir, name))) return join(dir, name);
    }
  }
  return { skip: 'Chromium is not installed (Debian: apt-get install chromium)' };
}

export interface Rendered {
  dom: string;
  /** The console messages the page produced (errors, CSP violations, logs). */
  console: string[];
}

/** Loads a file (with an optional #fragment) in headless Chromium and returns the DOM after its scripts ran. */
export function renderInChromium(binary: string, file: string, fragment = ''): Promise<Rendered> {
  const profile = mkdtempSync(join(tmpdir(), 'qrtz-chromium-'));
  const url = `${pathToFileURL(file).href}${fragment ? `#${fragment}` : ''}`;
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        `--user-data-dir=${profile}`,
        '--enable-logging=stderr',
        '--v=0',
        '--dump-dom',
        url,
      ],
      { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        rmSync(profile, { recursive: true, force: true });
        if (err) return reject(new Error(`chromium failed: ${err.message}\n${stderr.slice(0, 2000)}`));
        resolve({ dom: stdout, console: stderr.split('\n').filter((l) => l.includes(':CONSOLE')) });
      },
    );
  });
}
