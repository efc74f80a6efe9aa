/**
 * MySQL 8 specifics on fixture rows shaped as the MySQL 8.0/8.4 Reference Manual documents them (mysql.user,
 * mysql.role_edges, mysql.default_roles, mysql.global_grants, information_schema *_PRIVILEGES, INNODB_TABLES /
 * INNODB_TABLESPACES.ENCRYPTION, SHOW VARIABLES, information_schema.PLUGINS, mysql.component), fed through the
 * same row→facts functions the adapter uses, then judged by the registered checks.
 */
import { describe, expect, it } from 'vitest';
import { allChecks } from '../../../src/checks/index.js';
import {
  computeEffective,
  detectFlavour,
  foreignPrivileges,
  mapApplicableRoles,
  mapAuditFilters,
  mapComponents,
  mapGlobalGrants,
  mapMysqlRoles,
  mapPlugins,
  mapPrivilegeRows,
  mapTablespacesMysql,
  mapUsersMysql,
  mapVariables,
  parseRoleList,
  type Row,
  superusers,
  tableIndex,
} from '../../../src/dialects/mysql/map.js';
import { evaluateFacts } from '../../../src/engine.js';
import { emptyFacts } from '../../../src/facts.js';
import { checkOptions, type Facts, QUARTZ_TABLES } from '../../../src/model.js';
import { ALL_FAMILIES, byCheck } from './helpers.js';

const DB = 'quartz';
const tables = QUARTZ_TABLES.map((logical) => ({ logical, name: `QRTZ_${logical}`, schema: DB }));

// mysql.user (users_mysql.sql selects these columns; empty_auth is `authentication_string = ''`).
const userRows: Row[] = [
  {
    User: 'quartz',
    Host: '10.0.%',
    ssl_type: 'ANY',
    plugin: 'caching_sha2_password',
    account_locked: 'N',
    empty_auth: 0,
  },
  { User: 'app_rw', Host: '%', ssl_type: '', plugin: 'caching_sha2_password', account_locked: 'Y', empty_auth: 1 },
  { User: 'reporting', Host: '%', ssl_type: '', plugin: 'caching_sha2_password', account_locked: 'N', empty_auth: 0 },
  { User: 'root', Host: 'localhost', ssl_type: '', plugin: 'auth_socket', account_locked: 'N', empty_auth: 1 },
  { User: '', Host: 'localhost', ssl_type: '', plugin: 'caching_sha2_password', account_locked: 'N', empty_auth: 1 },
  { User: 'legacy', Host: '%', ssl_type: '', plugin: 'mysql_native_password', account_locked: 'N', empty_auth: 1 },
  {
    User: 'mysql.sys',
    Host: 'localhost',
    ssl_type: '',
    plugin: 'caching_sha2_password',
    account_locked: 'Y',
    empty_auth: 0,
  },
];
// mysql.role_edges: role FROM_USER@FROM_HOST granted to TO_USER@TO_HOST.
const roleEdges: Row[] = [
  { FROM_HOST: '%', FROM_USER: 'app_rw', TO_HOST: '%', TO_USER: 'reporting', WITH_ADMIN_OPTION: 'N' },
];
// mysql.default_roles
const defaultRoles: Row[] = [{ HOST: '%', USER: 'reporting', DEFAULT_ROLE_HOST: '%', DEFAULT_ROLE_USER: 'app_rw' }];
// information_schema.USER_PRIVILEGES (one row per global privilege; IS_GRANTABLE instead of a GRANT OPTION row).
const userPrivs: Row[] = [
  { GRANTEE: "'quartz'@'10.0.%'", TABLE_CATALOG: 'def', PRIVILEGE_TYPE: 'USAGE', IS_GRANTABLE: 'NO' },
  { GRANTEE: "'root'@'localhost'", TABLE_CATALOG: 'def', PRIVILEGE_TYPE: 'SUPER', IS_GRANTABLE: 'YES' },
  { GRANTEE: "'root'@'localhost'", TABLE_CATALOG: 'def', PRIVILEGE_TYPE: 'INSERT', IS_GRANTABLE: 'YES' },
  { GRANTEE: "'legacy'@'%'", TABLE_CATALOG: 'def', PRIVILEGE_TYPE: 'SELECT', IS_GRANTABLE: 'NO' },
];
// mysql.global_grants (dynamic privileges).
const globalGrants: Row[] = [
  { USER: 'quartz', HOST: '10.0.%', PRIV: 'SYSTEM_VARIABLES_ADMIN', WITH_GRANT_OPTION: 'N' },
  { USER: 'root', HOST: 'localhost', PRIV: 'SYSTEM_USER', WITH_GRANT_OPTION: 'Y' },
];
const schemaPrivs: Row[] = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'].map((p) => ({
  GRANTEE: "'quartz'@'10.0.%'",
  TABLE_CATALOG: 'def',
  TABLE_SCHEMA: 'quartz',
  PRIVILEGE_TYPE: p,
  IS_GRANTABLE: 'NO',
}));
schemaPrivs.push({
  GRANTEE: "'quartz'@'10.0.%'",
  TABLE_CATALOG: 'def',
  TABLE_SCHEMA: 'billing',
  PRIVILEGE_TYPE: 'SELECT',
  IS_GRANTABLE: 'NO',
});
const tablePrivs: Row[] = ['INSERT', 'UPDATE'].map((p) => ({
  GRANTEE: "'app_rw'@'%'",
  TABLE_CATALOG: 'def',
  TABLE_SCHEMA: 'quartz',
  TABLE_NAME: 'QRTZ_TRIGGERS',
  PRIVILEGE_TYPE: p,
  IS_GRANTABLE: 'NO',
}));
const columnPrivs: Row[] = [
  {
    GRANTEE: "'reporting'@'%'",
    TABLE_CATALOG: 'def',
    TABLE_SCHEMA: 'quartz',
    TABLE_NAME: 'QRTZ_JOB_DETAILS',
    COLUMN_NAME: 'JOB_DATA',
    PRIVILEGE_TYPE: 'SELECT',
    IS_GRANTABLE: 'NO',
  },
];
// SHOW GLOBAL VARIABLES of a MySQL 8.4 Community server with a keyring component.
const variableRows: Row[] = Object.entries({
  version: '8.4.3',
  version_comment: 'MySQL Community Server - GPL',
  require_secure_transport: 'ON',
  tls_version: 'TLSv1.2,TLSv1.3',
  default_table_encryption: 'OFF',
  binlog_encryption: 'ON',
  innodb_redo_log_encrypt: 'OFF',
  innodb_undo_log_encrypt: 'ON',
  log_bin: 'ON',
  general_log: 'OFF',
  log_output: 'FILE',
  mandatory_roles: '',
  activate_all_roles_on_login: 'OFF',
}).map(([Variable_name, Value]) => ({ Variable_name, Value }));
// information_schema.INNODB_TABLES ⋈ INNODB_TABLESPACES (tablespaces_mysql.sql).
const tablespaceRows: Row[] = tables.map((t) => ({
  TABLE_NAME: `quartz/${t.name}`,
  SPACE_NAME: t.logical === 'CALENDARS' ? 'ts_general' : `quartz/${t.name}`,
  ENCRYPTION: t.logical === 'TRIGGERS' ? 'N' : 'Y',
  SPACE_TYPE: t.logical === 'CALENDARS' ? 'General' : 'Single',
}));
const pluginRows: Row[] = [
  { PLUGIN_NAME: 'mysql_native_password', PLUGIN_STATUS: 'ACTIVE', PLUGIN_TYPE: 'AUTHENTICATION', LOAD_OPTION: 'ON' },
  { PLUGIN_NAME: 'InnoDB', PLUGIN_STATUS: 'ACTIVE', PLUGIN_TYPE: 'STORAGE ENGINE', LOAD_OPTION: 'FORCE' },
];
const componentRows: Row[] = [{ component_id: 1, component_urn: 'file://component_keyring_file' }];

function mysql8Facts(
  over: { variables?: Row[]; plugins?: Row[]; components?: Row[]; auditFilters?: Row[] } = {},
): Facts {
  const flavour = detectFlavour('8.4.3', 'MySQL Community Server - GPL');
  const settings = mapVariables(over.variables ?? variableRows);
  const roleAccounts = new Set(["'app_rw'@'%'"]);
  const principals = mapUsersMysql(userRows, roleAccounts);
  const memberships = mapMysqlRoles(
    roleEdges,
    defaultRoles,
    settings,
    principals.map((p) => p.name),
  );
  const idx = tableIndex(DB, tables);
  const grants = [
    ...mapPrivilegeRows(
      { user: userPrivs, schema: schemaPrivs, table: tablePrivs, column: columnPrivs },
      new Set(),
      idx,
    ),
    ...mapGlobalGrants(globalGrants),
  ];
  const supers = superusers(grants);
  for (const p of principals) if (supers.has(p.name)) p.attributes.push('superuser');
  const svc = "'quartz'@'10.0.%'";
  const plugins = mapPlugins(over.plugins ?? pluginRows);
  return emptyFacts('mysql', {
    server: { product: flavour.product, version: flavour.version, versionNum: flavour.versionNum },
    target: { database: DB, schema: DB, tablePrefix: 'QRTZ_', user: "'root'@'localhost'" },
    serviceAccount: svc,
    connectedAs: "'root'@'localhost'",
    tables,
    principals,
    memberships,
    grants,
    effective: computeEffective(
      grants,
      memberships,
      principals.map((p) => p.name),
      tables,
      DB,
      supers,
    ),
    foreignPrivileges: foreignPrivileges(grants, memberships, svc, DB),
    settings,
    extensions: [
      ...plugins.filter((p) => p.status === 'ACTIVE').map((p) => p.name),
      ...mapComponents(over.components ?? componentRows),
    ],
    session: { tls: true, tlsVersion: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' },
    tableEncryption: mapTablespacesMysql(tablespaceRows, tables, 0),
    mysql: {
      flavour: 'mysql',
      lowerCaseTableNames: 0,
      ...(over.auditFilters ? { auditFilters: mapAuditFilters(over.auditFilters) } : {}),
    },
  });
}

const run = (facts: Facts) => evaluateFacts(facts, allChecks, ALL_FAMILIES, checkOptions({ maxBlobSize: 1 << 20 }));

describe('MySQL 8 row → facts mapping', () => {
  it('detects the flavour and version from VERSION() / @@version_comment', () => {
    expect(detectFlavour('8.4.3', 'MySQL Community Server - GPL')).toEqual({
      dialect: 'mysql',
      product: 'MySQL',
      version: '8.4.3',
      versionNum: 80403,
    });
    expect(detectFlavour('8.0.36-28', 'Percona Server (GPL), Release 28').product).toBe('Percona Server for MySQL');
    expect(detectFlavour('8.0.40-commercial', 'MySQL Enterprise Server - Commercial').product).toBe('MySQL Enterprise');
    expect(detectFlavour('5.5.5-10.11.6-MariaDB-0+deb12u1', 'Debian 12').dialect).toBe('mariadb');
    expect(detectFlavour('11.4.2-MariaDB', 'mariadb.org binary distribution').versionNum).toBe(110402);
  });

  it('maps mysql.user rows: roles (locked, in role_edges), anonymous, empty password, host, TLS', () => {
    const p = mapUsersMysql(userRows, new Set(["'app_rw'@'%'"]));
    const by = (n: string) => p.find((x) => x.name === n);
    expect(by("'app_rw'@'%'")).toMatchObject({ kind: 'role', canLogin: false });
    expect(by("'app_rw'@'%'")?.attributes).not.toContain('empty-password');
    expect(by("''@'localhost'")?.attributes).toEqual(expect.arrayContaining(['anonymous', 'empty-password']));
    expect(by("'legacy'@'%'")?.attributes).toEqual(expect.arrayContaining(['empty-password', 'host-any']));
    // auth_socket has no password to be empty.
    expect(by("'root'@'localhost'")?.attributes).not.toContain('empty-password');
    expect(by("'quartz'@'10.0.%'")?.attributes).toEqual(expect.arrayContaining(['require-ssl', 'host-wildcard']));
    expect(by("'quartz'@'10.0.%'")?.attributes).not.toContain('host-any');
    expect(by("'mysql.sys'@'localhost'")).toMatchObject({ canLogin: false });
  });

  it('maps role_edges + default_roles; activate_all_roles_on_login and mandatory_roles', () => {
    expect(mapMysqlRoles(roleEdges, defaultRoles, {}, [])).toEqual([
      { member: "'reporting'@'%'", role: "'app_rw'@'%'", admin: false, inherit: true },
    ]);
    expect(mapMysqlRoles(roleEdges, [], {}, [])[0]?.inherit).toBe(false);
    expect(mapMysqlRoles(roleEdges, [], { activate_all_roles_on_login: 'ON' }, [])[0]?.inherit).toBe(true);
    expect(parseRoleList('`app_ro`@`%`,audit@localhost,plain')).toEqual([
      "'app_ro'@'%'",
      "'audit'@'localhost'",
      "'plain'@'%'",
    ]);
    const m = mapMysqlRoles([], [], { mandatory_roles: '`app_rw`@`%`' }, ["'quartz'@'10.0.%'", "'app_rw'@'%'"]);
    expect(m).toEqual([{ member: "'quartz'@'10.0.%'", role: "'app_rw'@'%'", admin: false, inherit: false }]);
  });

  it('maps APPLICABLE_ROLES of MySQL 8.0.19+ (GRANTEE and GRANTEE_HOST separate)', () => {
    const rows: Row[] = [
      {
        USER: 'reporting',
        HOST: '%',
        GRANTEE: 'reporting',
        GRANTEE_HOST: '%',
        ROLE_NAME: 'app_rw',
        ROLE_HOST: '%',
        IS_GRANTABLE: 'NO',
        IS_DEFAULT: 'YES',
        IS_MANDATORY: 'NO',
      },
    ];
    expect(mapApplicableRoles(rows, "'reporting'@'%'")).toEqual([
      { member: "'reporting'@'%'", role: "'app_rw'@'%'", admin: false, inherit: true },
    ]);
  });

  it('maps global_grants dynamic privileges and computes effective privileges with via', () => {
    expect(mapGlobalGrants(globalGrants)[0]).toEqual({
      grantee: "'quartz'@'10.0.%'",
      privilege: 'SYSTEM_VARIABLES_ADMIN',
      objectKind: 'server',
      object: '',
      grantable: false,
    });
    const f = mysql8Facts();
    const eff = (p: string) => f.effective.filter((e) => e.principal === p);
    expect(eff("'quartz'@'10.0.%'")).toHaveLength(44);
    expect(eff("'quartz'@'10.0.%'")[0]?.via).toEqual(['(schema)']);
    expect(
      eff("'reporting'@'%'")
        .map((e) => `${e.table}:${e.privilege}:${e.via.join('>')}`)
        .sort(),
    ).toEqual(['JOB_DETAILS:SELECT:(column)', "TRIGGERS:INSERT:'app_rw'@'%'", "TRIGGERS:UPDATE:'app_rw'@'%'"]);
    expect(eff("'root'@'localhost'").every((e) => e.via[0] === '(superuser)')).toBe(true);
    expect(eff("'legacy'@'%'").map((e) => e.via)).toEqual(tables.map(() => ['(global)']));
    expect(f.foreignPrivileges.map((g) => `${g.objectKind}:${g.object}:${g.privilege}`)).toEqual([
      'schema:billing:SELECT',
    ]);
  });

  it('maps INNODB_TABLESPACES.ENCRYPTION per table, incl. a general tablespace', () => {
    const enc = mapTablespacesMysql(tablespaceRows, tables, 0);
    expect(enc.find((t) => t.table === 'quartz.QRTZ_TRIGGERS')?.encrypted).toBe(false);
    expect(enc.find((t) => t.table === 'quartz.QRTZ_CALENDARS')).toMatchObject({ encrypted: true });
    expect(enc.find((t) => t.table === 'quartz.QRTZ_CALENDARS')?.detail).toContain('ts_general (General)');
    // lower_case_table_names=1 stores lower-case names.
    const lower = mapTablespacesMysql(
      [{ TABLE_NAME: 'quartz/qrtz_locks', SPACE_NAME: 'quartz/qrtz_locks', ENCRYPTION: 'Y', SPACE_TYPE: 'Single' }],
      tables.filter((t) => t.logical === 'LOCKS'),
      1,
    );
    expect(lower[0]?.encrypted).toBe(true);
    expect(mapTablespacesMysql([], tables.slice(0, 1), 0)[0]?.encrypted).toBeNull();
  });
});

describe('MySQL 8 checks on the fixture facts', () => {
  const findings = run(mysql8Facts());
  const svc = "'quartz'@'10.0.%'";

  it('QA-G01: a dynamic *_ADMIN privilege of the service account is high', () => {
    const g01 = byCheck(findings, 'QA-G01', 'fail');
    expect(g01.map((f) => `${f.severity}:${f.evidence?.privileges}`)).toEqual(['high:SYSTEM_VARIABLES_ADMIN']);
    expect(g01[0]?.remediation).toContain(`FROM 'quartz'@'10.0.%'`);
  });

  it('QA-G05: the account writing through a MySQL 8 role, the column-level reader, the global reader', () => {
    const g05 = byCheck(findings, 'QA-G05', 'fail');
    const line = (p: string) =>
      g05
        .filter((f) => f.object.principal === p)
        .map((f) => `${f.severity}:${f.evidence?.privileges}:${f.evidence?.via}`);
    expect(line("'reporting'@'%'")).toEqual(["high:INSERT,UPDATE:'app_rw'@'%'", 'medium:SELECT:(column)']);
    expect(line("'legacy'@'%'")).toEqual(['medium:SELECT:(global)']);
    // root is a superuser (SUPER / SYSTEM_USER): listed as info, not as unexpected.
    expect(g05.some((f) => f.object.principal === "'root'@'localhost'")).toBe(false);
  });

  it('QA-G12: the empty-password account that reaches the tables; the anonymous one without grants is info', () => {
    const g04 = byCheck(findings, 'QA-G12');
    expect(g04.filter((f) => f.status === 'fail').map((f) => f.object.principal)).toEqual(["'legacy'@'%'"]);
    expect(g04.find((f) => f.status === 'info')?.message).toContain("''@'localhost'");
  });

  it('QA-G07: schema privileges elsewhere; QA-G08 passes; QA-G10 passes for a subnet + REQUIRE SSL account', () => {
    expect(byCheck(findings, 'QA-G07', 'fail')[0]?.message).toContain('schema billing (SELECT)');
    expect(byCheck(findings, 'QA-G08').map((f) => f.status)).toEqual(['pass']);
    expect(byCheck(findings, 'QA-G10').map((f) => f.status)).toEqual(['pass']);
    expect(byCheck(findings, 'QA-G10')[0]?.object.principal).toBe(svc);
  });

  it('QA-E01: per-table ENCRYPTION flags, and the unencrypted redo log', () => {
    const e01 = byCheck(findings, 'QA-E01');
    const tablesF = e01.filter((f) => f.object.kind === 'table');
    expect(tablesF.filter((f) => f.status === 'fail').map((f) => f.object.name)).toEqual(['quartz.QRTZ_TRIGGERS']);
    expect(tablesF.filter((f) => f.status === 'pass')).toHaveLength(10);
    expect(tablesF[0]?.evidence?.keyManagement).toBe('component_keyring_file');
    const logs = e01.filter((f) => f.object.kind === 'setting').map((f) => `${f.object.name}:${f.status}`);
    expect(logs.sort()).toEqual([
      'binlog_encryption:pass',
      'innodb_redo_log_encrypt:fail',
      'innodb_undo_log_encrypt:pass',
    ]);
  });

  it('QA-E02: MySQL 8.4 has no have_ssl; TLS session + require_secure_transport=ON pass', () => {
    expect(byCheck(findings, 'QA-E02').map((f) => f.status)).toEqual(['pass']);
    const old = run(
      mysql8Facts({
        variables: [...variableRows, { Variable_name: 'tls_version', Value: 'TLSv1,TLSv1.1,TLSv1.2' }],
      }),
    );
    expect(byCheck(old, 'QA-E02', 'fail').map((f) => `${f.object.name}:${f.severity}`)).toEqual(['tls_version:low']);
  });

  it('QA-A01: Community server without audit → fail; audit_log plugin/component judged by its filters', () => {
    expect(byCheck(findings, 'QA-A01').map((f) => `${f.status}:${f.severity}`)).toEqual(['fail:high']);
    const auditPlugin = {
      PLUGIN_NAME: 'audit_log',
      PLUGIN_STATUS: 'ACTIVE',
      PLUGIN_TYPE: 'AUDIT',
      LOAD_OPTION: 'FORCE_PLUS_PERMANENT',
    };
    const a01 = (over: Parameters<typeof mysql8Facts>[0]) => {
      const [f] = byCheck(run(mysql8Facts({ plugins: [...pluginRows, auditPlugin], ...over })), 'QA-A01');
      return `${f?.status}${f?.evidence?.filter ? `:${f.evidence.filter}` : ''}`;
    };
    // Filters not readable: unknown, never a pass.
    expect(a01({})).toBe('not-evaluated');
    // Legacy mode: no filters, audit_log_policy decides.
    const legacy = [...variableRows, { Variable_name: 'audit_log_policy', Value: 'ALL' }];
    expect(a01({ auditFilters: [], variables: legacy })).toBe('pass');
    expect(a01({ auditFilters: [] })).toBe('fail');
    // mysql.audit_log_user ⋈ audit_log_filter rows: the default filter of '%' logs everything.
    const def = { USER: '%', HOST: '', FILTERNAME: 'log_all', FILTER: '{"filter": {"log": true}}' };
    expect(a01({ auditFilters: [def] })).toBe('pass:log_all');
    // The service account's own filter wins over the default, and this one logs nothing.
    const none = { USER: 'quartz', HOST: '10.0.%', FILTERNAME: 'log_none', FILTER: '{"filter": {"log": false}}' };
    expect(a01({ auditFilters: [def, none] })).toBe('fail:log_none');
    // Filters exist but none applies to the service account.
    const other = { USER: 'reporting', HOST: '%', FILTERNAME: 'log_all', FILTER: '{"filter": {"log": true}}' };
    expect(a01({ auditFilters: [other] })).toBe('fail');
    const disabled = run(
      mysql8Facts({ plugins: [...pluginRows, { ...auditPlugin, PLUGIN_STATUS: 'DISABLED' }], auditFilters: [def] }),
    );
    expect(byCheck(disabled, 'QA-A01')[0]?.status).toBe('fail');
    const comp = run(
      mysql8Facts({
        components: [...componentRows, { component_id: 2, component_urn: 'file://component_audit_log_filter' }],
        auditFilters: [def],
      }),
    );
    expect(byCheck(comp, 'QA-A01')[0]?.status).toBe('pass');
  });

  it('QA-A03: general_log=ON with log_output=TABLE names mysql.general_log', () => {
    const on = run(
      mysql8Facts({
        variables: [
          ...variableRows,
          { Variable_name: 'general_log', Value: 'ON' },
          { Variable_name: 'log_output', Value: 'TABLE' },
        ],
      }),
    );
    const [f] = byCheck(on, 'QA-A03');
    expect(f).toMatchObject({ status: 'fail', severity: 'medium' });
    expect(f?.message).toContain('mysql.general_log');
  });
});
