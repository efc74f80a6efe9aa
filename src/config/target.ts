/**
 * toScanTarget(): what `scan --from-config` needs from a configuration — the JobStore's dialect, a
 * password-free URL in the form `qrtz-audit scan` takes, the table prefix, and the service account (the
 * connection string's user). The configured password is kept in a non-enumerable field, for runs where
 * the user asks to connect with the configured credentials.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { UserError } from '../errors.js';
import type { ConfigFacts, ConnectionFact, QuartzSettings, TargetDialect } from './model.js';

export interface ScanTarget {
  dialect: TargetDialect;
  /** postgres://user@host:port/db, mysql://…, sqlite:PATH (no password), for dialects scan supports. */
  url?: string;
  /** The configured connection string / JDBC URL (non-enumerable: it may hold the password). */
  readonly connectionString?: string;
  /** The configured password (non-enumerable; registered with registerSecret when it was read). */
  readonly password?: string;
  tablePrefix: string;
  /** The connection's user: the account Quartz runs as in the database. */
  serviceAccount?: string;
  /** Database (PostgreSQL/MySQL) or schema; SQLite: the file. */
  database?: string;
  schema?: string;
  platform: 'dotnet' | 'java';
  /** Connection and data source names, and where they are configured. */
  connection: string;
  dataSource?: string;
  file: string;
  line?: number;
}

function chooseSettings(facts: ConfigFacts, platform?: 'dotnet' | 'java'): QuartzSettings {
  const all = [facts.dotnet, facts.java].filter((s): s is QuartzSettings => s !== undefined);
  const candidates = all.filter((s) => (platform ? s.platform === platform : true));
  const persistent = candidates.filter((s) => s.jobStore.kind === 'persistent');
  if (persistent.length === 0) {
    const ram = candidates.find((s) => s.jobStore.kind === 'ram');
    throw new UserError(
      'input',
      ram
        ? 'the configuration uses RAMJobStore: there is no JobStore database to scan'
        : 'no persistent Quartz job store (AdoJobStore/JobStoreTX) found in the configuration',
    );
  }
  if (persistent.length > 1)
    throw new UserError('usage', 'the configuration holds both a Quartz.NET and a Java job store: choose one');
  return persistent[0] as QuartzSettings;
}

function urlHost(h: string): string {
  return h.includes(':') && !h.startsWith('[') ? `[${h}]` : h;
}

/** The JobStore database a configuration uses. Throws UserError (exit 2) when it cannot tell. */
export function toScanTarget(
  facts: ConfigFacts,
  options: { platform?: 'dotnet' | 'java'; dataSource?: string } = {},
): ScanTarget {
  const s = chooseSettings(facts, options.platform);
  const dsName = options.dataSource ?? s.jobStore.dataSource;
  const ds = dsName ? s.dataSources.find((d) => d.name.toLowerCase() === dsName.toLowerCase()) : s.dataSources[0];
  if (!ds) throw new UserError('input', `job store data source "${dsName ?? ''}" is not configured`);
  const conn: ConnectionFact | undefined = ds.connection
    ? facts.connections.find((c) => c.name === ds.connection)
    : undefined;
  const encrypted = facts.connections.find((c) => c.format === 'encrypted');
  if (!conn && encrypted)
    throw new UserError(
      'input',
      `connection strings are encrypted (${encrypted.protectedBy ?? 'protected configuration'}): give the database URL instead`,
    );
  if (!conn) {
    const hint = ds.connectionStringName ? ` (connection string "${ds.connectionStringName}" not found)` : '';
    throw new UserError('input', `data source "${ds.name}" has no connection string in the configuration${hint}`);
  }
  if (conn.format === 'encrypted')
    throw new UserError(
      'input',
      `connection strings are encrypted (${conn.protectedBy}): give the database URL instead`,
    );
  const dialect = conn.dialect ?? 'other';
  const target: ScanTarget = {
    dialect,
    tablePrefix: s.jobStore.tablePrefix,
    platform: s.platform,
    connection: conn.name,
    dataSource: ds.name,
    file: conn.file,
  };
  if (conn.line !== undefined) target.line = conn.line;
  if (conn.user) target.serviceAccount = conn.user;
  if (conn.database) target.database = conn.database;
  const user = conn.user ? `${encodeURIComponent(conn.user)}@` : '';
  if (dialect === 'sqlite') {
    if (!conn.dataFile) throw new UserError('input', `SQLite connection "${conn.name}" names no data source file`);
    // relative files (and |DataDirectory|) are relative to the application folder, not the auditor's
    const rel = conn.dataFile.replace(/^\|DataDirectory\|[\\/]?/i, '');
    const file = rel === ':memory:' || isAbsolute(rel) ? rel : resolve(dirname(conn.file), rel);
    target.url = `sqlite:${file}`;
    target.database = file;
  } else if (dialect === 'postgres' || dialect === 'mysql') {
    if (!conn.host) throw new UserError('input', `connection "${conn.name}" names no host`);
    if (!/^[A-Za-z0-9._\-[\]:]+$/.test(conn.host))
      throw new UserError('input', `connection "${conn.name}" names a host that is not a host name or address`);
    const scheme = dialect === 'postgres' ? 'postgres' : /mariadb/i.test(conn.provider ?? '') ? 'mariadb' : 'mysql';
    const port = conn.port !== undefined ? `:${conn.port}` : '';
    target.url = `${scheme}://${user}${urlHost(conn.host)}${port}/${encodeURIComponent(conn.database ?? '')}`;
    if (dialect === 'mysql' && conn.database) target.schema = conn.database;
    if (dialect === 'postgres' && conn.schema) target.schema = conn.schema;
  }
  if (conn.raw !== undefined) Object.defineProperty(target, 'connectionString', { value: conn.raw, enumerable: false });
  if (conn.secretValue !== undefined)
    Object.defineProperty(target, 'password', { value: conn.secretValue, enumerable: false });
  return target;
}
