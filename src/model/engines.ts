/**
 * Typed per-engine facts (Facts.postgres / .mysql / .sqlite; SQL Server's live in dialects/mssql/facts.ts)
 * and the engine-neutral capability facts the checks judge. Adapters write these; checks read them without casts.
 */
import type { Dialect } from './common.js';

/** PostgreSQL specifics (Facts.postgres). */
export interface PostgresFacts {
  /** Catalog-reading roles the connected login has (queries/postgres/capabilities.sql). */
  auditor: { superuser?: boolean; read_all_settings?: boolean; read_all_stats?: boolean };
  /** Table access method per real Quartz table name (heap, or an extension's); undefined = unknown. */
  tableAccessMethods: Record<string, string | undefined>;
  /** rolconnlimit per role (-1 = unlimited); absent = pg_roles not read. */
  roleConnLimits?: Record<string, number>;
  /** Owner of the Quartz schema; null = not found; absent = not read. */
  schemaOwner?: string | null;
  /** Principals holding CREATE on the Quartz schema ('PUBLIC' for everyone); absent = not read. */
  schemaCreate?: string[];
  /** Owner of the database; null = not found; absent = not read. */
  databaseOwner?: string | null;
  /** The service account's effective search_path, parsed; absent = not read. */
  searchPath?: string[];
}

/** An audit_log filter assigned to an account (MySQL Enterprise audit_log_filter). */
export interface MysqlAuditFilter {
  user: string;
  host: string;
  filter: string;
  /** The filter's JSON definition (bounded), or null when the named filter does not exist. */
  definition: string | null;
}

/** MySQL/MariaDB specifics (Facts.mysql). */
export interface MysqlFacts {
  /** Which server family answered: 'mysql' or 'mariadb'. */
  flavour: Dialect;
  /** lower_case_table_names (0, 1 or 2). */
  lowerCaseTableNames: number;
  /** information_schema.PLUGINS rows; absent = not read. */
  plugins?: { name: string; type: string; status: string; loadOption: string }[];
  /** MySQL components (mysql.component); absent = not read or MariaDB. */
  components?: string[];
  /** audit_log_filter assignments; absent = not read (plugin not loaded, or no privilege). */
  auditFilters?: MysqlAuditFilter[];
  /** The grant tables were not readable: only the connected account's own grants are known. */
  partialView?: boolean;
  /** Roles the service account reaches (default and granted roles, transitively). */
  serviceAccountRoles?: string[];
  /** Accounts --service-account could name when it gave no host and several matched. */
  serviceAccountCandidates?: string[];
}

/** One file of an SQLite database, stat-ed (no content read). */
export interface SqliteFileFact {
  role: 'database' | 'wal' | 'shm' | 'journal' | 'directory';
  path: string;
  exists: boolean;
  /** Permission bits as octal text, e.g. '0644'; null when not stat-able. */
  mode: string | null;
  uid: number | null;
  gid: number | null;
  owner: string | null;
  symlink: boolean;
  /** Why it could not be stat-ed (other than not existing). */
  error?: string;
}

/** What the SQLite file header says (first 100 bytes). */
export interface SqliteHeaderFact {
  /** First 16 bytes are the plaintext magic. */
  magic: boolean;
  /** Opened and read as SQLite (false for encrypted files, including SQLCipher plaintext-header mode). */
  plaintext: boolean;
  /** Header byte 20 (reserved bytes per page; SQLCipher reserves IV+HMAC space). */
  reservedBytes: number | null;
  /** Header bytes 18/19 = 2: WAL mode. */
  wal: boolean | null;
  /** Header offset 36: pages on the freelist (may keep deleted rows). */
  freelistPages: number | null;
  detail: string;
  size: number;
}

/** SQLite specifics (Facts.sqlite). */
export interface SqliteFacts {
  /** The database file, its sidecars and directory, with who runs the audit and who the service account is. */
  files: {
    processUid: number;
    processUser: string;
    serviceAccount: string;
    serviceUid: number | null;
    files: SqliteFileFact[];
  };
  header: SqliteHeaderFact;
  /** Set with --sqlite-immutable: how the private snapshot differs from the live file. */
  snapshot?: string;
  /** Why session/TLS facts do not apply. */
  session: string;
  /** Why grant facts do not apply. */
  grants: string;
}

/**
 * What a principal can do, in engine-neutral terms (src/capabilities.ts maps each engine's attributes,
 * roles and privileges to them):
 * - superuser: every permission check is bypassed (PostgreSQL superuser, MySQL SUPER/ALL on *.*, SQL Server sysadmin);
 * - administer-roles: create, alter or grant roles and accounts (CREATEROLE, CREATE USER, GRANT OPTION on *.*);
 * - run-os-commands: run programs on the server host (pg_execute_server_program, xp_cmdshell, MySQL FILE with
 *   secure_file_priv empty: writes into the server's plugin or startup paths);
 * - read-server-files / write-server-files: read or write files on the server host (pg_read_server_files,
 *   pg_write_server_files, MySQL FILE);
 * - bypass-row-security: row-level security does not apply (BYPASSRLS);
 * - read-all-data / write-all-data: every table, whatever its grants (pg_read_all_data, pg_write_all_data);
 * - administer-server: stop, reload or reconfigure the server, see or end others' sessions (SHUTDOWN, RELOAD,
 *   PROCESS, pg_signal_backend, replication).
 */
export const CAPABILITIES = [
  'superuser',
  'administer-roles',
  'run-os-commands',
  'read-server-files',
  'write-server-files',
  'bypass-row-security',
  'read-all-data',
  'write-all-data',
  'administer-server',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** One capability of one principal and the engine fact it comes from. */
export interface CapabilityFact {
  principal: string;
  capability: Capability;
  /** The engine's spelling of where it comes from, e.g. 'attribute SUPERUSER', 'role pg_execute_server_program',
   *  'FILE with secure_file_priv empty', 'via role app_admin'. */
  via: string;
}
