/**
 * `qrtz-audit diff old.json new.json [--format table|json|markdown] [--fail-on S]` (issue #13 part 3): new,
 * resolved and changed findings between two JSON reports (src/compliance/diff.ts). Exit 1 when a finding is
 * new or worse, failing at or above --fail-on and not accepted; 0 otherwise; 2 on a bad file or option.
 */
import { type Command, Option } from 'commander';
import { diffReports, readJsonReport } from '../compliance/diff.js';
import { EXIT_FINDINGS, EXIT_OK } from '../errors.js';
import type { Severity } from '../model.js';
import { DIFF_FORMATS, type DiffFormat, formatDiff } from '../report/diff.js';
import type { Io } from './io.js';
import { FAIL_ON, parseSeverity } from './report-options.js';

export interface DiffCliOptions {
  format: DiffFormat;
  failOn: Severity;
}

export function runDiffCommand(oldFile: string, newFile: string, o: DiffCliOptions, io: Io): number {
  const d = diffReports(readJsonReport(oldFile), readJsonReport(newFile), o.failOn);
  io.stdout(formatDiff(d, o.format));
  return d.worsened > 0 ? EXIT_FINDINGS : EXIT_OK;
}

export function registerDiff(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('diff')
    .description('new, resolved and changed findings between two JSON reports (exit 1 on new or worse failures)')
    .argument('<old>', 'the earlier JSON report (scan --format json)')
    .argument('<new>', 'the later JSON report')
    .addOption(new Option('--format <format>', 'output format').choices(DIFF_FORMATS).default('table'))
    .addOption(
      new Option(
        '--fail-on <severity>',
        `exit 1 when a new or worse failing finding is at or above this (${FAIL_ON.join(', ')})`,
      )
        .argParser(parseSeverity)
        .default('high'),
    )
    .action((oldFile: string, newFile: string, o: DiffCliOptions) => {
      setExit(runDiffCommand(oldFile, newFile, o, io));
    });
}
