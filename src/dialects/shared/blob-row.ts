/**
 * Building one BlobRow, the same way for every adapter: each adapter reads its own column names and
 * result shapes, then hands the values here. Text from the driver may be a string or (MySQL binary
 * collations) a Buffer; a missing size is 0; a NULL group means a table without groups.
 */
import type { BlobRow, BlobTable } from '../../model.js';

/** The values one blob row carries, as the adapter read them. */
export interface BlobRowFields {
  /** Logical Quartz table (JOB_DETAILS, TRIGGERS, …). */
  table: BlobTable;
  /** The real table name (prefix and case as the database has them). */
  tableName: string;
  /** The column the bytes come from, upper-case (STR_PROP for SIMPROP_TRIGGERS' text properties). */
  column: string;
  sched: unknown;
  /** null or undefined: the table has no group column (CALENDARS). */
  group?: unknown;
  name: unknown;
  bytes: Buffer | null;
  /** Full size of the value in the database (bytes may hold less: --max-blob-size). */
  size: unknown;
  /** Read only for JOB_DETAILS (undefined: not read). */
  jobClassName?: unknown;
  /** Read only for JOB_DETAILS (undefined: not read; null: NULL in the database). */
  description?: unknown;
  /** SIMPROP_TRIGGERS' text properties by upper-case column name. */
  textColumns?: Record<string, string | null>;
}

/** Driver text (string, number or Buffer) as a string; NULL as ''. */
export function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  return Buffer.isBuffer(v) ? v.toString() : String(v);
}

export function buildBlobRow(f: BlobRowFields): BlobRow {
  const row: BlobRow = {
    table: f.table,
    tableName: f.tableName,
    column: f.column,
    key: {
      sched: text(f.sched),
      ...(f.group !== null && f.group !== undefined ? { group: text(f.group) } : {}),
      name: text(f.name),
    },
    bytes: f.bytes,
    size: f.size === null || f.size === undefined ? 0 : Number(f.size),
  };
  if (f.jobClassName !== undefined) row.jobClassName = text(f.jobClassName);
  if (f.description !== undefined) row.description = f.description === null ? null : text(f.description);
  if (f.textColumns) row.textColumns = f.textColumns;
  return row;
}
