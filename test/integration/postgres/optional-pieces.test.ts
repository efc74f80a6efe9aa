/**
 * Optional pieces of the PostgreSQL tests (pgaudit, openssl): a machine without them skips exactly
 * the tests that need them, loudly, unless QRTZ_REQUIRE_DB asks for them. Absence is simulated with
 * QRTZ_TEST_NO_PGAUDIT / QRTZ_TEST_NO_OPENSSL (nothing is uninstalled).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { opensslBinary, optionalPiece, pgauditLibrary } from '../../support/pg-server.js';

const saved = { ...process.env };
afterEach(() => {
  for (const k of ['QRTZ_TEST_NO_PGAUDIT', 'QRTZ_TEST_NO_OPENSSL', 'QRTZ_REQUIRE_DB']) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  vi.restoreAllMocks();
});

describe('optional pieces of the PostgreSQL tests', () => {
  it('pgaudit and openssl absent: skip with a loud line, no failure', () => {
    process.env.QRTZ_TEST_NO_PGAUDIT = '1';
    process.env.QRTZ_TEST_NO_OPENSSL = '1';
    delete process.env.QRTZ_REQUIRE_DB;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(optionalPiece(pgauditLibrary(), 'pgaudit')).toBe(false);
    expect(optionalPiece(opensslBinary(), 'openssl')).toBe(false);
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
      'SKIPPED (pgaudit): pgaudit treated as absent (QRTZ_TEST_NO_PGAUDIT=1)',
      'SKIPPED (openssl): openssl treated as absent (QRTZ_TEST_NO_OPENSSL=1)',
    ]);
  });

  it('absent but required by QRTZ_REQUIRE_DB (postgres, or the piece itself): a failure naming it', () => {
    process.env.QRTZ_TEST_NO_PGAUDIT = '1';
    process.env.QRTZ_REQUIRE_DB = 'postgres,mysql';
    expect(() => optionalPiece(pgauditLibrary(), 'pgaudit')).toThrow(/QRTZ_REQUIRE_DB requires pgaudit/);
    process.env.QRTZ_REQUIRE_DB = 'pgaudit';
    expect(() => optionalPiece(pgauditLibrary(), 'pgaudit')).toThrow(/QRTZ_REQUIRE_DB requires pgaudit/);
  });

  it('a piece that is there is used', () => {
    delete process.env.QRTZ_TEST_NO_OPENSSL;
    const found = opensslBinary();
    if (typeof found !== 'string') return expect(found.skip).toMatch(/openssl/);
    expect(optionalPiece(found, 'openssl')).toBe(true);
  });
});
