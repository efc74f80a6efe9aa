/**
 * QA-S03: high-entropy candidates with secret-like context. A candidate is a run of token
 * characters; it counts when it looks random (Shannon entropy, frequent character-class changes,
 * mixed classes) and has context: a key-name hint (key, sig, hmac, salt…), a nearby context word
 * in free text, or the shape of a bare token value. Kept out (payloads-and-secrets.md §F.4): GUIDs,
 * hex digests without a key hint, PublicKeyToken=<16 hex>, cron expressions, type and assembly
 * names, dates and timestamps, numbers, base64 of serialized objects/images/text, file paths and
 * URLs without credentials.
 */
import { PUBLIC_VALUES } from './patterns.js';

/** Shannon entropy in bits per character. */
export function shannon(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

function charClass(c: number): number {
  if (c >= 48 && c <= 57) return 1; // digit
  if (c >= 65 && c <= 90) return 2; // upper
  if (c >= 97 && c <= 122) return 3; // lower
  return 4;
}

/** Share of adjacent character pairs that change class (digit/upper/lower/other). Random
 *  base62 text changes class about 2/3 of the time; words and identifiers rarely do. */
export function classChangeRatio(s: string): number {
  if (s.length < 2) return 0;
  let changes = 0;
  let prev = charClass(s.charCodeAt(0));
  for (let i = 1; i < s.length; i++) {
    const c = charClass(s.charCodeAt(i));
    if (c !== prev) changes++;
    prev = c;
  }
  return changes / (s.length - 1);
}

const GUID = /^\{?[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}\}?$/;
const HEX = /^[0-9a-fA-F]+$/;
const B64ISH = /^[A-Za-z0-9+/_~.-]+={0,2}$/;

/** Magic numbers of non-secret binary data often stored base64-encoded. */
function decodesToKnownBinary(s: string): boolean {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(s) || s.length < 8) return false;
  let bytes: Buffer;
  try {
    bytes = Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  } catch {
    return false;
  }
  if (bytes.length < 4) return false;
  const b0 = bytes[0];
  const b1 = bytes[1];
  if (b0 === 0xac && b1 === 0xed) return true; // Java serialization
  if (b0 === 0x00 && b1 === 0x01 && bytes[2] === 0 && bytes[3] === 0) return true; // NRBF header
  if (b0 === 0x1f && b1 === 0x8b) return true; // gzip
  if (b0 === 0x89 && b1 === 0x50 && bytes[2] === 0x4e) return true; // PNG
  if (b0 === 0xff && b1 === 0xd8) return true; // JPEG
  if (b0 === 0x47 && b1 === 0x49 && bytes[2] === 0x46) return true; // GIF
  if (b0 === 0x50 && b1 === 0x4b) return true; // ZIP
  if (b0 === 0x25 && b1 === 0x50 && bytes[2] === 0x44) return true; // PDF
  if (b0 === 0x4d && b1 === 0x5a) return true; // PE
  if (b0 === 0xca && b1 === 0xfe && bytes[2] === 0xba) return true; // class file
  // base64 of printable text (a JSON document, a sentence) is encoding, not a key
  let printable = 0;
  for (const b of bytes) if ((b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d || b === 0x09) printable++;
  return bytes.length >= 12 && printable / bytes.length > 0.95;
}

/** Minimum entropy for a candidate of length n (random base62 strings reach about log2(n)). */
export function entropyThreshold(n: number): number {
  return Math.min(4.3, 0.82 * Math.log2(n) + 0.15);
}

export interface EntropyContext {
  /** The key name hints at secret-like content. */
  keyHint: boolean;
  /** The candidate is the whole (trimmed) value. */
  whole: boolean;
}

/** Does this candidate look like a random secret? */
export function looksRandom(s: string, ctx: EntropyContext): boolean {
  const n = s.length;
  if (n < 16 || n > 512) return false;
  if (GUID.test(s)) return false;
  if (/^[0-9]+$/.test(s)) return false;
  if (/^pk_(?:live|test)_/.test(s)) return false; // Stripe publishable keys are public
  if (!B64ISH.test(s)) return false;
  if (HEX.test(s)) {
    // hex digests and ids are everywhere; only a secret-like key makes hex a candidate
    if (!ctx.keyHint || n < 32) return false;
    return shannon(s) >= 3.0 && classChangeRatio(s) >= 0.25;
  }
  const hasDigit = /[0-9]/.test(s);
  const hasUpper = /[A-Z]/.test(s);
  const hasLower = /[a-z]/.test(s);
  const classes = (hasDigit ? 1 : 0) + (hasUpper ? 1 : 0) + (hasLower ? 1 : 0);
  if (classes < 3 && !(ctx.keyHint && classes >= 2 && n >= 24)) return false;
  if (classChangeRatio(s) < (ctx.keyHint ? 0.15 : 0.3)) return false;
  if (shannon(s) < entropyThreshold(n) - (ctx.keyHint ? 0.4 : 0)) return false;
  if (PUBLIC_VALUES.has(s)) return false;
  // dotted identifiers and paths: words between separators
  if (/[./\\]/.test(s)) {
    const segs = s.split(/[./\\]+/).filter(Boolean);
    if (segs.length >= 2 && segs.every((g) => /^[A-Za-z][a-z]+[0-9]{0,4}$|^v?[0-9]+$/.test(g))) return false;
  }
  if (decodesToKnownBinary(s)) return false;
  if (!ctx.keyHint && !ctx.whole && n < 20) return false;
  return true;
}

/** Candidates examined per value (hostile strings may hold hundreds of thousands). */
export const MAX_CANDIDATES = 5000;
const CANDIDATE = /[A-Za-z0-9+/_~.-]{16,}={0,2}/g;
const CONTEXT_WORD =
  /(?:key|token|secret|sig|signature|hmac|salt|apikey|auth|credential|passphrase)\w{0,12}["']?\s*(?:[=:]|=>|is)\s*["']?$/i;
/** Any of CONTEXT_WORD's words anywhere in a text (a cheap necessary condition for it; keep in step). */
export const CONTEXT_WORD_ANYWHERE = /key|token|secret|sig|hmac|salt|auth|credential|passphrase/i;

export interface EntropyHit {
  secret: string;
  start: number;
  end: number;
  entropy: number;
}

/**
 * High-entropy candidates in a value. With a key hint every random candidate counts; without one
 * a candidate counts when it is the whole value or follows a context word (`token=`, `key:`).
 */
export function findHighEntropy(value: string, keyHint: boolean): EntropyHit[] {
  const out: EntropyHit[] = [];
  const trimmed = value.trim();
  if (trimmed.length < 16) return out;
  // type and assembly names: PublicKeyToken=<16 hex> is public; the names are identifiers
  const text = value.includes('PublicKeyToken=')
    ? value.replace(/PublicKeyToken=[0-9a-fA-F]{16}/g, (m) => ' '.repeat(m.length))
    : value;
  CANDIDATE.lastIndex = 0;
  let budget = MAX_CANDIDATES;
  for (let m = CANDIDATE.exec(text); m && budget-- > 0; m = CANDIDATE.exec(text)) {
    let s = m[0];
    let start = m.index;
    // trim leading/trailing punctuation that belongs to the surrounding text
    while (s.length && /[.=_~-]/.test(s[0] as string)) {
      s = s.slice(1);
      start++;
    }
    const keepPad = s.match(/={1,2}$/)?.[0] ?? '';
    s = s.replace(/[._~=-]+$/, '') + (keepPad && /[A-Za-z0-9+/]$/.test(s.replace(/=+$/, '')) ? keepPad : '');
    const whole = s === trimmed;
    const before = text.slice(Math.max(0, start - 40), start);
    const ctxWord = CONTEXT_WORD.test(before);
    if (!keyHint && !whole && !ctxWord) continue;
    if (!looksRandom(s, { keyHint: keyHint || ctxWord, whole })) continue;
    out.push({ secret: s, start, end: start + s.length, entropy: shannon(s) });
  }
  return out;
}
