/**
 * Shared per-blob secret scan for QA-S01/S02/S03. Runs the detectors once per blob (the last
 * ScannedBlob is remembered, so the three checks share one pass) over:
 *  1. decoded.entries — JobDataMap key paths with their string/number values (all three checks);
 *  2. decoded.strings — every other string (S02/S03 only; a string equal to an entry value is
 *     skipped: entries carry the better key path and were already scanned);
 *  3. the row's text columns DESCRIPTION and JOB_CLASS_NAME (S02/S03).
 * Every hit's raw value is registered with registerSecret() so no output path can print it.
 */
import type { FindingDraft, ScannedBlob } from '../../model.js';
import { escapeControl } from '../../report/terminal.js';
import { rowKey, rowName } from '../../scan/inspect.js';
import { detectSecrets, type SecretCheckId, type SecretHit, type SecretInput } from '../../secrets/detect.js';
import { registerSecret } from '../../secrets/redact.js';

export type HitSource = 'entry' | 'string' | 'column';

export interface BlobHit {
  hit: SecretHit;
  source: HitSource;
}

// QA-S01..S03 read the same blob one after the other: the last blob's hits are kept (a WeakMap entry
// per blob is an ephemeron every scavenge has to process: it was half of the checks' time). Another
// blob in between only means the scan runs again (deterministic; registerSecret is idempotent).
let memoBlob: ScannedBlob | undefined;
let memoHits: BlobHit[] | undefined;

/** Drops the last blob's hits (its secret values): called when a scan ends. */
export function forgetLastBlob(): void {
  memoBlob = undefined;
  memoHits = undefined;
}

/** Upper bound of values scanned per blob (hostile blobs may hold millions of strings). */
export const MAX_VALUES_PER_BLOB = 100_000;

/**
 * Key names (elements of entries' key paths) whose scan as free text (key '') has no hit. The decoders
 * also report a map's keys in decoded.strings (NRBF, Java), and a free-text scan depends on the value alone (the path
 * is only copied into hits), so a string equal to one of them is skipped: same hits, one detection per
 * distinct key name instead of one per blob. Only key names are kept (classifyKey's cache keeps them
 * too); a key name with a hit is not kept (it is tested again on the next blob and its string is
 * scanned as before). Bounded like classifyKey's cache.
 */
const cleanKeyNames = new Set<string>();
const MAX_KEY_NAMES = 10_000;
/** Longer key names are not remembered (keyname.ts MAX_KEY_LENGTH). */
const MAX_KEY_NAME_LENGTH = 256;

/** Key names tested per blob at most (a hostile blob of distinct keys would otherwise scan its key
 *  names twice: here, and as strings once the bounded set has dropped them). */
const MAX_NEW_KEY_NAMES_PER_BLOB = 1_000;

/** Remembers k if its free-text scan has no hit. Returns whether it was scanned here. */
function rememberKeyName(k: string): boolean {
  if (typeof k !== 'string' || k.length > MAX_KEY_NAME_LENGTH || cleanKeyNames.has(k)) return false;
  if (detectSecrets({ path: [], key: '', value: k }).length !== 0) return true;
  if (cleanKeyNames.size >= MAX_KEY_NAMES) cleanKeyNames.clear();
  cleanKeyNames.add(k);
  return true;
}

/** Entry values of one blob by length: a string, up to EQUAL_LENGTH_LIST of one length, then a Set. A
 *  Set of the values hashed every unit of every value of every blob (fresh strings each decode), most
 *  of the scan's own time; a Map of lengths hashes nothing, and a string compares with a value of its
 *  length only (the same string object, usually, or a mismatch within the first units). */
type ValueBucket = string | string[] | Set<string>;
const EQUAL_LENGTH_LIST = 8;

function addValue(m: Map<number, ValueBucket>, v: string): void {
  const b = m.get(v.length);
  if (b === undefined) m.set(v.length, v);
  else if (typeof b === 'string') m.set(v.length, [b, v]);
  else if (Array.isArray(b)) {
    if (b.length < EQUAL_LENGTH_LIST) b.push(v);
    else {
      const set = new Set(b);
      set.add(v);
      m.set(v.length, set);
    }
  } else b.add(v);
}

function hasValue(m: Map<number, ValueBucket>, v: string): boolean {
  const b = m.get(v.length);
  if (b === undefined) return false;
  if (typeof b === 'string') return b === v;
  if (Array.isArray(b)) {
    for (let i = 0; i < b.length; i++) if (b[i] === v) return true;
    return false;
  }
  return b.has(v);
}

export function scanBlob(blob: ScannedBlob): BlobHit[] {
  if (memoBlob === blob && memoHits) return memoHits;
  const out: BlobHit[] = [];
  const add = (input: SecretInput, source: HitSource) => {
    for (const hit of detectSecrets(input)) {
      registerSecret(hit.secretValue);
      out.push({ hit, source });
    }
  };
  const entryValues = new Map<number, ValueBucket>();
  let budget = MAX_VALUES_PER_BLOB;
  let newKeyNames = MAX_NEW_KEY_NAMES_PER_BLOB;
  for (const e of blob.decoded.entries ?? []) {
    if (budget-- <= 0) break;
    const path = e.path;
    for (let i = 0; i < path.length && newKeyNames > 0; i++) if (rememberKeyName(path[i] as string)) newKeyNames--;
    const v = e.value;
    if (typeof v !== 'string' && typeof v !== 'number') continue;
    const value = String(v);
    addValue(entryValues, value);
    add({ path: e.path, value }, 'entry');
  }
  for (const s of blob.decoded.strings ?? []) {
    if (budget-- <= 0) break;
    const sv = s.value;
    if (typeof sv !== 'string' || hasValue(entryValues, sv)) continue;
    if (sv.length <= MAX_KEY_NAME_LENGTH && cleanKeyNames.has(sv)) continue;
    add({ path: s.path, key: '', value: sv }, 'string');
  }
  const row = blob.row;
  if (typeof row.description === 'string' && row.description)
    add({ path: ['DESCRIPTION'], key: '', value: row.description }, 'column');
  if (typeof row.jobClassName === 'string' && row.jobClassName)
    add({ path: ['JOB_CLASS_NAME'], key: '', value: row.jobClassName }, 'column');
  for (const [col, value] of Object.entries(row.textColumns ?? {})) {
    if (typeof value === 'string' && value) add({ path: [col], key: '', value }, 'column');
  }
  memoBlob = blob;
  memoHits = out;
  return out;
}

export const REMEDIATION =
  'Move the secret to a secret store (environment variable, vault, Key Vault, Secrets Manager), keep only its name in the JobDataMap and resolve it when the job runs; rotate it: it has been stored in plaintext in the database, its replicas and its backups.';

/** A key path for messages and evidence: control and bidi characters escaped, long elements and
 *  long paths shortened (keys come from the blob and may be hostile). */
export function displayPath(path: string[]): string {
  const parts = path.map((p) => {
    const clean = escapeControl(p);
    return clean.length > 80 ? `${clean.slice(0, 77)}…` : clean;
  });
  const joined = parts.join(' › ');
  return joined.length > 300 ? `${joined.slice(0, 297)}…` : joined;
}

function where(blob: ScannedBlob, b: BlobHit): string {
  const p = displayPath(b.hit.path);
  if (b.source === 'column') return `column ${p}`;
  if (b.source === 'entry')
    return blob.row.column.toUpperCase() === 'JOB_DATA'
      ? `JobDataMap key path ${p}`
      : `${blob.row.column} key path ${p}`;
  return `${blob.row.column} string at ${p || '(root)'}`;
}

/** Fail drafts for one check: one per (path, detector) in the row. */
export function draftsFor(blob: ScannedBlob, check: SecretCheckId): FindingDraft[] {
  const hits = scanBlob(blob);
  // Most blobs hold no secret: no row name, no map (three checks ask per blob).
  if (hits.length === 0) return [];
  const key = rowKey(blob);
  const name = rowName(blob);
  const groups = new Map<string, BlobHit[]>();
  for (const b of hits) {
    if (b.hit.check !== check) continue;
    const k = `${b.hit.detector}:${b.hit.path.join('/')}`;
    const g = groups.get(k);
    if (g) g.push(b);
    else groups.set(k, [b]);
  }
  const drafts: FindingDraft[] = [];
  for (const [disc, group] of groups) {
    const first = group[0] as BlobHit;
    const h = first.hit;
    const notes = [`length ${h.length}`];
    if (h.publicPrefix) notes.push(`prefix ${h.publicPrefix}`);
    if (h.weak) notes.push('weak');
    if (group.length > 1) notes.push(`${group.length} values`);
    const evidence: Record<string, string | number | boolean | null> = {
      detector: h.detector,
      keyPath: displayPath(h.path),
      length: h.length,
      fingerprint: h.fingerprint,
    };
    if (h.publicPrefix) evidence.prefix = h.publicPrefix;
    if (h.weak) evidence.weak = true;
    if (group.length > 1) evidence.count = group.length;
    drafts.push({
      status: 'fail',
      severity: group.reduce((s, b) => (rank(b.hit.severity) < rank(s) ? b.hit.severity : s), h.severity),
      message: `${where(blob, first)} holds ${h.label} (${notes.join(', ')})`,
      object: { kind: 'row', name, table: blob.row.tableName, rowKey: key },
      evidence,
      remediation: REMEDIATION,
      discriminator: disc,
    });
  }
  return drafts;
}

const ORDER = ['critical', 'high', 'medium', 'low', 'info'];
function rank(s: string): number {
  return ORDER.indexOf(s);
}
