/**
 * SQL Server blob streaming: JOB_DATA / BLOB_DATA / CALENDAR (varbinary(max) or image) and the
 * SIMPROP_TRIGGERS text properties, read in keyset-paginated batches (primary-key order), each batch its
 * own statement bounded by `requestTimeout`, each blob read up to --max-blob-size (SUBSTRING) with its full
 * size (DATALENGTH). A batch holds at most BATCH_BYTES of blob data: rows per batch = BATCH_BYTES / bound.
 */

import type { BlobRow, BlobTable, QuartzTable, Unreadable } from '../../model.js';
import { loadQuery } from '../../queries.js';
import { BLOB_SOURCES, buildBlobRow } from '../shared/blob-sources.js';
import { connectionLost, failureCause } from './connection.js';

/** Upper bound of blob bytes fetched per batch. */
export const BATCH_BYTES = 4 * 1024 * 1024;
export const MAX_BATCH_ROWS = 500;

/** Key columns in primary-key order (k1, k2, k3 of the queries). */
export const KEYSET: Record<BlobTable, { query: string; keys: string[] }> = {
  JOB_DETAILS: { query: 'blob-job-details', keys: ['SCHED_NAME', 'JOB_NAME', 'JOB_GROUP'] },
  TRIGGERS: { query: 'blob-triggers', keys: ['SCHED_NAME', 'TRIGGER_NAME', 'TRIGGER_GROUP'] },
  BLOB_TRIGGERS: { query: 'blob-blob-triggers', keys: ['SCHED_NAME', 'TRIGGER_NAME', 'TRIGGER_GROUP'] },
  CALENDARS: { query: 'blob-calendars', keys: ['SCHED_NAME', 'CALENDAR_NAME'] },
  SIMPROP_TRIGGERS: { query: 'blob-simprop-triggers', keys: ['SCHED_NAME', 'TRIGGER_NAME', 'TRIGGER_GROUP'] },
};

/** Rows per batch so that rows × bound stays within BATCH_BYTES (at least 1). */
export function batchRows(maxBlobSize: number): number {
  return Math.max(1, Math.min(MAX_BATCH_ROWS, Math.floor(BATCH_BYTES / Math.max(1, maxBlobSize))));
}

/** [schema].[name] with ] doubled: names come from the catalog of a possibly hostile database. */
export function quoteName(name: string): string {
  return `[${name.replace(/]/g, ']]')}]`;
}

export type Row = Record<string, unknown>;

/** The named inputs of one batch: `k3` only for tables with three key columns (the file uses @k3). */
export interface BatchInputs {
  first: boolean;
  k1: string;
  k2: string;
  k3?: string;
  max: number;
}

/** Runs one batch: the statement text and its named inputs → rows. */
export type RunBatch = (sql: string, params: BatchInputs) => Promise<Row[]>;

const str = (v: unknown): string =>
  v === null || v === undefined ? '' : Buffer.isBuffer(v) ? v.toString() : String(v);

/** One driver row → BlobRow. */
export function toBlobRow(table: BlobTable, tableName: string, raw: Row): BlobRow {
  const src = BLOB_SOURCES.find((s) => s.table === table);
  if (!src) throw new Error(`no blob source for ${table}`);
  return buildBlobRow(src, tableName, {
    sched: raw.SCHED_NAME,
    group: src.group ? raw[src.group] : null,
    name: raw[src.name],
    bytes: raw.bytes === null || raw.bytes === undefined ? null : Buffer.from(raw.bytes as Buffer),
    size: raw.size,
    texts: raw,
  });
}

/**
 * Streams every blob table present, batch by batch. A table that cannot be read (permission, lock
 * timeout, statement timeout) is reported through `onUnreadable` and the stream goes on with the next
 * table; a lost connection ends the stream with the error.
 */
export async function* streamBlobs(
  tables: QuartzTable[],
  maxBlobSize: number,
  run: RunBatch,
  onUnreadable?: (u: Unreadable) => void,
): AsyncIterable<BlobRow> {
  const rows = batchRows(maxBlobSize);
  for (const src of BLOB_SOURCES) {
    const t = tables.find((x) => x.logical === src.table);
    if (!t) continue;
    const ks = KEYSET[src.table];
    const sql = loadQuery('mssql', ks.query, {
      table: `${quoteName(t.schema)}.${quoteName(t.name)}`,
      rows: String(rows),
    });
    const threeKeys = ks.keys.length === 3;
    let key: Omit<BatchInputs, 'max'> = { first: true, k1: '', k2: '', ...(threeKeys ? { k3: '' } : {}) };
    for (;;) {
      let batch: Row[];
      try {
        batch = await run(sql, { ...key, max: maxBlobSize });
      } catch (err) {
        if (connectionLost(err)) throw err;
        const cause = failureCause(err);
        onUnreadable?.({
          what: `blobs.${src.table}`,
          table: `${t.schema}.${t.name}`,
          cause,
          reason: String((err as Error)?.message ?? err)
            .replace(/\s+/g, ' ')
            .slice(0, 200),
          ...(cause === 'privilege' ? { needs: `SELECT on ${t.schema}.${t.name}` } : {}),
          ...(cause === 'lock-timeout' ? { needs: 'a longer --lock-timeout, or ALLOW_SNAPSHOT_ISOLATION ON' } : {}),
        });
        break;
      }
      for (const raw of batch) yield toBlobRow(src.table, t.name, raw);
      if (batch.length < rows) break;
      const last = batch[batch.length - 1] as Row;
      key = {
        first: false,
        k1: str(last[ks.keys[0] as string]),
        k2: str(last[ks.keys[1] as string]),
        ...(threeKeys ? { k3: str(last[ks.keys[2] as string]) } : {}),
      };
    }
  }
}
