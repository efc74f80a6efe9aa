/** The Quartz columns the scan streams, per table: shared by the adapters (each quotes and cases them). */
import type { BlobRow, BlobTable } from '../../model.js';

export interface BlobSource {
  table: BlobTable;
  /** The serialized column; '' where the table has none (SIMPROP_TRIGGERS: text properties only). */
  column: string;
  group: string | null;
  name: string;
  /** Text columns read with it: JOB_CLASS_NAME, DESCRIPTION, STR_PROP_1..3. */
  extra: string[];
}

export const BLOB_SOURCES: readonly BlobSource[] = [
  {
    table: 'JOB_DETAILS',
    column: 'JOB_DATA',
    group: 'JOB_GROUP',
    name: 'JOB_NAME',
    extra: ['JOB_CLASS_NAME', 'DESCRIPTION'],
  },
  { table: 'TRIGGERS', column: 'JOB_DATA', group: 'TRIGGER_GROUP', name: 'TRIGGER_NAME', extra: ['DESCRIPTION'] },
  { table: 'BLOB_TRIGGERS', column: 'BLOB_DATA', group: 'TRIGGER_GROUP', name: 'TRIGGER_NAME', extra: [] },
  { table: 'CALENDARS', column: 'CALENDAR', group: null, name: 'CALENDAR_NAME', extra: [] },
  // No blob: the free-text properties, for the secret detectors.
  {
    table: 'SIMPROP_TRIGGERS',
    column: '',
    group: 'TRIGGER_GROUP',
    name: 'TRIGGER_NAME',
    extra: ['STR_PROP_1', 'STR_PROP_2', 'STR_PROP_3'],
  },
];

/** What an adapter read for one row, by Quartz column name (upper case), before it becomes a BlobRow. */
export interface RawBlobRow {
  sched: unknown;
  /** The group column's value (absent/null where the table has none: CALENDARS). */
  group?: unknown;
  name: unknown;
  /** The serialized column, up to the --max-blob-size bound; null when NULL (or no blob column). */
  bytes: Uint8Array | null | undefined;
  /** Full size in the database. */
  size: unknown;
  /** Text columns read with it, keyed by upper-case Quartz name (JOB_CLASS_NAME, DESCRIPTION, STR_PROP_1..3). */
  texts: Record<string, unknown>;
}

const text = (v: unknown): string =>
  v === null || v === undefined ? '' : Buffer.isBuffer(v) ? v.toString() : String(v);
const nullableText = (v: unknown): string | null => (v === null || v === undefined ? null : text(v));

/** What buildBlobRow needs of a source, worked out once per source instead of once per row. */
interface PreparedSource {
  column: string;
  jobClassName: boolean;
  description: boolean;
  /** SIMPROP_TRIGGERS' text property columns (upper case); undefined for the other tables. */
  textColumns: string[] | undefined;
}

const prepared = new Map<BlobSource, PreparedSource>();

function prepare(src: BlobSource): PreparedSource {
  let p = prepared.get(src);
  if (!p) {
    const extra = src.extra.map((c) => c.toUpperCase());
    p = {
      // SIMPROP_TRIGGERS has no blob column: its rows are named by their text properties.
      column: src.column ? src.column.toUpperCase() : 'STR_PROP',
      jobClassName: extra.includes('JOB_CLASS_NAME'),
      description: extra.includes('DESCRIPTION'),
      textColumns: src.table === 'SIMPROP_TRIGGERS' ? extra : undefined,
    };
    prepared.set(src, p);
  }
  return p;
}

/** The one BlobRow builder every adapter uses: the same keys, columns and text fields from every engine. */
export function buildBlobRow(src: BlobSource, tableName: string, raw: RawBlobRow): BlobRow {
  const p = prepare(src);
  const row: BlobRow = {
    table: src.table,
    tableName,
    column: p.column,
    key:
      src.group && raw.group !== null && raw.group !== undefined
        ? { sched: text(raw.sched), group: text(raw.group), name: text(raw.name) }
        : { sched: text(raw.sched), name: text(raw.name) },
    // A view over the driver's bytes, never a copy (blobs may be megabytes each).
    bytes:
      raw.bytes === null || raw.bytes === undefined
        ? null
        : Buffer.isBuffer(raw.bytes)
          ? raw.bytes
          : Buffer.from(raw.bytes.buffer, raw.bytes.byteOffset, raw.bytes.byteLength),
    size: raw.size === null || raw.size === undefined ? 0 : Number(raw.size),
  };
  if (p.jobClassName) row.jobClassName = text(raw.texts.JOB_CLASS_NAME);
  if (p.description) row.description = nullableText(raw.texts.DESCRIPTION);
  if (p.textColumns) row.textColumns = Object.fromEntries(p.textColumns.map((c) => [c, nullableText(raw.texts[c])]));
  return row;
}

/** A row's fields keyed by upper-case name (drivers return lower-case aliases on some engines). */
export function upperKeys(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  // Per row: no entries array, and each column name upper-cased once per scan (a row's names are the query's).
  for (const k in raw) {
    if (!Object.hasOwn(raw, k)) continue;
    let u = upperNames.get(k);
    if (u === undefined) {
      u = k.toUpperCase();
      if (upperNames.size < 1024) upperNames.set(k, u);
    }
    out[u] = raw[k];
  }
  return out;
}
const upperNames = new Map<string, string>();
