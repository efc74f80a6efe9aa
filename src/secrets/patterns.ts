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
  /** Cheap case-insensitive substring prefilter: the regex runs only when one is present. */
  keywords: string[];
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
    keywords: ['private key'],
    regex:
      /(-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]{16,}?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|$))/dg,
    validate: (s) => /[A-Za-z0-9+/]{16}/.test(s.replace(/-----[^-]+-----/g, '')),
  },
  {
    id: 'private-key',
    label: 'a PuTTY private key',
    severity: 'critical',
    keywords: ['putty-user-key-file'],
    // always succeeds once the header matched (up to Private-MAC, at most 8 KiB): linear on hostile input
    regex: /(PuTTY-User-Key-File-[23]:(?:(?!Private-MAC:)[\s\S]){0,8192}(?:Private-MAC:[ \t]*[0-9a-fA-F]+)?)/dg,
    validate: (s) => s.includes('Private-Lines:'),
  },
  {
    id: 'aws-access-key-id',
    label: 'an AWS access key id',
    severity: 'critical',
    keywords: ['akia', 'asia', 'abia', 'acca'],
    regex: /(?<![A-Za-z0-9])((?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})(?![A-Za-z0-9])/dg,
    publicPrefix: 3,
    validate: (s) => !s.endsWith('EXAMPLE'),
  },
  {
    id: 'aws-secret-access-key',
    label: 'an AWS secret access key',
    severity: 'critical',
    keywords: ['aws', 'secretaccesskey', 'secret_access_key'],
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
    keywords: ['aiza'],
    regex: /(?<![A-Za-z0-9_-])(AIza[A-Za-z0-9_-]{35})(?![A-Za-z0-9_-])/dg,
    publicPrefix: 3,
  },
  {
    id: 'azure-storage-key',
    label: 'an Azure storage/shared access key',
    severity: 'critical',
    keywords: ['accountkey', 'sharedaccesskey'],
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
    keywords: ['sg.'],
    regex: /(?<![A-Za-z0-9_-])(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/dg,
    publicPrefix: 3,
  },
  {
    id: 'twilio',
    label: 'a Twilio API key',
    severity: 'high',
    keywords: ['sk'],
    regex: /(?<![A-Za-z0-9])(SK[0-9a-fA-F]{32})(?![A-Za-z0-9])/dg,
    publicPrefix: 2,
    validate: (s) => /[a-fA-F]/.test(s.slice(2)) && /[0-9]/.test(s.slice(2)),
  },
  {
    id: 'twilio',
    label: 'a Twilio auth token',
    severity: 'high',
    keywords: ['ac'],
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
    keywords: ['eyj'],
    regex: /(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*)/dg,
    publicPrefix: 3,
    validate: (s) => validJwt(s),
  },
  {
    id: 'url-credentials',
    label: 'a password in a URL',
    severity: 'high',
    keywords: ['://'],
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
/** One case-insensitive pass finds every keyword; only rules whose keyword occurs run their regex. */
const KEYWORD_RULES = new Map<string, number[]>();
PATTERN_RULES.forEach((r, i) => {
  for (const k of r.keywords) {
    const list = KEYWORD_RULES.get(k) ?? [];
    list.push(i);
    KEYWORD_RULES.set(k, list);
  }
});
const KEYWORD_RE = new RegExp(
  [...KEYWORD_RULES.keys()]
    .sort((a, b) => b.length - a.length)
    .map(escapeRe)
    .join('|'),
  'gi',
);

const KEYWORD_TEST = new RegExp(KEYWORD_RE.source, 'i');
/** Keyword (lower case) → the rules it and the keywords inside it select (computed once per keyword). */
const KEYWORD_CLOSURE = new Map<string, number[]>();

/** True when the text holds a keyword of some pattern rule (else matchPatterns finds nothing). */
export function hasPatternKeyword(text: string): boolean {
  return KEYWORD_TEST.test(text);
}

/** All pattern matches in text; overlapping matches keep the earlier rule. */
/** Rules wanted by the keywords of the current text (reused: matchPatterns is not reentrant). */
const WANTED = new Uint8Array(PATTERN_RULES.length);

export function matchPatterns(text: string): PatternMatch[] {
  const wanted = WANTED;
  wanted.fill(0);
  let any = false;
  KEYWORD_RE.lastIndex = 0;
  for (let k = KEYWORD_RE.exec(text); k; k = KEYWORD_RE.exec(text)) {
    // overlapping keywords (sk inside sk_live_) are covered: shorter keywords are listed separately
    const kw = k[0].toLowerCase();
    let rules = KEYWORD_CLOSURE.get(kw);
    if (!rules) {
      rules = [];
      for (const [key, list] of KEYWORD_RULES) if (kw === key || kw.includes(key)) rules.push(...list);
      if (KEYWORD_CLOSURE.size < 1000) KEYWORD_CLOSURE.set(kw, rules);
    }
    for (const i of rules) wanted[i] = 1;
    any = true;
  }
  const out: PatternMatch[] = [];
  if (!any) return out;
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
