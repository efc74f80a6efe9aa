/**
 * `qrtz-audit convert report.json --format sarif[,junit,…] [--output FILE | --output-dir DIR]`: another
 * format from a saved JSON report, without scanning again. The file is untrusted input: its schema version
 * and shape are checked (one line, exit 2, otherwise), and every formatter escapes its text as for a scan.
 */

import type { Command } from 'commander';
import { z } from 'zod';
import { UserError } from '../errors.js';
import { fleetReportMistake } from '../fleet/report.js';
import { REPORT_MAX_BYTES, readBoundedJson } from '../fs-bounded.js';
import { FAMILIES, SEVERITIES } from '../model.js';
import type { OutputFormat } from '../report/index.js';
import { emitReport } from '../report/output.js';
import { REPORT_SCHEMA_VERSION, type Report } from '../report/report.js';
import { escapeControl } from '../report/terminal.js';
import type { Io } from './io.js';
import { formatOption, outputOptionsFrom } from './report-options.js';

const severity = z.enum(SEVERITIES as unknown as [string, ...string[]]);
const status = z.enum(['fail', 'pass', 'not-evaluated', 'manual', 'not-applicable', 'info']);
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const counts = z.record(z.string(), z.number().int().min(0));

/** One finding as the JSON report holds it (extra keys allowed); shared by convert and evaluate (evidence). */
export const findingSchema = z
  .object({
    check: z.string().min(1),
    severity,
    status,
    title: z.string(),
    message: z.string(),
    object: z
      .object({
        kind: z.string(),
        name: z.string(),
        schema: z.string().optional(),
        table: z.string().optional(),
        principal: z.string().optional(),
        rowKey: z.string().optional(),
        display: z.string().optional(),
      })
      .loose(),
    evidence: z.record(z.string(), scalar).optional(),
    remediation: z.string(),
    mitigation: z.string(),
    family: z.enum(FAMILIES),
    fingerprint: z.string(),
    display: z
      .object({
        message: z.string().optional(),
        remediation: z.string().optional(),
        evidence: z.record(z.string(), z.string()).optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

/** The JSON report shape every formatter reads (extra keys allowed: a newer minor addition is harmless). */
const reportSchema = z
  .object({
    schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
    tool: z.object({ name: z.literal('qrtz-audit'), version: z.string() }).loose(),
    target: z
      .object({
        dialect: z.string(),
        database: z.string(),
        schema: z.string(),
        tablePrefix: z.string(),
        user: z.string(),
        host: z.string().optional(),
        server: z.string(),
        serviceAccount: z.string(),
        serviceAccountSource: z.enum(['option', 'connected-login', 'inferred']).optional(),
        display: z.record(z.string(), z.string()).optional(),
      })
      .loose(),
    startedAt: z.string(),
    durationMs: z.number().min(0),
    summary: z
      .object({
        failOn: severity,
        exitCode: z.number().int(),
        total: z.number().int().min(0),
        byStatus: counts,
        failedBySeverity: counts,
        incomplete: z.boolean(),
        incompleteChecks: z.array(z.string()),
        allowIncomplete: z.boolean(),
      })
      .loose(),
    findings: z.array(findingSchema),
    inventory: z
      .object({
        tables: z.object({ present: z.array(z.string()), missing: z.array(z.string()) }).loose(),
        blobs: z.object({ rows: z.number(), bytes: z.number() }).loose().nullable(),
      })
      .loose(),
    unreadable: z.array(
      z
        .object({
          what: z.string(),
          reason: z.string(),
          needs: z.string().optional(),
          table: z.string().optional(),
          cause: z.enum(['privilege', 'lock-timeout', 'statement-timeout', 'tamper', 'other']).optional(),
        })
        .loose(),
    ),
  })
  .loose();

/** Reads and checks a saved JSON report; every problem is one UserError line naming the file. */
export function readReport(path: string): Report {
  const { doc, shown } = readBoundedJson(path, {
    maxBytes: REPORT_MAX_BYTES,
    what: 'a qrtz-audit JSON report',
    label: '',
    reads: 'convert reads a --format json report',
  });
  const fleet = fleetReportMistake(doc, shown);
  if (fleet) throw new UserError('input', fleet);
  const head = (doc ?? {}) as { schemaVersion?: unknown; tool?: { name?: unknown } };
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || head.tool?.name !== 'qrtz-audit')
    throw new UserError('input', `${shown}: not a qrtz-audit JSON report (no tool.name "qrtz-audit")`);
  if (head.schemaVersion !== REPORT_SCHEMA_VERSION)
    throw new UserError(
      'input',
      `${shown}: report schema version ${escapeControl(JSON.stringify(head.schemaVersion) ?? 'none', false)}; this qrtz-audit reads version ${REPORT_SCHEMA_VERSION} (convert it with the qrtz-audit that wrote it)`,
    );
  const parsed = reportSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(
      'input',
      `${shown}: not a valid qrtz-audit report: ${escapeControl(issue?.path.join('.') || '(root)', false)}: ${escapeControl(issue?.message ?? 'invalid', false)}`,
    );
  }
  // The document itself, not zod's copy (which reorders keys): JSON converts to the same bytes.
  return doc as Report;
}

export interface ConvertCliOptions {
  format?: OutputFormat[];
  output?: string;
  outputDir?: string;
  verbose?: boolean;
  color?: boolean;
}

/** Converts a saved report; exit 0 (the conversion worked; the audit's own exit code is in the report). */
export function runConvertCommand(path: string, o: ConvertCliOptions, io: Io): number {
  const report = readReport(path);
  emitReport(report, { ...outputOptionsFrom(o), color: o.color !== false, verbose: o.verbose ?? false }, io);
  return 0;
}

export function registerConvert(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('convert')
    .description('write a saved JSON report (scan --format json) in other formats, without scanning again')
    .argument('<report.json>', 'a report written by qrtz-audit scan --format json')
    .addOption(formatOption())
    .option('--output <file>', 'write the report to a file')
    .option('--output-dir <dir>', 'write one file per --format into this directory: qrtz-audit.<ext>')
    .option('--verbose', 'list passing checks too (table)')
    .option('--no-color', 'no colors (NO_COLOR is respected too)')
    .action((path: string, o: ConvertCliOptions) => {
      setExit(runConvertCommand(path, o, io));
    });
}
