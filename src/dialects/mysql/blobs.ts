/**
 * MySQL / MariaDB blob streaming: keyset batches in primary-key order (each batch its own statement,
 * so the statement timeout bounds one round trip), each batch cut by bytes from a look-ahead of the
 * next rows' sizes. A table that cannot be read (privilege, lock or statement timeout) is reported
 * through onUnreadable and the stream goes on.
 */

import type { BlobRow, BlobTable, QuartzTable, Unreadable } from '../../model.js';
import { type BlobSource, buildBlobRow, BLOB_SOURCES as SHARED_SOURCES } from '../shared/blob-sources.js';
import { failureCause, mapMysqlError, quoteIdent } from './connection.js';
import type { Row } from './map.js';

/** What the stream needs from the adapter: its tables, bounds, and a runner for queries/mysql files. */
export interface MysqlBlobContext {
  tables: readonly QuartzTable[];
  maxBlobSize: number;
  display: string;
  query(name: string, params?: unknown[], subs?: Record<string, string>): Promise<Row[]>;
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

/**
 * Blob rows in keyset batches (ORDER BY the primary key, `(pk) > (last)`), each batch its own statement so the
 * statement timeout bounds one round trip, and each batch cut by bytes: the keys and bounded sizes of the next
 * rows are read first, then as many rows as fit in BLOB_BATCH_BYTES (at least one). A table that cannot be read
 * (privilege, lock or statement timeout) is reported through `onUnreadable` and the stream goes on.
 */
export async function* streamMysqlBlobs(
  ctx: MysqlBlobContext,
  onUnreadable?: (u: Unreadable) => void,
): AsyncGenerator<BlobRow> {
  const bound = ctx.maxBlobSize;
  for (const src of BLOB_SOURCES) {
    const t = ctx.tables.find((x) => x.logical === src.table);
    if (!t) continue;
    const table = `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
    const keys = src.keys.join(', ');
    const bounds = new Array(src.bounds ?? 1).fill(bound);
    const shared = SHARED_SOURCES.find((x) => x.table === src.table);
    if (!shared) throw new Error(`no blob source for ${src.table}`);
    let last: unknown[] | undefined;
    // Reading a row's size reads its blob (InnoDB has no cheaper LENGTH), so the look-ahead adapts: it grows
    // while every row it sees fits in the budget, and shrinks to about one batch when rows are large.
    let lookahead = 16;
    try {
      for (;;) {
        const { after, params: afterParams } = last ? keysetAfter(src.keys, last) : { after: 'TRUE', params: [] };
        const sizes = await ctx.query('blob_sizes', [bound, ...afterParams, lookahead], {
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
        const rows = await ctx.query(src.query, [...bounds, ...afterParams, take], { table, after });
        for (const raw of rows) yield blobRow(src, shared, t.name, raw);
        const end = rows[rows.length - 1];
        if (!end || rows.length < take) break;
        last = src.keys.map((k) => end[k]);
      }
    } catch (err) {
      const cause = failureCause(err);
      if (!cause || !onUnreadable) throw mapMysqlError(err, ctx.display);
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

function blobRow(src: (typeof BLOB_SOURCES)[number], shared: BlobSource, tableName: string, raw: Row): BlobRow {
  return buildBlobRow(shared, tableName, {
    sched: raw.SCHED_NAME,
    group: src.group ? raw[src.group] : null,
    name: raw[src.name],
    // mysql2 hands a column's bytes as a view into the socket chunk it read the row from (or into a buffer it
    // assembled for a row that spanned chunks); it never writes into either again, so the view is kept as it
    // is, like the other adapters' (a copy per row was 59 MB of extra Buffer allocation per 40,000 rows).
    bytes: raw.BYTES === null || raw.BYTES === undefined ? null : (raw.BYTES as Buffer),
    size: raw.SIZE,
    texts: raw,
  });
}
