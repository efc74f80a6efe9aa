/**
 * SQL Server connection part: `mssql://` / `sqlserver://` URLs and ADO.NET connection strings (as
 * Quartz.NET configuration holds them: `quartz.dataSource.default.connectionString`) → a tedious
 * configuration (in the `mssql` package's shape, which the connection layer hands to knex's mssql
 * client), plus driver error → one-line UserError mapping.
 *
 * ADO.NET strings are split by @tediousjs/connection-string (quoting, `;;`, `{}` and aliases as
 * SqlClient does). Every key is either honoured, accepted as having no effect on a single read-only
 * audit connection (pool tuning, application name…), or refused with a clear error: an option the
 * audit cannot honour (Integrated Security, AttachDbFilename, named pipes…) is never silently ignored.
 * A password never leaves this module except inside the driver configuration: it is registered for
 * redaction first, and `display` never holds it.
 */
import { MSSQL_SCHEMA, parse as parseConnectionString } from '@tediousjs/connection-string';
import type { config as MssqlConfig } from 'mssql';
import { UserError } from '../../errors.js';
import { registerSecret } from '../../secrets/redact.js';

export const DEFAULT_PORT = 1433;
export const DEFAULT_SCHEMA = 'dbo';

/** Where the connection came from and how TLS is set up, for facts (`MssqlFacts.connection`). */
export interface MssqlTarget {
  config: MssqlConfig;
  /** Safe to print: scheme, user, host, port or instance, database — never the password. */
  display: string;
  host: string;
  port: number | undefined;
  instanceName: string | undefined;
  database: string | undefined;
  user: string;
  /** Encrypt as requested: true (Mandatory), false (Optional) or 'strict' (TDS 8.0). */
  encrypt: boolean | 'strict';
  trustServerCertificate: boolean;
  /** Which form the target was given in. */
  source: 'url' | 'connection-string';
  /** Keys accepted without effect on the audit connection (pool tuning…), lower case, for --verbose output. */
  ignoredKeys: string[];
}

export interface MssqlTargetOptions {
  /** --password-stdin: overrides the URL / connection string. */
  password?: string;
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
}

/** Canonical key for every name and alias @tediousjs/connection-string knows (lower case). */
const CANONICAL = new Map<string, string>();
for (const [key, spec] of Object.entries(MSSQL_SCHEMA)) {
  CANONICAL.set(key, key);
  for (const alias of (spec as { aliases?: string[] }).aliases ?? []) CANONICAL.set(alias.toLowerCase(), key);
}
// Keys newer Microsoft.Data.SqlClient versions added that the parser's schema does not list yet.
for (const k of ['command timeout', 'hostnameincertificate', 'server certificate', 'ip address preference'])
  CANONICAL.set(k, k);
CANONICAL.set('host name in certificate', 'hostnameincertificate');
CANONICAL.set('trust server certificate', 'trustservercertificate');
CANONICAL.set('application intent', 'applicationintent');
CANONICAL.set('multiple active result sets', 'multipleactiveresultsets');
CANONICAL.set('connect retry count', 'connectretrycount');
CANONICAL.set('connect retry interval', 'connectretryinterval');
CANONICAL.set('multi subnet failover', 'multisubnetfailover');
CANONICAL.set('pool blocking period', 'poolblockingperiod');
// Spellings without spaces (IntegratedSecurity, InitialCatalog, integratedSecurity in URL queries).
for (const [k, v] of [...CANONICAL]) if (k.includes(' ')) CANONICAL.set(k.replace(/ /g, ''), v);

/** Keys the audit honours. */
const HONOURED = new Set([
  'data source',
  'initial catalog',
  'user id',
  'password',
  'encrypt',
  'trustservercertificate',
  'connection timeout',
  'command timeout',
  'integrated security',
  'authentication',
  'application name',
  'applicationintent',
  'hostnameincertificate',
]);

/** Keys with no effect on one short read-only audit connection: accepted, listed in `ignoredKeys`. */
const NO_EFFECT = new Set([
  'pooling',
  'max pool size',
  'min pool size',
  'connection lifetime',
  'connectretrycount',
  'connectretryinterval',
  'multipleactiveresultsets',
  'persist security info',
  'packet size',
  'workstation id',
  'current language',
  'enlist',
  'transaction binding',
  'type system version',
  'transparentnetworkipresolution',
  'poolblockingperiod',
  'asynchronous processing',
  'ip address preference',
  'replication',
]);

/** Keys the audit cannot honour: a clear error rather than a silently different connection. */
const REFUSED: Record<string, string> = {
  attachdbfilename: 'AttachDbFilename (attaching a database file) is not supported: connect to a running server',
  'user instance': 'User Instance (SQL Express user instances) is not supported: connect to a running server',
  'failover partner': 'Failover Partner (database mirroring failover) is not supported: connect to the principal',
  multisubnetfailover: 'MultiSubnetFailover is not supported: connect to the listener or a replica directly',
  'network library': 'Network Library is not supported: only TCP connections are',
  'context connection': 'Context Connection (SQLCLR in-process) is not supported',
  'column encryption setting':
    'Column Encryption Setting (Always Encrypted decryption) is not supported: the audit never decrypts column values',
  'server certificate': 'Server Certificate (certificate pinning) is not supported yet: use HostNameInCertificate',
};

function bool(key: string, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (['true', 'yes', 'sspi'].includes(v)) return true;
  if (['false', 'no'].includes(v)) return false;
  throw new UserError('url', `connection string: ${key} must be true or false (got ${JSON.stringify(value)})`);
}

function encryptValue(value: string): boolean | 'strict' {
  const v = value.trim().toLowerCase();
  if (v === 'strict') return 'strict';
  if (v === 'mandatory') return true;
  if (v === 'optional') return false;
  return bool('Encrypt', value);
}

function positiveSeconds(key: string, value: string): number {
  const n = Number(value.trim());
  if (!Number.isInteger(n) || n < 0 || n > 2_147_483) {
    throw new UserError(
      'url',
      `connection string: ${key} must be a whole number of seconds (got ${JSON.stringify(value)})`,
    );
  }
  return n;
}

/**
 * Server / Data Source as SqlClient accepts it: `[tcp:]host[\instance][,port]`; `.`, `(local)` and
 * `localhost` are the local machine. Named pipes (`np:`), shared memory (`lpc:`), LocalDB and the
 * dedicated admin connection (`admin:`) are refused.
 */
export function parseDataSource(raw: string): {
  host: string;
  port: number | undefined;
  instanceName: string | undefined;
} {
  let s = raw.trim();
  const proto = /^([a-z]+):/i.exec(s);
  if (proto) {
    const p = (proto[1] as string).toLowerCase();
    if (p !== 'tcp') {
      throw new UserError(
        'url',
        `Data Source protocol ${p}: is not supported (only tcp:${p === 'admin' ? '; the dedicated admin connection is never used by an audit' : ''})`,
      );
    }
    s = s.slice(proto[0].length);
  }
  if (/^\(localdb\)/i.test(s)) throw new UserError('url', 'LocalDB data sources are not supported: use a TCP server');
  let port: number | undefined;
  const comma = s.lastIndexOf(',');
  if (comma >= 0) {
    const p = s.slice(comma + 1).trim();
    port = Number(p);
    if (!/^\d+$/.test(p) || port <= 0 || port > 65535)
      throw new UserError('url', `malformed port in Data Source: ${p}`);
    s = s.slice(0, comma);
  }
  let instanceName: string | undefined;
  const slash = s.indexOf('\\');
  if (slash >= 0) {
    instanceName = s.slice(slash + 1).trim() || undefined;
    s = s.slice(0, slash);
  }
  let host = s.trim();
  if (host === '.' || host.toLowerCase() === '(local)' || host === '') host = 'localhost';
  if (/[\s;]/.test(host)) throw new UserError('url', 'malformed host in Data Source');
  return { host, port, instanceName };
}

function displayOf(
  scheme: string,
  user: string,
  host: string,
  port: number | undefined,
  instance: string | undefined,
  db: string | undefined,
): string {
  const where = instance ? `${host}\\${instance}` : `${host}:${port ?? DEFAULT_PORT}`;
  return `${scheme}://${user ? `${user}@` : ''}${where}/${db ?? ''}`;
}

function buildConfig(
  t: Omit<MssqlTarget, 'config' | 'display'>,
  password: string | undefined,
  o: MssqlTargetOptions,
  extra: { appName?: string; readOnlyIntent?: boolean; serverName?: string },
): MssqlConfig {
  registerSecret(password);
  const config: MssqlConfig = {
    server: t.host,
    user: t.user,
    password: password ?? '',
    ...(t.port !== undefined && !t.instanceName ? { port: t.port } : {}),
    ...(t.database ? { database: t.database } : {}),
    connectionTimeout: o.connectTimeoutMs ?? 15_000,
    requestTimeout: o.statementTimeoutMs ?? 30_000,
    pool: { max: 1, min: 0 },
    options: {
      encrypt: t.encrypt as boolean,
      trustServerCertificate: t.trustServerCertificate,
      appName: extra.appName ?? 'qrtz-audit',
      ...(t.instanceName ? { instanceName: t.instanceName } : {}),
      ...(extra.readOnlyIntent ? { readOnlyIntent: true } : {}),
      ...(extra.serverName ? { serverName: extra.serverName } : {}),
      enableArithAbort: true,
      abortTransactionOnError: true,
    },
  };
  return config;
}

/** An ADO.NET / Microsoft.Data.SqlClient connection string. */
export function parseConnectionStringTarget(cs: string, o: MssqlTargetOptions = {}): MssqlTarget {
  let raw: Map<string, string>;
  try {
    raw = parseConnectionString(cs) as unknown as Map<string, string>;
  } catch {
    throw new UserError('url', 'malformed connection string (expected Key=Value;Key=Value…)');
  }
  const values = new Map<string, string>();
  const ignoredKeys: string[] = [];
  for (const [k, v] of raw) {
    const key = CANONICAL.get(k.toLowerCase().trim()) ?? CANONICAL.get(k.toLowerCase().replace(/[\s_-]/g, ''));
    if (!key) throw new UserError('url', `connection string: unknown keyword ${JSON.stringify(k.slice(0, 60))}`);
    if (key in REFUSED) {
      // Harmless "off" values of refused keys are fine (e.g. MultiSubnetFailover=False).
      if (/^(false|no|disabled|)$/i.test(v.trim())) continue;
      throw new UserError('url', `connection string: ${REFUSED[key]}`);
    }
    if (NO_EFFECT.has(key)) {
      ignoredKeys.push(key);
      continue;
    }
    if (!HONOURED.has(key))
      throw new UserError('url', `connection string: keyword ${JSON.stringify(k)} is not supported`);
    values.set(key, v);
  }
  const password = o.password ?? values.get('password');
  registerSecret(values.get('password'));
  if (values.has('integrated security') && bool('Integrated Security', values.get('integrated security') as string)) {
    throw new UserError(
      'url',
      'connection string: Integrated Security (Windows/Kerberos authentication) is not supported by qrtz-audit; connect with a SQL login (User Id and Password)',
    );
  }
  const auth = values.get('authentication');
  if (auth !== undefined && !/^\s*sql\s*password\s*$/i.test(auth)) {
    throw new UserError(
      'url',
      `connection string: Authentication=${JSON.stringify(auth)} is not supported (only SqlPassword: a SQL login)`,
    );
  }
  const dataSource = values.get('data source');
  if (!dataSource) throw new UserError('url', 'connection string: no Server / Data Source');
  const { host, port, instanceName } = parseDataSource(dataSource);
  const user = values.get('user id') ?? '';
  if (!user) throw new UserError('url', 'connection string: no User Id (a SQL login is required)');
  const database = values.get('initial catalog') || undefined;
  // Microsoft.Data.SqlClient 4+ (and tedious) default to Encrypt=true; the parser's schema says false.
  const encrypt = values.has('encrypt') ? encryptValue(values.get('encrypt') as string) : true;
  const trustServerCertificate = values.has('trustservercertificate')
    ? bool('TrustServerCertificate', values.get('trustservercertificate') as string)
    : false;
  const opts: MssqlTargetOptions = { ...o };
  if (values.has('connection timeout') && o.connectTimeoutMs === undefined) {
    opts.connectTimeoutMs =
      Math.max(1, positiveSeconds('Connect Timeout', values.get('connection timeout') as string)) * 1000;
  }
  if (values.has('command timeout') && o.statementTimeoutMs === undefined) {
    opts.statementTimeoutMs = positiveSeconds('Command Timeout', values.get('command timeout') as string) * 1000;
  }
  const intent = values.get('applicationintent');
  if (intent !== undefined && !/^\s*(readonly|readwrite)\s*$/i.test(intent)) {
    throw new UserError(
      'url',
      `connection string: ApplicationIntent must be ReadOnly or ReadWrite (got ${JSON.stringify(intent)})`,
    );
  }
  const t = {
    host,
    port,
    instanceName,
    database,
    user,
    encrypt,
    trustServerCertificate,
    source: 'connection-string' as const,
    ignoredKeys,
  };
  const extra: { appName?: string; readOnlyIntent?: boolean; serverName?: string } = {};
  const appName = values.get('application name');
  if (appName) extra.appName = appName;
  if (intent && /readonly/i.test(intent)) extra.readOnlyIntent = true;
  const hn = values.get('hostnameincertificate');
  if (hn) extra.serverName = hn;
  return {
    ...t,
    config: buildConfig(t, password, opts, extra),
    display: displayOf('mssql', user, host, port, instanceName, database),
  };
}

/**
 * `mssql://user:password@host[:port]/database?encrypt=true&trustServerCertificate=false&instanceName=X`
 * (also `sqlserver://`). Query keys are the ADO.NET keywords (any case, spaces optional) plus
 * instanceName; they go through the same honoured / no-effect / refused rules.
 */
export function parseMssqlUrl(url: string, o: MssqlTargetOptions = {}): MssqlTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserError('url', 'malformed connection URL (expected mssql://user@host:1433/database)');
  }
  const scheme = u.protocol.replace(/:$/, '').toLowerCase();
  if (scheme !== 'mssql' && scheme !== 'sqlserver')
    throw new UserError('url', `not a SQL Server URL: scheme ${scheme}`);
  const dec = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new UserError('url', 'malformed connection URL (bad percent-encoding)');
    }
  };
  const urlPassword = u.password ? dec(u.password) : undefined;
  registerSecret(urlPassword);
  const host = u.hostname ? dec(u.hostname).replace(/^\[|\]$/g, '') : 'localhost';
  const port = u.port ? Number(u.port) : undefined;
  if (port !== undefined && (!Number.isInteger(port) || port <= 0 || port > 65535))
    throw new UserError('url', 'malformed port in URL');
  const path = dec(u.pathname.replace(/^\//, ''));
  // Rebuild as a connection string so both forms share one set of rules.
  const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;
  const parts: string[] = [];
  let instanceName: string | undefined;
  for (const [k, v] of u.searchParams) {
    if (k.toLowerCase() === 'instancename' || k.toLowerCase() === 'instance') {
      instanceName = v;
      continue;
    }
    if (
      /^(password|pwd|userid|uid|user|server|datasource|address|addr|initialcatalog|database)$/i.test(
        k.replace(/[\s_-]/g, ''),
      )
    ) {
      throw new UserError('url', `URL query key ${k} is not allowed: put it in the URL itself`);
    }
    parts.push(`${k.replace(/[;=]/g, '')}=${quote(v)}`);
  }
  const user = u.username ? dec(u.username) : '';
  const ds = `tcp:${host}${instanceName ? `\\${instanceName}` : ''}${port !== undefined ? `,${port}` : ''}`;
  const cs = [
    `Data Source=${quote(ds)}`,
    ...(user ? [`User Id=${quote(user)}`] : []),
    ...(urlPassword !== undefined ? [`Password=${quote(urlPassword)}`] : []),
    ...(path ? [`Initial Catalog=${quote(path)}`] : []),
    ...parts,
  ].join(';');
  const t = parseConnectionStringTarget(cs, o);
  return { ...t, source: 'url', display: displayOf(scheme, t.user, t.host, t.port, t.instanceName, t.database) };
}

/** The target from ConnectOptions: a connection string (extra.connectionString) wins over the URL. */
export function mssqlTarget(url: string, connectionString: string | undefined, o: MssqlTargetOptions): MssqlTarget {
  if (connectionString !== undefined) {
    registerSecret(/password\s*=\s*("([^"]|"")*"|'([^']|'')*'|[^;]*)/i.exec(connectionString)?.[1]);
    return parseConnectionStringTarget(connectionString, o);
  }
  if (/^(mssql|sqlserver):\/*$/i.test(url)) {
    throw new UserError('url', 'no server: give mssql://user@host/database or --connection-string-env VAR');
  }
  return parseMssqlUrl(url, o);
}

/** SQL Server error numbers the adapter reacts to. */
export const MSSQL_ERRORS = {
  LOCK_TIMEOUT: 1222,
  PERMISSION_DENIED: 229,
  SERVER_PERMISSION_DENIED: 300,
  VIEW_SERVER_STATE: 297,
  INVALID_OBJECT: 208,
  INVALID_COLUMN: 207,
  SNAPSHOT_NOT_ALLOWED: 3952,
  LOGIN_FAILED: 18456,
  CANNOT_OPEN_DATABASE: 4060,
} as const;

function errNumber(err: unknown): number | undefined {
  const e = err as { number?: number; originalError?: { number?: number; info?: { number?: number } } };
  return e?.number ?? e?.originalError?.number ?? e?.originalError?.info?.number;
}

export type FailureCause = 'privilege' | 'lock-timeout' | 'statement-timeout' | 'other';

/** Why a statement failed, for `Unreadable.cause`. */
export function failureCause(err: unknown): FailureCause {
  const n = errNumber(err);
  const code = (err as { code?: string })?.code;
  if (n === MSSQL_ERRORS.LOCK_TIMEOUT) return 'lock-timeout';
  if (code === 'ETIMEOUT') return 'statement-timeout';
  if (
    n === MSSQL_ERRORS.PERMISSION_DENIED ||
    n === MSSQL_ERRORS.SERVER_PERMISSION_DENIED ||
    n === MSSQL_ERRORS.VIEW_SERVER_STATE
  )
    return 'privilege';
  return 'other';
}

/**
 * True when the connection itself is gone (streams end with an error instead of skipping a table): tedious's
 * own codes (ECLOSE: closed before the request completed, EINVALIDSTATE: a request on a connection that is
 * no longer logged in, ESOCKET, ECONNRESET) and the `mssql` package's (ECONNCLOSED, ENOTOPEN, ENOCONN).
 */
export function connectionLost(err: unknown): boolean {
  const code = (err as { code?: string })?.code ?? '';
  return ['ECLOSE', 'EINVALIDSTATE', 'ESOCKET', 'ECONNRESET', 'ECONNCLOSED', 'ENOTOPEN', 'ENOCONN'].includes(code);
}

/** Error codes anywhere in a driver error: the error, originalError, cause, AggregateError.errors. */
function nestedCodes(err: unknown, seen = new Set<unknown>()): Set<string> {
  const out = new Set<string>();
  if (!err || typeof err !== 'object' || seen.has(err) || seen.size > 20) return out;
  seen.add(err);
  const e = err as { code?: unknown; originalError?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string') out.add(e.code);
  for (const next of [e.originalError, e.cause, ...(Array.isArray(e.errors) ? e.errors : [])]) {
    for (const c of nestedCodes(next, seen)) out.add(c);
  }
  return out;
}

/** Maps a tedious/mssql error to one clear line (never containing the password). */
export function mapMssqlError(err: unknown, display: string): UserError {
  if (err instanceof UserError) return err;
  const e = err as { code?: string; message?: string; originalError?: { code?: string; message?: string } };
  const code = e?.code ?? '';
  const inner = e?.originalError as { code?: string; message?: string; errors?: { code?: string }[] } | undefined;
  const msg = String(e?.message ?? err);
  const where = display.replace(/\/[^/]*$/, '');
  const n = errNumber(err);
  if (n === MSSQL_ERRORS.LOGIN_FAILED || code === 'ELOGIN') {
    return new UserError('auth', `login failed for ${display} (wrong login or password, or the login is disabled)`, {
      cause: err,
    });
  }
  if (n === MSSQL_ERRORS.CANNOT_OPEN_DATABASE) {
    return new UserError('database', `cannot open the database of ${display} (missing, or no user for this login)`, {
      cause: err,
    });
  }
  if (code === 'EINSTLOOKUP') {
    return new UserError('connection', `instance lookup failed for ${where} (SQL Browser on UDP 1434 not answering?)`, {
      cause: err,
    });
  }
  const codes = nestedCodes(err);
  const text = `${msg} ${inner?.message ?? ''}`;
  if (codes.has('ECONNREFUSED')) {
    return new UserError('connection', `connection refused by ${where}`, { cause: err });
  }
  if (codes.has('ENOTFOUND') || codes.has('EAI_AGAIN') || /getaddrinfo/.test(text)) {
    return new UserError('connection', `unknown host in ${display}`, { cause: err });
  }
  if (code === 'ETIMEOUT' || /timeout/i.test(text)) {
    return new UserError('timeout', `connection to ${display} timed out`, { cause: err });
  }
  if (/certificate|self[- ]signed|SSL|TLS/i.test(text)) {
    return new UserError(
      'connection',
      `TLS to ${where} failed: the server certificate was not trusted (install its CA, fix the host name, or — knowingly — TrustServerCertificate=True)`,
      { cause: err },
    );
  }
  const oneLine = msg.replace(/\s+/g, ' ').slice(0, 200);
  return new UserError('connection', `cannot use ${display}: ${oneLine}`, { cause: err });
}
