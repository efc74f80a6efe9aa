/** `qrtz-audit init [-o FILE] [--force]`: writes the commented starter config file (issue #13 part 4). */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { escapeControl } from '../report/terminal.js';
import { STARTER_CONFIG } from '../runconfig/starter.js';
import type { Io } from './io.js';

export const DEFAULT_CONFIG_FILE = 'qrtz-audit.yml';

export function runInitCommand(o: { output: string; force?: boolean }, io: Io): number {
  try {
    // 'wx' fails when the file exists (no check-then-write race); --force truncates it.
    writeFileSync(o.output, STARTER_CONFIG, { flag: o.force ? 'w' : 'wx', mode: 0o644 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST')
      throw new UserError('usage', `${escapeControl(o.output, false)} exists: give --force to overwrite it`);
    throw new UserError('input', `cannot write ${escapeControl(o.output, false)}: ${(err as Error).message}`);
  }
  io.stderr(
    `qrtz-audit: wrote ${escapeControl(o.output, false)}; edit its targets, then: qrtz-audit scan --config ${escapeControl(o.output, false)}\n`,
  );
  return 0;
}

export function registerInit(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('init')
    .description('write a commented starter config file for scan --config')
    .option('-o, --output <file>', 'where to write it', DEFAULT_CONFIG_FILE)
    .option('--force', 'overwrite the file if it exists')
    .action((o: { output: string; force?: boolean }) => {
      setExit(runInitCommand(o, io));
    });
}
