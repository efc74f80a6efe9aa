/**
 * The model's leaf vocabulary: the databases qrtz-audit knows, the Quartz tables, and what an adapter could not
 * read. Facts (facts.ts), typed engine facts (engines.ts) and decoding (decoding.ts) build on it; it imports
 * nothing, so no model file needs another that needs it back.
 */

/**
 * Every database qrtz-audit knows, with its display name, in one list: the `Dialect` union, `DIALECTS`, the
 * catalogue's `--dialect` choices, the checks' `dialects` metadata and the engine's messages derive from it.
 * A new database adds one entry here (and its adapter line in dialects/index.ts).
 */
export const DIALECT_NAMES = {
  postgres: 'PostgreSQL',
  mysql: 'MySQL',
  mariadb: 'MariaDB',
  sqlite: 'SQLite',
  mssql: 'SQL Server',
} as const;
export type Dialect = keyof typeof DIALECT_NAMES;
export const DIALECTS = Object.keys(DIALECT_NAMES) as readonly Dialect[];
/** The 11 standard Quartz tables (logical names, without prefix). */
export const QUARTZ_TABLES = [
  'JOB_DETAILS',
  'TRIGGERS',
  'SIMPLE_TRIGGERS',
  'CRON_TRIGGERS',
  'SIMPROP_TRIGGERS',
  'BLOB_TRIGGERS',
  'CALENDARS',
  'PAUSED_TRIGGER_GRPS',
  'FIRED_TRIGGERS',
  'SCHEDULER_STATE',
  'LOCKS',
] as const;
export type QuartzTableName = (typeof QUARTZ_TABLES)[number];

export interface QuartzTable {
  /** Logical name, e.g. JOB_DETAILS. */
  logical: QuartzTableName;
  /** Real name as stored in the catalog, e.g. qrtz_job_details. */
  name: string;
  schema: string;
  owner?: string;
}

/** Something the adapter could not read, and what would let it. */
export interface Unreadable {
  /** What was not read, a stable key checks look up: e.g. 'settings.shared_preload_libraries', 'pg_stat_ssl'. */
  what: string;
  reason: string;
  /** The privilege or role that would let the auditor see it. */
  needs?: string;
  /** Real name of the Quartz table this is about, when it is about one (e.g. a lock timeout on it). */
  table?: string;
  /** Why it was not read: a missing privilege, a lock or statement timeout, tampering, anything else. */
  cause?: 'privilege' | 'lock-timeout' | 'statement-timeout' | 'tamper' | 'other';
}
