/**
 * SQLite adapter: reads the file header and file-system metadata first (permissions of the database, its -wal,
 * -shm and -journal sidecars and the directory), then opens the file read-only with better-sqlite3 and runs
 * queries/sqlite/*.sql. SQLite has no principals or grants: the grants family is the file permissions (QA-F01).
 * An encrypted file (SQLCipher/SEE/…) cannot be opened by this build: its tables are reported as unreadable.
 */
import { existsSync, lstatSync, readFileSync, realpathSync, type Stats, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, dirname } from 'node:path';
import Database from 'better-sqlite3';
import { UserError } from '../../errors.js';
import { emptyFacts } from '../../facts.js';
import type {
  BlobRow,
  Facts,
  QuartzTable,
  SqliteFileFact,
  SqliteHeaderFact,
  TamperObject,
  Unreadable,
} from '../../model.js';
import { QUARTZ_TABLES, readsTableContents } from '../../model.js';
import { loadQuery } from '../../queries.js';
import type { Adapter, ConnectOptions } from '../adapter.js';
import { expectedTables, logicalName, noTablesError } from '../shared/discovery.js';
import { readQuartzSchemaColumns, readSchedulerFacts } from '../shared/scheduler.js';
import { streamSqliteBlobs } from './blobs.js';
import {
  harden,
  quoteSqliteIdent,
  readHeader,
  SQLITE_MAGIC,
  sqliteCause,
  sqlitePathFromUrl,
  walRefusal,
} from './connection.js';

export { harden, quoteSqliteIdent, SQLITE_MAGIC, sqlitePathFromUrl };

type Row = Record<string, unknown>;

/** The four stock triggers of Quartz.NET's tables_sqlite.sql (cascade deletes from QRTZ_TRIGGERS). */
const STOCK_TRIGGERS: Record<string, string> = {
  DELETE_SIMPLE_TRIGGER: 'SIMPLE_TRIGGERS',
  DELETE_SIMPROP_TRIGGER: 'SIMPROP_TRIGGERS',
  DELETE_CRON_TRIGGER: 'CRON_TRIGGERS',
  DELETE_BLOB_TRIGGER: 'BLOB_TRIGGERS',
};

export type { SqliteFileFact, SqliteHeaderFact } from '../../model.js';

function oneLine(sql: string): string {
  return sql.replace(/\s+/g, ' ').slice(0, 300);
}

function usersByUid(): Map<number, string> {
  const m = new Map<number, string>();
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const f = line.split(':');
      if (f.length > 3 && f[0] && /^\d+$/.test(f[2] ?? '')) m.set(Number(f[2]), f[0]);
    }
  } catch {
    /* no passwd file (Windows, containers): owners stay numeric */
  }
  return m;
}

function statFact(role: SqliteFileFact['role'], path: string, users: Map<number, string>): SqliteFileFact {
  let l: Stats;
  try {
    l = lstatSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      role,
      path,
      exists: false,
      mode: null,
      uid: null,
      gid: null,
      owner: null,
      symlink: false,
      ...(code !== 'ENOENT' ? { error: String((err as Error).message) } : {}),
    };
  }
  let s: Stats = l;
  if (l.isSymbolicLink()) {
    try {
      s = statSync(path);
    } catch {
      /* dangling link: report the link itself */
    }
  }
  return {
    role,
    path,
    exists: true,
    mode: `0${(s.mode & 0o7777).toString(8).padStart(3, '0')}`,
    uid: s.uid,
    gid: s.gid,
    owner: users.get(s.uid) ?? null,
    symlink: l.isSymbolicLink(),
  };
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

  /** Triggers on (or writing into) the Quartz tables other than the four stock cascade triggers. */
  private tamper(): TamperObject[] {
    const names = new Map<string, { name: string; logical?: string }>(
      this.tables.map((t) => [t.name.toLowerCase(), t]),
    );
    for (const n of this.notTables) if (n.table) names.set(n.table.toLowerCase(), { name: n.table });
    const out: TamperObject[] = [];
    for (const r of this.schemaRows) {
      if (r.type !== 'trigger') continue;
      const name = String(r.name);
      const on = String(r.tbl_name);
      const sql = String(r.sql ?? '');
      const target = names.get(on.toLowerCase());
      const writesQuartz = [...names.keys()].some((n) =>
        new RegExp(`\\b${n.replace(/[$]/g, '\\$')}\\b`, 'i').test(sql),
      );
      if (!target && !writesQuartz) continue;
      if (target?.logical === 'TRIGGERS' && isStockTrigger(name, sql, this.options.tablePrefix)) continue;
      out.push({
        kind: 'trigger',
        name,
        table: target ? target.name : on,
        detail: `${target ? 'trigger on a Quartz table' : `trigger on ${on} that references Quartz tables`} (not one of the four stock DELETE_*_TRIGGER cascades): ${sql.replace(/\s+/g, ' ').slice(0, 300)}`,
      });
    }
    return out;
  }

  async collectFacts(): Promise<Facts> {
    const o = this.options;
    const header = this.header;
    if (!header) throw new Error('not connected');
    const me = userInfo();
    const users = usersByUid();
    const serviceAccount = o.serviceAccount ?? me.username;
    let serviceUid: number | null = null;
    for (const [uid, name] of users) if (name === serviceAccount) serviceUid = uid;
    if (!o.serviceAccount) serviceUid = me.uid;

    let real = this.path;
    try {
      real = realpathSync(this.path);
    } catch {
      /* keep the given path */
    }
    const files: SqliteFileFact[] = [
      statFact('database', this.path, users),
      statFact('wal', `${this.path}-wal`, users),
      statFact('shm', `${this.path}-shm`, users),
      statFact('journal', `${this.path}-journal`, users),
      statFact('directory', dirname(real), users),
    ];

    const version = this.db ? String(this.run(loadQuery('sqlite', 'version'))[0]?.version ?? 'unknown') : 'unknown';
    const facts = emptyFacts('sqlite', {
      server: { product: 'SQLite', version },
      target: { database: this.path, schema: 'main', tablePrefix: o.tablePrefix, user: me.username },
      serviceAccount,
      connectedAs: me.username,
      allowedPrincipals: o.allowPrincipals,
      attestations: o.attestations,
      session: { tls: null, viaSocket: false },
    });
    facts.sqlite = {
      files: {
        processUid: me.uid,
        processUser: me.username,
        serviceAccount,
        serviceUid,
        files,
      },
      header,
      session: 'local file: no network transport (TLS does not apply)',
      grants: 'SQLite has no privilege system: file-system permissions are the access control (QA-F01)',
    };
    if (o.extra?.sqliteImmutable === '1') {
      facts.sqlite.snapshot =
        '--sqlite-immutable: read from a private in-memory copy of the main file; commits still only in the -wal are not seen and a concurrent writer can make the read inconsistent';
    }

    const keyEnv = o.extra?.sqlcipherKeyEnv;
    if (!header.plaintext) {
      const reason = `${header.detail}; ${
        keyEnv
          ? `--sqlcipher-key-env ${keyEnv} was given, but this build (better-sqlite3) has no SQLCipher codec, so the key was not used`
          : 'no key was given and this build cannot decrypt SQLCipher files'
      }`;
      facts.unreadable.push({
        what: 'tables',
        reason,
        needs: 'a plaintext copy, or a SQLCipher-enabled build with the key',
      });
      facts.unreadable.push({ what: 'scheduler', reason, needs: 'the database key' });
      facts.unreadable.push({ what: 'tamper', reason, needs: 'the database key' });
      facts.missingTables = [...QUARTZ_TABLES];
      facts.tableEncryption = [{ table: basename(this.path), encrypted: true, detail: header.detail }];
      return facts;
    }

    facts.tables = this.tables;
    facts.missingTables = QUARTZ_TABLES.filter((l) => !this.tables.some((t) => t.logical === l));
    facts.tableEncryption = this.tables.map((t) => ({ table: t.name, encrypted: false, detail: header.detail }));
    facts.tamper = [...this.notTables, ...this.tamper()];
    for (const n of this.notTables) {
      const logical = n.table ? logicalName(o.tablePrefix, n.table) : undefined;
      facts.unreadable.push({
        what: `table.${logical ?? n.table}`,
        reason: `not read: ${n.detail}`,
        ...(n.table ? { table: n.table } : {}),
        cause: 'tamper',
      });
    }

    if (readsTableContents(o.families)) {
      // The shared readers record a failed read by its message: remember the table and cause to annotate it.
      const failures = new Map<string, Pick<Unreadable, 'table' | 'cause'>>();
      const run = async (sql: string, params: unknown[]) => {
        try {
          return this.run(sql, params);
        } catch (err) {
          const table =
            this.tables.find((t) => sql.includes(quoteSqliteIdent(t.name)))?.name ??
            this.tables.find((t) => params[0] === t.name)?.name;
          failures.set(String((err as Error)?.message ?? err), {
            cause: sqliteCause(err) ?? 'other',
            ...(table ? { table } : {}),
          });
          throw err;
        }
      };
      facts.scheduler = await readSchedulerFacts(run, this.tables, {
        dialect: 'sqlite',
        quote: (t) => quoteSqliteIdent(t.name),
        needs: () => `read access to ${this.path}`,
      });
      const cols = await readQuartzSchemaColumns(run, this.tables, 'sqlite', (t) => [t.name]);
      facts.quartzSchemaColumns = cols.columns;
      facts.unreadable.push(...cols.unreadable);
      for (const u of [...facts.unreadable, ...facts.scheduler.unreadable]) {
        const f = u.cause ? undefined : failures.get(u.reason);
        if (f) Object.assign(u, f);
      }
    }
    return facts;
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

  async close(): Promise<void> {
    const db = this.db;
    this.db = undefined;
    db?.close();
  }
}

/** True for the stock `DELETE_<X>_TRIGGER DELETE ON <prefix>TRIGGERS` cascade with its stock body. */
export function isStockTrigger(name: string, sql: string, prefix: string): boolean {
  const child = STOCK_TRIGGERS[name.toUpperCase()];
  if (!child) return false;
  const norm = sql
    .replace(/\s+/g, ' ')
    .replace(/\s*([=;(),])\s*/g, '$1')
    .replace(/["`[\]]/g, '')
    .trim()
    .toUpperCase();
  const p = prefix.toUpperCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(
    `^CREATE TRIGGER ${name.toUpperCase()} (AFTER )?DELETE ON ${p}TRIGGERS (FOR EACH ROW )?BEGIN DELETE FROM ${p}${child} WHERE SCHED_NAME=OLD\\.SCHED_NAME AND TRIGGER_NAME=OLD\\.TRIGGER_NAME AND TRIGGER_GROUP=OLD\\.TRIGGER_GROUP;END;?$`,
  );
  return re.test(norm);
}
