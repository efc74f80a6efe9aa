/** `qrtz-audit demo`: builds a Quartz.NET SQLite JobStore with realistic problems and audits it with the real scan. */
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { seedDemoStore } from '../demo/seed.js';
import { EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK, UserError } from '../errors.js';
import { escapeControl } from '../report/terminal.js';
import type { Io } from './io.js';
import { addScanOptions, runScanCommand, type ScanCliOptions } from './scan.js';

export interface DemoCliOptions extends ScanCliOptions {
  keep?: string;
}

/** Seeds the demo store and scans it: 0 when the audit ran (its findings are the point), 2/3 on errors. The store is removed unless --keep. */
export async function runDemoCommand(o: DemoCliOptions, io: Io): Promise<number> {
  let dir: string | undefined;
  let path: string;
  if (o.keep) {
    path = resolve(o.keep);
    if (existsSync(path))
      throw new UserError('usage', `--keep ${o.keep}: the file exists (the demo never overwrites a file)`);
  } else {
    dir = mkdtempSync(join(tmpdir(), 'qrtz-audit-demo-'));
    path = join(dir, 'quartz-demo.db');
  }
  try {
    try {
      seedDemoStore(path);
    } catch (err) {
      throw new UserError('input', `cannot create the demo store at ${path}: ${(err as Error).message}`);
    }
    // World-readable, as a default umask leaves it: QA-F01 shows what that means for a JobStore.
    chmodSync(path, 0o644);
    const say = (text: string) => {
      if (!o.quiet) io.stderr(text);
    };
    say(
      `qrtz-audit demo: seeded a Quartz.NET SQLite JobStore at ${escapeControl(path)}${o.keep ? '' : ' (removed afterwards; --keep PATH keeps it)'}\n`,
    );
    const code = await runScanCommand(path, o, io);
    if (o.keep)
      say(
        `qrtz-audit demo: kept ${escapeControl(path)}; scan it again with: qrtz-audit scan sqlite:${escapeControl(path)}\n`,
      );
    // The demo store is seeded with problems: finding them is the demo working. Its own exit code is 0
    // when the audit ran; `scan` of the same store gives the exit code CI would see.
    if (code === EXIT_FINDINGS || code === EXIT_INCOMPLETE) {
      say(
        `qrtz-audit demo: the audit ran (a scan of this store exits ${code}: ${code === EXIT_FINDINGS ? 'failing findings at or above --fail-on' : 'incomplete'}); the demo itself exits 0\n`,
      );
      return EXIT_OK;
    }
    return code;
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

export function registerDemo(program: Command, io: Io, setExit: (code: number) => void): void {
  const cmd = program
    .command('demo')
    .description('create a small Quartz.NET SQLite JobStore with seeded problems and audit it (no server needed)')
    .option('--keep <path>', 'create the demo store at this path and keep it for exploring');
  addScanOptions(cmd).action(async (o: DemoCliOptions) => {
    setExit(await runDemoCommand(o, io));
  });
}
