/**
 * The one connection layer: a connection configuration becomes a knex instance with a small pool of
 * its own (one per audited target: fleet scans run many targets at once), every pooled connection
 * hardened in the pool's `afterCreate` before knex hands it out, and the audit's statements run as
 * the `queries/<db>/*.sql` files say them through `knex.raw()` — never through the query builder.
 *
 * What it does not do: parse URLs (each dialect's connection part does, and builds the driver
 * configuration given here), map errors to user messages (per dialect: error codes differ), or
 * decide what a row means. SQLite is not here: knex streams better-sqlite3 results by reading the
 * whole result first, and the hardened open (defensive mode, `fileMustExist`, the immutable
 * in-memory snapshot) needs the bare driver; see the README ("Connection layer").
 */
import knexFactory, { type Knex } from 'knex';
import type { config as MssqlConfig } from 'mssql';
import type mysql from 'mysql2';
import type pg from 'pg';
import { loadQuery } from '../queries.js';

/** Session bounds every pooled connection gets before its first audit statement. */
export interface SessionSettings {
  /** Upper bound of one statement (one round trip of a batched read), in ms. */
  statementTimeoutMs: number;
  /** How long a read waits for a lock before it gives up, in ms. */
  lockTimeoutMs: number;
  /** Shown to the DBA in pg_stat_activity / processlist / sys.dm_exec_sessions. Default `qrtz-audit`. */
  applicationName?: string;
}

/** The pool of one target. Defaults: min 0 (nothing is held open while idle), max 2. */
export interface PoolSettings {
  /** Largest number of connections to this target. Default 2; the PostgreSQL audit holds one. */
  max?: number;
  /** A connection idle this long is closed (ms). Default 30,000. */
  idleTimeoutMs?: number;
  /** How long a caller waits for a free pooled connection (ms). Default: the connect timeout + 5 s. */
  acquireTimeoutMs?: number;
}

/** Driver configuration of one target, as the dialect's connection part built it (password included). */
export type ConnectionConfig =
  | { dialect: 'postgres'; driver: pg.ClientConfig }
  | { dialect: 'mysql'; driver: mysql.ConnectionOptions }
  | { dialect: 'mssql'; driver: MssqlConfig };

export type ServerDialect = ConnectionConfig['dialect'];

/** What the afterCreate hook learned about the server (first connection), for the adapter. */
export interface ServerInfo {
  /** MySQL family: which SET statement the session took. */
  flavour?: 'mysql' | 'mariadb';
  /** The server's own version text (MySQL family). */
  version?: string;
}

export interface Connection {
  readonly dialect: ServerDialect;
  readonly knex: Knex;
  /** Filled by the first pooled connection's setup. */
  readonly server: ServerInfo;
  /** Closes every pooled connection (waits for none to be released longer than knex's destroy). */
  destroy(): Promise<void>;
}

const DEFAULT_APP = 'qrtz-audit';

/**
 * PostgreSQL settings given at startup (`options`), so they hold before the first statement, and
 * set again in afterCreate (a pooler may drop startup options). Only built-ins resolve
 * (search_path), a table with row security errors instead of running policy code as the auditor,
 * every transaction is read-only by default, and each statement and lock wait is bounded.
 */
export function postgresStartupOptions(s: SessionSettings): string {
  return [
    'search_path=pg_catalog,pg_temp',
    'row_security=off',
    'default_transaction_read_only=on',
    `statement_timeout=${Math.max(0, Math.trunc(s.statementTimeoutMs))}`,
    `lock_timeout=${Math.max(0, Math.trunc(s.lockTimeoutMs))}`,
    // The catalog read and the blob cursor share one transaction: leave room for slow consumers.
    `idle_in_transaction_session_timeout=${Math.max(300_000, Math.trunc(s.statementTimeoutMs) * 4)}`,
  ]
    .map((kv) => `-c ${kv}`)
    .join(' ');
}

type Done = (err: Error | null, conn?: unknown) => void;

/** Runs one statement on a raw pg client. */
function pgRun(c: pg.Client, sql: string): Promise<void> {
  return c.query(sql).then(() => undefined);
}

/** Runs one statement on a raw mysql2 (callback API) connection. */
function mysqlRun(c: mysql.Connection, sql: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    c.query({ sql, values }, (err, rows) => {
      if (err) reject(err);
      else resolve(Array.isArray(rows) ? (rows as Record<string, unknown>[]) : []);
    });
  });
}

/** Runs one batch on a raw tedious connection (knex's mssql client drives tedious itself). */
function tediousRun(c: unknown, sql: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // Loaded lazily: only an mssql target needs tedious.
    import('tedious')
      .then(({ Request }) => {
        const req = new Request(sql, (err) => (err ? reject(err) : resolve()));
        (c as { execSqlBatch(r: unknown): void }).execSqlBatch(req);
      })
      .catch(reject);
  });
}

/** Milliseconds → whole seconds for MySQL's lock waits (at least 1: 0 would mean "do not wait" on some versions). */
function lockSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** Session setup of one fresh pooled connection: hardened before knex hands it out, or destroyed. */
export async function setupSession(
  dialect: ServerDialect,
  conn: unknown,
  s: SessionSettings,
  server: ServerInfo,
): Promise<void> {
  switch (dialect) {
    case 'postgres': {
      const c = conn as pg.Client;
      await pgRun(c, 'SET search_path = pg_catalog, pg_temp');
      await pgRun(c, 'SET row_security = off');
      await pgRun(c, 'SET default_transaction_read_only = on');
      return;
    }
    case 'mysql': {
      const c = conn as mysql.Connection;
      const [row] = await mysqlRun(c, loadQuery('mysql', 'server'));
      const version = String(row?.version ?? '');
      const comment = String(row?.version_comment ?? '');
      const flavour = /mariadb/i.test(`${version} ${comment}`) ? 'mariadb' : 'mysql';
      server.flavour ??= flavour;
      server.version ??= version;
      const lockS = lockSeconds(s.lockTimeoutMs);
      if (flavour === 'mariadb') {
        await mysqlRun(c, loadQuery('mysql', 'session_mariadb'), [s.statementTimeoutMs / 1000, lockS, lockS]);
      } else {
        await mysqlRun(c, loadQuery('mysql', 'session_mysql'), [
          Math.max(1, Math.round(s.statementTimeoutMs)),
          lockS,
          lockS,
        ]);
      }
      return;
    }
    case 'mssql': {
      const ms = Math.max(0, Math.trunc(s.lockTimeoutMs));
      await tediousRun(
        conn,
        [
          loadQuery('mssql', 'set-lock-timeout', { ms: String(ms) }),
          loadQuery('mssql', 'set-deadlock-priority'),
          loadQuery('mssql', 'set-isolation-read-committed'),
        ].join(';\n'),
      );
      return;
    }
  }
}

/** Closes a driver connection knex never handed out (its session setup failed); never throws. */
async function closeRawConnection(dialect: ServerDialect, conn: unknown): Promise<void> {
  try {
    switch (dialect) {
      case 'postgres':
        await Promise.race([(conn as pg.Client).end(), new Promise((r) => setTimeout(r, 2000).unref())]);
        return;
      case 'mysql':
        (conn as mysql.Connection).destroy();
        return;
      case 'mssql':
        (conn as { close(): void }).close();
        return;
    }
  } catch {
    // already closed or broken: nothing is left open
  }
}

/** knex's configuration for one target: pool per target, session setup in afterCreate. */
export function knexConfig(
  target: ConnectionConfig,
  s: SessionSettings,
  pool: PoolSettings = {},
  server: ServerInfo = {},
): Knex.Config {
  const app = s.applicationName ?? DEFAULT_APP;
  const connectMs = connectTimeoutOf(target);
  const poolConfig = {
    min: 0,
    max: Math.max(1, pool.max ?? 2),
    idleTimeoutMillis: pool.idleTimeoutMs ?? 30_000,
    acquireTimeoutMillis: pool.acquireTimeoutMs ?? connectMs + 5_000,
    // A connection that cannot be hardened is never handed out: knex destroys it and the error
    // reaches the caller (who maps it per dialect).
    afterCreate(conn: unknown, done: Done) {
      setupSession(target.dialect, conn, s, server).then(
        () => done(null, conn),
        // knex does not destroy a connection whose afterCreate failed: it would stay open on the server
        // (idle after the first SET) for as long as the process lives. Close it here, then report the error.
        (err: Error) => closeRawConnection(target.dialect, conn).then(() => done(err, conn)),
      );
    },
  };
  const common = {
    pool: poolConfig,
    acquireConnectionTimeout: poolConfig.acquireTimeoutMillis,
    // Nothing of the query builder is used; no migrations; no debug logging of bindings (secrets).
    debug: false,
    // A failed statement's message gets the statement, never its values inlined.
    compileSqlOnError: false,
    // knex logs pool and acquire errors (with stacks) to the console itself: the caller gets the
    // driver's error and maps it to one line per dialect; nothing reaches the terminal raw.
    log: { warn() {}, error() {}, deprecate() {}, debug() {} },
    asyncStackTraces: false,
  };
  switch (target.dialect) {
    case 'postgres':
      return {
        ...common,
        client: 'pg',
        // A version given means knex runs no `select version()` of its own on the audited server.
        version: '13',
        connection: {
          ...target.driver,
          application_name: app,
          options: postgresStartupOptions(s),
        } as Knex.PgConnectionConfig,
      };
    case 'mysql':
      return {
        ...common,
        client: 'mysql2',
        // 'latest' means knex runs no `select version()` of its own (the afterCreate hook reads the version).
        version: 'latest',
        connection: {
          supportBigNumbers: true,
          bigNumberStrings: true,
          dateStrings: true,
          charset: 'utf8mb4_general_ci',
          ...target.driver,
          // Never several statements in one string, whatever the URL asked.
          multipleStatements: false,
          connectAttributes: { program_name: app },
        } as Knex.MySql2ConnectionConfig,
      };
    case 'mssql': {
      const d = target.driver;
      return {
        ...common,
        client: 'mssql',
        connection: {
          server: d.server,
          user: d.user,
          password: d.password,
          ...(d.database ? { database: d.database } : {}),
          ...(d.port !== undefined ? { port: d.port } : {}),
          connectionTimeout: d.connectionTimeout ?? 15_000,
          requestTimeout: Math.max(0, Math.trunc(s.statementTimeoutMs)),
          options: {
            ...(d.options ?? {}),
            appName: d.options?.appName ?? app,
            abortTransactionOnError: true,
          },
        } as unknown as Knex.MsSqlConnectionConfig,
      };
    }
  }
}

function connectTimeoutOf(t: ConnectionConfig): number {
  switch (t.dialect) {
    case 'postgres':
      return t.driver.connectionTimeoutMillis ?? 10_000;
    case 'mysql':
      return t.driver.connectTimeout ?? 10_000;
    case 'mssql':
      return t.driver.connectionTimeout ?? 15_000;
  }
}

/** Opens (lazily: min 0) the pool of one target. Nothing connects until the first statement. */
export function openConnection(target: ConnectionConfig, s: SessionSettings, pool: PoolSettings = {}): Connection {
  const server: ServerInfo = {};
  const knex = knexFactory(knexConfig(target, s, pool, server));
  if (target.dialect === 'mssql') {
    // knex 3's mssql client keeps its queue of not-yet-sent requests on the prototype, shared by every
    // target; a request waiting there could be sent on another target's connection. One queue each.
    (knex.client as { requestQueue?: unknown[] }).requestQueue = [];
    // knex 3 destroys a tedious connection by calling close() and waiting for its 'end' event. A connection
    // already lost (the session killed, the server gone) has emitted 'end' once and never emits it again, so
    // the pool's destroy waited for tarn's destroy timeout (5 s) and kept the process alive that long.
    const client = knex.client as { destroyRawConnection(c: unknown): Promise<void> };
    const destroyRaw = client.destroyRawConnection.bind(client);
    client.destroyRawConnection = (c) => ((c as { closed?: boolean }).closed ? Promise.resolve() : destroyRaw(c));
  }
  return {
    dialect: target.dialect,
    knex,
    server,
    destroy: () => knex.destroy(),
  };
}

/**
 * Values of one statement: positional (PostgreSQL `$n`, MySQL `?`) or, for SQL Server, named inputs
 * (`@name` in the file → `{ name: value }`).
 */
export type QueryParams = readonly unknown[] | Readonly<Record<string, unknown>>;

/**
 * Rewrites a statement from its file's placeholder style into knex.raw's, where every `?` outside
 * `\\?` binds a value — in comments too, which knex does not skip (the drivers do). PostgreSQL files
 * number their parameters (`$1`, `$2`, `$1` again): each use becomes one `?` and its value is
 * repeated, so the server sees the same values in the same places. MySQL files use `?` already;
 * a `?` in one of their comments (a substitution can put one there) is escaped. A `?` inside a
 * MySQL string literal or quoted name is refused: its escaped form would depend on the server's
 * sql_mode (NO_BACKSLASH_ESCAPES), which the audited server chooses. SQL Server files name their
 * inputs (`@t0`, `@k1`): see {@link mssqlNamedToKnex}.
 */
export function toKnexRaw(
  dialect: ServerDialect,
  sql: string,
  params: QueryParams,
): { sql: string; bindings: unknown[] } {
  // knex reads `\\?` as an escaped `?`: a backslash before a `?` in the file would change meaning.
  if (/\\\?/.test(sql)) throw new Error('a query file holds a backslash before "?": not supported through knex.raw');
  if (dialect === 'mssql') {
    if (Array.isArray(params)) {
      if (params.length) throw new Error('SQL Server query files take named inputs ({ name: value }), not positions');
      return mssqlNamedToKnex(sql, {});
    }
    return mssqlNamedToKnex(sql, params as Readonly<Record<string, unknown>>);
  }
  if (!Array.isArray(params)) throw new Error(`${dialect} query files take positional values, not named inputs`);
  return positionalToKnex(dialect, sql, params);
}

/**
 * SQL Server: knex's mssql client sends every statement through `sp_executesql` with its bindings
 * as the parameters `@p0`, `@p1`… in `?` order. A file's named input (`@name`, outside comments,
 * string literals and quoted names; `@@SPID` and the like are functions, not inputs) becomes one
 * `?` per use with its value repeated, so the server sees real typed parameters (string →
 * nvarchar, boolean → bit, integer → int) where the file has them. An `@name` without a value, or a
 * value the file never uses, is an error rather than a silent NULL or a dropped input; a `?` outside
 * an input is escaped (a substituted name may hold one).
 */
export function mssqlNamedToKnex(
  sql: string,
  named: Readonly<Record<string, unknown>>,
): { sql: string; bindings: unknown[] } {
  const values = new Map(Object.entries(named).map(([k, v]) => [k.toLowerCase(), v]));
  const used = new Set<string>();
  const bindings: unknown[] = [];
  let out = '';
  let i = 0;
  const copyUntil = (end: number) => {
    out += sql.slice(i, end).replace(/\?/g, '\\?');
    i = end;
  };
  /** End of the literal or quoted name starting at i: '' (or "", ]]) inside is the quote itself. */
  const closing = (close: string) => {
    let j = i + 1;
    while (j < sql.length) {
      if (sql[j] === close && sql[j + 1] === close) j += 2;
      else if (sql[j] === close) return j + 1;
      else j++;
    }
    return sql.length;
  };
  while (i < sql.length) {
    const ch = sql[i] as string;
    const next = sql[i + 1];
    if (ch === '-' && next === '-') {
      const nl = sql.indexOf('\n', i);
      copyUntil(nl < 0 ? sql.length : nl + 1);
    } else if (ch === '/' && next === '*') {
      // T-SQL block comments nest.
      let depth = 0;
      let j = i;
      while (j < sql.length) {
        if (sql[j] === '/' && sql[j + 1] === '*') {
          depth++;
          j += 2;
        } else if (sql[j] === '*' && sql[j + 1] === '/') {
          depth--;
          j += 2;
          if (depth === 0) break;
        } else j++;
      }
      copyUntil(j);
    } else if (ch === "'" || ch === '"') {
      copyUntil(closing(ch));
    } else if (ch === '[') {
      copyUntil(closing(']'));
    } else if (ch === '@' && next === '@') {
      const m = /^@@[A-Za-z0-9_#$@]*/.exec(sql.slice(i, i + 130)) as RegExpExecArray;
      out += m[0];
      i += m[0].length;
    } else if (ch === '@') {
      const m = /^@([A-Za-z_#$][A-Za-z0-9_#$@]*)/.exec(sql.slice(i, i + 130));
      if (!m?.[1]) throw new Error('a query file holds a bare "@": not supported through knex.raw');
      const name = m[1].toLowerCase();
      if (!values.has(name)) throw new Error(`query input @${m[1]} has no value`);
      used.add(name);
      bindings.push(values.get(name));
      out += '?';
      i += m[0].length;
    } else if (ch === '?') {
      out += '\\?';
      i++;
    } else {
      const m = /[-/'"[@?]/g;
      m.lastIndex = i + 1;
      const hit = m.exec(sql);
      const end = hit ? hit.index : sql.length;
      out += sql.slice(i, end);
      i = end;
    }
  }
  const unused = [...values.keys()].filter((k) => !used.has(k));
  if (unused.length)
    throw new Error(`query inputs never used by the statement: ${unused.map((k) => `@${k}`).join(', ')}`);
  return { sql: out, bindings };
}

/** PostgreSQL numbered and MySQL positional placeholders → knex.raw's `?` (see {@link toKnexRaw}). */
function positionalToKnex(
  dialect: 'postgres' | 'mysql',
  sql: string,
  params: readonly unknown[],
): { sql: string; bindings: unknown[] } {
  const pgStyle = dialect === 'postgres';
  const bindings: unknown[] = [];
  let out = '';
  let i = 0;
  let positional = 0;
  const copyUntil = (end: number) => {
    // Inside comments, literals and quoted names nothing binds: a `?` there is escaped for knex.
    out += sql.slice(i, end).replace(/\?/g, '\\?');
    i = end;
  };
  const quoted = (q: string) => {
    // '' (or "", ``) inside is the quote itself; MySQL also takes a backslash escape in strings.
    let j = i + 1;
    while (j < sql.length) {
      const c = sql[j];
      if (!pgStyle && c === '\\' && q !== '`') j += 2;
      else if (c === q && sql[j + 1] === q) j += 2;
      else if (c === q) {
        j++;
        break;
      } else j++;
    }
    if (!pgStyle && sql.slice(i, j).includes('?')) {
      throw new Error('a MySQL query file holds "?" inside a quoted string or name: not supported through knex.raw');
    }
    copyUntil(j);
  };
  while (i < sql.length) {
    const ch = sql[i] as string;
    const next = sql[i + 1];
    if (ch === '-' && next === '-' && (pgStyle || /[\s]/.test(sql[i + 2] ?? ' '))) {
      const nl = sql.indexOf('\n', i);
      copyUntil(nl < 0 ? sql.length : nl + 1);
    } else if (ch === '#' && !pgStyle) {
      const nl = sql.indexOf('\n', i);
      copyUntil(nl < 0 ? sql.length : nl + 1);
    } else if (ch === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      copyUntil(end < 0 ? sql.length : end + 2);
    } else if (ch === "'" || ch === '"' || (ch === '`' && !pgStyle)) {
      quoted(ch);
    } else if (pgStyle && ch === '$' && /[A-Za-z0-9_]/.test(sql[i - 1] ?? ' ')) {
      // Part of an identifier (PostgreSQL allows `$` after the first character): not a parameter.
      out += ch;
      i++;
    } else if (pgStyle && ch === '$') {
      const param = /^\$(\d+)/.exec(sql.slice(i, i + 12));
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 70));
      if (param?.[1]) {
        const n = Number(param[1]) - 1;
        if (n < 0 || n >= params.length) {
          throw new Error(`query parameter $${param[1]} has no value (${params.length} given)`);
        }
        bindings.push(params[n]);
        out += '?';
        i += param[0].length;
      } else if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        copyUntil(end < 0 ? sql.length : end + tag[0].length);
      } else copyUntil(i + 1);
    } else if (ch === '?') {
      if (pgStyle) out += '\\?';
      else {
        if (next === '?') throw new Error('a query file holds "??": not supported through knex.raw');
        if (positional >= params.length) throw new Error(`query placeholder ${positional + 1} has no value`);
        bindings.push(params[positional++]);
        out += '?';
      }
      i++;
    } else {
      // Plain text up to the next character that may start one of the above.
      const m = /[-/'"`$?#]/g;
      m.lastIndex = i + 1;
      const hit = m.exec(sql);
      const end = hit ? hit.index : sql.length;
      out += sql.slice(i, end);
      i = end;
    }
  }
  if (!pgStyle && positional !== params.length) {
    throw new Error(`${params.length} values for ${positional} placeholders`);
  }
  return { sql: out, bindings };
}

/** The rows of a knex.raw result, whatever the driver's result shape. */
export function rowsOf(dialect: ServerDialect, result: unknown): Record<string, unknown>[] {
  if (dialect === 'postgres') return ((result as { rows?: unknown[] })?.rows ?? []) as Record<string, unknown>[];
  if (dialect === 'mysql') {
    const first = Array.isArray(result) ? result[0] : [];
    return (Array.isArray(first) ? first : []) as Record<string, unknown>[];
  }
  return (Array.isArray(result) ? result : []) as Record<string, unknown>[];
}

/** Something knex.raw can run on: the target's knex or an open transaction. */
export type Runner = Knex | Knex.Transaction;

/** Runs a statement (already loaded, substitutions done) through knex.raw and returns its rows. */
export async function runSql(
  db: Runner,
  dialect: ServerDialect,
  sql: string,
  params: QueryParams = [],
): Promise<Record<string, unknown>[]> {
  const q = toKnexRaw(dialect, sql, params);
  try {
    return rowsOf(dialect, await db.raw(q.sql, q.bindings as Knex.RawBinding[]));
  } catch (err) {
    throw driverError(db, q.sql, err);
  }
}

/**
 * knex prefixes a failed statement's error message with the statement (`<sql> - <message>`). The
 * adapters put the server's message in Unreadable reasons and match it for causes: give them the
 * driver's error with the server's own words back.
 */
function driverError(db: Runner, sql: string, err: unknown): unknown {
  const e = err as { message?: unknown };
  if (!e || typeof e.message !== 'string') return err;
  const client = (db as unknown as { client?: { positionBindings?(s: string): string } }).client;
  const positioned = client?.positionBindings ? client.positionBindings(sql) : sql;
  for (const prefix of [`${positioned} - `, `${sql} - `]) {
    if (e.message.startsWith(prefix)) {
      e.message = e.message.slice(prefix.length);
      break;
    }
  }
  return err;
}

/** Runs queries/<db>/<name>.sql as it is, through knex.raw. */
export function runFile(
  db: Runner,
  dialect: ServerDialect,
  name: string,
  params: QueryParams = [],
  substitutions: Record<string, string> = {},
): Promise<Record<string, unknown>[]> {
  return runSql(db, dialect, loadQuery(dialect, name, substitutions), params);
}

/**
 * The PostgreSQL audit's one transaction: `BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ
 * ONLY` is the first statement knex sends on the connection it takes from the pool, and every later
 * read runs on that connection (`trx.raw`). Roll it back when done (nothing is ever committed).
 */
export function readOnlySnapshot(db: Knex): Promise<Knex.Transaction> {
  return db.transaction({ isolationLevel: 'repeatable read', readOnly: true });
}

/**
 * Streams a statement's rows through knex's `.stream()` (pg: pg-query-stream; mysql2: its row
 * stream; mssql: tedious row events), with back-pressure: memory stays bounded by the driver's
 * batch, whatever the row count. For PostgreSQL the adapter prefers {@link cursorBatches}: a
 * portal's statement timeout would span the whole stream, a FETCH bounds one batch.
 */
export async function* streamRows(
  db: Runner,
  dialect: ServerDialect,
  sql: string,
  params: QueryParams = [],
  options: { highWaterMark?: number } = {},
): AsyncGenerator<Record<string, unknown>> {
  const q = toKnexRaw(dialect, sql, params);
  const stream = db.raw(q.sql, q.bindings as Knex.RawBinding[]).stream(options);
  try {
    for await (const row of stream) yield row as Record<string, unknown>;
  } finally {
    // The consumer stopped early: end the driver's read too.
    stream.destroy();
  }
}

/**
 * PostgreSQL batches through a server-side cursor inside the open transaction: `DECLARE … NO
 * SCROLL CURSOR`, then one `FETCH FORWARD n` statement per batch (the statement timeout bounds each
 * batch, never the stream). The cursor is closed when the consumer stops, early or not. Run it
 * inside a savepoint when a failure must not abort the transaction.
 */
export async function* cursorBatches(
  trx: Knex.Transaction,
  sql: string,
  params: readonly unknown[],
  batchRows: number,
  cursor = 'qrtz_blobs',
): AsyncGenerator<Record<string, unknown>[]> {
  if (!/^[a-z_][a-z0-9_]*$/.test(cursor)) throw new Error(`bad cursor name ${cursor}`);
  const n = Math.max(1, Math.trunc(batchRows));
  await runSql(trx, 'postgres', `DECLARE ${cursor} NO SCROLL CURSOR FOR ${sql}`, params);
  let open = true;
  try {
    for (;;) {
      const rows = await runSql(trx, 'postgres', `FETCH FORWARD ${n} FROM ${cursor}`);
      if (rows.length) yield rows;
      if (rows.length < n) break;
    }
    open = false;
    await runSql(trx, 'postgres', `CLOSE ${cursor}`);
  } finally {
    if (open) await runSql(trx, 'postgres', `CLOSE ${cursor}`).catch(() => {});
  }
}

/**
 * One pooled connection held for a whole audit session (MySQL: the session's read-only
 * transaction and its settings live on one connection). It comes from the target's knex pool, so it
 * was hardened in afterCreate like every other; release() gives it back to the pool. If the
 * connection is lost, statements fail: nothing is silently re-run on another connection.
 *
 * Statements go through {@link toKnexRaw} (the same placeholder rules and refusals as every other
 * statement). On PostgreSQL they then run through knex.raw; on MySQL they are handed straight to the
 * mysql2 connection held, with the values knex would have handed it: knex's mysql client passes the
 * text and the values to `connection.query` as they are (mysql2 binds them client-side), so the server
 * sees the same statement, and knex's query runner around it (a builder, a runner, events, a pool
 * round trip per statement) is skipped — it cost the blob stream about a fifth more client CPU than the
 * bare driver (issue #16; `npm run bench:stream`).
 */
export interface PinnedConnection {
  run(sql: string, params?: QueryParams): Promise<Record<string, unknown>[]>;
  release(): Promise<void>;
}

export async function pinConnection(c: Connection): Promise<PinnedConnection> {
  const client = c.knex.client as {
    acquireConnection(): Promise<unknown>;
    releaseConnection(conn: unknown): Promise<unknown>;
  };
  const raw = await client.acquireConnection();
  let released = false;
  return {
    run: async (sql, params = []) => {
      if (released) throw new Error('connection released');
      const q = toKnexRaw(c.dialect, sql, params);
      if (c.dialect === 'mysql') return mysqlRun(raw as mysql.Connection, q.sql, q.bindings);
      try {
        return rowsOf(c.dialect, await c.knex.raw(q.sql, q.bindings as Knex.RawBinding[]).connection(raw));
      } catch (err) {
        throw driverError(c.knex, q.sql, err);
      }
    },
    release: async () => {
      if (released) return;
      released = true;
      await client.releaseConnection(raw);
    },
  };
}
