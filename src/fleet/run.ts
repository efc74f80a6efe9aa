/**
 * Fleet scans (issue #13 part 5): the targets of a config file, each through the same per-target path a
 * single `scan` takes (scanReport, then the config's severity overrides, suppressions and baseline), at most
 * `concurrency` at once. A target that fails (unreachable, login refused, no Quartz tables, a password
 * variable not set…) is a result with a one-line, redacted reason; the others go on.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Io } from '../commands/io.js';
import { EXIT_INTERNAL, UserError } from '../errors.js';
import { FORMAT_EXTENSIONS, type OutputFormat } from '../report/index.js';
import { emitReport } from '../report/output.js';
import type { Report } from '../report/report.js';
import { escapeControl } from '../report/terminal.js';
import { redact } from '../secrets/redact.js';
import { allFindings, disposeReport, spillOf } from '../spill.js';
import { mapPool } from './pool.js';
import {
  buildFleetReport,
  type FleetReport,
  type FleetTargetResult,
  fleetSummaryLine,
  formatFleetReport,
} from './report.js';
import type { Shard } from './shard.js';

/** One target's scan: returns its report (compliance applied) or throws. */
export type TargetScanner<P> = (plan: P, io: Io) => Promise<Report>;

export interface FleetOptions {
  config: string;
  concurrency: number;
  shard?: Shard;
  formats?: OutputFormat[];
  output?: string;
  outputDir?: string;
  color: boolean;
  verbose: boolean;
  /** --quiet: no summary lines (the fleet's and each target's); warnings and failures still print. */
  quiet?: boolean;
}

/** The one line a failed target is reported with: its error's message, redacted, controls visible. */
export function failureReason(err: unknown): { reason: string; exitCode: number } {
  if (err instanceof UserError) return { reason: escapeControl(redact(err.message), false), exitCode: err.exitCode };
  const e = err as Error & { code?: string };
  const text = `internal error: ${e?.code ? `${e.code}: ` : ''}${String(e?.message ?? err)}`;
  return { reason: escapeControl(redact(text), false), exitCode: EXIT_INTERNAL };
}

/** stderr lines of one target, each prefixed with `[name] `. */
export function prefixedIo(io: Io, name: string): Io {
  let pending = '';
  // No progress display per target: concurrent targets would draw over each other (issue #14 part 6).
  const { progressStream: _bar, ...rest } = io;
  return {
    ...rest,
    stdout: (t) => io.stderr(t.replace(/^(?=.)/gm, `[${name}] `)),
    stderr: (t) => {
      pending += t;
      const cut = pending.lastIndexOf('\n');
      if (cut < 0) return;
      io.stderr(pending.slice(0, cut + 1).replace(/^(?=.)/gm, `[${name}] `));
      pending = pending.slice(cut + 1);
    },
  };
}

/** A report with every finding in memory (the merged formats list them all). */
function materialized(report: Report): Report {
  return spillOf(report) ? { ...report, findings: [...allFindings(report)] } : report;
}

/**
 * Runs every plan (each `{name}`) through `scan`, writes each audited target's report into
 * `outputDir/targets/<name>/` (when an output directory is given) and the merged report, and returns the
 * fleet's exit code.
 */
export async function runFleet<P extends { name: string }>(
  plans: readonly P[],
  scan: TargetScanner<P>,
  o: FleetOptions,
  io: Io,
): Promise<{ exitCode: number; report: FleetReport }> {
  const started = Date.now();
  const reports: Report[] = [];
  try {
    const results = await mapPool(plans, o.concurrency, async (plan): Promise<FleetTargetResult> => {
      const t0 = Date.now();
      const tio = prefixedIo(io, plan.name);
      let report: Report;
      try {
        report = await scan(plan, tio);
      } catch (err) {
        const { reason, exitCode } = failureReason(err);
        io.stderr(`qrtz-audit: [${plan.name}] target failed: ${reason}\n`);
        return { name: plan.name, status: 'failed', exitCode, durationMs: Date.now() - t0, reason };
      }
      reports.push(report);
      const dir = join('targets', plan.name);
      if (o.outputDir !== undefined) {
        try {
          emitReport(
            report,
            {
              ...(o.formats ? { formats: o.formats } : { formats: ['json'] }),
              outputDir: join(o.outputDir, dir),
              color: false,
              verbose: o.verbose,
              ...(o.quiet ? { quiet: true } : {}),
            },
            tio,
          );
        } catch (err) {
          const { reason, exitCode } = failureReason(err);
          return {
            name: plan.name,
            status: 'failed',
            exitCode,
            durationMs: Date.now() - t0,
            reason: `its report could not be written: ${reason}`,
          };
        }
      }
      return {
        name: plan.name,
        status: report.summary.incomplete ? 'incomplete' : 'audited',
        exitCode: report.summary.exitCode,
        durationMs: Date.now() - t0,
        ...(o.outputDir !== undefined ? { dir } : {}),
        report,
      };
    });
    const fleet = buildFleetReport(
      results.map((r) => (r.report ? { ...r, report: materialized(r.report) } : r)),
      {
        config: o.config,
        ...(o.shard ? { shard: o.shard } : {}),
        concurrency: o.concurrency,
        startedAt: started,
        durationMs: Date.now() - started,
      },
    );
    writeMerged(fleet, o, io);
    return { exitCode: fleet.summary.exitCode, report: fleet };
  } finally {
    for (const r of reports) disposeReport(r);
  }
}

function writeMerged(fleet: FleetReport, o: FleetOptions, io: Io): void {
  const formats: OutputFormat[] = o.formats?.length ? o.formats : [io.stdoutIsTTY && !o.outputDir ? 'table' : 'json'];
  const write = (path: string, text: string) => {
    try {
      writeFileSync(path, text);
    } catch (err) {
      throw new UserError('input', `cannot write ${escapeControl(path, false)}: ${(err as Error).message}`);
    }
  };
  if (o.outputDir !== undefined) {
    try {
      mkdirSync(o.outputDir, { recursive: true });
    } catch (err) {
      throw new UserError('input', `cannot create ${escapeControl(o.outputDir, false)}: ${(err as Error).message}`);
    }
    const names = formats.map((f) => `qrtz-audit.${FORMAT_EXTENSIONS[f]}`);
    formats.forEach((f, i) => {
      write(
        join(o.outputDir as string, names[i] as string),
        formatFleetReport(fleet, f, { color: false, verbose: o.verbose }),
      );
    });
    if (!o.quiet)
      io.stderr(
        `qrtz-audit: ${fleetSummaryLine(fleet)} — merged report written to ${escapeControl(o.outputDir, false)}: ${names.join(', ')}; one directory per target under targets/\n`,
      );
    return;
  }
  const format = formats[0] as OutputFormat;
  if (o.output !== undefined) {
    write(o.output, formatFleetReport(fleet, format, { color: false, verbose: o.verbose }));
    if (!o.quiet)
      io.stderr(
        `qrtz-audit: ${fleetSummaryLine(fleet)} — merged report written to ${escapeControl(o.output, false)}\n`,
      );
    return;
  }
  io.stdout(formatFleetReport(fleet, format, { color: o.color && io.colorAllowed, verbose: o.verbose }));
  if (!o.quiet) io.stderr(`qrtz-audit: ${fleetSummaryLine(fleet)}\n`);
}
