/**
 * Throwaway database servers (PostgreSQL, MariaDB) that cannot outlive the test run. Each one is started through
 * util-linux's `setpriv --pdeathsig`, so the kernel signals it (a fast/normal shutdown) when the test worker that
 * started it exits — a worker that crashed, timed out or never reached its afterAll included — and is recorded in
 * the run's registry (QRTZ_TEST_SERVER_REGISTRY, made by test/support/global-servers.ts), whose teardown fails the
 * run if one of them is still running at the end. Without setpriv the server is started directly (stop() in
 * afterAll is then the only guard, and the teardown still checks).
 */
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** util-linux's setpriv; QRTZ_TEST_NO_SETPRIV=1 simulates a machine without it (the end-of-run check then has work). */
const SETPRIV =
  process.env.QRTZ_TEST_NO_SETPRIV === '1'
    ? undefined
    : ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));

/** One registry entry: a server this run started. */
export interface ThrowawayEntry {
  pid: number;
  /** the server's directory (its command line names it: a reused pid is not mistaken for it) */
  dir: string;
  what: string;
}

/** Spawns `bin args` as a throwaway server that dies with this worker; `signal` is the server's shutdown signal. */
export function spawnThrowaway(
  what: string,
  bin: string,
  args: string[],
  options: SpawnOptions,
  signal: 'INT' | 'TERM',
  dir: string,
): ChildProcess {
  const child = SETPRIV
    ? spawn(SETPRIV, ['--pdeathsig', signal, '--', bin, ...args], options)
    : spawn(bin, args, options);
  const registry = process.env.QRTZ_TEST_SERVER_REGISTRY;
  if (registry && child.pid) {
    const entry: ThrowawayEntry = { pid: child.pid, dir, what };
    writeFileSync(join(registry, `${child.pid}.json`), JSON.stringify(entry));
  }
  return child;
}

/** Whether the registered server still runs (its pid alive with its directory on the command line). */
export function stillRunning(e: ThrowawayEntry): boolean {
  try {
    return readFileSync(`/proc/${e.pid}/cmdline`, 'utf8').includes(e.dir);
  } catch {
    return false;
  }
}
