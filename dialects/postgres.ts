/**
 * PostgreSQL adapter: connects read-only, runs queries/postgres/*.sql, and turns catalog rows into
 * normalized facts plus a stream of blob rows. It knows SQL; it never judges.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import QueryStream from 'pg-query-stream';
import { BLOB_SOURCES } from '../src/blob-sources.js';
import type { Adapter, ConnectOptions } from '../src/dialect.js';
import { expectedTables, logicalName, noTablesError } from '../src/discovery.js';
import { UserError } from '../src/errors.js';
import { emptyFacts } from '../src/facts.js';
import type {
  BlobRow,
  EffectivePrivilege,
  Facts,
  Grant,
  Membership,
  Principal,
  QuartzTable,
  TamperObject,
} from '../src/model.js';
import { loadQuery } from '../src/queries.js';
import { addContentFacts } from '../src/scheduler-facts.js';
import { registerSecret } from '../src/secrets/redact.js';

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

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Parses a postgres:// URL (plus the standard PG* environment variables) into a pg client config. */
export function parsePostgresUrl(
  url: string,
  env: NodeJS.ProcessEnv = process.env,
): { config: pg.ClientConfig; sslmode: string; display: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserError('url', 'malformed connection URL (expected postgres://user@host:port/database)');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new UserError('url', `not a PostgreSQL URL: scheme ${u.protocol.replace(/:$/, '')}`);
  }
  const dec = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new UserError('url', 'malformed connection URL (bad percent-encoding)');
    }
  };
  const params = u.searchParams;
  const host = u.hostname ? dec(u.hostname).replace(/^\[|\]$/g, '') : params.get('host') || env.PGHOST || 'localhost';
  const port = u.port ? Number(u.port) : Number(params.get('port') || env.PGPORT || 5432);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new UserError('url', 'malformed port in URL');
  const user = u.username ? dec(u.username) : params.get('user') || env.PGUSER || env.USER || 'postgres';
  const password = u.password ? dec(u.password) : env.PGPASSWORD;
  const pathDb = u.pathname.replace(/^\//, '');
  const database = pathDb ? dec(pathDb) : params.get('dbname') || env.PGDATABASE || user;
  const sslmode = (params.get('sslmode') || env.PGSSLMODE || 'prefer').toLowerCase();
  if (!['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'].includes(sslmode)) {
    throw new UserError('url', `unknown sslmode ${sslmode}`);
  }
  registerSecret(password);
  const config: pg.ClientConfig = { host, port, user, database };
  if (password !== undefined) config.password = password;
  if (sslmode === 'verify-ca' || sslmode === 'verify-full') {
    const rootcert = params.get('sslrootcert') || env.PGSSLROOTCERT;
    const ssl: import('node:tls').ConnectionOptions = { rejectUnauthorized: true };
    if (rootcert) ssl.ca = readFileSync(rootcert, 'utf8');
    if (sslmode === 'verify-ca') ssl.checkServerIdentity = () => undefined;
    config.ssl = ssl;
  } else if (sslmode === 'require' || sslmode === 'prefer' || sslmode === 'allow') {
    config.ssl = { rejectUnauthorized: false };
  } else {
    config.ssl = false;
  }
  const display = `postgres://${user}@${host}:${port}/${database}`;
  return { config, sslmode, display };
}

/** Maps a pg/network error to one clear line (never containing the password). */
export function mapPgError(err: unknown, display: string): UserError {
  const e = err as { code?: string; message?: string };
  const code = e?.code ?? '';
  const msg = String(e?.message ?? err);
  if (err instanceof UserError) return err;
  switch (code) {
    case 'ECONNREFUSED':
      return new UserError('connection', `connection refused by ${display.replace(/\/[^/]*$/, '')}`, { cause: err });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new UserError('connection', `unknown host in ${display}`, { cause: err });
    case 'ETIMEDOUT':
      return new UserError('timeout', `connection to ${display} timed out`, { cause: err });
    case '28P01':
      return new UserError('auth', `password authentication failed for ${display}`, { cause: err });
    case '28000':
      return new UserError('auth', `authentication rejected for ${display}: ${msg}`, { cause: err });
    case '3D000':
      return new UserError('database', `database does not exist: ${display}`, { cause: err });
    case '42501':
      return new UserError('privilege', `permission denied: ${msg}`, { cause: err });
    case '57014':
      return new UserError('timeout', `statement timeout: ${msg} (raise --statement-timeout)`, { cause: err });
    case '55P03':
      return new UserError('timeout', `lock timeout: ${msg} (raise --lock-timeout)`, { cause: err });
  }
  if (/timeout/i.test(msg)) return new UserError('timeout', `connection to ${display} timed out`, { cause: err });
  return new UserError('connection', `cannot use ${display}: ${msg}`, { cause: err });
}

export class PostgresAdapter implements Adapter {
  readonly dialect = 'postgres' as const;
  private client: pg.Client | undefined;
  private readonly parsed: ReturnType<typeof parsePostgresUrl>;
  private readonly schema: string;
  private tables: (QuartzTable & { oid: string; accessMethod: string | null })[] = [];

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
    return {
      ...this.parsed.config,
      ssl,
      application_name: 'qrtz-audit',
      connectionTimeoutMillis: o.connectTimeoutMs,
      // Every transaction of this session is read-only; timeouts keep the audit from waiting on locks.
      options: `-c default_transaction_read_only=on -c statement_timeout=${o.statementTimeoutMs} -c lock_timeout=${o.lockTimeoutMs} -c idle_in_transaction_session_timeout=60000`,
    };
  }

  async connect(): Promise<void> {
    const { sslmode, display } = this.parsed;
    const tryConnect = async (ssl: pg.ClientConfig['ssl']) => {
      const client = new pg.Client(this.clientConfig(ssl));
      client.on('error', () => {});
      await client.connect();
      return client;
    };
    try {
      try {
        this.client = await tryConnect(this.parsed.config.ssl);
      } catch (err) {
        // libpq's prefer/allow: fall back to a plain connection when the server does not offer TLS.
        const noSsl = /does not support SSL/i.test(String((err as Error)?.message));
        if ((sslmode === 'prefer' || sslmode === 'allow') && noSsl) this.client = await tryConnect(false);
        else throw err;
      }
      await this.discover();
    } catch (err) {
      await this.close();
      throw mapPgError(err, display);
    }
  }

  private async query(name: string, params: unknown[] = [], subs: Record<string, string> = {}): Promise<Row[]> {
    if (!this.client) throw new Error('not connected');
    const res = await this.client.query(loadQuery('postgres', name, subs), params);
    return res.rows as Row[];
  }

  private async discover(): Promise<void> {
    const prefix = this.options.tablePrefix;
    const expected = expectedTables(prefix);
    const rows = await this.query('discover-tables', [this.schema, expected.map((t) => t.lower)]);
    this.tables = [];
    for (const r of rows) {
      const logical = logicalName(prefix, String(r.name));
      if (!logical) continue;
      this.tables.push({
        logical,
        name: String(r.name),
        schema: String(r.schema),
        owner: String(r.owner),
        oid: String(r.oid),
        accessMethod: (r.access_method as string | null) ?? null,
      });
    }
    if (this.tables.length === 0) {
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
    const serviceAccount = o.serviceAccount ?? connectedAs;
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
    const present = new Set(this.tables.map((t) => t.logical));
    facts.missingTables = expectedTables(o.tablePrefix)
      .map((t) => t.logical)
      .filter((l) => !present.has(l));
    facts.session = {
      tls: session.ssl === null || session.ssl === undefined ? null : Boolean(session.ssl),
      viaSocket: session.client_addr === null,
      ...(session.tls_version ? { tlsVersion: String(session.tls_version) } : {}),
      ...(session.tls_cipher ? { cipher: String(session.tls_cipher) } : {}),
    };
    const oids = this.tables.map((t) => t.oid);
    const byOid = new Map(this.tables.map((t) => [t.oid, t]));
    const fams = o.families;

    // Guarded reads: a query that fails becomes an Unreadable fact, never a silent empty answer.
    const guarded = async (what: string, fn: () => Promise<void>, needs?: string) => {
      try {
        await fn();
      } catch (err) {
        const e = err as { code?: string; message?: string };
        if (e?.code === '57014' || e?.code === '55P03') throw mapPgError(err, this.parsed.display);
        facts.unreadable.push({ what, reason: String(e?.message ?? err), ...(needs ? { needs } : {}) });
      }
    };

    const [caps] = await this.query('capabilities');
    const pgExtra: Record<string, unknown> = {
      capabilities: caps ?? {},
      tableAccessMethods: Object.fromEntries(this.tables.map((t) => [t.name, t.accessMethod])),
    };
    facts.extra.postgres = pgExtra;

    await guarded('pg_roles', async () => {
      const roles = await this.query('roles');
      facts.principals = roles.map(toPrincipal);
      facts.principals.push({ name: 'PUBLIC', kind: 'public', canLogin: false, attributes: [] });
      pgExtra.roleConnLimits = Object.fromEntries(roles.map((r) => [String(r.name), Number(r.connlimit)]));
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
        facts.tamper = (await this.query('tamper', [oids])).map(
          (r): TamperObject => ({
            kind: r.kind as TamperObject['kind'],
            name: String(r.name),
            ...(r.table_name ? { table: String(r.table_name) } : {}),
            detail: String(r.detail),
          }),
        );
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
          facts.tamper.push({
            kind: 'shadow-object',
            name: `${s.schema}.${s.name}`,
            table: String(s.name),
            detail: `${relkindName(String(s.relkind))} owned by ${s.owner} in schema ${s.schema}, searched before ${this.schema} in the service account's search_path (${path.join(', ')})`,
          });
        }
      });
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
          });
        }
      }
    });
    await guarded('pg_extension', async () => {
      facts.extensions = (await this.query('extensions')).map((r) => String(r.name));
    });
    if (fams.has('blobs')) {
      // Scheduler state (health checks) and the schema columns (version inference) are table contents.
      const run = async (sql: string, params: unknown[]) => {
        if (!this.client) throw new Error('not connected');
        return (await this.client.query(sql, params)).rows as Row[];
      };
      const quote = (t: QuartzTable) => `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
      await addContentFacts(facts, run, { dialect: 'postgres', quote }, guarded);
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

  async *blobRows(): AsyncIterable<BlobRow> {
    if (!this.client) throw new Error('not connected');
    for (const upper of BLOB_SOURCES) {
      // Quartz.NET's and Java Quartz's PostgreSQL scripts create unquoted, so lower-case, columns.
      const src = {
        ...upper,
        column: upper.column.toLowerCase(),
        group: upper.group?.toLowerCase() ?? null,
        name: upper.name.toLowerCase(),
        extra: upper.extra.map((c) => c.toLowerCase()),
      };
      const t = this.tables.find((x) => x.logical === src.table);
      if (!t) continue;
      const sql = loadQuery('postgres', 'blobs', {
        TABLE: `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`,
        COLUMN: src.column ? quoteIdent(src.column) : 'NULL::bytea',
        GROUP: src.group ? `${quoteIdent(src.group)}::text` : 'NULL::text',
        NAME: quoteIdent(src.name),
        EXTRA: src.extra.length
          ? src.extra.map((c) => `${quoteIdent(c)}::text AS ${quoteIdent(c)}`).join(', ')
          : 'NULL::text AS no_extra',
      });
      const stream = this.client.query(new QueryStream(sql, [this.options.maxBlobSize], { batchSize: 100 }));
      try {
        for await (const raw of stream as AsyncIterable<Row>) {
          const row: BlobRow = {
            table: src.table,
            tableName: t.name,
            column: src.column.toUpperCase(),
            key: {
              sched: String(raw.sched),
              ...(raw.grp !== null ? { group: String(raw.grp) } : {}),
              name: String(raw.name),
            },
            bytes: (raw.data as Buffer | null) ?? null,
            size: raw.size === null ? 0 : Number(raw.size),
          };
          if ('job_class_name' in raw) row.jobClassName = String(raw.job_class_name);
          if ('description' in raw) row.description = (raw.description as string | null) ?? null;
          if (src.table === 'SIMPROP_TRIGGERS') {
            row.column = 'STR_PROP';
            row.textColumns = Object.fromEntries(
              src.extra.map((c) => [c.toUpperCase(), (raw[c] as string | null) ?? null]),
            );
          }
          yield row;
        }
      } catch (err) {
        throw mapPgError(err, this.parsed.display);
      }
    }
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    if (c) await c.end().catch(() => {});
  }
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
