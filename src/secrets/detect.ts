/**
 * Secret detectors over one value with its key path.
 *  - QA-S01 (high): the key names a secret (keyname.ts) and the value is not a placeholder (placeholder.ts).
 *  - QA-S02 (high; critical for private keys and cloud credentials): the value matches a token format
 *    (patterns.ts), or a context-dependent format (AWS secret key under an AWS key, Twilio auth token).
 *  - QA-S03 (medium): a high-entropy candidate with secret-like context (entropy.ts).
 * One value reports S02 first; S01 only when no S02 pattern matched; S03 only when neither did.
 * A hit carries what may be shown (length, public prefix, keyed fingerprint) and, non-enumerable, the
 * raw value for registerSecret() — it never appears in JSON.stringify, spreads or Object.keys.
 */
import type { Severity } from '../model.js';
import { CONTEXT_WORD_ANYWHERE, findHighEntropy } from './entropy.js';
import { classifyKey, type KeyClass } from './keyname.js';
import {
  beginSelection,
  endSelection,
  KEYWORD_PAIRS,
  matchPatterns,
  matchSelectedPatterns,
  mayHoldKeyword,
  type PatternMatch,
  passwordValue,
  selectAt,
} from './patterns.js';
import { isPlaceholder } from './placeholder.js';
import { describeSecret } from './redact.js';
import { isWeak } from './weak.js';

export type SecretCheckId = 'QA-S01' | 'QA-S02' | 'QA-S03';

export interface SecretHit {
  check: SecretCheckId;
  /** key-name, aws-access-key-id, github-token, jwt, private-key, connection-string-password,
   *  url-credentials, basic-auth, high-entropy… */
  detector: string;
  /** Human label for messages, e.g. "a GitHub token". */
  label: string;
  severity: Severity;
  /** Key path of the value (the last element is the key). */
  path: string[];
  /** Length of the secret. */
  length: number;
  /** At most 3 characters, only for detectors whose prefix is public (ghp, AKI, xox, sk_). */
  publicPrefix?: string;
  /** HMAC-SHA-256(fingerprint key, secret), first 12 hex characters. */
  fingerprint: string;
  /** Short or a well-known password. */
  weak?: boolean;
  /** The raw secret, for registerSecret() only. Non-enumerable: never serialized. */
  readonly secretValue: string;
}

export interface SecretInput {
  /** Where the value sits (JobDataMap key path, ['DESCRIPTION'], a string's member path). */
  path: string[];
  /** Key name for QA-S01; default: the last path element that is not a list index. '' = no key name (free text). */
  key?: string;
  value: string;
}

/** Longest value scanned (bounded against hostile input); the rest is not read. */
export const MAX_SCAN_LENGTH = 1_000_000;

function makeHit(
  fields: Omit<SecretHit, 'secretValue' | 'fingerprint' | 'length' | 'publicPrefix'>,
  secret: string,
  publicPrefix: number,
): SecretHit {
  const d = describeSecret(
    secret,
    publicPrefix > 0 ? { publicPrefix: secret.slice(0, Math.min(3, publicPrefix)) } : {},
  );
  // Built field by field (a spread then `delete` turned every hit into a slow dictionary object).
  const hit = {
    check: fields.check,
    detector: fields.detector,
    label: fields.label,
    severity: fields.severity,
    path: fields.path,
    length: d.length,
    fingerprint: d.fingerprint,
  } as SecretHit;
  if (fields.weak !== undefined) hit.weak = fields.weak;
  if (d.prefix) hit.publicPrefix = d.prefix;
  Object.defineProperty(hit, 'secretValue', { value: secret, enumerable: false, writable: false, configurable: false });
  return hit;
}

const AWS_SECRET_SHAPE = /^[A-Za-z0-9/+]{40}$/;

/** Looks like a connection string or URL (its password, if any, is found by QA-S02). */
function connectionShaped(v: string): boolean {
  return /^[A-Za-z][\w .]*=[^;]*;/.test(v) || /^[a-z][a-z0-9+.-]*:\/\//i.test(v) || /^jdbc:|^odbc:/i.test(v);
}

/** The key of a path: its last element that is not a list index (`tokens › [0]` → tokens). */
export function keyOfPath(path: string[]): string {
  for (let i = path.length - 1; i >= 0; i--) {
    const p = path[i] as string;
    // an index starts with [ @ ( or a digit: any other element is the key without the regex
    if (typeof p === 'string') {
      const c = p.charCodeAt(0);
      if (c !== 0x5b && c !== 0x40 && c !== 0x28 && !(c >= 0x30 && c <= 0x39)) return p;
    }
    if (!/^(?:\[\d+\]|\d+|@\d+|\(key\)|\(value\))$/.test(p)) return p;
  }
  return '';
}

/** Shortest run of token characters any run-based detector reports (findHighEntropy's candidate). */
const MIN_TOKEN_RUN = 16;

/** Character classes of ASCII for the pre-filter scan: token-run characters (digit 1, upper 2, lower 4,
 *  other token characters + - . / _ ~ = 8; any other unit breaks a run), and KEYWORD_START (16): some
 *  pattern keyword starts with the unit, in a case its rule's regex matches. */
const DIGIT = 1;
const UPPER = 2;
const LOWER = 4;
const TOKEN_OTHER = 8;
const TOKEN = DIGIT | UPPER | LOWER | TOKEN_OTHER;
const KEYWORD_START = 16;
const CHAR_CLASS = new Uint8Array(128);
for (let c = 0x30; c <= 0x39; c++) CHAR_CLASS[c] = DIGIT;
for (let c = 0x41; c <= 0x5a; c++) CHAR_CLASS[c] = UPPER;
for (let c = 0x61; c <= 0x7a; c++) CHAR_CLASS[c] = LOWER;
for (const ch of '+-./_~=') CHAR_CLASS[ch.charCodeAt(0)] = TOKEN_OTHER;
for (let c0 = 0; c0 < 128; c0++)
  for (let c1 = 0; c1 < 128; c1++)
    if (KEYWORD_PAIRS[(c0 << 7) | c1] !== 0) CHAR_CLASS[c0] = (CHAR_CLASS[c0] as number) | KEYWORD_START;

/** scanValue() result bits. */
const MAY_HOLD_TOKEN = 1;
const MAY_HOLD_PATTERN = 2;

/**
 * One pass over the units of a value, the whole pre-filter:
 *  - MAY_HOLD_PATTERN: the pattern rules' keywords are selected in the same pass (patterns.ts
 *    beginSelection/selectAt/endSelection, a table test per pair of ASCII units): some rule has a keyword
 *    in the case its regex needs, with its `followedBy` after it; only the selected rules then run.
 *  - MAY_HOLD_TOKEN: without a secret key name and a pattern keyword, a value can still hit only through
 *    a run of at least 16 token characters [A-Za-z0-9+/_~.=-] (entropy.ts's candidate alphabet, padding
 *    included), and then only when:
 *    - QA-S02 with key context: the whole trimmed value is one run of 40 (AWS secret access key) or 32
 *      (Twilio auth token) characters; the key path is not consulted here;
 *    - QA-S03: the key is not benign, the run mixes at least two of digits, upper and lower case
 *      (looksRandom() rejects every candidate with fewer: hex of one case has at most 6 symbols, under its
 *      3-bit entropy floor), and there is context: a key hint, the run is the whole value, or a context
 *      word (key, token, sig…) occurs in the text (findHighEntropy() skips a candidate without one).
 * Every condition is necessary, so nothing that hits is stopped (test/secrets/prefilter.test.ts
 * compares the filtered detectors with the unfiltered ones).
 */
function scanValue(value: string, kc: KeyClass): number {
  let run = 0;
  let classes = 0;
  let longest = 0;
  let mixed = false;
  const n = value.length;
  const pairs = KEYWORD_PAIRS;
  beginSelection();
  // the previous unit when some keyword starts with it, else -1 (the pair table is read only then); none
  // in a long value without any keyword
  const starts = mayHoldKeyword(value) ? KEYWORD_START : 0;
  let prev = -1;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    const cls = c < 128 ? (CHAR_CLASS[c] as number) : 0;
    if (prev >= 0 && c < 128) {
      const g = pairs[(prev << 7) | c] as number;
      if (g !== 0) selectAt(value, i - 1, g);
    }
    prev = (cls & starts) !== 0 ? c : -1;
    const token = cls & TOKEN;
    if (token !== 0) {
      run++;
      classes |= token;
      continue;
    }
    if (run >= MIN_TOKEN_RUN) {
      if (run > longest) longest = run;
      if (mixedClasses(classes)) mixed = true;
    }
    run = 0;
    classes = 0;
  }
  if (run >= MIN_TOKEN_RUN) {
    if (run > longest) longest = run;
    if (mixedClasses(classes)) mixed = true;
  }
  const pattern = endSelection() ? MAY_HOLD_PATTERN : 0;
  if (longest === 0) return pattern;
  const whole = longest === value.trim().length;
  if (whole && (longest === 40 || longest === 32)) return pattern | MAY_HOLD_TOKEN;
  if (!mixed || kc.benign) return pattern;
  return kc.hint || whole || CONTEXT_WORD_ANYWHERE.test(value) ? pattern | MAY_HOLD_TOKEN : pattern;
}

/** A run's classes mix at least two of digits, upper and lower case. */
function mixedClasses(classes: number): boolean {
  const letterDigit = classes & (DIGIT | UPPER | LOWER);
  return letterDigit !== 0 && letterDigit !== DIGIT && letterDigit !== UPPER && letterDigit !== LOWER;
}

/** What a value without a hit returns (frozen: a caller cannot add to it). */
const NO_HITS: SecretHit[] = Object.freeze([]) as unknown as SecretHit[];
const NO_HITS_PATTERNS: readonly PatternMatch[] = Object.freeze([]);

/** Hits of one value up to which a new one is compared with each (most values have one). */
const FEW_HITS = 16;
const hitKey = (h: SecretHit) => `${h.detector}\u0000${h.secretValue}`;

/** Adds a hit unless the same detector already reported the same secret. Returns the set of keys that
 *  takes over from the linear search once there are more than FEW_HITS (hostile values hold thousands). */
function addHit(hits: SecretHit[], seen: Set<string> | undefined, h: SecretHit): Set<string> | undefined {
  if (seen === undefined) {
    for (const o of hits) if (o.detector === h.detector && o.secretValue === h.secretValue) return undefined;
    hits.push(h);
    return hits.length > FEW_HITS ? new Set(hits.map(hitKey)) : undefined;
  }
  const k = hitKey(h);
  if (!seen.has(k)) {
    seen.add(k);
    hits.push(h);
  }
  return seen;
}

/** Detect secrets in one value. */
export function detectSecrets(input: SecretInput): SecretHit[] {
  return detect(input, true);
}

/** The same detectors without the combined pre-filter and with every pattern rule's regex run (no
 *  keyword selection): the reference the pre-filter is tested against (test/secrets/prefilter.test.ts). */
export function detectSecretsUnfiltered(input: SecretInput): SecretHit[] {
  return detect(input, false);
}

function detect(input: SecretInput, filtered: boolean): SecretHit[] {
  const raw = input.value;
  if (typeof raw !== 'string' || raw.length === 0) return NO_HITS;
  const value = raw.length > MAX_SCAN_LENGTH ? raw.slice(0, MAX_SCAN_LENGTH) : raw;
  const path = input.path;
  const key = input.key ?? keyOfPath(path);
  const kc = classifyKey(key);
  // Combined pre-filter before any detector: a value can only hit when it holds a keyword of a
  // pattern rule in the case and with the `followedBy` that rule needs (QA-S02; the rules it selects are
  // the only ones run), its key names a secret (QA-S01), or it has a token run that may be a
  // key-context or high-entropy secret (mayHoldToken). Most JobDataMap strings — words, numbers,
  // names, plain URLs — stop here.
  let patterns = true;
  if (filtered) {
    const scan = scanValue(value, kc);
    patterns = (scan & MAY_HOLD_PATTERN) !== 0;
    if (!patterns && !kc.secret && (scan & MAY_HOLD_TOKEN) === 0) return NO_HITS;
  }
  // AWS / Twilio context may come from any element of the path (aws › secret_key)
  let aws = kc.aws;
  let twilio = kc.twilio;
  if (input.key !== '')
    for (const p of path) {
      const c = classifyKey(p);
      aws ||= c.aws;
      twilio ||= c.twilio;
    }
  const hits: SecretHit[] = [];
  // no closure here: a closure's variables live in a context object that is allocated on entry, for
  // every value, the ones the pre-filter stops included
  let seen: Set<string> | undefined;

  // QA-S02: token formats anywhere in the value
  for (const m of !filtered ? matchPatterns(value, true) : patterns ? matchSelectedPatterns(value) : NO_HITS_PATTERNS) {
    const secret = m.rule.password ? passwordValue(m.secret) : m.secret;
    if (!secret) continue;
    let weak: boolean | undefined;
    if (m.rule.password) {
      let plain = secret;
      try {
        plain = decodeURIComponent(secret);
      } catch {
        // keep raw
      }
      weak = isWeak(plain) || undefined;
    }
    seen = addHit(
      hits,
      seen,
      makeHit(
        {
          check: 'QA-S02',
          detector: m.rule.id,
          label: m.rule.label,
          severity: m.rule.severityOf?.(secret) ?? m.rule.severity,
          path,
          weak,
        },
        secret,
        m.rule.publicPrefix ?? 0,
      ),
    );
  }
  const trimmed = value.trim();
  // QA-S02 with key context: AWS secret access keys and Twilio auth tokens have no prefix
  if (
    hits.length === 0 &&
    aws &&
    AWS_SECRET_SHAPE.test(trimmed) &&
    /[A-Z]/.test(trimmed) &&
    /[a-z]/.test(trimmed) &&
    /[0-9]/.test(trimmed) &&
    !trimmed.endsWith('EXAMPLEKEY')
  ) {
    seen = addHit(
      hits,
      seen,
      makeHit(
        {
          check: 'QA-S02',
          detector: 'aws-secret-access-key',
          label: 'an AWS secret access key',
          severity: 'critical',
          path,
        },
        trimmed,
        0,
      ),
    );
  }
  if (hits.length === 0 && twilio && /^[0-9a-f]{32}$/i.test(trimmed) && !/^AC/i.test(trimmed)) {
    seen = addHit(
      hits,
      seen,
      makeHit(
        { check: 'QA-S02', detector: 'twilio', label: 'a Twilio auth token', severity: 'high', path },
        trimmed,
        0,
      ),
    );
  }
  if (hits.length > 0) return hits;

  // QA-S01: the key names a secret
  if (kc.secret) {
    if (isPlaceholder(trimmed)) return hits;
    if (kc.connection && connectionShaped(trimmed)) return hits; // no password in it (S02 found none)
    seen = addHit(
      hits,
      seen,
      makeHit(
        {
          check: 'QA-S01',
          detector: 'key-name',
          label: 'a secret',
          severity: 'high',
          path,
          weak: isWeak(trimmed) || undefined,
        },
        trimmed,
        0,
      ),
    );
    return hits;
  }

  // QA-S03: high-entropy candidates with context (not under keys that name a non-secret: …Id, …Hash)
  if (kc.benign) return hits;
  for (const e of findHighEntropy(value, kc.hint)) {
    seen = addHit(
      hits,
      seen,
      makeHit(
        {
          check: 'QA-S03',
          detector: 'high-entropy',
          label: 'a high-entropy string that may be a secret',
          severity: 'medium',
          path,
        },
        e.secret,
        0,
      ),
    );
  }
  return hits;
}

/** Detect secrets in many values; hits of all inputs, in input order. */
export function detectSecretsBatch(inputs: Iterable<SecretInput>): SecretHit[] {
  const out: SecretHit[] = [];
  for (const input of inputs) for (const h of detectSecrets(input)) out.push(h);
  return out;
}
