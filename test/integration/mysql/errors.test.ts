/**
 * Issue #10 part 5 for MySQL/MariaDB: URL parameters are supported or rejected (never ignored), a database that
 * does not exist says so, a server that wants a password says so at once, --service-account must name an account,
 * and without it an auditor login that holds no DML leads to the one login that does (inferred).
 */
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMysqlAdapter, parseMysqlUrl } from '../../../src/dialects/mysql/index.js';
import { UserError } from '../../../src/errors.js';
import { dbRequired, sharedMariadb } from '../../support/mariadb-server.js';
import { connectOptions, createQuartzDb, scan, uniq } from './helpers.js';

describe('MySQL URL parameters', () => {
  it('?ssl=true is sslmode=required, ?ssl=false disabled; sslmode wins', () => {
    const on = parseMysqlUrl('mysql://u@h/db?ssl=true', {}, {});
    expect(on.sslmode).toBe('required');
    expect(on.config.ssl).toMatchObject({ rejectUnauthorized: false });
    expect(parseMysqlUrl('mysql://u@h/db?ssl=false', {}, {}).config.ssl).toBeUndefined();
    expect(parseMysqlUrl('mysql://u@h/db?ssl=1&sslmode=verify_identity', {}, {}).sslmode).toBe('verify_identity');
    expect(() => parseMysqlUrl('mysql://u@h/db?ssl=maybe', {}, {})).toThrow(/bad ssl=maybe/);
  });
  it('an unknown parameter is an error naming it, not ignored', () => {
    expect(() => parseMysqlUrl('mysql://u@h/db?sslcrl=/x.pem', {}, {})).toThrow(UserError);
    expect(() => parseMysqlUrl('mysql://u@h/db?sslcrl=/x.pem', {}, {})).toThrow(
      /unknown connection URL parameter sslcrl/,
    );
    // A client certificate (issue #14 part 9) needs its key: never half of it silently.
    expect(() => parseMysqlUrl('mysql://u@h/db?sslcert=/x.pem', {}, {})).toThrow(
      /ssl-cert and ssl-key must be given together/,
    );
    expect(() => parseMysqlUrl('mysql://u:pw@h/db?charset=latin1&x=1', {}, {})).toThrow(/charset, x/);
  });
});

const shared = await sharedMariadb();
if (!shared.ok) {
  if (dbRequired()) throw new Error(`QRTZ_REQUIRE_DB is set but ${shared.reason}`);
  console.warn(`[skip] mysql/errors: ${shared.reason}`);
}
const HOST = process.env.QRTZ_MYSQL_HOST ?? '127.0.0.1';
const PORT = Number(process.env.QRTZ_MYSQL_PORT ?? 3306);

describe.skipIf(!shared.ok)('MariaDB errors users meet first', () => {
  const id = uniq();
  const db = `qa_${id}_err`;
  const svc = `qa_${id}_svc`;
  const aud = `qa_${id}_aud`;
  const pw = `Pw-${id}-x`;
  let root: mysql.Connection;
  const savedPwd = process.env.MYSQL_PWD;

  beforeAll(async () => {
    delete process.env.MYSQL_PWD;
    root = await mysql.createConnection({ host: HOST, port: PORT, user: 'root' });
    await createQuartzDb(root, db);
    await root.query(`CREATE USER '${svc}'@'%' IDENTIFIED BY '${pw}'`);
    await root.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON \`${db}\`.* TO '${svc}'@'%'`);
    await root.query(`CREATE USER '${aud}'@'%' IDENTIFIED BY '${pw}'`);
    await root.query(`GRANT SELECT ON mysql.* TO '${aud}'@'%'`);
    await root.query(`GRANT SELECT ON \`${db}\`.* TO '${aud}'@'%'`);
  }, 60_000);

  afterAll(async () => {
    if (savedPwd !== undefined) process.env.MYSQL_PWD = savedPwd;
    await root?.query(`DROP USER IF EXISTS '${svc}'@'%'`);
    await root?.query(`DROP USER IF EXISTS '${aud}'@'%'`);
    await root?.query(`DROP DATABASE IF EXISTS \`${db}\``);
    await root?.end();
  });

  it('a database that does not exist says so (not "no Quartz tables")', async () => {
    const a = createMysqlAdapter(connectOptions(`mysql://root@${HOST}:${PORT}/qa_${id}_nosuchdb`));
    await expect(a.connect()).rejects.toThrow(new RegExp(`database "qa_${id}_nosuchdb" does not exist`));
  });

  it('a server that requires a password when none was given: one clear line, at once', async () => {
    // "at once" without a clock: the server's own refusal, not a timeout (a hang fails the test's timeout)
    const a = createMysqlAdapter(connectOptions(`mysql://${aud}@${HOST}:${PORT}/${db}`));
    const err = await a.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain('the server requires a password (MYSQL_PWD, --password-stdin or the URL)');
  });

  it('a wrong password: the message never holds it', async () => {
    const a = createMysqlAdapter(connectOptions(`mysql://${aud}:host@${HOST}:${PORT}/${db}`));
    const err = (await a.connect().then(
      () => undefined,
      (e: unknown) => e,
    )) as Error;
    expect(err.message).toMatch(/access denied/);
    expect(err.message).not.toContain(':host@');
  });

  it('--service-account naming no account: usage error with close matches', async () => {
    await expect(scan(`mysql://root@${HOST}:${PORT}/${db}`, { serviceAccount: `qa_${id}_svx` })).rejects.toThrow(
      new RegExp(`no principal named "qa_${id}_svx" exists \\(close matches: "'${svc}'@'%'"`),
    );
  });

  it('--service-account naming a user (any host) is that account', async () => {
    const out = await scan(`mysql://root@${HOST}:${PORT}/${db}`, { serviceAccount: svc });
    expect(out.facts.serviceAccount).toBe(`'${svc}'@'%'`);
    expect(out.facts.serviceAccountSource).toBe('option');
  });

  it('an auditor login without DML: the one login holding the DML is inferred, and said so', async () => {
    const out = await scan(`mysql://${aud}:${encodeURIComponent(pw)}@${HOST}:${PORT}/${db}`);
    expect(out.facts.connectedAs).toBe(`'${aud}'@'%'`);
    expect(out.facts.serviceAccount).toBe(`'${svc}'@'%'`);
    expect(out.facts.serviceAccountSource).toBe('inferred');
  });
});
