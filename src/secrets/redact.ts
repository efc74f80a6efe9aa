/**
 * The single redaction path. Every output (table, JSON, HTML, SARIF, JUnit, inspect-blob, logs, errors,
 * --debug) passes its text through redact(). Secrets found during the run and connection passwords are
 * registered here; known secret patterns (QA-S02 shapes) are scrubbed even when unregistered.
 *
 * Registered secrets are matched with a bucket index on their first three UTF-16 units, so one pass
 * over the text costs O(text) lookups however many thousands of secrets are registered (each
 * candidate position compares only the few secrets sharing its three-unit prefix).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { matchPatterns } from './patterns.js';

export const REDACTED = '[REDACTED]';

/** Shortest form the index matches (every registered value is longer: see scrubbable). */
const MIN_LENGTH = 3;

/** Shortest value the scrub replaces: shorter ones are ordinary text ("host", "app", "1234"). */
export const MIN_SCRUB_LENGTH = 6;
/** Letters-only values shorter than this are word-like ("postgres", "password", "quartz"): not scrubbed. */
export const MIN_WORD_LENGTH = 10;

/**
 * Whether the second-net scrub may replace a value everywhere. Short values and word-like values
 * (letters only, shorter than MIN_WORD_LENGTH) are not scrubbed: replacing "host" would turn
 * "(wrong user, host or password)" into nonsense and reveal the password by its absence. Messages
 * are built without passwords in the first place; the scrub only catches what slips through.
 */
export function scrubbable(value: string): boolean {
  if (value.length < MIN_SCRUB_LENGTH) return false;
  if (/^\p{L}+$/u.test(value) && value.length < MIN_WORD_LENGTH) return false;
  return true;
}

const registered = new Set<string>();
/** Every form that is replaced: raw, URL-encoded, JSON-escaped, HTML-escaped. */
const variants = new Set<string>();
/** first-three-units key → variants with that prefix, longest first. */
let buckets: Map<number, string[]> | null = null;
/** 1 where some variant starts with that pair of units (low bytes): a cheap test before the bucket lookup. */
let firstPairs = new Uint8Array(65536);
const pairIndex = (s: string, i: number) => ((s.charCodeAt(i) & 0xff) << 8) | (s.charCodeAt(i + 1) & 0xff);

function key3(s: string, i: number): number {
  return s.charCodeAt(i) * 4294967296 + s.charCodeAt(i + 1) * 65536 + s.charCodeAt(i + 2);
}

function addVariant(v: string): void {
  if (v.length >= MIN_LENGTH && !variants.has(v)) {
    variants.add(v);
    buckets = null;
  }
}

/** Remember a value that must never be printed (a password, a detected secret). */
export function registerSecret(value: string | undefined | null): void {
  if (!value || !scrubbable(value) || registered.has(value)) return;
  registered.add(value);
  secretListener?.(value);
  addVariant(value);
  addVariant(encodeURIComponent(value));
  addVariant(encodeURIComponent(value).replace(/%20/g, '+'));
  try {
    const dec = decodeURIComponent(value);
    if (dec !== value) registerSecret(dec);
  } catch {
    // not percent-encoded
  }
  addVariant(JSON.stringify(value).slice(1, -1));
  addVariant(JSON.stringify(JSON.stringify(value).slice(1, -1)).slice(1, -1));
  addVariant(
    value
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&#39;'),
  );
  addVariant(value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'));
}

/** Told of every newly registered value: a scan worker thread (src/scan/worker.ts) passes them on to the main thread. */
let secretListener: ((value: string) => void) | undefined;

/** Sets (or clears) the one listener of newly registered values (scan worker threads only). */
export function onSecretRegistered(listener: ((value: string) => void) | undefined): void {
  secretListener = listener;
}

/** Every registered value, for a scan worker thread to start from the same registry (src/scan/workers.ts). */
export function registeredSecrets(): string[] {
  return [...registered];
}

/** How many values are registered (tests, --debug statistics). */
export function registeredCount(): number {
  return registered.size;
}

/** Forget every registered value (tests only). */
export function clearRegisteredSecrets(): void {
  registered.clear();
  variants.clear();
  buckets = null;
}

function index(): Map<number, string[]> {
  if (buckets) return buckets;
  const m = new Map<number, string[]>();
  firstPairs = new Uint8Array(65536);
  for (const v of variants) {
    firstPairs[pairIndex(v, 0)] = 1;
    const k = key3(v, 0);
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
  }
  for (const list of m.values()) list.sort((a, b) => b.length - a.length);
  buckets = m;
  return m;
}

function replaceRegistered(text: string): string {
  if (variants.size === 0 || text.length < MIN_LENGTH) return text;
  const m = index();
  let out = '';
  let last = 0;
  const end = text.length - MIN_LENGTH;
  const pairs = firstPairs;
  for (let i = 0; i <= end; ) {
    if (pairs[pairIndex(text, i)] === 0) {
      i++;
      continue;
    }
    const list = m.get(key3(text, i));
    if (list) {
      let hit: string | undefined;
      for (const v of list) {
        if (text.startsWith(v, i)) {
          hit = v;
          break;
        }
      }
      if (hit) {
        out += text.slice(last, i) + REDACTED;
        i += hit.length;
        last = i;
        continue;
      }
    }
    i++;
  }
  return last === 0 ? text : out + text.slice(last);
}

function replacePatterns(text: string): string {
  const matches = matchPatterns(text);
  if (matches.length === 0) return text;
  matches.sort((a, b) => a.start - b.start);
  let out = '';
  let last = 0;
  for (const m of matches) {
    if (m.start < last) continue;
    out += text.slice(last, m.start) + REDACTED;
    last = m.end;
  }
  return out + text.slice(last);
}

/** Replace every registered secret (and its encoded forms) and every known secret pattern in text. */
export function redact(text: string): string {
  if (typeof text !== 'string' || text.length === 0) return text;
  return replacePatterns(replaceRegistered(text));
}

/** Deep-redact every string in a JSON-like value. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    // defineProperty: keys come from the database ("__proto__" included) and must stay plain keys.
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, redact(k), {
        value: redactDeep(v),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out as T;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Fingerprints

let fingerprintKey: Buffer = randomBytes(32);

/** Use a stable fingerprint key (the CLI's --fingerprint-key-env VAR) instead of the per-process salt. */
export function setFingerprintKey(key: string | Buffer): void {
  const k = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  if (k.length === 0) throw new Error('fingerprint key must not be empty');
  fingerprintKey = Buffer.from(k);
}

/** The current key (a copy), so scan worker threads fingerprint secrets exactly as this thread does. */
export function fingerprintKeyBytes(): Buffer {
  return Buffer.from(fingerprintKey);
}

/** Back to a fresh random per-process salt (tests). */
export function resetFingerprintKey(): void {
  fingerprintKey = randomBytes(32);
}

/** First 12 hex characters of HMAC-SHA-256(key, value). */
export function secretFingerprint(value: string): string {
  return createHmac('sha256', fingerprintKey).update(value, 'utf8').digest('hex').slice(0, 12);
}

export interface SecretDescription {
  length: number;
  /** At most 3 characters, only when the detector's prefix is public (ghp, AKI, xox, sk_). */
  prefix?: string;
  fingerprint: string;
}

/** What may be shown about a secret: its length, a public prefix, a keyed fingerprint. */
export function describeSecret(value: string, opts: { publicPrefix?: string | boolean } = {}): SecretDescription {
  const d: SecretDescription = { length: value.length, fingerprint: secretFingerprint(value) };
  if (typeof opts.publicPrefix === 'string' && opts.publicPrefix) {
    const p = opts.publicPrefix.slice(0, 3);
    if (value.startsWith(p)) d.prefix = p;
  } else if (opts.publicPrefix === true) {
    d.prefix = value.slice(0, 3);
  }
  return d;
}
