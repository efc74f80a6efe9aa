/**
 * PostgreSQL adapter: connects read-only (connection.ts), discovers the Quartz tables, turns catalog
 * rows from queries/postgres/*.sql into normalized facts, and streams blob rows (blobs.ts). It knows
 * SQL; it never judges.
 */
import type pg from 'pg';
import { UserError } from '../../errors.js';
import type { BlobRow, Facts, TamperObject, Unreadable } from '../../model.js';
import { loadQuery } from '../../queries.js';
import { registerSecret } from '../../secrets/redact.js';
import type { Adapter, AdapterCapabilities, ConnectOptions } from '../adapter.js';
import { BLOB_SOURCES } from '../shared/blob-sources.js';
import { expectedTables, logicalName, noTablesError } from '../shared/discovery.js';
import { BATCH_BYTES, BATCH_ROWS, CHUNK_BYTES, INLINE_ROW_BYTES, type PgTable, streamPgBlobs } from './blobs.js';
import {
  causeOf,
  isFatal,
  mapPgError,
  NEEDS_PASSWORD,
  openPgSession,
  PasswordRequired,
  type PgSession,
  parsePostgresUrl,
  pgpassLookup,
  quoteIdent,
  type SqlClient,
  sessionOptions,
} from './connection.js';
import { collectPgFacts, explainVia, parseSearchPath, relkindName } from './facts.js';

export {
  BATCH_BYTES,
  BATCH_ROWS,
  CHUNK_BYTES,
  causeOf,
  explainVia,
  INLINE_ROW_BYTES,
  mapPgError,
  parsePostgresUrl,
  parseSearchPath,
  quoteIdent,
  sessionOptions,
};

type Row = Record<string, unknown>;

export class PostgresAdapter implements Adapter {
  readonly dialect = 'postgres' as const;
  /** One read-only REPEATABLE READ transaction over the knex connection layer. */
  readonly capabilities: AdapterCapabilities = { consistentSnapshot: true, viaConnectionLayer: true };
  /** The audit session (knex pool of one, inside the read-only transaction); its client runs every statement. */
  private session: PgSession | undefined;
  private client: SqlClient | undefined;
  private readonly parsed: ReturnType<typeof parsePostgresUrl>;
  private readonly schema: string;
  /** Plain and partitioned Quartz tables (views and the like are never here). */
  private tables: PgTable[] = [];
  /** Quartz tables whose contents must not be read (tampered), by logical name, with the reason. */
  private blocked = new Map<string, string>();
  /** Tamper found while discovering: relations that are not tables, retyped columns. */
  private discoveryTamper: TamperObject[] = [];
  private savepoint = 0;
  /** Superuser or BYPASSRLS: tables with row-level security can be read without running policies. */
  private bypassRls = false;

  constructor(private readonly options: ConnectOptions) {
    this.parsed = parsePostgresUrl(options.url);
    if (options.password !== undefined) {
      registerSecret(options.password);
      this.parsed.config.password = options.password;
    }
    this.schema = options.schema ?? 'public';
  }

  private clientConfig(ssl: pg.ClientConfig['ssl']): pg.ClientConfig {
    const o = this.options;
    // application_name, the startup options and the session SETs come from the connection layer.
    const config: pg.ClientConfig = {
      ...this.parsed.config,
      ssl,
      connectionTimeoutMillis: o.connectTimeoutMs,
    };
    if (config.password === undefined) {
      // Asked only when the server wants a password: ~/.pgpass (as libpq), else one clear error.
      config.password = async () => {
        const fromFile = await pgpassLookup(this.parsed.config);
        if (fromFile !== undefined) {
          registerSecret(fromFile);
          return fromFile;
        }
        throw new PasswordRequired(NEEDS_PASSWORD);
      };
    }
    return config;
  }

  async connect(): Promise<void> {
    const { sslmode, display } = this.parsed;
    const o = this.options;
    try {
      // libpq's prefer/allow fall back to a plain connection when the server does not offer TLS.
      this.session = await openPgSession(this.clientConfig(this.parsed.config.ssl), sslmode, {
        statementTimeoutMs: o.statementTimeoutMs,
        lockTimeoutMs: o.lockTimeoutMs,
        applicationName: 'qrtz-audit',
      });
      this.client = this.session.client;
      await this.harden();
      await this.discover();
    } catch (err) {
      await this.close();
      throw mapPgError(err, display);
    }
  }

  /**
   * The connection layer pinned the session (startup options, and SETs in the pool's afterCreate,
   * as a pooler may drop startup options) and opened the one read-only REPEATABLE READ transaction
   * every later read runs in: once a query has run in it, no function can make it read-write. This
   * asserts the settings took.
   */
  private async harden(): Promise<void> {
    const [g] = await this.query('session-guard');
    if (
      g?.search_path !== 'pg_catalog, pg_temp' ||
      g.row_security !== 'off' ||
      g.read_only !== 'on' ||
      g.isolation !== 'repeatable read'
    ) {
      throw new UserError('connection', 'the server did not accept the read-only, pinned session settings');
    }
    this.bypassRls = g.bypass_rls === true;
  }

  private async query(name: string, params: unknown[] = [], subs: Record<string, string> = {}): Promise<Row[]> {
    if (!this.client) throw new Error('not connected');
    const res = await this.client.query(loadQuery('postgres', name, subs), params);
    return res.rows as Row[];
  }

  /** Runs fn inside a savepoint, so a failed statement does not abort the read-only transaction. */
  private async inSavepoint<T>(fn: () => Promise<T>): Promise<T> {
    const c = this.client;
    if (!c) throw new Error('not connected');
    const name = `qa_${++this.savepoint}`;
    await c.query(`SAVEPOINT ${name}`);
    try {
      const out = await fn();
      await c.query(`RELEASE SAVEPOINT ${name}`);
      return out;
    } catch (err) {
      if (!isFatal(err)) await c.query(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => {});
      throw err;
    }
  }

  private async discover(): Promise<void> {
    const prefix = this.options.tablePrefix;
    const expected = expectedTables(prefix);
    const rows = await this.query('discover-tables', [this.schema, expected.map((t) => t.lower)]);
    this.tables = [];
    this.blocked.clear();
    this.discoveryTamper = [];
    for (const r of rows) {
      const logical = logicalName(prefix, String(r.name));
      if (!logical) continue;
      const relkind = String(r.relkind);
      if (relkind !== 'r' && relkind !== 'p') {
        this.discoveryTamper.push({
          kind: 'not-a-table',
          name: `${r.schema}.${r.name}`,
          owner: String(r.owner),
          table: String(r.name),
          detail: `${relkindName(relkind)} owned by ${r.owner} in place of the Quartz table ${logical}: not read`,
        });
        continue;
      }
      const t: PgTable = {
        logical,
        name: String(r.name),
        schema: String(r.schema),
        owner: String(r.owner),
        oid: String(r.oid),
        accessMethod: (r.access_method as string | null) ?? null,
      };
      this.tables.push(t);
      if (r.row_security === true && !this.bypassRls) {
        // With row_security off, reading it would fail; with it on, it would run policy code as the auditor.
        this.blocked.set(logical, `${t.name} has row-level security enabled and this login does not bypass it`);
      }
      if (r.odd_descendants) {
        this.discoveryTamper.push({
          kind: 'not-a-table',
          name: `${t.schema}.${t.name}`,
          owner: t.owner,
          table: t.name,
          detail: `reading it would read from ${r.odd_descendants}: not read`,
        });
        this.blocked.set(logical, `${t.name} has partitions or children that are not tables`);
      }
    }
    if (this.tables.length) {
      const byOid = new Map(this.tables.map((t) => [t.oid, t]));
      for (const c of await this.query('column-types', [this.tables.map((t) => t.oid)])) {
        const t = byOid.get(String(c.oid));
        if (!t) continue;
        this.discoveryTamper.push({
          kind: 'column-type',
          name: `${t.schema}.${t.name}.${c.column_name}`,
          owner: String(c.type_owner),
          table: t.name,
          detail: `column ${c.column_name} has type ${c.type_schema}.${c.type_name} (${typeKindName(String(c.type_kind))}, owned by ${c.type_owner}), not a built-in type: table not read`,
        });
        this.blocked.set(t.logical, `${t.name} has a column of a non-built-in type`);
      }
    }
    if (this.tables.length === 0 && this.discoveryTamper.length === 0) {
      const candidates = await this.query('discover-candidates');
      throw noTablesError(
        `schema ${this.schema}`,
        prefix,
        candidates.map((c) => ({ schema: String(c.schema), prefix: String(c.prefix) })),
      );
    }
  }

  /** Reads the catalog into facts in named steps (facts.ts), each a guarded read. */
  collectFacts(): Promise<Facts> {
    if (!this.client) throw new Error('not connected');
    return collectPgFacts({
      options: this.options,
      schema: this.schema,
      host: String(this.parsed.config.host),
      display: this.parsed.display,
      tables: this.tables,
      blocked: this.blocked,
      discoveryTamper: this.discoveryTamper,
      client: this.client,
      query: (name, params, subs) => this.query(name, params, subs),
      inSavepoint: (fn) => this.inSavepoint(fn),
    });
  }

  blobRows(onUnreadable?: (u: Unreadable) => void): AsyncIterable<BlobRow> {
    if (!this.client) throw new Error('not connected');
    return streamPgBlobs(
      {
        client: this.client,
        tables: this.tables,
        blocked: this.blocked,
        maxBlobSize: this.options.maxBlobSize,
        display: this.parsed.display,
        nextSavepoint: () => ++this.savepoint,
      },
      onUnreadable,
    );
  }

  async countBlobRows(): Promise<number | undefined> {
    if (!this.client) return undefined;
    let total = 0;
    for (const src of BLOB_SOURCES) {
      const t = this.tables.find((x) => x.logical === src.table);
      // A tampered table is not read (blobRows skips it): not counted either.
      if (!t || this.blocked.has(t.logical)) continue;
      try {
        const rows = await this.inSavepoint(() =>
          this.query('blob-count', [], { TABLE: `${quoteIdent(t.schema)}.${quoteIdent(t.name)}` }),
        );
        total += Number(rows[0]?.n ?? 0);
      } catch (err) {
        if (isFatal(err)) throw mapPgError(err, this.parsed.display);
        return undefined; // no privilege, a lock or statement timeout: the bar goes without a total
      }
    }
    return total;
  }

  async close(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    this.client = undefined;
    // Rolls the transaction back (nothing is ever committed) and closes the pool.
    await s?.close();
  }
}

function typeKindName(k: string): string {
  return (
    { b: 'base type', c: 'composite type', d: 'domain', e: 'enum', p: 'pseudo-type', r: 'range', m: 'multirange' }[k] ??
    k
  );
}

export function createPostgresAdapter(options: ConnectOptions): Adapter {
  return new PostgresAdapter(options);
}
