/** Shared helpers of the job-hygiene (J), scheduler-health (H) and update-hygiene (U) checks. */
import type { Facts, FindingDraft, FindingObject, QuartzInstant, ScannedBlob } from '../model.js';
import { escapeControl } from '../report/terminal.js';
import { redact } from '../secrets/redact.js';

/** `Quartz.Job.NativeJob, Quartz.Jobs` → `Quartz.Job.NativeJob` (assembly part and generic args dropped). */
export function jobClassBase(name: string | undefined): string {
  if (!name) return '';
  return name.split(',')[0]?.trim() ?? '';
}

/** The row a blob came from, as a finding object. */
export function rowObject(blob: ScannedBlob): FindingObject {
  const k = blob.row.key;
  const keyText = `${k.sched}/${k.group !== undefined ? `${k.group}.` : ''}${k.name}`;
  return {
    kind: 'row',
    name: `${blob.row.tableName} ${keyText}`,
    table: blob.row.tableName,
    rowKey: keyText,
  };
}

/** Lower-case word parts of a key: `workingDirectory` → working, directory; `FILE_NAME` → file, name. */
export function keyWords(key: string): string[] {
  const cached = keyWordCache.get(key);
  if (cached) return cached;
  const out: string[] = [];
  for (const chunk of key.split(/[^A-Za-z0-9]+/)) {
    for (const w of chunk.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g) ?? []) out.push(w.toLowerCase());
  }
  // JobDataMap keys repeat across rows: a small cache saves re-splitting them for every check and row.
  if (key.length <= 256) {
    if (keyWordCache.size >= 10_000) keyWordCache.clear();
    keyWordCache.set(key, out);
  }
  return out;
}

const keyWordCache = new Map<string, string[]>();

/** Key word parts that mark a value as a command line (QA-J02). */
export const COMMAND_WORDS: ReadonlySet<string> = new Set([
  'command',
  'commands',
  'cmd',
  'cmdline',
  'commandline',
  'script',
  'scripts',
  'exec',
  'execute',
  'shell',
  'args',
  'arguments',
]);

/** Key word parts that mark a value as a file-system path (QA-J03: FileScanJob FILE_NAME, DirectoryScanJob
 *  DIRECTORY_NAME(S), NativeJob workingDirectory, and custom keys like outputPath, exportDir, logFolder). */
export const PATH_WORDS: ReadonlySet<string> = new Set([
  'path',
  'paths',
  'filepath',
  'filename',
  'file',
  'files',
  'dir',
  'dirs',
  'directory',
  'directories',
  'folder',
  'folders',
  'location',
  'workingdirectory',
]);

/** keyClass bits: a word of the key is a COMMAND_WORDS word, a PATH_WORDS word; the key is `command` or
 *  `parameters` in any case (what NativeJob reads). */
export const KEY_COMMAND = 1;
export const KEY_PATH = 2;
export const KEY_NATIVE = 4;

/** What a JobDataMap key names (KEY_* bits), memoised per key: keys repeat in every value and row. */
export function keyClass(key: string): number {
  const cached = keyClassCache.get(key);
  if (cached !== undefined) return cached;
  let c = 0;
  for (const w of keyWords(key)) {
    if (COMMAND_WORDS.has(w)) c |= KEY_COMMAND;
    if (PATH_WORDS.has(w)) c |= KEY_PATH;
  }
  if (/^(command|parameters)$/i.test(key)) c |= KEY_NATIVE;
  if (key.length <= 256) {
    if (keyClassCache.size >= 10_000) keyClassCache.clear();
    keyClassCache.set(key, c);
  }
  return c;
}

const keyClassCache = new Map<string, number>();

/** `/^\s*(file:|\\\\)/i.test(value)`: a file: URL or a UNC path even under a key that names no path. The
 *  regex runs only when the first character is one it could start with (f, F, \ or whitespace). */
export function startsFileLike(value: string): boolean {
  const c = value.charCodeAt(0);
  if (!(c === 0x66 || c === 0x46 || c === 0x5c || c <= 0x20 || c >= 0xa0)) return false;
  return /^\s*(file:|\\\\)/i.test(value);
}

/**
 * The string values QA-J02 and QA-J03 may report: the blob's string values restricted to values whose key has a
 * keyClass bit or whose value startsFileLike, in the same order and deduplicated the same way. Filtering
 * before the deduplication gives the same list (a duplicate has the same path, so the same key, and the same
 * value) unless a path holds a NUL: two different paths (with different keys) join alike only then, so a blob
 * with one falls back to filtering the whole list.
 */
export function jobStringValues(blob: ScannedBlob): StringValue[] {
  if (lastJobValuesBlob === blob && lastJobValues) return lastJobValues;
  const out =
    collectStringValues(blob, jobRelevant) ??
    (collectStringValues(blob) ?? []).filter((v) => jobRelevant(v.key, v.value));
  lastJobValuesBlob = blob;
  lastJobValues = out;
  return out;
}

let lastJobValuesBlob: ScannedBlob | undefined;
let lastJobValues: StringValue[] | undefined;

function jobRelevant(key: string, value: string): boolean {
  return keyClass(key) !== 0 || startsFileLike(value);
}

export interface StringValue {
  /** The map key (last non-index path element). */
  key: string;
  path: string[];
  value: string;
}

/** Every string value of the JobDataMap (entries first, then other strings found in the blob), deduplicated. */
/**
 * The blob's string values (entries, then the other strings) deduplicated by (joined path, value) as
 * `${path.join('\u0000')}\u0001${value}` would be, without building that string for every value: the paths
 * seen per value, compared element by element. With `relevant`, only the values it keeps, filtered before the
 * deduplication; then undefined when a path holds a NUL (only then can two different paths join alike, so
 * filtering first could keep a value the whole list drops).
 */
function collectStringValues(
  blob: ScannedBlob,
  relevant?: (key: string, value: string) => boolean,
): StringValue[] | undefined {
  const seen = new Map<string, string[][]>();
  const out: StringValue[] = [];
  let nul = false;
  const add = (path: string[], value: string) => {
    const key = lastNonIndex(path);
    if (relevant) {
      if (!nul && hasNul(path)) nul = true;
      if (!relevant(key, value)) return;
    }
    const paths = seen.get(value);
    if (paths) {
      for (const p of paths) if (sameJoinedPath(p, path)) return;
      paths.push(path);
    } else seen.set(value, [path]);
    out.push({ key, path, value });
  };
  for (const e of blob.decoded.entries) if (typeof e.value === 'string') add(e.path, e.value);
  for (const s of blob.decoded.strings) add(s.path, s.value);
  return nul ? undefined : out;
}

/** `a.join('\u0000') === b.join('\u0000')`, element by element when no element holds a NUL. */
function sameJoinedPath(a: string[], b: string[]): boolean {
  if (a.length === b.length) {
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    if (i === a.length) return true;
  }
  return (hasNul(a) || hasNul(b)) && a.join('\u0000') === b.join('\u0000');
}

function hasNul(p: string[]): boolean {
  for (const x of p) if (x.includes('\u0000')) return true;
  return false;
}

/** The last path element that is not a list index (`[3]`, `3`, `[3`, `3]`), or ''. */
function lastNonIndex(path: string[]): string {
  for (let i = path.length - 1; i >= 0; i--) {
    const p = path[i] as string;
    if (!isIndexLike(p)) return p;
  }
  return '';
}

/** /^\[?\d+\]?$/ without a RegExp. */
function isIndexLike(p: string): boolean {
  let i = 0;
  let end = p.length;
  if (p.charCodeAt(0) === 0x5b) i = 1;
  if (end > i && p.charCodeAt(end - 1) === 0x5d) end--;
  if (end <= i) return false;
  for (let j = i; j < end; j++) {
    const c = p.charCodeAt(j);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** The fail draft for one JobDataMap value that shows signals (J02 commands, J03 paths). */
export function valueFinding(
  blob: ScannedBlob,
  v: StringValue,
  signals: { kind: string; detail: string }[],
): FindingDraft {
  return {
    status: 'fail',
    message: `JobDataMap key ${safeText(v.key, 80)}: ${signals.map((s) => s.detail).join('; ')}: ${safeText(v.value)}`,
    object: rowObject(blob),
    evidence: {
      key: safeText(v.path.join('.'), 120),
      value: safeText(v.value),
      signals: signals.map((s) => s.kind).join(','),
      jobClass: blob.row.jobClassName ? safeText(blob.row.jobClassName) : null,
    },
    discriminator: v.path.join('.'),
  };
}

/** Case-insensitive lookup of one entry's string value by key name. */
export function entryValue(blob: ScannedBlob, key: string): string | undefined {
  return entryIndex(blob).firstString.get(key.toLowerCase());
}

/** True when the JobDataMap has the key (any value type). */
export function hasEntry(blob: ScannedBlob, key: string): boolean {
  return entryIndex(blob).keys.has(key.toLowerCase());
}

/** Lower-cased last path elements of a blob's entries, and the first string value under each:
 *  several checks ask for a few keys each, so the entries are lower-cased once per blob, not per question. */
interface EntryIndex {
  keys: Set<string>;
  firstString: Map<string, string>;
}
let lastIndexBlob: ScannedBlob | undefined;
let lastIndex: EntryIndex | undefined;

function entryIndex(blob: ScannedBlob): EntryIndex {
  if (lastIndexBlob === blob && lastIndex) return lastIndex;
  let ix: EntryIndex;
  ix = { keys: new Set(), firstString: new Map() };
  for (const e of blob.decoded.entries) {
    const last = e.path[e.path.length - 1];
    if (last === undefined) continue;
    const k = last.toLowerCase();
    ix.keys.add(k);
    if (typeof e.value === 'string' && !ix.firstString.has(k)) ix.firstString.set(k, e.value);
  }
  lastIndexBlob = blob;
  lastIndex = ix;
  return ix;
}

/** Inline credentials commonly written into command lines and URLs, masked before printing. */
const INLINE_SECRETS: RegExp[] = [
  /((?:^|\s)(?:--?)(?:password|passwd|pwd|pass|token|secret|api[-_]?key)[=\s]+)("[^"]*"|'[^']*'|\S+)/gi,
  /(\b(?:password|passwd|pwd|token|secret|api[-_]?key)\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s;&|]+)/gi,
  /(\b[A-Z][A-Z0-9_]*(?:PASSWORD|PASSWD|TOKEN|SECRET|KEY)=)("[^"]*"|'[^']*'|\S+)/g,
  /((?:^|\s)-p)([^\s-]\S*)/g, // mysql -pSECRET
  /((?:^|\s)-u\s+[^\s:]+:)(\S+)/g, // curl -u user:pass
  /(authorization:\s*(?:bearer|basic)\s+)(\S+)/gi,
  /([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]+)(@)/gi,
];

/** Text safe to print: registered secrets and inline credentials masked, control characters escaped, bounded. */
export function safeText(text: string, max = 200): string {
  let out = redact(text);
  for (const re of INLINE_SECRETS) {
    // Groups: prefix, secret and (URL form only) the '@' after it. The arguments after the groups are
    // the match offset and the whole string: never take them for a group.
    out = out.replace(re, (...args: unknown[]) => {
      const pre = String(args[1] ?? '');
      const post = re.source.endsWith('(@)') ? String(args[3] ?? '') : '';
      return `${pre}[REDACTED]${post}`;
    });
  }
  out = escapeControl(out);
  return out.length > max ? `${out.slice(0, max)}…(${out.length} chars)` : out;
}

export function iso(ms: number | null): string | null {
  if (ms === null || !Number.isFinite(ms)) return null;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function instantEvidence(prefix: string, t: QuartzInstant | null): Record<string, string | null> {
  return { [`${prefix}Raw`]: t?.raw ?? null, [`${prefix}Utc`]: iso(t?.ms ?? null) };
}

export function databaseObject(facts: Facts): FindingObject {
  return { kind: 'database', name: facts.target.database || facts.dialect };
}

/** The not-evaluated draft when the adapter did not read scheduler state (or one part of it). */
export function schedulerNotRead(facts: Facts, part: string): FindingDraft | undefined {
  const s = facts.scheduler;
  const all = facts.unreadable.find((x) => x.what === 'scheduler');
  if (!s && all) {
    return {
      status: 'not-evaluated',
      message: `scheduler state could not be read: ${safeText(all.reason, 400)}`,
      object: databaseObject(facts),
      evidence: { needs: all.needs ?? null },
    };
  }
  if (!s) {
    return {
      status: 'not-evaluated',
      message: 'scheduler state (QRTZ_TRIGGERS, FIRED_TRIGGERS, SCHEDULER_STATE) was not read for this database',
      object: databaseObject(facts),
      evidence: { needs: 'SELECT on the Quartz tables' },
    };
  }
  const u = s.unreadable.find((x) => x.what === `scheduler.${part}`);
  if (u) {
    return {
      status: 'not-evaluated',
      message: `could not read ${part}: ${safeText(u.reason)}`,
      object: databaseObject(facts),
      evidence: { needs: u.needs ?? null },
    };
  }
  return undefined;
}

export function timeUnitLabel(facts: Facts): string {
  const u = facts.scheduler?.timeUnit;
  return u === 'dotnet-ticks'
    ? '.NET ticks (Quartz.NET)'
    : u === 'unix-ms'
      ? 'Unix milliseconds (Java Quartz)'
      : 'unknown';
}
