/**
 * Hostile input: long strings built to make backtracking regexes or per-candidate work explode.
 * Every detector and redact() must finish (linear work) and still find a real token placed after
 * the hostile part. No timing is asserted: a quadratic regex would hit the test timeout.
 */
import { describe, expect, it } from 'vitest';
import { detectSecrets } from '../../src/secrets/detect.js';
import { REDACTED, redact, registerSecret } from '../../src/secrets/redact.js';
import { Gen } from './corpus/load.js';

const N = 256 * 1024;
const fill = (unit: string) => unit.repeat(Math.ceil(N / unit.length)).slice(0, N);
const g = new Gen('hostile');
const token = `ghp_${g.mixed('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 36)}`;

const hostile: [string, string][] = [
  ['pwd= candidates', fill('pwd=a ')],
  ['pwd= in a connection string', `Server=x;${fill('pwd=a ')}`],
  ['unclosed quote', `Server=x;pwd="${'a'.repeat(N)}`],
  ['Oracle prefixes', fill('jdbc:oracle:thin:a/')],
  ['PuTTY headers', fill('PuTTY-User-Key-File-2:')],
  ['PEM headers', fill('-----BEGIN PRIVATE KEY-----')],
  ['eyJ runs', fill('eyJ')],
  ['JWT-ish segments', fill('eyJaaaaa.')],
  ['Basic headers', fill('Basic AAAAAAAA ')],
  ['Bearer words', fill('Bearer ')],
  ['URL without @', `a://${fill('b:')}`],
  ['many schemes', fill('a://b:c')],
  ['AWS context', fill('aws_secret_key = ')],
  ['whitespace', `password${' '.repeat(N)}`],
  ['base64 run', fill('Ab9+')],
  ['SAS sig', fill('&sig=')],
  ['AccountKey', fill('AccountKey=')],
  ['Twilio SIDs', fill(`AC${'a'.repeat(32)} `)],
  ['Slack prefixes', fill('xoxb-')],
  ['key=value pairs', fill('token=Ab9xYz ')],
];

describe('hostile input', () => {
  registerSecret('Zq8rT5vXw2Lm9Np4');
  it.each(hostile)('%s: detectors and redact finish and still find a token after it', (_label, text) => {
    const value = `${text}\n${token}`;
    const hits = detectSecrets({ path: ['hmac'], value });
    // found itself, or inside an unterminated private key block that runs to the end of the text
    expect(
      hits.some((h) => h.secretValue === token || (h.detector === 'private-key' && h.secretValue.endsWith(token))),
    ).toBe(true);
    const out = redact(`${text}\n${token}\nZq8rT5vXw2Lm9Np4`);
    expect(out).not.toContain(token);
    expect(out).not.toContain('Zq8rT5vXw2Lm9Np4');
    expect(out.endsWith(REDACTED)).toBe(true);
  });
  it('many tokens in one string are all redacted', () => {
    const many = Array.from(
      { length: 5000 },
      (_v, i) => `ghp_${g.mixed('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 36)} ${i}`,
    ).join('\n');
    const out = redact(many);
    expect(out).not.toMatch(/ghp_[A-Za-z0-9]{36}/);
    expect(out.split(REDACTED).length - 1).toBe(5000);
  });
  it('a huge key is not classified (no key-name context) and does not throw', () => {
    const key = `password${'x'.repeat(N)}`;
    expect(detectSecrets({ path: [key], value: 'Xk9#mQ2!vLp4zz' })).toEqual([]);
  });
});
