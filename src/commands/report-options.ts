/**
 * The report options scan (and demo, baseline create), evaluate and config declare alike: --format,
 * -o/--output, --output-dir, --fail-on and --allow-incomplete; one declaration, one help text (convert takes
 * its --format).
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { Severity } from '../model.js';
import { SEVERITIES } from '../model.js';
import { FORMATS, type OutputFormat } from '../report/index.js';
import { type OutputOptions, parseFormats } from '../report/output.js';

/** --fail-on values: every severity but info. */
export const FAIL_ON = SEVERITIES.filter((s) => s !== 'info');

/** --fail-on in any case (High, HIGH, high). */
export function parseSeverity(value: string): Severity {
  const v = value.trim().toLowerCase();
  if (!(FAIL_ON as string[]).includes(v)) {
    throw new InvalidArgumentError(`Allowed choices are ${FAIL_ON.join(', ')} (any case).`);
  }
  return v as Severity;
}

/** The values the report options give a command's action. */
export interface ReportCliOptions {
  format?: OutputFormat[];
  output?: string;
  outputDir?: string;
  failOn: Severity;
  allowIncomplete?: boolean;
}

export interface ReportOptionsSpec {
  /** Also -o as the short form of --output (config has none). */
  shortOutput: boolean;
  /** The help of --allow-incomplete, where a command says more than the common text. */
  allowIncompleteHelp?: string;
}

/** --format (also convert's). */
export function formatOption(): Option {
  return new Option(
    '--format <formats>',
    `output format: ${FORMATS.join(', ')}; several comma-separated with --output-dir (default: table on a terminal, json otherwise)`,
  ).argParser(parseFormats);
}

/** Adds --format, [-o,] --output, --output-dir, --fail-on (default high) and --allow-incomplete, in that order. */
export function addReportOptions(cmd: Command, spec: ReportOptionsSpec): Command {
  return cmd
    .addOption(formatOption())
    .option(
      spec.shortOutput ? '-o, --output <file>' : '--output <file>',
      'write the report to a file (a summary line still goes to stderr)',
    )
    .option('--output-dir <dir>', 'write one file per --format into this directory: qrtz-audit.<ext>')
    .addOption(
      new Option(
        '--fail-on <severity>',
        `exit 1 when a failing finding is at or above this severity (${FAIL_ON.join(', ')}; any case)`,
      )
        .argParser(parseSeverity)
        .default('high'),
    )
    .option(
      '--allow-incomplete',
      spec.allowIncompleteHelp ?? 'exit 0 instead of 4 when a check at or above --fail-on could not be evaluated',
    );
}

/** Where the report goes, from the options addReportOptions declared (checked before anything is read). */
export function outputOptionsFrom(o: Pick<ReportCliOptions, 'format' | 'output' | 'outputDir'>): OutputOptions {
  return {
    ...(o.format ? { formats: o.format } : {}),
    ...(o.output !== undefined ? { output: o.output } : {}),
    ...(o.outputDir !== undefined ? { outputDir: o.outputDir } : {}),
  };
}
