/**
 * rows → facts for every SQL Server query, with rows shaped exactly as the catalog views return them
 * (test/fixtures/mssql/catalog-rows.ts; keys checked against each query's select list here, columns
 * against Microsoft's documented lists in queries.test.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  computeEffective,
  type DbPermission,
  type DbPrincipal,
  finishMssqlFacts,
  type MapContext,
  mapDbPermissions,
  mapDbPrincipals,
  mapMssql,
  mapQuartzObjects,
  mapTdeRow,
  reachable,
} from '../../../src/dialects/mssql/map.js';
import type { EffectivePrivilege } from '../../../src/model.js';
import { QUARTZ_TABLES } from '../../../src/model.js';
import { idOf, ROWS, TDE_2016 } from '../../fixtures/mssql/catalog-rows.js';
import { selectList } from '../../support/mssql-queries.js';

const CTX: MapContext = {
  prefix: 'QRTZ_',
  connectedUser: 'quartz_app',
  connection: {
    source: 'connection-string',
    encryptRequested: true,
    trustServerCertificate: true,
    encryptOption: null,
    netTransport: null,
    authScheme: null,
    ignoredKeys: [],
  },
  isolation: { used: 'snapshot', snapshotIsolationState: null, readCommittedSnapshot: null, lockTimeoutMs: 2000 },
};

const privs = (eff: EffectivePrivilege[], principal: string, table: string) =>
  eff
    .filter((e) => e.principal === principal && e.table === table)
    .map((e) => e.privilege)
    .sort();
const via = (eff: EffectivePrivilege[], principal: string, table: string, privilege: string) =>
  eff.find((e) => e.principal === principal && e.table === table && e.privilege === privilege)?.via;

describe('fixture rows are shaped as the queries return them', () => {
  it.each([...Object.keys(ROWS), 'tde-2016'])('%s', (name) => {
    const rows = name === 'tde-2016' ? TDE_2016 : (ROWS[name] ?? []);
    expect(rows.length).toBeGreaterThan(0);
    const cols = selectList(name).sort();
    for (const r of rows) expect(Object.keys(r).sort(), name).toEqual(cols);
  });
});

describe('mapMssql over a full catalog', () => {
  const m = mapMssql(ROWS, CTX);
  const facts = finishMssqlFacts(m, 'quartz_app', 'quartz_app');

  it('finds the 11 dbo.QRTZ_ tables (type U only) and reports the rest as shadows', () => {
    expect(m.quartz.schema).toBe('dbo');
    expect(m.quartz.tables.map((t) => t.logical).sort()).toEqual([...QUARTZ_TABLES].sort());
    expect(m.quartz.missing).toEqual([]);
    expect(facts.shadows).toEqual([
      { schema: 'app', name: 'QRTZ_LOCKS', type: 'SN', target: '[dbo].[QRTZ_LOCKS_SHADOW]', inDefaultSchema: true },
      { schema: 'reports', name: 'qrtz_calendars', type: 'V', inDefaultSchema: false },
    ]);
    const shadow = m.tamper.find((t) => t.name === 'app.QRTZ_LOCKS');
    expect(shadow).toMatchObject({ kind: 'shadow-object', owner: 'dev_user', table: 'QRTZ_LOCKS' });
    expect(shadow?.detail).toMatch(/synonym for \[dbo\]\.\[QRTZ_LOCKS_SHADOW\].*default schema/);
  });

  it('server version, database and session facts', () => {
    expect(m.serverVersion).toEqual({
      product: 'Microsoft SQL Server Developer Edition (64-bit)',
      version: '16.0.4135.4 RTM',
      versionNum: 160000,
    });
    expect(facts.version).toMatchObject({ major: 16, engineEdition: 3, productLevel: 'RTM' });
    expect(facts.database).toMatchObject({
      name: 'quartz',
      ownerLogin: 'sa',
      ownerIsSa: true,
      trustworthy: true,
      dbChaining: false,
    });
    expect(facts.connection).toMatchObject({ encryptOption: false, trustServerCertificate: true, netTransport: 'TCP' });
    expect(m.session.tls).toBe(false);
    expect(facts.isolation).toMatchObject({
      used: 'snapshot',
      snapshotIsolationState: 'ON',
      readCommittedSnapshot: false,
    });
  });

  it('effective permissions through nested roles, schema grants, public, fixed roles, DENY and sysadmin', () => {
    const e = m.effective;
    for (const t of ['JOB_DETAILS', 'LOCKS', 'CALENDARS']) {
      expect(privs(e, 'quartz_app', t)).toEqual(
        t === 'LOCKS' ? ['ALTER', 'DELETE', 'INSERT', 'SELECT', 'UPDATE'] : ['DELETE', 'INSERT', 'SELECT', 'UPDATE'],
      );
    }
    expect(via(e, 'quartz_app', 'CALENDARS', 'INSERT')).toEqual(['quartz_role', 'outer_role', '(schema)']);
    expect(via(e, 'quartz_app', 'JOB_DETAILS', 'SELECT')).toEqual(['public']);
    expect(via(e, 'quartz_app', 'LOCKS', 'ALTER')).toEqual([]);
    // public's object grant reaches guest and every user
    expect(via(e, 'guest', 'JOB_DETAILS', 'SELECT')).toEqual(['public']);
    expect(privs(e, 'public', 'JOB_DETAILS')).toEqual(['SELECT']);
    // db_datareader; a column-level UPDATE is not a table privilege
    expect(privs(e, 'reporting', 'TRIGGERS')).toEqual(['SELECT']);
    expect(via(e, 'reporting', 'TRIGGERS', 'SELECT')).toEqual(['db_datareader']);
    // db_owner with DENY DELETE on the schema: DENY wins
    expect(privs(e, 'dev_user', 'TRIGGERS')).not.toContain('DELETE');
    expect(privs(e, 'dev_user', 'TRIGGERS')).toContain('CONTROL');
    expect(via(e, 'dev_user', 'TRIGGERS', 'ALTER')).toEqual(['db_owner']);
    // admin_user's login is sysadmin through the nested server role ops: DENY does not apply
    expect(privs(e, 'admin_user', 'TRIGGERS')).toContain('DELETE');
    expect(via(e, 'admin_user', 'TRIGGERS', 'DELETE')).toEqual(['(sysadmin)']);
    expect(via(e, 'dbo', 'LOCKS', 'CONTROL')).toEqual(['(dbo)']);
    // built-in sys / INFORMATION_SCHEMA are not subjects
    expect(e.some((x) => x.principal === 'sys' || x.principal === 'INFORMATION_SCHEMA')).toBe(false);
  });

  it('grants keep grant options, columns, schema and server grants; DENY rows are not grants', () => {
    expect(m.grants).toContainEqual(
      expect.objectContaining({
        grantee: 'quartz_app',
        privilege: 'ALTER',
        objectKind: 'table',
        object: 'dbo.QRTZ_LOCKS',
        quartzTable: 'LOCKS',
        grantable: true,
      }),
    );
    expect(m.grants).toContainEqual(
      expect.objectContaining({
        grantee: 'reporting',
        privilege: 'UPDATE',
        objectKind: 'column',
        object: 'dbo.QRTZ_TRIGGERS.TRIGGER_GROUP',
      }),
    );
    expect(m.grants).toContainEqual(
      expect.objectContaining({ grantee: 'outer_role', privilege: 'SELECT', objectKind: 'schema', object: 'dbo' }),
    );
    expect(m.grants).toContainEqual(
      expect.objectContaining({ grantee: 'CORP\\ops-team', privilege: 'CONTROL SERVER', objectKind: 'server' }),
    );
    expect(m.grants.some((g) => g.privilege === 'VIEW SERVER STATE')).toBe(false);
    expect(m.grants.find((g) => g.object === 'dbo.Customers')?.quartzTable).toBeUndefined();
  });

  it('principals and memberships', () => {
    expect(m.principals.find((p) => p.name === 'guest')).toMatchObject({ kind: 'user', canLogin: true });
    expect(m.principals.find((p) => p.name === 'quartz_app')?.attributes).toContain('login:quartz_login');
    expect(m.principals.find((p) => p.name === 'dbo')?.attributes).toContain('superuser');
    expect(m.principals.some((p) => p.name === 'db_owner')).toBe(false);
    expect(m.memberships).toContainEqual({ member: 'quartz_role', role: 'outer_role', inherit: true, admin: false });
    expect(facts.guestEnabled).toBe(true);
  });

  it('service user, server roles, and capabilities in engine-neutral terms', () => {
    expect(facts.serviceUser).toMatchObject({
      name: 'quartz_app',
      login: 'quartz_login',
      defaultSchema: 'app',
      isDbo: false,
      fixedRoles: [],
      serverRoles: [],
      serverPermissions: ['CONNECT SQL', 'VIEW ANY DATABASE'],
      serverAdmin: false,
    });
    expect(facts.capabilities.osCommand.xpCmdshellEnabled).toBe(true);
    expect(facts.capabilities.osCommand.reachableBy).toEqual([
      { principal: 'sa', level: 'login', via: ['sysadmin'] },
      { principal: 'admin_login', level: 'login', via: ['sysadmin'] },
      { principal: 'CORP\\ops-team', level: 'login', via: ['CONTROL SERVER'] },
      { principal: 'quartz_master', level: 'user', via: ['EXECUTE on master.sys.xp_cmdshell'] },
    ]);
    expect(facts.capabilities.osCommand.serviceAccountCan).toBe(true);
    expect(facts.capabilities.clr).toEqual({
      enabled: true,
      strictSecurity: false,
      assemblies: [{ name: 'QuartzHelpers', permissionSet: 'UNSAFE_ACCESS', userDefined: true }],
    });
    expect(facts.capabilities).toMatchObject({
      oleAutomation: false,
      externalScripts: false,
      crossDbOwnershipChaining: false,
      trustworthyEscalation: true,
    });
    expect(facts.serverSecurity.roleMembers).toContainEqual({ login: 'admin_login', role: 'ops' });
  });

  it('logins: sa by sid, policy flags, mixed mode', () => {
    expect(facts.logins.saEnabled).toBe(true);
    expect(facts.logins.mixedMode).toBe(true);
    expect(facts.logins.list?.find((l) => l.name === 'quartz_login')).toMatchObject({
      sqlLogin: true,
      policyChecked: false,
      expirationChecked: false,
      isSa: false,
    });
    expect(facts.logins.list?.find((l) => l.name === 'CORP\\ops-team')).toMatchObject({
      sqlLogin: false,
      policyChecked: null,
    });
  });

  it('TDE with the in-progress state named, tempdb, backups, Always Encrypted', () => {
    expect(facts.tde.database).toMatchObject({
      stateDesc: 'ENCRYPTION_IN_PROGRESS',
      encrypted: false,
      inProgress: true,
      scanState: 'RUNNING',
      percentComplete: 37.5,
    });
    expect(facts.tde.tempdb).toMatchObject({ stateDesc: 'ENCRYPTED', encrypted: true });
    expect(facts.tde).toMatchObject({ isEncrypted: true, tempdbIsEncrypted: true });
    expect(m.tableEncryption[0]).toMatchObject({ encrypted: false, detail: 'TDE ENCRYPTION_IN_PROGRESS (AES 256)' });
    expect(facts.backups).toEqual([
      { finished: '2026-11-30T02:00:00.000Z', type: 'D', encrypted: false, keyAlgorithm: null },
      { finished: '2026-11-29T02:00:00.000Z', type: 'D', encrypted: true, keyAlgorithm: 'aes_256' },
    ]);
    expect(facts.alwaysEncrypted).toEqual([
      { table: 'QRTZ_JOB_DETAILS', column: 'DESCRIPTION', encryptionType: 'RANDOMIZED' },
    ]);
    expect(m.quartzSchemaColumns).toContain('JOB_DETAILS.JOB_DATA');
  });

  it('audits: server audit and status, specifications matched to their audit, login auditing', () => {
    expect(facts.audit.servers).toEqual([
      { name: 'QuartzAudit', target: 'FILE', enabled: true, onFailure: 'CONTINUE', status: 'STARTED' },
    ]);
    const db = facts.audit.specifications?.find((s) => s.level === 'database');
    expect(db).toMatchObject({ name: 'QuartzSpec', enabled: true, audit: 'QuartzAudit' });
    expect(db?.actions).toEqual([
      { action: 'INSERT', isGroup: false, classDesc: 'SCHEMA', securable: 'dbo', principal: 'public' },
      {
        action: 'SCHEMA_OBJECT_CHANGE_GROUP',
        isGroup: true,
        classDesc: 'DATABASE',
        securable: '',
        principal: 'public',
      },
    ]);
    expect(facts.audit.loginAuditing).toEqual({
      registryLevel: 'not-visible',
      failedLoginsAudited: true,
      successfulLoginsAudited: false,
    });
    expect(facts.audit).toMatchObject({ c2AuditMode: false, commonCriteria: false });
    expect(m.unreadable.map((u) => u.what)).toEqual(['mssql.login-auditing-level']);
  });

  it('triggers: DML on a Quartz table and a database DDL trigger are tamper facts', () => {
    expect(facts.triggers).toEqual([
      {
        name: 'trg_job_details_sync',
        kind: 'dml',
        parent: 'dbo.QRTZ_JOB_DETAILS',
        quartzTable: 'JOB_DETAILS',
        disabled: false,
        insteadOf: false,
        events: ['INSERT', 'UPDATE'],
        clr: false,
      },
      {
        name: 'ddl_watch',
        kind: 'database-ddl',
        parent: null,
        quartzTable: null,
        disabled: true,
        insteadOf: false,
        events: ['CREATE_TABLE'],
        clr: false,
      },
    ]);
    expect(m.tamper.filter((t) => t.kind === 'trigger').map((t) => t.detail)).toEqual([
      'AFTER INSERT, UPDATE trigger',
      'database DDL trigger on CREATE_TABLE (disabled)',
    ]);
  });
});

describe('partial visibility is null and unreadable, never "no"', () => {
  const rows = {
    server: ROWS.server,
    database: ROWS.database,
    'quartz-objects': ROWS['quartz-objects'],
    configurations: ROWS.configurations,
  };
  const m = mapMssql(rows, CTX);
  const facts = finishMssqlFacts(m, 'quartz_app', 'quartz_app');

  it('names the permission for each unread part', () => {
    const u = new Map(m.unreadable.map((x) => [x.what, x]));
    expect(u.get('mssql.principals')?.needs).toBe('VIEW DEFINITION on the database');
    expect(u.get('mssql.server-role-members')?.needs).toMatch(/VIEW ANY DEFINITION/);
    expect(u.get('mssql.tde')?.needs).toMatch(/VIEW SERVER STATE/);
    expect(u.get('mssql.backups')?.needs).toBe('SELECT on msdb.dbo.backupset');
    expect(u.get('mssql.connection-encryption')?.needs).toMatch(/VIEW SERVER STATE/);
    expect(u.get('mssql.server-audits')?.cause).toBe('privilege');
  });

  it('facts are null where not visible', () => {
    expect(facts.serverSecurity).toEqual({ roleMembers: null, permissions: null });
    expect(facts.serviceUser.serverAdmin).toBeNull();
    expect(facts.capabilities.osCommand.serviceAccountCan).toBeNull();
    expect(facts.capabilities.osCommand.xpCmdshellEnabled).toBe(true);
    expect(facts.guestEnabled).toBeNull();
    expect(facts.logins).toEqual({ list: null, saEnabled: null, mixedMode: true });
    expect(facts.tde.database).toBeNull();
    expect(m.tableEncryption[0]?.encrypted).toBeNull();
    expect(m.tableEncryption[0]?.detail).toMatch(/encrypted or encryption in progress/);
    expect(facts.audit.servers).toBeNull();
    expect(facts.audit.loginAuditing.failedLoginsAudited).toBeNull();
    expect(facts.triggers).toBeNull();
    expect(facts.connection.encryptOption).toBeNull();
    expect(facts.database.ownerIsSysadmin).toBe(true); // sa by sid needs no server catalog
  });

  it('a self audit uses IS_SRVROLEMEMBER / fn_my_permissions when the server catalog is partial', () => {
    const self = mapMssql(
      {
        ...rows,
        capabilities: [{ ...ROWS.capabilities?.[0], is_sysadmin: 1 }],
        'my-server-permissions': [{ entity_name: 'server', subentity_name: '', permission_name: 'CONTROL SERVER' }],
      },
      CTX,
    );
    const f = finishMssqlFacts(self, 'quartz_app', 'quartz_app');
    expect(f.serviceUser.serverRoles).toEqual(['sysadmin']);
    expect(f.serviceUser.serverAdmin).toBe(true);
    expect(f.capabilities.osCommand.serviceAccountCan).toBe(true);
  });
});

describe('TDE rows of SQL Server 2016/2017 (no *_desc columns)', () => {
  it('names the state from encryption_state', () => {
    expect(mapTdeRow(TDE_2016[0] ?? {})).toMatchObject({
      stateDesc: 'DECRYPTION_IN_PROGRESS',
      encrypted: false,
      inProgress: true,
      scanState: null,
    });
    const m = mapMssql({ ...ROWS, tde: undefined, 'tde-2016': TDE_2016 }, CTX);
    expect(m.mssql.tde.database?.state).toBe(5);
    expect(m.mssql.tde.tempdb?.stateDesc).toBe('NONE');
  });
});

describe('computeEffective rules', () => {
  const principals: DbPrincipal[] = mapDbPrincipals(ROWS.principals ?? []);
  const tables = mapQuartzObjects(ROWS['quartz-objects'] ?? [], 'QRTZ_', undefined, null, principals).tables;
  const base = {
    principals,
    graph: new Map<number, number[]>(),
    tables,
    schemaOwners: new Map([['dbo', 1]]),
    sysadminUsers: new Set<number>(),
    controlServerUsers: new Set<number>(),
  };
  const perm = (p: Partial<DbPermission>): DbPermission =>
    mapDbPermissions([
      {
        class: 1,
        major_id: idOf('LOCKS'),
        minor_id: 0,
        grantee_principal_id: 5,
        grantor_principal_id: 1,
        permission_name: 'SELECT',
        state: 'G',
        securable_schema: 'dbo',
        ...p,
      },
    ])[0] as DbPermission;

  it('CONTROL on the schema implies every table privilege, marked (schema) (CONTROL)', () => {
    const e = computeEffective({
      ...base,
      permissions: [perm({ class: 3, major_id: 1, permission_name: 'CONTROL' } as never)],
    });
    expect(privs(e, 'quartz_app', 'LOCKS')).toEqual(
      [
        'ALTER',
        'CONTROL',
        'DELETE',
        'INSERT',
        'REFERENCES',
        'SELECT',
        'TAKE OWNERSHIP',
        'UPDATE',
        'VIEW CHANGE TRACKING',
        'VIEW DEFINITION',
      ].sort(),
    );
    expect(via(e, 'quartz_app', 'LOCKS', 'SELECT')).toEqual(['(schema)', '(CONTROL)']);
  });

  it('DENY on the table beats a database-level GRANT; DENY CONTROL denies everything', () => {
    const e = computeEffective({
      ...base,
      permissions: [perm({ class: 0, major_id: 0, permission_name: 'SELECT' } as never), perm({ state: 'D' } as never)],
    });
    expect(privs(e, 'quartz_app', 'LOCKS')).toEqual([]);
    expect(privs(e, 'quartz_app', 'TRIGGERS')).toEqual(['SELECT']);
    expect(via(e, 'quartz_app', 'TRIGGERS', 'SELECT')).toEqual(['(database)']);
    const e2 = computeEffective({
      ...base,
      permissions: [
        perm({ class: 0, major_id: 0, permission_name: 'SELECT' } as never),
        perm({ class: 3, major_id: 1, permission_name: 'CONTROL', state: 'D' } as never),
      ],
    });
    expect(privs(e2, 'quartz_app', 'TRIGGERS')).toEqual([]);
  });

  it('the owner (through a role that owns the schema) holds everything and cannot be denied', () => {
    const e = computeEffective({
      ...base,
      graph: new Map([[5, [6]]]),
      schemaOwners: new Map([['dbo', 6]]),
      permissions: [perm({ state: 'D', permission_name: 'CONTROL' } as never)],
    });
    expect(privs(e, 'quartz_app', 'LOCKS')).toHaveLength(10);
    expect(via(e, 'quartz_app', 'LOCKS', 'SELECT')).toEqual(['quartz_role', '(owner)']);
  });

  it('CONTROL SERVER holds everything but DENY still applies', () => {
    const e = computeEffective({
      ...base,
      controlServerUsers: new Set([5]),
      permissions: [perm({ state: 'D', permission_name: 'DELETE' } as never)],
    });
    expect(privs(e, 'quartz_app', 'LOCKS')).not.toContain('DELETE');
    expect(via(e, 'quartz_app', 'LOCKS', 'SELECT')).toEqual(['(CONTROL SERVER)']);
  });

  it('nested role cycles terminate; public is always reached', () => {
    const r = reachable(
      5,
      new Map([
        [5, [6]],
        [6, [7]],
        [7, [6]],
      ]),
    );
    expect([...r.keys()].sort()).toEqual([0, 5, 6, 7]);
    expect(r.get(7)).toEqual([6, 7]);
  });
});

describe('catalog views without the permission show fewer rows, never an error: labelled partial', () => {
  const low = {
    ...ROWS.capabilities?.[0],
    view_database_definition: 0,
    view_any_definition: 0,
    view_master_definition: 0,
  };
  // What a low-privilege login sees: its own principals, no guest CONNECT row, no audits, no other logins.
  const rows = {
    ...ROWS,
    capabilities: [low],
    'database-permissions': (ROWS['database-permissions'] ?? []).filter((r) => r.grantee_principal_id === 5),
    'server-audits': [],
    'server-audit-specs': [],
    'server-role-members': [],
    'xp-cmdshell-grants': [],
  };
  const m = mapMssql(rows, CTX);
  const f = finishMssqlFacts(m, 'quartz_app', 'quartz_app');

  it('absence in a partial read is null, not "no"', () => {
    expect(f.guestEnabled).toBeNull();
    expect(f.audit.servers).toBeNull();
    expect(f.audit.loginAuditing.failedLoginsAudited).toBeNull();
    expect(f.serverSecurity.roleMembers).toBeNull();
    expect(f.capabilities.osCommand.serviceAccountCan).toBeNull();
    expect(m.internal.databaseCatalogComplete).toBe(false);
  });

  it('each partial read is an Unreadable naming the permission', () => {
    const partialReads = m.unreadable.filter((u) => u.reason.startsWith('partial view')).map((u) => u.what);
    expect(partialReads).toEqual(
      expect.arrayContaining([
        'mssql.principals',
        'mssql.database-permissions',
        'mssql.server-audits',
        'mssql.xp-cmdshell-grants',
      ]),
    );
    expect(m.unreadable.find((u) => u.what === 'mssql.server-audits')?.needs).toMatch(/VIEW ANY SECURITY DEFINITION/);
  });

  it('what a partial read found still counts', () => {
    expect(m.grants).toContainEqual(
      expect.objectContaining({ grantee: 'quartz_app', privilege: 'ALTER', quartzTable: 'LOCKS' }),
    );
    const withGuest = mapMssql({ ...rows, 'database-permissions': ROWS['database-permissions'] }, CTX);
    expect(finishMssqlFacts(withGuest, 'quartz_app', 'quartz_app').guestEnabled).toBe(true);
  });
});

describe('a view under a Quartz table name in the Quartz schema', () => {
  it('is never taken for the table: the table is missing and the view is a not-a-table tamper fact', () => {
    const objects = (ROWS['quartz-objects'] ?? []).map((r) =>
      r.name === 'QRTZ_LOCKS' && r.schema_name === 'dbo'
        ? { ...r, type: 'V ', type_desc: 'VIEW', object_owner: 'dev_user' }
        : r,
    );
    const m = mapMssql({ ...ROWS, 'quartz-objects': objects }, CTX);
    expect(m.quartz.missing).toEqual(['LOCKS']);
    expect(m.quartz.tables.some((t) => t.logical === 'LOCKS')).toBe(false);
    expect(m.tamper).toContainEqual(
      expect.objectContaining({ kind: 'not-a-table', name: 'dbo.QRTZ_LOCKS', owner: 'dev_user', table: 'QRTZ_LOCKS' }),
    );
  });
});
