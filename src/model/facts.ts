/**
 * Facts: what adapters read from a database, normalised. Adapters write them and never judge; checks read
 * them and never query. Engine specifics live in typed per-engine members (`postgres`, `mysql`, `sqlite`,
 * `mssql`: one optional member per engine rather than a discriminated union, so engine-neutral code reads
 * `facts.tables` without narrowing and a check reads `facts.mysql?.auditFilters` without a cast), and what
 * a principal can do is described engine-neutrally in `capabilities`.
 */
import type { MssqlFacts } from '../dialects/mssql/facts.js';
import type { Dialect, QuartzTable, QuartzTableName, Unreadable } from './common.js';
import type { BlobInventory } from './decoding.js';
import type { CapabilityFact, MysqlFacts, PostgresFacts, SqliteFacts } from './engines.js';

export interface Principal {
  name: string;
  /** 'public' is the pseudo-principal every role belongs to (PostgreSQL PUBLIC, MariaDB PUBLIC). */
  kind: 'role' | 'user' | 'public';
  canLogin: boolean;
  /** Engine attributes that are set (PostgreSQL: superuser, createrole, createdb, bypassrls, replication;
   *  MySQL: account_locked, empty_password, anonymous, host=%, require_ssl…). */
  attributes: string[];
  /** MySQL/MariaDB account host part. */
  host?: string;
}

export interface Membership {
  member: string;
  role: string;
  /** Privileges of `role` flow to `member` without SET ROLE (PostgreSQL INHERIT, MySQL default role). */
  inherit: boolean;
  admin: boolean;
}

export type ObjectKind = 'table' | 'schema' | 'database' | 'sequence' | 'function' | 'server' | 'column';

/** A privilege as granted in the catalog (direct, not yet expanded through roles). */
export interface Grant {
  grantee: string; // 'PUBLIC' for the public pseudo-role
  privilege: string; // upper case, engine spelling: SELECT, INSERT, TRUNCATE, FILE, SUPER…
  objectKind: ObjectKind;
  /** schema-qualified or engine-specific object name; for 'server' grants the empty string. */
  object: string;
  /** For table grants on a Quartz table: its logical name. */
  quartzTable?: QuartzTableName;
  grantor?: string;
  grantable: boolean;
}

/** An effective privilege of a principal on a Quartz table, with the path it comes through. */
export interface EffectivePrivilege {
  principal: string;
  table: QuartzTableName;
  privilege: string;
  /** Chain of roles it flows through: [] = direct; ['PUBLIC'] = via PUBLIC; ['app_rw'] = via role app_rw;
   *  ['(owner)'] = owner; ['(superuser)'] = superuser bypass; ['(schema)'] = schema-level grant (MySQL). */
  via: string[];
}

export interface TamperObject {
  /**
   * trigger/rule/policy/event-trigger: code that runs on or around the Quartz tables;
   * shadow-object: a relation earlier on the service account's search path;
   * shadow-function / shadow-operator: a routine or operator outside the system schema that
   * shadows a built-in for argument types the Quartz schema uses (or a stored function named like a
   * built-in); not-a-table: a view, materialized view, foreign table (or anything but a plain or
   * partitioned table) under a Quartz table's name — never read; column-type: a Quartz column whose
   * type is not the expected built-in type; security-definer: a routine running with its owner's
   * rights that the service account or PUBLIC can call.
   */
  kind:
    | 'trigger'
    | 'rule'
    | 'policy'
    | 'event-trigger'
    | 'shadow-object'
    | 'shadow-function'
    | 'shadow-operator'
    | 'not-a-table'
    | 'column-type'
    | 'security-definer';
  name: string;
  /** Owner of the object, where the engine says. */
  owner?: string;
  /** Quartz table it is attached to or shadows (real name). */
  table?: string;
  detail: string;
}

export interface DefaultPrivilege {
  owner: string;
  schema: string | null;
  objectType: string; // 'table', 'sequence', 'function'…
  grantee: string;
  privilege: string;
}

export interface Facts {
  dialect: Dialect;
  server: { product: string; version: string; versionNum?: number };
  target: { database: string; schema: string; tablePrefix: string; user: string; host?: string };
  /** The principal Quartz runs as (from --service-account, default: the connected login). */
  serviceAccount: string;
  /** How serviceAccount was chosen (src/service-account.ts); absent = not applicable (e.g. SQLite file owner). */
  serviceAccountSource?: 'option' | 'connected-login' | 'inferred';
  /** The connected login. When it is not the service account it is the auditor (an allowed reader). */
  connectedAs: string;
  /** Principals expected to have access (--allow-principal). */
  allowedPrincipals: string[];

  tables: QuartzTable[];
  missingTables: QuartzTableName[];

  principals: Principal[];
  memberships: Membership[];
  grants: Grant[];
  effective: EffectivePrivilege[];
  defaultPrivileges: DefaultPrivilege[];
  tamper: TamperObject[];
  /** Objects outside the Quartz tables the service account holds privileges on (G07). */
  foreignPrivileges: Grant[];

  /** Server settings, by name (engine spelling). null = exists but not readable; absent = unknown. */
  settings: Record<string, string | null>;
  /** Loaded extensions / plugins / components, by name. */
  extensions: string[];
  /** TLS state of the audit's own session. */
  session: { tls: boolean | null; tlsVersion?: string; cipher?: string; viaSocket?: boolean };
  /** Per-Quartz-table encryption state where the engine exposes it (true/false/null unknown). */
  tableEncryption: { table: string; encrypted: boolean | null; detail?: string }[];
  /** What principals can do, in engine-neutral terms (src/capabilities.ts), computed by the adapter from
   *  the facts above; absent = not computed (the checks that judge it then say not-evaluated). */
  capabilities?: CapabilityFact[];

  /** --attest claims given by the user, e.g. { 'at-rest': 'LUKS on /var/lib/postgresql, ticket SEC-12' }. */
  attestations: Record<string, string>;
  unreadable: Unreadable[];

  /** Filled by the scan engine after streaming blobs (for QA-B00 and friends). */
  blobInventory?: BlobInventory;

  /** Added for QA-H01…H05: scheduler state read from the Quartz tables (src/scheduler-facts.ts
   *  readSchedulerFacts); absent = the adapter did not read it (the checks then say not-evaluated). */
  scheduler?: SchedulerFacts;
  /** Added for QA-U01: upper-case column names of the Quartz tables as `LOGICAL.COLUMN`
   *  (e.g. 'TRIGGERS.MISFIRE_ORIG_FIRE_TIME'); absent = not read. */
  quartzSchemaColumns?: string[];
  /** PostgreSQL specifics (src/model/engines.ts); present only when dialect is 'postgres'. */
  postgres?: PostgresFacts;
  /** MySQL/MariaDB specifics (src/model/engines.ts); present only when dialect is 'mysql' or 'mariadb'. */
  mysql?: MysqlFacts;
  /** SQLite specifics (src/model/engines.ts); present only when dialect is 'sqlite'. */
  sqlite?: SqliteFacts;
  /** SQL Server specifics, typed (dialects/mssql/facts.ts); present only when dialect is 'mssql'. */
  mssql?: MssqlFacts;
}

/** How a Quartz store writes instants: Quartz.NET DateTimeOffset.UtcTicks (100 ns since 0001-01-01),
 *  Java Quartz Date.getTime() (Unix ms). Durations (CHECKIN_INTERVAL) are milliseconds in both. */
export type QuartzTimeUnit = 'dotnet-ticks' | 'unix-ms' | 'unknown';

/** A time value as stored (raw, a decimal string: ticks exceed 2^53) and as Unix ms (null if unknown unit). */
export interface QuartzInstant {
  raw: string;
  ms: number | null;
}

export interface SchedulerTrigger {
  sched: string;
  group: string;
  name: string;
  jobGroup: string;
  jobName: string;
  state: string;
  nextFire: QuartzInstant | null;
}

/** Rows are bounded (LIMIT 1000); `total` is the full count. */
export interface BoundedRows<T> {
  rows: T[];
  total: number;
}

/** Added for QA-H01…H05 (see Facts.scheduler). */
export interface SchedulerFacts {
  /** The database clock when read, Unix ms. */
  nowMs: number;
  timeUnit: QuartzTimeUnit;
  /** Which value decided the unit, e.g. 'TRIGGERS.START_TIME max 639012345678901234 (ticks range)'. */
  timeUnitEvidence: string;
  /** TRIGGER_STATE → count over all schedulers in the tables. */
  triggerStates: Record<string, number>;
  /** TRIGGER_STATE = 'ERROR'. */
  errorTriggers: BoundedRows<SchedulerTrigger>;
  /** WAITING/ACQUIRED triggers with a NEXT_FIRE_TIME, earliest first (checks apply the threshold). */
  earliestNextFire: BoundedRows<SchedulerTrigger>;
  /** TRIGGER_STATE in PAUSED, PAUSED_BLOCKED, BLOCKED. */
  pausedOrBlocked: BoundedRows<SchedulerTrigger>;
  pausedGroups: BoundedRows<{ sched: string; group: string }>;
  schedulerStates: BoundedRows<{
    sched: string;
    instance: string;
    lastCheckin: QuartzInstant;
    checkinIntervalMs: number;
  }>;
  /** FIRED_TRIGGERS with STATE = 'EXECUTING', oldest first. */
  executing: BoundedRows<{
    sched: string;
    entryId: string;
    group: string;
    name: string;
    instance: string;
    jobGroup: string | null;
    jobName: string | null;
    fired: QuartzInstant;
  }>;
  /** Parts that could not be read (what = 'scheduler.<part>'). */
  unreadable: Unreadable[];
}
