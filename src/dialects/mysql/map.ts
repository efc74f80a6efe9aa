/**
 * Pure row → facts mapping for MySQL 8 and MariaDB. The adapter (index.ts) runs queries/mysql/*.sql and
 * hands the rows here; fixture tests feed rows shaped as the manuals document them. Nothing here judges.
 */
import type {
  EffectivePrivilege,
  Grant,
  Membership,
  Principal,
  QuartzTable,
  QuartzTableName,
  TamperObject,
} from '../../model.js';
import { reachableRoles as reachFrom, roleGraph, walkRoles } from '../../role-graph.js';
import { accountName, dbPatternMatches, type ParsedGrant, parseGrantee, parseGrantLine, tokenize } from './grants.js';

export type Row = Record<string, unknown>;

const str = (v: unknown): string =>
  v === null || v === undefined ? '' : Buffer.isBuffer(v) ? v.toString() : String(v);
const truthy = (v: unknown): boolean => {
  const s = str(v).toUpperCase();
  return s === '1' || s === 'Y' || s === 'YES' || s === 'TRUE' || s === 'ON';
};

// ---------------------------------------------------------------------------------------------
// Server

export interface Flavour {
  dialect: 'mysql' | 'mariadb';
  product: string;
  version: string;
  /** major*10000 + minor*100 + patch, e.g. 80036, 101106. */
  versionNum: number;
}

/** MariaDB says so in VERSION() ('10.11.6-MariaDB-0+deb12u1', or '5.5.5-10.11…' through old proxies). */
export function detectFlavour(version: string, versionComment: string): Flavour {
  const isMaria = /mariadb/i.test(version) || /mariadb/i.test(versionComment);
  const cleaned = version.replace(/^5\.5\.5-/, '');
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(cleaned);
  const versionNum = m ? Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]) : 0;
  let product = isMaria ? 'MariaDB' : 'MySQL';
  if (!isMaria && /percona/i.test(versionComment)) product = 'Percona Server for MySQL';
  else if (!isMaria && /enterprise|commercial/i.test(versionComment)) product = 'MySQL Enterprise';
  return { dialect: isMaria ? 'mariadb' : 'mysql', product, version: cleaned, versionNum };
}

/** SHOW VARIABLES / SHOW STATUS rows (Variable_name, Value) → map. */
export function mapVariables(rows: Row[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of rows) out[str(r.Variable_name ?? r.VARIABLE_NAME).toLowerCase()] = str(r.Value ?? r.VARIABLE_VALUE);
  return out;
}

/** information_schema.PLUGINS rows → names of ACTIVE plugins. */
export function mapPlugins(rows: Row[]): { name: string; type: string; status: string; loadOption: string }[] {
  return rows.map((r) => ({
    name: str(r.PLUGIN_NAME),
    type: str(r.PLUGIN_TYPE),
    status: str(r.PLUGIN_STATUS),
    loadOption: str(r.LOAD_OPTION),
  }));
}

/** mysql.component rows (component_urn 'file://component_keyring_file') → component names. */
export function mapComponents(rows: Row[]): string[] {
  return rows.map((r) => str(r.component_urn).replace(/^file:\/\//, ''));
}

// ---------------------------------------------------------------------------------------------
// Accounts

const PASSWORD_PLUGINS = new Set([
  '',
  'mysql_native_password',
  'caching_sha2_password',
  'sha256_password',
  'mysql_old_password',
  'ed25519',
  'parsec',
]);

function accountAttributes(a: {
  user: string;
  host: string;
  plugin: string;
  emptyAuth: boolean;
  altPlugins: string[];
  locked: boolean;
  sslType: string;
  isRole: boolean;
}): string[] {
  const out: string[] = [];
  if (a.isRole) out.push('role');
  if (!a.isRole && a.user === '') out.push('anonymous');
  if (!a.isRole && a.emptyAuth && PASSWORD_PLUGINS.has(a.plugin.toLowerCase())) out.push('empty-password');
  if (!a.isRole && (a.host === '%' || a.host === '')) out.push('host-any');
  else if (!a.isRole && /[%_]/.test(a.host.replace(/\\[%_]/g, ''))) out.push('host-wildcard');
  if (a.sslType === 'ANY' || a.sslType === 'X509' || a.sslType === 'SPECIFIED') out.push('require-ssl');
  if (a.sslType === 'X509' || a.sslType === 'SPECIFIED') out.push('require-x509');
  if (a.locked) out.push('account-locked');
  if (a.plugin) out.push(`plugin:${a.plugin}`);
  for (const p of a.altPlugins) out.push(`plugin:${p}`);
  return out;
}

/** MySQL 8 mysql.user rows (users_mysql.sql) → principals. Roles are found later from role_edges. */
export function mapUsersMysql(rows: Row[], roleAccounts: ReadonlySet<string> = new Set()): Principal[] {
  return rows.map((r) => {
    const user = str(r.User);
    const host = str(r.Host);
    const name = accountName(user, host);
    const locked = truthy(r.account_locked);
    const isRole = roleAccounts.has(name) && locked;
    const attributes = accountAttributes({
      user,
      host,
      plugin: str(r.plugin),
      emptyAuth: truthy(r.empty_auth),
      altPlugins: [],
      locked,
      sslType: str(r.ssl_type).toUpperCase(),
      isRole,
    });
    return { name, kind: isRole ? 'role' : 'user', canLogin: !locked, attributes, host };
  });
}

const MARIADB_SSL_TYPES = ['', 'ANY', 'X509', 'SPECIFIED'];

/** MariaDB mysql.global_priv rows (users_mariadb.sql) → principals, plus each account's default role. */
export function mapUsersMariadb(rows: Row[]): { principals: Principal[]; defaultRoles: Map<string, string> } {
  const defaultRoles = new Map<string, string>();
  const principals = rows.map((r): Principal => {
    const user = str(r.User);
    const host = str(r.Host);
    const isRole = truthy(r.is_role);
    const name = accountName(user, host, isRole);
    const locked = truthy(r.account_locked);
    let alt: string[] = [];
    try {
      const parsed = JSON.parse(str(r.auth_or_plugins) || '[]') as unknown;
      if (Array.isArray(parsed)) alt = parsed.filter((p): p is string => typeof p === 'string');
    } catch {
      alt = [];
    }
    const sslRaw = str(r.ssl_type);
    const sslType = /^\d+$/.test(sslRaw) ? (MARIADB_SSL_TYPES[Number(sslRaw)] ?? '') : sslRaw.toUpperCase();
    const def = str(r.default_role);
    if (def) defaultRoles.set(name, def);
    if (name === 'PUBLIC') return { name, kind: 'public', canLogin: false, attributes: [] };
    return {
      name,
      kind: isRole ? 'role' : 'user',
      canLogin: !isRole && !locked,
      attributes: accountAttributes({
        user,
        host,
        plugin: str(r.plugin),
        emptyAuth: truthy(r.empty_auth),
        altPlugins: alt,
        locked,
        sslType,
        isRole,
      }),
      ...(isRole ? {} : { host }),
    };
  });
  return { principals, defaultRoles };
}

// ---------------------------------------------------------------------------------------------
// Roles

/** Parses a mandatory_roles value ("`r1`@`%`,r2@localhost,r3") into account names (host defaults to %). */
export function parseRoleList(value: string): string[] {
  const out: string[] = [];
  for (const part of value.split(',')) {
    const toks = tokenize(part.trim());
    if (!toks.length || !toks[0]) continue;
    const user = toks[0].v;
    const host = toks[1]?.v === '@' ? (toks[2]?.v ?? '%') : '%';
    out.push(accountName(user, host));
  }
  return out;
}

/** MySQL 8 mysql.role_edges + mysql.default_roles (+ mandatory_roles, activate_all_roles_on_login) → memberships. */
export function mapMysqlRoles(
  edges: Row[],
  defaults: Row[],
  settings: Record<string, string | null>,
  accounts: string[],
): Membership[] {
  const activateAll = truthy(settings.activate_all_roles_on_login);
  const defaultSet = new Set(
    defaults.map(
      (d) =>
        `${accountName(str(d.USER), str(d.HOST))}→${accountName(str(d.DEFAULT_ROLE_USER), str(d.DEFAULT_ROLE_HOST))}`,
    ),
  );
  const out: Membership[] = edges.map((e) => {
    const member = accountName(str(e.TO_USER), str(e.TO_HOST));
    const role = accountName(str(e.FROM_USER), str(e.FROM_HOST));
    return {
      member,
      role,
      admin: truthy(e.WITH_ADMIN_OPTION),
      inherit: activateAll || defaultSet.has(`${member}→${role}`),
    };
  });
  // Mandatory roles are granted to every account.
  const mandatory = parseRoleList(settings.mandatory_roles ?? '');
  for (const role of mandatory) {
    for (const member of accounts) {
      if (member === role) continue;
      out.push({
        member,
        role,
        admin: false,
        inherit: activateAll || defaultSet.has(`${member}→${role}`),
      });
    }
  }
  return out;
}

/** MariaDB mysql.roles_mapping (+ default roles from global_priv) → memberships. */
export function mapMariadbRoles(rows: Row[], defaultRoles: Map<string, string>): Membership[] {
  return rows.map((r) => {
    const host = str(r.Host);
    const user = str(r.User);
    // Host '' means the grantee is itself a role.
    const member = accountName(user, host, host === '');
    const role = str(r.Role);
    return { member, role, admin: truthy(r.Admin_option), inherit: defaultRoles.get(member) === role };
  });
}

/** information_schema.APPLICABLE_ROLES (own view) → memberships (MariaDB GRANTEE u@h; MySQL adds ROLE_HOST). */
export function mapApplicableRoles(rows: Row[], self: string): Membership[] {
  return rows.map((r) => {
    const role = r.ROLE_HOST !== undefined ? accountName(str(r.ROLE_NAME), str(r.ROLE_HOST)) : str(r.ROLE_NAME);
    // MySQL 8.0.19+: GRANTEE and GRANTEE_HOST are separate columns; MariaDB: GRANTEE is user@host in one.
    const grantee =
      r.GRANTEE_HOST !== undefined
        ? accountName(str(r.GRANTEE), str(r.GRANTEE_HOST))
        : r.GRANTEE !== undefined
          ? parseGrantee(str(r.GRANTEE))
          : self;
    return {
      member: grantee.startsWith("'") ? grantee : self,
      role,
      admin: truthy(r.IS_GRANTABLE),
      inherit: truthy(r.IS_DEFAULT) || truthy(r.IS_MANDATORY),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Grants

export interface TableIndex {
  db: string;
  byLowerName: Map<string, QuartzTableName>;
}

export function tableIndex(db: string, tables: QuartzTable[]): TableIndex {
  return { db, byLowerName: new Map(tables.map((t) => [t.name.toLowerCase(), t.logical])) };
}

function quartzTableOf(idx: TableIndex, db: string, table: string): QuartzTableName | undefined {
  if (db.toLowerCase() !== idx.db.toLowerCase()) return undefined;
  return idx.byLowerName.get(table.toLowerCase());
}

/** information_schema USER_/SCHEMA_/TABLE_/COLUMN_PRIVILEGES rows → grants. */
export function mapPrivilegeRows(
  rows: { user?: Row[]; schema?: Row[]; table?: Row[]; column?: Row[] },
  roles: ReadonlySet<string>,
  idx: TableIndex,
): Grant[] {
  const out: Grant[] = [];
  const g = (r: Row) => ({
    grantee: parseGrantee(str(r.GRANTEE), roles),
    privilege: str(r.PRIVILEGE_TYPE).toUpperCase(),
    grantable: truthy(r.IS_GRANTABLE),
  });
  for (const r of rows.user ?? []) {
    const base = g(r);
    if (base.privilege === 'USAGE') continue;
    out.push({ ...base, objectKind: 'server', object: '' });
  }
  for (const r of rows.schema ?? []) out.push({ ...g(r), objectKind: 'schema', object: str(r.TABLE_SCHEMA) });
  for (const r of rows.table ?? []) {
    const q = quartzTableOf(idx, str(r.TABLE_SCHEMA), str(r.TABLE_NAME));
    out.push({
      ...g(r),
      objectKind: 'table',
      object: `${str(r.TABLE_SCHEMA)}.${str(r.TABLE_NAME)}`,
      ...(q ? { quartzTable: q } : {}),
    });
  }
  for (const r of rows.column ?? []) {
    const q = quartzTableOf(idx, str(r.TABLE_SCHEMA), str(r.TABLE_NAME));
    out.push({
      ...g(r),
      objectKind: 'column',
      object: `${str(r.TABLE_SCHEMA)}.${str(r.TABLE_NAME)}.${str(r.COLUMN_NAME)}`,
      ...(q ? { quartzTable: q } : {}),
    });
  }
  return out;
}

/** MySQL 8 mysql.global_grants (dynamic privileges) → global grants. */
export function mapGlobalGrants(rows: Row[]): Grant[] {
  return rows.map((r) => ({
    grantee: accountName(str(r.USER), str(r.HOST)),
    privilege: str(r.PRIV).toUpperCase(),
    objectKind: 'server',
    object: '',
    grantable: truthy(r.WITH_GRANT_OPTION),
  }));
}

/** Privileges that apply to tables (ALL PRIVILEGES expands to these at table level). */
export const TABLE_PRIVILEGES = [
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
  'CREATE',
  'DROP',
  'ALTER',
  'INDEX',
  'TRIGGER',
  'REFERENCES',
  'CREATE VIEW',
  'SHOW VIEW',
  'DELETE HISTORY',
];

/** Grants, memberships and the REQUIRE clause from SHOW GRANTS lines (own account fallback). */
export function mapShowGrants(
  lines: string[],
  idx: TableIndex,
): { grants: Grant[]; memberships: Membership[]; require?: string; defaultRoles: Map<string, string> } {
  const grants: Grant[] = [];
  const roleGrants: { member: string; role: string; admin: boolean }[] = [];
  const defaultRoles = new Map<string, string>();
  let require: string | undefined;
  for (const line of lines) {
    let p: ParsedGrant | undefined;
    try {
      p = parseGrantLine(line);
    } catch {
      p = undefined;
    }
    if (!p) continue;
    if (p.kind === 'default-role') {
      defaultRoles.set(p.grantee, p.role);
      continue;
    }
    if (p.kind === 'roles') {
      for (const role of p.roles) roleGrants.push({ member: p.grantee, role, admin: p.admin });
      continue;
    }
    if (p.require && p.require !== 'NONE') require = p.require;
    for (const priv of p.privileges) {
      if (priv.name === 'USAGE') continue;
      const names = priv.name === 'ALL' || priv.name === 'ALL PRIVILEGES' ? ['ALL PRIVILEGES'] : [priv.name];
      for (const name of names) {
        const base = { grantee: p.grantee, privilege: name, grantable: p.grantable };
        if (p.level === 'global') grants.push({ ...base, objectKind: 'server', object: '' });
        else if (p.level === 'schema') grants.push({ ...base, objectKind: 'schema', object: p.db ?? idx.db });
        else if (p.level === 'routine')
          grants.push({ ...base, objectKind: 'function', object: `${p.db ?? ''}.${p.table}` });
        else {
          const db = p.db ?? idx.db;
          const q = quartzTableOf(idx, db, p.table ?? '');
          const quartz = q ? { quartzTable: q } : {};
          if (priv.columns?.length) {
            for (const c of priv.columns) {
              grants.push({ ...base, objectKind: 'column', object: `${db}.${p.table}.${c}`, ...quartz });
            }
          } else grants.push({ ...base, objectKind: 'table', object: `${db}.${p.table}`, ...quartz });
        }
      }
    }
  }
  const memberships = roleGrants.map((m) => ({ ...m, inherit: defaultRoles.get(m.member) === m.role }));
  return { grants, memberships, ...(require ? { require } : {}), defaultRoles };
}

/** Does a grant reach Quartz table `table` of database `db`? Returns the via tag ('' = direct table grant). */
function grantReach(g: Grant, db: string, table: QuartzTableName): string | undefined {
  if (g.objectKind === 'server') return '(global)';
  if (g.objectKind === 'schema') return dbPatternMatches(g.object, db) ? '(schema)' : undefined;
  if (g.objectKind === 'table' && g.quartzTable === table) return '';
  if (g.objectKind === 'column' && g.quartzTable === table) return '(column)';
  return undefined;
}

/**
 * Effective privileges on each Quartz table for every principal: direct grants, global (`*.*`) and
 * schema-level (`db.*`, LIKE patterns) grants, and grants flowing through roles — every granted role counts,
 * default or not, since the account can SET ROLE it — and through PUBLIC (MariaDB 10.11+).
 */
export function computeEffective(
  grants: Grant[],
  memberships: Membership[],
  principals: string[],
  tables: QuartzTable[],
  db: string,
  superusers: ReadonlySet<string> = new Set(),
): EffectivePrivilege[] {
  const byGrantee = new Map<string, Grant[]>();
  for (const g of grants) {
    const list = byGrantee.get(g.grantee) ?? [];
    list.push(g);
    byGrantee.set(g.grantee, list);
  }
  const graph = roleGraph(memberships);
  const hasPublic = byGrantee.has('PUBLIC');
  const all = new Set<string>([...principals, ...byGrantee.keys(), ...memberships.map((m) => m.member)]);
  const out: EffectivePrivilege[] = [];
  for (const principal of all) {
    const seenKey = new Set<string>();
    // Breadth-first (src/role-graph.ts): every granted role counts, PUBLIC is reached implicitly.
    const implicit = hasPublic && principal !== 'PUBLIC' ? ['PUBLIC'] : [];
    for (const { role, path } of walkRoles(graph, principal, { implicit })) {
      for (const g of byGrantee.get(role) ?? []) {
        const privs = g.privilege === 'ALL PRIVILEGES' ? TABLE_PRIVILEGES : [g.privilege];
        for (const t of tables) {
          const tag = grantReach(g, db, t.logical);
          if (tag === undefined) continue;
          for (const privilege of privs) {
            if (!TABLE_PRIVILEGES.includes(privilege)) continue;
            const key = `${t.logical}|${privilege}`;
            if (seenKey.has(key)) continue;
            seenKey.add(key);
            const via = tag === '(global)' && superusers.has(role) ? '(superuser)' : tag;
            out.push({ principal, table: t.logical, privilege, via: via ? [...path, via] : path });
          }
        }
      }
    }
  }
  return out;
}

/** Global privileges that make an account an administrator (its table access is the admin's implicit access). */
export const SUPERUSER_PRIVILEGES = new Set(['SUPER', 'SYSTEM_USER']);

/** Principals holding SUPER / SYSTEM_USER on *.* themselves (roles holding it make their members superusers too). */
export function superusers(grants: Grant[]): Set<string> {
  return new Set(
    grants
      .filter(
        (g) => g.objectKind === 'server' && (SUPERUSER_PRIVILEGES.has(g.privilege) || g.privilege === 'ALL PRIVILEGES'),
      )
      .map((g) => g.grantee),
  );
}

/** Roles reachable from an account (all granted roles, transitively). */
export function reachableRoles(account: string, memberships: Membership[]): string[] {
  return [...reachFrom(memberships, account).keys()];
}

/** The service account's grants (direct, through roles, through PUBLIC) on objects outside the Quartz tables. */
export function foreignPrivileges(grants: Grant[], memberships: Membership[], account: string, db: string): Grant[] {
  const holders = new Set([account, ...reachableRoles(account, memberships), 'PUBLIC']);
  const data = new Set(['ALL PRIVILEGES', ...TABLE_PRIVILEGES, 'EXECUTE', 'CREATE ROUTINE', 'ALTER ROUTINE', 'EVENT']);
  return grants.filter((g) => {
    if (!holders.has(g.grantee) || g.privilege === 'USAGE') return false;
    if (g.objectKind === 'server') return data.has(g.privilege);
    // A schema grant naming exactly the Quartz database is not foreign; patterns (quartz%) reach further.
    if (g.objectKind === 'schema') return g.object.replace(/\\([%_])/g, '$1').toLowerCase() !== db.toLowerCase();
    if (g.objectKind === 'table' || g.objectKind === 'column') return !g.quartzTable;
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// Tamper, encryption

/** information_schema.TRIGGERS rows → tamper objects. */
export function mapTriggers(rows: Row[]): TamperObject[] {
  return rows.map((r) => ({
    kind: 'trigger',
    name: str(r.TRIGGER_NAME),
    table: str(r.EVENT_OBJECT_TABLE),
    ...(str(r.DEFINER) ? { owner: str(r.DEFINER) } : {}),
    detail: `${str(r.ACTION_TIMING)} ${str(r.EVENT_MANIPULATION)} trigger, definer ${str(r.DEFINER)}`,
  }));
}

/** information_schema.ROUTINES rows named like built-ins → shadow-function tamper facts. */
export function mapShadowRoutines(rows: Row[]): TamperObject[] {
  return rows.map((r) => ({
    kind: 'shadow-function',
    name: `${str(r.ROUTINE_NAME)}`,
    ...(str(r.DEFINER) ? { owner: str(r.DEFINER) } : {}),
    detail: `stored ${str(r.ROUTINE_TYPE).toLowerCase() || 'routine'} named like the built-in ${str(
      r.ROUTINE_NAME,
    ).toUpperCase()} (definer ${str(r.DEFINER)}, SQL SECURITY ${str(r.SECURITY_TYPE)}); unqualified calls still mean the built-in, db.${str(r.ROUTINE_NAME)}(…) runs the stored code`,
  }));
}

/** Name InnoDB uses for a file-per-table tablespace: 'db/table' (lower case when lower_case_table_names > 0). */
export function innodbName(db: string, table: string, lowerCaseNames: number): string {
  const n = `${db}/${table}`;
  return lowerCaseNames > 0 ? n.toLowerCase() : n;
}

/** MySQL 8: INNODB_TABLES ⋈ INNODB_TABLESPACES rows (ENCRYPTION 'Y'/'N') → per-table encryption. */
export function mapTablespacesMysql(
  rows: Row[],
  tables: QuartzTable[],
  lowerCaseNames: number,
): { table: string; encrypted: boolean | null; detail?: string }[] {
  const byName = new Map(rows.map((r) => [str(r.TABLE_NAME).toLowerCase(), r]));
  return tables.map((t) => {
    const r = byName.get(innodbName(t.schema, t.name, lowerCaseNames).toLowerCase());
    if (!r) return { table: `${t.schema}.${t.name}`, encrypted: null, detail: 'no InnoDB tablespace row' };
    const enc = str(r.ENCRYPTION).toUpperCase();
    return {
      table: `${t.schema}.${t.name}`,
      encrypted: enc === 'Y' ? true : enc === 'N' ? false : null,
      detail: `tablespace ${str(r.SPACE_NAME)} (${str(r.SPACE_TYPE) || 'unknown type'}) ENCRYPTION=${enc || '?'}`,
    };
  });
}

/**
 * MariaDB: INNODB_TABLESPACES_ENCRYPTION rows → per-table encryption. ENCRYPTION_SCHEME 1 = encrypted; a
 * table without a row was never encrypted (the view lists only tablespaces with crypt data).
 */
export function mapTablespacesMariadb(
  rows: Row[],
  tables: QuartzTable[],
  lowerCaseNames: number,
): { table: string; encrypted: boolean | null; detail?: string }[] {
  const byName = new Map(rows.map((r) => [str(r.NAME).toLowerCase(), r]));
  return tables.map((t) => {
    const r = byName.get(innodbName(t.schema, t.name, lowerCaseNames).toLowerCase());
    if (!r) return { table: `${t.schema}.${t.name}`, encrypted: false, detail: 'no encryption metadata' };
    const scheme = Number(str(r.ENCRYPTION_SCHEME));
    const minKey = Number(str(r.MIN_KEY_VERSION));
    const encrypted = scheme === 1 && minKey > 0;
    return {
      table: `${t.schema}.${t.name}`,
      encrypted,
      detail: `ENCRYPTION_SCHEME=${scheme} MIN_KEY_VERSION=${minKey} CURRENT_KEY_ID=${str(r.CURRENT_KEY_ID)}`,
    };
  });
}

/** information_schema.TABLES.CREATE_OPTIONS says the table was created encrypted (MySQL ENCRYPTION='Y', MariaDB ENCRYPTED=YES). */
export function createOptionsEncrypted(createOptions: string): boolean | undefined {
  if (/ENCRYPTION\s*=\s*["']?Y/i.test(createOptions) || /ENCRYPTED\s*=\s*["']?YES/i.test(createOptions)) return true;
  if (/ENCRYPTION\s*=\s*["']?N/i.test(createOptions) || /ENCRYPTED\s*=\s*["']?NO/i.test(createOptions)) return false;
  return undefined;
}

export interface AuditFilter {
  user: string;
  host: string;
  filter: string;
  /** The filter's JSON definition (bounded), or null when the named filter does not exist. */
  definition: string | null;
}

/** audit_log_user ⋈ audit_log_filter rows → assigned filters. */
export function mapAuditFilters(rows: Row[]): AuditFilter[] {
  return rows.map((r) => ({
    user: str(r.USER),
    host: str(r.HOST),
    filter: str(r.FILTERNAME),
    definition: r.FILTER === null || r.FILTER === undefined ? null : str(r.FILTER).slice(0, 4000),
  }));
}

/** Roles named in a principal list (used to canonicalise I_S grantees `'r'@''`). */
export function roleNames(principals: Principal[]): Set<string> {
  return new Set(principals.filter((p) => p.kind === 'role' && p.host === undefined).map((p) => p.name));
}
