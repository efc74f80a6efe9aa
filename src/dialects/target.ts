/**
 * The connection strings users already have, brought to the one form each adapter takes: JDBC URLs
 * (`jdbc:postgresql://`, `jdbc:mysql://`, `jdbc:mariadb://`, `jdbc:sqlserver://host:port;k=v`),
 * ADO.NET strings for Npgsql, MySqlConnector / MySql.Data and SqlClient (split by
 * @tediousjs/connection-string, which implements the ADO.NET quoting rules), and libpq keyword
 * strings (`host=… dbname=… sslmode=…`, `service=NAME`). PostgreSQL forms become a postgres:// URL,
 * MySQL forms a mysql:// or mariadb:// URL, SQL Server forms an ADO.NET string for the SQL Server
 * connection part; every option is mapped to the adapter's own keyword (whose rules then apply
 * once), accepted as having no effect on the audit, or refused with one line naming it. A password
 * never goes into the URL: it is handed over separately, registered for redaction first.
 */
import { parse as parseAdo } from '@tediousjs/connection-string';
import { UserError } from '../errors.js';
import { registerSecret } from '../secrets/redact.js';
import { type Conninfo, conninfoToUrl, looksLikeKeywordString, parseKeywordString } from './postgres/conninfo.js';

export type DialectHint = 'postgres' | 'mysql' | 'mariadb' | 'mssql';

export interface TargetRequest {
  /** The URL argument as given (may be a JDBC URL, an ADO.NET or libpq keyword string, or a scheme-only hint such as `mssql:`). */
  url?: string;
  /** --connection-string, or the value of the variable --connection-string-env names. */
  connectionString?: string;
  /** --dialect. */
  dialect?: string;
}

export interface ResolvedTarget {
  /** What the adapters take: postgres://, mysql://, mariadb://, mssql: (with connectionString), sqlite:… */
  url: string;
  /** The password the string held (never in `url`). */
  password?: string;
  /** SQL Server: the ADO.NET string for the SQL Server connection part. */
  connectionString?: string;
  /** A schema the string names (pgjdbc currentSchema, Npgsql Search Path), for --schema's default. */
  schema?: string;
  /** Which form the target was given in. */
  form: 'url' | 'jdbc' | 'ado' | 'keywords';
  /** Options accepted without effect on the audit (names only). */
  noEffect: string[];
}

const DIALECT_NAMES: Record<string, DialectHint> = {
  postgres: 'postgres',
  postgresql: 'postgres',
  npgsql: 'postgres',
  mysql: 'mysql',
  mysqlconnector: 'mysql',
  'mysql.data': 'mysql',
  mariadb: 'mariadb',
  mssql: 'mssql',
  sqlserver: 'mssql',
  sqlclient: 'mssql',
};

export const DIALECT_CHOICES = 'postgres, mysql, mariadb, mssql';

/** --dialect: a database or ADO.NET provider name. */
export function parseDialect(value: string | undefined): DialectHint | undefined {
  if (value === undefined) return undefined;
  const d = DIALECT_NAMES[value.trim().toLowerCase()];
  if (!d) throw new UserError('usage', `--dialect: unknown database ${JSON.stringify(value)} (${DIALECT_CHOICES})`);
  return d;
}

const SCHEME_ONLY = /^(postgres|postgresql|mysql|mariadb|mssql|sqlserver):\/{0,2}$/i;

/** Brings what the user gave to the form the adapters take. */
export function resolveTarget(req: TargetRequest): ResolvedTarget {
  let hint = parseDialect(req.dialect);
  if (req.connectionString !== undefined) {
    if (req.url !== undefined) {
      if (!SCHEME_ONLY.test(req.url.trim())) {
        throw new UserError(
          'usage',
          'give either a database URL or --connection-string / --connection-string-env, not both',
        );
      }
      const fromUrl = parseDialect(req.url.trim().replace(/:.*$/, ''));
      if (hint && fromUrl && hint !== fromUrl && !(hint === 'mariadb' && fromUrl === 'mysql')) {
        throw new UserError('usage', `--dialect ${hint} and the URL ${req.url.trim()} name different databases`);
      }
      hint ??= fromUrl;
    }
    if (!req.connectionString.trim()) throw new UserError('usage', 'the connection string is empty');
    return classify(req.connectionString, hint, true);
  }
  if (req.url === undefined) throw new UserError('usage', 'scan needs a database URL or --from-config FILE|DIR');
  return classify(req.url, hint, false);
}

function classify(s: string, hint: DialectHint | undefined, fromOption: boolean): ResolvedTarget {
  const t = s.trim();
  if (/^jdbc:/i.test(t)) return fromJdbc(t);
  // A URL (also through --connection-string) is taken as the URL argument is.
  if (/^[a-z][a-z0-9+.-]*:/i.test(t) && !/^[a-z][a-z0-9 _.-]*=/i.test(t)) return { url: t, form: 'url', noEffect: [] };
  if (/\.(db|sqlite3?)$/i.test(t) && !t.includes(';')) return { url: t, form: 'url', noEffect: [] };
  if ((hint === undefined || hint === 'postgres') && looksLikeKeywordString(t)) return fromKeywords(t);
  if (t.includes('=')) return fromAdo(t, hint);
  if (fromOption) throw new UserError('url', 'malformed connection string (expected Key=Value;Key=Value…)');
  return { url: t, form: 'url', noEffect: [] };
}

// ---------------------------------------------------------------- libpq keyword strings

function fromKeywords(s: string): ResolvedTarget {
  const kw = parseKeywordString(s);
  return pgResult(kw, 'keywords', [], undefined);
}

function pgResult(kw: Conninfo, form: ResolvedTarget['form'], noEffect: string[], schema?: string): ResolvedTarget {
  const password = kw.get('password');
  kw.delete('password');
  registerSecret(password);
  return {
    url: conninfoToUrl(kw),
    form,
    noEffect,
    ...(password !== undefined ? { password } : {}),
    ...(schema ? { schema } : {}),
  };
}

// ---------------------------------------------------------------- JDBC

/** Splits `?a=b&c=d` into decoded pairs (JDBC drivers percent-decode values). */
function queryPairs(q: string): [string, string][] {
  const out: [string, string][] = [];
  for (const part of q.split('&')) {
    if (!part) continue;
    const i = part.indexOf('=');
    const k = i < 0 ? part : part.slice(0, i);
    const v = i < 0 ? '' : part.slice(i + 1);
    out.push([dec(k), dec(v)]);
  }
  return out;
}

/** A JDBC property name for an error line — unless it follows the password (an unencoded `&` in it splits there). */
function propShown(pairs: [string, string][], key: string): string {
  const i = pairs.findIndex(([k]) => k === key);
  if (i > 0 && /^password$/i.test(pairs[i - 1]?.[0] ?? '')) {
    return '(after the password: a password holding "&" must be percent-encoded: %26)';
  }
  return JSON.stringify(key.slice(0, 60));
}

function dec(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new UserError('url', 'malformed JDBC URL (bad percent-encoding)');
  }
}

/** `//host[:port][/db][?query]` → its parts; several hosts are refused. */
function authority(rest: string, what: string): { host?: string; port?: string; db?: string; query: string } {
  const m = /^\/\/([^/?]*)(?:\/([^?]*))?(?:\?(.*))?$/s.exec(rest);
  if (!m) throw new UserError('url', `malformed ${what} URL (expected ${what}://host:port/database)`);
  const auth = m[1] ?? '';
  if (auth.includes(',') || auth.includes('(')) {
    throw new UserError('url', `${what}: several hosts in one URL are not supported: audit each server`);
  }
  if (auth.includes('@')) throw new UserError('url', `${what}: give user and password as properties (user=…)`);
  const hp = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(auth);
  if (!hp) throw new UserError('url', `malformed ${what} URL: bad host`);
  const host = hp[1] ? hp[1].replace(/^\[|\]$/g, '') : undefined;
  return {
    ...(host ? { host } : {}),
    ...(hp[2] ? { port: hp[2] } : {}),
    ...(m[2] ? { db: dec(m[2]) } : {}),
    query: m[3] ?? '',
  };
}

function fromJdbc(url: string): ResolvedTarget {
  const m = /^jdbc:([a-z0-9]+)(:[a-z0-9]+)?:(.*)$/is.exec(url);
  const sub = (m?.[1] ?? '').toLowerCase();
  const rest = m?.[3] ?? '';
  if (m?.[2] && ['mysql', 'mariadb', 'postgresql', 'pgsql'].includes(sub)) {
    throw new UserError(
      'url',
      `jdbc:${sub}${m[2].toLowerCase()}: load-balancing and replication URLs are not supported: audit each server`,
    );
  }
  if (m?.[2]) sub2Unsupported(sub);
  if (sub === 'postgresql' || sub === 'pgsql') return jdbcPostgres(rest);
  if (sub === 'mysql' || sub === 'mariadb') return jdbcMysql(rest, sub);
  if (sub === 'sqlserver') return jdbcSqlServer(rest);
  return sub2Unsupported(sub);
}

function sub2Unsupported(sub: string): never {
  throw new UserError(
    'url',
    `unsupported JDBC URL jdbc:${sub}: (supported: jdbc:postgresql:, jdbc:mysql:, jdbc:mariadb:, jdbc:sqlserver:)`,
  );
}

/** pgjdbc properties: libpq keyword they are, or no effect (null), or why refused (string). */
const PGJDBC: Record<string, string | null | ((v: string) => string | null)> = {
  user: 'user',
  password: 'password',
  sslmode: 'sslmode',
  sslcert: 'sslcert',
  sslkey: 'sslkey',
  sslrootcert: 'sslrootcert',
  applicationname: null,
  connecttimeout: null,
  logintimeout: null,
  sockettimeout: null,
  tcpkeepalive: null,
  preparethreshold: null,
  preparedstatementcachequeries: null,
  preparedstatementcachesizemib: null,
  rewritebatchedinserts: null,
  stringtype: null,
  binarytransfer: null,
  defaultrowfetchsize: null,
  assumeminserverversion: null,
  readonly: null,
  autosave: null,
  cancelsignaltimeout: null,
  reWriteBatchedInserts: null,
  loggerlevel: null,
  targetservertype: (v) => (/^(any|primary|master)$/i.test(v) ? null : 'targetServerType other than any/primary'),
  loadbalancehosts: (v) => (/^false$/i.test(v) ? null : 'loadBalanceHosts=true'),
  gssencmode: (v) => (/^(disable|prefer)$/i.test(v) ? null : `gssEncMode=${v} (GSSAPI)`),
  options: 'options (it would change the session settings the audit pins)',
  sslpassword: 'sslpassword (encrypted client keys): give an unencrypted key file',
  sslhostnameverifier: 'sslhostnameverifier (a Java class)',
  sslpasswordcallback: 'sslpasswordcallback (a Java class)',
  socketfactory: 'socketFactory (a Java class)',
  kerberosservername: 'kerberosServerName (GSSAPI)',
  jaaslogin: 'jaasLogin (GSSAPI)',
  replication: 'replication',
};

function jdbcPostgres(rest: string): ResolvedTarget {
  const a = authority(rest.startsWith('//') ? rest : `///${rest}`, 'jdbc:postgresql');
  const kw: Conninfo = new Map();
  if (a.host) kw.set('host', a.host);
  if (a.port) kw.set('port', a.port);
  if (a.db) kw.set('dbname', a.db);
  const noEffect: string[] = [];
  let ssl: string | undefined;
  let schema: string | undefined;
  const pairs = queryPairs(a.query);
  for (const [k, v] of pairs) {
    const lk = k.toLowerCase();
    if (lk === 'ssl') {
      ssl = v;
      continue;
    }
    if (lk === 'sslfactory') {
      if (/NonValidatingFactory$/.test(v)) ssl = 'nonvalidating';
      else throw new UserError('url', `jdbc:postgresql: sslfactory ${JSON.stringify(v.slice(0, 80))} is not supported`);
      continue;
    }
    if (lk === 'currentschema') {
      schema = v
        .split(',')[0]
        ?.trim()
        .replace(/^"(.*)"$/, '$1');
      continue;
    }
    const rule = Object.hasOwn(PGJDBC, lk) ? PGJDBC[lk] : Object.hasOwn(PGJDBC, k) ? PGJDBC[k] : undefined;
    if (rule === undefined) throw new UserError('url', `jdbc:postgresql: unknown property ${propShown(pairs, k)}`);
    const r = typeof rule === 'function' ? rule(v) : rule;
    if (r === null) noEffect.push(k);
    else if (
      typeof rule === 'function' ||
      !['user', 'password', 'sslmode', 'sslcert', 'sslkey', 'sslrootcert'].includes(r)
    ) {
      throw new UserError('url', `jdbc:postgresql: ${r} is not supported`);
    } else kw.set(r, v);
  }
  // pgjdbc: ssl=true without sslmode verifies the certificate and host name (verify-full).
  if (ssl !== undefined && !kw.has('sslmode')) {
    if (ssl === 'nonvalidating') kw.set('sslmode', 'require');
    else if (/^(true|)$/i.test(ssl)) kw.set('sslmode', 'verify-full');
    else if (/^false$/i.test(ssl)) kw.set('sslmode', 'disable');
    else throw new UserError('url', `jdbc:postgresql: bad ssl=${ssl} (true or false)`);
  }
  return pgResult(kw, 'jdbc', noEffect, schema);
}

/** MySQL Connector/J and MariaDB Connector/J properties with no effect on the audit connection. */
const MYSQL_JDBC_NO_EFFECT = new Set(
  [
    'serverTimezone',
    'characterEncoding',
    'useUnicode',
    'autoReconnect',
    'allowPublicKeyRetrieval',
    'rewriteBatchedStatements',
    'cachePrepStmts',
    'prepStmtCacheSize',
    'prepStmtCacheSqlLimit',
    'useServerPrepStmts',
    'connectTimeout',
    'socketTimeout',
    'zeroDateTimeBehavior',
    'useLegacyDatetimeCode',
    'useJDBCCompliantTimezoneShift',
    'tinyInt1isBit',
    'nullCatalogMeansCurrent',
    'nullNamePatternMatchesAll',
    'useInformationSchema',
    'allowMultiQueries',
    'pinGlobalTxToPhysicalConnection',
    'enabledTLSProtocols',
    'enabledSslProtocolSuites',
    'maxReconnects',
    'failOverReadOnly',
    'initialTimeout',
    'useAffectedRows',
    'useCompression',
    'connectionCollation',
    'useLocalSessionState',
    'elideSetAutoCommits',
    'cacheResultSetMetadata',
    'cacheServerConfiguration',
    'maintainTimeStats',
    'useSSPSCompatibleTimezoneShift',
    'autocommit',
    'useBulkStmts',
    'tcpKeepAlive',
    'pool',
    'maxPoolSize',
    'minPoolSize',
    'maxIdleTime',
    'allowLocalInfile',
    'permitMysqlScheme',
    'connectionAttributes',
    'useCursorFetch',
    'defaultFetchSize',
    'logger',
    'profileSQL',
    'dumpQueriesOnException',
    'sslResponseTimeout',
  ].map((k) => k.toLowerCase()),
);

const MYSQL_JDBC_REFUSED: Record<string, string> = {
  trustcertificatekeystoreurl:
    'trustCertificateKeyStoreUrl (Java key stores): give the CA as a PEM file (serverSslCert, or ~/.my.cnf ssl-ca)',
  clientcertificatekeystoreurl: 'clientCertificateKeyStoreUrl (Java key stores)',
  keystore: 'keyStore (Java key stores)',
  truststore: 'trustStore (Java key stores)',
  sessionvariables: 'sessionVariables (it would change the session settings the audit pins)',
  serverrsapublickeyfile: 'serverRSAPublicKeyFile',
  authenticationplugins: 'authenticationPlugins',
  defaultauthenticationplugin: 'defaultAuthenticationPlugin',
  socketfactory: 'socketFactory (a Java class)',
  credentialtype: 'credentialType',
};

function jdbcMysql(rest: string, sub: 'mysql' | 'mariadb'): ResolvedTarget {
  const what = `jdbc:${sub}`;
  const a = authority(rest, what);
  const q = new URLSearchParams();
  const noEffect: string[] = [];
  let user: string | undefined;
  let password: string | undefined;
  let useSsl: boolean | undefined;
  let verify: boolean | undefined;
  let mode: string | undefined;
  const bool = (k: string, v: string) => {
    if (/^(true|1|yes|)$/i.test(v)) return true;
    if (/^(false|0|no)$/i.test(v)) return false;
    throw new UserError('url', `${what}: ${k} must be true or false`);
  };
  const pairs = queryPairs(a.query);
  for (const [k, v] of pairs) {
    const lk = k.toLowerCase();
    if (lk === 'user') user = v;
    else if (lk === 'password') password = v;
    else if (lk === 'usessl' || lk === 'requiressl') useSsl = bool(k, v) || (lk === 'requiressl' ? useSsl : false);
    else if (lk === 'verifyservercertificate') verify = bool(k, v);
    else if (lk === 'trustservercertificate') verify = !bool(k, v);
    else if (lk === 'sslmode') {
      const map: Record<string, string> = {
        disabled: 'disabled',
        disable: 'disabled',
        preferred: 'preferred',
        required: 'required',
        trust: 'required',
        verify_ca: 'verify_ca',
        'verify-ca': 'verify_ca',
        verify_identity: 'verify_identity',
        'verify-full': 'verify_identity',
      };
      mode = map[v.toLowerCase()];
      if (!mode) throw new UserError('url', `${what}: unknown sslMode ${JSON.stringify(v.slice(0, 40))}`);
    } else if (lk === 'serversslcert' || lk === 'sslca') {
      if (/^-----BEGIN/.test(v)) throw new UserError('url', `${what}: ${k} must name a PEM file, not hold one`);
      q.set('sslca', v);
    } else if (lk === 'localsocket' || lk === 'socket') q.set('socket', v);
    else if (MYSQL_JDBC_NO_EFFECT.has(lk)) noEffect.push(k);
    else if (MYSQL_JDBC_REFUSED[lk]) throw new UserError('url', `${what}: ${MYSQL_JDBC_REFUSED[lk]} is not supported`);
    else throw new UserError('url', `${what}: unknown property ${propShown(pairs, k)}`);
  }
  if (!mode && useSsl !== undefined) {
    if (!useSsl) mode = 'disabled';
    // Connector/J 8: useSSL verifies only with verifyServerCertificate=true; MariaDB Connector/J
    // verifies unless trustServerCertificate=true.
    else if (sub === 'mysql') mode = verify ? 'verify_ca' : 'required';
    else mode = verify === false ? 'required' : 'verify_identity';
  } else if (!mode && verify === false && sub === 'mariadb') mode = 'required';
  if (mode) q.set('sslmode', mode);
  registerSecret(password);
  const host = a.host ? (a.host.includes(':') ? `[${a.host}]` : encodeURIComponent(a.host)) : '';
  const qs = q.toString();
  const url = `${sub}://${user ? `${encodeURIComponent(user)}@` : ''}${host}${a.port ? `:${a.port}` : ''}/${a.db ? encodeURIComponent(a.db) : ''}${qs ? `?${qs}` : ''}`;
  return { url, form: 'jdbc', noEffect, ...(password !== undefined ? { password } : {}) };
}

/** Microsoft JDBC driver properties → ADO.NET keywords (null: no effect; refused: a reason). */
const MSSQL_JDBC: Record<string, string | null> = {
  databasename: 'Initial Catalog',
  database: 'Initial Catalog',
  user: 'User Id',
  username: 'User Id',
  password: 'Password',
  encrypt: 'Encrypt',
  trustservercertificate: 'TrustServerCertificate',
  hostnameincertificate: 'HostNameInCertificate',
  logintimeout: 'Connect Timeout',
  applicationname: 'Application Name',
  applicationintent: 'ApplicationIntent',
  integratedsecurity: 'Integrated Security',
  authentication: 'Authentication',
  multisubnetfailover: 'MultiSubnetFailover',
  failoverpartner: 'Failover Partner',
  columnencryptionsetting: 'Column Encryption Setting',
  sendstringparametersasunicode: null,
  selectmethod: null,
  responsebuffering: null,
  locktimeout: null,
  sendtimeasdatetime: null,
  packetsize: null,
  sockettimeout: null,
  querytimeout: null,
  cancelquerytimeout: null,
  statementpoolingcachesize: null,
  disablestatementpooling: null,
  lastupdatecount: null,
  xopenstates: null,
  workstationid: null,
  transparentnetworkipresolution: null,
  serverpreparedstatementdiscardthreshold: null,
  enableprepareonfirstpreparedstatementcall: null,
  connectretrycount: null,
  connectretryinterval: null,
  sslprotocol: null,
};
const MSSQL_JDBC_REFUSED = [
  'truststore',
  'truststorepassword',
  'truststoretype',
  'keystoreauthentication',
  'keystorelocation',
  'keystoresecret',
  'servercertificate',
];

function adoQuote(v: string): string {
  return `"${v.replace(/"/g, '""')}"`;
}

function jdbcSqlServer(rest: string): ResolvedTarget {
  const what = 'jdbc:sqlserver';
  if (!rest.startsWith('//'))
    throw new UserError('url', `malformed ${what} URL (expected jdbc:sqlserver://host:port;key=value)`);
  const [hostPart = '', ...props] = splitJdbcProps(rest.slice(2));
  let host = hostPart;
  let port: string | undefined;
  let instance: string | undefined;
  const pm = /^(.*):(\d+)$/.exec(host);
  if (pm) {
    host = pm[1] as string;
    port = pm[2];
  }
  const slash = host.indexOf('\\');
  if (slash >= 0) {
    instance = host.slice(slash + 1);
    host = host.slice(0, slash);
  }
  const parts: string[] = [];
  const noEffect: string[] = [];
  for (const p of props) {
    if (!p.trim()) continue;
    const i = p.indexOf('=');
    if (i <= 0)
      throw new UserError(
        'url',
        // Never the text itself: an unbraced password holding ';' is split into such pieces.
        `${what}: a property without "=" (a value holding ";" must be braced: password={…})`,
      );
    const k = p.slice(0, i).trim();
    let v = p.slice(i + 1).trim();
    const braced = /^\{(.*)\}$/s.exec(v);
    if (braced) v = (braced[1] as string).replace(/\}\}/g, '}');
    const lk = k.toLowerCase();
    if (lk === 'servername') host = v;
    else if (lk === 'portnumber' || lk === 'port') port = v;
    else if (lk === 'instancename') instance = v;
    else if (MSSQL_JDBC_REFUSED.includes(lk))
      throw new UserError('url', `${what}: ${k} (Java key and trust stores) is not supported`);
    else if (!Object.hasOwn(MSSQL_JDBC, lk))
      throw new UserError('url', `${what}: unknown property ${JSON.stringify(k.slice(0, 60))}`);
    else {
      const ado = MSSQL_JDBC[lk];
      if (ado === null || ado === undefined) noEffect.push(k);
      else {
        if (ado === 'Password') registerSecret(v);
        parts.push(`${ado}=${adoQuote(v)}`);
      }
    }
  }
  if (!host) throw new UserError('url', `${what}: no server name`);
  const ds = `tcp:${host}${instance ? `\\${instance}` : ''}${port ? `,${port}` : ''}`;
  const cs = [`Data Source=${adoQuote(ds)}`, ...parts].join(';');
  return { url: 'mssql:', connectionString: cs, form: 'jdbc', noEffect };
}

/** `a;b={c;d};e` → ['a', 'b={c;d}', 'e']: braces protect semicolons, as the Microsoft JDBC driver reads them. */
function splitJdbcProps(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (depth > 0) {
      if (c === '}' && s[i + 1] === '}') {
        cur += '}}';
        i++;
        continue;
      }
      if (c === '}') depth = 0;
      cur += c;
    } else if (c === '{') {
      depth = 1;
      cur += c;
    } else if (c === ';') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (depth > 0) throw new UserError('url', 'jdbc:sqlserver: unterminated {…} value');
  out.push(cur);
  return out;
}

// ---------------------------------------------------------------- ADO.NET

const norm = (k: string) => k.toLowerCase().replace(/[\s_-]/g, '');

/** Keys only one provider uses (normalized: lower case, no spaces), to tell an ADO.NET string's database. */
const ONLY: Record<Exclude<DialectHint, 'mariadb'>, string[]> = {
  mssql: [
    'encrypt',
    'multipleactiveresultsets',
    'applicationintent',
    'attachdbfilename',
    'trustedconnection',
    'multisubnetfailover',
    'failoverpartner',
    'packetsize',
    'workstationid',
    'hostnameincertificate',
    'columnencryptionsetting',
    'transactionbinding',
    'typesystemversion',
    'currentlanguage',
    'networklibrary',
    'contextconnection',
    'userinstance',
    'poolblockingperiod',
    'connectretrycount',
    'connectretryinterval',
    'transparentnetworkipresolution',
    'ipaddresspreference',
  ],
  postgres: [
    'searchpath',
    'rootcertificate',
    'includeerrordetail',
    'servercompatibilitymode',
    'maxautoprepare',
    'autoprepareminusages',
    'noresetonclose',
    'targetsessionattributes',
    'loadbalancehosts',
    'hostrecheckseconds',
    'includerealm',
    'kerberosservicename',
    'sslcertificate',
    'sslpassword',
    'internalcommandtimeout',
    'logparameters',
    'multiplexing',
    'connectionidlelifetime',
    'connectionpruninginterval',
    'arraynullabilitymode',
    'passfile',
    'readbuffersize',
    'writebuffersize',
    'sslnegotiation',
    'channelbinding',
    'gssencryptionmode',
    'checkcertificaterevocation',
  ],
  mysql: [
    'sslca',
    'cacertificatefile',
    'sslcert',
    'certificatefile',
    'certificatepassword',
    'certificatestorelocation',
    'certificatethumbprint',
    'allowuservariables',
    'allowpublickeyretrieval',
    'allowzerodatetime',
    'convertzerodatetime',
    'allowloadlocalinfile',
    'characterset',
    'charset',
    'treattinyasboolean',
    'guidformat',
    'oldguids',
    'useaffectedrows',
    'usecompression',
    'pipe',
    'pipename',
    'defaultcommandtimeout',
    'serverrsapublickeyfile',
    'tlsversion',
    'tlscipher',
    'interactivesession',
    'connectionreset',
    'deferconnectionreset',
    'ignorecommandtransaction',
    'ignoreprepare',
    'nobackslashescapes',
    'serverredirectionmode',
    'autoenlist',
    'usexatransactions',
    'connectionprotocol',
  ],
};

/** Which database an ADO.NET string is for: the hint, else keys (and SslMode values) only one provider uses. */
export function adoDialect(map: Map<string, string>, hint?: DialectHint): DialectHint {
  if (hint) return hint;
  const votes = new Map<DialectHint, string>();
  for (const [k0, v] of map) {
    const k = norm(k0);
    for (const [d, keys] of Object.entries(ONLY) as [DialectHint, string[]][]) {
      if (keys.includes(k) && !votes.has(d)) votes.set(d, k0);
    }
    if (k === 'sslmode') {
      const val = v.trim().toLowerCase();
      if (['disable', 'allow', 'prefer', 'require'].includes(val) && !votes.has('postgres'))
        votes.set('postgres', `${k0}=${v}`);
      if (['none', 'preferred', 'required'].includes(val) && !votes.has('mysql')) votes.set('mysql', `${k0}=${v}`);
    }
    if (k === 'datasource' || k === 'server') {
      if (/^(tcp:|np:|lpc:|admin:)|\\|,\s*\d+\s*$|^\(local(db)?\)|^\.$/i.test(v.trim()) && !votes.has('mssql'))
        votes.set('mssql', `${k0}=${v}`);
    }
  }
  if (votes.size === 1) return [...votes.keys()][0] as DialectHint;
  const how = `say which with --dialect ${DIALECT_CHOICES.replace(/, /g, '|')}, or give the scheme as the URL argument (e.g. scan mssql: --connection-string-env VAR)`;
  if (votes.size === 0) {
    throw new UserError('usage', `cannot tell which database this ADO.NET connection string is for: ${how}`);
  }
  const which = [...votes].map(([d, k]) => `${d} (${k.includes('=') ? k.replace(/=.*/, '=…') : k})`).join(', ');
  throw new UserError('usage', `the ADO.NET connection string has keys of several providers: ${which}; ${how}`);
}

function fromAdo(s: string, hint: DialectHint | undefined): ResolvedTarget {
  let map: Map<string, string>;
  try {
    map = parseAdo(s) as unknown as Map<string, string>;
  } catch {
    throw new UserError('url', 'malformed connection string (expected Key=Value;Key=Value…)');
  }
  for (const [k, v] of map) if (PASSWORD_KEYS.includes(norm(k))) registerSecret(String(v));
  const d = adoDialect(map, hint);
  if (d === 'mssql') return { url: 'mssql:', connectionString: s, form: 'ado', noEffect: [] };
  if (d === 'postgres') return npgsql(map);
  return mysqlAdo(map, d);
}

const PASSWORD_KEYS = ['password', 'pwd', 'psw'];

/**
 * A key for an error line — unless it follows the password's key: an unquoted password holding ';'
 * is split there, and its second half would be printed as a key.
 */
function keyShown(map: Map<string, string>, key: string): string {
  const keys = [...map.keys()];
  const before = keys[keys.indexOf(key) - 1];
  if (before !== undefined && PASSWORD_KEYS.includes(norm(before))) {
    return '(after the password: a password holding ";" must be quoted: Password="…")';
  }
  return JSON.stringify(key.slice(0, 60));
}

/** Npgsql keys (normalized) → libpq keyword; null: no effect; a function returns the keyword's value or throws. */
const NPGSQL: Record<string, string | null> = {
  host: 'host',
  server: 'host',
  port: 'port',
  database: 'dbname',
  db: 'dbname',
  username: 'user',
  userid: 'user',
  uid: 'user',
  user: 'user',
  password: 'password',
  psw: 'password',
  pwd: 'password',
  sslmode: 'sslmode',
  sslcertificate: 'sslcert',
  sslkey: 'sslkey',
  rootcertificate: 'sslrootcert',
  applicationname: null,
  timeout: null,
  commandtimeout: null,
  pooling: null,
  minpoolsize: null,
  maxpoolsize: null,
  minimumpoolsize: null,
  maximumpoolsize: null,
  connectionidlelifetime: null,
  connectionpruninginterval: null,
  connectionlifetime: null,
  keepalive: null,
  tcpkeepalive: null,
  tcpkeepalivetime: null,
  tcpkeepaliveinterval: null,
  includeerrordetail: null,
  enlist: null,
  maxautoprepare: null,
  autoprepareminusages: null,
  noresetonclose: null,
  readbuffersize: null,
  writebuffersize: null,
  socketreceivebuffersize: null,
  socketsendbuffersize: null,
  internalcommandtimeout: null,
  cancellationtimeout: null,
  logparameters: null,
  persistsecurityinfo: null,
  servercompatibilitymode: null,
  multiplexing: null,
  writecoalescingbufferthresholdbytes: null,
  hostrecheckseconds: null,
  arraynullabilitymode: null,
};

function npgsql(map: Map<string, string>): ResolvedTarget {
  const what = 'Npgsql connection string';
  const kw: Conninfo = new Map();
  const noEffect: string[] = [];
  let schema: string | undefined;
  let trust: boolean | undefined;
  for (const [k0, v0] of map) {
    const k = norm(k0);
    const v = String(v0);
    if (k === 'searchpath') {
      schema =
        v
          .split(',')[0]
          ?.trim()
          .replace(/^"(.*)"$/, '$1') || undefined;
      continue;
    }
    if (k === 'trustservercertificate') {
      trust = /^(true|yes|1)$/i.test(v.trim());
      continue;
    }
    const simple: Record<string, (x: string) => boolean> = {
      encoding: (x) => /^(utf-?8|unicode)$/i.test(x),
      clientencoding: (x) => /^(utf-?8|unicode)$/i.test(x),
      targetsessionattributes: (x) => /^(any|primary|read-write)$/i.test(x),
      loadbalancehosts: (x) => /^false$/i.test(x),
      integratedsecurity: (x) => /^(false|no)$/i.test(x),
      checkcertificaterevocation: (x) => /^(false|no)$/i.test(x),
      gssencryptionmode: (x) => /^(disable|prefer)$/i.test(x),
      channelbinding: (x) => /^(disable|prefer)$/i.test(x),
      sslnegotiation: (x) => /^postgres$/i.test(x),
    };
    const accept = simple[k];
    if (accept) {
      if (!accept(v.trim()))
        throw new UserError('url', `${what}: ${k0}=${JSON.stringify(v.slice(0, 40))} is not supported`);
      noEffect.push(k0);
      continue;
    }
    if (!Object.hasOwn(NPGSQL, k)) {
      const refused: Record<string, string> = {
        options: 'it would change the session settings the audit pins',
        sslpassword: 'encrypted client keys are not supported: give an unencrypted key file',
        passfile: 'give the password file with PGPASSFILE instead',
        kerberosservicename: 'Kerberos/GSSAPI authentication is not supported',
        includerealm: 'Kerberos/GSSAPI authentication is not supported',
      };
      throw new UserError(
        'url',
        refused[k] ? `${what}: ${k0} is not supported: ${refused[k]}` : `${what}: unknown keyword ${keyShown(map, k0)}`,
      );
    }
    const target = NPGSQL[k];
    if (target === null || target === undefined) {
      noEffect.push(k0);
      continue;
    }
    let value = v;
    if (target === 'sslmode') {
      const modes: Record<string, string> = {
        disable: 'disable',
        allow: 'allow',
        prefer: 'prefer',
        require: 'require',
        verifyca: 'verify-ca',
        verifyfull: 'verify-full',
      };
      const m = modes[norm(v)];
      if (!m) throw new UserError('url', `${what}: unknown SSL Mode ${JSON.stringify(v.slice(0, 40))}`);
      value = m;
    }
    if (target === 'host' && v.includes(',')) {
      throw new UserError('url', `${what}: several hosts are not supported: audit each server`);
    }
    kw.set(target, value);
  }
  if (trust !== undefined) {
    const mode = kw.get('sslmode');
    if (trust && (mode === 'verify-ca' || mode === 'verify-full')) {
      throw new UserError('url', `${what}: Trust Server Certificate=true contradicts SSL Mode=${mode}`);
    }
    noEffect.push('Trust Server Certificate');
  }
  return pgResult(kw, 'ado', noEffect, schema);
}

/** MySqlConnector / MySql.Data keys (normalized) → mysql URL part; null: no effect. */
const MYSQL_ADO: Record<string, string | null> = {
  server: 'host',
  host: 'host',
  datasource: 'host',
  address: 'host',
  addr: 'host',
  networkaddress: 'host',
  port: 'port',
  database: 'db',
  initialcatalog: 'db',
  userid: 'user',
  uid: 'user',
  username: 'user',
  user: 'user',
  password: 'password',
  pwd: 'password',
  sslmode: 'sslmode',
  sslca: 'sslca',
  cacertificatefile: 'sslca',
  sslcert: 'sslcert',
  sslkey: 'sslkey',
  protocol: 'protocol',
  connectionprotocol: 'protocol',
  pooling: null,
  connectionlifetime: null,
  connectionidletimeout: null,
  minpoolsize: null,
  maxpoolsize: null,
  minimumpoolsize: null,
  maximumpoolsize: null,
  connectionreset: null,
  deferconnectionreset: null,
  connecttimeout: null,
  connectiontimeout: null,
  defaultcommandtimeout: null,
  commandtimeout: null,
  keepalive: null,
  characterset: null,
  charset: null,
  allowuservariables: null,
  allowzerodatetime: null,
  convertzerodatetime: null,
  allowpublickeyretrieval: null,
  useaffectedrows: null,
  treattinyasboolean: null,
  guidformat: null,
  oldguids: null,
  persistsecurityinfo: null,
  usecompression: null,
  compress: null,
  applicationname: null,
  ignorecommandtransaction: null,
  ignoreprepare: null,
  interactivesession: null,
  autoenlist: null,
  usexatransactions: null,
  nobackslashescapes: null,
  allowloadlocalinfile: null,
  tlsversion: null,
  tlscipher: null,
  cancellationtimeout: null,
  loadbalance: null,
  serverredirectionmode: null,
  sslprotocols: null,
};

function mysqlAdo(map: Map<string, string>, d: 'mysql' | 'mariadb'): ResolvedTarget {
  const what = 'MySQL connection string';
  const v: Record<string, string> = {};
  const noEffect: string[] = [];
  for (const [k0, val0] of map) {
    const k = norm(k0);
    const val = String(val0);
    if (!Object.hasOwn(MYSQL_ADO, k)) {
      const refused: Record<string, string> = {
        certificatefile: 'PKCS#12 client certificates: give SslCert and SslKey (PEM files)',
        certificatepassword: 'PKCS#12 client certificates: give SslCert and SslKey (PEM files)',
        certificatestorelocation: 'Windows certificate stores',
        certificatethumbprint: 'Windows certificate stores',
        serverrsapublickeyfile: 'ServerRSAPublicKeyFile',
        pipe: 'named pipes: only TCP and Unix sockets are',
        pipename: 'named pipes: only TCP and Unix sockets are',
        integratedsecurity: 'Windows authentication',
      };
      throw new UserError(
        'url',
        refused[k]
          ? `${what}: ${k0} is not supported (${refused[k]})`
          : `${what}: unknown keyword ${keyShown(map, k0)}`,
      );
    }
    const t = MYSQL_ADO[k];
    if (t === null || t === undefined) noEffect.push(k0);
    else v[t] = val;
  }
  const q = new URLSearchParams();
  const protocol = (v.protocol ?? 'tcp').toLowerCase();
  let host = v.host;
  if (host?.includes(',')) throw new UserError('url', `${what}: several servers are not supported: audit each server`);
  if (/^(socket|unix)$/.test(protocol)) {
    if (!host) throw new UserError('url', `${what}: Protocol=${v.protocol} needs the socket path as Server`);
    q.set('socket', host);
    host = 'localhost';
  } else if (!/^(tcp|tcpip|sockets?)$/.test(protocol)) {
    throw new UserError('url', `${what}: Protocol=${v.protocol} is not supported (TCP or Unix socket)`);
  }
  if (v.sslmode !== undefined) {
    const modes: Record<string, string> = {
      none: 'disabled',
      disabled: 'disabled',
      preferred: 'preferred',
      prefered: 'preferred',
      required: 'required',
      verifyca: 'verify_ca',
      verifyfull: 'verify_identity',
    };
    const m = modes[norm(v.sslmode)];
    if (!m) throw new UserError('url', `${what}: unknown SslMode ${JSON.stringify(v.sslmode.slice(0, 40))}`);
    q.set('sslmode', m);
  }
  for (const k of ['sslca', 'sslcert', 'sslkey']) if (v[k]) q.set(k, v[k] as string);
  const password = v.password;
  registerSecret(password);
  const hostPart = host ? (host.includes(':') ? `[${host}]` : encodeURIComponent(host)) : '';
  const qs = q.toString();
  const url = `${d}://${v.user ? `${encodeURIComponent(v.user)}@` : ''}${hostPart}${v.port ? `:${v.port}` : ''}/${v.db ? encodeURIComponent(v.db) : ''}${qs ? `?${qs}` : ''}`;
  return { url, form: 'ado', noEffect, ...(password !== undefined ? { password } : {}) };
}
