/**
 * Vitest global setup: a registry of the throwaway servers this run starts (test/support/throwaway.ts), and at the
 * end of the run a check that none is still running. Only servers of this run are looked at (other runs on the
 * same machine keep theirs). Each gets time to finish its shutdown (a worker's exit signals it); one still running
 * after that is killed and its directory removed, and the run fails (exit 1), naming the server.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stillRunning, type ThrowawayEntry } from './throwaway.js';

/** How long a server may take to shut down once its worker is gone. */
const SHUTDOWN_GRACE_MS = 30_000;

export default function setup(): () => Promise<void> {
  const registry = mkdtempSync(join(tmpdir(), 'qrtz-servers-'));
  process.env.QRTZ_TEST_SERVER_REGISTRY = registry;
  return async function teardown() {
    const entries = readdirSync(registry).map(
      (f) => JSON.parse(readFileSync(join(registry, f), 'utf8')) as ThrowawayEntry,
    );
    rmSync(registry, { recursive: true, force: true });
    const until = Date.now() + SHUTDOWN_GRACE_MS;
    let left = entries.filter(stillRunning);
    while (left.length && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 250));
      left = left.filter(stillRunning);
    }
    if (!left.length) return;
    for (const e of left) {
      try {
        process.kill(e.pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    await new Promise((r) => setTimeout(r, 1000));
    for (const e of left) rmSync(e.dir, { recursive: true, force: true });
    // vitest reports an error thrown here but still exits 0: say it and fail the run's exit code
    console.error(
      `FAILED: throwaway servers still running ${SHUTDOWN_GRACE_MS / 1000} s after the run (killed now): ${left
        .map((e) => `${e.what} pid ${e.pid} in ${e.dir}`)
        .join('; ')}`,
    );
    process.exitCode = 1;
  };
}
