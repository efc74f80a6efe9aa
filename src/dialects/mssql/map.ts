/**
 * Pure SQL Server rows → facts mapping. Input: the rows of queries/mssql/*.sql exactly as the catalog views
 * return them (column names and types as Microsoft documents them; `mssql` yields bit as boolean, tinyint/int
 * as number, char/nvarchar as string). A query whose rows are absent could not be read: its facts are null
 * and an `Unreadable` names the permission that would show it. No judgement here.
 *
 * Effective permissions on the Quartz tables (computeEffective), SQL Server's rules written once:
 *  1. A database principal holds what is granted to itself, to every role it reaches through nested
 *     sys.database_role_members edges, and to `public` (every user is a member).
 *  2. A permission on a table is also granted by the same permission on its schema or on the database,
 *     and by CONTROL on the table, the schema or the database. ALTER on a table also comes from ALTER
 *     ANY SCHEMA / ALTER on the database.
 *  3. Fixed database roles: db_owner = CONTROL on the database; db_datareader = SELECT on the database;
 *     db_datawriter = INSERT, UPDATE, DELETE on the database; db_ddladmin = ALTER and REFERENCES (DDL, no
 *     data); db_denydatareader / db_denydatawriter = DENY of the same.
 *  4. DENY wins over GRANT: a DENY of the permission (or of CONTROL) on the table, its schema or the
 *     database, to the principal or any role it reaches, removes it — also for db_owner members and
 *     CONTROL SERVER holders. It does not apply to dbo, to sysadmin members (they are dbo in every
 *     database) nor to the owner of the table (object owner, else schema owner; a role that owns it
 *     passes ownership to its members).
 *  5. The login mapped to dbo, and every sysadmin member, holds everything ('(dbo)' / '(sysadmin)');
 *     CONTROL SERVER holds everything, DENY still applies ('(CONTROL SERVER)').
 *  6. `via`: the role chain from the principal to the grantee ([] direct, ['public'], ['app_role', 'outer_role']),
 *     then the scope when not the table: '(schema)' or '(database)', and '(CONTROL)' when CONTROL implied it.
 *  7. Column-level grants (class 1, minor_id > 0) are not table-level: kept as grants with objectKind 'column'.
 */

import type {
  EffectivePrivilege,
  Grant,
  Membership,
  Principal,
  QuartzTable,
  QuartzTableName,
  TamperObject,
  Unreadable,
} from '../../model.js';
import { expectedTables, logicalName } from '../shared/discovery.js';
import type {
  MssqlAuditSpecification,
  MssqlFacts,
  MssqlLogin,
  MssqlServerPermission,
  MssqlServerRoleMember,
  MssqlTdeState,
  MssqlTrigger,
  Reach,
} from './facts.js';

export type Row = Record<string, unknown>;

/** Rows per query file (name without .sql); absent = the query failed (see `failed`). */
export type MssqlRows = Partial<Record<string, Row[]>>;

export const QUARTZ_PRIVILEGES = [
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
  'ALTER',
  'CONTROL',
  'TAKE OWNERSHIP',
  'REFERENCES',
  'VIEW DEFINITION',
  'VIEW CHANGE TRACKING',
] as const;

/** The permission that shows each query's rows in full (for `Unreadable.needs`). */
export const NEEDS: Record<string, string> = {
  principals: 'VIEW DEFINITION on the database',
  'role-members': 'VIEW DEFINITION on the database',
  'database-permissions': 'VIEW DEFINITION on the database',
  'server-principals': 'VIEW ANY DEFINITION (2022: VIEW ANY SECURITY DEFINITION)',
  'server-role-members': 'VIEW ANY DEFINITION (2022: VIEW ANY SECURITY DEFINITION)',
  'server-permissions': 'VIEW ANY DEFINITION (2022: VIEW ANY SECURITY DEFINITION)',
  'sql-logins': 'VIEW ANY DEFINITION (2022: VIEW ANY SECURITY DEFINITION)',
  'xp-cmdshell-grants': 'VIEW DEFINITION in master',
  assemblies: 'VIEW DEFINITION on the database',
  triggers: 'VIEW DEFINITION on the database',
  'trigger-events': 'VIEW DEFINITION on the database',
  synonyms: 'VIEW DEFINITION on the database',
  tde: 'VIEW SERVER STATE (2022: VIEW SERVER SECURITY STATE; Azure SQL Database: VIEW DATABASE STATE)',
  'tde-2016': 'VIEW SERVER STATE',
  backups: 'SELECT on msdb.dbo.backupset',
  'connection-encryption': 'VIEW SERVER STATE (2022: VIEW SERVER PERFORMANCE STATE)',
  'server-audits': 'VIEW AUDIT STATE / ALTER ANY SERVER AUDIT (2022: VIEW ANY SECURITY DEFINITION)',
  'audit-status': 'VIEW SERVER STATE (2022: VIEW SERVER SECURITY AUDIT)',
  'database-audit-specs': 'VIEW DEFINITION on the database, ALTER ANY DATABASE AUDIT or db_owner',
  'server-audit-specs': 'VIEW ANY DEFINITION or ALTER ANY SERVER AUDIT',
  configurations: 'none (public)',
  columns: 'VIEW DEFINITION on the database',
};

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number | null => {
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
};
/** bit / tinyint / int flags: true, 1, '1' → true; null stays null. */
const flag = (v: unknown): boolean | null => (v === null || v === undefined ? null : v === true || Number(v) === 1);
const upper = (s: string) => s.toUpperCase();

// ---------------------------------------------------------------------------------------------
// Principals

export interface DbPrincipal {
  id: number;
  name: string;
  /** sys.database_principals.type (S, U, G, E, X, R, A, C, K). */
  type: string;
  defaultSchema: string | null;
  fixedRole: boolean;
  /** NONE, INSTANCE, DATABASE (contained), WINDOWS, EXTERNAL. */
  authentication: string | null;
  sidHex: string | null;
}

export function mapDbPrincipals(rows: Row[]): DbPrincipal[] {
  return rows.map((r) => ({
    id: num(r.principal_id) ?? -1,
    name: str(r.name),
    type: str(r.type).trim(),
    defaultSchema: strOrNull(r.default_schema_name),
    fixedRole: flag(r.is_fixed_role) === true,
    authentication: strOrNull(r.authentication_type_desc),
    sidHex: strOrNull(r.sid_hex),
  }));
}

export interface ServerPrincipal {
  id: number;
  name: string;
  type: string;
  disabled: boolean;
  fixedRole: boolean;
  sidHex: string | null;
}

export function mapServerPrincipals(rows: Row[]): ServerPrincipal[] {
  return rows.map((r) => ({
    id: num(r.principal_id) ?? -1,
    name: str(r.name),
    type: str(r.type).trim(),
    disabled: flag(r.is_disabled) === true,
    fixedRole: flag(r.is_fixed_role) === true,
    sidHex: strOrNull(r.sid_hex),
  }));
}

const USER_TYPES = new Set(['S', 'U', 'G', 'E', 'X', 'C', 'K']);
const PUBLIC_ID = 0;
const DBO_ID = 1;
const GUEST_ID = 2;

// ---------------------------------------------------------------------------------------------
// Permissions

export interface DbPermission {
  class: number;
  classDesc: string;
  majorId: number;
  minorId: number;
  grantee: number;
  grantor: number;
  permission: string;
  /** G grant, W grant with grant option, D deny, R revoke. */
  state: string;
  schema: string | null;
  name: string | null;
  column: string | null;
}

export function mapDbPermissions(rows: Row[]): DbPermission[] {
  return rows.map((r) => ({
    class: num(r.class) ?? -1,
    classDesc: str(r.class_desc),
    majorId: num(r.major_id) ?? 0,
    minorId: num(r.minor_id) ?? 0,
    grantee: num(r.grantee_principal_id) ?? -1,
    grantor: num(r.grantor_principal_id) ?? -1,
    permission: upper(str(r.permission_name)),
    state: str(r.state).trim().toUpperCase(),
    schema: strOrNull(r.securable_schema),
    name: strOrNull(r.securable_name),
    column: strOrNull(r.column_name),
  }));
}

/** Role edges: member id → role ids. */
export function roleGraph(rows: Row[]): Map<number, number[]> {
  const g = new Map<number, number[]>();
  for (const r of rows) {
    const member = num(r.member_principal_id);
    const role = num(r.role_principal_id);
    if (member === null || role === null) continue;
    g.set(member, [...(g.get(member) ?? []), role]);
  }
  return g;
}

/**
 * Every role a principal reaches (breadth first, cycles ignored) with the chain of role ids leading to it;
 * public (id 0) is always reached with chain [0]. The one role-graph walk of this adapter.
 */
export function reachable(start: number, graph: Map<number, number[]>): Map<number, number[]> {
  const out = new Map<number, number[]>([[start, []]]);
  const queue = [start];
  while (queue.length) {
    const cur = queue.shift() as number;
    for (const role of graph.get(cur) ?? []) {
      if (out.has(role)) continue;
      out.set(role, [...(out.get(cur) ?? []), role]);
      queue.push(role);
    }
  }
  if (!out.has(PUBLIC_ID)) out.set(PUBLIC_ID, [PUBLIC_ID]);
  return out;
}

export interface EffectiveInput {
  principals: DbPrincipal[];
  graph: Map<number, number[]>;
  permissions: DbPermission[];
  tables: (QuartzTable & { objectId: number; ownerId: number | null })[];
  /** schema name → owning principal id. */
  schemaOwners: Map<string, number>;
  /** Database user ids whose login is sysadmin / holds CONTROL SERVER (from server facts). */
  sysadminUsers: Set<number>;
  controlServerUsers: Set<number>;
}

const FIXED_GRANTS: Record<string, string[]> = {
  db_owner: ['CONTROL'],
  db_datareader: ['SELECT'],
  db_datawriter: ['INSERT', 'UPDATE', 'DELETE'],
  db_ddladmin: ['ALTER', 'REFERENCES'],
};
const FIXED_DENIES: Record<string, string[]> = {
  db_denydatareader: ['SELECT'],
  db_denydatawriter: ['INSERT', 'UPDATE', 'DELETE'],
};

/** Higher-scope permissions that imply `privilege` on a table, by scope. */
function implying(privilege: string): { object: string[]; schema: string[]; database: string[] } {
  const base = privilege === 'CONTROL' ? ['CONTROL'] : [privilege, 'CONTROL'];
  return {
    object: base,
    schema: base,
    database: privilege === 'ALTER' ? [...base, 'ALTER ANY SCHEMA'] : base,
  };
}

/** Effective privileges of every user, non-fixed role and public on each Quartz table (rules in the file header). */
export function computeEffective(input: EffectiveInput): EffectivePrivilege[] {
  const byId = new Map(input.principals.map((p) => [p.id, p]));
  const nameOf = (id: number) => byId.get(id)?.name ?? `#${id}`;
  const out: EffectivePrivilege[] = [];
  // INFORMATION_SCHEMA (3) and sys (4) are built-in users without logins: not subjects.
  const subjects = input.principals.filter(
    (p) =>
      p.id === PUBLIC_ID ||
      (USER_TYPES.has(p.type) && p.id !== 3 && p.id !== 4) ||
      (p.type === 'R' && !p.fixedRole) ||
      p.type === 'A',
  );
  for (const p of subjects) {
    const reach = reachable(p.id, input.graph);
    const chain = (id: number) => (reach.get(id) ?? []).map(nameOf);
    const fixed = [...reach.keys()].map((id) => byId.get(id)).filter((x): x is DbPrincipal => Boolean(x?.fixedRole));
    for (const t of input.tables) {
      const add = (privilege: string, via: string[]) =>
        out.push({ principal: p.name, table: t.logical, privilege, via });
      const owner = t.ownerId ?? input.schemaOwners.get(t.schema) ?? null;
      const bypass: string[] | null =
        p.id === DBO_ID
          ? ['(dbo)']
          : input.sysadminUsers.has(p.id)
            ? ['(sysadmin)']
            : owner !== null && reach.has(owner) && owner !== PUBLIC_ID
              ? [...chain(owner), '(owner)']
              : null;
      if (bypass) {
        for (const priv of QUARTZ_PRIVILEGES) add(priv, bypass);
        continue;
      }
      const applies = (perm: DbPermission) =>
        reach.has(perm.grantee) &&
        ((perm.class === 1 && perm.majorId === t.objectId && perm.minorId === 0) ||
          (perm.class === 3 && perm.schema === t.schema) ||
          perm.class === 0);
      const relevant = input.permissions.filter(applies);
      const scopeOf = (perm: DbPermission) => (perm.class === 1 ? 'object' : perm.class === 3 ? 'schema' : 'database');
      for (const priv of QUARTZ_PRIVILEGES) {
        const imp = implying(priv);
        const matches = (perm: DbPermission) => imp[scopeOf(perm) as 'object'].includes(perm.permission);
        const denied =
          relevant.some((perm) => perm.state === 'D' && matches(perm)) ||
          fixed.some((f) => FIXED_DENIES[f.name]?.includes(priv));
        if (denied) continue;
        const grant = relevant
          .filter((perm) => (perm.state === 'G' || perm.state === 'W') && matches(perm))
          .sort(
            (a, b) => (reach.get(a.grantee)?.length ?? 0) - (reach.get(b.grantee)?.length ?? 0) || b.class - a.class,
          )[0];
        if (grant) {
          const scope = grant.class === 1 ? [] : grant.class === 3 ? ['(schema)'] : ['(database)'];
          const control = grant.permission !== priv ? [`(${grant.permission})`] : [];
          add(priv, [...chain(grant.grantee), ...scope, ...control]);
          continue;
        }
        const viaFixed = fixed.find((f) => {
          const g = FIXED_GRANTS[f.name] ?? [];
          return g.includes(priv) || g.includes('CONTROL');
        });
        if (viaFixed) {
          add(priv, chain(viaFixed.id));
          continue;
        }
        if (input.controlServerUsers.has(p.id)) add(priv, ['(CONTROL SERVER)']);
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Tables and shadows

export interface QuartzObjects {
  tables: (QuartzTable & { objectId: number; ownerId: number | null })[];
  missing: QuartzTableName[];
  /** Quartz-named objects that are not the audited Quartz table. */
  others: { schema: string; name: string; type: string; typeDesc: string; owner: string | null }[];
  /** Schema chosen for the Quartz tables. */
  schema: string | null;
  /** Schemas holding Quartz-named user tables (for the error hint). */
  schemasWithTables: string[];
}

/**
 * Picks the Quartz tables: in `schema` when given; otherwise the user's default schema when it holds any,
 * else dbo, else the schema holding the most. Only type U is a table.
 */
export function mapQuartzObjects(
  rows: Row[],
  prefix: string,
  schema: string | undefined,
  defaultSchema: string | null,
  principals: DbPrincipal[] = [],
): QuartzObjects {
  const all = rows
    .map((r) => ({
      objectId: num(r.object_id) ?? -1,
      name: str(r.name),
      schema: str(r.schema_name),
      type: str(r.type).trim(),
      typeDesc: str(r.type_desc),
      owner: strOrNull(r.object_owner) ?? strOrNull(r.schema_owner),
      objectOwner: strOrNull(r.object_owner),
      logical: logicalName(prefix, str(r.name)),
    }))
    .filter((o) => o.logical !== undefined);
  const count = new Map<string, number>();
  for (const o of all) if (o.type === 'U') count.set(o.schema, (count.get(o.schema) ?? 0) + 1);
  const schemasWithTables = [...count.keys()].sort();
  let chosen: string | null = schema ?? null;
  if (!chosen) {
    if (defaultSchema && count.has(defaultSchema)) chosen = defaultSchema;
    else if (count.has('dbo')) chosen = 'dbo';
    else chosen = [...count.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
  }
  const idOf = new Map(principals.map((p) => [p.name, p.id]));
  const tables: QuartzObjects['tables'] = [];
  const others: QuartzObjects['others'] = [];
  for (const o of all) {
    if (o.type === 'U' && o.schema === chosen && !tables.some((t) => t.logical === o.logical)) {
      tables.push({
        logical: o.logical as QuartzTableName,
        name: o.name,
        schema: o.schema,
        ...(o.owner ? { owner: o.owner } : {}),
        objectId: o.objectId,
        // USER_NAME(o.principal_id) is NULL when the schema owner owns the table (the usual case).
        ownerId: o.objectOwner !== null ? (idOf.get(o.objectOwner) ?? null) : null,
      });
    } else {
      others.push({ schema: o.schema, name: o.name, type: o.type, typeDesc: o.typeDesc, owner: o.owner });
    }
  }
  const present = new Set(tables.map((t) => t.logical));
  const missing = expectedTables(prefix)
    .map((t) => t.logical)
    .filter((l) => !present.has(l));
  return { tables, missing, others, schema: chosen, schemasWithTables };
}

/** Tamper facts for Quartz-named objects that are not the audited table, and synonyms under Quartz names. */
export function mapShadows(
  others: QuartzObjects['others'],
  synonyms: Row[],
  tableSchema: string | null,
  defaultSchema: string | null,
  prefix: string,
  realNames: Map<string, string> = new Map(),
): { tamper: TamperObject[]; shadows: MssqlFacts['shadows'] } {
  const tamper: TamperObject[] = [];
  const shadows: MssqlFacts['shadows'] = [];
  const target = new Map(synonyms.map((s) => [`${str(s.schema_name)}.${str(s.name)}`, str(s.base_object_name)]));
  for (const o of others) {
    const key = `${o.schema}.${o.name}`;
    const inDefault = defaultSchema !== null && o.schema === defaultSchema && o.schema !== tableSchema;
    const where = o.schema === tableSchema ? 'not-a-table' : 'shadow-object';
    const synonymTarget = target.get(key);
    shadows.push({
      schema: o.schema,
      name: o.name,
      type: o.type,
      ...(synonymTarget ? { target: synonymTarget } : {}),
      inDefaultSchema: inDefault,
    });
    // Another schema's own Quartz table set is not tampering unless name resolution reaches it first.
    if (o.type === 'U' && !inDefault) continue;
    tamper.push({
      kind: where,
      name: key,
      ...(o.owner ? { owner: o.owner } : {}),
      // The real name of the Quartz table it shadows (same logical name, in the Quartz schema).
      table: realNames.get(logicalName(prefix, o.name) ?? '') ?? o.name,
      detail:
        `${o.typeDesc || o.type} named like a Quartz table in schema ${o.schema}` +
        (synonymTarget ? ` (synonym for ${synonymTarget})` : '') +
        (inDefault
          ? "; it is in the service account's default schema, so unqualified Quartz statements resolve to it"
          : ''),
    });
  }
  return { tamper, shadows };
}

// ---------------------------------------------------------------------------------------------
// Settings, TDE, audits, triggers, logins

export const CONFIG_NAMES = [
  'xp_cmdshell',
  'clr enabled',
  'clr strict security',
  'Ole Automation Procedures',
  'external scripts enabled',
  'cross db ownership chaining',
  'c2 audit mode',
  'common criteria compliance enabled',
  'Ad Hoc Distributed Queries',
] as const;

/** sys.configurations → settings by name (value_in_use, the running value). */
export function mapConfigurations(rows: Row[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const r of rows)
    out[str(r.name)] = r.value_in_use === null || r.value_in_use === undefined ? null : String(r.value_in_use);
  return out;
}

const TDE_STATES = [
  'NONE',
  'UNENCRYPTED',
  'ENCRYPTION_IN_PROGRESS',
  'ENCRYPTED',
  'KEY_CHANGE_IN_PROGRESS',
  'DECRYPTION_IN_PROGRESS',
  'PROTECTION_CHANGE_IN_PROGRESS',
];

export function mapTdeRow(r: Row): MssqlTdeState {
  const state = num(r.encryption_state) ?? 0;
  return {
    database: str(r.database_name),
    state,
    stateDesc: strOrNull(r.encryption_state_desc) ?? TDE_STATES[state] ?? `STATE_${state}`,
    encrypted: state === 3 || state === 4 || state === 6,
    inProgress: state === 2 || state === 4 || state === 5 || state === 6,
    scanState: strOrNull(r.encryption_scan_state_desc),
    keyAlgorithm: strOrNull(r.key_algorithm),
    keyLength: num(r.key_length),
    encryptorType: strOrNull(r.encryptor_type),
    percentComplete: num(r.percent_complete),
  };
}

export function mapTriggers(
  triggers: Row[],
  events: Row[],
  prefix: string,
  tableSchema: string | null,
): MssqlTrigger[] {
  const ev = new Map<number, string[]>();
  for (const e of events) {
    const id = num(e.object_id) ?? -1;
    ev.set(id, [...(ev.get(id) ?? []), str(e.type_desc) || str(e.event_group_type_desc)]);
  }
  return triggers
    .filter((t) => flag(t.is_ms_shipped) !== true)
    .map((t) => {
      const dml = num(t.parent_class) === 1;
      const parentSchema = strOrNull(t.parent_schema);
      const parentName = strOrNull(t.parent_name);
      const logical =
        dml && parentName && parentSchema === tableSchema ? (logicalName(prefix, parentName) ?? null) : null;
      return {
        name: str(t.name),
        kind: dml ? ('dml' as const) : ('database-ddl' as const),
        parent: dml && parentName ? `${parentSchema ?? ''}.${parentName}` : null,
        quartzTable: logical,
        disabled: flag(t.is_disabled) === true,
        insteadOf: flag(t.is_instead_of_trigger) === true,
        events: ev.get(num(t.object_id) ?? -1) ?? [],
        clr: str(t.type).trim() === 'TA',
      };
    });
}

export function triggerTamper(triggers: MssqlTrigger[]): TamperObject[] {
  return triggers
    .filter((t) => t.kind === 'database-ddl' || t.quartzTable !== null)
    .map((t) => ({
      kind: 'trigger' as const,
      name: t.name,
      ...(t.parent ? { table: t.parent.slice(t.parent.indexOf('.') + 1) } : {}),
      detail:
        t.kind === 'database-ddl'
          ? `database DDL trigger on ${t.events.join(', ') || 'unknown events'}${t.disabled ? ' (disabled)' : ''}`
          : `${t.insteadOf ? 'INSTEAD OF' : 'AFTER'} ${t.events.join(', ') || 'DML'} trigger${t.clr ? ' (CLR)' : ''}${t.disabled ? ' (disabled)' : ''}`,
    }));
}

/** Database and server audit specifications with their actions; audit names matched on audit_guid. */
export function mapAuditSpecifications(
  dbRows: Row[] | undefined,
  serverRows: Row[] | undefined,
  audits: Row[] | undefined,
): MssqlAuditSpecification[] | null {
  if (!dbRows && !serverRows) return null;
  const auditName = new Map((audits ?? []).map((a) => [str(a.audit_guid).toLowerCase(), str(a.name)]));
  const specs = new Map<string, MssqlAuditSpecification>();
  const add = (rows: Row[], level: 'database' | 'server', idCol: string) => {
    for (const r of rows) {
      const key = `${level}:${str(r[idCol])}`;
      let spec = specs.get(key);
      if (!spec) {
        spec = {
          name: str(r.name),
          level,
          enabled: flag(r.is_state_enabled) === true,
          audit: auditName.get(str(r.audit_guid).toLowerCase()) ?? null,
          actions: [],
        };
        specs.set(key, spec);
      }
      if (r.audit_action_name === null || r.audit_action_name === undefined) continue;
      const schema = strOrNull(r.securable_schema);
      const name = strOrNull(r.securable_name);
      spec.actions.push({
        action: str(r.audit_action_name),
        isGroup: flag(r.is_group) === true,
        classDesc: str(r.class_desc),
        securable: name ? `${schema ?? ''}.${name}` : (schema ?? ''),
        principal: strOrNull(r.audited_principal),
      });
    }
  };
  add(dbRows ?? [], 'database', 'database_specification_id');
  add(serverRows ?? [], 'server', 'server_specification_id');
  return [...specs.values()];
}

export function mapLogins(
  serverPrincipals: ServerPrincipal[] | null,
  sqlLogins: Row[] | undefined,
): MssqlLogin[] | null {
  if (!serverPrincipals) return null;
  const policy = new Map((sqlLogins ?? []).map((l) => [num(l.principal_id), l]));
  return serverPrincipals
    .filter((p) => p.type !== 'R')
    .map((p) => {
      const l = policy.get(p.id);
      return {
        name: p.name,
        type: p.type,
        sqlLogin: p.type === 'S',
        disabled: p.disabled,
        policyChecked: l ? flag(l.is_policy_checked) : null,
        expirationChecked: l ? flag(l.is_expiration_checked) : null,
        isSa: p.sidHex?.toUpperCase() === '0X01',
      };
    });
}

// ---------------------------------------------------------------------------------------------
// Everything together

export interface MapContext {
  prefix: string;
  schema?: string;
  connectedUser: string;
  connection: MssqlFacts['connection'];
  isolation: MssqlFacts['isolation'];
}

export interface Mapped {
  serverVersion: { product: string; version: string; versionNum?: number };
  database: string;
  login: string;
  quartz: QuartzObjects;
  principals: Principal[];
  dbPrincipals: DbPrincipal[];
  memberships: Membership[];
  grants: Grant[];
  effective: EffectivePrivilege[];
  tamper: TamperObject[];
  settings: Record<string, string | null>;
  session: { tls: boolean | null; viaSocket?: boolean };
  tableEncryption: { table: string; encrypted: boolean | null; detail?: string }[];
  quartzSchemaColumns: string[] | undefined;
  /** Filled once the service account is known (finishMssqlFacts). */
  mssql: Omit<MssqlFacts, 'serviceUser' | 'capabilities'> & Partial<Pick<MssqlFacts, 'serviceUser' | 'capabilities'>>;
  /** Inputs finishMssqlFacts needs. */
  internal: {
    graph: Map<number, number[]>;
    permissions: DbPermission[];
    serverPrincipals: ServerPrincipal[] | null;
    serverRoleMembers: MssqlServerRoleMember[] | null;
    serverPermissions: MssqlServerPermission[] | null;
    myServerPermissions: string[] | null;
    capabilities: Row | undefined;
    xpGrants: Row[] | undefined;
    /** xp_cmdshell grants read with VIEW DEFINITION in master (absence then means none). */
    xpGrantsComplete: boolean;
    /** Database principals / memberships / permissions read with VIEW DEFINITION (for service-account inference). */
    databaseCatalogComplete: boolean;
    assemblies: Row[] | undefined;
  };
  unreadable: Unreadable[];
}

function serverRoleMembership(sp: ServerPrincipal[] | null, rows: Row[] | undefined): MssqlServerRoleMember[] | null {
  if (!sp || !rows) return null;
  const byId = new Map(sp.map((p) => [p.id, p.name]));
  return rows.map((r) => ({
    login: byId.get(num(r.member_principal_id) ?? -1) ?? `#${str(r.member_principal_id)}`,
    role: byId.get(num(r.role_principal_id) ?? -1) ?? `#${str(r.role_principal_id)}`,
  }));
}

function serverPermissionList(sp: ServerPrincipal[] | null, rows: Row[] | undefined): MssqlServerPermission[] | null {
  if (!sp || !rows) return null;
  const byId = new Map(sp.map((p) => [p.id, p.name]));
  const states: Record<string, MssqlServerPermission['state']> = {
    G: 'GRANT',
    W: 'GRANT_WITH_GRANT_OPTION',
    D: 'DENY',
  };
  return rows
    .filter((r) => str(r.state).trim() in states)
    .map((r) => ({
      grantee: byId.get(num(r.grantee_principal_id) ?? -1) ?? `#${str(r.grantee_principal_id)}`,
      permission: upper(str(r.permission_name)),
      state: states[str(r.state).trim()] as MssqlServerPermission['state'],
      classDesc: str(r.class_desc),
    }));
}

/** Logins (by name) that are sysadmin members, directly or through nested server roles; null = not visible. */
export function sysadminLogins(
  members: MssqlServerRoleMember[] | null,
  sp: ServerPrincipal[] | null,
): Set<string> | null {
  if (!members) return null;
  const graph = new Map<string, string[]>();
  for (const m of members) graph.set(m.login, [...(graph.get(m.login) ?? []), m.role]);
  const out = new Set<string>();
  // Server roles (ops → sysadmin) pass membership on; only logins are reported.
  const roles = new Set((sp ?? []).filter((p) => p.type === 'R').map((p) => p.name));
  for (const login of new Set([...members.map((m) => m.login), ...(sp ?? []).map((p) => p.name)])) {
    const seen = new Set<string>([login]);
    const queue = [login];
    while (queue.length) {
      const cur = queue.shift() as string;
      if (cur === 'sysadmin' && login !== 'sysadmin' && !roles.has(login)) out.add(login);
      for (const r of graph.get(cur) ?? []) {
        if (seen.has(r)) continue;
        seen.add(r);
        queue.push(r);
      }
    }
  }
  for (const p of sp ?? []) if (p.sidHex?.toUpperCase() === '0X01') out.add(p.name);
  return out;
}

/** Maps every query's rows (absent = not readable) into normalized facts plus SQL Server facts. */
export function mapMssql(rows: MssqlRows, ctx: MapContext): Mapped {
  const unreadable: Unreadable[] = [];
  const server = rows.server?.[0] ?? {};
  // Catalog views never fail for a missing permission: they show fewer rows. The capability probe says
  // which reads are complete; a partial read keeps what it found (a found grant, trigger or login is
  // real) but absence in it proves nothing.
  const caps = rows.capabilities?.[0];
  const has = (col: string) => caps !== undefined && num(caps[col]) === 1;
  const serverAdminSelf = has('is_sysadmin') || has('control_server');
  const dbDef = has('view_database_definition') || serverAdminSelf;
  const anyDef = has('view_any_definition') || serverAdminSelf;
  const masterDef = has('view_master_definition') || serverAdminSelf;
  const PARTIAL_IF: Record<string, boolean> = {
    principals: !dbDef,
    'role-members': !dbDef,
    'database-permissions': !dbDef,
    triggers: !dbDef,
    'trigger-events': !dbDef,
    synonyms: !dbDef,
    assemblies: !dbDef,
    columns: !dbDef,
    'database-audit-specs': !dbDef,
    'server-principals': !anyDef,
    'server-role-members': !anyDef,
    'server-permissions': !anyDef,
    'sql-logins': !anyDef,
    'server-audits': !anyDef,
    'server-audit-specs': !anyDef,
    'xp-cmdshell-grants': !masterDef,
  };
  const partial = (q: string) => rows[q] !== undefined && PARTIAL_IF[q] === true;
  const need = (q: string, what = `mssql.${q}`) => {
    if (!rows[q]) {
      unreadable.push({
        what,
        reason: `could not read ${q}`,
        needs: NEEDS[q] ?? 'see queries/mssql',
        cause: 'privilege',
      });
      return false;
    }
    if (partial(q)) {
      unreadable.push({
        what,
        reason: `partial view of ${q}: the catalog shows only what the login owns or holds a permission on`,
        needs: NEEDS[q] ?? 'see queries/mssql',
        cause: 'privilege',
      });
    }
    return true;
  };
  const productVersion = str(server.product_version);
  const major = num(productVersion.split('.')[0]);
  const minor = num(productVersion.split('.')[1]) ?? 0;
  const dbRow = rows.database?.[0] ?? {};
  const capabilities = caps;

  // Database principals and roles. Without VIEW DEFINITION these are partial: the catalog shows the
  // login's own principals and public only.
  const dbPrincipals = need('principals') ? mapDbPrincipals(rows.principals ?? []) : [];
  need('role-members');
  need('database-permissions');
  const graph = roleGraph(rows['role-members'] ?? []);
  const permissions = mapDbPermissions(rows['database-permissions'] ?? []);
  const byId = new Map(dbPrincipals.map((p) => [p.id, p]));
  const me = dbPrincipals.find((p) => p.name === ctx.connectedUser);
  const defaultSchema = me?.defaultSchema ?? strOrNull(server.default_schema);
  const quartz = mapQuartzObjects(rows['quartz-objects'] ?? [], ctx.prefix, ctx.schema, defaultSchema, dbPrincipals);

  // Server side.
  const serverPrincipals = need('server-principals') ? mapServerPrincipals(rows['server-principals'] ?? []) : null;
  need('server-role-members');
  need('server-permissions');
  // A partial server catalog would make "not a sysadmin" look like a fact: treat it as not visible.
  const serverRoleMembers = partial('server-role-members')
    ? null
    : serverRoleMembership(serverPrincipals, rows['server-role-members']);
  const serverPermissions = partial('server-permissions')
    ? null
    : serverPermissionList(serverPrincipals, rows['server-permissions']);

  const principals: Principal[] = dbPrincipals
    .filter((p) => !p.fixedRole || p.id === PUBLIC_ID)
    .map((p) => {
      const login = serverPrincipals?.find(
        (s) => s.sidHex && p.sidHex && s.sidHex.toUpperCase() === p.sidHex.toUpperCase(),
      );
      const attributes = [
        p.type === 'R' ? 'database-role' : p.type === 'A' ? 'application-role' : `type-${p.type}`,
        ...(p.id === DBO_ID ? ['dbo', 'superuser'] : []),
        ...(p.authentication === 'DATABASE' ? ['contained'] : []),
        ...(login?.disabled ? ['login-disabled'] : []),
        ...(login ? [`login:${login.name}`] : []),
      ];
      return {
        name: p.name,
        kind:
          p.id === PUBLIC_ID
            ? ('public' as const)
            : p.type === 'R' || p.type === 'A'
              ? ('role' as const)
              : ('user' as const),
        canLogin:
          p.id === GUEST_ID
            ? permissions.some(
                (x) => x.grantee === GUEST_ID && x.class === 0 && x.permission === 'CONNECT' && x.state !== 'D',
              )
            : USER_TYPES.has(p.type) && p.sidHex !== null && p.authentication !== 'NONE',
        attributes,
      };
    });
  const memberships: Membership[] = [];
  for (const [member, roles] of graph) {
    for (const role of roles) {
      memberships.push({
        member: byId.get(member)?.name ?? `#${member}`,
        role: byId.get(role)?.name ?? `#${role}`,
        inherit: true,
        admin: false,
      });
    }
  }

  // Grants (G / W rows) in the engine-neutral shape; DENY rows stay in the effective computation.
  const quartzById = new Map(quartz.tables.map((t) => [t.objectId, t]));
  const grants: Grant[] = [];
  for (const perm of permissions) {
    if (perm.state !== 'G' && perm.state !== 'W') continue;
    const grantee = byId.get(perm.grantee)?.name ?? `#${perm.grantee}`;
    const base = {
      grantee,
      privilege: perm.permission,
      grantable: perm.state === 'W',
      grantor: byId.get(perm.grantor)?.name ?? `#${perm.grantor}`,
    };
    if (perm.class === 0) grants.push({ ...base, objectKind: 'database', object: str(dbRow.name) });
    else if (perm.class === 3)
      grants.push({ ...base, objectKind: 'schema', object: perm.schema ?? `#${perm.majorId}` });
    else if (perm.class === 1) {
      const q = quartzById.get(perm.majorId);
      const object = `${perm.schema ?? ''}.${perm.name ?? `#${perm.majorId}`}`;
      grants.push({
        ...base,
        objectKind: perm.minorId > 0 ? 'column' : 'table',
        object: perm.minorId > 0 ? `${object}.${perm.column ?? perm.minorId}` : object,
        ...(q ? { quartzTable: q.logical } : {}),
      });
    }
  }
  for (const sp of serverPermissions ?? []) {
    if (sp.state === 'DENY' || sp.classDesc !== 'SERVER') continue;
    grants.push({
      grantee: sp.grantee,
      privilege: sp.permission,
      objectKind: 'server',
      object: '',
      grantable: sp.state === 'GRANT_WITH_GRANT_OPTION',
    });
  }

  // sysadmin / CONTROL SERVER per database user (through its login's sid).
  const admins = sysadminLogins(serverRoleMembers, serverPrincipals);
  const loginOf = (p: DbPrincipal) =>
    serverPrincipals?.find((s) => s.sidHex && p.sidHex && s.sidHex.toUpperCase() === p.sidHex.toUpperCase())?.name ??
    null;
  const sysadminUsers = new Set<number>();
  const controlServerUsers = new Set<number>();
  for (const p of dbPrincipals) {
    const login = loginOf(p);
    if (!login) continue;
    if (admins?.has(login)) sysadminUsers.add(p.id);
    if (serverPermissions?.some((s) => s.grantee === login && s.permission === 'CONTROL SERVER' && s.state !== 'DENY'))
      controlServerUsers.add(p.id);
  }
  // Self view when the server catalog is partial: the connected login's own role and permissions.
  if (me && capabilities) {
    if (flag(capabilities.is_sysadmin) === true) sysadminUsers.add(me.id);
    if (flag(capabilities.control_server) === true) controlServerUsers.add(me.id);
  }
  const schemaOwners = new Map<string, number>();
  for (const r of rows['quartz-objects'] ?? []) {
    const owner = dbPrincipals.find((p) => p.name === str(r.schema_owner));
    if (owner) schemaOwners.set(str(r.schema_name), owner.id);
  }
  const effective = computeEffective({
    principals: dbPrincipals,
    graph,
    permissions,
    tables: quartz.tables,
    schemaOwners,
    sysadminUsers,
    controlServerUsers,
  });

  // Shadows and triggers.
  const { tamper: shadowTamper, shadows } = mapShadows(
    quartz.others,
    rows.synonyms ?? [],
    quartz.schema,
    defaultSchema,
    ctx.prefix,
    new Map(quartz.tables.map((t) => [t.logical as string, t.name])),
  );
  const triggers = need('triggers')
    ? mapTriggers(rows.triggers ?? [], rows['trigger-events'] ?? [], ctx.prefix, quartz.schema)
    : null;
  const tamper = [...shadowTamper, ...triggerTamper(triggers ?? [])];
  // Checks read `tamper` as one fact: when any of its sources is partial or unread, absence proves nothing.
  const tamperSources = ['quartz-objects', 'triggers', 'trigger-events', 'synonyms'];
  const tamperGaps = tamperSources.filter((q) => !rows[q] || partial(q) || (q === 'quartz-objects' && !dbDef));
  if (tamperGaps.length) {
    unreadable.push({
      what: 'tamper',
      reason: `partial or unread: ${tamperGaps.join(', ')} (triggers and objects on securables the login holds no permission on are invisible)`,
      needs: NEEDS.triggers,
      cause: 'privilege',
    });
  }

  // Settings.
  need('configurations');
  need('xp-cmdshell-grants');
  need('assemblies');
  need('synonyms');
  need('columns');
  const settings = mapConfigurations(rows.configurations ?? []);
  const cfg = (name: string): boolean | null =>
    name in settings ? (settings[name] === null ? null : Number(settings[name]) === 1) : null;

  // TDE: the DMV when visible (2019+ shape or 2016/2017 shape), else sys.databases.is_encrypted.
  const tdeRows = rows.tde ?? rows['tde-2016'];
  if (!tdeRows) need(major !== null && major < 15 ? 'tde-2016' : 'tde', 'mssql.tde');
  const tdeStates = (tdeRows ?? []).map(mapTdeRow);
  const dbName = str(dbRow.name) || str(server.database_name);
  const tdeDb = tdeRows
    ? (tdeStates.find((s) => s.database === dbName) ?? { ...mapTdeRow({ encryption_state: 0, database_name: dbName }) })
    : null;
  const tdeTemp = tdeRows
    ? (tdeStates.find((s) => s.database === 'tempdb') ?? mapTdeRow({ encryption_state: 0, database_name: 'tempdb' }))
    : null;
  const encRows = rows['databases-encrypted'];
  const isEncrypted = flag(encRows?.find((r) => str(r.name) === dbName)?.is_encrypted ?? dbRow.is_encrypted);
  const tempdbIsEncrypted = flag(encRows?.find((r) => str(r.name) === 'tempdb')?.is_encrypted);
  const tableEncryption = quartz.tables.map((t) => ({
    table: `${t.schema}.${t.name}`,
    encrypted: tdeDb ? tdeDb.encrypted : isEncrypted === false ? false : null,
    detail: tdeDb
      ? `TDE ${tdeDb.stateDesc}${tdeDb.keyAlgorithm ? ` (${tdeDb.keyAlgorithm} ${tdeDb.keyLength ?? ''})`.replace(' )', ')') : ''}`
      : isEncrypted
        ? 'sys.databases.is_encrypted = 1: encrypted or encryption in progress (state not visible)'
        : 'sys.databases.is_encrypted = 0',
  }));

  // Backups.
  need('backups');
  const backups = rows.backups
    ? rows.backups.map((b) => ({
        finished:
          b.backup_finish_date instanceof Date ? b.backup_finish_date.toISOString() : strOrNull(b.backup_finish_date),
        type: str(b.type).trim(),
        encrypted: strOrNull(b.key_algorithm) !== null || strOrNull(b.encryptor_type) !== null,
        keyAlgorithm: strOrNull(b.key_algorithm),
      }))
    : null;

  // Columns: Always Encrypted and the schema-version column list.
  const colRows = rows.columns;
  const quartzSchemaColumns = colRows
    ? colRows
        .map((c) => {
          const l = logicalName(ctx.prefix, str(c.table_name));
          return l ? `${l}.${upper(str(c.name))}` : null;
        })
        .filter((x): x is string => x !== null)
    : undefined;
  const alwaysEncrypted = (colRows ?? [])
    .filter((c) => c.encryption_type !== null && c.encryption_type !== undefined)
    .map((c) => ({
      table: str(c.table_name),
      column: str(c.name),
      encryptionType: str(c.encryption_type_desc) || str(c.encryption_type),
    }));

  // Session transport.
  const sess = rows.session?.[0];
  need('connection-encryption');
  const encRow = rows['connection-encryption']?.[0];
  const encryptOption = encRow ? upper(str(encRow.encrypt_option)) === 'TRUE' : null;
  const connection = {
    ...ctx.connection,
    encryptOption,
    netTransport: strOrNull(encRow?.net_transport ?? sess?.net_transport),
    authScheme: strOrNull(encRow?.auth_scheme ?? sess?.auth_scheme),
  };

  // Audits.
  need('server-audits');
  need('audit-status');
  need('database-audit-specs');
  need('server-audit-specs');
  const status = new Map((rows['audit-status'] ?? []).map((s) => [num(s.audit_id), str(s.status_desc)]));
  // A partial sys.server_audits is usually empty: "no audit" would be a false fact.
  const servers =
    rows['server-audits'] && !partial('server-audits')
      ? rows['server-audits'].map((a) => ({
          name: str(a.name),
          target: str(a.type_desc),
          enabled: flag(a.is_state_enabled) === true,
          onFailure: str(a.on_failure_desc),
          status: rows['audit-status'] ? (status.get(num(a.audit_id)) ?? 'NOT STARTED') : null,
        }))
      : null;
  const specifications = mapAuditSpecifications(
    partial('database-audit-specs') ? undefined : rows['database-audit-specs'],
    partial('server-audit-specs') ? undefined : rows['server-audit-specs'],
    rows['server-audits'],
  );
  const serverSpecs =
    rows['server-audit-specs'] && !partial('server-audit-specs')
      ? (specifications ?? []).filter((s) => s.level === 'server' && s.enabled)
      : null;
  const audited = (group: string) =>
    serverSpecs ? serverSpecs.some((s) => s.actions.some((a) => a.action === group)) : null;
  unreadable.push({
    what: 'mssql.login-auditing-level',
    reason: 'the login auditing level is a registry setting no catalog view exposes (xp_instance_regread is not used)',
    needs:
      'not observable via SQL: check SQL Server Management Studio → Server Properties → Security, or audit FAILED_LOGIN_GROUP',
    cause: 'other',
  });

  // Logins.
  need('sql-logins');
  const logins = mapLogins(serverPrincipals, rows['sql-logins']);
  const sa = logins?.find((l) => l.isSa);

  const ownerSid = str(dbRow.owner_sid_hex).toUpperCase();
  const ownerLogin = strOrNull(dbRow.owner_login);
  const ownerIsSa = dbRow.owner_sid_hex === undefined ? null : ownerSid === '0X01';
  const ownerIsSysadmin = ownerIsSa ? true : admins && ownerLogin ? admins.has(ownerLogin) : null;
  const snapshotState = strOrNull(dbRow.snapshot_isolation_state_desc);

  const mssql: Mapped['mssql'] = {
    version: {
      productVersion,
      major,
      productLevel: str(server.product_level),
      edition: str(server.edition),
      engineEdition: num(server.engine_edition),
    },
    connection,
    isolation: {
      ...ctx.isolation,
      snapshotIsolationState: snapshotState,
      readCommittedSnapshot: flag(dbRow.is_read_committed_snapshot_on),
    },
    database: {
      name: dbName,
      ownerLogin,
      ownerIsSa,
      ownerIsSysadmin,
      trustworthy: flag(dbRow.is_trustworthy_on),
      dbChaining: flag(dbRow.is_db_chaining_on),
      isEncrypted,
      compatibilityLevel: num(dbRow.compatibility_level),
    },
    serverSecurity: { roleMembers: serverRoleMembers, permissions: serverPermissions },
    guestEnabled: !rows['database-permissions']
      ? null
      : permissions.some(
          (x) =>
            x.grantee === GUEST_ID &&
            x.class === 0 &&
            x.permission === 'CONNECT' &&
            (x.state === 'G' || x.state === 'W'),
        ) || (partial('database-permissions') ? null : false),
    logins: {
      list: logins,
      saEnabled: sa ? !sa.disabled : null,
      mixedMode: num(server.integrated_security_only) === null ? null : num(server.integrated_security_only) === 0,
    },
    tde: { database: tdeDb, tempdb: tdeTemp, isEncrypted, tempdbIsEncrypted },
    backups,
    alwaysEncrypted,
    audit: {
      servers,
      specifications,
      c2AuditMode: cfg('c2 audit mode'),
      commonCriteria: cfg('common criteria compliance enabled'),
      loginAuditing: {
        registryLevel: 'not-visible',
        failedLoginsAudited: audited('FAILED_LOGIN_GROUP'),
        successfulLoginsAudited: audited('SUCCESSFUL_LOGIN_GROUP'),
      },
    },
    triggers,
    shadows,
  };

  return {
    serverVersion: {
      product: `Microsoft SQL Server ${str(server.edition)}`.trim(),
      version: [productVersion, str(server.product_level)].filter(Boolean).join(' '),
      ...(major !== null ? { versionNum: major * 10000 + minor * 100 } : {}),
    },
    database: dbName,
    login: str(server.login_name),
    quartz,
    principals,
    dbPrincipals,
    memberships,
    grants,
    effective,
    tamper,
    settings,
    session: { tls: encryptOption ?? (ctx.connection.encryptRequested === false ? null : true), viaSocket: false },
    tableEncryption,
    quartzSchemaColumns,
    mssql,
    internal: {
      graph,
      permissions,
      serverPrincipals,
      serverRoleMembers,
      serverPermissions,
      myServerPermissions: rows['my-server-permissions']
        ? rows['my-server-permissions'].map((r) => upper(str(r.permission_name)))
        : null,
      capabilities,
      xpGrants: rows['xp-cmdshell-grants'],
      xpGrantsComplete: rows['xp-cmdshell-grants'] !== undefined && !partial('xp-cmdshell-grants'),
      databaseCatalogComplete: rows.principals !== undefined && !partial('principals'),
      assemblies: rows.assemblies,
    },
    unreadable,
  };
}

/**
 * Completes the SQL Server facts once the service account is chosen: its user, login, fixed and server
 * roles, and the capabilities it (or anyone) can reach.
 */
export function finishMssqlFacts(m: Mapped, serviceAccount: string, connectedUser: string): MssqlFacts {
  const { internal } = m;
  const user = m.dbPrincipals.find((p) => p.name === serviceAccount);
  const byId = new Map(m.dbPrincipals.map((p) => [p.id, p]));
  const reach = user ? reachable(user.id, internal.graph) : new Map<number, number[]>();
  const fixedRoles = [...reach.keys()]
    .map((id) => byId.get(id))
    .filter((p): p is DbPrincipal => Boolean(p?.fixedRole) && p?.id !== PUBLIC_ID)
    .map((p) => p.name);
  const login =
    user && internal.serverPrincipals
      ? (internal.serverPrincipals.find(
          (s) => s.sidHex && user.sidHex && s.sidHex.toUpperCase() === user.sidHex.toUpperCase(),
        )?.name ?? null)
      : null;
  const isSelf = serviceAccount === connectedUser;
  const admins = sysadminLogins(internal.serverRoleMembers, internal.serverPrincipals);
  let serverRoles: string[] | null = null;
  if (internal.serverRoleMembers && login) {
    const graph = new Map<string, string[]>();
    for (const x of internal.serverRoleMembers) graph.set(x.login, [...(graph.get(x.login) ?? []), x.role]);
    const seen = new Set<string>();
    const queue = [login];
    while (queue.length) {
      for (const r of graph.get(queue.shift() as string) ?? []) {
        if (seen.has(r)) continue;
        seen.add(r);
        queue.push(r);
      }
    }
    serverRoles = [...seen].sort();
  } else if (isSelf && internal.capabilities) {
    const c = internal.capabilities;
    serverRoles = [
      ...(flag(c.is_sysadmin) ? ['sysadmin'] : []),
      ...(flag(c.is_securityadmin) ? ['securityadmin'] : []),
    ];
  }
  let serverPermissions: string[] | null = null;
  if (isSelf && internal.myServerPermissions) serverPermissions = internal.myServerPermissions;
  else if (internal.serverPermissions && login)
    serverPermissions = internal.serverPermissions
      .filter((p) => p.grantee === login && p.state !== 'DENY')
      .map((p) => p.permission);
  const serverAdmin =
    serverRoles === null && serverPermissions === null
      ? null
      : (serverRoles ?? []).includes('sysadmin') || (serverPermissions ?? []).includes('CONTROL SERVER');

  // xp_cmdshell reach: sysadmin members, CONTROL SERVER holders, EXECUTE grantees in master.
  const reachableBy: Reach[] = [];
  for (const a of admins ?? []) reachableBy.push({ principal: a, level: 'login', via: ['sysadmin'] });
  for (const p of internal.serverPermissions ?? [])
    if (p.permission === 'CONTROL SERVER' && p.state !== 'DENY')
      reachableBy.push({ principal: p.grantee, level: 'login', via: ['CONTROL SERVER'] });
  const xpGrantees = (internal.xpGrants ?? []).filter(
    (g) => ['G', 'W'].includes(str(g.state).trim()) && upper(str(g.permission_name)) === 'EXECUTE',
  );
  for (const g of xpGrantees)
    reachableBy.push({ principal: str(g.grantee), level: 'user', via: ['EXECUTE on master.sys.xp_cmdshell'] });
  const userSid = user?.sidHex?.toUpperCase();
  const viaXpGrant = xpGrantees.some(
    (g) => str(g.grantee) === 'public' || (userSid && str(g.sid_hex).toUpperCase() === userSid),
  );
  const serviceAccountCan =
    serverAdmin === true || viaXpGrant ? true : serverAdmin === null || !internal.xpGrantsComplete ? null : false;

  const cfg = (name: string): boolean | null =>
    name in m.settings ? (m.settings[name] === null ? null : Number(m.settings[name]) === 1) : null;
  const assemblies = (internal.assemblies ?? [])
    .filter((a) => flag(a.is_user_defined) === true)
    .map((a) => ({ name: str(a.name), permissionSet: str(a.permission_set_desc), userDefined: true }));
  const trustworthy = m.mssql.database.trustworthy;
  const trustworthyEscalation =
    trustworthy === false
      ? false
      : trustworthy === null || m.mssql.database.ownerIsSysadmin === null
        ? null
        : m.mssql.database.ownerIsSysadmin;

  return {
    ...m.mssql,
    serviceUser: {
      name: serviceAccount,
      login,
      defaultSchema: user?.defaultSchema ?? null,
      isDbo: user?.id === DBO_ID,
      fixedRoles: fixedRoles.sort(),
      serverRoles,
      serverPermissions,
      serverAdmin,
    },
    capabilities: {
      osCommand: { xpCmdshellEnabled: cfg('xp_cmdshell'), reachableBy, serviceAccountCan },
      clr: { enabled: cfg('clr enabled'), strictSecurity: cfg('clr strict security'), assemblies },
      oleAutomation: cfg('Ole Automation Procedures'),
      externalScripts: cfg('external scripts enabled'),
      adHocDistributedQueries: cfg('Ad Hoc Distributed Queries'),
      crossDbOwnershipChaining: cfg('cross db ownership chaining'),
      trustworthyEscalation,
    },
  };
}
