/**
 * Connection strings of a Quartz application: ADO.NET key=value strings (SqlClient, Npgsql, MySqlConnector,
 * MySql.Data, SQLite; parsed with @tediousjs/connection-string, which implements the ADO.NET quoting
 * rules), JDBC URLs and postgres:// / mysql:// URLs. The password is never kept in an enumerable field:
 * it is registered with registerSecret() as soon as it is read.
 */
import { parse as parseAdo } from '@tediousjs/connection-string';
import { isPlaceholder } from '../secrets/placeholder.js';
import { registerSecret } from '../secrets/redact.js';
import type { ConnectionFact, Location, PasswordState, TargetDialect } from './model.js';

const USER_KEYS = ['user id', 'userid', 'uid', 'user', 'username', 'user name'];
const PASSWORD_KEYS = ['password', 'pwd'];
const HOST_KEYS = ['server', 'host', 'data source', 'datasource', 'address', 'addr', 'network address'];
const DB_KEYS = ['database', 'initial catalog', 'db'];

/** Provider / delegate / driver / JDBC-scheme name → dialect. */
export function dialectOf(name: string | undefined): TargetDialect | undefined {
  if (!name) return undefined;
  const n = name.toLowerCase();
  if (/sqlite/.test(n)) return 'sqlite';
  if (/npgsql|postgres|pgsql/.test(n)) return 'postgres';
  if (/mysql|mariadb/.test(n)) return 'mysql';
  if (/sqlserver|sqlclient|mssql|jtds/.test(n)) return 'sqlserver';
  if (/oracle|odp/.test(n)) return 'oracle';
  return undefined;
}

/** A password value that is a reference to a secret store, not the secret. */
export function passwordReference(value: string): string | undefined {
  const v = value.trim();
  if (/^ENC\(.*\)$/s.test(v)) return 'ENC(…) (Jasypt-encrypted)';
  if (/^\{cipher\}/i.test(v)) return '{cipher}… (encrypted)';
  if (isPlaceholder(v) && v.length > 0) return v.length > 120 ? `${v.slice(0, 117)}…` : v;
  return undefined;
}

function classifyPassword(pw: string | undefined): { state: PasswordState; ref?: string; secret?: string } {
  if (pw === undefined || pw.length === 0) return { state: 'none' };
  const ref = passwordReference(pw);
  if (ref !== undefined) return { state: 'reference', ref };
  registerSecret(pw);
  return { state: 'plaintext', secret: pw };
}

function truthy(v: string | undefined): boolean {
  return v !== undefined && /^(true|yes|sspi|1)$/i.test(v.trim());
}

/** Key=value settings that turn transport security off (ADO.NET and JDBC spellings). */
export function insecureSettings(pairs: Iterable<[string, string]>): string[] {
  const out: string[] = [];
  for (const [k0, v0] of pairs) {
    const k = k0.toLowerCase().replace(/[\s_]/g, '');
    const v = v0.trim().toLowerCase();
    const show = `${k0.trim()}=${v0.trim()}`;
    if (k === 'encrypt' && /^(false|no|optional|0|disable|disabled)$/.test(v)) out.push(show);
    else if (k === 'trustservercertificate' && /^(true|yes|1)$/.test(v)) out.push(show);
    else if ((k === 'sslmode' || k === 'ssl-mode') && /^(disable|disabled|none|allow)$/.test(v)) out.push(show);
    else if ((k === 'usessl' || k === 'ssl' || k === 'requiressl') && /^(false|no|0)$/.test(v)) out.push(show);
    else if (k === 'sslfactory' && /nonvalidating/.test(v)) out.push(show);
    else if (k === 'verifyservercertificate' && /^(false|no|0)$/.test(v)) out.push(show);
  }
  return out;
}

function withHidden(fact: Omit<ConnectionFact, 'raw' | 'secretValue'>, raw: string, secret?: string): ConnectionFact {
  Object.defineProperty(fact, 'raw', { value: raw, enumerable: false });
  if (secret !== undefined) Object.defineProperty(fact, 'secretValue', { value: secret, enumerable: false });
  return fact as ConnectionFact;
}

function splitHostPort(h: string): { host: string; port?: number } {
  const t = h.replace(/^tcp:/i, '').trim();
  const comma = /^(.*),(\d+)$/.exec(t); // SQL Server host,port
  if (comma) return { host: comma[1] as string, port: Number(comma[2]) };
  const colon = /^([^:]+):(\d+)$/.exec(t);
  if (colon) return { host: colon[1] as string, port: Number(colon[2]) };
  return { host: t };
}

/** Parse an ADO.NET connection string (any provider). Throws on malformed quoting. */
export function parseAdoConnection(raw: string, name: string, loc: Location, provider?: string): ConnectionFact {
  const map = parseAdo(raw) as unknown as Map<string, string>;
  const get = (keys: string[]) => {
    for (const k of keys) {
      const v = map.get(k);
      if (v !== undefined) return String(v);
    }
    return undefined;
  };
  const pw = classifyPassword(get(PASSWORD_KEYS));
  const dialect = dialectOf(provider);
  const fact: Omit<ConnectionFact, 'raw' | 'secretValue'> = {
    name,
    file: loc.file,
    format: 'ado',
    password: pw.state,
    insecureTransport: insecureSettings([...map.entries()].map(([k, v]) => [k, String(v)] as [string, string])),
  };
  if (loc.line !== undefined) fact.line = loc.line;
  if (provider) fact.provider = provider;
  const user = get(USER_KEYS);
  if (user) fact.user = user;
  if (pw.ref) fact.passwordReference = pw.ref;
  const integrated = truthy(map.get('integrated security')) || truthy(map.get('trusted_connection'));
  if (integrated && pw.state === 'none') fact.password = 'integrated';
  const ds = get(HOST_KEYS);
  const isSqlite =
    dialect === 'sqlite' ||
    (!dialect && ds !== undefined && /\.(db|sqlite3?|s3db)$/i.test(ds) && !map.has('server') && !map.has('host'));
  if (isSqlite) {
    fact.dialect = 'sqlite';
    if (ds) fact.dataFile = ds;
    if (pw.state === 'none' && !user) fact.password = 'integrated';
  } else {
    if (dialect) fact.dialect = dialect;
    if (ds) {
      const hp = splitHostPort(ds);
      fact.host = hp.host;
      if (hp.port !== undefined) fact.port = hp.port;
    }
    const port = map.get('port');
    if (port && /^\d+$/.test(port)) fact.port = Number(port);
    const db = get(DB_KEYS);
    if (db) fact.database = db;
    const sp = firstSchema(get(['search path', 'searchpath']));
    if (sp) fact.schema = sp;
  }
  return withHidden(fact, raw, pw.secret);
}

/** Parse a JDBC URL (jdbc:postgresql://…, jdbc:mysql://…, jdbc:mariadb://…, jdbc:sqlserver://…;k=v, jdbc:sqlite:…). */
export function parseJdbcUrl(
  raw: string,
  name: string,
  loc: Location,
  extra: { user?: string; password?: string; driver?: string } = {},
): ConnectionFact {
  const m = /^jdbc:([a-z0-9]+)(?::([a-z0-9]+))?:(.*)$/is.exec(raw.trim());
  const scheme = (m?.[1] ?? '').toLowerCase();
  const rest = m?.[3] ?? '';
  const params: [string, string][] = [];
  let host: string | undefined;
  let port: number | undefined;
  let database: string | undefined;
  let dataFile: string | undefined;
  if (scheme === 'sqlite') {
    dataFile = (m?.[2] ? `${m[2]}:${rest}` : rest).replace(/\?.*$/, '');
  } else if (scheme === 'sqlserver' || scheme === 'jtds') {
    // jdbc:sqlserver://host:1433;databaseName=x;encrypt=false
    const [hostPart = '', ...props] = rest.replace(/^\/\//, '').split(';');
    const hp = splitHostPort(hostPart.split('\\')[0] ?? '');
    host = hp.host || undefined;
    port = hp.port;
    for (const p of props) {
      const i = p.indexOf('=');
      if (i > 0) params.push([p.slice(0, i), p.slice(i + 1)]);
    }
    database = params.find(([k]) => /^(databasename|database)$/i.test(k))?.[1];
  } else {
    const body = m?.[2] ? `${m[2]}:${rest}` : rest; // jdbc:mysql:loadbalance://… keeps the sub-protocol
    const u = /^(?:[a-z:]+:)?\/\/(?:([^@/?]*)@)?([^/?]*)(?:\/([^?]*))?(?:\?(.*))?$/is.exec(body);
    if (u) {
      const hp = splitHostPort((u[2] ?? '').split(',')[0] ?? '');
      host = hp.host || undefined;
      port = hp.port;
      database = u[3] ? decodeURIComponent(u[3]) : undefined;
      for (const p of (u[4] ?? '').split('&')) {
        const i = p.indexOf('=');
        if (i > 0) params.push([decodeURIComponent(p.slice(0, i)), safeDecode(p.slice(i + 1))]);
      }
      if (u[1]) {
        const [user, pass] = u[1].split(':');
        if (user) params.push(['user', safeDecode(user)]);
        if (pass !== undefined) params.push(['password', safeDecode(pass)]);
      }
    }
  }
  const param = (k: string) => params.find(([pk]) => pk.toLowerCase() === k)?.[1];
  const user = extra.user ?? param('user') ?? param('username');
  const pw = classifyPassword(extra.password ?? param('password'));
  const fact: Omit<ConnectionFact, 'raw' | 'secretValue'> = {
    name,
    file: loc.file,
    format: 'jdbc',
    password: pw.state,
    insecureTransport: insecureSettings(params),
  };
  if (loc.line !== undefined) fact.line = loc.line;
  const dialect = dialectOf(scheme);
  if (dialect) fact.dialect = dialect;
  else if (scheme) fact.dialect = 'other';
  if (extra.driver) fact.provider = extra.driver;
  else if (scheme) fact.provider = `jdbc:${scheme}`;
  if (user) fact.user = user;
  if (pw.ref) fact.passwordReference = pw.ref;
  if (host) fact.host = host;
  if (port !== undefined) fact.port = port;
  if (database) fact.database = database;
  const cs = firstSchema(param('currentschema'));
  if (cs) fact.schema = cs;
  if (dataFile) {
    fact.dataFile = dataFile;
    if (pw.state === 'none') fact.password = 'integrated';
  }
  return withHidden(fact, raw, pw.secret);
}

/** The first schema of a search path ("quartz, public" → quartz; quotes removed; $user skipped). */
function firstSchema(v: string | undefined): string | undefined {
  for (const part of (v ?? '').split(',')) {
    const s = part.trim().replace(/^"(.*)"$/, '$1');
    if (s && s !== '$user') return s;
  }
  return undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** postgres://, postgresql://, mysql://, mariadb://, sqlite: URLs (some apps keep these in config). */
export function parseUrlConnection(raw: string, name: string, loc: Location, provider?: string): ConnectionFact {
  const f = parseJdbcUrl(`jdbc:${raw.trim()}`, name, loc);
  const fact = { ...f, format: 'url' as const };
  if (provider) fact.provider = provider;
  return withHidden(fact, raw, f.secretValue);
}

/** Any connection-string shape: JDBC URL, URL, or ADO.NET. */
export function parseConnection(raw: string, name: string, loc: Location, provider?: string): ConnectionFact {
  const t = raw.trim();
  if (/^jdbc:/i.test(t)) return parseJdbcUrl(t, name, loc, provider ? { driver: provider } : {});
  if (/^(postgres|postgresql|mysql|mariadb):\/\//i.test(t)) return parseUrlConnection(t, name, loc, provider);
  return parseAdoConnection(raw, name, loc, provider);
}
