/**
 * MySQL 8 / MariaDB adapter: connects read-only, runs queries/mysql/*.sql, and turns the rows into facts
 * through the pure functions of map.ts, plus a stream of blob rows. It knows SQL; it never judges.
 */
import { readFileSync } from 'node:fs';
import mysql from 'mysql2';
import { buildBlobRow, BLOB_SOURCES as SHARED_SOURCES } from '../../src/blob-sources.js';
import { serviceAccountCapabilities } from '../../src/capabilities.js';
import type { Adapter, ConnectOptions } from '../../src/dialect.js';
import { expectedTables, logicalName, noTablesError } from '../../src/discovery.js';
import { UserError } from '../../src/errors.js';
import { emptyFacts } from '../../src/facts.js';
import type {
  BlobRow,
  BlobTable,
  Facts,
  Grant,
  Membership,
  MysqlFacts,
  Principal,
  QuartzTable,
  TamperObject,
  Unreadable,
} from '../../src/model.js';
import { readsTableContents } from '../../src/model.js';
import { loadQuery } from '../../src/queries.js';
import { addContentFacts } from '../../src/scheduler-facts.js';
import { registerSecret } from '../../src/secrets/redact.js';
import { chooseServiceAccount, closeMatches } from '../../src/service-account.js';
import { MYSQL_BUILTIN_FUNCTIONS } from './builtins.js';
import { accountName, principalMatches, splitAccount, tokenize } from './grants.js';
import {
  computeEffective,
  createOptionsEncrypted,
  detectFlavour,
  type Flavour,
  foreignPrivileges,
  mapApplicableRoles,
  mapAuditFilters,
  mapComponents,
  mapGlobalGrants,
  mapMariadbRoles,
  mapMysqlRoles,
  mapPlugins,
  mapPrivilegeRows,
  mapShadowRoutines,
  mapShowGrants,
  mapTablespacesMariadb,
  mapTablespacesMysql,
  mapTriggers,
  mapUsersMariadb,
  mapUsersMysql,
  mapVariables,
  type Row,
  reachableRoles,
  roleNames,
  superusers,
  tableIndex,
} from './map.js';

export const GRANT_TABLES_NEED =
  'SELECT on the mysql grant tables (MariaDB: mysql.global_priv, db, tables_priv, columns_priv, roles_mapping; MySQL: mysql.user, db, tables_priv, columns_priv, role_edges, default_roles, global_grants)';

export interface ParsedMysqlUrl {
  config: mysql.ConnectionOptions;
  sslmode: 'disabled' | 'preferred' | 'required' | 'verify_ca' | 'verify_identity';
  database: string | undefined;
  display: string;
  viaSocket: boolean;
}

/** The URL parameters the adapter understands (case-insensitive); any other is an error, never ignored. */
const URL_PARAMS = ['sslmode', 'ssl-mode', 'ssl_mode', 'ssl', 'sslca', 'ssl-ca', 'ssl_ca', 'socket'];

/** Parses mysql://user:pass@host:port/db?sslmode=…&socket=… (also mariadb://). Password: options > URL > MYSQL_PWD. */
export function parseMysqlUrl(
  url: string,
  options: { password?: string; schema?: string } = {},
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
  const host = u.hostname ? dec(u.hostname).replace(/^\[|\]$/g, '') : 'localhost';
  const port = u.port ? Number(u.port) : 3306;
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new UserError('url', 'malformed port in URL');
  const user = u.username ? dec(u.username) : env.USER || 'root';
  const password = options.password ?? (u.password ? dec(u.password) : env.MYSQL_PWD);
  registerSecret(password);
  const pathDb = u.pathname.replace(/^\//, '');
  const database = options.schema ?? (pathDb ? dec(pathDb) : undefined);
  const unknown = [...new Set(params.keys())].filter((k) => !URL_PARAMS.includes(k.toLowerCase()));
  if (unknown.length) {
    throw new UserError(
      'url',
      `unknown connection URL parameter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (supported: ${URL_PARAMS.join(', ')})`,
    );
  }
  const param = (name: string) => {
    for (const [k, v] of params) if (k.toLowerCase() === name) return v;
    return null;
  };
  // ?ssl=true|false (as other MySQL clients spell it) is sslmode=required|disabled; sslmode wins when both are given.
  const ssl = param('ssl');
  let sslFlag: string | undefined;
  if (ssl !== null) {
    const v = ssl.toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(v)) sslFlag = 'required';
    else if (['false', '0', 'no', 'off'].includes(v)) sslFlag = 'disabled';
    else throw new UserError('url', `bad ssl=${ssl} in the URL (true or false; or sslmode=…)`);
  }
  const mode = (param('sslmode') || param('ssl-mode') || param('ssl_mode') || sslFlag || 'preferred').toLowerCase();
  const modes = ['disabled', 'preferred', 'required', 'verify_ca', 'verify_identity'] as const;
  const sslmode = modes.find((m) => m === mode.replace(/-/g, '_'));
  if (!sslmode)
    throw new UserError('url', `unknown sslmode ${mode} (disabled, preferred, required, verify_ca, verify_identity)`);
  const socket = param('socket') ?? undefined;
  const config: mysql.ConnectionOptions = { user, ...(socket ? { socketPath: socket } : { host, port }) };
  if (password !== undefined) config.password = password;
  if (sslmode === 'verify_ca' || sslmode === 'verify_identity') {
    const ca = param('sslca') || param('ssl-ca') || param('ssl_ca');
    config.ssl = {
      rejectUnauthorized: true,
      ...(ca ? { ca: readFileSync(ca, 'utf8') } : {}),
      ...(sslmode === 'verify_ca' ? { checkServerIdentity: () => undefined } : {}),
    } as mysql.SslOptions;
  } else if (sslmode === 'required' || sslmode === 'preferred') {
    config.ssl = { rejectUnauthorized: false };
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

function isTimeout(err: unknown): boolean {
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

/** Bytes of blob data one batch may hold (a single larger row is still read alone, up to --max-blob-size). */
export const BLOB_BATCH_BYTES = 32 * 1024 * 1024;
/** The most rows whose keys and sizes are read ahead to cut the next batch; also the most rows one batch holds. */
export const SIZE_BATCH_ROWS = 1000;

/**
 * `WHERE` text (with its parameters) for the rows after `last` in primary-key order: `k1 >= ? AND (k1 > ? OR (k1 = ?
 * AND (k2 > ? OR …)))`, the form the MySQL/MariaDB range optimizer turns into an index range (a row constructor
 * `(k1, k2) > (?, ?)` is not, and would rescan the table for every batch).
 */
export function keysetAfter(keys: string[], last: unknown[]): { after: string; params: unknown[] } {
  const params: unknown[] = [last[0]];
  const cond = (i: number): string => {
    const k = keys[i] as string;
    if (i === keys.length - 1) {
      params.push(last[i]);
      return `${k} > ?`;
    }
    params.push(last[i], last[i]);
    return `(${k} > ? OR (${k} = ? AND ${cond(i + 1)}))`;
  };
  const after = `${keys[0]} >= ? AND ${cond(0)}`;
  return { after, params };
}

/** How many of the next rows (bounded sizes, in key order) fit in `budget` bytes: at least one. */
export function rowsWithin(sizes: number[], budget: number): number {
  let total = 0;
  let n = 0;
  for (const sz of sizes) {
    // Each row also costs its keys and object: count at least 256 bytes for it.
    total += Math.max(256, sz);
    if (n > 0 && total > budget) break;
    n++;
  }
  return Math.max(1, n);
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

const BLOB_SOURCES: {
  table: BlobTable;
  query: string;
  column: string;
  group?: string;
  name: string;
  /** How many times the query takes the byte bound as a parameter (default 1). */
  bounds?: number;
  /** The Quartz primary key, the keyset order of the batches. */
  keys: string[];
  /** SQL for a row's size (what the batch holds in memory), before the byte bound. */
  size: string;
}[] = [
  {
    table: 'JOB_DETAILS',
    query: 'blob_job_details',
    column: 'JOB_DATA',
    group: 'JOB_GROUP',
    name: 'JOB_NAME',
    keys: ['SCHED_NAME', 'JOB_NAME', 'JOB_GROUP'],
    size: 'LENGTH(JOB_DATA)',
  },
  {
    table: 'TRIGGERS',
    query: 'blob_triggers',
    column: 'JOB_DATA',
    group: 'TRIGGER_GROUP',
    name: 'TRIGGER_NAME',
    keys: ['SCHED_NAME', 'TRIGGER_NAME', 'TRIGGER_GROUP'],
    size: 'LENGTH(JOB_DATA)',
  },
  {
    table: 'BLOB_TRIGGERS',
    query: 'blob_blob_triggers',
    column: 'BLOB_DATA',
    group: 'TRIGGER_GROUP',
    name: 'TRIGGER_NAME',
    keys: ['SCHED_NAME', 'TRIGGER_NAME', 'TRIGGER_GROUP'],
    size: 'LENGTH(BLOB_DATA)',
  },
  {
    table: 'CALENDARS',
    query: 'blob_calendars',
    column: 'CALENDAR',
    name: 'CALENDAR_NAME',
    keys: ['SCHED_NAME', 'CALENDAR_NAME'],
    size: 'LENGTH(CALENDAR)',
  },
  // No blob: the free-text properties, for the secret detectors.
  {
    table: 'SIMPROP_TRIGGERS',
    query: 'blob_simprop_triggers',
    column: 'STR_PROP',
    group: 'TRIGGER_GROUP',
    name: 'TRIGGER_NAME',
    bounds: 3,
    keys: ['SCHED_NAME', 'TRIGGER_NAME', 'TRIGGER_GROUP'],
    size: 'COALESCE(LENGTH(STR_PROP_1), 0) + COALESCE(LENGTH(STR_PROP_2), 0) + COALESCE(LENGTH(STR_PROP_3), 0)',
  },
];

export function quoteIdent(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/** information_schema.TABLES types that are plain tables (MariaDB: system-versioned tables are tables too). */
const READABLE_TABLE_TYPES = new Set(['BASE TABLE', 'SYSTEM VERSIONED']);

const str = (v: unknown): string =>
  v === null || v === undefined ? '' : Buffer.isBuffer(v) ? v.toString() : String(v);

export class MysqlAdapter implements Adapter {
  private readonly schemeDialect: 'mysql' | 'mariadb';
  private conn: mysql.Connection | undefined;
  private readonly parsed: ParsedMysqlUrl;
  private flavour: Flavour | undefined;
  private server: Row = {};
  private database = '';
  private tables: (QuartzTable & { createOptions: string })[] = [];
  /** Relations under Quartz table names that are not base tables (views, sequences): reported, never read. */
  private notTables: TamperObject[] = [];

  constructor(private readonly options: ConnectOptions) {
    this.parsed = parseMysqlUrl(options.url, options);
    this.schemeDialect = /^mariadb:/i.test(options.url) ? 'mariadb' : 'mysql';
  }

  /** 'mysql' or 'mariadb': detected from the server after connect, else what the URL scheme says. */
  get dialect(): 'mysql' | 'mariadb' {
    return this.flavour?.dialect ?? this.schemeDialect;
  }

  /** The detected flavour (after connect): 'mysql' or 'mariadb', whatever the URL scheme said. */
  get detected(): Flavour | undefined {
    return this.flavour;
  }

  private run(sql: string, params: unknown[] = []): Promise<Row[]> {
    const conn = this.conn;
    if (!conn) return Promise.reject(new Error('not connected'));
    return new Promise((resolve, reject) => {
      conn.query({ sql, values: params, rowsAsArray: false }, (err, rows) => {
        if (err) reject(err);
        else resolve(Array.isArray(rows) ? (rows as Row[]) : []);
      });
    });
  }

  private query(name: string, params: unknown[] = [], subs: Record<string, string> = {}): Promise<Row[]> {
    return this.run(loadQuery('mysql', name, subs), params);
  }

  private open(config: mysql.ConnectionOptions): Promise<mysql.Connection> {
    return new Promise((resolve, reject) => {
      const c = mysql.createConnection({
        ...config,
        connectTimeout: this.options.connectTimeoutMs,
        supportBigNumbers: true,
        bigNumberStrings: true,
        dateStrings: true,
        multipleStatements: false,
        charset: 'utf8mb4_general_ci',
      });
      c.on('error', () => {});
      c.connect((err) => {
        if (err) {
          c.destroy();
          reject(err);
        } else resolve(c);
      });
    });
  }

  async connect(): Promise<void> {
    const { sslmode, display, config } = this.parsed;
    try {
      try {
        this.conn = await this.open(config);
      } catch (err) {
        // Like the mysql client's --ssl-mode=PREFERRED: fall back to a plain connection when TLS is not offered.
        const noSsl = /does not support secure connection|ssl|tls/i.test(String((err as Error)?.message));
        if (sslmode === 'preferred' && noSsl && !/access denied/i.test(String((err as Error)?.message))) {
          const { ssl: _ssl, ...plain } = config;
          this.conn = await this.open(plain);
        } else throw err;
      }
      const [server] = await this.query('server');
      this.server = server ?? {};
      this.flavour = detectFlavour(str(this.server.version), str(this.server.version_comment));
      await this.setupSession();
      this.database = this.parsed.database ?? str(this.server.current_db);
      if (!this.database) {
        throw new UserError('url', 'no database in the URL (mysql://user@host/DATABASE) and no --schema given');
      }
      if ((await this.query('database_exists', [this.database])).length === 0) {
        throw new UserError(
          'database',
          `database ${JSON.stringify(this.database)} does not exist (or ${str(this.server.current_account) || 'this login'} holds no privilege on it)`,
        );
      }
      await this.discover();
    } catch (err) {
      await this.close();
      throw mapMysqlError(err, display, config.password !== undefined);
    }
  }

  private async setupSession(): Promise<void> {
    const o = this.options;
    const lockS = Math.max(1, Math.ceil(o.lockTimeoutMs / 1000));
    if (this.flavour?.dialect === 'mariadb') {
      await this.query('session_mariadb', [o.statementTimeoutMs / 1000, lockS, lockS]);
    } else {
      await this.query('session_mysql', [Math.max(1, Math.round(o.statementTimeoutMs)), lockS, lockS]);
    }
  }

  private async discover(): Promise<void> {
    const prefix = this.options.tablePrefix;
    const expected = expectedTables(prefix).map((t) => t.lower.toUpperCase());
    const rows = await this.query('quartz_tables', [this.database, expected]);
    this.tables = [];
    this.notTables = [];
    for (const r of rows) {
      const logical = logicalName(prefix, str(r.TABLE_NAME));
      if (!logical) continue;
      const type = str(r.TABLE_TYPE).toUpperCase();
      if (!READABLE_TABLE_TYPES.has(type)) {
        // A view (or anything but a base table) under a Quartz name may run stored code when read: never read it.
        const definer = r.VIEW_DEFINER === null || r.VIEW_DEFINER === undefined ? undefined : str(r.VIEW_DEFINER);
        this.notTables.push({
          kind: 'not-a-table',
          name: `${str(r.TABLE_SCHEMA)}.${str(r.TABLE_NAME)}`,
          table: str(r.TABLE_NAME),
          ...(definer ? { owner: definer } : {}),
          detail: `${type || 'unknown relation type'} in place of the Quartz table ${logical}${
            definer ? ` (definer ${definer}, SQL SECURITY ${str(r.VIEW_SECURITY) || '?'})` : ''
          }: not read`,
        });
        continue;
      }
      this.tables.push({
        logical,
        name: str(r.TABLE_NAME),
        schema: str(r.TABLE_SCHEMA),
        createOptions: str(r.CREATE_OPTIONS),
      });
    }
    if (this.tables.length === 0 && this.notTables.length === 0) {
      const candidates = await this.query('lookalike_tables').catch(() => [] as Row[]);
      throw noTablesError(
        `database ${this.database}`,
        prefix,
        candidates.map((c) => ({ schema: str(c.TABLE_SCHEMA), prefix: str(c.TABLE_NAME).replace(/locks$/i, '') })),
      );
    }
  }

  /** The Quartz table a failed statement was about, when only one is named in its message or it read only one. */
  private tableInError(message: string): string | undefined {
    const hit = this.tables.filter((t) => message.toLowerCase().includes(t.name.toLowerCase()));
    return hit.length === 1 ? hit[0]?.name : undefined;
  }

  async collectFacts(): Promise<Facts> {
    const o = this.options;
    const flavour = this.flavour ?? detectFlavour('', '');
    const maria = flavour.dialect === 'mariadb';
    const connectedAs = currentAccount(str(this.server.current_account));
    const facts = emptyFacts(flavour.dialect, {
      server: { product: flavour.product, version: flavour.version, versionNum: flavour.versionNum },
      target: {
        database: this.database,
        schema: this.database,
        tablePrefix: o.tablePrefix,
        user: connectedAs,
        ...(this.parsed.config.host ? { host: this.parsed.config.host } : {}),
      },
      serviceAccount: connectedAs,
      connectedAs,
      allowedPrincipals: [...o.allowPrincipals],
      tables: this.tables.map(({ logical, name, schema }) => ({ logical, name, schema })),
      attestations: { ...o.attestations },
    });
    facts.tamper.push(...this.notTables);
    for (const n of this.notTables) {
      const logical = n.table ? logicalName(o.tablePrefix, n.table) : undefined;
      facts.unreadable.push({
        what: `table.${logical ?? n.table}`,
        reason: `not read: ${n.detail}`,
        ...(n.table ? { table: n.table } : {}),
        cause: 'tamper',
      });
    }
    const present = new Set(this.tables.map((t) => t.logical));
    facts.missingTables = expectedTables(o.tablePrefix)
      .map((t) => t.logical)
      .filter((l) => !present.has(l));
    const lowerCaseNames = Number(str(this.server.lower_case_table_names) || '0');
    const extra: MysqlFacts = { flavour: flavour.dialect, lowerCaseTableNames: lowerCaseNames };
    facts.mysql = extra;

    const guarded = async (what: string, fn: () => Promise<void>, needs?: string): Promise<boolean> => {
      try {
        await fn();
        return true;
      } catch (err) {
        const cause = failureCause(err);
        // A lost connection ends the audit; a lock or statement timeout (or a missing privilege) costs only this read.
        if (!cause && isTimeout(err)) throw mapMysqlError(err, this.parsed.display);
        const e = err as { message?: string };
        const table = cause && cause !== 'privilege' ? this.tableInError(String(e?.message ?? '')) : undefined;
        facts.unreadable.push({
          what,
          reason: String(e?.message ?? err),
          ...(needs ? { needs } : {}),
          ...(cause ? { cause } : {}),
          ...(table ? { table } : {}),
        });
        return false;
      }
    };

    await guarded('start-read-only', async () => {
      await this.query('start_read_only');
    });

    // Settings, status, plugins: readable by every account.
    await guarded('variables', async () => {
      const vars = mapVariables(await this.query('variables'));
      for (const [k, v] of Object.entries(vars)) facts.settings[k] = v;
      facts.settings.version = facts.settings.version ?? flavour.version;
    });
    await guarded('session-status', async () => {
      const st = mapVariables(await this.query('session_status'));
      const cipher = st.ssl_cipher ?? '';
      facts.session = {
        tls: cipher !== '',
        ...(st.ssl_version ? { tlsVersion: st.ssl_version } : {}),
        ...(cipher ? { cipher } : {}),
        viaSocket: this.parsed.viaSocket,
      };
    });
    await guarded('information_schema.PLUGINS', async () => {
      const plugins = mapPlugins(await this.query('plugins'));
      extra.plugins = plugins;
      facts.extensions = plugins.filter((p) => p.status.toUpperCase() === 'ACTIVE').map((p) => p.name);
    });
    if (!maria) {
      await guarded(
        'mysql.component',
        async () => {
          const comps = mapComponents(await this.query('components'));
          extra.components = comps;
          facts.extensions.push(...comps);
        },
        'SELECT on mysql.component',
      );
    }

    const auditLoaded = facts.extensions.some((e) =>
      /^(audit_log|audit_log_filter|component_audit_log_filter)$/i.test(e),
    );
    if (!maria && auditLoaded && o.families.has('audit')) {
      const db = quoteIdent(facts.settings.audit_log_database || facts.settings.audit_log_filter_database || 'mysql');
      await guarded(
        'audit_log_filters',
        async () => {
          extra.auditFilters = mapAuditFilters(await this.query('audit_log_filters', [], { db }));
        },
        'SELECT on mysql.audit_log_user and mysql.audit_log_filter',
      );
    }

    const idx = tableIndex(this.database, facts.tables);
    // Accounts and roles.
    let fullView = await guarded(
      maria ? 'mysql.global_priv' : 'mysql.user',
      async () => {
        if (maria) {
          const { principals, defaultRoles } = mapUsersMariadb(await this.query('users_mariadb'));
          facts.principals = principals;
          const rows = await this.query('roles_mapping');
          facts.memberships = mapMariadbRoles(rows, defaultRoles);
        } else {
          const edges = await this.query('role_edges');
          const defaults = await this.query('default_roles');
          const roleAccounts = new Set(edges.map((e) => accountName(str(e.FROM_USER), str(e.FROM_HOST))));
          facts.principals = mapUsersMysql(await this.query('users_mysql'), roleAccounts);
          facts.memberships = mapMysqlRoles(
            edges,
            defaults,
            facts.settings,
            facts.principals.map((p) => p.name),
          );
        }
      },
      GRANT_TABLES_NEED,
    );

    if (fullView && o.families.has('grants')) {
      const roles = roleNames(facts.principals);
      fullView = await guarded(
        'grants.information_schema',
        async () => {
          const [user, schema, table, column] = [
            await this.query('user_privileges'),
            await this.query('schema_privileges'),
            await this.query('table_privileges'),
            await this.query('column_privileges'),
          ];
          facts.grants = mapPrivilegeRows({ user, schema, table, column }, roles, idx);
        },
        GRANT_TABLES_NEED,
      );
      if (!maria) {
        await guarded(
          'mysql.global_grants',
          async () => {
            facts.grants.push(...mapGlobalGrants(await this.query('global_grants')));
          },
          'SELECT on mysql.global_grants',
        );
      }
    }
    if (!fullView) {
      extra.partialView = true;
      facts.unreadable.push({
        what: 'grants.others',
        reason: 'the grant tables are not readable: only the connected account’s own grants (SHOW GRANTS) are known',
        needs: GRANT_TABLES_NEED,
      });
      if (o.families.has('grants')) await this.ownGrants(facts, idx, maria);
    }

    facts.allowedPrincipals = expandAllowed(o.allowPrincipals, facts.principals);
    const knownNames = facts.principals.map((p) => p.name);
    const supers = superusers(facts.grants);
    for (const p of facts.principals) {
      if ([p.name, ...reachableRoles(p.name, facts.memberships)].some((n) => supers.has(n))) {
        if (!p.attributes.includes('superuser')) p.attributes.push('superuser');
      }
    }
    facts.effective = computeEffective(
      facts.grants,
      facts.memberships,
      knownNames,
      facts.tables,
      this.database,
      supers,
    );
    // Service account: --service-account (user, user@host or 'user'@'host'; must exist), else the connected
    // account when it holds Quartz's DML, else the one other login that does (inferred), else a usage error.
    const complete = fullView && o.families.has('grants') && facts.tables.length > 0;
    const wanted = o.serviceAccount;
    if (wanted !== undefined && complete && !facts.principals.some((p) => sameAccount(p.name, wanted))) {
      // Close matches by the user part too ('svc' is near 'svx', whatever the quoting and host of the account).
      const accounts = facts.principals.filter((p) => p.kind !== 'public').map((p) => p.name);
      const byUser = closeMatches(
        splitAccount(wanted).user,
        accounts.map((n) => splitAccount(n).user),
      );
      const near = byUser.flatMap((u) => accounts.filter((n) => splitAccount(n).user === u)).slice(0, 3);
      throw new UserError(
        'usage',
        `--service-account: no principal named ${JSON.stringify(wanted)} exists${
          near.length ? ` (close matches: ${near.map((n) => JSON.stringify(n)).join(', ')})` : ''
        }`,
      );
    }
    const choice = chooseServiceAccount({
      ...(o.serviceAccount !== undefined ? { explicit: o.serviceAccount } : {}),
      connectedAs,
      principals: facts.principals,
      effective: facts.effective,
      tables: facts.tables.map((t) => t.logical),
      owners: [],
      complete,
      same: sameAccount,
    });
    facts.serviceAccount =
      choice.source === 'option' ? resolveAccount(o.serviceAccount, facts.principals, connectedAs, extra) : choice.name;
    facts.serviceAccountSource = choice.source;
    if (!fullView && facts.serviceAccount !== connectedAs) {
      // The shared checks (QA-G05/G07/G08) read these keys: another account's grants are unknown.
      for (const what of ['effective-privileges', 'foreign-privileges']) {
        facts.unreadable.push({
          what,
          reason: `the grants of ${facts.serviceAccount} are not visible to ${connectedAs}`,
          needs: GRANT_TABLES_NEED,
        });
      }
    }
    facts.foreignPrivileges = foreignPrivileges(facts.grants, facts.memberships, facts.serviceAccount, this.database);
    extra.serviceAccountRoles = reachableRoles(facts.serviceAccount, facts.memberships);

    if (o.families.has('grants')) {
      // information_schema.TRIGGERS hides triggers of tables where the reader lacks TRIGGER.
      await guarded('tamper', async () => {
        if (facts.tables.length === 0) return;
        facts.tamper.push(
          ...mapTriggers(await this.query('triggers', [this.database, facts.tables.map((t) => t.name.toUpperCase())])),
        );
      });
      await guarded('tamper.routines', async () => {
        facts.tamper.push(
          ...mapShadowRoutines(await this.query('shadow_routines', [this.database, [...MYSQL_BUILTIN_FUNCTIONS]])),
        );
      });
      const hidden = facts.tables.filter(
        (t) =>
          !facts.effective.some(
            (e) => e.principal === connectedAs && e.table === t.logical && e.privilege === 'TRIGGER',
          ),
      );
      if (hidden.length > 0) {
        facts.unreadable.push({
          // 'tamper' is what QA-T01 reads; when some triggers are visible, they are reported and this stays a note.
          what: facts.tamper.some((x) => x.kind === 'trigger') ? 'triggers.partial' : 'tamper',
          reason: `information_schema.TRIGGERS hides triggers on tables where ${connectedAs} lacks TRIGGER: ${hidden
            .map((t) => t.name)
            .join(', ')}`,
          needs: `TRIGGER on ${this.database}.* (or on each Quartz table)`,
        });
      }
    }

    if (readsTableContents(o.families)) {
      // Scheduler state (QA-H…) and schema columns (QA-U01) are table contents: shared reader, queries/mysql/scheduler-*.sql.
      const quote = (t: QuartzTable) => `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
      // The shared reader records a failed read by its message: remember which table and why, to annotate it.
      const failures = new Map<string, { table?: string; cause: NonNullable<Unreadable['cause']> }>();
      const run = async (sql: string, params: unknown[]) => {
        try {
          return await this.run(sql, params);
        } catch (err) {
          const cause = failureCause(err);
          if (!cause && isTimeout(err)) throw err;
          const table = facts.tables.find((t) => sql.includes(quote(t)))?.name;
          failures.set(String((err as Error)?.message ?? err), {
            cause: cause ?? 'other',
            ...(table ? { table } : {}),
          });
          throw err;
        }
      };
      await addContentFacts(facts, run, { dialect: 'mysql', quote }, guarded);
      for (const u of [...facts.unreadable, ...(facts.scheduler?.unreadable ?? [])]) {
        const f = u.cause ? undefined : failures.get(u.reason);
        if (f) Object.assign(u, f);
      }
    }

    if (o.families.has('encryption') && this.tables.length > 0) {
      const names = this.tables.map((t) => innodb(t, lowerCaseNames));
      const ok = await guarded(
        'tablespaces',
        async () => {
          facts.tableEncryption = maria
            ? mapTablespacesMariadb(await this.query('tablespaces_mariadb', [names]), facts.tables, lowerCaseNames)
            : mapTablespacesMysql(await this.query('tablespaces_mysql', [names]), facts.tables, lowerCaseNames);
        },
        'PROCESS',
      );
      if (!ok) {
        facts.tableEncryption = this.tables.map((t) => {
          const flag = createOptionsEncrypted(t.createOptions);
          return {
            table: `${t.schema}.${t.name}`,
            encrypted: flag === true ? true : null,
            detail: `CREATE_OPTIONS '${t.createOptions}' (tablespace state unreadable without PROCESS)`,
          };
        });
      }
    }
    const capabilities = serviceAccountCapabilities(facts);
    if (capabilities) facts.capabilities = capabilities;
    return facts;
  }

  /** Fallback without the grant tables: SHOW GRANTS for the own account and each role it holds. */
  private async ownGrants(facts: Facts, idx: ReturnType<typeof tableIndex>, maria: boolean): Promise<void> {
    const self = facts.connectedAs;
    const lines = async (rows: Row[]) => rows.map((r) => str(Object.values(r)[0]));
    const ownLines = await lines(await this.query('show_grants'));
    const own = { ...mapShowGrants(ownLines, idx), lines: ownLines };
    const grants: Grant[] = [...own.grants];
    const memberships: Membership[] = [...own.memberships];
    const fromApplicable = await this.query('applicable_roles').catch(() => [] as Row[]);
    for (const m of mapApplicableRoles(fromApplicable, self)) {
      const known = memberships.find((x) => x.member === m.member && x.role === m.role);
      if (!known) memberships.push(m);
      else known.inherit ||= m.inherit; // MySQL's SHOW GRANTS omits default roles; APPLICABLE_ROLES has IS_DEFAULT.
    }
    const seen = new Set<string>();
    const queue = memberships.map((m) => m.role);
    while (queue.length && seen.size < 200) {
      const role = queue.shift() as string;
      if (seen.has(role) || grants.some((g) => g.grantee === role && seen.has(role))) continue;
      seen.add(role);
      const { user, host } = splitAccount(role);
      const target = host === undefined ? user : `${user}@${host}`;
      try {
        const rows = await this.query('show_grants_for', [], { account: targetLiteral(target) });
        const r = mapShowGrants(await lines(rows), idx);
        for (const g of r.grants) if (!grants.some((x) => sameGrant(x, g))) grants.push(g);
        for (const m of r.memberships) {
          if (!memberships.some((x) => x.member === m.member && x.role === m.role)) {
            memberships.push(m);
            queue.push(m.role);
          }
        }
      } catch (err) {
        if (isTimeout(err)) throw err;
        if (!maria && (await this.roleGrantsUsing(role, own.lines, idx, grants))) continue;
        facts.unreadable.push({
          what: `grants.role:${role}`,
          reason: String((err as Error)?.message ?? err),
          needs: GRANT_TABLES_NEED,
        });
      }
    }
    facts.grants = grants;
    facts.memberships = memberships;
    const { user, host } = splitAccount(self);
    const attributes: string[] = [];
    if (user === '') attributes.push('anonymous');
    if (host === '%' || host === '') attributes.push('host-any');
    if (own.require) {
      attributes.push('require-ssl');
      if (own.require === 'X509' || own.require === 'SUBJECT' || own.require === 'ISSUER')
        attributes.push('require-x509');
    } else if (maria) {
      // MariaDB's SHOW GRANTS prints REQUIRE on the USAGE line; absent = REQUIRE NONE.
    } else {
      const req = await this.query('show_create_user')
        .then((rows) => requireClause(str(Object.values(rows[0] ?? {})[0])))
        .catch(() => undefined);
      if (req && req !== 'NONE') {
        attributes.push('require-ssl');
        if (req === 'X509' || req === 'SUBJECT' || req === 'ISSUER') attributes.push('require-x509');
      }
      if (req === undefined)
        facts.unreadable.push({
          what: 'account.ssl_type',
          reason: 'MySQL does not show REQUIRE in SHOW GRANTS and mysql.user is not readable',
          needs: 'SELECT on mysql.user',
        });
    }
    const principals: Principal[] = [{ name: self, kind: 'user', canLogin: true, attributes, host: host ?? '' }];
    for (const role of seen) principals.push({ name: role, kind: 'role', canLogin: false, attributes: ['role'] });
    if (grants.some((g) => g.grantee === 'PUBLIC')) {
      principals.push({ name: 'PUBLIC', kind: 'public', canLogin: false, attributes: [] });
    }
    facts.principals = principals;
  }

  /**
   * MySQL: SHOW GRANTS FOR a role needs SELECT on mysql.*, but SHOW GRANTS FOR CURRENT_USER() USING role does not.
   * The role's privileges are the lines that appear only with the role applied; they are attributed to the role.
   */
  private async roleGrantsUsing(role: string, ownLines: string[], idx: ReturnType<typeof tableIndex>, grants: Grant[]) {
    try {
      const rows = await this.query('show_grants_using', [], { role: targetLiteral(role) });
      const extra = rows.map((r) => str(Object.values(r)[0])).filter((l) => !ownLines.includes(l));
      for (const g of mapShowGrants(extra, idx).grants) {
        const attributed = { ...g, grantee: role };
        if (!grants.some((x) => sameGrant(x, attributed))) grants.push(attributed);
      }
      return true;
    } catch (err) {
      if (isTimeout(err)) throw err;
      return false;
    }
  }

  /**
   * Blob rows in keyset batches (ORDER BY the primary key, `(pk) > (last)`), each batch its own statement so the
   * statement timeout bounds one round trip, and each batch cut by bytes: the keys and bounded sizes of the next
   * rows are read first, then as many rows as fit in BLOB_BATCH_BYTES (at least one). A table that cannot be read
   * (privilege, lock or statement timeout) is reported through `onUnreadable` and the stream goes on.
   */
  async *blobRows(onUnreadable?: (u: Unreadable) => void): AsyncIterable<BlobRow> {
    if (!this.conn) throw new Error('not connected');
    const bound = this.options.maxBlobSize;
    for (const src of BLOB_SOURCES) {
      const t = this.tables.find((x) => x.logical === src.table);
      if (!t) continue;
      const table = `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
      const keys = src.keys.join(', ');
      const bounds = new Array(src.bounds ?? 1).fill(bound);
      let last: unknown[] | undefined;
      // Reading a row's size reads its blob (InnoDB has no cheaper LENGTH), so the look-ahead adapts: it grows
      // while every row it sees fits in the budget, and shrinks to about one batch when rows are large.
      let lookahead = 16;
      try {
        for (;;) {
          const { after, params: afterParams } = last ? keysetAfter(src.keys, last) : { after: 'TRUE', params: [] };
          const sizes = await this.query('blob_sizes', [bound, ...afterParams, lookahead], {
            table,
            keys,
            size: src.size,
            after,
          });
          if (sizes.length === 0) break;
          const take = rowsWithin(
            sizes.map((r) => Number(r.SZ ?? 0)),
            BLOB_BATCH_BYTES,
          );
          lookahead =
            take === sizes.length
              ? Math.min(lookahead * 4, SIZE_BATCH_ROWS)
              : Math.max(2, Math.min(take * 2, SIZE_BATCH_ROWS));
          const rows = await this.query(src.query, [...bounds, ...afterParams, take], { table, after });
          for (const raw of rows) yield this.blobRow(src, t.name, raw);
          const end = rows[rows.length - 1];
          if (!end || rows.length < take) break;
          last = src.keys.map((k) => end[k]);
        }
      } catch (err) {
        const cause = failureCause(err);
        if (!cause || !onUnreadable) throw mapMysqlError(err, this.parsed.display);
        onUnreadable({
          what: `blobs.${src.table}`,
          reason: String((err as Error)?.message ?? err),
          table: t.name,
          cause,
          ...(cause === 'privilege' ? { needs: `SELECT on ${t.schema}.${t.name}` } : {}),
        });
      }
    }
  }

  private blobRow(src: (typeof BLOB_SOURCES)[number], tableName: string, raw: Row): BlobRow {
    const shared = SHARED_SOURCES.find((x) => x.table === src.table);
    if (!shared) throw new Error(`no blob source for ${src.table}`);
    return buildBlobRow(shared, tableName, {
      sched: raw.SCHED_NAME,
      group: src.group ? raw[src.group] : null,
      name: raw[src.name],
      // Copied, as before: the driver's buffer may be a view into a packet it reuses.
      bytes: raw.BYTES === null || raw.BYTES === undefined ? null : Buffer.from(raw.BYTES as Buffer),
      size: raw.SIZE,
      texts: raw,
    });
  }

  async close(): Promise<void> {
    const c = this.conn;
    this.conn = undefined;
    if (!c) return;
    await new Promise<void>((resolve) => {
      c.end(() => resolve());
    }).catch(() => {});
    c.destroy();
  }
}

function innodb(t: QuartzTable, lowerCaseNames: number): string {
  const n = `${t.schema}/${t.name}`;
  return lowerCaseNames > 0 ? n.toLowerCase() : n;
}

function sameGrant(a: Grant, b: Grant): boolean {
  return (
    a.grantee === b.grantee && a.privilege === b.privilege && a.objectKind === b.objectKind && a.object === b.object
  );
}

/** The REQUIRE clause of a SHOW CREATE USER line (NONE, SSL, X509, SUBJECT, ISSUER, CIPHER); quoted strings skipped. */
export function requireClause(line: string): string | undefined {
  const toks = tokenize(line);
  for (let i = 0; i < toks.length - 1; i++) {
    const t = toks[i];
    const n = toks[i + 1];
    const prev = toks[i - 1];
    // PASSWORD REQUIRE CURRENT is a password option, not the TLS requirement.
    if (prev?.t === 'word' && prev.v.toUpperCase() === 'PASSWORD') continue;
    if (t?.t === 'word' && t.v.toUpperCase() === 'REQUIRE' && n?.t === 'word') return n.v.toUpperCase();
  }
  return undefined;
}

/** `'role'` or `'user'@'host'` as SQL literals for SHOW GRANTS FOR. */
function targetLiteral(target: string): string {
  const { user, host } = splitAccount(target);
  const lit = (s: string) => mysql.escape(s);
  return host === undefined ? lit(user) : `${lit(user)}@${lit(host)}`;
}

/** CURRENT_USER() returns user@host (no quotes; the user part may itself contain @). */
export function currentAccount(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 0) return value;
  return accountName(value.slice(0, at), value.slice(at + 1));
}

/** Resolves --service-account against the known accounts. */
export function resolveAccount(
  wanted: string | undefined,
  principals: Principal[],
  connectedAs: string,
  extra: Pick<MysqlFacts, 'serviceAccountCandidates'>,
): string {
  if (!wanted) return connectedAs;
  const { user, host } = splitAccount(wanted);
  if (host !== undefined) return accountName(user, host);
  const candidates = principals.filter((p) => p.kind === 'user' && principalMatches(p.name, user));
  if (candidates.length > 1) extra.serviceAccountCandidates = candidates.map((p) => p.name);
  if (candidates[0]) return candidates[0].name;
  if (principalMatches(connectedAs, user)) return connectedAs;
  return accountName(user, '%');
}

/** Account comparison for chooseServiceAccount: `user` (no host) matches the account on every host, as resolveAccount does. */
export function sameAccount(a: string, b: string): boolean {
  return principalMatches(a, b);
}

/** --allow-principal values as canonical names: `user` matches the account on every host (and a role). */
export function expandAllowed(allowed: string[], principals: Principal[]): string[] {
  const out = new Set<string>();
  for (const a of allowed) {
    const { user, host } = splitAccount(a);
    if (host !== undefined) out.add(accountName(user, host));
    else {
      out.add(user);
      for (const p of principals) if (principalMatches(p.name, user)) out.add(p.name);
    }
  }
  return [...out];
}

export function createMysqlAdapter(options: ConnectOptions): Adapter {
  return new MysqlAdapter(options);
}
