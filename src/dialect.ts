/** The adapter contract every dialect implements (dialects/<name>.ts). Adapters know SQL; they never judge. */
import type { BlobRow, Dialect, Facts, Family, Unreadable } from './model.js';

export interface ConnectOptions {
  /** Connection URL as the user gave it (may hold a password: never print it; use safeUrl()). */
  url: string;
  /** Password from --password-stdin, overriding the URL and environment. */
  password?: string;
  /** Schema (PostgreSQL) or database (MySQL) holding the Quartz tables; undefined = dialect default. */
  schema?: string;
  tablePrefix: string;
  serviceAccount?: string;
  allowPrincipals: string[];
  families: Set<Family>;
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  connectTimeoutMs: number;
  /** Upper bound of bytes read per blob (larger blobs are read up to the bound). */
  maxBlobSize: number;
  attestations: Record<string, string>;
  /** Dialect-specific extras (e.g. sqlcipher key env var). */
  extra?: Record<string, string>;
}

export interface Adapter {
  readonly dialect: Dialect;
  /** Connects, opens a read-only session, discovers the Quartz tables. Throws UserError on bad input. */
  connect(): Promise<void>;
  /**
   * Reads the catalog into normalized facts for the requested families. A read that fails for a
   * missing privilege, a lock timeout or a statement timeout becomes an `Unreadable` (with `table`
   * and `cause` where they apply) and the collection goes on: it never aborts the audit.
   */
  collectFacts(): Promise<Facts>;
  /**
   * Streams JOB_DATA / BLOB_DATA / CALENDAR rows with bounded memory (batches bounded by bytes, the
   * statement timeout bounding each round trip, never the whole stream). When one table's rows
   * cannot be read (privilege, lock or statement timeout), the adapter reports it through
   * `onUnreadable` (what = `blobs.<LOGICAL_TABLE>`, with `table` and `cause`) and goes on with the
   * next table; only a lost connection ends the stream with an error.
   */
  blobRows(onUnreadable?: (u: Unreadable) => void): AsyncIterable<BlobRow>;
  close(): Promise<void>;
}

export type AdapterFactory = (options: ConnectOptions) => Adapter;
