/**
 * `qrtz-audit inspect-blob <file|->`: decode one blob (raw bytes, `--hex` as pasted from psql
 * `encode(job_data,'hex')` / `\x…` bytea output / `0x…`, or `--base64`) and print its format, typed
 * tree with byte offsets, JobDataMap entries and the findings of every per-blob check.
 *
 * Output safety: every printed string goes through redact(); entry values whose key names a
 * secret, or that a secret detector flags, print as `[REDACTED len=N]` (and are registered so the
 * tree and findings redact them too); control, C1 and bidi characters from blob content are
 * escaped. Exit 0 when no failing finding at/above high, 1 otherwise, 2 on bad input (UserError).
 */
import type { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { allChecks } from '../checks/index.js';
import { type DecodeOptions, decodeBlob } from '../decode/index.js';
import { inspectBlobWith, sortFindings } from '../engine.js';
import { UserError } from '../errors.js';
import type { CheckOptions, DecodeResult, Finding, ScannedBlob, Severity, TreeNode } from '../model.js';
import { FAMILIES, SEVERITIES } from '../model.js';
import { escapeControl } from '../report/terminal.js';
import { detectSecrets } from '../secrets/detect.js';
import { classifyKey } from '../secrets/keyname.js';
import { redact, registerSecret } from '../secrets/redact.js';
import { type Io, processIo } from './io.js';

export interface InspectOptions {
  hex?: boolean;
  base64?: boolean;
  format?: string;
  maxDepth?: string | number;
}

export { escapeControl };

/** Text safe to print: redacted, then escaped, then bounded. */
export function safe(s: string, max = 400): string {
  const e = escapeControl(redact(s));
  return e.length > max ? `${e.slice(0, max)}… (${e.length} chars)` : e;
}

/** Input text/bytes → blob bytes. Throws UserError on bad hex/base64. */
export function parseInput(raw: Buffer, opts: { hex?: boolean; base64?: boolean }): Uint8Array {
  if (opts.hex && opts.base64) throw new UserError('usage', '--hex and --base64 are exclusive');
  if (opts.hex) {
    // Tolerate a pasted psql result: drop the column header above the ---- rule, the rule,
    // "(N rows)" footers and the '+' that marks a wrapped value.
    let lines = raw.toString('utf8').split(/\r?\n/);
    const rule = lines.findIndex((l) => /^\s*-{3,}\s*$/.test(l));
    if (rule >= 0) lines = [...lines.slice(0, Math.max(0, rule - 1)), ...lines.slice(rule + 1)];
    lines = lines.filter((l) => !/^\s*\(\d+ rows?\)\s*$/.test(l)).map((l) => l.replace(/\s*\+\s*$/, ''));
    let t = lines.join('').replace(/\s+/g, '');
    if (/^(\\x|0x)/i.test(t)) t = t.slice(2);
    if (!/^[0-9a-fA-F]*$/.test(t)) {
      const i = t.search(/[^0-9a-fA-F]/);
      throw new UserError('input', `bad hex input: unexpected character at position ${i}`);
    }
    if (t.length % 2 !== 0) throw new UserError('input', 'bad hex input: odd number of hex digits');
    return new Uint8Array(Buffer.from(t, 'hex'));
  }
  if (opts.base64) {
    const t = raw.toString('utf8').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(t) || t.length % 4 === 1)
      throw new UserError('input', 'bad base64 input: not base64 text');
    return new Uint8Array(Buffer.from(t, /[-_]/.test(t) ? 'base64url' : 'base64'));
  }
  return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
}

/** The file is read whole: no blob is cut at a bound. */
const CHECK_OPTIONS: Partial<CheckOptions> = { maxBlobSize: Number.MAX_SAFE_INTEGER };

/** Runs every content check of the registry on one decoded blob (the scan engine's own path), without any facts. */
export function inspectFindings(blob: ScannedBlob): Finding[] {
  return sortFindings(inspectBlobWith(blob, allChecks, new Set(FAMILIES), CHECK_OPTIONS));
}

/** Entry value as printed: secrets masked as [REDACTED len=N]. Registers what it masks. */
/** Entry values judged secret (the tree masks exact matches too, even those too short to register). */
type SecretValues = Set<string>;

function maskedEntries(
  d: DecodeResult,
  secretValues: SecretValues,
): { path: string[]; value: unknown; valueType?: string; secret: boolean }[] {
  const flagged = new Set<string>();
  for (const e of d.entries) {
    if (typeof e.value !== 'string' || e.value === '') continue;
    const key = e.path[e.path.length - 1] ?? '';
    let secret = false;
    try {
      secret = classifyKey(key).secret;
      for (const hit of detectSecrets({ path: e.path, value: e.value })) {
        registerSecret(hit.secretValue);
        if (hit.check === 'QA-S01' || hit.secretValue === e.value) secret = true;
      }
    } catch {
      secret = true; // a detector failure must never print a value it could not judge
    }
    if (secret) {
      registerSecret(e.value);
      secretValues.add(e.value);
      flagged.add(JSON.stringify(e.path));
    }
  }
  // Free strings too, so tree values redact.
  for (const s of d.strings.slice(0, 20_000)) {
    try {
      for (const hit of detectSecrets({ path: s.path, value: s.value })) registerSecret(hit.secretValue);
    } catch {
      /* detectors are best effort on free strings */
    }
  }
  return d.entries.map((e) => {
    const secret = flagged.has(JSON.stringify(e.path));
    const value = secret && typeof e.value === 'string' ? `[REDACTED len=${e.value.length}]` : e.value;
    const out: { path: string[]; value: unknown; valueType?: string; secret: boolean } = {
      path: e.path,
      value,
      secret,
    };
    if (e.valueType) out.valueType = e.valueType;
    return out;
  });
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

const masked = (v: string) => `[REDACTED len=${v.length}]`;

function renderTree(
  node: TreeNode,
  lines: string[],
  indent: string,
  budget: { n: number },
  secrets: SecretValues,
): void {
  if (budget.n <= 0) return;
  budget.n--;
  let line = `${indent}${safe(node.label, 200)}`;
  if (node.type) line += `: ${safe(node.type, 300)}`;
  if (node.value !== undefined)
    line += ` = ${
      typeof node.value === 'string'
        ? secrets.has(node.value)
          ? masked(node.value)
          : `"${safe(node.value)}"`
        : safe(String(node.value))
    }`;
  if (node.offset !== undefined) line += `  @${hex(node.offset)}`;
  lines.push(line);
  for (const c of node.children ?? []) renderTree(c, lines, `${indent}  `, budget, secrets);
  if (budget.n === 0) {
    lines.push(`${indent}… (tree output truncated)`);
    budget.n = -1;
  }
}

function valueText(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return v.startsWith('[REDACTED len=') ? v : `"${safe(v)}"`;
  if (typeof v === 'object') {
    const o = v as { type: string; summary?: string };
    return `(${safe(o.type, 200)}${o.summary ? ` ${safe(o.summary, 200)}` : ''})`;
  }
  return safe(String(v));
}

export interface InspectReport {
  text: string;
  exitCode: number;
}

/** Decode + check + render one blob. Pure apart from registering detected secrets for redaction. */
export function inspectBytes(
  bytes: Uint8Array,
  name: string,
  opts: { format?: 'tree' | 'json'; decode?: DecodeOptions } = {},
): InspectReport {
  const decoded = decodeBlob(bytes, opts.decode);
  const blob: ScannedBlob = {
    row: {
      table: 'JOB_DETAILS',
      tableName: '(file)',
      column: 'JOB_DATA',
      key: { sched: '-', name },
      size: bytes.length,
    },
    decoded,
  };
  const secretValues: SecretValues = new Set();
  const entries = maskedEntries(decoded, secretValues);
  const findings = inspectFindings(blob);
  const high = SEVERITIES.indexOf('high' as Severity);
  const exitCode = findings.some((f) => f.status === 'fail' && SEVERITIES.indexOf(f.severity) <= high) ? 1 : 0;
  if (opts.format === 'json') {
    const doc = {
      file: name,
      size: bytes.length,
      format: decoded.format,
      nestedFormats: decoded.nestedFormats,
      quartzObject: decoded.quartzObject ?? null,
      malformed: decoded.malformed ?? null,
      limited: decoded.limited ?? null,
      types: decoded.types,
      entries: entries.map(({ secret: _s, ...e }) => e),
      tree: decoded.tree ?? null,
      findings,
    };
    const json = JSON.stringify(
      doc,
      (k, v) => (typeof v === 'string' ? (k === 'value' && secretValues.has(v) ? masked(v) : redact(v)) : v),
      2,
    );
    // JSON.stringify escapes C0; escape C1 and bidi too (same data, terminal-safe).
    const text = json.replace(
      /[\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    return { text: `${text}\n`, exitCode };
  }
  const lines: string[] = [];
  lines.push(`blob: ${safe(name, 200)} (${bytes.length} bytes)`);
  lines.push(
    `format: ${decoded.format}${decoded.nestedFormats.length ? ` (nested: ${decoded.nestedFormats.join(', ')})` : ''}`,
  );
  if (decoded.quartzObject) lines.push(`quartz object: ${decoded.quartzObject}`);
  if (decoded.malformed)
    lines.push(
      `malformed: ${decoded.malformed.offset >= 0 ? `at byte ${decoded.malformed.offset} (${hex(decoded.malformed.offset)}): ` : ''}${safe(decoded.malformed.reason)}`,
    );
  if (decoded.limited) lines.push(`limited: ${safe(decoded.limited)}`);
  if (decoded.methodCall) lines.push('method call/return records: yes (never legitimate in a JobStore)');
  lines.push('', `types (${decoded.types.length}):`);
  for (const t of decoded.types)
    lines.push(
      `  ${t.ecosystem.padEnd(6)} ${safe(t.name, 300)}${t.assembly ? `, ${safe(t.assembly, 200)}` : ''}  [${t.via}]`,
    );
  if (decoded.tree) {
    lines.push('', 'tree:');
    renderTree(decoded.tree, lines, '  ', { n: 5000 }, secretValues);
  }
  lines.push('', `entries (${entries.length}):`);
  for (const e of entries.slice(0, 2000))
    lines.push(
      `  ${e.path.map((p) => safe(p, 200)).join(' › ')} = ${valueText(e.value)}${e.valueType ? `  (${safe(e.valueType, 200)})` : ''}`,
    );
  if (entries.length > 2000) lines.push(`  … ${entries.length - 2000} more`);
  const shown = findings.filter((f) => f.status !== 'pass' && f.status !== 'not-applicable');
  const ran = allChecks.filter((c) => c.inspectBlob).length;
  lines.push('', `findings (${shown.length}; ${ran} per-blob checks run):`);
  if (shown.length === 0) lines.push('  none');
  for (const f of shown) {
    lines.push(`  ${f.status.toUpperCase()} ${f.severity.toUpperCase()} ${f.check} ${safe(f.title, 200)}`);
    lines.push(`    ${safe(f.message, 2000)}`);
  }
  return { text: `${lines.join('\n')}\n`, exitCode };
}

async function readAll(stream: NodeJS.ReadableStream, limit: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      size += b.length;
      if (size > limit)
        throw new UserError(
          'input',
          `${what} is larger than ${limit} bytes (${limit / (1024 * 1024)} MiB, the bound for files and standard input): not read`,
        );
      chunks.push(b);
    }
  } finally {
    (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
  }
  return Buffer.concat(chunks);
}

/** Bound of one input, file or standard input (an endless file such as /dev/zero stops here). */
export const MAX_INPUT = 256 * 1024 * 1024;

export async function runInspectBlob(
  file: string,
  opts: InspectOptions,
  io: Io,
  maxInput = MAX_INPUT,
): Promise<number> {
  const format = opts.format ?? 'tree';
  if (format !== 'tree' && format !== 'json')
    throw new UserError('usage', `--format must be tree or json, not ${format}`);
  const decode: DecodeOptions = {};
  if (opts.maxDepth !== undefined) {
    const n = Number(opts.maxDepth);
    if (!Number.isInteger(n) || n < 1 || n > 10_000)
      throw new UserError('usage', '--max-depth must be an integer 1..10000');
    decode.maxDepth = n;
  }
  let raw: Buffer;
  if (file === '-') raw = await readAll(io.stdin, maxInput, 'standard input');
  else {
    let stream: ReturnType<typeof createReadStream>;
    try {
      // Opened first, so a missing file or a directory is one clear error before any read.
      const fh = await open(file, 'r');
      stream = fh.createReadStream({ highWaterMark: 1 << 20 });
    } catch (e) {
      const code = (e as { code?: string }).code ?? (e instanceof Error ? e.message : String(e));
      throw new UserError('input', `cannot read ${escapeControl(file)}: ${code}`);
    }
    try {
      raw = await readAll(stream, maxInput, escapeControl(file));
    } catch (e) {
      if (e instanceof UserError) throw e;
      const code = (e as { code?: string }).code ?? (e instanceof Error ? e.message : String(e));
      throw new UserError('input', `cannot read ${escapeControl(file)}: ${code}`);
    }
  }
  const bytes = parseInput(raw, opts);
  const report = inspectBytes(bytes, file === '-' ? '(stdin)' : basename(file), { format, decode });
  io.stdout(report.text);
  return report.exitCode;
}

export function registerInspectBlob(
  program: Command,
  io: Io = processIo(),
  setExit: (code: number) => void = (c) => {
    process.exitCode = c;
  },
): void {
  program
    .command('inspect-blob')
    .description('decode one JOB_DATA / CALENDAR / BLOB_DATA blob and show its format, types, entries and findings')
    .argument('<file>', "file with the blob, or - for standard input (paste SELECT encode(job_data,'hex') with --hex)")
    .option(
      '--hex',
      "input is hex text (whitespace, \\x and 0x prefixes allowed: psql encode(…,'hex') or bytea output)",
    )
    .option('--base64', 'input is base64 text')
    .option('--format <format>', 'output: tree or json', 'tree')
    .option('--max-depth <n>', 'nesting bound of the decoders (default 64)')
    .action(async (file: string, opts: InspectOptions) => {
      setExit(await runInspectBlob(file, opts, io));
    });
}
