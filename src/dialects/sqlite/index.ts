/**
 * SQLite adapter: reads the file header first, then opens the file read-only with better-sqlite3 (connection.ts),
 * discovers the Quartz tables and hands the facts to facts.ts (file-system metadata of the database, its -wal,
 * -shm and -journal sidecars and the directory; tables; tampering; scheduler state, in named steps) and the blob
 * rows to blobs.ts. Every statement is a queries/sqlite/*.sql file. SQLite has no principals or grants: the grants family is the file permissions (QA-F01).
 * An encrypted file (SQLCipher/SEE/…) cannot be opened by this build: its tables are reported as unreadable.
 */
import { existsSync, readFileSync, type Stats, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { UserError } from '../../errors.js';
import type { BlobRow, Facts, QuartzTable, SqliteHeaderFact, TamperObject, Unreadable } from '../../model.js';
import { loadQuery } from '../../queries.js';
import type { Adapter, ConnectOptions } from '../adapter.js';
import { BLOB_SOURCES } from '../shared/blob-sources.js';
import { expectedTables, logicalName, noTablesError } from '../shared/discovery.js';
import { streamSqliteBlobs } from './blobs.js';
import { harden, quoteSqliteIdent, readHeader, SQLITE_MAGIC, sqlitePathFromUrl, walRefusal } from './connection.js';
import { collectSqliteFacts, isStockTrigger } from './facts.js';

export { harden, isStockTrigger, quoteSqliteIdent, SQLITE_MAGIC, sqlitePathFromUrl };

type Row = Record<string, unknown>;

export type { SqliteFileFact, SqliteHeaderFact } from '../../model.js';

function oneLine(sql: string): string {
  return sql.replace(/\s+/g, ' ').slice(0, 300);
}

export function createSqliteAdapter(options: ConnectOptions): Adapter {
  return new SqliteAdapter(options);
}

class SqliteAdapter implements Adapter {
  readonly dialect = 'sqlite' as const;
  private readonly path: string;
  private db: Database.Database | undefined;
  private header: SqliteHeaderFact | undefined;
  private tables: QuartzTable[] = [];
  private schemaRows: Row[] = [];
  /** Views, virtual tables and tables with generated columns under Quartz names: reported, never read. */
  private notTables: TamperObject[] = [];

  constructor(private readonly options: ConnectOptions) {
    this.path = sqlitePathFromUrl(options.url);
  }

  async connect(): Promise<void> {
    let st: Stats;
    try {
      st = statSync(this.path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new UserError('database', `no such SQLite file: ${this.path}`);
      if (code === 'EACCES') throw new UserError('privilege', `cannot access ${this.path}: permission denied`);
      throw new UserError('database', `cannot stat ${this.path}: ${(err as Error).message}`);
    }
    if (!st.isFile()) throw new UserError('database', `not a regular file: ${this.path}`);
    let head: Buffer;
    try {
      head = readHeader(this.path);
    } catch (err) {
      throw new UserError('privilege', `cannot read ${this.path}: ${(err as Error).message}`);
    }
    const magic = head.length >= 16 && head.subarray(0, 16).equals(SQLITE_MAGIC);
    this.header = {
      magic,
      plaintext: false,
      reservedBytes: head.length > 20 ? (head[20] ?? null) : null,
      wal: magic && head.length > 19 ? head[18] === 2 && head[19] === 2 : null,
      freelistPages: magic && head.length >= 40 ? head.readUInt32BE(36) : null,
      detail: '',
      size: st.size,
    };
    if (st.size === 0) {
      throw new UserError('database', `${this.path} is empty (0 bytes): not a Quartz JobStore`);
    }
    if (!magic) {
      // Encrypted SQLite files (SQLCipher, SEE, sqleet…) are whole pages of ciphertext: a size that is no
      // multiple of 512 is some other kind of file, not an encrypted database.
      if (st.size % 512 !== 0) {
        throw new UserError('database', `${this.path} is not a SQLite database (no SQLite header, ${st.size} bytes)`);
      }
      this.header.detail =
        'the file does not start with the plaintext "SQLite format 3" magic: encrypted (SQLCipher, SEE, sqleet or similar)';
      return; // tables stay unreadable; file permissions and the header are still audited
    }
    const immutable = this.options.extra?.sqliteImmutable === '1';
    const sidecarsMissing = ['-wal', '-shm'].filter((s) => !existsSync(`${this.path}${s}`));
    if (this.header.wal && !immutable && sidecarsMissing.length > 0) {
      // Opening a WAL-mode file creates the missing -wal/-shm beside it (owned by the auditor), or fails in a
      // directory the auditor cannot write: neither is acceptable for a read-only audit.
      throw new UserError('database', walRefusal(this.path, sidecarsMissing));
    }
    try {
      if (immutable) {
        // A private in-memory copy of the main file: no lock, no -wal/-shm/-journal, nothing beside the database.
        const copy = readFileSync(this.path);
        if (copy.length >= 20 && copy[18] === 2 && copy[19] === 2) {
          copy[18] = 1; // the copy reads as a rollback-journal file (the in-memory engine has no WAL)
          copy[19] = 1;
        }
        this.db = new Database(copy, { readonly: true });
      } else {
        this.db = new Database(this.path, {
          readonly: true,
          fileMustExist: true,
          timeout: Math.max(0, this.options.lockTimeoutMs),
        });
      }
      harden(this.db);
      this.schemaRows = this.db.prepare(loadQuery('sqlite', 'schema')).all() as Row[];
    } catch (err) {
      const e = err as { code?: string; message?: string };
      this.db?.close();
      this.db = undefined;
      if (err instanceof UserError) throw err;
      if (this.header.wal && /^SQLITE_(CANTOPEN|READONLY|PERM)/.test(e.code ?? '')) {
        throw new UserError('database', walRefusal(this.path, sidecarsMissing, e.message));
      }
      if (e.code === 'SQLITE_NOTADB' || e.code === 'SQLITE_CORRUPT') {
        // SQLCipher's plaintext-header mode keeps the magic but reserves IV/HMAC space in every page (byte 20).
        if ((this.header.reservedBytes ?? 0) > 0) {
          this.header.detail = `plaintext magic, ${this.header.reservedBytes} reserved bytes per page and unreadable pages: SQLCipher with a plaintext header (cipher_plaintext_header_size)`;
          return;
        }
        throw new UserError('database', `${this.path} is a damaged SQLite database: ${e.message}`);
      }
      if (e.code === 'SQLITE_CANTOPEN' || e.code === 'SQLITE_PERM' || e.code === 'SQLITE_READONLY') {
        throw new UserError('privilege', `cannot open ${this.path} read-only: ${e.message}`);
      }
      throw new UserError('database', `cannot read ${this.path}: ${e.message ?? String(err)}`);
    }
    this.header.plaintext = true;
    this.header.detail = 'plaintext SQLite database (header magic "SQLite format 3")';
    this.discover();
  }

  private discover(): void {
    const prefix = this.options.tablePrefix;
    const expected = expectedTables(prefix);
    this.tables = [];
    this.notTables = [];
    for (const r of this.schemaRows) {
      if (r.type !== 'table' && r.type !== 'view') continue;
      const name = String(r.name);
      const logical = logicalName(prefix, name);
      if (!logical || !expected.some((e) => e.logical === logical)) continue;
      const sql = String(r.sql ?? '');
      const virtual = /^\s*CREATE\s+VIRTUAL\s+TABLE/i.test(sql);
      if (r.type === 'view' || virtual) {
        // Reading a view or a virtual table runs its definition or its module's code: reported, never read.
        this.notTables.push({
          kind: 'not-a-table',
          name,
          table: name,
          detail: `${virtual ? 'virtual table' : 'view'} in place of the Quartz table ${logical}: not read (${oneLine(sql)})`,
        });
        continue;
      }
      const generated = this.run(loadQuery('sqlite', 'generated-columns'), [name]);
      if (generated.length > 0) {
        // Reading a generated column evaluates its expression: the table is reported and not read.
        this.notTables.push({
          kind: 'column-type',
          name: `${name}.${String(generated[0]?.column_name)}`,
          table: name,
          detail: `generated column${generated.length > 1 ? 's' : ''} ${generated
            .map((g) => String(g.column_name))
            .join(', ')} in the Quartz table ${logical} (computed when read): table not read (${oneLine(sql)})`,
        });
        continue;
      }
      this.tables.push({ logical, name, schema: 'main' });
    }
    if (!this.tables.length && !this.notTables.length) {
      const candidates = this.schemaRows
        .filter((r) => r.type === 'table' && /locks$/i.test(String(r.name)))
        .map((r) => ({ schema: 'main', prefix: String(r.name).slice(0, -'LOCKS'.length) }));
      throw noTablesError(this.path, prefix, candidates);
    }
  }

  private run(sql: string, params: unknown[] = []): Row[] {
    if (!this.db) throw new Error('not connected');
    return this.db.prepare(sql).all(...params) as Row[];
  }

  async collectFacts(): Promise<Facts> {
    const header = this.header;
    if (!header) throw new Error('not connected');
    const db = this.db;
    return collectSqliteFacts({
      options: this.options,
      path: this.path,
      header,
      ...(db ? { run: (sql: string, params: unknown[] = []) => db.prepare(sql).all(...params) as Row[] } : {}),
      tables: this.tables,
      schemaRows: this.schemaRows,
      notTables: this.notTables,
    });
  }

  blobRows(onUnreadable?: (u: Unreadable) => void): AsyncIterable<BlobRow> {
    if (!this.header?.plaintext || !this.db) {
      throw new UserError(
        'privilege',
        `${this.path} is encrypted or unreadable (${this.header?.detail ?? 'not connected'}): blob rows cannot be read without the key`,
      );
    }
    return streamSqliteBlobs({ db: this.db, tables: this.tables, maxBlobSize: this.options.maxBlobSize }, onUnreadable);
  }

  async countBlobRows(): Promise<number | undefined> {
    const db = this.db;
    if (!this.header?.plaintext || !db) return undefined;
    let total = 0;
    try {
      for (const src of BLOB_SOURCES) {
        const t = this.tables.find((x) => x.logical === src.table);
        if (!t) continue;
        const row = db.prepare(loadQuery('sqlite', 'blob-count', { TABLE: quoteSqliteIdent(t.name) })).get() as
          | Row
          | undefined;
        total += Number(row?.n ?? 0);
      }
      return total;
    } catch {
      return undefined; // a busy or damaged table: the bar goes without a total
    }
  }

  async close(): Promise<void> {
    const db = this.db;
    this.db = undefined;
    db?.close();
  }
}
