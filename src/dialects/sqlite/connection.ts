/**
 * SQLite connection part: the path from the URL, the file header, and the hardened read-only open
 * (defensive mode, trusted_schema off, query_only, no mmap; WAL files that would need sidecars are
 * refused unless --sqlite-immutable reads a private in-memory copy). SQLite stays on the bare
 * driver, not the knex connection layer: see the README ("Blob streaming, knex vs the bare driver").
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { UserError } from '../../errors.js';
import type { Unreadable } from '../../model.js';

/** The 16-byte magic of a plaintext SQLite 3 database file. */
export const SQLITE_MAGIC = Buffer.from('SQLite format 3\u0000', 'latin1');

export function quoteSqliteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `sqlite:PATH`, `sqlite://PATH` (`sqlite:///abs`), or a bare path ending in .db/.sqlite/.sqlite3. */
export function sqlitePathFromUrl(url: string): string {
  let p = url;
  const m = /^sqlite:(.*)$/i.exec(url);
  if (m) {
    p = m[1] ?? '';
    if (p.startsWith('//')) p = p.slice(2);
    p = p.replace(/\?.*$/, '');
    try {
      p = decodeURIComponent(p);
    } catch {
      throw new UserError('url', 'malformed sqlite URL (bad percent-encoding)');
    }
  }
  if (!p) throw new UserError('url', 'sqlite URL without a path (expected sqlite:PATH)');
  return resolve(p);
}

/** A busy/locked database is a lock timeout (the busy handler waited --lock-timeout); else undefined. */
export function sqliteCause(err: unknown): Unreadable['cause'] | undefined {
  const code = String((err as { code?: string })?.code ?? '');
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'lock-timeout';
  if (code.startsWith('SQLITE_AUTH') || code.startsWith('SQLITE_PERM')) return 'privilege';
  return undefined;
}

/** The one line for a WAL-mode file that cannot be read without creating files beside it, with the way out. */
export function walRefusal(path: string, missing: string[], why?: string): string {
  const what = missing.length ? `without its ${missing.join('/')} file${missing.length > 1 ? 's' : ''}` : '';
  return `${path} is in WAL mode ${what}${why ? ` and cannot be opened read-only (${why})` : ''}: reading it would create or change files beside the database; rerun with --sqlite-immutable to read a private snapshot of the main file (nothing is created; commits still only in the -wal are not seen, and a concurrent writer can make the read inconsistent)`.replace(
    / {2,}/g,
    ' ',
  );
}

/**
 * SQLite's "defense against the dark arts" for a file someone else wrote: defensive mode stays on (better-sqlite3
 * enables SQLITE_DBCONFIG_DEFENSIVE and keeps the SQL load_extension() off), no unsafe mode, schema code may call
 * only innocuous functions (trusted_schema=OFF), cell sizes are checked, nothing is written (query_only), no mmap.
 */
export function harden(db: Database.Database): void {
  db.unsafeMode(false);
  db.pragma('trusted_schema = OFF');
  db.pragma('query_only = ON');
  db.pragma('cell_size_check = ON');
  db.pragma('mmap_size = 0');
  if (Number(db.pragma('trusted_schema', { simple: true })) !== 0) {
    throw new UserError('database', 'this SQLite build cannot turn trusted_schema off: refusing to read the file');
  }
}

export function readHeader(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(100);
    const n = readSync(fd, buf, 0, 100, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}
