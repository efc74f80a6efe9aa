/**
 * The combined pre-filter of detectSecrets() (one character scan plus one keyword test, then only the
 * pattern rules whose keywords occur) must find exactly what the detectors find without it — every
 * pattern rule's regex run on every value, every value given to every detector
 * (detectSecretsUnfiltered). Compared on random strings built from the pieces the filter looks at
 * (keywords in every case, token runs of each character mix, context words, separators, `@`, `=`,
 * `://`), on the labeled corpus as it is, and on the corpus mutated (characters inserted, deleted,
 * replaced, case flipped, spliced into other values, under other keys).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectSecrets, detectSecretsUnfiltered, type SecretHit, type SecretInput } from '../../src/secrets/detect.js';
import { PATTERN_RULES, selectedPatternRules, selectPatternRules } from '../../src/secrets/patterns.js';
import { loadCorpus, loadHeldout } from './corpus/load.js';

const RUNS = Number(process.env.QRTZ_PROP_RUNS ?? 500);

/** A hit as a comparable record, the raw value included. */
const view = (hits: SecretHit[]) =>
  hits.map((h) => ({
    check: h.check,
    detector: h.detector,
    label: h.label,
    severity: h.severity,
    path: h.path,
    length: h.length,
    fingerprint: h.fingerprint,
    weak: h.weak,
    publicPrefix: h.publicPrefix,
    secret: h.secretValue,
  }));

/** Values compared, and how many of them hit (the generators must reach the detectors). */
const seen = { values: 0, hits: 0 };
function same(input: SecretInput): void {
  seen.values++;
  if (detectSecretsUnfiltered(input).length) seen.hits++;
  expect(view(detectSecrets(input)), JSON.stringify(input).slice(0, 400)).toEqual(view(detectSecretsUnfiltered(input)));
}

const keywords = [...new Set(PATTERN_RULES.flatMap((r) => r.keywords))];
/** Makes a value longer than the length from which the pre-filter first asks the regex engine whether any
 *  keyword occurs (256): words and separators that hold no keyword. */
const LONG_FILLER = ' lorem ipsum, dolor; '.repeat(14);
const caseOf = (s: string, mode: number) =>
  mode === 0
    ? s
    : mode === 1
      ? s.toLowerCase()
      : mode === 2
        ? s.toUpperCase()
        : s.replace(/./g, (c, i) => (i % 2 ? c.toUpperCase() : c.toLowerCase()));

const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const runOf = (alphabet: string) =>
  fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 48 }).map((a) => a.join(''));
const piece = fc.oneof(
  fc.tuple(fc.constantFrom(...keywords), fc.integer({ min: 0, max: 3 })).map(([k, m]) => caseOf(k, m)),
  runOf(alnum),
  runOf(`${alnum}+/_-.~=`),
  runOf('0123456789abcdef'),
  runOf('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'),
  runOf('abcdefghijklmnopqrstuvwxyz'),
  runOf('0123456789'),
  fc.constantFrom('key', 'token', 'Secret', 'sig', 'HMAC', 'salt', 'auth', 'credential', 'passphrase', 'is', 'apiKey'),
  fc.constantFrom(
    ' ',
    '=',
    ' = ',
    ':',
    ': ',
    ';',
    '@',
    '://',
    '/',
    '?',
    '&',
    '"',
    "'",
    '\n',
    '{',
    '}',
    '==',
    ',',
    '=>',
  ),
  fc.constantFrom('https://', 'Server=db;', 'User Id=sa;', 'jdbc:', 'odbc:', 'sv=2020&', 'AC', 'SK', 'PublicKeyToken='),
  fc.string({ maxLength: 6, unit: 'binary' }),
);
const text = fc.array(piece, { maxLength: 14 }).map((a) => a.join(''));
const keyName = fc.constantFrom(
  undefined,
  '',
  'password',
  'smtpPassword',
  'apiKey',
  'signingKey',
  'aws',
  'awsSecretAccessKey',
  'twilio',
  'twilioAuthToken',
  'tenantId',
  'cacheKey',
  'endpoint',
  'connectionString',
  'description',
  'hmacSalt',
  'public_key',
);

describe('secret pre-filter', () => {
  it('random values from keywords, runs and separators: the same hits as the unfiltered detectors', () => {
    fc.assert(
      fc.property(
        text,
        keyName,
        fc.constantFrom(['aws'], ['twilio'], ['settings'], []),
        fc.constantFrom('', LONG_FILLER),
        (v, key, parents, filler) => {
          // with the filler the value is long: the pre-filter asks the regex engine for any keyword first
          const value = filler ? `${filler}${v}${filler}` : v;
          const path = [...parents, key || 'value'];
          same(key === undefined ? { path, value } : { path, key, value });
        },
      ),
      { numRuns: RUNS * 4 },
    );
    // a generator that never reaches a detector would compare nothing: at least 10% of the values hit
    expect(seen.hits / seen.values).toBeGreaterThan(0.1);
  });

  it('whole-value tokens of 32 and 40 characters under AWS / Twilio keys, benign ones included: the same hits', () => {
    const exact = (n: number) =>
      fc
        .constantFrom(alnum, `${alnum}+/`, '0123456789', '0123456789abcdef', 'ABCDEF0123456789')
        .chain((a) => fc.array(fc.constantFrom(...a), { minLength: n, maxLength: n }).map((x) => x.join('')));
    fc.assert(
      fc.property(
        fc.oneof(exact(32), exact(40)),
        fc.constantFrom('awsKeyId', 'aws_secret', 'twilioSid', 'twilio_token_name', 'secret', 'value', 'id'),
        fc.constantFrom(['aws'], ['twilio'], []),
        fc.constantFrom('', ' ', '\n'),
        (value, key, parents, pad) => same({ path: [...parents, key], value: `${pad}${value}${pad}` }),
      ),
      { numRuns: RUNS },
    );
  });

  const { positives, negatives } = loadCorpus();
  const corpus = [...positives, ...negatives, ...loadHeldout()];
  const asInput = (it: (typeof corpus)[number], value = it.value): SecretInput =>
    it.key === undefined ? { path: it.path, value } : { path: it.path, key: it.key, value };

  it('the labeled corpus as it is: the same hits', () => {
    for (const it of corpus) same(asInput(it));
  });

  it('the corpus mutated: the same hits', () => {
    const mutation = fc.oneof(
      fc.tuple(fc.constant('insert'), fc.nat(), fc.oneof(piece, fc.string({ maxLength: 3 }))),
      fc.tuple(fc.constant('delete'), fc.nat(), fc.integer({ min: 1, max: 6 })),
      fc.tuple(fc.constant('replace'), fc.nat(), fc.string({ minLength: 1, maxLength: 2 })),
      fc.tuple(fc.constant('case'), fc.nat(), fc.integer({ min: 1, max: 8 })),
    );
    fc.assert(
      fc.property(
        fc.nat(corpus.length - 1),
        fc.nat(corpus.length - 1),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (i, j, muts, splice) => {
          const it = corpus[i] as (typeof corpus)[number];
          let v = splice ? `${it.value} ${(corpus[j] as (typeof corpus)[number]).value}` : it.value;
          for (const [op, at0, arg] of muts) {
            const at = v.length ? at0 % v.length : 0;
            if (op === 'insert') v = v.slice(0, at) + String(arg) + v.slice(at);
            else if (op === 'delete') v = v.slice(0, at) + v.slice(at + Number(arg));
            else if (op === 'replace') v = v.slice(0, at) + String(arg) + v.slice(at + String(arg).length);
            else {
              const part = v.slice(at, at + Number(arg));
              const flipped = part === part.toUpperCase() ? part.toLowerCase() : part.toUpperCase();
              v = v.slice(0, at) + flipped + v.slice(at + Number(arg));
            }
          }
          same(asInput(it, v));
          same({ path: (corpus[j] as (typeof corpus)[number]).path, value: v });
          same({ path: ['DESCRIPTION'], key: '', value: v });
        },
      ),
      { numRuns: RUNS * 4 },
    );
  });

  it('key paths whose last elements are not strings (numbers from a decoder) are read as before, without throwing', () => {
    // keyOfPath() skips list indexes; a number is one (it used to go through the regex as text)
    for (const path of [[7], ['smtp', 0], ['x', 12]] as unknown as string[][]) {
      expect(detectSecrets({ path, value: 'plain words' })).toEqual([]);
      same({ path, key: '', value: `token=${'Ab1x'.repeat(6)}` });
    }
  });

  it('keywords that overlap are all seen (a keyword hidden inside the previous one still selects its rule)', () => {
    // ACCA (AWS key id prefix) overlaps AccountKey: only an overlap-aware keyword pass runs the Azure rule
    const value = `ACCAccountKey=${'Ab1'.repeat(10)}xyz`;
    same({ path: ['cfg'], value });
    expect(detectSecrets({ path: ['cfg'], value }).map((h) => h.detector)).toEqual(['azure-storage-key']);
    // secret_accesskey is one of the regex's spellings, and no other keyword is in this value
    const aws = `secret_accesskey.key = ${'Ab1/'.repeat(10)}`;
    same({ path: ['cfg'], value: aws });
    expect(detectSecrets({ path: ['cfg'], value: aws }).map((h) => h.detector)).toEqual(['aws-secret-access-key']);
  });
});

/** The rules the keyword selection must choose, by its definition, with the regex engine's own case
 *  folding: a rule is selected when one of its keywords occurs somewhere (overlaps included) in the case
 *  the rule's regex needs (its `i` flag, without `u`), with its `followedBy` at or after that position. */
function selectionSpec(text: string): number[] {
  const out: number[] = [];
  PATTERN_RULES.forEach((r, i) => {
    const flags = r.regex.flags.includes('i') ? 'gi' : 'g';
    for (const k of r.keywords) {
      const re = new RegExp(k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), flags);
      for (let m = re.exec(text); m; re.lastIndex = m.index + 1, m = re.exec(text)) {
        if (r.followedBy === undefined || text.lastIndexOf(r.followedBy) >= m.index) {
          out.push(i);
          return;
        }
      }
    }
  });
  return out;
}

describe('pattern keyword selection (one scan and a table of keyword starts)', () => {
  const select = (text: string) => (selectPatternRules(text) ? selectedPatternRules() : []);
  // keywords cut anywhere, in every case, next to each other and to look-alikes outside ASCII that the
  // `i` flag does not fold to ASCII (ſ long s, K Kelvin sign, İ ı dotted/dotless i)
  const cut = fc
    .tuple(fc.constantFrom(...keywords), fc.integer({ min: 0, max: 3 }), fc.nat(), fc.nat())
    .map(([k, m, a, b]) => {
      const c = caseOf(k, m);
      return a % 3 === 0 ? c.slice(b % c.length) : a % 3 === 1 ? c.slice(0, 1 + (b % c.length)) : c;
    });
  const part = fc.oneof(
    { weight: 4, arbitrary: cut },
    fc.constantFrom('=', '@', ' ', '://', ':', '/', '_', '-', '.', 'ſ', '\u212a', 'İ', 'ı', 'é', '\u0000'),
    fc.string({ maxLength: 4, unit: 'binary' }),
    fc.string({ maxLength: 4 }),
  );
  const texts = fc.array(part, { maxLength: 12 }).map((a) => a.join(''));

  it('selects exactly the rules of its definition on random texts built from keywords and their pieces', () => {
    let selectedSome = 0;
    fc.assert(
      fc.property(texts, fc.constantFrom('', LONG_FILLER), (s, filler) => {
        // with the filler the text is long: the selection asks the regex engine for any keyword first
        const t = filler ? `${s}${filler}${s}` : s;
        const want = selectionSpec(t);
        if (want.length) selectedSome++;
        expect(select(t), JSON.stringify(t)).toEqual(want);
      }),
      { numRuns: RUNS * 8 },
    );
    expect(selectedSome).toBeGreaterThan(RUNS);
  });

  it('selects exactly the rules of its definition on the corpus values', () => {
    for (const it of [...loadCorpus().positives, ...loadCorpus().negatives, ...loadHeldout()])
      expect(select(it.value), it.id).toEqual(selectionSpec(it.value));
  });

  it('finds keywords at both ends, overlapping, in the case the regex needs, and not through non-ASCII look-alikes', () => {
    const id = (ruleId: string, label?: string) =>
      PATTERN_RULES.findIndex((r) => r.id === ruleId && (label === undefined || r.label === label));
    expect(select('')).toEqual([]);
    expect(select('S')).toEqual([]);
    expect(select('SK')).toEqual([id('twilio', 'a Twilio API key')]);
    expect(select('sk')).toEqual([]); // the Twilio regex is case-sensitive
    expect(select('xAC')).toEqual([id('twilio', 'a Twilio auth token')]);
    expect(select('ACCAccountKey=')).toEqual(
      [id('aws-access-key-id'), id('azure-storage-key'), id('twilio', 'a Twilio auth token')].sort((a, b) => a - b),
    );
    expect(select('PASSWORD=x')).toContain(id('connection-string-password'));
    expect(select('=PASSWORD')).toEqual([]); // followedBy: the = must come at or after the keyword
    expect(select('pa\u017fsword=x')).toEqual([]); // ſ is not s without the u flag
    expect(select('accountkey'.replace('k', '\u212a'))).toEqual([]); // nor the Kelvin sign k
    expect(selectionSpec('pa\u017fsword=x')).toEqual([]);
  });
});
