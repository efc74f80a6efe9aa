/**
 * Where reports go: stdout, one file (--output), or several formats from one scan into a directory
 * (--format json,sarif,html --output-dir DIR: DIR/qrtz-audit.<ext>). A SARIF file gets the target
 * descriptor its results point at (qrtz-audit-target.json) beside it. Shared by `scan`, `demo` and `convert`.
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { Io } from '../commands/io.js';
import { UserError } from '../errors.js';
import { redact } from '../secrets/redact.js';
import { allFindings, spillOf } from '../spill.js';
import { FORMAT_EXTENSIONS, FORMATS, formatReport, type OutputFormat } from './index.js';
import { writeJsonStreaming } from './json.js';
import { type Report, targetText } from './report.js';
import { formatTargetDescriptor, TARGET_DESCRIPTOR } from './sarif.js';
import { summaryLine } from './table.js';
import { escapeControl } from './terminal.js';

/** --format: one format, or several comma-separated (with --output-dir); each once, in the order given. */
export function parseFormats(value: string): OutputFormat[] {
  const list = value
    .split(',')
    .map((x) => x.trim().toLowerCase())
    .filter(Boolean);
  if (!list.length) throw new InvalidArgumentError(`no format given (formats: ${FORMATS.join(', ')})`);
  for (const f of list)
    if (!(FORMATS as string[]).includes(f))
      throw new InvalidArgumentError(`unknown format ${f} (formats: ${FORMATS.join(', ')})`);
  return [...new Set(list)] as OutputFormat[];
}

export interface OutputOptions {
  formats?: OutputFormat[];
  output?: string;
  outputDir?: string;
}

/** How emitReport talks on stderr: scan and demo always print the run summary line, unless --quiet. */
export interface SummaryOptions {
  /** Print the run summary line on stderr even when the report went to stdout (scan, demo). */
  alwaysSummary?: boolean;
  /** --quiet: no summary line at all. */
  quiet?: boolean;
}

/**
 * The width the table wraps to: standard output's, when it is a terminal that reports one; else `COLUMNS`
 * when set to a whole number (at least 20); else none (a file or a pipe keeps every finding on one line).
 */
export function tableWidth(io: Pick<Io, 'columns'>, env: NodeJS.ProcessEnv = process.env): number | undefined {
  if (io.columns && io.columns > 0) return io.columns;
  const c = Number(env.COLUMNS);
  return Number.isInteger(c) && c >= 20 ? c : undefined;
}

/** "1,234 blob rows (5.6 MB)", or what stood in for them (files, no content read). */
function rowsText(report: Report): string {
  const b = report.inventory.blobs;
  if (report.target.kind === 'files') return `${report.inventory.files?.length ?? 0} file(s)`;
  if (!b) return 'blob rows not read';
  return `${b.rows.toLocaleString('en-US')} blob rows (${bytesText(b.bytes)})`;
}

/** 512 B, 2.9 kB, 12.3 MB, 1.2 GB (decimal units). */
export function bytesText(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

/**
 * The one line on stderr at the end of a scan: the target, the blob rows read, the findings by severity
 * (summaryLine), the exit code and the duration. Database text in it is redacted and escaped.
 */
export function runSummaryLine(report: Report, color = false): string {
  return `qrtz-audit: ${escapeControl(redact(targetText(report.target)))}: ${rowsText(report)} in ${(report.durationMs / 1000).toFixed(1)} s; ${summaryLine(report, color)}`;
}

/** Checks the output options before anything is read or connected (a usage error is one line, exit 2). */
export function checkOutputOptions(o: OutputOptions): void {
  if (o.output !== undefined && o.outputDir !== undefined)
    throw new UserError(
      'usage',
      '--output and --output-dir cannot be combined (--output-dir writes one file per format)',
    );
  if ((o.formats?.length ?? 0) > 1 && o.outputDir === undefined)
    throw new UserError(
      'usage',
      `several formats (${o.formats?.join(',')}) need --output-dir DIR (one file per format)`,
    );
}

/** The file names --output-dir writes for these formats (and the SARIF target descriptor). */
export function outputFileNames(formats: OutputFormat[]): string[] {
  const names = formats.map((f) => `qrtz-audit.${FORMAT_EXTENSIONS[f]}`);
  if (formats.includes('sarif')) names.push(TARGET_DESCRIPTOR);
  return names;
}

function write(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (err) {
    throw new UserError('input', `cannot write ${path}: ${(err as Error).message}`);
  }
}

/**
 * One format of a report to `out`: JSON of a report whose findings spilled to disk is streamed; any other
 * format of such a report holds every finding in memory (materialized once, here).
 */
function render(
  report: Report,
  format: OutputFormat,
  opts: { color: boolean; verbose: boolean; width?: number },
  out: (chunk: string) => void,
  cache: { full?: Report },
): void {
  if (!spillOf(report)) {
    out(formatReport(report, format, opts));
  } else if (format === 'json') {
    writeJsonStreaming(report, out);
  } else {
    cache.full ??= { ...report, findings: [...allFindings(report)] };
    out(formatReport(cache.full, format, opts));
  }
}

/** Writes chunks to a file (created or truncated). */
function writeChunks(path: string, produce: (out: (chunk: string) => void) => void): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'w');
    const f = fd;
    produce((chunk) => writeSync(f, chunk));
  } catch (err) {
    // A file system error is the user's (exit 2); anything else is a bug and stays one.
    if (err instanceof UserError || (err as NodeJS.ErrnoException)?.code === undefined) throw err;
    throw new UserError('input', `cannot write ${path}: ${(err as Error).message}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Writes the report in the chosen formats: to stdout (default format: table on a terminal, JSON otherwise),
 * to --output, or to --output-dir; a summary line goes to stderr whenever the report went to a file.
 */
export function emitReport(
  report: Report,
  o: OutputOptions & SummaryOptions & { color?: boolean; verbose?: boolean },
  io: Io,
  command = 'report',
): void {
  checkOutputOptions(o);
  const formats: OutputFormat[] = o.formats?.length ? o.formats : [io.stdoutIsTTY ? 'table' : 'json'];
  const verbose = o.verbose ?? false;
  const width = tableWidth(io);
  const summary = (suffix: string) => {
    if (o.quiet) return;
    const head = o.alwaysSummary ? runSummaryLine(report, io.stderrColor) : summaryLine(report, io.stderrColor);
    io.stderr(`${head}${suffix}\n`);
  };
  if (o.outputDir !== undefined) {
    try {
      mkdirSync(o.outputDir, { recursive: true });
    } catch (err) {
      throw new UserError('input', `cannot create ${o.outputDir}: ${(err as Error).message}`);
    }
    const cache = {};
    for (const f of formats) {
      writeChunks(join(o.outputDir, `qrtz-audit.${FORMAT_EXTENSIONS[f]}`), (out) =>
        render(report, f, { color: false, verbose, ...(width ? { width } : {}) }, out, cache),
      );
    }
    if (formats.includes('sarif')) write(join(o.outputDir, TARGET_DESCRIPTOR), formatTargetDescriptor(report));
    summary(` — ${command}s written to ${escapeControl(o.outputDir)}: ${outputFileNames(formats).join(', ')}`);
    return;
  }
  const format = formats[0] as OutputFormat;
  if (o.output !== undefined) {
    const output = o.output;
    writeChunks(output, (out) =>
      render(report, format, { color: false, verbose, ...(width ? { width } : {}) }, out, {}),
    );
    const descriptor = format === 'sarif' ? join(dirname(output), TARGET_DESCRIPTOR) : undefined;
    if (descriptor) write(descriptor, formatTargetDescriptor(report));
    summary(
      ` — ${command} written to ${escapeControl(o.output)}${descriptor ? ` (target descriptor: ${escapeControl(descriptor)})` : ''}`,
    );
    return;
  }
  const color = o.color !== false && io.colorAllowed;
  render(report, format, { color, verbose, ...(width ? { width } : {}) }, (chunk) => io.stdout(chunk), {});
  // The summary line of a report on stdout is the caller's (printSummaryAfterStdout): it waits for a failed
  // stdout to be reported first, so a full disk stays one line.
}

/**
 * After a report went to stdout: the run summary line on stderr (unless --quiet), one turn of the event loop
 * later, so a write error on stdout (reported on the next tick; the bin then exits 2 with one line) comes first.
 */
export async function printSummaryAfterStdout(
  report: Report,
  o: OutputOptions & SummaryOptions,
  io: Io,
): Promise<void> {
  if (o.quiet || !o.alwaysSummary || o.output !== undefined || o.outputDir !== undefined) return;
  await new Promise<void>((r) => setImmediate(r));
  io.stderr(`${runSummaryLine(report, io.stderrColor)}\n`);
}
