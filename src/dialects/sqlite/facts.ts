/**
 * SQLite facts collection in named steps: the file-system facts (the database, its -wal, -shm and -journal
 * sidecars and the directory: QA-F01's access control), the base facts every SQLite scan has, then either
 * what an encrypted file leaves unreadable or the tables' facts (encryption, tampering) and, when a requested
 * family reads table contents, the scheduler state and the Quartz schema columns. Pure reads: the file is
 * already open read-only (connection.ts) and each statement comes from queries/sqlite/*.sql.
 */
import { lstatSync, readFileSync, realpathSync, type Stats, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, dirname } from 'node:path';
import { emptyFacts } from '../../facts.js';
import type { Facts, QuartzTable, SqliteFileFact, SqliteHeaderFact, TamperObject, Unreadable } from '../../model.js';
import { QUARTZ_TABLES, readsTableContents } from '../../model.js';
import { loadQuery } from '../../queries.js';
import type { ConnectOptions } from '../adapter.js';
import { notTablesUnreadable } from '../shared/discovery.js';
import { readQuartzSchemaColumns, readSchedulerFacts } from '../shared/scheduler.js';
import { quoteSqliteIdent, sqliteCause } from './connection.js';

type Row = Record<string, unknown>;

/** What the adapter learned at connect time, and how to run a statement on the open file. */
export interface SqliteFactsContext {
  options: ConnectOptions;
  path: string;
  header: SqliteHeaderFact;
  /** Runs one statement on the open file; absent when the file could not be opened (encrypted). */
  run?: (sql: string, params?: unknown[]) => Row[];
  tables: QuartzTable[];
  /** sqlite_schema rows (type, name, tbl_name, sql). */
  schemaRows: Row[];
  /** Views, virtual tables and tables with generated columns under Quartz names: reported, never read. */
  notTables: TamperObject[];
}

/** Every SQLite fact, step by step. */
export async function collectSqliteFacts(ctx: SqliteFactsContext): Promise<Facts> {
  const facts = baseFacts(ctx, fileFacts(ctx));
  if (!ctx.header.plaintext || !ctx.run) {
    markEncrypted(facts, ctx);
    return facts;
  }
  tableFacts(facts, ctx);
  if (readsTableContents(ctx.options.families)) await contentFacts(facts, ctx, ctx.run);
  return facts;
}

type FileFacts = NonNullable<Facts['sqlite']>['files'];

/** Step 1: who runs the audit, who the service account is, and the permissions of the file and its sidecars. */
function fileFacts(ctx: SqliteFactsContext): FileFacts {
  const me = userInfo();
  const users = usersByUid();
  const serviceAccount = ctx.options.serviceAccount ?? me.username;
  let serviceUid: number | null = null;
  for (const [uid, name] of users) if (name === serviceAccount) serviceUid = uid;
  if (!ctx.options.serviceAccount) serviceUid = me.uid;
  let real = ctx.path;
  try {
    real = realpathSync(ctx.path);
  } catch {
    /* keep the given path */
  }
  return {
    processUid: me.uid,
    processUser: me.username,
    serviceAccount,
    serviceUid,
    files: [
      statFact('database', ctx.path, users),
      statFact('wal', `${ctx.path}-wal`, users),
      statFact('shm', `${ctx.path}-shm`, users),
      statFact('journal', `${ctx.path}-journal`, users),
      statFact('directory', dirname(real), users),
    ],
  };
}

/** Step 2: the facts every SQLite scan has (version, target, the SQLite-specific member). */
function baseFacts(ctx: SqliteFactsContext, files: FileFacts): Facts {
  const o = ctx.options;
  const version = ctx.run ? String(ctx.run(loadQuery('sqlite', 'version'))[0]?.version ?? 'unknown') : 'unknown';
  const facts = emptyFacts('sqlite', {
    server: { product: 'SQLite', version },
    target: { database: ctx.path, schema: 'main', tablePrefix: o.tablePrefix, user: files.processUser },
    serviceAccount: files.serviceAccount,
    connectedAs: files.processUser,
    allowedPrincipals: o.allowPrincipals,
    attestations: o.attestations,
    session: { tls: null, viaSocket: false },
  });
  facts.sqlite = {
    files,
    header: ctx.header,
    session: 'local file: no network transport (TLS does not apply)',
    grants: 'SQLite has no privilege system: file-system permissions are the access control (QA-F01)',
  };
  if (o.extra?.sqliteImmutable === '1') {
    facts.sqlite.snapshot =
      '--sqlite-immutable: read from a private in-memory copy of the main file; commits still only in the -wal are not seen and a concurrent writer can make the read inconsistent';
  }
  return facts;
}

/** Step 3a: an encrypted file (SQLCipher/SEE/…): its tables, scheduler state and tampering are unreadable. */
function markEncrypted(facts: Facts, ctx: SqliteFactsContext): void {
  const keyEnv = ctx.options.extra?.sqlcipherKeyEnv;
  const reason = `${ctx.header.detail}; ${
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
  facts.tableEncryption = [{ table: basename(ctx.path), encrypted: true, detail: ctx.header.detail }];
}

/** Step 3b: the Quartz tables found, their (lack of) encryption, and the objects that tamper with them. */
function tableFacts(facts: Facts, ctx: SqliteFactsContext): void {
  const o = ctx.options;
  facts.tables = ctx.tables;
  facts.missingTables = QUARTZ_TABLES.filter((l) => !ctx.tables.some((t) => t.logical === l));
  facts.tableEncryption = ctx.tables.map((t) => ({ table: t.name, encrypted: false, detail: ctx.header.detail }));
  facts.tamper = [...ctx.notTables, ...tamperTriggers(ctx)];
  facts.unreadable.push(...notTablesUnreadable(o.tablePrefix, ctx.notTables));
}

/**
 * Step 4 (families that read table contents): scheduler state and the Quartz schema columns through the shared
 * readers. They record a failed read by its message: the table and cause are remembered to annotate it.
 */
async function contentFacts(facts: Facts, ctx: SqliteFactsContext, runSql: NonNullable<SqliteFactsContext['run']>) {
  const failures = new Map<string, Pick<Unreadable, 'table' | 'cause'>>();
  const run = async (sql: string, params: unknown[]) => {
    try {
      return runSql(sql, params);
    } catch (err) {
      const table =
        ctx.tables.find((t) => sql.includes(quoteSqliteIdent(t.name)))?.name ??
        ctx.tables.find((t) => params[0] === t.name)?.name;
      failures.set(String((err as Error)?.message ?? err), {
        cause: sqliteCause(err) ?? 'other',
        ...(table ? { table } : {}),
      });
      throw err;
    }
  };
  facts.scheduler = await readSchedulerFacts(run, ctx.tables, {
    dialect: 'sqlite',
    quote: (t) => quoteSqliteIdent(t.name),
    needs: () => `read access to ${ctx.path}`,
  });
  const cols = await readQuartzSchemaColumns(run, ctx.tables, 'sqlite', (t) => [t.name]);
  facts.quartzSchemaColumns = cols.columns;
  facts.unreadable.push(...cols.unreadable);
  for (const u of [...facts.unreadable, ...facts.scheduler.unreadable]) {
    const f = u.cause ? undefined : failures.get(u.reason);
    if (f) Object.assign(u, f);
  }
}

/** Triggers on (or writing into) the Quartz tables other than the four stock cascade triggers. */
function tamperTriggers(ctx: SqliteFactsContext): TamperObject[] {
  const names = new Map<string, { name: string; logical?: string }>(ctx.tables.map((t) => [t.name.toLowerCase(), t]));
  for (const n of ctx.notTables) if (n.table) names.set(n.table.toLowerCase(), { name: n.table });
  const out: TamperObject[] = [];
  for (const r of ctx.schemaRows) {
    if (r.type !== 'trigger') continue;
    const name = String(r.name);
    const on = String(r.tbl_name);
    const sql = String(r.sql ?? '');
    const target = names.get(on.toLowerCase());
    const writesQuartz = [...names.keys()].some((n) => new RegExp(`\\b${n.replace(/[$]/g, '\\$')}\\b`, 'i').test(sql));
    if (!target && !writesQuartz) continue;
    if (target?.logical === 'TRIGGERS' && isStockTrigger(name, sql, ctx.options.tablePrefix)) continue;
    out.push({
      kind: 'trigger',
      name,
      table: target ? target.name : on,
      detail: `${target ? 'trigger on a Quartz table' : `trigger on ${on} that references Quartz tables`} (not one of the four stock DELETE_*_TRIGGER cascades): ${sql.replace(/\s+/g, ' ').slice(0, 300)}`,
    });
  }
  return out;
}

/** The four stock triggers of Quartz.NET's tables_sqlite.sql (cascade deletes from QRTZ_TRIGGERS). */
const STOCK_TRIGGERS: Record<string, string> = {
  DELETE_SIMPLE_TRIGGER: 'SIMPLE_TRIGGERS',
  DELETE_SIMPROP_TRIGGER: 'SIMPROP_TRIGGERS',
  DELETE_CRON_TRIGGER: 'CRON_TRIGGERS',
  DELETE_BLOB_TRIGGER: 'BLOB_TRIGGERS',
};

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
