/**
 * Faults that need no server (issue #17 part 4): DNS failure (.invalid is never resolvable, RFC 6761),
 * a refused port, a full disk for --output and for standard output (/dev/full): one clear line, a
 * documented exit code, no hang, no unhandled rejection, no stack without --debug.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeStore } from '../integration/sqlite/helpers.js';
import { runCli } from '../support/cli.js';
import { freePort } from '../support/pg-server.js';

const dir = mkdtempSync(join(tmpdir(), 'qrtz-rel-faults-'));
const store = join(dir, 'quartz.db');
makeStore(store);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bin = join(import.meta.dirname, '..', '..', 'bin', 'qrtz-audit.js');

const unhandled: unknown[] = [];
process.on('unhandledRejection', (e) => unhandled.push(e));

const oneLine = (stderr: string) => stderr.trim().split('\n');

describe('faults without a server', () => {
  for (const scheme of ['postgres', 'mysql']) {
    // "fast" without a clock: the error names its cause (no such host, refused), not the connect timeout
    // it would have waited for; a hang fails the test's own timeout
    it(`${scheme}: DNS failure → one line naming the host, exit 2, without waiting for the connect timeout`, async () => {
      const r = await runCli([
        'scan',
        `${scheme}://auditor@qrtz-audit-test.invalid:5999/quartz`,
        '--connect-timeout',
        '5s',
      ]);
      expect(oneLine(r.stderr)).toHaveLength(1);
      expect(r.stderr).toMatch(/^qrtz-audit: .*qrtz-audit-test\.invalid/);
      expect(r.stderr).not.toMatch(/timed? ?out/i);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      expect([r.code, r.stdout]).toEqual([2, '']);
    });

    it(`${scheme}: a refused port → one line, exit 2, without waiting for the connect timeout`, async () => {
      const port = await freePort();
      const r = await runCli(['scan', `${scheme}://auditor@127.0.0.1:${port}/quartz`, '--connect-timeout', '5s']);
      expect(oneLine(r.stderr)).toHaveLength(1);
      expect(r.stderr).not.toMatch(/timed? ?out/i);
      expect(r.stderr).toMatch(new RegExp(`^qrtz-audit: .*(refused|127\\.0\\.0\\.1:${port})`, 'i'));
      expect([r.code, r.stdout]).toEqual([2, '']);
    });
  }

  it('--output on a full disk (/dev/full) → one line, exit 2, nothing on stdout', async () => {
    if (!existsSync('/dev/full')) return console.warn('SKIPPED: no /dev/full on this system');
    const r = await runCli(['scan', store, '--format', 'json', '--output', '/dev/full']);
    expect(oneLine(r.stderr)).toEqual(['qrtz-audit: cannot write /dev/full: ENOSPC: no space left on device, write']);
    expect([r.code, r.stdout]).toEqual([2, '']);
  });

  it('standard output on a full disk (/dev/full) → the same one line and exit 2, not an internal error', () => {
    if (!existsSync('/dev/full')) return console.warn('SKIPPED: no /dev/full on this system');
    const fd = openSync('/dev/full', 'w');
    try {
      for (const format of ['json', 'table']) {
        const r = spawnSync(process.execPath, [bin, 'scan', store, '--format', format], {
          stdio: ['ignore', fd, 'pipe'],
          encoding: 'utf8',
          timeout: 60_000,
        });
        expect(oneLine(r.stderr)).toEqual([
          'qrtz-audit: cannot write the report to standard output: no space left on device (ENOSPC)',
        ]);
        expect(r.status).toBe(2);
      }
    } finally {
      closeSync(fd);
    }
  });

  it('no unhandled rejection in any of the above', () => {
    expect(unhandled).toEqual([]);
  });
});
