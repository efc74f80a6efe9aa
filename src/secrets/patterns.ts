/**
 * QA-S02 value patterns: token formats whose shape alone says "credential". Shared by the
 * detectors (detect.ts) and by redact(), which scrubs every match from free text even when the
 * value was never registered. Shapes from payloads-and-secrets.md §F.2 (own regexes).
 */
import type { Severity } from '../model.js';
import { isReferenceLike } from './placeholder.js';

export interface PatternRule {
  /** Detector id reported in SecretHit.detector. */
  id: string;
  /** Human label for messages ("a GitHub token"). */
  label: string;
  severity: Severity;
  /** Substring prefilter: the regex runs only when one is present, at any position. Compared in the
   *  case written here when the regex is case-sensitive (no `i` flag), else in any case. Every match
   *  of the regex must contain one (test/secrets/prefilter.test.ts checks it against all rules run). */
  keywords: string[];
  /** A string every match holds from its keyword on (`@` of URL credentials, `=` of a password): prefilter too. */
  followedBy?: string;
  /** Global regex with indices; capture group 1 is the secret. */
  regex: RegExp;
  /** How many leading characters form a public, documented prefix (ghp, AKI, xox, sk_; Twilio SK):
   *  at most 3 are ever shown. */
  publicPrefix?: 1 | 2 | 3;
  /** Extra validation on the secret and the whole text. */
  validate?: (secret: string, text: string, match: RegExpExecArray) => boolean;
  /** Severity override for one secret (Stripe test keys). */
  severityOf?: (secret: string) => Severity;
  /** The secret is a password (weak check applies). */
  password?: boolean;
}

const b64urlJson = (part: string): unknown => {
  try {
    const text = Buffer.from(part, 'base64url').toString('utf8');
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

function validJwt(secret: string): boolean {
  const [h, p] = secret.split('.');
  if (!h || !p) return false;
  const header = b64urlJson(h);
  if (!header || typeof header !== 'object' || !('alg' in header)) return false;
  const payload = b64urlJson(p);
  return !!payload && typeof payload === 'object';
}

function mixed(s: string): boolean {
  return /[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9]/.test(s);
}

/** Well-known public values that look like credentials (documentation examples, emulators). */
export const PUBLIC_VALUES: ReadonlySet<string> = new Set([
  // Azurite / Azure Storage Emulator well-known account key (documented, public)
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
]);

const CONN_CONTEXT =
  /(?:^|[;\s"'])(?:server|data source|datasource|host|hostname|uid|user id|userid|user|username|database|initial catalog|driver|dsn|provider|address|addr|network address|port|sslmode|trusted_connection|encrypt)\s*=/i;

/** A password value as written in a connection string, unquoted (`"a;b"` → a;b, doubled quotes undone). */
export function passwordValue(raw: string): string {
  let v = raw.trim();
  if (v.length >= 2 && (v.startsWith('"') || v.startsWith("'")) && v.endsWith(v[0] as string)) {
    const q = v[0] as string;
    v = v
      .slice(1, -1)
      .split(q + q)
      .join(q);
  } else if (v.length >= 2 && v.startsWith('{') && v.endsWith('}')) {
    // ODBC braces: Pwd={a;b}}c} → a;b}c
    v = v.slice(1, -1).split('}}').join('}');
  }
  return v;
}

let sasText: string | undefined;
let sasValue = false;
function sasContext(text: string): boolean {
  if (text !== sasText) {
    sasText = text;
    sasValue = /(?:^|[?&;\s])(?:sv|se|sp|sr|spr|ss|srt)=/i.test(text) || /SharedAccessSignature/i.test(text);
  }
  return sasValue;
}

/** The text looks like a connection string (memoised for the text being scanned: hostile input may
 *  hold thousands of `pwd=` candidates, and the context must not be searched once per candidate). */
let ctxText: string | undefined;
let ctxValue = false;
function connContext(text: string): boolean {
  if (text !== ctxText) {
    ctxText = text;
    ctxValue = CONN_CONTEXT.test(text) || /jdbc:|odbc:/i.test(text);
  }
  return ctxValue;
}

let urlText: string | undefined;
let urlValue = false;
function urlContext(text: string): boolean {
  if (text !== urlText) {
    urlText = text;
    urlValue = /:\/\/|jdbc:|odbc:/i.test(text);
  }
  return urlValue;
}

function okPassword(raw: string): boolean {
  const v = passwordValue(raw);
  return v.length > 0 && !isReferenceLike(v);
}

function basicDecodes(secret: string): boolean {
  try {
    const text = Buffer.from(secret, 'base64').toString('utf8');
    const i = text.indexOf(':');
    return i > 0 && i < text.length - 1 && /^[\x20-\x7e]+$/.test(text) && !isReferenceLike(text.slice(i + 1));
  } catch {
    return false;
  }
}

export const PATTERN_RULES: PatternRule[] = [
  {
    id: 'private-key',
    label: 'a private key',
    severity: 'critical',
    keywords: ['PRIVATE KEY'],
    regex:
      /(-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]{16,}?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|$))/dg,
    validate: (s) => /[A-Za-z0-9+/]{16}/.test(s.replace(/-----[^-]+-----/g, '')),
  },
  {
    id: 'private-key',
    label: 'a PuTTY private key',
    severity: 'critical',
    keywords: ['PuTTY-User-Key-File-'],
    // always succeeds once the header matched (up to Private-MAC, at most 8 KiB): linear on hostile input
    regex: /(PuTTY-User-Key-File-[23]:(?:(?!Private-MAC:)[\s\S]){0,8192}(?:Private-MAC:[ \t]*[0-9a-fA-F]+)?)/dg,
    validate: (s) => s.includes('Private-Lines:'),
  },
  {
    id: 'aws-access-key-id',
    label: 'an AWS access key id',
    severity: 'critical',
    keywords: ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
    regex: /(?<![A-Za-z0-9])((?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})(?![A-Za-z0-9])/dg,
    publicPrefix: 3,
    validate: (s) => !s.endsWith('EXAMPLE'),
  },
  {
    id: 'aws-secret-access-key',
    label: 'an AWS secret access key',
    severity: 'critical',
    keywords: ['aws', 'secretaccesskey', 'secret_access_key', 'secretaccess_key', 'secret_accesskey'],
    regex:
      /(?:aws|secret_?access_?key)[\w.-]{0,30}?(?:secret|key)[\w.-]{0,20}?["']?\s{0,8}(?:[=:]|=>|,)\s{0,8}["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/dgi,
    validate: (s) => mixed(s) && !s.endsWith('EXAMPLEKEY'),
  },
  {
    id: 'github-token',
    label: 'a GitHub token',
    severity: 'high',
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    regex: /(?<![A-Za-z0-9_])((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36})(?![A-Za-z0-9])/dg,
    publicPrefix: 3,
  },
  {
    id: 'github-token',
    label: 'a GitHub fine-grained token',
    severity: 'high',
    keywords: ['github_pat_'],
    regex: /(?<![A-Za-z0-9_])(github_pat_[A-Za-z0-9_]{60,255})(?![A-Za-z0-9_])/dg,
    publicPrefix: 3,
  },
  {
    id: 'gitlab-token',
    label: 'a GitLab token',
    severity: 'high',
    keywords: ['glpat-'],
    regex: /(?<![A-Za-z0-9_-])(glpat-[A-Za-z0-9_-]{20,100})(?![A-Za-z0-9_-])/dg,
    publicPrefix: 3,
  },
  {
    id: 'slack-token',
    label: 'a Slack token',
    severity: 'high',
    keywords: ['xox', 'xapp-'],
    regex: /(?<![A-Za-z0-9_-])((?:xox[abposre]|xoxe\.xox[bp]|xapp)-[A-Za-z0-9-]{10,250})(?![A-Za-z0-9_-])/dg,
    publicPrefix: 3,
    validate: (s) => /[0-9]/.test(s) && s.length >= 20,
  },
  {
    id: 'slack-webhook',
    label: 'a Slack webhook URL',
    severity: 'high',
    keywords: ['hooks.slack.com'],
    regex: /(https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/_-]{20,200})/dg,
  },
  {
    id: 'stripe-key',
    label: 'a Stripe secret key',
    severity: 'high',
    keywords: ['sk_live_', 'rk_live_', 'sk_test_', 'rk_test_', 'sk_prod_', 'rk_prod_'],
    regex: /(?<![A-Za-z0-9_])((?:sk|rk)_(?:live|test|prod)_[A-Za-z0-9]{10,247})(?![A-Za-z0-9])/dg,
    publicPrefix: 3,
    severityOf: (s) => (s.includes('_test_') ? 'medium' : 'high'),
  },
  {
    id: 'google-api-key',
    label: 'a Google API key',
    severity: 'high',
    keywords: ['AIza'],
    regex: /(?<![A-Za-z0-9_-])(AIza[A-Za-z0-9_-]{35})(?![A-Za-z0-9_-])/dg,
    publicPrefix: 3,
  },
  {
    id: 'azure-storage-key',
    label: 'an Azure storage/shared access key',
    severity: 'critical',
    keywords: ['accountkey', 'sharedaccesskey'],
    followedBy: '=',
    regex: /(?:AccountKey|SharedAccessKey)\s*=\s*([A-Za-z0-9+/]{20,200}={0,2})/dgi,
    validate: (s) => !PUBLIC_VALUES.has(s),
  },
  {
    id: 'azure-sas',
    label: 'an Azure SAS signature',
    severity: 'critical',
    keywords: ['sig='],
    regex: /[?&;\s]sig=([A-Za-z0-9%+/=]{20,300})/dgi,
    validate: (_s, text) => sasContext(text),
  },
  {
    id: 'sendgrid-key',
    label: 'a SendGrid API key',
    severity: 'high',
    keywords: ['SG.'],
    regex: /(?<![A-Za-z0-9_-])(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/dg,
    publicPrefix: 3,
  },
  {
    id: 'twilio',
    label: 'a Twilio API key',
    severity: 'high',
    keywords: ['SK'],
    regex: /(?<![A-Za-z0-9])(SK[0-9a-fA-F]{32})(?![A-Za-z0-9])/dg,
    publicPrefix: 2,
    validate: (s) => /[a-fA-F]/.test(s.slice(2)) && /[0-9]/.test(s.slice(2)),
  },
  {
    id: 'twilio',
    label: 'a Twilio auth token',
    severity: 'high',
    keywords: ['AC'],
    regex:
      /(?<![A-Za-z0-9])AC[0-9a-fA-F]{32}(?![A-Za-z0-9])[^\r\n]{1,40}?(?<![A-Za-z0-9])([0-9a-fA-F]{32})(?![A-Za-z0-9])/dg,
  },
  {
    id: 'npm-token',
    label: 'an npm token',
    severity: 'high',
    keywords: ['npm_'],
    regex: /(?<![A-Za-z0-9_])(npm_[A-Za-z0-9]{36})(?![A-Za-z0-9])/dg,
    publicPrefix: 3,
  },
  {
    id: 'jwt',
    label: 'a JSON Web Token',
    severity: 'high',
    keywords: ['eyJ'],
    regex: /(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*)/dg,
    publicPrefix: 3,
    validate: (s) => validJwt(s),
  },
  {
    id: 'url-credentials',
    label: 'a password in a URL',
    severity: 'high',
    keywords: ['://'],
    followedBy: '@',
    regex: /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,30}:\/\/[^\s:/?#@"'<>]*:([^\s/?#@"'<>]+)@[^\s/?#@"'<>]/dg,
    validate: (s) => {
      let v = s;
      try {
        v = decodeURIComponent(s);
      } catch {
        // keep raw
      }
      return v.length > 0 && !isReferenceLike(v);
    },
    password: true,
  },
  {
    id: 'connection-string-password',
    label: 'a connection-string password',
    severity: 'high',
    keywords: ['password', 'pwd'],
    followedBy: '=',
    regex:
      /(?:^|[;\s"'{])(?:password|pwd)\s{0,8}=\s{0,8}("(?:[^"]|""){0,256}"|'(?:[^']|''){0,256}'|\{(?:[^}]|\}\}){0,256}\}|[^;\r\n"']{0,255}[^;\r\n"'\s])/dgi,
    validate: (s, text) => okPassword(s) && connContext(text),
    password: true,
  },
  {
    id: 'connection-string-password',
    label: 'a connection-string password',
    severity: 'high',
    keywords: ['password', 'pwd', 'pass='],
    followedBy: '=',
    regex: /[?&;](?:password|pwd|pass)=([^&\s;#"']{1,256})/dgi,
    validate: (s, text) => okPassword(s) && urlContext(text),
    password: true,
  },
  {
    id: 'connection-string-password',
    label: 'a JDBC password',
    severity: 'high',
    keywords: ['jdbc:oracle'],
    regex: /jdbc:oracle:(?:thin|oci):[^/\s@:]{1,128}\/([^@\s]{1,256})@/dgi,
    validate: (s) => okPassword(s),
    password: true,
  },
  {
    id: 'basic-auth',
    label: 'HTTP basic-auth credentials',
    severity: 'high',
    keywords: ['basic'],
    regex: /\bBasic\s{1,8}([A-Za-z0-9+/]{6,1024}={0,2})(?![A-Za-z0-9+/=])/dgi,
    validate: (s) => basicDecodes(s),
  },
  {
    id: 'bearer-token',
    label: 'an HTTP bearer token',
    severity: 'high',
    keywords: ['bearer'],
    regex: /\bBearer\s{1,8}([A-Za-z0-9._~+/-]{16,4096}={0,2})/dgi,
    validate: (s) => /[0-9]/.test(s) && /[A-Za-z]/.test(s) && !isReferenceLike(s),
  },
];

/** Rule ids, in precedence order (first wins when two rules match the same span). */
export const PATTERN_IDS: string[] = [...new Set(PATTERN_RULES.map((r) => r.id))];

export interface PatternMatch {
  rule: PatternRule;
  secret: string;
  /** Offsets of the secret in the text. */
  start: number;
  end: number;
}

/** Index of the first span whose end is > pos (spans are sorted and disjoint). */
function firstEndingAfter(spans: number[], pos: number): number {
  let lo = 0;
  let hi = spans.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((spans[mid * 2 + 1] as number) > pos) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
function overlaps(spans: number[], start: number, end: number): boolean {
  const i = firstEndingAfter(spans, start);
  return i * 2 < spans.length && (spans[i * 2] as number) < end;
}
function insertSpan(spans: number[], start: number, end: number): void {
  const i = firstEndingAfter(spans, start);
  spans.splice(i * 2, 0, start, end);
}

const escapeRe = (k: string) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A keyword of one rule, as the prefilter tests it where a keyword starts. */
interface KeywordUse {
  rule: number;
  /** The keyword: as written when `exact` (its rule's regex is case-sensitive), else in lower case. */
  keyword: string;
  /** Compared as written; else in any ASCII case (the `i` flag without `u` folds ASCII letters only). */
  exact: boolean;
  /** Index in FOLLOWED_BY of what every match holds from the keyword on, or -1. */
  followedBy: number;
}

/** The distinct `followedBy` strings. */
const FOLLOWED_BY: string[] = [
  ...new Set(PATTERN_RULES.flatMap((r) => (r.followedBy !== undefined ? [r.followedBy] : []))),
];

/** Key of two UTF-16 units of the text, both ASCII (every keyword is ASCII: checked below). */
const pairKey = (c0: number, c1: number) => (c0 << 7) | c1;
/** The cases of an ASCII character the `i` flag matches (a letter in both cases, anything else as is). */
const casesOf = (c: number): number[] =>
  (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ? [c | 0x20, c & ~0x20] : [c];

/** The keyword uses filed under the two units a keyword starts with, as they may stand in the text: an
 *  exact keyword under its own two, an any-case one under every case of them. Most positions of a text
 *  end at the PAIR test. */
const PAIR_USES: KeywordUse[][] = [];
const PAIR = new Uint8Array(128 * 128);
/** Per pair group g, at g * THIRD_STRIDE + c: 1 when a keyword of the group may go on with unit c (c < 128;
 *  128 stands for the end of the text and every unit outside ASCII, which only a two-unit keyword allows). */
const THIRD_STRIDE = 129;
const THIRD = new Uint8Array(256 * THIRD_STRIDE);
PATTERN_RULES.forEach((r, rule) => {
  const exact = !r.regex.flags.includes('i');
  for (const k of r.keywords) {
    if (k.length < 2 || !/^[\x20-\x7e]+$/.test(k)) throw new Error(`pattern keyword ${k}: need 2+ ASCII characters`);
    const use: KeywordUse = {
      rule,
      keyword: exact ? k : k.toLowerCase(),
      exact,
      followedBy: r.followedBy === undefined ? -1 : FOLLOWED_BY.indexOf(r.followedBy),
    };
    const firsts = exact ? [k.charCodeAt(0)] : casesOf(k.charCodeAt(0));
    const seconds = exact ? [k.charCodeAt(1)] : casesOf(k.charCodeAt(1));
    for (const c0 of firsts)
      for (const c1 of seconds) {
        const p = pairKey(c0, c1);
        if (PAIR[p] === 0) {
          if (PAIR_USES.length === 255) throw new Error('more than 255 keyword pairs');
          PAIR[p] = PAIR_USES.length + 1;
          PAIR_USES.push([]);
        }
        const g = PAIR[p] as number;
        (PAIR_USES[g - 1] as KeywordUse[]).push(use);
        // the units that may follow the pair: the keyword's third in the cases it needs, or any (a
        // two-unit keyword)
        if (k.length === 2) THIRD.fill(1, g * THIRD_STRIDE, (g + 1) * THIRD_STRIDE);
        else for (const c2 of exact ? [k.charCodeAt(2)] : casesOf(k.charCodeAt(2))) THIRD[g * THIRD_STRIDE + c2] = 1;
      }
  }
});

/** Whether keyword `u` stands at `at` of text, in the case it needs (its first two units are known to). */
function keywordAt(text: string, at: number, u: KeywordUse): boolean {
  const k = u.keyword;
  const n = k.length;
  if (at + n > text.length) return false;
  // compared unit by unit, inlined (no builtin call per candidate)
  if (u.exact) {
    for (let j = 2; j < n; j++) if (text.charCodeAt(at + j) !== k.charCodeAt(j)) return false;
    return true;
  }
  for (let j = 2; j < n; j++) {
    let c = text.charCodeAt(at + j);
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    if (c !== k.charCodeAt(j)) return false;
  }
  return true;
}

/** Rules selected by the current (or last) selection (reused: selection and matching are not reentrant). */
const WANTED = new Uint8Array(PATTERN_RULES.length);
/** Whether the current selection has selected a rule (WANTED is cleared when the first one is). */
let anySelected = false;
/** Whether LAST_SEEN belongs to the current selection's text. */
let searched = false;
/** Where each FOLLOWED_BY string last occurs in the text being selected for, -2 until searched (one search
 *  per string and text: a search per keyword hit was quadratic on hostile text full of keywords). */
const LAST_SEEN = new Int32Array(FOLLOWED_BY.length);

/**
 * The building blocks of a selection, for a caller that scans the text's units anyway (detect.ts): call
 * beginSelection(), then selectAt(text, at, g) at every position where KEYWORD_PAIRS[(c0 << 7) | c1] = g
 * is not 0 for the unit at `at` and the next (both ASCII), then endSelection(). selectPatternRules() is
 * that loop on its own.
 */
export const KEYWORD_PAIRS: Readonly<Uint8Array> = PAIR;

/** Every keyword in the cases the pre-filter looks for, as two regexes (the case-sensitive rules' keywords
 *  as written, the others in any case): one of them matching is necessary for any selection. */
const keywordsOf = (caseSensitive: boolean, flags: string) =>
  new RegExp(
    [...new Set(PATTERN_RULES.filter((r) => r.regex.flags.includes('i') !== caseSensitive).flatMap((r) => r.keywords))]
      .map(escapeRe)
      .join('|') || '(?!)',
    flags,
  );
const EXACT_KEYWORD = keywordsOf(true, '');
const ANY_CASE_KEYWORD = keywordsOf(false, 'i');
/** Text length from which mayHoldKeyword() asks those regexes. */
const ANY_KEYWORD_MIN = 256;

/** False when a long text holds no keyword in a case its rule needs, by the regex engine's test: native, it
 *  clears keyword-free (or hostile, keyword-dense but keyword-free) text several times faster than the scan
 *  of pairs starts up; true for every short text (the scan is cheaper there). */
export function mayHoldKeyword(text: string): boolean {
  return text.length <= ANY_KEYWORD_MIN || EXACT_KEYWORD.test(text) || ANY_CASE_KEYWORD.test(text);
}

/** Starts a selection (see KEYWORD_PAIRS). */
export function beginSelection(): void {
  anySelected = false;
  searched = false;
}

/** Selects the rules of the keywords filed under pair group `g` that stand at `at` of text in the case
 *  their regex needs and whose `followedBy`, if any, occurs at or after `at`. */
export function selectAt(text: string, at: number, g: number): void {
  const next = at + 2 < text.length ? text.charCodeAt(at + 2) : 128;
  if (THIRD[g * THIRD_STRIDE + Math.min(next, 128)] === 0) return;
  const wanted = WANTED;
  for (const u of PAIR_USES[g - 1] as KeywordUse[]) {
    if (anySelected && wanted[u.rule] !== 0) continue;
    if (!keywordAt(text, at, u)) continue;
    if (u.followedBy >= 0) {
      if (!searched) {
        LAST_SEEN.fill(-2);
        searched = true;
      }
      let last = LAST_SEEN[u.followedBy] as number;
      if (last === -2) {
        last = text.lastIndexOf(FOLLOWED_BY[u.followedBy] as string);
        LAST_SEEN[u.followedBy] = last;
      }
      if (last < at) continue;
    }
    if (!anySelected) {
      wanted.fill(0);
      anySelected = true;
    }
    wanted[u.rule] = 1;
  }
}

/** Ends a selection: whether any rule was selected (then matchSelectedPatterns() runs only those). */
export function endSelection(): boolean {
  return anySelected;
}

/**
 * The combined pattern prefilter: one pass over the text's units; where two of them start some keyword
 * (one table test), that keyword is compared, so every keyword at every position is seen, overlapping ones
 * included (ACCAccountKey holds ACCA and AccountKey). A rule is selected when one of its keywords starts
 * somewhere in the case its regex needs (ASCII letters in any case for an `i` regex), and its
 * `followedBy`, if any, occurs at or after that position. Returns whether any rule was selected; after
 * true, matchSelectedPatterns() runs only those. Allocates nothing.
 */
export function selectPatternRules(text: string): boolean {
  beginSelection();
  // long texts (reports through redact()) first get the regex engine's test for any keyword: native, it
  // clears keyword-free text several times faster than this loop starts up
  if (!mayHoldKeyword(text)) return endSelection();
  const n = text.length - 1;
  let c1 = n >= 0 ? text.charCodeAt(0) : 0;
  for (let at = 0; at < n; at++) {
    const c0 = c1;
    c1 = text.charCodeAt(at + 1);
    if ((c0 | c1) >= 128) continue;
    const g = PAIR[pairKey(c0, c1)] as number;
    if (g !== 0) selectAt(text, at, g);
  }
  return endSelection();
}

/** The indexes in PATTERN_RULES of the rules the last selection selected (tests). */
export function selectedPatternRules(): number[] {
  const out: number[] = [];
  if (!anySelected) return out;
  WANTED.forEach((w, i) => {
    if (w) out.push(i);
  });
  return out;
}

/** True when some pattern rule may match the text (else matchPatterns finds nothing). */
export function hasPatternKeyword(text: string): boolean {
  return selectPatternRules(text);
}

/** All pattern matches in text; overlapping matches keep the earlier rule. `allRules`: every rule's regex
 *  runs, whatever keywords the text holds (the unfiltered reference of the tests). */
export function matchPatterns(text: string, allRules = false): PatternMatch[] {
  if (allRules) {
    WANTED.fill(1);
    anySelected = true;
  } else if (!selectPatternRules(text)) return [];
  return matchSelectedPatterns(text);
}

/** The matches of the rules the last selectPatternRules(text) call selected, for the same text. */
export function matchSelectedPatterns(text: string): PatternMatch[] {
  const wanted = WANTED;
  const out: PatternMatch[] = [];
  const spans: number[] = []; // sorted, non-overlapping [start, end) pairs, flattened
  PATTERN_RULES.forEach((rule, i) => {
    if (!wanted[i]) return;
    rule.regex.lastIndex = 0;
    for (let m = rule.regex.exec(text); m; m = rule.regex.exec(text)) {
      if (m[0].length === 0) rule.regex.lastIndex++;
      const secret = m[1];
      const idx = m.indices?.[1];
      if (secret === undefined || !idx) continue;
      if (rule.validate && !rule.validate(secret, text, m)) continue;
      const [start, end] = idx;
      if (overlaps(spans, start, end)) continue;
      insertSpan(spans, start, end);
      out.push({ rule, secret, start, end });
    }
  });
  return out;
}
