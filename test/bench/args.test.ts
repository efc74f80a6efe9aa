import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const run = (script: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench', script), ...args], {
    encoding: 'utf8',
    cwd: root,
    timeout: 30_000,
    env: { ...process.env, QRTZ_TEST_PG_URL: '', BENCH_ROWS: '' },
  });

// A bench that ignored a flag it did not know ran for minutes on settings nobody asked for; these
// must stop at once, before any database or store is touched.
describe('bench command lines', () => {
  it.each([
    ['run.ts', ['--bogus'], /^Unknown option '--bogus'/],
    ['store.ts', ['--rows', '0'], /^--rows must be a positive whole number/],
    ['store.ts', ['--rows', '5', 'extra'], /^Unexpected argument 'extra'/],
    ['store.ts', ['--only', 'oracle'], /^--only must be postgres or mariadb/],
    ['store.ts', ['--workers', '1,x'], /^--workers must be/],
    ['store.ts', ['--passes', 'raw,fast'], /^--passes must be/],
    ['catalog.ts', ['--engine', 'oracle'], /^--engine must be postgres or mariadb/],
    ['secrets.ts', ['--blobs=many'], /^--blobs must be a positive whole number/],
    ['stream.ts', ['--only=oracle'], /^--only must be postgres or mariadb/],
  ])('%s %j: one line, exit 2', (script, args, message) => {
    const r = run(script, ...(args as string[]));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message as RegExp);
  });

  it('--help prints the usage and exits 0 (npm run bench shows the store bench flags)', () => {
    const r = run('run.ts', '--help');
    expect(r.status).toBe(0);
    for (const flag of ['--rows', '--only', '--passes', '--workers', '--dist', '--json'])
      expect(r.stdout).toContain(flag);
    expect(run('catalog.ts', '-h').stdout).toMatch(/^usage: bench\/catalog\.ts/);
  });
});
