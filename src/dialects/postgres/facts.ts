/**
 * PostgreSQL facts collection, in named steps: the session and target, the auditor's own
 * capabilities, roles and memberships, grants and effective privileges on the Quartz tables, the
 * schema and database owners, the service account, default and foreign privileges, tamper
 * (triggers, rules, policies, shadowing routines and objects), settings, extensions, scheduler
 * contents, encryption. Every step but the first is a guarded read (src/dialects/shared/guarded.ts):
 * a failure becomes an Unreadable fact with its cause; only a lost session ends the collection.
 */
import { serviceAccountCapabilities } from '../../capabilities.js';
import { emptyFacts } from '../../facts.js';
import type {
  EffectivePrivilege,
  Facts,
  Grant,
  Membership,
  PostgresFacts,
  Principal,
  QuartzTable,
  TamperObject,
} from '../../model.js';
import { readsTableContents } from '../../model.js';
import { findRole, roleGraph } from '../../role-graph.js';
import { chooseServiceAccount } from '../../service-account.js';
import type { ConnectOptions } from '../adapter.js';
import { expectedTables } from '../shared/discovery.js';
import { type Guarded, guardedReads } from '../shared/guarded.js';
import { addContentFacts } from '../shared/scheduler.js';
import type { PgTable } from './blobs.js';
import { causeOf, isFatal, mapPgError, quoteIdent, type SqlClient } from './connection.js';

type Row = Record<string, unknown>;

/** What the collection needs from the adapter: its options, session and discovery. */
export interface PgFactsContext {
  options: ConnectOptions;
  schema: string;
  host: string;
  display: string;
  tables: readonly PgTable[];
  /** Tables not to be read (tampered), by logical name, with the reason. */
  blocked: ReadonlyMap<string, string>;
  discoveryTamper: readonly TamperObject[];
  client: SqlClient;
  query(name: string, params?: unknown[], subs?: Record<string, string>): Promise<Row[]>;
  inSavepoint<T>(fn: () => Promise<T>): Promise<T>;
}

/** Collects the facts of one PostgreSQL target. */
export function collectPgFacts(ctx: PgFactsContext): Promise<Facts> {
  return new PgFactsCollection(ctx).collect();
}

class PgFactsCollection {
  private facts!: Facts;
  private pg!: PostgresFacts;
  private guarded!: Guarded;
  private versionNum = 0;
  private connectedAs = '';
  private serviceAccount = '';
  private rolesRead = false;
  private effectiveRead = false;
  private readonly oids: string[];
  private readonly byOid: Map<string, PgTable>;

  constructor(private readonly ctx: PgFactsContext) {
    this.oids = ctx.tables.map((t) => t.oid);
    this.byOid = new Map(ctx.tables.map((t) => [t.oid, t]));
  }

  async collect(): Promise<Facts> {
    const o = this.ctx.options;
    await this.start();
    await this.auditorCapabilities();
    const guarded = this.guarded;
    await guarded('pg_roles', () => this.roles());
    await guarded('pg_auth_members', () => this.memberships());
    if (o.families.has('grants')) {
      await guarded('table-acl', () => this.tableAcl());
      await guarded('effective-privileges', () => this.effectivePrivileges());
      await guarded('schema-privileges', () => this.schemaPrivileges());
      await guarded('database-owner', () => this.databaseOwner());
      this.chooseAccount();
      await guarded('pg_default_acl', () => this.defaultPrivileges());
      await guarded('foreign-privileges', () => this.foreignPrivileges());
      await guarded('tamper', () => this.tamper());
    } else {
      this.facts.serviceAccountSource = o.serviceAccount !== undefined ? 'option' : 'connected-login';
    }
    await guarded('pg_settings', () => this.settings());
    await guarded('pg_extension', () => this.extensions());
    if (readsTableContents(o.families)) await this.contentFacts();
    this.tableEncryption();
    const capabilities = serviceAccountCapabilities(this.facts);
    if (capabilities) this.facts.capabilities = capabilities;
    return this.facts;
  }

  /** The session row, the empty facts with the target, discovery's tamper, missing and blocked tables, TLS. */
  private async start(): Promise<void> {
    const o = this.ctx.options;
    const [session] = await this.ctx.query('session');
    if (!session) throw new Error('session query returned no row');
    const versionNum = Number(session.server_version_num);
    const connectedAs = String(session.session_user);
    const serviceAccount = o.serviceAccount ?? connectedAs;
    const facts = emptyFacts('postgres', {
      server: { product: 'PostgreSQL', version: String(session.server_version), versionNum },
      target: {
        database: String(session.database),
        schema: this.ctx.schema,
        tablePrefix: o.tablePrefix,
        user: connectedAs,
        host: String(this.ctx.host),
      },
      serviceAccount,
      connectedAs,
      allowedPrincipals: [...o.allowPrincipals],
      tables: this.ctx.tables.map(({ logical, name, schema, owner }) => ({ logical, name, schema, owner })),
      attestations: { ...o.attestations },
    });
    facts.tamper = [...this.ctx.discoveryTamper];
    const present = new Set(this.ctx.tables.map((t) => t.logical));
    facts.missingTables = expectedTables(o.tablePrefix)
      .map((t) => t.logical)
      .filter((l) => !present.has(l));
    for (const t of this.ctx.tables) {
      const why = this.ctx.blocked.get(t.logical);
      if (why) facts.unreadable.push({ what: `tables.${t.logical}`, reason: why, table: t.name, cause: 'tamper' });
    }
    facts.session = {
      tls: session.ssl === null || session.ssl === undefined ? null : Boolean(session.ssl),
      viaSocket: session.client_addr === null,
      ...(session.tls_version ? { tlsVersion: String(session.tls_version) } : {}),
      ...(session.tls_cipher ? { cipher: String(session.tls_cipher) } : {}),
    };
    this.facts = facts;
    this.versionNum = versionNum;
    this.connectedAs = connectedAs;
    this.serviceAccount = serviceAccount;
    this.guarded = guardedReads(facts.unreadable, {
      isolate: (fn) => this.ctx.inSavepoint(fn),
      fatal: (err) => (isFatal(err) ? mapPgError(err, this.ctx.display) : undefined),
      cause: causeOf,
    });
  }

  /** What the auditor's login itself may read (pg_read_all_settings, …), and the tables' access methods. */
  private async auditorCapabilities(): Promise<void> {
    const [caps] = await this.ctx.query('capabilities');
    const pgExtra: PostgresFacts = {
      auditor: (caps ?? {}) as PostgresFacts['auditor'],
      tableAccessMethods: Object.fromEntries(this.ctx.tables.map((t) => [t.name, t.accessMethod ?? undefined])),
    };
    this.facts.postgres = pgExtra;
    this.pg = pgExtra;
  }

  /** Roles and their attributes (pg_roles), PUBLIC as a principal, connection limits. */
  private async roles(): Promise<void> {
    const facts = this.facts;
    const pgExtra = this.pg;
    const roles = await this.ctx.query('roles');
    facts.principals = roles.map(toPrincipal);
    facts.principals.push({ name: 'PUBLIC', kind: 'public', canLogin: false, attributes: [] });
    pgExtra.roleConnLimits = Object.fromEntries(roles.map((r) => [String(r.name), Number(r.connlimit)]));
    this.rolesRead = true;
  }

  /** Role memberships (pg_auth_members). */
  private async memberships(): Promise<void> {
    const facts = this.facts;
    facts.memberships = (await this.ctx.query('memberships')).map(
      (r): Membership => ({
        member: String(r.member),
        role: String(r.role),
        admin: Boolean(r.admin),
        inherit: Boolean(r.inherit),
      }),
    );
  }

  /** Table and column grants on the Quartz tables. */
  private async tableAcl(): Promise<void> {
    const facts = this.facts;
    const oids = this.oids;
    const byOid = this.byOid;
    for (const r of await this.ctx.query('table-acl', [oids])) {
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
  }

  /** Who can do what on each Quartz table, and through which role chain. */
  private async effectivePrivileges(): Promise<void> {
    const facts = this.facts;
    const oids = this.oids;
    const byOid = this.byOid;
    const versionNum = this.versionNum;
    const privs = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'];
    if (versionNum >= 170000) privs.push('MAINTAIN');
    const rows = await this.ctx.query('effective-privileges', [oids, privs]);
    const explain = viaExplainer(facts);
    facts.effective = rows.flatMap((r): EffectivePrivilege[] => {
      const t = byOid.get(String(r.oid));
      if (!t) return [];
      const principal = r.principal === 'public' ? 'PUBLIC' : String(r.principal);
      return [
        {
          principal,
          table: t.logical,
          privilege: String(r.privilege),
          via: explain(principal, t, String(r.privilege)),
        },
      ];
    });
    this.effectiveRead = true;
  }

  /** The Quartz schema: owner, who may create in it, its grants. */
  private async schemaPrivileges(): Promise<void> {
    const facts = this.facts;
    const pgExtra = this.pg;
    const rows = await this.ctx.query('schema-privileges', [this.ctx.schema]);
    pgExtra.schemaOwner = rows[0]?.owner == null ? null : String(rows[0].owner);
    pgExtra.schemaCreate = rows
      .filter((r) => r.can_create)
      .map((r) => (r.principal === 'public' ? 'PUBLIC' : String(r.principal)));
    for (const r of await this.ctx.query('schema-acl', [this.ctx.schema])) {
      facts.grants.push({
        grantee: r.grantee === '' ? 'PUBLIC' : String(r.grantee),
        privilege: String(r.privilege),
        objectKind: 'schema',
        object: this.ctx.schema,
        grantor: String(r.grantor),
        grantable: Boolean(r.grantable),
      });
    }
  }

  /** The database owner. */
  private async databaseOwner(): Promise<void> {
    const pgExtra = this.pg;
    const owner = (await this.ctx.query('database-owner'))[0]?.owner;
    pgExtra.databaseOwner = owner == null ? null : String(owner);
  }

  /** Default privileges re-created Quartz tables would inherit. */
  private async defaultPrivileges(): Promise<void> {
    const facts = this.facts;
    facts.defaultPrivileges = (await this.ctx.query('default-privileges', [this.ctx.schema])).map((r) => ({
      owner: String(r.owner),
      schema: (r.schema as string | null) ?? null,
      objectType: objTypeName(String(r.objtype)),
      grantee: r.grantee === '' ? 'PUBLIC' : String(r.grantee),
      privilege: String(r.privilege),
    }));
  }

  /** What the service account holds outside the Quartz tables. */
  private async foreignPrivileges(): Promise<void> {
    const facts = this.facts;
    const oids = this.oids;
    const serviceAccount = this.serviceAccount;
    facts.foreignPrivileges = (await this.ctx.query('foreign-privileges', [serviceAccount, oids])).map(
      (r): Grant => ({
        grantee: serviceAccount,
        privilege: r.owner ? `OWNER${r.privileges ? `,${r.privileges}` : ''}` : String(r.privileges),
        objectKind: r.kind === 'function' ? 'function' : r.kind === 'sequence' ? 'sequence' : 'table',
        object: String(r.object),
        grantable: false,
      }),
    );
  }

  /** Triggers, rules, policies, shadowing routines and search_path shadows around the Quartz tables. */
  private async tamper(): Promise<void> {
    const facts = this.facts;
    const pgExtra = this.pg;
    const o = this.ctx.options;
    const oids = this.oids;
    const serviceAccount = this.serviceAccount;
    const found: TamperObject[] = (await this.ctx.query('tamper', [oids])).map(
      (r): TamperObject => ({
        kind: r.kind as TamperObject['kind'],
        name: String(r.name),
        ...(r.owner ? { owner: String(r.owner) } : {}),
        ...(r.table_name ? { table: String(r.table_name) } : {}),
        detail: String(r.detail),
      }),
    );
    for (const r of await this.ctx.query('shadow-routines', [serviceAccount])) {
      found.push({
        kind: r.kind as TamperObject['kind'],
        name: String(r.name),
        owner: String(r.owner),
        detail: String(r.detail),
      });
    }
    const [sp] = await this.ctx.query('search-path', [serviceAccount]);
    const path = parseSearchPath(String(sp?.search_path ?? '"$user", public'), serviceAccount);
    pgExtra.searchPath = path;
    const idx = path.indexOf(this.ctx.schema);
    const earlier = new Set(idx < 0 ? path : path.slice(0, idx));
    const shadows = await this.ctx.query('shadow-objects', [
      expectedTables(o.tablePrefix).map((t) => t.lower),
      this.ctx.schema,
    ]);
    for (const s of shadows) {
      if (!earlier.has(String(s.schema))) continue;
      found.push({
        kind: 'shadow-object',
        name: `${s.schema}.${s.name}`,
        owner: String(s.owner),
        table: String(s.name),
        detail: `${relkindName(String(s.relkind))} owned by ${s.owner} in schema ${s.schema}, searched before ${this.ctx.schema} in the service account's search_path (${path.join(', ')})`,
      });
    }
    facts.tamper.push(...found);
  }

  /** Server settings the checks judge; hidden ones are unreadable, not empty. */
  private async settings(): Promise<void> {
    const facts = this.facts;
    const rows = await this.ctx.query('settings', [SETTINGS]);
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
  }

  /** Installed extensions. */
  private async extensions(): Promise<void> {
    const facts = this.facts;
    facts.extensions = (await this.ctx.query('extensions')).map((r) => String(r.name));
  }

  /** The service account: after principals and effective privileges, before what depends on it. */
  private chooseAccount(): void {
    const facts = this.facts;
    const pgExtra = this.pg;
    const o = this.ctx.options;
    const connectedAs = this.connectedAs;
    const rolesRead = this.rolesRead;
    const effectiveRead = this.effectiveRead;
    const owners = [
      ...this.ctx.tables.map((t) => t.owner ?? ''),
      String(pgExtra.schemaOwner ?? ''),
      String(pgExtra.databaseOwner ?? ''),
    ].filter(Boolean);
    const choice = chooseServiceAccount({
      ...(o.serviceAccount !== undefined ? { explicit: o.serviceAccount } : {}),
      connectedAs,
      principals: facts.principals,
      effective: facts.effective,
      tables: this.ctx.tables.map((t) => t.logical),
      owners,
      complete: rolesRead && effectiveRead,
    });
    this.serviceAccount = choice.name;
    facts.serviceAccount = choice.name;
    facts.serviceAccountSource = choice.source;
  }

  /** Scheduler state (health checks) and the schema columns (version inference) are table contents: read only from tables that passed the checks, each statement in its own savepoint. */
  private async contentFacts(): Promise<void> {
    const facts = this.facts;
    const guarded = this.guarded;
    // Scheduler state (health checks) and the schema columns (version inference) are table
    // contents: read only from tables that passed the checks, each statement in its own savepoint.
    const run = async (sql: string, params: unknown[]) =>
      await this.ctx.inSavepoint(async () => {
        if (!this.ctx.client) throw new Error('not connected');
        return (await this.ctx.client.query(sql, params)).rows as Row[];
      });
    const quote = (t: QuartzTable) => `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
    const readable = facts.tables.filter((t) => !this.ctx.blocked.has(t.logical));
    const view: Facts = { ...facts, tables: readable };
    const before = facts.unreadable.length;
    await addContentFacts(view, run, { dialect: 'postgres', quote }, guarded);
    if (view.scheduler) facts.scheduler = view.scheduler;
    if (view.quartzSchemaColumns) facts.quartzSchemaColumns = view.quartzSchemaColumns;
    // The shared reader records reasons only: name the table and the cause where they show.
    for (const u of [...facts.unreadable.slice(before), ...(facts.scheduler?.unreadable ?? [])]) {
      // A table left out for tampering is not "missing": say why it was not read.
      const left = this.ctx.tables.find(
        (x) => this.ctx.blocked.has(x.logical) && u.reason === `table ${x.logical} is missing`,
      );
      if (left) {
        u.reason = `${this.ctx.blocked.get(left.logical)}: not read`;
        u.table = left.name;
        u.cause = 'tamper';
      }
      if (!u.cause && u.reason) u.cause = causeOf({ message: u.reason });
      if (!u.table && u.needs) {
        const t = this.ctx.tables.find((x) => u.needs === `SELECT on ${x.name}`);
        if (t) u.table = t.name;
      }
    }
  }

  /** pg_tde: which Quartz tables use an encrypted access method. */
  private tableEncryption(): void {
    const facts = this.facts;
    if (!this.facts.extensions.includes('pg_tde')) return;
    facts.tableEncryption = this.ctx.tables.map((t) => ({
      table: `${t.schema}.${t.name}`,
      encrypted: t.accessMethod === null ? null : /^tde_/.test(t.accessMethod),
      detail: `access method ${t.accessMethod ?? 'unknown'}`,
    }));
  }
}

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

function toPrincipal(r: Row): Principal {
  const attributes = ['superuser', 'createrole', 'createdb', 'replication', 'bypassrls'].filter((a) => r[a] === true);
  if (r.inherit === false) attributes.push('noinherit');
  return { name: String(r.name), kind: r.canlogin ? 'user' : 'role', canLogin: Boolean(r.canlogin), attributes };
}

function objTypeName(t: string): string {
  return { r: 'table', S: 'sequence', f: 'function', T: 'type', n: 'schema' }[t] ?? t;
}

export function relkindName(k: string): string {
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
  return viaExplainer(facts)(principal, table, privilege);
}

/**
 * explainVia() for many rows of the same facts: the superusers, the role graph and the holders of each
 * table and privilege are built once (per row they cost O(roles + memberships + grants): at 10,000 roles
 * that was most of a catalog scan). The facts' roles, memberships and grants must not change meanwhile.
 */
export function viaExplainer(facts: Facts): (principal: string, table: QuartzTable, privilege: string) => string[] {
  const supers = new Set(facts.principals.filter((p) => p.attributes.includes('superuser')).map((p) => p.name));
  const graph = roleGraph(facts.memberships);
  const holdersOf = new Map<string, Map<string, string>>();
  return (principal, table, privilege) => {
    if (supers.has(principal)) return ['(superuser)'];
    const key = `${table.logical}\u0000${table.owner ?? ''}\u0000${privilege}`;
    let holders = holdersOf.get(key);
    if (!holders) {
      holders = new Map<string, string>();
      for (const g of facts.grants)
        if (g.quartzTable === table.logical && g.privilege === privilege)
          holders.set(g.grantee, g.objectKind === 'column' ? '(column)' : '');
      if (table.owner) holders.set(table.owner, '(owner)');
      const allData = privilege === 'SELECT' ? 'pg_read_all_data' : 'pg_write_all_data';
      if (['SELECT', 'INSERT', 'UPDATE', 'DELETE'].includes(privilege)) holders.set(allData, '');
      holdersOf.set(key, holders);
    }
    const h = holders;
    // Breadth-first over memberships whose privileges are inherited (src/role-graph.ts).
    const hit = findRole(graph, principal, (r) => h.has(r) || supers.has(r), { inheritOnly: true });
    if (hit) {
      if (supers.has(hit.role)) return [...hit.path, '(superuser)'];
      const tag = h.get(hit.role);
      return tag ? [...hit.path, tag] : hit.path;
    }
    if (h.has('PUBLIC')) return ['PUBLIC'];
    return ['(unexplained)'];
  };
}
