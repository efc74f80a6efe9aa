/**
 * `scan --config FILE`: one target is scanned exactly as `scan URL` would be (its report in the usual
 * formats); several targets — or --shard — make a fleet scan (src/fleet/). Every option is checked, for every
 * target, before anything connects.
 */
import type { Io } from '../commands/io.js';
import { outputOptionsFrom } from '../commands/report-options.js';
import {
  checkOptionsFrom,
  collectEvidence,
  connectOptionsFrom,
  parseMaxBlobSize,
  type ScanCliOptions,
  scanReport,
} from '../commands/scan.js';
import { applyCompliance, loadCompliance } from '../compliance/index.js';
import { UserError } from '../errors.js';
import { checkEvidencePath, writeEvidence } from '../evidence/evidence.js';
import { judgeEvidence } from '../evidence/judge.js';
import { runFleet } from '../fleet/run.js';
import { selectShard } from '../fleet/shard.js';
import { checkOutputOptions, emitReport, printSummaryAfterStdout } from '../report/output.js';
import type { Report } from '../report/report.js';
import { disposeReport } from '../spill.js';
import { loadRunConfig } from './load.js';
import { planTargets, readPasswordRef, type TargetPlan } from './merge.js';
import { applySeverityOverrides } from './severity.js';

/** The default number of targets audited at once. */
export const DEFAULT_CONCURRENCY = 2;

/** One target through the single-scan path: password by reference, scan, severity overrides, compliance. */
export async function scanPlannedTarget(
  plan: TargetPlan,
  io: Io,
  config: string,
  scan: typeof scanReport = scanReport,
): Promise<Report> {
  const password = readPasswordRef(plan.passwordRef);
  const options: ScanCliOptions = password !== undefined ? { ...plan.options, password } : plan.options;
  const compliance = loadCompliance(options);
  const scanned =
    options.evidence !== undefined ? await withEvidence(plan.url, options, io) : await scan(plan.url, options, io);
  try {
    const overridden = applySeverityOverrides(scanned, plan.severityOverrides, `config ${config}`);
    return applyCompliance(overridden, compliance, (l) => io.stderr(`${l}\n`));
  } catch (err) {
    disposeReport(scanned);
    throw err;
  }
}

/** scan --evidence FILE of one target: the facts written, then judged (as `scan URL --evidence` does). */
async function withEvidence(url: string | undefined, o: ScanCliOptions, io: Io): Promise<Report> {
  const evidence = await collectEvidence(url, o, io);
  try {
    writeEvidence(o.evidence as string, evidence);
    return judgeEvidence(evidence, { failOn: o.failOn, allowIncomplete: o.allowIncomplete ?? false });
  } catch (err) {
    evidence.spill?.remove();
    throw err;
  }
}

/** Validates what can be validated without connecting (a mistake is a usage error for the whole run). */
function precheck(plan: TargetPlan): void {
  const o = plan.options;
  checkOptionsFrom(o, parseMaxBlobSize(o.maxBlobSize));
  connectOptionsFrom(plan.url ?? 'postgres:', o);
  // The ignore file and the baseline: a mistake in them is the run's, not each target's.
  loadCompliance(o);
  if (o.evidence !== undefined) checkEvidencePath(o.evidence);
}

export async function runConfiguredScan(
  urlArg: string | undefined,
  cli: ScanCliOptions,
  io: Io,
  scan: typeof scanReport = scanReport,
): Promise<number> {
  const config = cli.config as string;
  if (urlArg !== undefined)
    throw new UserError('usage', 'give a database URL or --config, not both (--target NAME picks targets of the file)');
  if (cli.fromConfig?.length)
    throw new UserError('usage', '--from-config and --config cannot be combined (--config lists its targets itself)');
  if (cli.login !== undefined || cli.useConfigCredentials || cli.configEnvironment !== undefined)
    throw new UserError('usage', '--login, --use-config-credentials and --config-environment go with --from-config');
  const loaded = loadRunConfig(config);
  let plans = planTargets(loaded, cli);
  // Output settings are the file's top level and the command line's: the same for every target.
  const first = plans[0]?.options ?? cli;
  if (cli.target?.length) {
    const names = new Map(plans.map((p) => [p.name.toLowerCase(), p]));
    const missing = cli.target.filter((n) => !names.has(n.toLowerCase()));
    if (missing.length)
      throw new UserError(
        'usage',
        `--target: no target named ${missing.join(', ')} in ${config} (targets: ${plans.map((p) => p.name).join(', ')})`,
      );
    const wanted = new Set(cli.target.map((n) => n.toLowerCase()));
    plans = plans.filter((p) => wanted.has(p.name.toLowerCase()));
  }
  const fleet = plans.length > 1 || cli.shard !== undefined;
  if (cli.shard) plans = selectShard(plans, cli.shard);
  for (const p of plans) precheck(p);
  const concurrency = cli.explicitOptions?.includes('concurrency')
    ? (cli.concurrency as number)
    : (loaded.config.concurrency ?? DEFAULT_CONCURRENCY);
  if (!fleet) {
    const plan = plans[0] as TargetPlan;
    checkOutputOptions(outputOptionsFrom(plan.options));
    const report = await scanPlannedTarget(plan, io, config, scan);
    try {
      // As `scan URL`: the run summary line on stderr at the end, unless --quiet.
      const output = {
        ...outputOptionsFrom(plan.options),
        color: plan.options.color !== false,
        verbose: plan.options.verbose ?? false,
        alwaysSummary: true,
        quiet: plan.options.quiet ?? false,
      };
      emitReport(report, output, io);
      await printSummaryAfterStdout(report, output, io);
      return report.summary.exitCode;
    } finally {
      disposeReport(report);
    }
  }
  if (cli.evidence !== undefined)
    throw new UserError(
      'usage',
      '--evidence holds one target’s facts: with a fleet, give --target NAME --evidence FILE for each target',
    );
  if (cli.passwordStdin)
    throw new UserError(
      'usage',
      '--password-stdin reads one password: a fleet names each target’s password with passwordEnv or passwordFile',
    );
  checkOutputOptions(outputOptionsFrom(first));
  if (cli.shard && !plans.length)
    io.stderr(`qrtz-audit: shard ${cli.shard.index}/${cli.shard.count} holds no target of ${config}\n`);
  const { exitCode } = await runFleet(
    plans,
    (plan, tio) => scanPlannedTarget(plan, tio, config, scan),
    {
      config,
      concurrency,
      ...(cli.shard ? { shard: cli.shard } : {}),
      ...(first.format ? { formats: first.format } : {}),
      ...(first.output !== undefined ? { output: first.output } : {}),
      ...(first.outputDir !== undefined ? { outputDir: first.outputDir } : {}),
      color: cli.color !== false,
      verbose: first.verbose ?? false,
      ...(cli.quiet ? { quiet: true } : {}),
    },
    io,
  );
  return exitCode;
}
