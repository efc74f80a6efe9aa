#!/usr/bin/env node
/** Command-line wiring only: commands live in src/commands/. */
import { Command, CommanderError } from 'commander';
import { registerBaseline } from './commands/baseline.js';
import { registerChecks } from './commands/checks.js';
import { registerConfig } from './commands/config.js';
import { registerConvert } from './commands/convert.js';
import { registerDemo } from './commands/demo.js';
import { registerDiff } from './commands/diff.js';
import { registerEvaluate } from './commands/evaluate.js';
import { registerGrantsScript } from './commands/grants-script.js';
import { registerInit } from './commands/init.js';
import { registerInspectBlob } from './commands/inspect-blob.js';
import { type Io, processIo } from './commands/io.js';
import { registerScan } from './commands/scan.js';
import { EXIT_INTERNAL, EXIT_USAGE, UserError } from './errors.js';
import { toolVersion } from './report/report.js';
import { escapeControl } from './report/terminal.js';
import { redact } from './secrets/redact.js';

export { EXIT_INTERNAL };

/**
 * Text for stderr: redacted, then every control, ESC and bidi character made visible. Every error and
 * warning line goes through it at the print site (database names reach error messages).
 */
export function stderrText(text: string, keepNewlines = true): string {
  return escapeControl(redact(text), keepNewlines);
}

/** The program with every command registered (its actions run through `io` and report their exit code). */
export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('qrtz-audit')
    .description('Read-only security auditor for Quartz JobStore databases')
    .version(toolVersion(), '-V, --version')
    .option('--debug', 'print stack traces of errors (secrets stay redacted)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(stderrText(s)) });
  registerScan(program, io, setExit);
  registerDemo(program, io, setExit);
  registerInspectBlob(program, io, setExit);
  registerChecks(program, io, setExit);
  registerConfig(program, io, setExit);
  registerConvert(program, io, setExit);
  registerGrantsScript(program, io, setExit);
  registerBaseline(program, io, setExit);
  registerDiff(program, io, setExit);
  registerEvaluate(program, io, setExit);
  registerInit(program, io, setExit);
  return program;
}

/** Runs the CLI with argv (without node and script) and returns the exit code. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let exitCode = 0;
  const debug = argv.includes('--debug');
  const program = buildProgram(io, (code: number) => {
    exitCode = code;
  });
  for (const c of program.commands) c.exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help, --version and `help`: 0. Help shown because a command is missing: a usage error.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      if (err.code === 'commander.help') return err.exitCode === 0 ? 0 : EXIT_USAGE;
      return EXIT_USAGE;
    }
    if (err instanceof UserError) {
      io.stderr(`qrtz-audit: ${stderrText(err.message, false)}\n`);
      if (debug) io.stderr(`${stderrText(String(err.stack))}\n`);
      return err.exitCode;
    }
    io.stderr(`${internalErrorLine(err, debug)}\n`);
    if (debug) io.stderr(`${stderrText(String((err as Error)?.stack))}\n`);
    return EXIT_INTERNAL;
  }
}

/** The one line an internal error prints (exit 3): no stack unless --debug. */
export function internalErrorLine(err: unknown, debug = false): string {
  const e = err as Error & { code?: string };
  const what = e?.code ? `${e.code}: ` : '';
  return `qrtz-audit: internal error: ${stderrText(`${what}${String(e?.message ?? err)}`, false)}${debug ? '' : ' (run with --debug for details)'}`;
}

/** The one line printed when standard output cannot be written, e.g. "no space left on device (ENOSPC)". */
export function stdoutErrorLine(err: NodeJS.ErrnoException): string {
  const code = err?.code ?? '';
  const what = String(err?.message ?? err)
    .replace(new RegExp(`^${code}: `), '')
    .replace(/, write$/, '');
  return `qrtz-audit: cannot write the report to standard output: ${stderrText(what, false)}${code ? ` (${code})` : ''}`;
}

const invokedDirectly = process.argv[1] && /cli\.(ts|js)$/.test(process.argv[1]);
if (invokedDirectly || process.env.QRTZ_AUDIT_BIN === '1') {
  const fatal = (err: unknown) => {
    process.stderr.write(`${internalErrorLine(err, process.argv.includes('--debug'))}\n`);
    process.exit(EXIT_INTERNAL);
  };
  // A report that cannot reach standard output (a full disk, a closed pipe) is the same input/output
  // error as an --output file that cannot be written (exit 2), not an internal error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    process.stderr.write(`${stdoutErrorLine(err)}\n`);
    process.exit(EXIT_USAGE);
  });
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  }, fatal);
}
