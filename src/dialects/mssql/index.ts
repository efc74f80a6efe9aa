/**
 * SQL Server adapter: connects with a SQL login over the connection layer (src/dialects/connection.ts: knex's
 * mssql client, which drives tedious; a pool of one connection per target, hardened in afterCreate), runs
 * queries/mssql/*.sql through knex.raw with their named inputs bound (`@t0`, `@k1`… → typed parameters), and
 * turns the rows into facts through the pure functions of map.ts; blobs stream through blobs.ts in keyset
 * batches. It knows SQL; it never judges.
 *
 * Non-interference (Quartz.NET takes UPDLOCK/ROWLOCK on QRTZ_LOCKS and writes triggers constantly): every
 * pooled connection gets SET LOCK_TIMEOUT (--lock-timeout) and SET DEADLOCK_PRIORITY LOW in afterCreate, as a
 * batch of its own (a SET inside knex's sp_executesql would end with the statement). Catalog reads run
 * READ COMMITTED (security facts must be committed data: never NOLOCK / READ UNCOMMITTED). Quartz table reads
 * run SNAPSHOT when the database allows it (snapshot_isolation_state ON: row versions, no shared locks, never
 * blocks nor waits on the scheduler); otherwise READ COMMITTED — row-versioned when READ_COMMITTED_SNAPSHOT is
 * ON, else locking reads that give up after the lock timeout (the table is then reported unreadable with
 * cause 'lock-timeout' and the scan goes on). The choice is recorded in MssqlFacts.isolation.
 */

import { serviceAccountCapabilities } from '../../capabilities.js';
import { UserError } from '../../errors.js';
import { emptyFacts } from '../../facts.js';
import {
  type BlobRow,
  type Facts,
  QUARTZ_TABLES,
  type QuartzTable,
  readsTableContents,
  type Unreadable,
} from '../../model.js';
import { loadQuery } from '../../queries.js';
import { chooseServiceAccount } from '../../service-account.js';
import type { Adapter, AdapterCapabilities, ConnectOptions } from '../adapter.js';
import {
  type Connection,
  type ConnectionConfig,
  openConnection,
  type PoolSettings,
  runSql,
  type SessionSettings,
} from '../connection.js';
import { BLOB_SOURCES } from '../shared/blob-sources.js';
import { noTablesError } from '../shared/discovery.js';
import { readSchedulerFacts } from '../shared/scheduler.js';
import { quoteName, streamBlobs } from './blobs.js';
import { connectionLost, failureCause, type MssqlTarget, mapMssqlError, mssqlTarget } from './connection.js';
import type { MssqlFacts } from './facts.js';
import { finishMssqlFacts, type MssqlRows, mapMssql, mapQuartzObjects, type Row } from './map.js';

export { parseConnectionStringTarget, parseMssqlUrl } from './connection.js';
export type { MssqlFacts } from './facts.js';

/** The facts queries, in order; each failure becomes an Unreadable (see map.ts NEEDS). */
export const FACT_QUERIES = [
  'capabilities',
  'database',
  'databases-encrypted',
  'principals',
  'role-members',
  'database-permissions',
  'server-principals',
  'server-role-members',
  'server-permissions',
  'my-server-permissions',
  'sql-logins',
  'configurations',
  'xp-cmdshell-grants',
  'assemblies',
  'triggers',
  'trigger-events',
  'synonyms',
  'columns',
  'backups',
  'session',
  'connection-encryption',
  'server-audits',
  'audit-status',
  'database-audit-specs',
  'server-audit-specs',
] as const;

/** Queries that take the 11 upper-case Quartz names as @t0 … @t10 (and columns.sql @schema). */
const NAME_QUERIES = new Set(['quartz-objects', 'synonyms', 'columns']);

/**
 * What the adapter gives the connection layer for one target: the tedious configuration the connection part
 * built (server, login, encrypt / trustServerCertificate / instanceName / read-only intent / application name),
 * the session bounds afterCreate applies (lock timeout; the statement bound is the request timeout) and a pool of
 * one connection (the audit reads in order; fleet scans get concurrency from many targets).
 */
export function mssqlConnectionSettings(
  target: Pick<MssqlTarget, 'config'>,
  lockTimeoutMs: number,
): { target: ConnectionConfig; session: SessionSettings; pool: PoolSettings } {
  const c = target.config;
  return {
    target: { dialect: 'mssql', driver: c },
    session: {
      statementTimeoutMs: c.requestTimeout ?? 30_000,
      lockTimeoutMs,
      applicationName: c.options?.appName ?? 'qrtz-audit',
    },
    // Idle connections stay open for the length of one audit (the SET statements are per connection).
    pool: { max: 1, idleTimeoutMs: 600_000 },
  };
}

/**
 * The ADO.NET connection string from --connection-string or the variable --connection-string-env names
 * (preferred: it keeps the password out of the process list and shell history).
 */
export function connectionStringOf(
  extra: Record<string, string> | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const name = extra?.connectionStringEnv;
  if (name !== undefined) {
    const value = env[name];
    if (value === undefined || value.trim() === '') {
      throw new UserError('usage', `--connection-string-env: environment variable ${name} is not set`);
    }
    return value;
  }
  return extra?.connectionString;
}

export class MssqlAdapter implements Adapter {
  readonly dialect = 'mssql' as const;
  readonly capabilities: AdapterCapabilities = { viaConnectionLayer: true };
  private conn: Connection | undefined;
  private readonly target: MssqlTarget;
  private server: Row = {};
  private database: Row = {};
  private tables: QuartzTable[] = [];
  private schema: string | null = null;
  private quartzRows: Row[] = [];
  private isolation: MssqlFacts['isolation'];

  constructor(private readonly options: ConnectOptions) {
    this.target = mssqlTarget(options.url, connectionStringOf(options.extra), {
      ...(options.password !== undefined ? { password: options.password } : {}),
      connectTimeoutMs: options.connectTimeoutMs,
      statementTimeoutMs: options.statementTimeoutMs,
    });
    if (!Number.isInteger(options.lockTimeoutMs) || options.lockTimeoutMs < 0) {
      throw new UserError('usage', '--lock-timeout must be a whole number of milliseconds');
    }
    this.isolation = {
      used: 'read-committed',
      snapshotIsolationState: null,
      readCommittedSnapshot: null,
      lockTimeoutMs: options.lockTimeoutMs,
    };
  }

  /**
   * The isolation level that starts every statement: SNAPSHOT for Quartz table contents when the database allows
   * it, READ COMMITTED for the catalog. It holds for that statement only (knex runs each through sp_executesql),
   * so a content read never leaves the session in SNAPSHOT for the next catalog read.
   */
  private prefix(contentRead: boolean): string {
    const iso =
      contentRead && this.isolation.used === 'snapshot'
        ? loadQuery('mssql', 'set-isolation-snapshot')
        : loadQuery('mssql', 'set-isolation-read-committed');
    return `${iso};\n`;
  }

  private run(text: string, inputs: Record<string, unknown> = {}): Promise<Row[]> {
    const conn = this.conn;
    if (!conn) throw new Error('not connected');
    return runSql(conn.knex, 'mssql', text, inputs);
  }

  private names(): string[] {
    return QUARTZ_TABLES.map((l) => `${this.options.tablePrefix}${l}`.toUpperCase());
  }

  private query(name: string): Promise<Row[]> {
    const inputs: Record<string, unknown> = {};
    if (NAME_QUERIES.has(name)) {
      this.names().forEach((n, i) => {
        inputs[`t${i}`] = n;
      });
    }
    if (name === 'columns') inputs.schema = this.schema ?? '';
    return this.run(this.prefix(false) + loadQuery('mssql', name), inputs);
  }

  async connect(): Promise<void> {
    const { display } = this.target;
    try {
      const c = mssqlConnectionSettings(this.target, this.options.lockTimeoutMs);
      // Lazy (min 0): the first statement opens and hardens the one connection.
      this.conn = openConnection(c.target, c.session, c.pool);
      [this.server = {}] = await this.query('server');
      [this.database = {}] = await this.query('database');
      const snapshot = Number(this.database.snapshot_isolation_state) === 1;
      const rcsi =
        this.database.is_read_committed_snapshot_on === true ||
        Number(this.database.is_read_committed_snapshot_on) === 1;
      this.isolation = {
        used: snapshot ? 'snapshot' : rcsi ? 'read-committed-snapshot' : 'read-committed',
        snapshotIsolationState:
          this.database.snapshot_isolation_state_desc === undefined
            ? null
            : String(this.database.snapshot_isolation_state_desc),
        readCommittedSnapshot: rcsi,
        lockTimeoutMs: this.options.lockTimeoutMs,
      };
      await this.discover();
    } catch (err) {
      await this.close();
      throw mapMssqlError(err, display);
    }
  }

  private async discover(): Promise<void> {
    this.quartzRows = await this.query('quartz-objects');
    const q = mapQuartzObjects(
      this.quartzRows,
      this.options.tablePrefix,
      this.options.schema,
      String(this.server.default_schema ?? 'dbo'),
    );
    if (q.tables.length === 0) {
      let candidates: { schema: string; prefix: string }[] = [];
      try {
        candidates = (await this.query('discover-candidates')).map((r) => ({
          schema: String(r.schema_name),
          prefix: String(r.name).slice(0, -'LOCKS'.length),
        }));
      } catch {
        // the hint is optional
      }
      const where = `${String(this.server.database_name ?? '')}${this.options.schema ? `.${this.options.schema}` : ''}`;
      throw noTablesError(where, this.options.tablePrefix, candidates);
    }
    this.schema = q.schema;
    this.tables = q.tables.map(({ logical, name, schema, owner }) => ({
      logical,
      name,
      schema,
      ...(owner ? { owner } : {}),
    }));
  }

  async collectFacts(): Promise<Facts> {
    const o = this.options;
    const rows: MssqlRows = { server: [this.server], database: [this.database], 'quartz-objects': this.quartzRows };
    const failures: Unreadable[] = [];
    const major = Number(String(this.server.product_version ?? '').split('.')[0]);
    const queries: string[] = [...FACT_QUERIES, Number.isFinite(major) && major > 0 && major < 15 ? 'tde-2016' : 'tde'];
    for (const name of queries) {
      try {
        rows[name] = await this.query(name);
      } catch (err) {
        if (connectionLost(err)) throw mapMssqlError(err, this.target.display);
        const cause = failureCause(err);
        failures.push({
          what: `mssql.${name}.error`,
          reason: String((err as Error)?.message ?? err)
            .replace(/\s+/g, ' ')
            .slice(0, 200),
          cause,
        });
      }
    }
    const facts = factsFromRows(rows, failures, o, this.target, this.isolation, this.tables);
    if (readsTableContents(o.families)) facts.scheduler = await this.schedulerFacts();
    return facts;
  }

  /**
   * Scheduler state (QA-H01…H05) through the shared reader and queries/mssql/scheduler-*.sql, under the content
   * isolation level (snapshot when the database allows it, else READ COMMITTED with the lock timeout): a part that
   * cannot be read (lock timeout behind Quartz's UPDLOCK, missing SELECT) is recorded with its table and cause.
   */
  private async schedulerFacts(): Promise<NonNullable<Facts['scheduler']>> {
    const prefix = this.prefix(true);
    const quote = (t: QuartzTable) => `${quoteName(t.schema)}.${quoteName(t.name)}`;
    const failures = new Map<string, { table?: string; cause: NonNullable<Unreadable['cause']> }>();
    const scheduler = await readSchedulerFacts(
      async (text) => {
        try {
          return await this.run(prefix + text);
        } catch (err) {
          if (connectionLost(err)) throw mapMssqlError(err, this.target.display);
          const table = this.tables.find((t) => text.includes(quote(t)))?.name;
          failures.set(String((err as Error)?.message ?? err), {
            cause: failureCause(err),
            ...(table ? { table } : {}),
          });
          throw err;
        }
      },
      this.tables,
      { dialect: 'mssql', quote, needs: (t) => `SELECT on ${t.schema}.${t.name}` },
    );
    for (const u of scheduler.unreadable) {
      const f = u.cause ? undefined : failures.get(u.reason);
      if (f) Object.assign(u, f);
    }
    return scheduler;
  }

  blobRows(onUnreadable?: (u: Unreadable) => void): AsyncIterable<BlobRow> {
    if (!this.conn) throw new Error('not connected');
    const prefix = this.prefix(true);
    const stream = streamBlobs(
      this.tables,
      this.options.maxBlobSize,
      // first: bit, k1–k3: nvarchar, max: int (knex's mssql binding types).
      (text, p) => this.run(prefix + text, { ...p }),
      onUnreadable,
    );
    // A session killed or a server gone mid-stream ends the stream (streamBlobs rethrows it) as a connection
    // error: the engine then reports what was read, marked incomplete, instead of an internal error.
    const display = this.target.display;
    return (async function* () {
      try {
        yield* stream;
      } catch (err) {
        throw connectionLost(err) ? mapMssqlError(err, display) : err;
      }
    })();
  }

  async countBlobRows(): Promise<number | undefined> {
    if (!this.conn) return undefined;
    const prefix = this.prefix(true);
    let total = 0;
    for (const src of BLOB_SOURCES) {
      const t = this.tables.find((x) => x.logical === src.table);
      if (!t) continue;
      try {
        const sql = loadQuery('mssql', 'blob-count', { table: `${quoteName(t.schema)}.${quoteName(t.name)}` });
        const rows = await this.run(prefix + sql);
        total += Number(rows[0]?.n ?? 0);
      } catch (err) {
        if (connectionLost(err)) throw mapMssqlError(err, this.target.display);
        return undefined; // no permission, a lock or statement timeout: the bar goes without a total
      }
    }
    return total;
  }

  async close(): Promise<void> {
    const conn = this.conn;
    this.conn = undefined;
    // Never waits long: a half-open login must not keep the process alive.
    if (conn) await Promise.race([conn.destroy().catch(() => {}), new Promise((r) => setTimeout(r, 2000).unref())]);
  }
}

/** --service-account may name the database user or its login: a login maps to the user holding its sid. */
export function databaseUserFor(name: string, principals: Facts['principals']): string {
  const lower = name.toLowerCase();
  if (principals.some((p) => p.name.toLowerCase() === lower)) return name;
  return principals.find((p) => p.attributes.some((a) => a.toLowerCase() === `login:${lower}`))?.name ?? name;
}

/**
 * Facts from the rows of queries/mssql (absent = failed, with `failures` saying why): the pure part of
 * collectFacts, also used by tests with rows shaped as the catalog returns them.
 */
export function factsFromRows(
  rows: MssqlRows,
  failures: Unreadable[],
  o: ConnectOptions,
  target: Pick<MssqlTarget, 'source' | 'encrypt' | 'trustServerCertificate' | 'ignoredKeys' | 'host' | 'instanceName'>,
  isolation: MssqlFacts['isolation'],
  tables: QuartzTable[],
): Facts {
  const connectedUser = String(rows.server?.[0]?.user_name ?? '');
  const mapped = mapMssql(rows, {
    prefix: o.tablePrefix,
    ...(o.schema ? { schema: o.schema } : {}),
    connectedUser,
    connection: {
      source: target.source,
      encryptRequested: target.encrypt,
      trustServerCertificate: target.trustServerCertificate,
      encryptOption: null,
      netTransport: null,
      authScheme: null,
      ignoredKeys: target.ignoredKeys,
    },
    isolation: isolation,
  });
  const choice = chooseServiceAccount({
    ...(o.serviceAccount !== undefined ? { explicit: databaseUserFor(o.serviceAccount, mapped.principals) } : {}),
    connectedAs: connectedUser,
    principals: mapped.principals,
    effective: mapped.effective,
    tables: mapped.quartz.tables.map((t) => t.logical),
    owners: ['dbo', ...mapped.quartz.tables.map((t) => t.owner ?? '').filter(Boolean)],
    complete: mapped.internal.databaseCatalogComplete,
    same: (a, b) => a.toLowerCase() === b.toLowerCase(),
  });
  const mssql = finishMssqlFacts(mapped, choice.name, connectedUser);
  const facts = emptyFacts('mssql', {
    server: mapped.serverVersion,
    target: {
      database: mapped.database,
      schema: mapped.quartz.schema ?? 'dbo',
      tablePrefix: o.tablePrefix,
      user: connectedUser,
      host: target.instanceName ? `${target.host}\\${target.instanceName}` : target.host,
    },
    serviceAccount: choice.name,
    serviceAccountSource: choice.source,
    connectedAs: connectedUser,
    allowedPrincipals: [...o.allowPrincipals],
    tables: tables,
    missingTables: mapped.quartz.missing,
    principals: mapped.principals,
    memberships: mapped.memberships,
    grants: mapped.grants,
    effective: mapped.effective,
    tamper: mapped.tamper,
    foreignPrivileges: mapped.grants.filter(
      (g) =>
        (g.objectKind === 'table' || g.objectKind === 'column') &&
        !g.quartzTable &&
        (g.grantee.toLowerCase() === choice.name.toLowerCase() ||
          mapped.memberships.some((m) => m.member.toLowerCase() === choice.name.toLowerCase() && m.role === g.grantee)),
    ),
    settings: mapped.settings,
    session: mapped.session,
    tableEncryption: mapped.tableEncryption,
    attestations: { ...o.attestations },
    unreadable: [
      ...mapped.unreadable,
      ...partialGrants(mapped.internal.databaseCatalogComplete, choice.name, connectedUser),
      ...failures,
    ],
    mssql,
  });
  if (mapped.quartzSchemaColumns) facts.quartzSchemaColumns = mapped.quartzSchemaColumns;
  const capabilities = serviceAccountCapabilities(facts);
  if (capabilities) facts.capabilities = capabilities;
  return facts;
}

/**
 * The engine-neutral grant facts QA-G07/G08 judge (effective-privileges, foreign-privileges) are incomplete when
 * the database catalog was partly visible and the service account is not the connected login (a user always sees
 * its own permissions and memberships): absence of a grant then proves nothing.
 */
function partialGrants(complete: boolean, serviceAccount: string, connectedUser: string): Unreadable[] {
  if (complete || serviceAccount.toLowerCase() === connectedUser.toLowerCase()) return [];
  const needs = 'VIEW DEFINITION on the database';
  const reason = `partial view of sys.database_permissions and sys.database_role_members: ${connectedUser} sees only what it owns or holds a permission on`;
  return [
    { what: 'effective-privileges', reason, needs, cause: 'privilege' },
    { what: 'foreign-privileges', reason, needs, cause: 'privilege' },
  ];
}

export function createMssqlAdapter(options: ConnectOptions): Adapter {
  return new MssqlAdapter(options);
}
