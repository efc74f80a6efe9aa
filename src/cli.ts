#!/usr/bin/env node
/** Command-line wiring only: commands live in src/commands/. */
import { Command, CommanderError } from 'commander';
import { registerDemo } from './commands/demo.js';
import { registerInspectBlob } from './commands/inspect-blob.js';
import { type Io, processIo } from './commands/io.js';
import { registerScan } from './commands/scan.js';
import { EXIT_INTERNAL, EXIT_USAGE, UserError } from './errors.js';
import { toolVersion } from './report/report.js';
import { redact } from './secrets/redact.js';

export { EXIT_INTERNAL };

/** Runs the CLI with argv (without node and script) and returns the exit code. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let exitCode = 0;
  const debug = argv.includes('--debug');
  const program = new Command('qrtz-audit')
    .description('Read-only security auditor for Quartz JobStore databases')
    .version(toolVersion(), '-V, --version')
    .option('--debug', 'print stack traces of errors (secrets stay redacted)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(redact(s)) });
  const setExit = (code: number) => {
    exitCode = code;
  };
  registerScan(program, io, setExit);
  registerDemo(program, io, setExit);
  registerInspectBlob(program, io, setExit);
  for (const c of program.commands) c.exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help')
        return 0;
      return EXIT_USAGE;
    }
    if (err instanceof UserError) {
      io.stderr(`qrtz-audit: ${redact(err.message)}\n`);
      if (debug) io.stderr(`${redact(String(err.stack))}\n`);
      return err.exitCode;
    }
    const e = err as Error;
    io.stderr(
      `qrtz-audit: internal error: ${redact(String(e?.message ?? err))}${debug ? '' : ' (run with --debug for details)'}\n`,
    );
    if (debug) io.stderr(`${redact(String(e?.stack))}\n`);
    return EXIT_INTERNAL;
  }
}

const invokedDirectly = process.argv[1] && /cli\.(ts|js)$/.test(process.argv[1]);
if (invokedDirectly || process.env.QRTZ_AUDIT_BIN === '1') {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`qrtz-audit: internal error: ${redact(String(err))}\n`);
      process.exitCode = EXIT_INTERNAL;
    },
  );
}
