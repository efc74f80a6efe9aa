/**
 * PostgreSQL blob streaming: every blob table through an explicit NO SCROLL cursor inside the audit
 * transaction (each FETCH its own statement, so the statement timeout bounds one batch), batches
 * bounded by bytes, heavy rows fetched alone and slice by slice. A table that cannot be read is
 * reported through onUnreadable and the stream goes on; only a lost session ends it.
 */

import type { BlobRow, QuartzTable, Unreadable } from '../../model.js';
import { loadQuery } from '../../queries.js';
import { BLOB_SOURCES, buildBlobRow, upperKeys } from '../shared/blob-sources.js';
import { causeOf, isFatal, mapPgError, quoteIdent, type SqlClient } from './connection.js';

type Row = Record<string, unknown>;

/** A Quartz table as discovery found it. */
export interface PgTable extends QuartzTable {
  oid: string;
  accessMethod: string | null;
}

/** What the stream needs from the adapter's session and discovery. */
export interface PgBlobContext {
  client: SqlClient;
  tables: readonly PgTable[];
  /** Tables not to be read (tampered), by logical name, with the reason. */
  blocked: ReadonlyMap<string, string>;
  maxBlobSize: number;
  display: string;
  /** A fresh savepoint number (savepoint names are unique in the transaction). */
  nextSavepoint(): number;
}

/** Rows of a batch travel together when each weighs at most this; heavier rows are fetched alone. */
export const BATCH_ROWS = 256;
export const BATCH_BYTES = 16 * 1024 * 1024;
export const INLINE_ROW_BYTES = Math.floor(BATCH_BYTES / BATCH_ROWS);
/** Slice of a heavy blob per round trip (its hex text is twice that in the client, briefly). 8 MiB
 *  measured faster than 32 MiB and with a lower peak (60 rows of 16 MiB: 302 MB vs 347 MB RSS). */
export const CHUNK_BYTES = 8 * 1024 * 1024;

export async function* streamPgBlobs(
  ctx: PgBlobContext,
  onUnreadable?: (u: Unreadable) => void,
): AsyncGenerator<BlobRow> {
  const client = ctx.client;
  const max = ctx.maxBlobSize;
  for (const upper of BLOB_SOURCES) {
    // Quartz.NET's and Java Quartz's PostgreSQL scripts create unquoted, so lower-case, columns.
    const src = {
      ...upper,
      column: upper.column.toLowerCase(),
      group: upper.group?.toLowerCase() ?? null,
      name: upper.name.toLowerCase(),
      extra: upper.extra.map((c) => c.toLowerCase()),
    };
    const t = ctx.tables.find((x) => x.logical === src.table);
    if (!t) continue;
    const what = `blobs.${src.table}`;
    const blockedWhy = ctx.blocked.get(t.logical);
    if (blockedWhy) {
      // collectFacts already recorded it (tables.<LOGICAL>); say it again for this stream.
      onUnreadable?.({ what, reason: `${blockedWhy}: not read`, table: t.name, cause: 'tamper' });
      continue;
    }
    const column = src.column ? quoteIdent(src.column) : 'NULL::pg_catalog.bytea';
    const weightParts = [src.column ? quoteIdent(src.column) : null, ...src.extra.map(quoteIdent)].filter(
      (x): x is string => x !== null,
    );
    const weight = weightParts.length
      ? `(${weightParts
          .map((c) => `COALESCE(pg_catalog.octet_length(${c})::pg_catalog.int8, 0)`)
          .join(' OPERATOR(pg_catalog.+) ')})`
      : '0::pg_catalog.int8';
    const light = `${weight} OPERATOR(pg_catalog.<=) $2::pg_catalog.int8`;
    const table = `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
    const sql = loadQuery('postgres', 'blobs', {
      TABLE: table,
      COLUMN: column,
      GROUP: src.group ? `${quoteIdent(src.group)}::pg_catalog.text` : 'NULL::pg_catalog.text',
      NAME: quoteIdent(src.name),
      WEIGHT: weight,
      EXTRA: src.extra.length
        ? src.extra
            .map((c) => `CASE WHEN ${light} THEN ${quoteIdent(c)}::pg_catalog.text END AS ${quoteIdent(c)}`)
            .join(', ')
        : 'NULL::pg_catalog.text AS no_extra',
    });
    const rowSql = loadQuery('postgres', 'blob-row', {
      TABLE: table,
      EXTRA: src.extra.length
        ? src.extra
            .map(
              (c) =>
                `pg_catalog.left(${quoteIdent(c)}::pg_catalog.text, LEAST($1::pg_catalog.int8, 16777216)::pg_catalog.int4) AS ${quoteIdent(c)}`,
            )
            .join(', ')
        : 'NULL::pg_catalog.text AS no_extra',
    });
    const chunkSql = loadQuery('postgres', 'blob-chunk', { TABLE: table, COLUMN: column });
    const sp = `qa_blobs_${ctx.nextSavepoint()}`;
    let open = false;
    try {
      await client.query(`SAVEPOINT ${sp}`);
      await client.query(`DECLARE qrtz_blobs NO SCROLL CURSOR FOR ${sql}`, [max, INLINE_ROW_BYTES]);
      open = true;
      for (;;) {
        // Each FETCH is its own statement: the statement timeout bounds one batch, not the stream.
        const res = await client.query(`FETCH FORWARD ${BATCH_ROWS} FROM qrtz_blobs`);
        for (const raw of res.rows as Row[]) {
          let data = (raw.data as Buffer | null) ?? null;
          let texts: Row = raw;
          if (Number(raw.weight) > INLINE_ROW_BYTES) {
            // A heavy row comes alone, its bytes slice by slice (never one hex string twice their size).
            const at = [String(raw.rel), String(raw.tid)];
            texts = src.extra.length ? (((await client.query(rowSql, [max, ...at])).rows[0] as Row) ?? {}) : {};
            const want = Math.min(raw.size === null ? 0 : Number(raw.size), max);
            if (src.column && raw.size !== null) {
              data = Buffer.allocUnsafe(want);
              let got = 0;
              while (got < want) {
                const len = Math.min(CHUNK_BYTES, want - got);
                const part = (await client.query(chunkSql, [got + 1, len, ...at])).rows[0]?.data as Buffer | undefined;
                if (!part?.length) break;
                part.copy(data, got);
                got += part.length;
              }
              if (got < want) data = data.subarray(0, got);
            }
          }
          yield buildBlobRow(upper, t.name, {
            sched: raw.sched,
            group: raw.grp,
            name: raw.name,
            bytes: src.column ? data : null,
            size: raw.size,
            texts: upperKeys(texts),
          });
        }
        if (res.rows.length < BATCH_ROWS) break;
      }
      await client.query('CLOSE qrtz_blobs');
      open = false;
      await client.query(`RELEASE SAVEPOINT ${sp}`);
    } catch (err) {
      if (isFatal(err)) throw mapPgError(err, ctx.display);
      open = false;
      await client.query(`ROLLBACK TO SAVEPOINT ${sp}`).catch(() => {});
      const u: Unreadable = {
        what,
        reason: String((err as Error)?.message ?? err),
        table: t.name,
        cause: causeOf(err),
        needs: `SELECT on ${t.name}`,
      };
      if (!onUnreadable) throw mapPgError(err, ctx.display);
      onUnreadable(u);
    } finally {
      // The consumer stopped early: leave the transaction clean for the next reader.
      if (open) {
        await client.query('CLOSE qrtz_blobs').catch(() => {});
        await client.query(`RELEASE SAVEPOINT ${sp}`).catch(() => {});
      }
    }
  }
}
