/**
 * PostgreSQL connection options that used to be silently ignored (issue #10): client certificates
 * (sslcert/sslkey, PGSSLCERT/PGSSLKEY) are used; connection services (?service=, PGSERVICE) are
 * read from pg_service.conf (a missing one is one line); node-pg's SASL text never reaches the user.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { mapPgError, parsePostgresUrl } from '../../../src/dialects/postgres/index.js';
import { UserError } from '../../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'qrtz-pgurl-'));
const cert = join(dir, 'client.crt');
const key = join(dir, 'client.key');
writeFileSync(cert, '-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n');
writeFileSync(key, '-----BEGIN PRIVATE KEY-----\nMIIBkey\n-----END PRIVATE KEY-----\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ssl = (url: string, env: NodeJS.ProcessEnv = {}) =>
  parsePostgresUrl(url, env).config.ssl as ConnectionOptions | false;

describe('PostgreSQL URL options', () => {
  it('sslcert and sslkey in the URL are the client certificate', () => {
    const s = ssl(`postgres://u@h/db?sslmode=require&sslcert=${cert}&sslkey=${key}`);
    expect(s && [String(s.cert), String(s.key), s.rejectUnauthorized]).toEqual([
      expect.stringContaining('MIIBcert'),
      expect.stringContaining('MIIBkey'),
      false,
    ]);
    const v = ssl(`postgres://u@h/db?sslmode=verify-full&sslcert=${cert}&sslkey=${key}`);
    expect(v && [String(v.cert).includes('MIIBcert'), v.rejectUnauthorized]).toEqual([true, true]);
  });

  it('PGSSLCERT and PGSSLKEY too', () => {
    const s = ssl('postgres://u@h/db', { PGSSLCERT: cert, PGSSLKEY: key });
    expect(s && String(s.cert)).toContain('MIIBcert');
  });

  it('a certificate without its key, an unreadable file, or a certificate with sslmode=disable: one line', () => {
    expect(() => ssl(`postgres://u@h/db?sslcert=${cert}`)).toThrow(/sslcert and sslkey .* must be given together/);
    expect(() => ssl(`postgres://u@h/db?sslcert=${cert}&sslkey=${join(dir, 'nope.key')}`)).toThrow(
      /cannot read sslkey ".*nope\.key" \(ENOENT\)/,
    );
    expect(() => ssl(`postgres://u@h/db?sslmode=disable&sslcert=${cert}&sslkey=${key}`)).toThrow(/need TLS/);
  });

  it('?service= and PGSERVICE name a service that must exist (pg_service.conf; see test/dialects/connection-strings.test.ts)', () => {
    const none = { PGSERVICEFILE: join(dir, 'none.conf'), PGSYSCONFDIR: dir };
    for (const [url, env] of [
      ['postgres://u@h/db?service=prod', none],
      ['postgres://u@h/db', { ...none, PGSERVICE: 'prod' }],
    ] as const) {
      let err: unknown;
      try {
        parsePostgresUrl(url, env);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).kind).toBe('input');
      expect((err as Error).message).toMatch(/^definition of service "prod" not found \(looked in .*none\.conf/);
    }
  });

  it("node-pg's SASL complaint about a missing password becomes the one line users need", () => {
    const e = mapPgError(
      new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string'),
      'postgres://u@h:5432/db',
    );
    expect([e.kind, e.message]).toEqual([
      'auth',
      'the server requires a password (PGPASSWORD, --password-stdin or the URL) for postgres://u@h:5432/db',
    ]);
  });
});
