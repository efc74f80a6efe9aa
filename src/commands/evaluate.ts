/**
 * `qrtz-audit evaluate EVIDENCE.json` (issue #13 part 6): the report of an evidence file written by
 * `scan --evidence`, with no database: every fact-level check runs again with the current rules, options,
 * suppressions and baseline; row (content) findings are the ones the scan recorded (row checks are not
 * run again: the blobs are not in the file). Same formats, outputs and exit codes as scan.
 */
import type { Command } from 'commander';
import { applyCompliance, loadCompliance } from '../compliance/index.js';
import { UserError } from '../errors.js';
import { readEvidence } from '../evidence/evidence.js';
import { judgeEvidence } from '../evidence/judge.js';
import type { CheckOptions } from '../model.js';
import { checkOutputOptions, emitReport } from '../report/output.js';
import { disposeReport } from '../spill.js';
import type { Io } from './io.js';
import { addReportOptions, outputOptionsFrom, type ReportCliOptions } from './report-options.js';
import { parseAttestations } from './scan.js';

export interface EvaluateCliOptions extends ReportCliOptions {
  ignoreFile?: string;
  baseline?: string;
  misfireThreshold?: string;
  longRunning?: string;
  checkinStale?: string;
  attest: string[];
  verbose?: boolean;
  color?: boolean;
}

function minutes(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new UserError('usage', `${flag} must be a positive whole number, got ${JSON.stringify(value)}`);
  return n;
}

/** Evaluates an evidence file and writes the report; returns the exit code (as scan's). */
export function runEvaluateCommand(path: string, o: EvaluateCliOptions, io: Io): number {
  const output = outputOptionsFrom(o);
  checkOutputOptions(output);
  const checkOptions: Partial<CheckOptions> = {};
  const m = minutes('--misfire-threshold', o.misfireThreshold);
  if (m !== undefined) checkOptions.misfireThresholdMinutes = m;
  const l = minutes('--long-running', o.longRunning);
  if (l !== undefined) checkOptions.longRunningMinutes = l;
  const c = minutes('--checkin-stale', o.checkinStale);
  if (c !== undefined) checkOptions.checkinStaleMinutes = c;
  const attestations = parseAttestations(o.attest);
  const compliance = loadCompliance(o);
  const evidence = readEvidence(path);
  const judged = judgeEvidence(evidence, {
    failOn: o.failOn,
    allowIncomplete: o.allowIncomplete ?? false,
    checkOptions,
    attestations,
  });
  try {
    const report = applyCompliance(judged, compliance, (line) => io.stderr(`${line}\n`));
    emitReport(report, { ...output, color: o.color !== false, verbose: o.verbose ?? false }, io);
    return report.summary.exitCode;
  } finally {
    disposeReport(judged);
  }
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerEvaluate(program: Command, io: Io, setExit: (code: number) => void): void {
  const cmd = program
    .command('evaluate')
    .description(
      'judge an evidence file (scan --evidence) offline: fact-level checks run again with the current rules, options, suppressions and baseline; row findings are the recorded ones (row checks are not re-run)',
    )
    .argument('<evidence.json>', 'a file written by qrtz-audit scan --evidence');
  addReportOptions(cmd, { shortOutput: true })
    .option('--ignore-file <file>', 'suppressions (default: .qrtz-audit-ignore.yml in the current directory, if any)')
    .option('--baseline <file>', 'fail only on findings whose fingerprints are not in this baseline')
    .option('--misfire-threshold <minutes>', "QA-H02 threshold (default: the scan's)")
    .option('--long-running <minutes>', "QA-H04 threshold (default: the scan's)")
    .option('--checkin-stale <minutes>', "QA-H03 threshold (default: the scan's)")
    .option(
      '--attest <claim>',
      'evidence for what SQL cannot show, added to the scan\'s, e.g. at-rest="LUKS on /var/lib/postgresql" (repeatable)',
      collect,
      [],
    )
    .option('--verbose', 'list passing checks too')
    .option('--no-color', 'no colors (NO_COLOR is respected too)')
    .action((path: string, o: EvaluateCliOptions) => {
      setExit(runEvaluateCommand(path, o, io));
    });
}
