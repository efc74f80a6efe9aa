/** URL parsing, password sources and error mapping of the MySQL adapter (no server needed except where noted). */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  currentAccount,
  mapMysqlError,
  parseMysqlUrl,
  requireClause,
  resolveAccount,
} from '../../../src/dialects/mysql/index.js';
import { UserError } from '../../../src/errors.js';
import { redact } from '../../../src/secrets/redact.js';
import { scan } from './helpers.js';

describe('parseMysqlUrl', () => {
  it('reads user, password, host, port, database; the display form has no password', () => {
    const p = parseMysqlUrl('mysql://quartz:s3cr%40t-pw@db.example:3307/quartzdb', {}, {});
    expect(p.config).toMatchObject({ user: 'quartz', password: 's3cr@t-pw', host: 'db.example', port: 3307 });
    expect(p.database).toBe('quartzdb');
    expect(p.display).toBe('mysql://quartz@db.example:3307/quartzdb');
    expect(redact('failed: s3cr@t-pw')).not.toContain('s3cr@t-pw');
  });

  it('password precedence: --password-stdin > URL > MYSQL_PWD; --schema overrides the path', () => {
    expect(parseMysqlUrl('mysql://u@h/db', {}, { MYSQL_PWD: 'env-pw-1' }).config.password).toBe('env-pw-1');
    expect(parseMysqlUrl('mysql://u:url-pw@h/db', {}, { MYSQL_PWD: 'env-pw-1' }).config.password).toBe('url-pw');
    expect(parseMysqlUrl('mysql://u:url-pw@h/db', { password: 'stdin-pw' }, {}).config.password).toBe('stdin-pw');
    expect(parseMysqlUrl('mariadb://u@h/db', { schema: 'other' }, {}).database).toBe('other');
    expect(parseMysqlUrl('mariadb://u@h', {}, {}).config.port).toBe(3306);
  });

  it('ssl modes and unix sockets', () => {
    expect(parseMysqlUrl('mysql://u@h/db?sslmode=disabled', {}, {}).config.ssl).toBeUndefined();
    expect(parseMysqlUrl('mysql://u@h/db?ssl-mode=REQUIRED', {}, {}).sslmode).toBe('required');
    expect(parseMysqlUrl('mysql://u@h/db?sslmode=verify_identity', {}, {}).config.ssl).toMatchObject({
      rejectUnauthorized: true,
    });
    const s = parseMysqlUrl('mysql://u@localhost/db?socket=/run/mysqld/mysqld.sock', {}, {});
    expect(s.config).toMatchObject({ socketPath: '/run/mysqld/mysqld.sock' });
    expect(s.viaSocket).toBe(true);
    expect(() => parseMysqlUrl('mysql://u@h/db?sslmode=maybe', {}, {})).toThrow(UserError);
    expect(() => parseMysqlUrl('postgres://u@h/db', {}, {})).toThrow(/not a MySQL/);
    expect(() => parseMysqlUrl('mysql://u@h:99999/db', {}, {})).toThrow(UserError);
  });

  it('maps driver errors to one-line UserErrors', () => {
    const d = 'mysql://u@h:3306/db';
    expect(mapMysqlError({ code: 'ER_ACCESS_DENIED_ERROR', message: 'x' }, d).kind).toBe('auth');
    expect(mapMysqlError({ code: 'ER_BAD_DB_ERROR' }, d).kind).toBe('database');
    expect(mapMysqlError({ code: 'ECONNREFUSED' }, d).kind).toBe('connection');
    expect(mapMysqlError({ errno: 3024, message: 'max_execution_time exceeded' }, d).kind).toBe('timeout');
    expect(mapMysqlError({ errno: 1969, message: 'max_statement_time exceeded' }, d).kind).toBe('timeout');
  });

  it('CURRENT_USER() and --service-account spellings', () => {
    expect(currentAccount('quartz@10.0.%')).toBe("'quartz'@'10.0.%'");
    expect(currentAccount('me@corp@%')).toBe("'me@corp'@'%'");
    const principals = [
      { name: "'quartz'@'10.0.%'", kind: 'user' as const, canLogin: true, attributes: [] },
      { name: "'other'@'%'", kind: 'user' as const, canLogin: true, attributes: [] },
    ];
    const extra: Record<string, unknown> = {};
    expect(resolveAccount('quartz', principals, "'root'@'%'", extra)).toBe("'quartz'@'10.0.%'");
    expect(resolveAccount('quartz@localhost', principals, "'root'@'%'", extra)).toBe("'quartz'@'localhost'");
    expect(resolveAccount(undefined, principals, "'root'@'%'", extra)).toBe("'root'@'%'");
    expect(resolveAccount('ghost', principals, "'root'@'%'", extra)).toBe("'ghost'@'%'");
  });

  it('reads only the REQUIRE clause of SHOW CREATE USER (quoted hash and PASSWORD REQUIRE ignored)', () => {
    const line = (req: string) =>
      `CREATE USER \`quartz\`@\`%\` IDENTIFIED WITH 'caching_sha2_password' AS '$A$005$REQUIRE X509''x' ${req} PASSWORD EXPIRE DEFAULT ACCOUNT UNLOCK PASSWORD REQUIRE CURRENT DEFAULT`;
    expect(requireClause(line('REQUIRE NONE'))).toBe('NONE');
    expect(requireClause(line('REQUIRE SSL'))).toBe('SSL');
    expect(requireClause(line("REQUIRE SUBJECT '/CN=app'"))).toBe('SUBJECT');
    expect(requireClause(line(''))).toBeUndefined();
  });

  it('a port that accepts and closes gives a connection UserError, never a stack', async () => {
    const srv = createServer((s) => s.destroy());
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as { port: number }).port;
    try {
      const err = await scan(`mysql://u:pw-xyz-1@127.0.0.1:${port}/db`).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect(String((err as Error).message)).not.toContain('pw-xyz-1');
    } finally {
      srv.close();
    }
  });
});
