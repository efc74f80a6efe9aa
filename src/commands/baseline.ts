/**
 * `qrtz-audit baseline create <url> -o baseline.json` (issue #13 part 3): scans with the same connection
 * options as `scan` and writes the fingerprints, check, object and severity of the failing findings as a
 * versioned baseline (src/compliance/baseline.ts). `scan --baseline FILE` then fails only on new ones.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { createBaseline, formatBaseline } from '../compliance/baseline.js';
import { EXIT_INCOMPLETE, EXIT_OK, UserError } from '../errors.js';
import { escapeControl } from '../report/terminal.js';
import { disposeReport } from '../spill.js';
import type { Io } from './io.js';
import { addScanOptions, type ScanCliOptions, scanReport } from './scan.js';

const collect = (value: string, previous: string[]) => [...previous, value];

/** Scans and writes the baseline; returns 0, or 4 when the scan was incomplete (the baseline is still written). */
export async function runBaselineCreate(url: string | undefined, o: ScanCliOptions, io: Io): Promise<number> {
  if (o.output === undefined)
    throw new UserError('usage', 'baseline create needs -o/--output FILE (the baseline to write)');
  if (o.format !== undefined || o.outputDir !== undefined)
    throw new UserError(
      'usage',
      'baseline create writes one JSON baseline to -o FILE: --format and --output-dir do not apply',
    );
  const report = await scanReport(url, o, io);
  let baseline: ReturnType<typeof createBaseline>;
  try {
    baseline = createBaseline(report);
  } finally {
    disposeReport(report);
  }
  try {
    writeFileSync(o.output, formatBaseline(baseline));
  } catch (err) {
    throw new UserError('input', `cannot write ${escapeControl(o.output, false)}: ${(err as Error).message}`);
  }
  const incomplete = report.summary.incomplete;
  io.stderr(
    `qrtz-audit: baseline of ${baseline.entries.length} failing finding(s) written to ${escapeControl(o.output, false)}` +
      (incomplete
        ? `; INCOMPLETE: ${report.summary.incompleteChecks.join(', ')} could not be evaluated, so the baseline does not cover them`
        : '') +
      '\n',
  );
  return incomplete && !o.allowIncomplete ? EXIT_INCOMPLETE : EXIT_OK;
}

export function registerBaseline(program: Command, io: Io, setExit: (code: number) => void): void {
  const group = program.command('baseline').description('record accepted findings for scan --baseline');
  const cmd = group
    .command('create')
    .exitOverride()
    .description('scan (read-only) and write the fingerprints of the failing findings as a baseline file')
    .argument('[url]', 'the database URL, as for scan (or --from-config)')
    .option('--password-stdin', 'read the password from standard input')
    .option(
      '--from-config <file|dir>',
      'the JobStore a Quartz configuration names (as for scan; repeatable)',
      collect,
      [],
    )
    .option('--config-environment <name>', 'with --from-config: ASP.NET environment for appsettings overlays')
    .option('--login <user>', 'with --from-config: connect as this auditor login')
    .option('--use-config-credentials', 'with --from-config: connect with the credentials the configuration holds');
  addScanOptions(cmd).action(async (url: string | undefined, o: ScanCliOptions, command: Command) => {
    const tablePrefixGiven = command.getOptionValueSource('tablePrefix') !== 'default';
    setExit(await runBaselineCreate(url, { ...o, tablePrefixGiven }, io));
  });
}
