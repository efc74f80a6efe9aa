/**
 * SQLite blob streaming: one statement per blob table, rows stepped one at a time (at most
 * --max-blob-size bytes per row in memory). A table busy past --lock-timeout is reported through
 * onUnreadable and the next table is read; a damaged page is one clear line.
 */
import type Database from 'better-sqlite3';
import { UserError } from '../../errors.js';
import type { BlobRow, QuartzTable, Unreadable } from '../../model.js';
import { loadQuery } from '../../queries.js';
import { BLOB_SOURCES, buildBlobRow, upperKeys } from '../shared/blob-sources.js';
import { quoteSqliteIdent, sqliteCause } from './connection.js';

type Row = Record<string, unknown>;

/** What the stream needs from the adapter: the open database and the discovered tables. */
export interface SqliteBlobContext {
  db: Database.Database;
  tables: readonly QuartzTable[];
  maxBlobSize: number;
}

export async function* streamSqliteBlobs(
  ctx: SqliteBlobContext,
  onUnreadable?: (u: Unreadable) => void,
): AsyncGenerator<BlobRow> {
  for (const src of BLOB_SOURCES) {
    const t = ctx.tables.find((x) => x.logical === src.table);
    if (!t) continue;
    const sql = loadQuery('sqlite', 'blobs', {
      TABLE: quoteSqliteIdent(t.name),
      COLUMN: src.column ? quoteSqliteIdent(src.column) : 'NULL',
      GROUP: src.group ? `CAST(${quoteSqliteIdent(src.group)} AS TEXT)` : 'NULL',
      NAME: quoteSqliteIdent(src.name),
      EXTRA: src.extra.length
        ? src.extra.map((c) => `CAST(${quoteSqliteIdent(c)} AS TEXT) AS ${c.toLowerCase()}`).join(', ')
        : 'NULL AS no_extra',
    });
    // Rows are read one at a time (a step each, at most --max-blob-size bytes per row in memory). A table locked
    // by a writer (busy past --lock-timeout) is reported through onUnreadable and the next table is read.
    const busy = (err: unknown): boolean => {
      if (!onUnreadable || sqliteCause(err) !== 'lock-timeout') return false;
      onUnreadable({
        what: `blobs.${src.table}`,
        reason: String((err as Error)?.message ?? err),
        table: t.name,
        cause: 'lock-timeout',
      });
      return true;
    };
    let rows: Iterable<Row>;
    try {
      rows = ctx.db.prepare(sql).iterate(ctx.maxBlobSize) as Iterable<Row>;
    } catch (err) {
      if (busy(err)) continue;
      throw new UserError('database', `cannot read ${t.name}: ${(err as Error).message}`);
    }
    for (const raw of guarded(rows, t.name, busy)) {
      const data = raw.data;
      yield buildBlobRow(src, t.name, {
        sched: raw.sched,
        group: raw.grp,
        name: raw.name,
        bytes: data === null || data === undefined ? null : Buffer.isBuffer(data) ? data : Buffer.from(String(data)),
        size: raw.size,
        texts: upperKeys(raw),
      });
    }
  }
}

/** Iterates rows, turning an SQLite error mid-read (a damaged page) into one clear line. */
function* guarded(rows: Iterable<Row>, table: string, handled?: (err: unknown) => boolean): Generator<Row> {
  const it = rows[Symbol.iterator]();
  for (;;) {
    let next: IteratorResult<Row>;
    try {
      next = it.next();
    } catch (err) {
      if (handled?.(err)) return;
      throw new UserError('database', `cannot read ${table}: ${(err as Error).message}`);
    }
    if (next.done) return;
    yield next.value;
  }
}
