/**
 * PostgreSQL adapter: connects read-only (connection.ts), discovers the Quartz tables, turns catalog
 * rows from queries/postgres/*.sql into normalized facts, and streams blob rows (blobs.ts). It knows
 * SQL; it never judges.
 */
import type pg from 'pg';
import { UserError } from '../../errors.js';
import { emptyFacts } from '../../facts.js';
import type {
  BlobRow,
  EffectivePrivilege,
  Facts,
  Grant,
  Membership,
  Principal,
  QuartzTable,
  TamperObject,
  Unreadable,
} from '../../model.js';
import { loadQuery } from '../../queries.js';
import { registerSecret } from '../../secrets/redact.js';
import { chooseServiceAccount } from '../../service-account.js';
import type { Adapter, AdapterCapabilities, ConnectOptions } from '../adapter.js';
import { expectedTables, logicalName, noTablesError } from '../shared/discovery.js';
import { addContentFacts } from '../shared/scheduler.js';
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

export {
  BATCH_BYTES,
  BATCH_ROWS,
  CHUNK_BYTES,
  causeOf,
  INLINE_ROW_BYTES,
  mapPgError,
  parsePostgresUrl,
  quoteIdent,
  sessionOptions,
};

type Row = Record<string, unknown>;

const SETTINGS = [
  'ssl',
  'ssl_min_protocol_version',
  'ssl_max_protocol_version',
  'password_encryption',
  'shared_preload_libraries',
  'log_statement',
  'log_min_duration_statement',
  'log_connections',
  'log_disconnections',
  'log_parameter_max_length',
  'logging_collector',
  'log_destination',
  'data_checksums',
];

/** Settings PostgreSQL hides from readers without pg_read_all_settings. */
const SUPERUSER_ONLY_SETTINGS = new Set(['shared_preload_libraries']);

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

  async collectFacts(): Promise<Facts> {
    const o = this.options;
    const [session] = await this.query('session');
    if (!session) throw new Error('session query returned no row');
    const versionNum = Number(session.server_version_num);
    const connectedAs = String(session.session_user);
    let serviceAccount = o.serviceAccount ?? connectedAs;
    const facts = emptyFacts('postgres', {
      server: { product: 'PostgreSQL', version: String(session.server_version), versionNum },
      target: {
        database: String(session.database),
        schema: this.schema,
        tablePrefix: o.tablePrefix,
        user: connectedAs,
        host: String(this.parsed.config.host),
      },
      serviceAccount,
      connectedAs,
      allowedPrincipals: [...o.allowPrincipals],
      tables: this.tables.map(({ logical, name, schema, owner }) => ({ logical, name, schema, owner })),
      attestations: { ...o.attestations },
    });
    facts.tamper = [...this.discoveryTamper];
    const present = new Set(this.tables.map((t) => t.logical));
    facts.missingTables = expectedTables(o.tablePrefix)
      .map((t) => t.logical)
      .filter((l) => !present.has(l));
    for (const t of this.tables) {
      const why = this.blocked.get(t.logical);
      if (why) facts.unreadable.push({ what: `tables.${t.logical}`, reason: why, table: t.name, cause: 'tamper' });
    }
    facts.session = {
      tls: session.ssl === null || session.ssl === undefined ? null : Boolean(session.ssl),
      viaSocket: session.client_addr === null,
      ...(session.tls_version ? { tlsVersion: String(session.tls_version) } : {}),
      ...(session.tls_cipher ? { cipher: String(session.tls_cipher) } : {}),
    };
    const oids = this.tables.map((t) => t.oid);
    const byOid = new Map(this.tables.map((t) => [t.oid, t]));
    const fams = o.families;

    // Guarded reads: a query that fails becomes an Unreadable fact (with its cause), never a silent
    // empty answer and never the end of the audit; only a lost session is.
    const guarded = async (what: string, fn: () => Promise<void>, needs?: string) => {
      try {
        await this.inSavepoint(fn);
      } catch (err) {
        if (isFatal(err)) throw mapPgError(err, this.parsed.display);
        const e = err as { message?: string };
        facts.unreadable.push({
          what,
          reason: String(e?.message ?? err),
          cause: causeOf(err),
          ...(needs ? { needs } : {}),
        });
      }
    };

    const [caps] = await this.query('capabilities');
    const pgExtra: Record<string, unknown> = {
      capabilities: caps ?? {},
      tableAccessMethods: Object.fromEntries(this.tables.map((t) => [t.name, t.accessMethod])),
    };
    facts.extra.postgres = pgExtra;

    let rolesRead = false;
    let effectiveRead = false;
    await guarded('pg_roles', async () => {
      const roles = await this.query('roles');
      facts.principals = roles.map(toPrincipal);
      facts.principals.push({ name: 'PUBLIC', kind: 'public', canLogin: false, attributes: [] });
      pgExtra.roleConnLimits = Object.fromEntries(roles.map((r) => [String(r.name), Number(r.connlimit)]));
      rolesRead = true;
    });
    await guarded('pg_auth_members', async () => {
      facts.memberships = (await this.query('memberships')).map(
        (r): Membership => ({
          member: String(r.member),
          role: String(r.role),
          admin: Boolean(r.admin),
          inherit: Boolean(r.inherit),
        }),
      );
    });

    if (fams.has('grants')) {
      await guarded('table-acl', async () => {
        for (const r of await this.query('table-acl', [oids])) {
          const t = byOid.get(String(r.oid));
          if (!t) continue;
          const col = r.column_name as string | null;
          facts.grants.push({
            grantee: r.grantee === '' ? 'PUBLIC' : String(r.grantee),
            privilege: String(r.privilege),
            objectKind: col ? 'column' : 'table',
            object: `${t.schema}.${t.name}${col ? `.${col}` : ''}`,
            quartzTable: t.logical,
            grantor: String(r.grantor),
            grantable: Boolean(r.grantable),
          });
        }
      });
      const privs = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'];
      if (versionNum >= 170000) privs.push('MAINTAIN');
      await guarded('effective-privileges', async () => {
        const rows = await this.query('effective-privileges', [oids, privs]);
        facts.effective = rows.flatMap((r): EffectivePrivilege[] => {
          const t = byOid.get(String(r.oid));
          if (!t) return [];
          const principal = r.principal === 'public' ? 'PUBLIC' : String(r.principal);
          return [
            {
              principal,
              table: t.logical,
              privilege: String(r.privilege),
              via: explainVia(facts, principal, t, String(r.privilege)),
            },
          ];
        });
        effectiveRead = true;
      });
      await guarded('schema-privileges', async () => {
        const rows = await this.query('schema-privileges', [this.schema]);
        pgExtra.schemaOwner = rows[0]?.owner ?? null;
        pgExtra.schemaCreate = rows
          .filter((r) => r.can_create)
          .map((r) => (r.principal === 'public' ? 'PUBLIC' : String(r.principal)));
        for (const r of await this.query('schema-acl', [this.schema])) {
          facts.grants.push({
            grantee: r.grantee === '' ? 'PUBLIC' : String(r.grantee),
            privilege: String(r.privilege),
            objectKind: 'schema',
            object: this.schema,
            grantor: String(r.grantor),
            grantable: Boolean(r.grantable),
          });
        }
      });
      await guarded('database-owner', async () => {
        pgExtra.databaseOwner = (await this.query('database-owner'))[0]?.owner ?? null;
      });

      // The service account: after principals and effective privileges, before what depends on it.
      const owners = [
        ...this.tables.map((t) => t.owner ?? ''),
        String(pgExtra.schemaOwner ?? ''),
        String(pgExtra.databaseOwner ?? ''),
      ].filter(Boolean);
      const choice = chooseServiceAccount({
        ...(o.serviceAccount !== undefined ? { explicit: o.serviceAccount } : {}),
        connectedAs,
        principals: facts.principals,
        effective: facts.effective,
        tables: this.tables.map((t) => t.logical),
        owners,
        complete: rolesRead && effectiveRead,
      });
      serviceAccount = choice.name;
      facts.serviceAccount = choice.name;
      facts.serviceAccountSource = choice.source;

      await guarded('pg_default_acl', async () => {
        facts.defaultPrivileges = (await this.query('default-privileges', [this.schema])).map((r) => ({
          owner: String(r.owner),
          schema: (r.schema as string | null) ?? null,
          objectType: objTypeName(String(r.objtype)),
          grantee: r.grantee === '' ? 'PUBLIC' : String(r.grantee),
          privilege: String(r.privilege),
        }));
      });
      await guarded('foreign-privileges', async () => {
        facts.foreignPrivileges = (await this.query('foreign-privileges', [serviceAccount, oids])).map(
          (r): Grant => ({
            grantee: serviceAccount,
            privilege: r.owner ? `OWNER${r.privileges ? `,${r.privileges}` : ''}` : String(r.privileges),
            objectKind: r.kind === 'function' ? 'function' : r.kind === 'sequence' ? 'sequence' : 'table',
            object: String(r.object),
            grantable: false,
          }),
        );
      });
      await guarded('tamper', async () => {
        const found: TamperObject[] = (await this.query('tamper', [oids])).map(
          (r): TamperObject => ({
            kind: r.kind as TamperObject['kind'],
            name: String(r.name),
            ...(r.owner ? { owner: String(r.owner) } : {}),
            ...(r.table_name ? { table: String(r.table_name) } : {}),
            detail: String(r.detail),
          }),
        );
        for (const r of await this.query('shadow-routines', [serviceAccount])) {
          found.push({
            kind: r.kind as TamperObject['kind'],
            name: String(r.name),
            owner: String(r.owner),
            detail: String(r.detail),
          });
        }
        const [sp] = await this.query('search-path', [serviceAccount]);
        const path = parseSearchPath(String(sp?.search_path ?? '"$user", public'), serviceAccount);
        pgExtra.searchPath = path;
        const idx = path.indexOf(this.schema);
        const earlier = new Set(idx < 0 ? path : path.slice(0, idx));
        const shadows = await this.query('shadow-objects', [
          expectedTables(o.tablePrefix).map((t) => t.lower),
          this.schema,
        ]);
        for (const s of shadows) {
          if (!earlier.has(String(s.schema))) continue;
          found.push({
            kind: 'shadow-object',
            name: `${s.schema}.${s.name}`,
            owner: String(s.owner),
            table: String(s.name),
            detail: `${relkindName(String(s.relkind))} owned by ${s.owner} in schema ${s.schema}, searched before ${this.schema} in the service account's search_path (${path.join(', ')})`,
          });
        }
        facts.tamper.push(...found);
      });
    } else if (o.serviceAccount !== undefined) {
      facts.serviceAccountSource = 'option';
    } else {
      facts.serviceAccountSource = 'connected-login';
    }

    await guarded('pg_settings', async () => {
      const rows = await this.query('settings', [SETTINGS]);
      for (const r of rows) facts.settings[String(r.name)] = r.setting === null ? null : String(r.setting);
      for (const name of SUPERUSER_ONLY_SETTINGS) {
        if (!(name in facts.settings)) {
          facts.settings[name] = null;
          facts.unreadable.push({
            what: `settings.${name}`,
            reason: `${name} is hidden from this login`,
            needs: 'pg_read_all_settings (or superuser)',
            cause: 'privilege',
          });
        }
      }
    });
    await guarded('pg_extension', async () => {
      facts.extensions = (await this.query('extensions')).map((r) => String(r.name));
    });
    if (fams.has('blobs')) {
      // Scheduler state (health checks) and the schema columns (version inference) are table
      // contents: read only from tables that passed the checks, each statement in its own savepoint.
      const run = async (sql: string, params: unknown[]) =>
        await this.inSavepoint(async () => {
          if (!this.client) throw new Error('not connected');
          return (await this.client.query(sql, params)).rows as Row[];
        });
      const quote = (t: QuartzTable) => `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
      const readable = facts.tables.filter((t) => !this.blocked.has(t.logical));
      const view: Facts = { ...facts, tables: readable };
      const before = facts.unreadable.length;
      await addContentFacts(view, run, { dialect: 'postgres', quote }, guarded);
      if (view.scheduler) facts.scheduler = view.scheduler;
      if (view.quartzSchemaColumns) facts.quartzSchemaColumns = view.quartzSchemaColumns;
      // The shared reader records reasons only: name the table and the cause where they show.
      for (const u of [...facts.unreadable.slice(before), ...(facts.scheduler?.unreadable ?? [])]) {
        // A table left out for tampering is not "missing": say why it was not read.
        const left = this.tables.find(
          (x) => this.blocked.has(x.logical) && u.reason === `table ${x.logical} is missing`,
        );
        if (left) {
          u.reason = `${this.blocked.get(left.logical)}: not read`;
          u.table = left.name;
          u.cause = 'tamper';
        }
        if (!u.cause && u.reason) u.cause = causeOf({ message: u.reason });
        if (!u.table && u.needs) {
          const t = this.tables.find((x) => u.needs === `SELECT on ${x.name}`);
          if (t) u.table = t.name;
        }
      }
    }
    if (facts.extensions.includes('pg_tde')) {
      facts.tableEncryption = this.tables.map((t) => ({
        table: `${t.schema}.${t.name}`,
        encrypted: t.accessMethod === null ? null : /^tde_/.test(t.accessMethod),
        detail: `access method ${t.accessMethod ?? 'unknown'}`,
      }));
    }
    return facts;
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

function toPrincipal(r: Row): Principal {
  const attributes = ['superuser', 'createrole', 'createdb', 'replication', 'bypassrls'].filter((a) => r[a] === true);
  if (r.inherit === false) attributes.push('noinherit');
  return { name: String(r.name), kind: r.canlogin ? 'user' : 'role', canLogin: Boolean(r.canlogin), attributes };
}

function objTypeName(t: string): string {
  return { r: 'table', S: 'sequence', f: 'function', T: 'type', n: 'schema' }[t] ?? t;
}

function relkindName(k: string): string {
  return { r: 'table', p: 'partitioned table', v: 'view', m: 'materialized view', f: 'foreign table' }[k] ?? k;
}

/** Splits a search_path value, resolving "$user" to the role name. */
export function parseSearchPath(value: string, role: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => (s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s.toLowerCase()))
    .map((s) => (s === '$user' ? role : s));
}

/**
 * Explains why a principal holds a privilege: the role chain it flows through. PostgreSQL already
 * decided that it holds it (has_table_privilege); this only names the path, for the report.
 */
export function explainVia(facts: Facts, principal: string, table: QuartzTable, privilege: string): string[] {
  const supers = new Set(facts.principals.filter((p) => p.attributes.includes('superuser')).map((p) => p.name));
  if (supers.has(principal)) return ['(superuser)'];
  const tableGrants = facts.grants.filter((g) => g.quartzTable === table.logical && g.privilege === privilege);
  const holders = new Map<string, string>();
  for (const g of tableGrants) holders.set(g.grantee, g.objectKind === 'column' ? '(column)' : '');
  if (table.owner) holders.set(table.owner, '(owner)');
  const allData = privilege === 'SELECT' ? 'pg_read_all_data' : 'pg_write_all_data';
  if (['SELECT', 'INSERT', 'UPDATE', 'DELETE'].includes(privilege)) holders.set(allData, '');
  // Breadth-first over memberships whose privileges are inherited.
  const queue: { role: string; path: string[] }[] = [{ role: principal, path: [] }];
  const seen = new Set<string>([principal]);
  while (queue.length) {
    const { role, path } = queue.shift() as { role: string; path: string[] };
    if (holders.has(role)) {
      const tag = holders.get(role);
      if (supers.has(role)) return [...path, '(superuser)'];
      return tag ? [...path, tag] : path;
    }
    if (supers.has(role)) return [...path, '(superuser)'];
    for (const m of facts.memberships) {
      if (m.member === role && m.inherit && !seen.has(m.role)) {
        seen.add(m.role);
        queue.push({ role: m.role, path: [...path, m.role] });
      }
    }
  }
  if (holders.has('PUBLIC')) return ['PUBLIC'];
  return ['(unexplained)'];
}

export function createPostgresAdapter(options: ConnectOptions): Adapter {
  return new PostgresAdapter(options);
}
