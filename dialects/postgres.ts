/**
 * PostgreSQL adapter: connects read-only, runs queries/postgres/*.sql, and turns catalog rows into
 * normalized facts plus a stream of blob rows. It knows SQL; it never judges.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import pg from 'pg';
import { BLOB_SOURCES, buildBlobRow, upperKeys } from '../src/blob-sources.js';
import { serviceAccountCapabilities } from '../src/capabilities.js';
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
  PostgresFacts,
  Principal,
  QuartzTable,
  TamperObject,
  Unreadable,
} from '../src/model.js';
import { readsTableContents } from '../src/model.js';
import { loadQuery } from '../src/queries.js';
import { findRole } from '../src/role-graph.js';
import { addContentFacts } from '../src/scheduler-facts.js';
import { registerSecret } from '../src/secrets/redact.js';
import { chooseServiceAccount } from '../src/service-account.js';

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
  if (params.has('service') || env.PGSERVICE) {
    throw new UserError(
      'url',
      'connection services (?service= / PGSERVICE, pg_service.conf) are not supported yet: give host, port, user and database in the URL',
    );
  }
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
  const readPem = (what: string, file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (err) {
      const why = (err as { code?: string }).code ?? 'unreadable';
      throw new UserError('url', `cannot read ${what} ${JSON.stringify(file)} (${why})`);
    }
  };
  // Client certificate (libpq's sslcert/sslkey, PGSSLCERT/PGSSLKEY): node-pg's ssl.cert/ssl.key.
  const certFile = params.get('sslcert') || env.PGSSLCERT;
  const keyFile = params.get('sslkey') || env.PGSSLKEY;
  if (Boolean(certFile) !== Boolean(keyFile)) {
    throw new UserError('url', 'sslcert and sslkey (or PGSSLCERT and PGSSLKEY) must be given together');
  }
  const clientCert: import('node:tls').ConnectionOptions = {};
  if (certFile && keyFile) {
    clientCert.cert = readPem('sslcert', certFile);
    clientCert.key = readPem('sslkey', keyFile);
  }
  if (sslmode === 'verify-ca' || sslmode === 'verify-full') {
    const rootcert = params.get('sslrootcert') || env.PGSSLROOTCERT;
    const ssl: import('node:tls').ConnectionOptions = { rejectUnauthorized: true, ...clientCert };
    if (rootcert) ssl.ca = readPem('sslrootcert', rootcert);
    if (sslmode === 'verify-ca') ssl.checkServerIdentity = () => undefined;
    config.ssl = ssl;
  } else if (sslmode === 'require' || sslmode === 'prefer' || sslmode === 'allow') {
    config.ssl = { rejectUnauthorized: false, ...clientCert };
  } else {
    if (certFile) throw new UserError('url', 'sslcert/sslkey need TLS: sslmode=disable turns it off');
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
  // The server asked for a password and none was given (node-pg's own words are not for users).
  if (code === 'QRTZ_NEEDS_PASSWORD' || /SCRAM-SERVER-FIRST-MESSAGE: client password must be a string/i.test(msg)) {
    return new UserError('auth', `${NEEDS_PASSWORD} for ${display}`, { cause: err });
  }
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

/** What the server gets at startup: the session is hardened before the first query runs. */
export function sessionOptions(o: Pick<ConnectOptions, 'statementTimeoutMs' | 'lockTimeoutMs'>): string {
  return [
    // Only built-ins resolve: no function, operator or type of the audited database wins a lookup.
    'search_path=pg_catalog,pg_temp',
    // A table with row-level security then errors instead of running policy code as the auditor.
    'row_security=off',
    'default_transaction_read_only=on',
    `statement_timeout=${o.statementTimeoutMs}`,
    `lock_timeout=${o.lockTimeoutMs}`,
    // The catalog read and the blob cursor share one transaction: leave room for slow consumers.
    `idle_in_transaction_session_timeout=${Math.max(300_000, o.statementTimeoutMs * 4)}`,
  ]
    .map((kv) => `-c ${kv}`)
    .join(' ');
}

/** Rows of a batch travel together when each weighs at most this; heavier rows are fetched alone. */
export const BATCH_ROWS = 256;
export const BATCH_BYTES = 16 * 1024 * 1024;
export const INLINE_ROW_BYTES = Math.floor(BATCH_BYTES / BATCH_ROWS);
/** Slice of a heavy blob per round trip (its hex text is twice that in the client, briefly). 8 MiB
 *  measured faster than 32 MiB and with a lower peak (60 rows of 16 MiB: 302 MB vs 347 MB RSS). */
export const CHUNK_BYTES = 8 * 1024 * 1024;

const NEEDS_PASSWORD = 'the server requires a password (PGPASSWORD, --password-stdin or the URL)';

/** Raised by the password callback when the server asks for a password and none was given. */
class PasswordRequired extends Error {
  readonly code = 'QRTZ_NEEDS_PASSWORD';
}

type Cause = NonNullable<Unreadable['cause']>;

/** Why a statement failed, for Unreadable.cause. */
export function causeOf(err: unknown): Cause {
  const e = err as { code?: string; message?: string };
  const msg = String(e?.message ?? err);
  if (e?.code === '55P03' || /lock timeout/i.test(msg)) return 'lock-timeout';
  if (e?.code === '57014' || /statement timeout/i.test(msg)) return 'statement-timeout';
  if (/row-level security/i.test(msg)) return 'tamper';
  if (e?.code === '42501' || /permission denied/i.test(msg)) return 'privilege';
  return 'other';
}

/** Errors after which the session cannot go on: connection lost, server shutting down, bugs. */
function isFatal(err: unknown): boolean {
  const code = (err as { code?: string })?.code ?? '';
  if (!/^[0-9A-Z]{5}$/.test(code)) return true;
  return /^(08|57P|XX|58)/.test(code);
}

interface PgTable extends QuartzTable {
  oid: string;
  accessMethod: string | null;
}

export class PostgresAdapter implements Adapter {
  readonly dialect = 'postgres' as const;
  private client: pg.Client | undefined;
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
    const config: pg.ClientConfig = {
      ...this.parsed.config,
      ssl,
      application_name: 'qrtz-audit',
      connectionTimeoutMillis: o.connectTimeoutMs,
      options: sessionOptions(o),
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
    const tryConnect = async (ssl: pg.ClientConfig['ssl']) => {
      const client = new pg.Client(this.clientConfig(ssl));
      client.on('error', () => {});
      try {
        await client.connect();
      } catch (err) {
        // A half-open login (e.g. the server waits for a password) must not keep the process alive.
        await endClient(client);
        throw err;
      }
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
      await this.harden();
      await this.discover();
    } catch (err) {
      await this.close();
      throw mapPgError(err, display);
    }
  }

  /**
   * Pins the session (also given as startup options, which a pooler may drop) and opens the one
   * read-only REPEATABLE READ transaction every later read runs in: once a query has run in it, no
   * function can make it read-write. Then asserts the settings took.
   */
  private async harden(): Promise<void> {
    const c = this.client as pg.Client;
    await c.query('SET search_path = pg_catalog, pg_temp');
    await c.query('SET row_security = off');
    await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
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
    const pgExtra: PostgresFacts = {
      auditor: (caps ?? {}) as PostgresFacts['auditor'],
      tableAccessMethods: Object.fromEntries(this.tables.map((t) => [t.name, t.accessMethod ?? undefined])),
    };
    facts.postgres = pgExtra;

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
        pgExtra.schemaOwner = rows[0]?.owner == null ? null : String(rows[0].owner);
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
        const owner = (await this.query('database-owner'))[0]?.owner;
        pgExtra.databaseOwner = owner == null ? null : String(owner);
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
    if (readsTableContents(fams)) {
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
    const capabilities = serviceAccountCapabilities(facts);
    if (capabilities) facts.capabilities = capabilities;
    return facts;
  }

  async *blobRows(onUnreadable?: (u: Unreadable) => void): AsyncIterable<BlobRow> {
    if (!this.client) throw new Error('not connected');
    const client = this.client;
    const max = this.options.maxBlobSize;
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
      const what = `blobs.${src.table}`;
      const blockedWhy = this.blocked.get(t.logical);
      if (blockedWhy) {
        // collectFacts already recorded it (tables.<LOGICAL>); say it again for this stream.
        onUnreadable?.({ what, reason: `${blockedWhy}: not read`, table: t.name, cause: 'tamper' });
        continue;
      }
      const column = src.column ? quoteIdent(src.column) : 'NULL::pg_catalog.bytea';
      const weightParts = [src.column ? quoteIdent(src.column) : null, ...src.extra.map(quoteIdent)].filter(
        (x): x is string => x !== null,
      );
      const weight = weightParts.length
        ? `(${weightParts
            .map((c) => `COALESCE(pg_catalog.octet_length(${c})::pg_catalog.int8, 0)`)
            .join(' OPERATOR(pg_catalog.+) ')})`
        : '0::pg_catalog.int8';
      const light = `${weight} OPERATOR(pg_catalog.<=) $2::pg_catalog.int8`;
      const table = `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
      const sql = loadQuery('postgres', 'blobs', {
        TABLE: table,
        COLUMN: column,
        GROUP: src.group ? `${quoteIdent(src.group)}::pg_catalog.text` : 'NULL::pg_catalog.text',
        NAME: quoteIdent(src.name),
        WEIGHT: weight,
        EXTRA: src.extra.length
          ? src.extra
              .map((c) => `CASE WHEN ${light} THEN ${quoteIdent(c)}::pg_catalog.text END AS ${quoteIdent(c)}`)
              .join(', ')
          : 'NULL::pg_catalog.text AS no_extra',
      });
      const rowSql = loadQuery('postgres', 'blob-row', {
        TABLE: table,
        EXTRA: src.extra.length
          ? src.extra
              .map(
                (c) =>
                  `pg_catalog.left(${quoteIdent(c)}::pg_catalog.text, LEAST($1::pg_catalog.int8, 16777216)::pg_catalog.int4) AS ${quoteIdent(c)}`,
              )
              .join(', ')
          : 'NULL::pg_catalog.text AS no_extra',
      });
      const chunkSql = loadQuery('postgres', 'blob-chunk', { TABLE: table, COLUMN: column });
      const sp = `qa_blobs_${++this.savepoint}`;
      let open = false;
      try {
        await client.query(`SAVEPOINT ${sp}`);
        await client.query(`DECLARE qrtz_blobs NO SCROLL CURSOR FOR ${sql}`, [max, INLINE_ROW_BYTES]);
        open = true;
        for (;;) {
          // Each FETCH is its own statement: the statement timeout bounds one batch, not the stream.
          const res = await client.query(`FETCH FORWARD ${BATCH_ROWS} FROM qrtz_blobs`);
          for (const raw of res.rows as Row[]) {
            let data = (raw.data as Buffer | null) ?? null;
            let texts: Row = raw;
            if (Number(raw.weight) > INLINE_ROW_BYTES) {
              // A heavy row comes alone, its bytes slice by slice (never one hex string twice their size).
              const at = [String(raw.rel), String(raw.tid)];
              texts = src.extra.length ? (((await client.query(rowSql, [max, ...at])).rows[0] as Row) ?? {}) : {};
              const want = Math.min(raw.size === null ? 0 : Number(raw.size), max);
              if (src.column && raw.size !== null) {
                data = Buffer.allocUnsafe(want);
                let got = 0;
                while (got < want) {
                  const len = Math.min(CHUNK_BYTES, want - got);
                  const part = (await client.query(chunkSql, [got + 1, len, ...at])).rows[0]?.data as
                    | Buffer
                    | undefined;
                  if (!part?.length) break;
                  part.copy(data, got);
                  got += part.length;
                }
                if (got < want) data = data.subarray(0, got);
              }
            }
            yield buildBlobRow(upper, t.name, {
              sched: raw.sched,
              group: raw.grp,
              name: raw.name,
              bytes: src.column ? data : null,
              size: raw.size,
              texts: upperKeys(texts),
            });
          }
          if (res.rows.length < BATCH_ROWS) break;
        }
        await client.query('CLOSE qrtz_blobs');
        open = false;
        await client.query(`RELEASE SAVEPOINT ${sp}`);
      } catch (err) {
        if (isFatal(err)) throw mapPgError(err, this.parsed.display);
        open = false;
        await client.query(`ROLLBACK TO SAVEPOINT ${sp}`).catch(() => {});
        const u: Unreadable = {
          what,
          reason: String((err as Error)?.message ?? err),
          table: t.name,
          cause: causeOf(err),
          needs: `SELECT on ${t.name}`,
        };
        if (!onUnreadable) throw mapPgError(err, this.parsed.display);
        onUnreadable(u);
      } finally {
        // The consumer stopped early: leave the transaction clean for the next reader.
        if (open) {
          await client.query('CLOSE qrtz_blobs').catch(() => {});
          await client.query(`RELEASE SAVEPOINT ${sp}`).catch(() => {});
        }
      }
    }
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    if (c) {
      await c.query('ROLLBACK').catch(() => {});
      await endClient(c);
    }
  }
}

/** Ends a client, even one whose login never finished; never waits more than a moment. */
async function endClient(client: pg.Client): Promise<void> {
  const stream = (client as unknown as { connection?: { stream?: { destroy?: () => void } } }).connection?.stream;
  await Promise.race([client.end().catch(() => {}), new Promise((r) => setTimeout(r, 2000).unref())]);
  stream?.destroy?.();
}

/** ~/.pgpass (or PGPASSFILE), as libpq reads it; undefined when absent or unreadable. */
async function pgpassLookup(config: pg.ClientConfig): Promise<string | undefined> {
  try {
    const lookup = createRequire(import.meta.url)('pgpass') as (c: object, cb: (p: string | undefined) => void) => void;
    return await new Promise((resolve) =>
      lookup({ host: config.host, port: config.port, user: config.user, database: config.database }, (p) => resolve(p)),
    );
  } catch {
    return undefined;
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
  // Breadth-first over memberships whose privileges are inherited (src/role-graph.ts).
  const hit = findRole(facts.memberships, principal, (r) => holders.has(r) || supers.has(r), { inheritOnly: true });
  if (hit) {
    if (supers.has(hit.role)) return [...hit.path, '(superuser)'];
    const tag = holders.get(hit.role);
    return tag ? [...hit.path, tag] : hit.path;
  }
  if (holders.has('PUBLIC')) return ['PUBLIC'];
  return ['(unexplained)'];
}

export function createPostgresAdapter(options: ConnectOptions): Adapter {
  return new PostgresAdapter(options);
}
