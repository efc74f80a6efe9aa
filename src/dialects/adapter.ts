/**
 * The adapter contract: what every database adapter (`src/dialects/<db>/`) must provide to the
 * engine, and which capabilities are optional. Adapters know SQL; they never judge: they turn
 * catalog rows into normalized facts and stream blob rows, and the checks decide what is wrong.
 *
 * Every adapter folder holds the same role-named files, so knowing one folder is knowing them all:
 * - `connection.ts` — URL / connection-string parsing, the driver configuration for the connection
 *   layer (src/dialects/connection.ts: knex, a pool per target, session hardening in afterCreate),
 *   and error mapping to one clear line (never a password);
 * - `facts.ts` — facts collection in named steps, each a guarded read (a failure becomes an
 *   `Unreadable` with its cause, never the end of the audit);
 * - `blobs.ts` — blob streaming with bounded memory;
 * - `index.ts` — the adapter class wiring the three, and `create<Db>Adapter`.
 * The SQL stays in `queries/<db>/*.sql`, every statement a file a DBA can read and run.
 */
import type { BlobRow, Dialect, Facts, Family, Unreadable } from '../model.js';

/** What the user asked for, as one adapter needs it. Built by the scan command from the CLI. */
export interface ConnectOptions {
  /** Connection URL as the user gave it (may hold a password: never print it; use the display form). */
  url: string;
  /** Password from --password-stdin, overriding the URL and environment. */
  password?: string;
  /** Schema (PostgreSQL, SQL Server) or database (MySQL) holding the Quartz tables; undefined = dialect default. */
  schema?: string;
  /** Quartz table prefix, e.g. `QRTZ_`. */
  tablePrefix: string;
  /** --service-account: the principal the scheduler runs as; undefined = chosen by chooseServiceAccount(). */
  serviceAccount?: string;
  /** --allow-principal: principals allowed to hold privileges on the Quartz tables. */
  allowPrincipals: string[];
  /** Check families requested: an adapter may skip reads no requested family needs. */
  families: Set<Family>;
  /** Upper bound of one statement (one round trip of a batched read), ms. */
  statementTimeoutMs: number;
  /** How long a read waits for a lock, ms. */
  lockTimeoutMs: number;
  /** How long connecting may take, ms. */
  connectTimeoutMs: number;
  /** Upper bound of bytes read per blob (larger blobs are read up to the bound). */
  maxBlobSize: number;
  /** --attest KEY=VALUE: what the user states about things the database cannot show. */
  attestations: Record<string, string>;
  /** Dialect-specific extras (e.g. `sqliteImmutable`, the sqlcipher key environment variable). */
  extra?: Record<string, string>;
}

/**
 * Optional capabilities an adapter may declare. The engine and the checks ask for a capability,
 * never for a dialect's name. Absent = false.
 */
export interface AdapterCapabilities {
  /**
   * All reads see one snapshot (PostgreSQL: one read-only REPEATABLE READ transaction; SQLite: one
   * read transaction or an immutable copy). Default false: reads may see concurrent commits.
   */
  consistentSnapshot?: boolean;
  /** Blob rows are read through the knex connection layer (false: the bare driver; README says why). */
  viaConnectionLayer?: boolean;
}

/** One database adapter. The engine calls connect(), collectFacts(), blobRows(), close(), in that order. */
export interface Adapter {
  /** The database family of the facts it produces (MySQL adapters say `mariadb` once they know). */
  readonly dialect: Dialect;
  /** Optional capabilities (see {@link AdapterCapabilities}); absent = none. */
  readonly capabilities?: AdapterCapabilities;
  /**
   * Connects, hardens and opens a read-only session, discovers the Quartz tables. Throws UserError
   * (one clear line, never a password) on bad input, refused connection, failed login or no Quartz
   * tables; leaves nothing open when it throws.
   */
  connect(): Promise<void>;
  /**
   * Reads the catalog into normalized facts for the requested families. A read that fails for a
   * missing privilege, a lock timeout or a statement timeout becomes an `Unreadable` (with `table`
   * and `cause` where they apply) and the collection goes on: it never aborts the audit. Only a lost
   * connection throws. Adapters call chooseServiceAccount() after reading principals and effective
   * privileges and set `facts.serviceAccount` and `facts.serviceAccountSource` from it.
   */
  collectFacts(): Promise<Facts>;
  /**
   * Streams JOB_DATA / BLOB_DATA / CALENDAR rows with bounded memory (batches bounded by bytes, the
   * statement timeout bounding each round trip, never the whole stream). When one table's rows
   * cannot be read (privilege, lock or statement timeout), the adapter reports it through
   * `onUnreadable` (what = `blobs.<LOGICAL_TABLE>`, with `table` and `cause`) and goes on with the
   * next table; only a lost connection ends the stream with an error. A consumer that stops early
   * leaves the session usable (cursors closed).
   */
  blobRows(onUnreadable?: (u: Unreadable) => void): AsyncIterable<BlobRow>;
  /**
   * Optional: how many rows blobRows() will stream (queries/<db>/blob-count.sql per table it reads), for the
   * progress bar's total only. Undefined when a table cannot be counted; never throws but for a lost connection.
   */
  countBlobRows?(): Promise<number | undefined>;
  /** Ends the session (rolls back, never commits) and closes every connection; never throws. */
  close(): Promise<void>;
}

/** Builds an adapter; nothing connects until connect(). */
export type AdapterFactory = (options: ConnectOptions) => Adapter;
