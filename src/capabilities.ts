/**
 * Engine-neutral capability facts (Facts.capabilities): what the service account CAN DO, from each engine's
 * attributes, predefined roles and server privileges. Adapters call `serviceAccountCapabilities(facts)` once the
 * principals, memberships, grants (and for SQL Server its typed facts) are read, so checks judge "can run OS
 * commands" rather than engine names. Each engine's rules are a table here; a new engine adds one function.
 */
import { CAPABILITIES, type Capability, type CapabilityFact, type Dialect, type Facts } from './model.js';
import { walkRoles } from './role-graph.js';

/** PostgreSQL role attributes → capabilities. */
const PG_ATTRIBUTES: Record<string, Capability[]> = {
  // A superuser can do everything there is to do.
  superuser: [...CAPABILITIES],
  createrole: ['administer-roles'],
  bypassrls: ['bypass-row-security'],
  replication: ['administer-server'],
};

/** PostgreSQL predefined roles → capabilities (membership, with or without INHERIT: SET ROLE reaches them). */
const PG_ROLES: Record<string, Capability[]> = {
  pg_execute_server_program: ['run-os-commands'],
  pg_read_server_files: ['read-server-files'],
  pg_write_server_files: ['write-server-files'],
  pg_read_all_data: ['read-all-data'],
  pg_write_all_data: ['write-all-data'],
  pg_signal_backend: ['administer-server'],
  pg_checkpoint: ['administer-server'],
};

/** MySQL/MariaDB global (server-level, *.*) privileges → capabilities. */
const MYSQL_GLOBAL: Record<string, Capability[]> = {
  'ALL PRIVILEGES': [
    'superuser',
    'administer-roles',
    'read-server-files',
    'write-server-files',
    'read-all-data',
    'write-all-data',
    'administer-server',
  ],
  SUPER: ['superuser', 'administer-server'],
  SYSTEM_USER: ['superuser'],
  'CREATE USER': ['administer-roles'],
  'GRANT OPTION': ['administer-roles'],
  ROLE_ADMIN: ['administer-roles'],
  FILE: ['read-server-files', 'write-server-files'],
  SHUTDOWN: ['administer-server'],
  RELOAD: ['administer-server'],
  PROCESS: ['administer-server'],
  CONNECTION_ADMIN: ['administer-server'],
  'CONNECTION ADMIN': ['administer-server'],
  SELECT: ['read-all-data'],
  INSERT: ['write-all-data'],
  UPDATE: ['write-all-data'],
  DELETE: ['write-all-data'],
};

function dedupe(list: CapabilityFact[]): CapabilityFact[] {
  const seen = new Set<string>();
  return list.filter((c) => {
    const k = `${c.principal}\u0000${c.capability}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function postgres(facts: Facts, principal: string): CapabilityFact[] {
  const out: CapabilityFact[] = [];
  for (const { role, path } of walkRoles(facts.memberships, principal)) {
    const via = path.length ? ` via ${path.join(' → ')}` : '';
    const p = facts.principals.find((x) => x.name === role);
    // Attributes are not inherited, but SET ROLE to a role reached by membership gives its attributes: they
    // count, with the path (the membership's SET option is not in the facts, so this errs on reporting).
    for (const a of p?.attributes ?? []) {
      for (const capability of PG_ATTRIBUTES[a] ?? []) {
        out.push({ principal, capability, via: `attribute ${a.toUpperCase()}${via}` });
      }
    }
    for (const capability of PG_ROLES[role] ?? []) out.push({ principal, capability, via: `role ${role}${via}` });
  }
  return out;
}

function mysql(facts: Facts, principal: string): CapabilityFact[] {
  const out: CapabilityFact[] = [];
  const holders = new Map<string, string>();
  for (const { role, path } of walkRoles(facts.memberships, principal))
    holders.set(role, path.length ? ` via role ${path.join(' → ')}` : '');
  if (!holders.has('PUBLIC')) holders.set('PUBLIC', ' via PUBLIC');
  const filePriv = facts.settings.secure_file_priv;
  for (const g of facts.grants) {
    if (g.objectKind !== 'server') continue;
    const via = holders.get(g.grantee);
    if (via === undefined) continue;
    for (const capability of MYSQL_GLOBAL[g.privilege] ?? []) {
      out.push({ principal, capability, via: `${g.privilege} ON *.*${via}` });
    }
    if ((g.privilege === 'FILE' || g.privilege === 'ALL PRIVILEGES') && filePriv === '') {
      out.push({
        principal,
        capability: 'run-os-commands',
        via: `${g.privilege} ON *.* with secure_file_priv empty (files anywhere the server can write)${via}`,
      });
    }
  }
  return out;
}

function mssql(facts: Facts, principal: string): CapabilityFact[] | undefined {
  const m = facts.mssql;
  if (!m) return undefined;
  const out: CapabilityFact[] = [];
  const u = m.serviceUser;
  // What the login can do at server level was not visible: unknown, never "nothing".
  if (u.serverAdmin === null || u.serverPermissions === null || m.capabilities.osCommand.serviceAccountCan === null)
    return undefined;
  if (u.serverAdmin) {
    for (const capability of [
      'superuser',
      'administer-roles',
      'run-os-commands',
      'read-server-files',
      'write-server-files',
      'read-all-data',
      'write-all-data',
      'administer-server',
    ] as const)
      out.push({ principal, capability, via: 'sysadmin or CONTROL SERVER' });
  }
  if (m.capabilities.osCommand.serviceAccountCan) {
    out.push({
      principal,
      capability: 'run-os-commands',
      via: `xp_cmdshell (${m.capabilities.osCommand.xpCmdshellEnabled ? 'enabled' : 'disabled, but the login can enable it'})`,
    });
  }
  for (const p of u.serverPermissions ?? []) {
    if (p === 'ALTER ANY LOGIN' || p === 'ALTER ANY SERVER ROLE')
      out.push({ principal, capability: 'administer-roles', via: `server permission ${p}` });
    if (p === 'ADMINISTER BULK OPERATIONS')
      out.push({ principal, capability: 'read-server-files', via: `server permission ${p}` });
    if (p === 'SHUTDOWN' || p === 'ALTER SERVER STATE' || p === 'ALTER ANY CONNECTION')
      out.push({ principal, capability: 'administer-server', via: `server permission ${p}` });
  }
  for (const r of u.fixedRoles) {
    if (r === 'db_securityadmin' || r === 'db_accessadmin' || r === 'db_owner')
      out.push({ principal, capability: 'administer-roles', via: `fixed database role ${r}` });
  }
  return out;
}

/** Engines with principals; an engine without an entry has no capability facts (its checks then say not-evaluated). */
const BY_ENGINE: Partial<Record<Dialect, (facts: Facts, principal: string) => CapabilityFact[] | undefined>> = {
  postgres,
  mysql,
  mariadb: mysql,
  mssql,
  // SQLite has no principals: whoever can open the file can do everything (QA-F01 judges the file).
};

/** The capabilities of the service account (undefined for engines without principals, or when it is unknown). */
export function serviceAccountCapabilities(facts: Facts): CapabilityFact[] | undefined {
  const rules = BY_ENGINE[facts.dialect];
  if (!rules || !facts.serviceAccount) return undefined;
  // Unknown principal (its attributes and roles were not read): unknown capabilities, never "none".
  if (facts.dialect !== 'mssql' && !facts.principals.some((p) => p.name === facts.serviceAccount)) return undefined;
  const list = rules(facts, facts.serviceAccount);
  return list && dedupe(list);
}

/** The service account's capabilities of a kind, as recorded in the facts. */
export function capabilitiesOf(facts: Facts, capability: Capability): CapabilityFact[] {
  return (facts.capabilities ?? []).filter((c) => c.principal === facts.serviceAccount && c.capability === capability);
}
