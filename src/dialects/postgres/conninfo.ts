/**
 * libpq's connection parameters as the audit takes them: keyword/value strings (`host=db port=5432
 * dbname=quartz user=auditor sslmode=verify-full`, with libpq's quoting rules), connection services
 * (`service=NAME` or PGSERVICE, looked up in PGSERVICEFILE or ~/.pg_service.conf, then
 * PGSYSCONFDIR/pg_service.conf), and the keyword table every PostgreSQL form (URL, keyword string,
 * JDBC, Npgsql) is brought to. Each keyword is honoured, accepted as having no effect on the audit
 * (listed in NO_EFFECT, with why), or refused with one line naming it: never silently dropped.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../errors.js';

/** libpq keywords the audit honours. */
export const HONOURED = [
  'host',
  'hostaddr',
  'port',
  'dbname',
  'user',
  'password',
  'sslmode',
  'sslcert',
  'sslkey',
  'sslrootcert',
  'service',
  'requiressl',
] as const;

/**
 * Keywords accepted without effect on the audit session (it names itself, bounds its own connect
 * time with --connect-timeout, and keeps its one connection for the audit's duration).
 */
export const NO_EFFECT: Record<string, (v: string) => boolean> = {
  application_name: () => true,
  fallback_application_name: () => true,
  connect_timeout: () => true,
  keepalives: () => true,
  keepalives_idle: () => true,
  keepalives_interval: () => true,
  keepalives_count: () => true,
  tcp_user_timeout: () => true,
  sslcompression: () => true,
  sslsni: () => true,
  ssl_min_protocol_version: () => true,
  client_encoding: (v) => /^(utf-?8|unicode|auto)$/i.test(v),
  target_session_attrs: (v) => /^(any|read-write|primary)$/i.test(v),
  gssencmode: (v) => /^(disable|prefer)$/i.test(v),
  channel_binding: (v) => /^(disable|prefer)$/i.test(v),
  load_balance_hosts: (v) => /^disable$/i.test(v),
  sslnegotiation: (v) => /^postgres$/i.test(v),
};

/** Why a keyword the audit cannot honour is refused. */
const REFUSED: Record<string, string> = {
  options: 'it would change the session settings the audit pins (search_path, read-only, timeouts)',
  passfile: 'give the password file with PGPASSFILE instead',
  sslpassword: 'encrypted client keys are not supported: give an unencrypted key file',
  sslcrl: 'certificate revocation lists are not supported',
  sslcrldir: 'certificate revocation lists are not supported',
  krbsrvname: 'Kerberos/GSSAPI authentication is not supported',
  gsslib: 'Kerberos/GSSAPI authentication is not supported',
  require_auth: 'require_auth is not supported',
  replication: 'a replication connection cannot run the audit',
  ssl_max_protocol_version: 'TLS protocol bounds are not supported',
};

/** One keyword map: lower-case libpq keywords → values. */
export type Conninfo = Map<string, string>;

/**
 * Parses a libpq keyword/value string. Values may be single-quoted (`'a b'`); inside quotes and
 * out, a backslash escapes the next character. Throws one line naming what is wrong (never a value).
 */
export function parseKeywordString(s: string): Conninfo {
  const out: Conninfo = new Map();
  let i = 0;
  const n = s.length;
  const ws = (c: string | undefined) => c !== undefined && /\s/.test(c);
  while (i < n) {
    while (ws(s[i])) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && s[i] !== '=' && !ws(s[i])) i++;
    const key = s.slice(start, i);
    while (ws(s[i])) i++;
    if (s[i] !== '=' || !key) {
      // Never the text itself when it follows a password: an unquoted password holding a space splits there.
      const prev = [...out.keys()].pop();
      throw new UserError(
        'url',
        prev === 'password'
          ? 'connection string: missing "=" after the password (a value holding spaces must be quoted: password=\'…\')'
          : `connection string: missing "=" after ${JSON.stringify(key.slice(0, 40))}`,
      );
    }
    i++;
    while (ws(s[i])) i++;
    let value = '';
    if (s[i] === "'") {
      i++;
      let closed = false;
      while (i < n) {
        const c = s[i] as string;
        if (c === '\\' && i + 1 < n) {
          value += s[i + 1];
          i += 2;
        } else if (c === "'") {
          closed = true;
          i++;
          break;
        } else {
          value += c;
          i++;
        }
      }
      if (!closed) throw new UserError('url', `connection string: unterminated quoted value of ${key}`);
    } else {
      while (i < n && !ws(s[i])) {
        if (s[i] === '\\' && i + 1 < n) {
          value += s[i + 1];
          i += 2;
        } else value += s[i++];
      }
    }
    out.set(key.toLowerCase(), value);
  }
  if (out.size === 0) throw new UserError('url', 'connection string: empty');
  return out;
}

/**
 * True when a string reads as a libpq keyword/value string: its first key is a libpq keyword and no
 * `;` stands outside a quoted value (ADO.NET strings separate their pairs with `;`).
 */
export function looksLikeKeywordString(s: string): boolean {
  const m = /^\s*([a-z_]+)\s*=/i.exec(s);
  if (!m?.[1]) return false;
  const k = m[1].toLowerCase();
  if (s.replace(/'(?:\\.|[^'\\])*'/g, "''").includes(';')) return false;
  return (HONOURED as readonly string[]).includes(k) || k in NO_EFFECT || k in REFUSED;
}

/** Rejects keywords the audit cannot honour; returns the no-effect ones found (for notes). */
export function checkKeywords(kw: Conninfo, where: string): string[] {
  const noEffect: string[] = [];
  for (const [k, v] of kw) {
    if ((HONOURED as readonly string[]).includes(k)) continue;
    const accept = NO_EFFECT[k];
    if (accept) {
      if (!accept(v)) throw new UserError('url', `${where}: ${k}=${JSON.stringify(v.slice(0, 40))} is not supported`);
      noEffect.push(k);
      continue;
    }
    const why = REFUSED[k];
    throw new UserError(
      'url',
      why ? `${where}: ${k} is not supported: ${why}` : `${where}: unknown parameter ${JSON.stringify(k.slice(0, 60))}`,
    );
  }
  return noEffect;
}

/** The service files libpq reads, in its order: the user's file first, then the system one. */
export function serviceFiles(env: NodeJS.ProcessEnv, home: string = homedir()): string[] {
  const user = env.PGSERVICEFILE || join(env.HOME || home, '.pg_service.conf');
  const sysdir = env.PGSYSCONFDIR || '/etc/postgresql-common';
  return [user, join(sysdir, 'pg_service.conf')];
}

/** Reads one INI-style service file; undefined when it does not exist. */
function readServiceFile(file: string): Map<string, Conninfo> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new UserError('input', `cannot read the service file ${JSON.stringify(file)} (${code ?? 'unreadable'})`);
  }
  const sections = new Map<string, Conninfo>();
  let current: Conninfo | undefined;
  text.split(/\r?\n/).forEach((line0, idx) => {
    const line = line0.trim();
    if (!line || line.startsWith('#')) return;
    const sec = /^\[(.+)\]$/.exec(line);
    if (sec?.[1]) {
      current = new Map();
      sections.set(sec[1].trim(), current);
      return;
    }
    const eq = line.indexOf('=');
    if (eq <= 0 || !current) {
      throw new UserError('input', `syntax error in service file ${JSON.stringify(file)}, line ${idx + 1}`);
    }
    current.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
  });
  return sections;
}

/** The parameters of connection service `name`, as libpq finds them (one clear line when it does not). */
export function lookupService(name: string, env: NodeJS.ProcessEnv, home?: string): Conninfo {
  const files = serviceFiles(env, home);
  for (const file of files) {
    const sections = readServiceFile(file);
    const found = sections?.get(name);
    if (found) {
      if (found.has('service')) throw new UserError('input', `service ${name}: nested "service" in ${file}`);
      return found;
    }
  }
  throw new UserError(
    'input',
    `definition of service ${JSON.stringify(name)} not found (looked in ${files.join(', ')})`,
  );
}

/**
 * Fills in what the keyword map does not say, as libpq does: the service's parameters first
 * (`service=` or PGSERVICE), then the PG* environment variables. Explicit parameters always win.
 */
export function withServiceAndEnv(kw: Conninfo, env: NodeJS.ProcessEnv, home?: string): Conninfo {
  const out: Conninfo = new Map(kw);
  const service = kw.get('service') || env.PGSERVICE;
  if (service) {
    const svc = lookupService(service, env, home);
    checkKeywords(svc, `service ${service}`);
    for (const [k, v] of svc) if (!out.has(k)) out.set(k, v);
  }
  out.delete('service');
  const fromEnv: [string, string | undefined][] = [
    ['host', env.PGHOST],
    ['hostaddr', env.PGHOSTADDR],
    ['port', env.PGPORT],
    ['dbname', env.PGDATABASE],
    ['user', env.PGUSER],
    ['password', env.PGPASSWORD],
    ['sslmode', env.PGSSLMODE],
    ['sslcert', env.PGSSLCERT],
    ['sslkey', env.PGSSLKEY],
    ['sslrootcert', env.PGSSLROOTCERT],
  ];
  for (const [k, v] of fromEnv) if (v && !out.has(k)) out.set(k, v);
  return out;
}

/** Percent-encodes for a postgres:// URL. */
const enc = (s: string) => encodeURIComponent(s);

/**
 * A keyword map as the postgres:// URL the PostgreSQL adapter takes, without the password (it is
 * handed over separately). Keywords stay query parameters, so every rule applies once, there.
 */
export function conninfoToUrl(kw: Conninfo): string {
  const user = kw.get('user');
  const host = kw.get('host');
  const port = kw.get('port');
  const db = kw.get('dbname');
  const hostPart = host && !host.startsWith('/') ? (host.includes(':') ? `[${host}]` : enc(host)) : '';
  const query = new URLSearchParams();
  for (const [k, v] of kw) {
    if (['user', 'password', 'dbname', 'port'].includes(k)) continue;
    if (k === 'host' && hostPart) continue;
    query.set(k, v);
  }
  if (port && !hostPart) query.set('port', port);
  const q = query.toString();
  return `postgres://${user ? `${enc(user)}@` : ''}${hostPart}${hostPart && port ? `:${port}` : ''}/${db ? enc(db) : ''}${q ? `?${q}` : ''}`;
}
