/**
 * MySQL / MariaDB connection part: URL parsing (ssl modes, sockets, password sources), the audit
 * session over the connection layer (a knex pool of one whose afterCreate reads the flavour and sets
 * the session read-only with statement and lock timeouts; its connection is held for the session),
 * and error mapping to one clear line (never a password), plus the causes of failed reads.
 */
import { readFileSync } from 'node:fs';
import type mysql from 'mysql2';
import { UserError } from '../../errors.js';
import type { Unreadable } from '../../model.js';
import { registerSecret } from '../../secrets/redact.js';
import type { ConnectOptions } from '../adapter.js';
import { type Connection, openConnection, type PinnedConnection, pinConnection } from '../connection.js';
import { readMyCnf } from './option-file.js';

/** The audit session: the target's pool and the connection held for the whole audit. */
export interface MysqlSession {
  connection: Connection;
  pinned: PinnedConnection;
}

export interface ParsedMysqlUrl {
  config: mysql.ConnectionOptions;
  sslmode: 'disabled' | 'preferred' | 'required' | 'verify_ca' | 'verify_identity';
  database: string | undefined;
  display: string;
  viaSocket: boolean;
}

/** The URL parameters the adapter understands (case-insensitive); any other is an error, never ignored. */
const URL_PARAMS = [
  'sslmode',
  'ssl-mode',
  'ssl_mode',
  'ssl',
  'sslca',
  'ssl-ca',
  'ssl_ca',
  'sslcert',
  'ssl-cert',
  'ssl_cert',
  'sslkey',
  'ssl-key',
  'ssl_key',
  'socket',
];

/**
 * Parses mysql://user:pass@host:port/db?sslmode=…&socket=… (also mariadb://). What the URL does not
 * say comes from ~/.my.cnf's [client] group, as the mysql client reads it (extra.noMyCnf = '1' or
 * QRTZ_AUDIT_NO_MY_CNF=1 turn that off). Password: options > URL > ~/.my.cnf > MYSQL_PWD.
 */
export function parseMysqlUrl(
  url: string,
  options: { password?: string; schema?: string; extra?: Record<string, string> } = {},
  env: NodeJS.ProcessEnv = process.env,
): ParsedMysqlUrl {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserError('url', 'malformed connection URL (expected mysql://user@host:port/database)');
  }
  const scheme = u.protocol.replace(/:$/, '').toLowerCase();
  if (scheme !== 'mysql' && scheme !== 'mariadb')
    throw new UserError('url', `not a MySQL/MariaDB URL: scheme ${scheme}`);
  const dec = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new UserError('url', 'malformed connection URL (bad percent-encoding)');
    }
  };
  const params = u.searchParams;
  const cnf = readMyCnf(env, options.extra?.noMyCnf === '1');
  const fromCnf = (k: string) => cnf?.values.get(k);
  const urlHost = u.hostname ? dec(u.hostname).replace(/^\[|\]$/g, '') : undefined;
  const host = urlHost ?? fromCnf('host') ?? 'localhost';
  const port = u.port ? Number(u.port) : urlHost === undefined && fromCnf('port') ? Number(fromCnf('port')) : 3306;
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new UserError('url', 'malformed port in URL');
  const user = u.username ? dec(u.username) : fromCnf('user') || env.USER || 'root';
  const password = options.password ?? (u.password ? dec(u.password) : (fromCnf('password') ?? env.MYSQL_PWD));
  registerSecret(password);
  const pathDb = u.pathname.replace(/^\//, '');
  const database = options.schema ?? (pathDb ? dec(pathDb) : fromCnf('database') || undefined);
  const unknown = [...new Set(params.keys())].filter((k) => !URL_PARAMS.includes(k.toLowerCase()));
  if (unknown.length) {
    throw new UserError(
      'url',
      `unknown connection URL parameter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (supported: ${URL_PARAMS.join(', ')})`,
    );
  }
  const urlParam = (name: string) => {
    for (const [k, v] of params) if (k.toLowerCase().replace(/_/g, '-') === name) return v;
    return null;
  };
  // The URL's TLS settings, else ~/.my.cnf's (ssl-mode, ssl / skip-ssl, ssl-verify-server-cert, ssl-ca/cert/key).
  const urlSsl = [...params.keys()].some((k) => /^ssl/i.test(k));
  const param = (name: string): string | null => {
    const v = urlParam(name) ?? urlParam(name.replace(/-/g, ''));
    if (v !== null || urlSsl || !name.startsWith('ssl')) return v;
    return fromCnf(name) ?? null;
  };
  // ?ssl=true|false (as other MySQL clients spell it) is sslmode=required|disabled; sslmode wins when both are given.
  let ssl = param('ssl');
  if (ssl === '' && !urlSsl) ssl = 'true';
  if (!urlSsl && fromCnf('skip-ssl') !== undefined && ssl === null) ssl = 'false';
  let sslFlag: string | undefined;
  if (ssl !== null) {
    const v = ssl.toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(v)) sslFlag = 'required';
    else if (['false', '0', 'no', 'off'].includes(v)) sslFlag = 'disabled';
    else throw new UserError('url', `bad ssl=${ssl} in the URL (true or false; or sslmode=…)`);
  }
  if (
    !urlSsl &&
    fromCnf('ssl-verify-server-cert') !== undefined &&
    !/^(0|false|off)$/i.test(fromCnf('ssl-verify-server-cert') as string)
  ) {
    sslFlag = 'verify_identity';
  }
  const mode = (param('ssl-mode') || sslFlag || 'preferred').toLowerCase();
  const modes = ['disabled', 'preferred', 'required', 'verify_ca', 'verify_identity'] as const;
  let sslmode = modes.find((m) => m === mode.replace(/-/g, '_'));
  if (!sslmode)
    throw new UserError('url', `unknown sslmode ${mode} (disabled, preferred, required, verify_ca, verify_identity)`);
  const ca = param('ssl-ca');
  // Like the mysql client: a CA given with preferred or required means verify the chain (VERIFY_CA).
  if (ca && (sslmode === 'preferred' || sslmode === 'required')) sslmode = 'verify_ca';
  const socket = urlParam('socket') ?? (urlHost === undefined ? fromCnf('socket') : undefined) ?? undefined;
  const config: mysql.ConnectionOptions = { user, ...(socket ? { socketPath: socket } : { host, port }) };
  if (password !== undefined) config.password = password;
  const readPem = (what: string, file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (err) {
      throw new UserError(
        'url',
        `cannot read ${what} ${JSON.stringify(file)} (${(err as { code?: string }).code ?? 'unreadable'})`,
      );
    }
  };
  const certFile = param('ssl-cert');
  const keyFile = param('ssl-key');
  if (Boolean(certFile) !== Boolean(keyFile)) throw new UserError('url', 'ssl-cert and ssl-key must be given together');
  const clientCert =
    certFile && keyFile ? { cert: readPem('ssl-cert', certFile), key: readPem('ssl-key', keyFile) } : {};
  if (sslmode === 'verify_ca' || sslmode === 'verify_identity') {
    config.ssl = {
      rejectUnauthorized: true,
      ...clientCert,
      ...(ca ? { ca: readPem('ssl-ca', ca) } : {}),
      ...(sslmode === 'verify_ca' ? { checkServerIdentity: () => undefined } : {}),
    } as mysql.SslOptions;
  } else if (sslmode === 'required' || sslmode === 'preferred') {
    config.ssl = { rejectUnauthorized: false, ...clientCert };
  } else if (certFile) {
    throw new UserError('url', 'ssl-cert/ssl-key need TLS: sslmode=disabled turns it off');
  }
  const display = `${scheme}://${user}@${socket ? `localhost?socket=${socket}` : `${host}:${port}`}/${database ?? ''}`;
  return { config, sslmode, database, display, viaSocket: Boolean(socket) };
}

/** Maps a mysql2/network error to one clear line (never containing the password). */
export function mapMysqlError(err: unknown, display: string, passwordGiven = true): UserError {
  if (err instanceof UserError) return err;
  const e = err as { code?: string; errno?: number; message?: string };
  const code = e?.code ?? '';
  const msg = String(e?.message ?? err);
  if (
    (code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR') &&
    (!passwordGiven || /using password: NO/i.test(msg))
  ) {
    return new UserError(
      'auth',
      `access denied for ${display}: the server requires a password (MYSQL_PWD, --password-stdin or the URL)`,
      { cause: err },
    );
  }
  const where = display.replace(/\/[^/]*$/, '');
  switch (code) {
    case 'ECONNREFUSED':
      return new UserError('connection', `connection refused by ${where}`, { cause: err });
    case 'ENOENT':
      return new UserError('connection', `no server socket at ${where}`, { cause: err });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new UserError('connection', `unknown host in ${display}`, { cause: err });
    case 'ETIMEDOUT':
      return new UserError('timeout', `connection to ${display} timed out`, { cause: err });
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR':
      return new UserError('auth', `access denied for ${display} (wrong user, host or password)`, { cause: err });
    case 'ER_BAD_DB_ERROR':
      return new UserError('database', `database does not exist: ${display}`, { cause: err });
    case 'ER_DBACCESS_DENIED_ERROR':
      return new UserError('privilege', `no access to the database of ${display}`, { cause: err });
    case 'ER_LOCK_WAIT_TIMEOUT':
      return new UserError('timeout', `lock wait timeout: ${msg} (raise --lock-timeout)`, { cause: err });
    case 'ER_QUERY_TIMEOUT':
    case 'ER_STATEMENT_TIMEOUT':
    case 'ER_QUERY_INTERRUPTED':
      return new UserError('timeout', `statement timeout: ${msg} (raise --statement-timeout)`, { cause: err });
  }
  if (e?.errno === 3024 || e?.errno === 1969) {
    return new UserError('timeout', `statement timeout: ${msg} (raise --statement-timeout)`, { cause: err });
  }
  if (/timeout/i.test(msg)) return new UserError('timeout', `connection to ${display} timed out`, { cause: err });
  return new UserError('connection', `cannot use ${display}: ${msg}`, { cause: err });
}

export function isTimeout(err: unknown): boolean {
  const e = err as { code?: string; errno?: number };
  return (
    e?.errno === 3024 ||
    e?.errno === 1969 ||
    e?.code === 'ER_LOCK_WAIT_TIMEOUT' ||
    e?.code === 'ER_QUERY_TIMEOUT' ||
    e?.code === 'ER_STATEMENT_TIMEOUT' ||
    e?.code === 'PROTOCOL_CONNECTION_LOST'
  );
}

/** Why a read failed, when it is a failure the audit goes on after (else undefined: the error ends the scan). */
export function failureCause(err: unknown): Unreadable['cause'] | undefined {
  const e = err as { code?: string; errno?: number };
  if (e?.code === 'ER_LOCK_WAIT_TIMEOUT' || e?.errno === 1205) return 'lock-timeout';
  if (
    e?.errno === 3024 ||
    e?.errno === 1969 ||
    e?.code === 'ER_QUERY_TIMEOUT' ||
    e?.code === 'ER_STATEMENT_TIMEOUT' ||
    e?.code === 'ER_QUERY_INTERRUPTED'
  )
    return 'statement-timeout';
  if (
    e?.code === 'ER_TABLEACCESS_DENIED_ERROR' ||
    e?.code === 'ER_COLUMNACCESS_DENIED_ERROR' ||
    e?.code === 'ER_DBACCESS_DENIED_ERROR' ||
    e?.code === 'ER_SPECIFIC_ACCESS_DENIED_ERROR'
  )
    return 'privilege';
  return undefined;
}

export function quoteIdent(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/**
 * Opens the session through the connection layer: the pool's afterCreate reads the server's
 * flavour and sets the session read-only with its statement and lock timeouts (session_mariadb.sql
 * or session_mysql.sql) before the first audit statement; the one connection is then held.
 */
export async function openMysqlSession(
  config: mysql.ConnectionOptions,
  o: Pick<ConnectOptions, 'connectTimeoutMs' | 'statementTimeoutMs' | 'lockTimeoutMs'>,
): Promise<MysqlSession> {
  const connection = openConnection(
    { dialect: 'mysql', driver: { ...config, connectTimeout: o.connectTimeoutMs } },
    { statementTimeoutMs: o.statementTimeoutMs, lockTimeoutMs: o.lockTimeoutMs },
    // One connection, kept while the audit runs (its read-only transaction lives on it).
    { max: 1, idleTimeoutMs: 24 * 3600_000 },
  );
  try {
    return { connection, pinned: await pinConnection(connection) };
  } catch (err) {
    await connection.destroy().catch(() => {});
    throw err;
  }
}
