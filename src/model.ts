/**
 * The shared vocabulary of qrtz-audit: facts (what adapters read), blobs (what the scan streams),
 * findings (what checks say). Adapters produce facts and never judge; checks are pure functions
 * from facts (or one decoded blob) to findings; reports only format findings.
 */
import type { MssqlFacts } from './dialects/mssql/facts.js';

export type Dialect = 'postgres' | 'mysql' | 'mariadb' | 'sqlite' | 'mssql';
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
/** fail: a problem; pass: checked and fine; not-evaluated: could not read its inputs (never a pass);
 *  manual: needs evidence SQL cannot give; not-applicable: concept does not exist on this engine;
 *  info: inventory, never fails a build. */
export type Status = 'fail' | 'pass' | 'not-evaluated' | 'manual' | 'not-applicable' | 'info';
/** Check families, selectable with --only / --skip. `blobs` = everything read from table contents. */
export type Family = 'grants' | 'encryption' | 'audit' | 'blobs';
export const FAMILIES: readonly Family[] = ['grants', 'encryption', 'audit', 'blobs'];

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
  /** Free-form dialect-specific facts (e.g. sqlite file modes). Checks read them by dialect. */
  extra: Record<string, unknown>;

  /** --attest claims given by the user, e.g. { 'at-rest': 'LUKS on /var/lib/postgresql, ticket SEC-12' }. */
  attestations: Record<string, string>;
  unreadable: Unreadable[];

  /** Filled by the scan engine after streaming blobs (for QA-B00 and friends). */
  blobInventory?: BlobInventory;

  /** Added for QA-H01…H05: scheduler state read from the Quartz tables (src/dialects/shared/scheduler.ts
   *  readSchedulerFacts); absent = the adapter did not read it (the checks then say not-evaluated). */
  scheduler?: SchedulerFacts;
  /** Added for QA-U01: upper-case column names of the Quartz tables as `LOGICAL.COLUMN`
   *  (e.g. 'TRIGGERS.MISFIRE_ORIG_FIRE_TIME'); absent = not read. */
  quartzSchemaColumns?: string[];
  /** SQL Server specifics, typed (src/dialects/mssql/facts.ts); present only when dialect is 'mssql'. */
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

// ---------------------------------------------------------------------------------------------
// Blobs

/** Tables whose rows the scan streams. SIMPROP_TRIGGERS has no blob: its rows carry only textColumns. */
export type BlobTable = 'JOB_DETAILS' | 'TRIGGERS' | 'BLOB_TRIGGERS' | 'CALENDARS' | 'SIMPROP_TRIGGERS';

export interface BlobRow {
  table: BlobTable;
  /** Real table name, e.g. qrtz_job_details. */
  tableName: string;
  column: string; // JOB_DATA, BLOB_DATA, CALENDAR
  /** SCHED_NAME / group / name (calendar rows have no group). */
  key: { sched: string; group?: string; name: string };
  /** Up to the --max-blob-size bound; null when the column is NULL. */
  bytes: Buffer | null;
  /** Full size in the database (may exceed bytes.length when truncated by the bound). */
  size: number;
  /** JOB_DETAILS: JOB_CLASS_NAME; TRIGGERS: JOB_NAME/JOB_GROUP; plus DESCRIPTION where the table has one. */
  jobClassName?: string;
  description?: string | null;
  /** Other free-text columns the secret detectors read (SIMPROP_TRIGGERS.STR_PROP_1..3). */
  textColumns?: Record<string, string | null>;
}

export type BlobFormat =
  | 'nrbf'
  | 'java'
  | 'json-newtonsoft'
  | 'json-stj'
  | 'json'
  | 'properties'
  | 'gzip'
  | 'empty'
  | 'unknown';

export interface TypeRef {
  /** Fully qualified type name, e.g. System.Collections.Hashtable, org.quartz.JobDataMap. */
  name: string;
  /** .NET assembly (library) name, or undefined. */
  assembly?: string;
  ecosystem: 'dotnet' | 'java';
  /** How it got in: 'nrbf-class', 'json-$type', 'java-classdesc', 'nested:base64'… */
  via: string;
}

export type MapValue = string | number | boolean | null | { type: string; summary?: string };

/** One JobDataMap entry, flattened: nested maps/lists keep their key paths. */
export interface MapEntry {
  path: string[];
  value: MapValue;
  valueType?: string;
}

/** Every string found inside a blob, with where it sits; what the secret detectors read. */
export interface FoundString {
  path: string[];
  value: string;
}

/** A node of the typed object tree that inspect-blob prints (parsers build it; bounded like the parse). */
export interface TreeNode {
  /** Member/field/key name, or a record description. */
  label: string;
  /** Type name of the value, when known. */
  type?: string;
  /** Scalar value (strings may hold secrets: every output redacts). */
  value?: string | number | boolean | null;
  /** Byte offset in the blob where the record starts. */
  offset?: number;
  children?: TreeNode[];
}

export interface DecodeResult {
  format: BlobFormat;
  /** Typed object tree of the root object (for inspect-blob). */
  tree?: TreeNode;
  /** Formats of nested payloads found inside (base64/hex/gzip wrapped), outermost first. */
  nestedFormats: BlobFormat[];
  /** Every type the bytes would make a deserializer load or instantiate. */
  types: TypeRef[];
  /** Quartz object recognised at the root, e.g. 'JobDataMap', 'Calendar', 'Trigger'. */
  quartzObject?: string;
  /** The JobDataMap (or map-like content) as flattened entries. */
  entries: MapEntry[];
  /** All strings, including entry values, member strings and the printable-string fallback. */
  strings: FoundString[];
  /** Set when parsing stopped: where and why. A malformed blob is never clean. */
  malformed?: { offset: number; reason: string };
  /** A bound was hit (depth, records, time): content past it was not read. */
  limited?: string;
  /** NRBF BinaryMethodCall/Return seen. */
  methodCall?: boolean;
  /** Json.NET $type seen anywhere. */
  jsonTypeNames?: boolean;
  /** Assembly names mentioning Quartz with a version, e.g. 'Quartz, Version=3.3.3.0' (QA-U01). */
  quartzVersions?: string[];
  /** Added for QA-B08: bytes after the end of the stream (after NRBF MessageEnd, after the last
   *  complete Java object) that a deserializer never reads; preview = hex of the first bytes. */
  trailing?: TrailingBytes;
  /** Added for QA-B02: an exponential object graph (hash-based collections nested through shared
   *  references, the ysoserial SerialDOS shape) that makes a deserializer hash for ever. */
  denialOfService?: ExpansionFinding;
}

export interface TrailingBytes {
  offset: number;
  length: number;
  /** Hex of the first (at most 16) trailing bytes. */
  preview: string;
  /** Set when the stream was gzip-compressed: offset and length are in the inflated content. */
  within?: 'gzip';
}

export interface ExpansionFinding {
  /** Collection type at the top of the exponential shape, e.g. java.util.HashSet. */
  collection: string;
  /** Hash-based collections nested inside each other along the deepest chain read. */
  depth: number;
  /** Nodes a deserializer visits when it hashes the graph (log2, so it never overflows). */
  log2Visits: number;
  /** Distinct objects in the graph read. */
  objects: number;
  /** The parse hit its depth bound inside the nested collections (depth is then a lower bound). */
  cutAtDepth?: boolean;
}

export interface ScannedBlob {
  row: Omit<BlobRow, 'bytes'>;
  decoded: DecodeResult;
}

export interface BlobInventory {
  /** key: `${table}.${column}` → format → { rows, bytes } */
  byColumn: Record<string, Record<string, { rows: number; bytes: number }>>;
  rows: number;
  bytes: number;
  /** Distinct type names seen, with counts (rows that contain them). */
  types: Record<string, number>;
  /** The same, split by the blob's outer format (nrbf, java, json-newtonsoft…). */
  typesByFormat: Record<string, Record<string, number>>;
  /** Added for QA-U01: DecodeResult.quartzVersions seen (e.g. 'Quartz, Version=2.3.3.0') → blob count. */
  quartzVersions?: Record<string, number>;
  /** Added for QA-J04: QRTZ_JOB_DETAILS JOB_CLASS_NAME → row count (filled by the engine from BlobRow.jobClassName). */
  jobClasses?: Record<string, number>;
  /** Names not kept once a map above held MAX_INVENTORY_NAMES (src/engine.ts): garbage blobs can hold a new one per row. */
  droppedNames?: number;
  /** Reading the rows failed, or the family was skipped. */
  unreadable?: Unreadable;
}

// ---------------------------------------------------------------------------------------------
// Findings and checks

export interface FindingObject {
  kind: 'table' | 'schema' | 'database' | 'principal' | 'row' | 'server' | 'session' | 'file' | 'setting';
  /** Human-readable identification, e.g. 'public.qrtz_job_details', 'role quartz_app', 'DEFAULT.nightly/backup'. */
  name: string;
  schema?: string;
  table?: string;
  principal?: string;
  rowKey?: string;
  /** Safe display form of `name` (control, ESC and bidi characters made visible); only when it differs (JSON/SARIF). */
  display?: string;
}

export interface Finding {
  check: string;
  severity: Severity;
  status: Status;
  title: string;
  message: string;
  object: FindingObject;
  /** Redacted evidence: small scalars only; never a raw secret. */
  evidence?: Record<string, string | number | boolean | null>;
  remediation: string;
  mitigation: string;
  family: Family;
  /** Stable: same check on the same object → same fingerprint across runs. */
  fingerprint: string;
  /** Safe display forms (control, ESC and bidi characters made visible) of the fields that differ from them;
   *  set by the report for JSON/SARIF, which keep the exact values. */
  display?: { message?: string; remediation?: string; evidence?: Record<string, string> };
}

export interface CheckMeta {
  /** Stable id users baseline and suppress by, e.g. QA-G01. */
  id: string;
  title: string;
  family: Family;
  /** Default severity of a failure (individual findings may carry another, documented severity). */
  severity: Severity;
  /** The mitigation this check serves (seed mitigation plan wording). */
  mitigation: string;
  /** Generic remediation text; findings may carry a more exact one (e.g. the REVOKE statement). */
  remediation: string;
  /** Dialects it applies to; absent = all. */
  dialects?: Dialect[];
}

/** What a check returns before the engine fills in title/family/mitigation/fingerprint defaults. */
export interface FindingDraft {
  status: Status;
  severity?: Severity;
  message: string;
  object: FindingObject;
  evidence?: Record<string, string | number | boolean | null>;
  remediation?: string;
  /** Extra discriminator for the fingerprint (e.g. privilege name) beyond object.name. */
  discriminator?: string;
}

export interface CheckOptions {
  /** Type globs users allow beyond the built-in allowlist (--allow-type). */
  allowTypes: string[];
  maxBlobSize: number;
  /** Extra knobs later checks read (thresholds etc.). */
  [key: string]: unknown;
}

export interface Check {
  meta: CheckMeta;
  /** Judge the facts. Pure: no I/O. */
  evaluate?(facts: Facts, options: CheckOptions): FindingDraft[];
  /** Judge one decoded blob. Pure: no I/O. Called once per streamed row. */
  inspectBlob?(blob: ScannedBlob, facts: Facts, options: CheckOptions): FindingDraft[];
}
