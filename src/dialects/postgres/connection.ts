/**
 * PostgreSQL connection part: URL parsing (libpq's URL, PG* variables, sslmode, client
 * certificates, ~/.pgpass), the audit session over the connection layer (a knex pool of one,
 * hardened in afterCreate, inside the one read-only REPEATABLE READ transaction; knex sends `BEGIN
 * TRANSACTION ISOLATION LEVEL repeatable read READ ONLY` first), and error mapping to one clear line
 * (never a password). Like libpq's sslmode=prefer/allow, a server without TLS is retried without it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Knex } from 'knex';
import type pg from 'pg';
import { UserError } from '../../errors.js';
import type { Unreadable } from '../../model.js';
import { registerSecret } from '../../secrets/redact.js';
import type { ConnectOptions } from '../adapter.js';
import { type Connection, openConnection, readOnlySnapshot, runSql, type SessionSettings } from '../connection.js';
import { type Conninfo, checkKeywords, withServiceAndEnv } from './conninfo.js';

type Row = Record<string, unknown>;

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Parses a postgres:// URL into a pg client config. The URL's parts and query parameters are libpq
 * keywords (see conninfo.ts: each honoured, of no effect, or refused by name); what the URL does not
 * say comes from its connection service (`?service=` or PGSERVICE, pg_service.conf), then from the
 * PG* environment variables, as libpq does.
 */
export function parsePostgresUrl(
  url: string,
  env: NodeJS.ProcessEnv = process.env,
): { config: pg.ClientConfig; sslmode: string; display: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserError('url', 'malformed connection URL (expected postgres://user@host:port/database)');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new UserError('url', `not a PostgreSQL URL: scheme ${u.protocol.replace(/:$/, '')}`);
  }
  const dec = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new UserError('url', 'malformed connection URL (bad percent-encoding)');
    }
  };
  const given: Conninfo = new Map();
  for (const [k, v] of u.searchParams) given.set(k.toLowerCase(), v);
  // libpq takes JDBC's ssl=true as sslmode=require.
  const ssl = given.get('ssl');
  if (ssl !== undefined) {
    given.delete('ssl');
    if (!/^(true|1)$/i.test(ssl)) throw new UserError('url', `bad ssl=${ssl} in the URL (true; or sslmode=…)`);
    if (!given.has('sslmode')) given.set('sslmode', 'require');
  }
  if (given.has('requiressl')) {
    if (given.get('requiressl') === '1' && !given.has('sslmode')) given.set('sslmode', 'require');
    given.delete('requiressl');
  }
  if (u.hostname) given.set('host', dec(u.hostname).replace(/^\[|\]$/g, ''));
  if (u.port) given.set('port', u.port);
  if (u.username) given.set('user', dec(u.username));
  if (u.password) given.set('password', dec(u.password));
  const pathDb = u.pathname.replace(/^\//, '');
  if (pathDb) given.set('dbname', dec(pathDb));
  checkKeywords(given, 'connection URL');
  const kw = withServiceAndEnv(given, env);
  if (kw.has('hostaddr')) {
    if (kw.has('host') && kw.get('host') !== kw.get('hostaddr')) {
      throw new UserError('url', 'hostaddr together with a different host is not supported: give one of them');
    }
    kw.set('host', kw.get('hostaddr') as string);
  }
  const host = kw.get('host') || 'localhost';
  if (host.includes(',')) {
    throw new UserError('url', 'several hosts in one connection string are not supported: audit each server');
  }
  const port = Number(kw.get('port') || 5432);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new UserError('url', 'malformed port in URL');
  const user = kw.get('user') || env.USER || 'postgres';
  const password = kw.get('password');
  const database = kw.get('dbname') || user;
  let sslmode = (kw.get('sslmode') || 'prefer').toLowerCase();
  if (!['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'].includes(sslmode)) {
    throw new UserError('url', `unknown sslmode ${sslmode}`);
  }
  // libpq: with a root certificate given, require verifies the chain as verify-ca does.
  if (sslmode === 'require' && kw.get('sslrootcert')) sslmode = 'verify-ca';
  const params = { get: (k: string) => kw.get(k) ?? null };
  registerSecret(password);
  const config: pg.ClientConfig = { host, port, user, database };
  if (password !== undefined) config.password = password;
  const readPem = (what: string, file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (err) {
      const why = (err as { code?: string }).code ?? 'unreadable';
      throw new UserError('url', `cannot read ${what} ${JSON.stringify(file)} (${why})`);
    }
  };
  // Client certificate (libpq's sslcert/sslkey, PGSSLCERT/PGSSLKEY): node-pg's ssl.cert/ssl.key.
  const certFile = params.get('sslcert');
  const keyFile = params.get('sslkey');
  if (Boolean(certFile) !== Boolean(keyFile)) {
    throw new UserError('url', 'sslcert and sslkey (or PGSSLCERT and PGSSLKEY) must be given together');
  }
  const clientCert: import('node:tls').ConnectionOptions = {};
  if (certFile && keyFile) {
    clientCert.cert = readPem('sslcert', certFile);
    clientCert.key = readPem('sslkey', keyFile);
  }
  if (sslmode === 'verify-ca' || sslmode === 'verify-full') {
    const rootcert = params.get('sslrootcert');
    const ssl: import('node:tls').ConnectionOptions = { rejectUnauthorized: true, ...clientCert };
    if (rootcert) ssl.ca = readPem('sslrootcert', rootcert);
    if (sslmode === 'verify-ca') ssl.checkServerIdentity = () => undefined;
    config.ssl = ssl;
  } else if (sslmode === 'require' || sslmode === 'prefer' || sslmode === 'allow') {
    config.ssl = { rejectUnauthorized: false, ...clientCert };
  } else {
    if (certFile) throw new UserError('url', 'sslcert/sslkey need TLS: sslmode=disable turns it off');
    config.ssl = false;
  }
  const display = `postgres://${user}@${host}:${port}/${database}`;
  return { config, sslmode, display };
}

/** Maps a pg/network error to one clear line (never containing the password). */
export function mapPgError(err: unknown, display: string): UserError {
  const e = err as { code?: string; message?: string };
  const code = e?.code ?? '';
  const msg = String(e?.message ?? err);
  if (err instanceof UserError) return err;
  // The server asked for a password and none was given (node-pg's own words are not for users).
  if (code === 'QRTZ_NEEDS_PASSWORD' || /SCRAM-SERVER-FIRST-MESSAGE: client password must be a string/i.test(msg)) {
    return new UserError('auth', `${NEEDS_PASSWORD} for ${display}`, { cause: err });
  }
  switch (code) {
    case 'ECONNREFUSED':
      return new UserError('connection', `connection refused by ${display.replace(/\/[^/]*$/, '')}`, { cause: err });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new UserError('connection', `unknown host in ${display}`, { cause: err });
    case 'ETIMEDOUT':
      return new UserError('timeout', `connection to ${display} timed out`, { cause: err });
    case '28P01':
      return new UserError('auth', `password authentication failed for ${display}`, { cause: err });
    case '28000':
      return new UserError('auth', `authentication rejected for ${display}: ${msg}`, { cause: err });
    case '3D000':
      return new UserError('database', `database does not exist: ${display}`, { cause: err });
    case '42501':
      return new UserError('privilege', `permission denied: ${msg}`, { cause: err });
    case '57014':
      return new UserError('timeout', `statement timeout: ${msg} (raise --statement-timeout)`, { cause: err });
    case '55P03':
      return new UserError('timeout', `lock timeout: ${msg} (raise --lock-timeout)`, { cause: err });
  }
  if (/timeout/i.test(msg)) return new UserError('timeout', `connection to ${display} timed out`, { cause: err });
  return new UserError('connection', `cannot use ${display}: ${msg}`, { cause: err });
}

/** What the server gets at startup: the session is hardened before the first query runs. */
export function sessionOptions(o: Pick<ConnectOptions, 'statementTimeoutMs' | 'lockTimeoutMs'>): string {
  return [
    // Only built-ins resolve: no function, operator or type of the audited database wins a lookup.
    'search_path=pg_catalog,pg_temp',
    // A table with row-level security then errors instead of running policy code as the auditor.
    'row_security=off',
    'default_transaction_read_only=on',
    `statement_timeout=${o.statementTimeoutMs}`,
    `lock_timeout=${o.lockTimeoutMs}`,
    // The catalog read and the blob cursor share one transaction: leave room for slow consumers.
    `idle_in_transaction_session_timeout=${Math.max(300_000, o.statementTimeoutMs * 4)}`,
  ]
    .map((kv) => `-c ${kv}`)
    .join(' ');
}

export const NEEDS_PASSWORD = 'the server requires a password (PGPASSWORD, --password-stdin or the URL)';

/** Raised by the password callback when the server asks for a password and none was given. */
export class PasswordRequired extends Error {
  readonly code = 'QRTZ_NEEDS_PASSWORD';
}

export type Cause = NonNullable<Unreadable['cause']>;

/** Why a statement failed, for Unreadable.cause. */
export function causeOf(err: unknown): Cause {
  const e = err as { code?: string; message?: string };
  const msg = String(e?.message ?? err);
  if (e?.code === '55P03' || /lock timeout/i.test(msg)) return 'lock-timeout';
  if (e?.code === '57014' || /statement timeout/i.test(msg)) return 'statement-timeout';
  if (/row-level security/i.test(msg)) return 'tamper';
  if (e?.code === '42501' || /permission denied/i.test(msg)) return 'privilege';
  return 'other';
}

/** Errors after which the session cannot go on: connection lost, server shutting down, bugs. */
export function isFatal(err: unknown): boolean {
  const code = (err as { code?: string })?.code ?? '';
  if (!/^[0-9A-Z]{5}$/.test(code)) return true;
  return /^(08|57P|XX|58)/.test(code);
}

/** ~/.pgpass (or PGPASSFILE), as libpq reads it; undefined when absent or unreadable. */
export async function pgpassLookup(config: pg.ClientConfig): Promise<string | undefined> {
  try {
    const lookup = createRequire(import.meta.url)('pgpass') as (c: object, cb: (p: string | undefined) => void) => void;
    return await new Promise((resolve) =>
      lookup({ host: config.host, port: config.port, user: config.user, database: config.database }, (p) => resolve(p)),
    );
  } catch {
    return undefined;
  }
}

/** What the adapter runs its statements on: one connection, inside the audit transaction. */
export interface SqlClient {
  query(sql: string, params?: readonly unknown[]): Promise<{ rows: Row[] }>;
}

export interface PgSession {
  readonly connection: Connection;
  readonly trx: Knex.Transaction;
  readonly client: SqlClient;
  /** Rolls the transaction back (nothing is ever committed) and closes the pool; never throws. */
  close(): Promise<void>;
}

async function openOnce(driver: pg.ClientConfig, s: SessionSettings): Promise<PgSession> {
  // One connection: the audit is one transaction; fleet scans get concurrency from many targets.
  const connection = openConnection({ dialect: 'postgres', driver }, s, { max: 1 });
  let trx: Knex.Transaction;
  try {
    trx = await readOnlySnapshot(connection.knex);
  } catch (err) {
    await destroyQuietly(connection);
    throw err;
  }
  const client: SqlClient = {
    query: async (sql, params = []) => ({ rows: await runSql(trx, 'postgres', sql, params) }),
  };
  let closed = false;
  return {
    connection,
    trx,
    client,
    async close() {
      if (closed) return;
      closed = true;
      await trx.rollback().catch(() => {});
      await destroyQuietly(connection);
    },
  };
}

/** Closes the pool, never waiting more than a moment (a half-open login must not keep the process alive). */
async function destroyQuietly(c: Connection): Promise<void> {
  await Promise.race([c.destroy().catch(() => {}), new Promise((r) => setTimeout(r, 2000).unref())]);
}

/**
 * Opens the audit session. `sslmode` is the URL's (libpq's) mode: with prefer or allow, a server
 * that does not support TLS is retried on a plain connection; other errors are the caller's to map.
 */
export async function openPgSession(driver: pg.ClientConfig, sslmode: string, s: SessionSettings): Promise<PgSession> {
  try {
    return await openOnce(driver, s);
  } catch (err) {
    const noSsl = /does not support SSL/i.test(String((err as Error)?.message));
    if ((sslmode === 'prefer' || sslmode === 'allow') && noSsl && driver.ssl) {
      return await openOnce({ ...driver, ssl: false }, s);
    }
    throw err;
  }
}
