import { beforeEach, describe, expect, it } from 'vitest';
import {
  clearRegisteredSecrets,
  describeSecret,
  REDACTED,
  redact,
  redactDeep,
  registeredCount,
  registerSecret,
  resetFingerprintKey,
  scrubbable,
  secretFingerprint,
  setFingerprintKey,
} from '../../src/secrets/redact.js';
import { Gen } from './corpus/load.js';

const g = new Gen('redact.test');
const A62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

beforeEach(() => {
  clearRegisteredSecrets();
  resetFingerprintKey();
});

describe('redact: registered values', () => {
  it('replaces raw, URL-encoded, JSON-escaped and HTML-escaped forms', () => {
    const pw = 'p@ss w"rd&<x>/1';
    registerSecret(pw);
    const texts = [
      `pw=${pw}.`,
      `url=https://h/?p=${encodeURIComponent(pw)}`,
      `json=${JSON.stringify({ pw })}`,
      `html=${pw.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')}`,
      `form=${encodeURIComponent(pw).replace(/%20/g, '+')}`,
    ];
    for (const t of texts) {
      const out = redact(t);
      expect(out, t).toContain(REDACTED);
      expect(out).not.toContain(pw);
      expect(out).not.toContain(encodeURIComponent(pw));
      expect(out).not.toContain(JSON.stringify(pw).slice(1, -1));
    }
  });
  it('registering a percent-encoded value also covers its decoded form', () => {
    registerSecret('pa%40ss%21word');
    expect(redact('user typed pa@ss!word')).toBe(`user typed ${REDACTED}`);
  });
  it('never scrubs short or word-like values (#10: password "host" must not hide the word host)', () => {
    for (const pw of ['host', 'user', 'admin', 'postgres', 'password', 'Passw0', '12345']) registerSecret(pw);
    expect(registeredCount()).toBe(1); // only Passw0 (6 characters, not letters only)
    expect(redact('(wrong user, host or password)')).toBe('(wrong user, host or password)');
    expect(redact('user postgres as admin')).toBe('user postgres as admin');
    expect(redact('pw Passw0!')).toBe(`pw ${REDACTED}!`);
    expect(scrubbable('correcthorse')).toBe(true);
    expect(scrubbable('hunter')).toBe(false);
  });
  it('ignores values shorter than 3 characters and empty input', () => {
    registerSecret('ab');
    registerSecret('');
    registerSecret(undefined);
    registerSecret(null);
    expect(registeredCount()).toBe(0);
    expect(redact('ab cd')).toBe('ab cd');
    expect(redact('')).toBe('');
  });
  it('prefers the longest registered value at a position and replaces every occurrence', () => {
    registerSecret('secretvalue');
    registerSecret('secretvalue-extended');
    expect(redact('a secretvalue-extended b secretvalue c')).toBe(`a ${REDACTED} b ${REDACTED} c`);
  });
  it('handles thousands of registered secrets in one pass', () => {
    const secrets: string[] = [];
    for (let i = 0; i < 5000; i++) secrets.push(g.mixed(A62, 12 + (i % 20)));
    for (const s of secrets) registerSecret(s);
    const text = secrets.filter((_s, i) => i % 7 === 0).join(' | ');
    const out = redact(text);
    for (const s of secrets) expect(out.includes(s)).toBe(false);
    expect(out.split(REDACTED).length - 1).toBe(Math.ceil(5000 / 7));
    expect(redact('nothing to see here')).toBe('nothing to see here');
  });
  it('never leaves a secret that shares a prefix with another', () => {
    registerSecret('abcdef1');
    registerSecret('abcxyz2');
    registerSecret('abc-99');
    expect(redact('abcxyz2 abcdef1 abc-99 abq')).toBe(`${REDACTED} ${REDACTED} ${REDACTED} abq`);
  });
});

describe('redact: patterns without registration', () => {
  const cases: [string, string][] = [
    ['GitHub', `ghp_${g.mixed(A62, 36)}`],
    ['AWS id', `AKIA${g.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`],
    ['Slack', `xoxb-123456789012-123456789012-${g.mixed(A62, 24)}`],
    ['Stripe', `sk_live_${g.mixed(A62, 24)}`],
    ['JWT', g.jwt()],
    ['PEM', g.pem('RSA')],
    ['npm', `npm_${g.mixed(A62, 36)}`],
  ];
  it.each(cases)('%s token is scrubbed from free text', (_l, tok) => {
    const out = redact(`error while calling api with ${tok}: 401`);
    expect(out).not.toContain(tok);
    expect(out).toContain(`with ${REDACTED}: 401`);
  });
  it('scrubs URL, connection-string and basic-auth passwords but keeps the rest', () => {
    expect(redact('connect postgres://quartz:S3cretPw@db:5432/q failed')).toBe(
      `connect postgres://quartz:${REDACTED}@db:5432/q failed`,
    );
    expect(redact('Server=db;User Id=sa;Password=S3cretPw!;Database=q')).toBe(
      `Server=db;User Id=sa;Password=${REDACTED};Database=q`,
    );
    const basic = Buffer.from('svc:S3cretPw').toString('base64');
    expect(redact(`Authorization: Basic ${basic}`)).toBe(`Authorization: Basic ${REDACTED}`);
  });
  it('leaves ordinary text alone', () => {
    const t =
      'Quartz.Impl.Calendar.AnnualCalendar, Quartz, Version=3.3.3.0, PublicKeyToken=f6b8c98a402cc8a4 0 0/5 * * * ?';
    expect(redact(t)).toBe(t);
  });
});

describe('redactDeep', () => {
  it('redacts keys and string values at any depth, keeps other scalars and buffers', () => {
    registerSecret('Xk9#mQ2!vLp4');
    const buf = Buffer.from('Xk9#mQ2!vLp4');
    const out = redactDeep({ a: ['x Xk9#mQ2!vLp4', 3, null, { 'Xk9#mQ2!vLp4': true }], b: buf });
    expect(JSON.stringify(out)).not.toContain('Xk9#mQ2!vLp4');
    expect(out.a[1]).toBe(3);
    expect(out.b).toBe(buf);
  });
});

describe('fingerprints', () => {
  it('are 12 hex characters, stable under a fixed key and different across keys', () => {
    setFingerprintKey('baseline-key-1');
    const a1 = secretFingerprint('hunter2hunter2');
    expect(a1).toMatch(/^[0-9a-f]{12}$/);
    expect(secretFingerprint('hunter2hunter2')).toBe(a1);
    expect(secretFingerprint('hunter2hunter3')).not.toBe(a1);
    setFingerprintKey('baseline-key-2');
    expect(secretFingerprint('hunter2hunter2')).not.toBe(a1);
    setFingerprintKey('baseline-key-1');
    expect(secretFingerprint('hunter2hunter2')).toBe(a1);
  });
  it('default to a random per-process salt (not a plain hash of the value)', () => {
    const a = secretFingerprint('hunter2hunter2');
    resetFingerprintKey();
    expect(secretFingerprint('hunter2hunter2')).not.toBe(a);
  });
  it('rejects an empty key', () => {
    expect(() => setFingerprintKey('')).toThrow();
  });
  it('describeSecret shows length, a public prefix of at most 3 characters, and the fingerprint', () => {
    setFingerprintKey('k');
    const tok = `ghp_${g.mixed(A62, 36)}`;
    expect(describeSecret(tok, { publicPrefix: 'ghp_' })).toEqual({
      length: 40,
      prefix: 'ghp',
      fingerprint: secretFingerprint(tok),
    });
    expect(describeSecret(tok, { publicPrefix: true }).prefix).toBe('ghp');
    expect(describeSecret('hunter2', {})).toEqual({ length: 7, fingerprint: secretFingerprint('hunter2') });
    expect(describeSecret('hunter2', { publicPrefix: 'xox' }).prefix).toBeUndefined();
  });
});
