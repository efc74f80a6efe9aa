/**
 * SQL Server engine parts (src/checks/<family>/<id>.mssql.ts): fixture rows (test/fixtures/mssql/catalog-rows.ts)
 * → facts (factsFromRows, the adapter's own assembly) → findings, each check firing on the unhealthy fixture and
 * quiet (or not-evaluated, naming the permission) on a healthy or partial variant.
 */
import { describe, expect, it } from 'vitest';
import { allChecks } from '../../../src/checks/index.js';
import type { ConnectOptions } from '../../../src/dialect.js';
import { factsFromRows } from '../../../src/dialects/mssql/index.js';
import { evaluateCheck, evaluateFacts } from '../../../src/engine.js';
import {
  checkOptions,
  FAMILIES,
  type Facts,
  type FindingDraft,
  QUARTZ_TABLES,
  type QuartzTable,
  type Severity,
} from '../../../src/model.js';
import { ROWS } from '../../fixtures/mssql/catalog-rows.js';
import { runCli } from '../../support/cli.js';

type Rows = Record<string, Record<string, unknown>[]>;
const options: ConnectOptions = {
  url: 'mssql://quartz_login@db/quartz',
  tablePrefix: 'QRTZ_',
  allowPrincipals: [],
  families: new Set(FAMILIES),
  statementTimeoutMs: 30_000,
  lockTimeoutMs: 2_000,
  connectTimeoutMs: 10_000,
  maxBlobSize: 1 << 20,
  attestations: {},
};
const target = {
  source: 'url' as const,
  encrypt: true as const,
  trustServerCertificate: false,
  ignoredKeys: [],
  host: 'db',
  instanceName: undefined,
};
const isolation = {
  used: 'snapshot' as const,
  snapshotIsolationState: 'ON',
  readCommittedSnapshot: false,
  lockTimeoutMs: 2000,
};
const tables: QuartzTable[] = QUARTZ_TABLES.map((l) => ({
  logical: l,
  name: `QRTZ_${l}`,
  schema: 'dbo',
  owner: 'dbo',
}));

function facts(rows: Rows = ROWS, over: Partial<ConnectOptions> = {}, t: Partial<typeof target> = {}): Facts {
  return factsFromRows(rows, [], { ...options, ...over }, { ...target, ...t }, isolation, tables);
}
/** The drafts of one check (through its SQL Server part), each with its severity (the id's default when unset). */
function run(id: string, f: Facts = facts()): Draft[] {
  const check = allChecks.filter((c) => c.meta.id === id);
  expect(check).toHaveLength(1);
  const c = check[0] as (typeof allChecks)[number];
  return evaluateCheck(c, f, { now: Date.parse('2026-11-30') }).map((d) => ({
    ...d,
    severity: d.severity ?? c.meta.severity,
  }));
}
type Draft = FindingDraft & { severity: Severity };
const fails = <T extends { status: string }>(fs: T[]) => fs.filter((f) => f.status === 'fail');
/** The fixture with some query's rows replaced (or removed with undefined). */
function withRows(over: Record<string, Record<string, unknown>[] | undefined>): Rows {
  const out: Rows = { ...ROWS };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}
const caps = (over: Record<string, unknown>) => [{ ...ROWS.capabilities?.[0], ...over }];
/** sys.configurations rows with some value_in_use changed. */
const config = (over: Record<string, number>, base = ROWS.configurations ?? []) =>
  base.map((r) => {
    const name = String(r.name);
    return name in over ? { ...r, value: over[name], value_in_use: over[name] } : r;
  });
const rowsOf = (k: string) => ROWS[k] ?? [];
const auditSpec = (action: string, klass: number, classDesc: string, group: boolean) => ({
  ...rowsOf('database-audit-specs')[0],
  audit_action_id: action.slice(0, 4),
  audit_action_name: action,
  class: klass,
  class_desc: classDesc,
  is_group: group,
  securable_schema: classDesc === 'SCHEMA' ? 'dbo' : null,
});
/** The fixture with every finding fixed: what a well-kept Quartz database on SQL Server reads as. */
const HEALTHY: Rows = withRows({
  configurations: config({
    xp_cmdshell: 0,
    'clr enabled': 0,
    'clr strict security': 1,
  }),
  database: [{ ...rowsOf('database')[0], is_trustworthy_on: false }],
  'xp-cmdshell-grants': [],
  assemblies: rowsOf('assemblies').filter((a) => a.is_user_defined === false),
  'role-members': rowsOf('role-members').filter((r) => r.member_principal_id !== 8 && r.member_principal_id !== 9),
  'database-permissions': rowsOf('database-permissions').filter(
    (p) => ![0, 2].includes(Number(p.grantee_principal_id)) && ![1011, 1002, 3001].includes(Number(p.major_id)),
  ),
  tde: [
    { ...rowsOf('tde')[0], encryption_state: 3, encryption_state_desc: 'ENCRYPTED', percent_complete: 0 },
    rowsOf('tde')[1] as Row,
  ],
  'connection-encryption': [{ ...rowsOf('connection-encryption')[0], encrypt_option: 'TRUE' }],
  'database-audit-specs': [
    ...rowsOf('database-audit-specs'),
    auditSpec('UPDATE', 3, 'SCHEMA', false),
    auditSpec('DELETE', 3, 'SCHEMA', false),
    auditSpec('DATABASE_PERMISSION_CHANGE_GROUP', 0, 'DATABASE', true),
  ],
  'server-audit-specs': [
    ...rowsOf('server-audit-specs'),
    { ...rowsOf('server-audit-specs')[0], audit_action_id: 'LGSD', audit_action_name: 'SUCCESSFUL_LOGIN_GROUP' },
  ],
  'sql-logins': rowsOf('sql-logins').map((l) =>
    l.name === 'quartz_login' ? { ...l, is_policy_checked: true, is_expiration_checked: true } : l,
  ),
  'server-principals': rowsOf('server-principals').map((p) => (p.name === 'sa' ? { ...p, is_disabled: true } : p)),
  triggers: [],
  'trigger-events': [],
  synonyms: [],
  'quartz-objects': rowsOf('quartz-objects').filter((o) => String(o.type).trim() === 'U'),
});
type Row = Record<string, unknown>;
/** A low-privileged auditor (no VIEW DEFINITION / VIEW ANY DEFINITION / VIEW DEFINITION in master) auditing quartz_app. */
const PARTIAL: Rows = withRows({
  server: [{ ...rowsOf('server')[0], login_name: 'auditor_login', user_name: 'auditor' }],
  capabilities: caps({
    view_database_definition: 0,
    view_any_definition: 0,
    view_master_definition: 0,
    view_server_state: 0,
  }),
  tde: undefined,
  'connection-encryption': undefined,
  'audit-status': undefined,
  backups: undefined,
  // Any login sees its own login, the system logins and the fixed server roles (sys.server_principals docs).
  'server-principals': rowsOf('server-principals').filter((p) => p.name === 'sa' || p.type === 'R'),
  'sql-logins': rowsOf('sql-logins').filter((l) => l.name === 'sa'),
  'server-role-members': [],
  'server-permissions': [],
  'xp-cmdshell-grants': [],
  'database-permissions': rowsOf('database-permissions').filter((p) => p.grantee_principal_id === 0),
  'role-members': [],
  'server-audits': [],
  'database-audit-specs': [],
  'server-audit-specs': [],
});
const partialOpts = { serviceAccount: 'quartz_app' };
const byStatus = <T extends { status: string }>(fs: T[], status: string) => fs.filter((f) => f.status === status);

describe('SQL Server parts: every id that applies to SQL Server is evaluated there', () => {
  it('no check reports "not yet evaluated" or fails internally on SQL Server facts', () => {
    const all = evaluateFacts(facts(), allChecks, new Set(FAMILIES), checkOptions({ now: Date.parse('2026-11-30') }));
    expect(
      all.filter((x) => /failed internally|not yet evaluated/.test(x.message)).map((x) => `${x.check}: ${x.message}`),
    ).toEqual([]);
  });
  it('the healthy fixture has no failure in the grants, encryption and audit families, except what is documented', () => {
    const all = evaluateFacts(
      facts(HEALTHY),
      allChecks,
      new Set(FAMILIES),
      checkOptions({ now: Date.parse('2026-11-30') }),
    );
    const failing = fails(all).filter((f) => ['grants', 'encryption', 'audit'].includes(f.family));
    expect(failing.map((f) => `${f.check}: ${f.message}`)).toEqual([]);
    const passing = new Set(all.filter((f) => f.status === 'pass').map((f) => f.check));
    for (const id of [
      'QA-G01',
      'QA-G02',
      'QA-G03',
      'QA-G04',
      'QA-G05',
      'QA-G06',
      'QA-G13',
      'QA-E01',
      'QA-E02',
      'QA-A01',
      'QA-A02',
    ])
      expect(passing.has(id), id).toBe(true);
  });
  it('remediations quote names with brackets and turn a hostile name into advice, never SQL', () => {
    const hostile = withRows({
      'sql-logins': rowsOf('sql-logins').map((l) =>
        l.name === 'quartz_login' ? { ...l, name: 'q]; DROP LOGIN sa; --' } : l,
      ),
      'server-principals': rowsOf('server-principals').map((p) =>
        p.name === 'quartz_login' ? { ...p, name: 'q]; DROP LOGIN sa; --' } : p,
      ),
    });
    const g13 = fails(run('QA-G13', facts(hostile))).find((f) => /CHECK_POLICY/.test(f.message));
    expect(g13?.remediation).toBe(
      'ALTER LOGIN [q]]; DROP LOGIN sa; --] WITH CHECK_POLICY = ON, CHECK_EXPIRATION = ON;',
    );
    const esc = withRows({
      'sql-logins': rowsOf('sql-logins').map((l) => (l.name === 'quartz_login' ? { ...l, name: 'q\u001b[2Jx' } : l)),
      'server-principals': rowsOf('server-principals').map((p) =>
        p.name === 'quartz_login' ? { ...p, name: 'q\u001b[2Jx' } : p,
      ),
    });
    const r = fails(run('QA-G13', facts(esc))).find((f) => /CHECK_POLICY/.test(f.message))?.remediation ?? '';
    expect(r).not.toContain('\u001b');
    expect(r).not.toMatch(/^ALTER LOGIN/);
  });
});

describe('QA-G01 on SQL Server (administrative rights)', () => {
  it('fires critical for sysadmin membership (through a nested server role) and CONTROL SERVER / IMPERSONATE ANY LOGIN', () => {
    const rows = withRows({
      'server-role-members': [...rowsOf('server-role-members'), { role_principal_id: 256, member_principal_id: 260 }],
      'server-permissions': [
        ...rowsOf('server-permissions'),
        {
          ...rowsOf('server-permissions')[0],
          grantee_principal_id: 260,
          type: 'IAL ',
          permission_name: 'IMPERSONATE ANY LOGIN',
        },
      ],
      capabilities: caps({ is_sysadmin: 1 }),
      'my-server-permissions': [
        ...rowsOf('my-server-permissions'),
        { entity_name: 'server', subentity_name: '', permission_name: 'IMPERSONATE ANY LOGIN' },
      ],
    });
    const f = fails(run('QA-G01', facts(rows)));
    const crit = f.find((x) => x.severity === 'critical');
    expect(crit?.message).toMatch(/server role sysadmin/);
    expect(crit?.message).toMatch(/IMPERSONATE ANY LOGIN/);
    expect(crit?.remediation).toContain('ALTER SERVER ROLE [sysadmin] DROP MEMBER [quartz_login];');
    expect(crit?.remediation).toContain('REVOKE IMPERSONATE ANY LOGIN FROM [quartz_login];');
  });
  it('fires high for db_owner through a nested role, dbo, and ALTER ANY USER granted to a role it is in', () => {
    const rows = withRows({
      'role-members': [...rowsOf('role-members'), { role_principal_id: 16384, member_principal_id: 7 }],
      'database-permissions': [
        ...rowsOf('database-permissions'),
        {
          ...rowsOf('database-permissions')[0],
          grantee_principal_id: 6,
          type: 'ALUS',
          permission_name: 'ALTER ANY USER',
        },
      ],
    });
    const f = fails(run('QA-G01', facts(rows)));
    expect(f).toHaveLength(1);
    expect(f[0]?.severity).toBe('high');
    expect(f[0]?.message).toMatch(/role db_owner \(through quartz_role → outer_role\)/);
    expect(f[0]?.message).toMatch(/ALTER ANY USER \(through role quartz_role\)/);
    expect(f[0]?.remediation).toContain('ALTER ROLE [db_owner] DROP MEMBER [outer_role];');
    expect(f[0]?.remediation).toContain('REVOKE ALTER ANY USER FROM [quartz_role];');
    const dbo = run('QA-G01', facts(ROWS, { serviceAccount: 'dbo' }));
    expect(
      fails(dbo)
        .map((x) => x.message)
        .join(),
    ).toMatch(/dbo \(owns the database\)/);
  });
  it('passes on the fixture (quartz_app is none of them) and is not-evaluated, naming the permission, on a partial view', () => {
    expect(run('QA-G01').map((f) => f.status)).toEqual(['pass']);
    const p = run('QA-G01', facts(PARTIAL, partialOpts));
    expect(byStatus(p, 'pass')).toEqual([]);
    expect(byStatus(p, 'not-evaluated').map((f) => f.evidence?.needs)).toEqual([
      'VIEW ANY DEFINITION (2022: VIEW ANY SECURITY DEFINITION)',
      'VIEW DEFINITION on the database',
    ]);
  });
});

describe('QA-G02 on SQL Server (OS command and code execution)', () => {
  it('fires: xp_cmdshell reachable (critical), CLR lax with an UNSAFE assembly, TRUSTWORTHY with a sysadmin owner (high)', () => {
    const f = fails(run('QA-G02'));
    expect(f.map((x) => [x.object.name, x.severity])).toEqual([
      ['xp_cmdshell', 'critical'],
      ['clr enabled', 'high'],
      ['quartz', 'high'],
    ]);
    expect(f[0]?.remediation).toContain("EXEC sp_configure 'xp_cmdshell', 0; RECONFIGURE;");
    expect(f[0]?.remediation).toContain('REVOKE EXECUTE ON sys.xp_cmdshell FROM [quartz_master];');
    expect(f[1]?.message).toMatch(/QuartzHelpers \(UNSAFE_ACCESS\)/);
    expect(f[2]?.remediation).toBe('ALTER DATABASE [quartz] SET TRUSTWORTHY OFF;');
  });
  it('xp_cmdshell enabled but not reachable by the service account is high; TRUSTWORTHY is critical when it is db_owner', () => {
    const rows = withRows({
      'xp-cmdshell-grants': [],
      'role-members': [...rowsOf('role-members'), { role_principal_id: 16384, member_principal_id: 5 }],
    });
    const f = fails(run('QA-G02', facts(rows)));
    expect(f.find((x) => x.object.name === 'xp_cmdshell')?.severity).toBe('high');
    expect(f.find((x) => x.object.name === 'quartz')?.severity).toBe('critical');
  });
  it('Ole Automation, external scripts and cross-database ownership chaining fire; the healthy server passes', () => {
    const rows = withRows({
      configurations: config(
        { 'Ole Automation Procedures': 1, 'external scripts enabled': 1, 'cross db ownership chaining': 1 },
        HEALTHY.configurations,
      ),
    });
    const f = fails(run('QA-G02', facts({ ...HEALTHY, configurations: rows.configurations ?? [] })));
    expect(f.map((x) => x.object.name)).toEqual([
      'Ole Automation Procedures',
      'external scripts enabled',
      'cross db ownership chaining',
    ]);
    expect(run('QA-G02', facts(HEALTHY)).map((x) => x.status)).toEqual(['pass']);
  });
  it('a TRUSTWORTHY database whose owner is not visible is not-evaluated, naming VIEW ANY DEFINITION', () => {
    const rows: Rows = {
      ...PARTIAL,
      database: [
        { ...rowsOf('database')[0], owner_sid_hex: '0x2F7E0B9C4A1D4E4BA4A1C0FFEE000003', owner_login: 'dev_login' },
      ],
    };
    const ne = byStatus(run('QA-G02', facts(rows, partialOpts)), 'not-evaluated');
    expect(ne.map((x) => x.message).join('\n')).toMatch(
      /TRUSTWORTHY; whether its owner dev_login is sysadmin was not visible: request VIEW ANY DEFINITION/,
    );
  });
});

describe('QA-G03 on SQL Server (extra table rights, grant options)', () => {
  it('fires for ALTER WITH GRANT OPTION on QRTZ_LOCKS and db_owner members; quiet on the healthy fixture', () => {
    const f = fails(run('QA-G03'));
    expect(f.map((x) => [x.object.name, x.severity, x.discriminator ?? ''])).toEqual(
      [
        ['user dev_user', 'high', 'extra'],
        ['user quartz_app', 'high', 'extra'],
        ['user quartz_app', 'medium', 'grant-option:ALTER:dbo.QRTZ_LOCKS'],
      ].map(([a, b]) => [a, b, expect.anything()]),
    );
    expect(f[1]?.remediation).toBe('REVOKE ALTER ON OBJECT::[dbo].[QRTZ_LOCKS] FROM [quartz_app];');
    expect(f[2]?.remediation).toBe(
      'REVOKE GRANT OPTION FOR ALTER ON OBJECT::[dbo].[QRTZ_LOCKS] FROM [quartz_app] CASCADE;',
    );
    expect(run('QA-G03', facts(HEALTHY)).map((x) => x.status)).toEqual(['pass']);
  });
  it('REFERENCES granted on the schema to a role is medium, revoked on the schema', () => {
    const rows = withRows({
      ...HEALTHY,
      'database-permissions': [
        ...(HEALTHY['database-permissions'] ?? []),
        { ...rowsOf('database-permissions')[5], grantee_principal_id: 8, type: 'RF  ', permission_name: 'REFERENCES' },
      ],
    });
    const f = fails(run('QA-G03', facts(rows)));
    expect(f.map((x) => [x.object.name, x.severity])).toEqual([['user reporting', 'medium']]);
    expect(f[0]?.remediation).toBe('REVOKE REFERENCES ON SCHEMA::[dbo] FROM [reporting];');
  });
  it('on a partial catalog it is never a pass', () => {
    const p = run('QA-G03', facts(PARTIAL, partialOpts));
    expect(byStatus(p, 'pass')).toEqual([]);
    expect(byStatus(p, 'not-evaluated')[0]?.evidence?.needs).toBe('VIEW DEFINITION on the database');
  });
});

describe('QA-G04 on SQL Server (public and guest)', () => {
  it('fires high for public SELECT on QRTZ_JOB_DETAILS and medium for an enabled guest; critical for a public write on the schema', () => {
    const f = fails(run('QA-G04'));
    expect(f.map((x) => [x.object.name, x.severity])).toEqual([
      ['user public', 'high'],
      ['user guest', 'medium'],
    ]);
    expect(f[0]?.remediation).toBe('REVOKE SELECT ON OBJECT::[dbo].[QRTZ_JOB_DETAILS] FROM [public];');
    expect(f[1]?.remediation).toBe('USE [quartz]; REVOKE CONNECT FROM [guest];');
    const rows = withRows({
      ...HEALTHY,
      'database-permissions': [
        ...(HEALTHY['database-permissions'] ?? []),
        { ...rowsOf('database-permissions')[6], grantee_principal_id: 0 },
      ],
    });
    const w = fails(run('QA-G04', facts(rows)));
    expect(w.map((x) => [x.severity, x.remediation])).toEqual([
      ['critical', 'REVOKE INSERT ON SCHEMA::[dbo] FROM [public];'],
    ]);
  });
  it('passes on the healthy fixture', () => {
    expect(run('QA-G04', facts(HEALTHY)).map((x) => x.status)).toEqual(['pass']);
  });
});

describe('QA-G05 on SQL Server (unexpected readers and writers)', () => {
  it('fires for db_owner and db_datareader members, lists sysadmin users as info, and honours --allow-principal', () => {
    const fs = run('QA-G05');
    expect(fails(fs).map((x) => [x.object.name, x.severity, x.discriminator])).toEqual([
      ['user dev_user', 'high', 'write'],
      ['user dev_user', 'medium', 'read'],
      ['user reporting', 'medium', 'read'],
    ]);
    expect(fails(fs)[2]?.remediation).toBe('ALTER ROLE [db_datareader] DROP MEMBER [reporting];');
    expect(byStatus(fs, 'info')[0]?.message).toMatch(/admin_user \(sysadmin\)/);
    const allowed = fails(run('QA-G05', facts(ROWS, { allowPrincipals: ['reporting', 'dev_user'] })));
    expect(allowed).toEqual([]);
  });
  it('a db_datawriter member is a high (write) finding; healthy passes; partial is not a pass', () => {
    const rows = withRows({
      ...HEALTHY,
      'role-members': [...(HEALTHY['role-members'] ?? []), { role_principal_id: 16391, member_principal_id: 8 }],
    });
    const f = fails(run('QA-G05', facts(rows)));
    expect(f.map((x) => [x.object.name, x.severity, x.evidence?.privileges])).toEqual([
      ['user reporting', 'high', 'DELETE,INSERT,UPDATE'],
    ]);
    expect(byStatus(run('QA-G05', facts(HEALTHY)), 'pass')).toHaveLength(1);
    expect(byStatus(run('QA-G05', facts(PARTIAL, partialOpts)), 'pass')).toEqual([]);
  });
});

describe('QA-G06 on SQL Server (ownership)', () => {
  it('fires when the service account owns the schema of the Quartz tables or is dbo; passes otherwise', () => {
    const owned = QUARTZ_TABLES.map((l) => ({ logical: l, name: `QRTZ_${l}`, schema: 'dbo', owner: 'quartz_app' }));
    const f = fails(run('QA-G06', factsFromRows(ROWS, [], options, target, isolation, owned)));
    expect(f.map((x) => [x.severity, x.discriminator])).toEqual([['medium', 'tables']]);
    expect(f[0]?.remediation).toContain('ALTER AUTHORIZATION ON SCHEMA::[dbo] TO [quartz_owner];');
    const dbo = fails(run('QA-G06', facts(ROWS, { serviceAccount: 'dbo' })));
    expect(dbo.map((x) => x.discriminator)).toEqual(['tables', 'database']);
    expect(run('QA-G06').map((x) => x.status)).toEqual(['pass']);
  });
});

describe('QA-G07 / QA-G08 on SQL Server', () => {
  it('G07 fires for SELECT on dbo.Customers; G08 passes (DML through nested roles and public)', () => {
    expect(fails(run('QA-G07'))[0]?.message).toMatch(/dbo\.Customers \(SELECT\)/);
    expect(run('QA-G08').map((x) => x.status)).toEqual(['pass']);
  });
  it('G08 fires when the DML grant is gone; both are not-evaluated on a partial catalog for another principal', () => {
    const rows = withRows({ 'role-members': rowsOf('role-members').filter((r) => r.member_principal_id !== 5) });
    expect(fails(run('QA-G08', facts(rows, { serviceAccount: 'quartz_app' })))[0]?.message).toMatch(
      /lacks privileges Quartz needs on 11 table/,
    );
    for (const id of ['QA-G07', 'QA-G08']) {
      const p = run(id, facts(PARTIAL, partialOpts));
      expect(
        p.map((x) => x.status),
        id,
      ).toEqual(['not-evaluated']);
      expect(p[0]?.evidence?.needs, id).toBe('VIEW DEFINITION on the database');
    }
  });
});

describe('QA-G13 on SQL Server (login hygiene, new id)', () => {
  it('fires for CHECK_POLICY/CHECK_EXPIRATION off and sa enabled; mixed mode is info when the service login needs it', () => {
    const fs = run('QA-G13');
    expect(fails(fs).map((x) => [x.object.name, x.severity])).toEqual([
      ['login quartz_login', 'medium'],
      ['login sa', 'medium'],
    ]);
    expect(byStatus(fs, 'info').map((x) => x.discriminator)).toEqual(['mixed-mode']);
  });
  it('CHECK_EXPIRATION off alone is low; mixed mode without a SQL service login is a low failure; healthy passes', () => {
    const rows = withRows({
      ...HEALTHY,
      'sql-logins': (HEALTHY['sql-logins'] ?? []).map((l) =>
        l.name === 'quartz_login' ? { ...l, is_expiration_checked: false } : l,
      ),
    });
    expect(fails(run('QA-G13', facts(rows))).map((x) => x.severity)).toEqual(['low']);
    const windows = withRows({
      ...HEALTHY,
      'server-principals': (HEALTHY['server-principals'] ?? []).map((p) =>
        p.name === 'quartz_login' ? { ...p, type: 'U', type_desc: 'WINDOWS_LOGIN' } : p,
      ),
    });
    expect(fails(run('QA-G13', facts(windows))).map((x) => [x.discriminator, x.severity])).toEqual([
      ['mixed-mode', 'low'],
    ]);
    expect(byStatus(run('QA-G13', facts(HEALTHY)), 'pass')).toHaveLength(1);
  });
  it('is not-evaluated, naming VIEW ANY DEFINITION, when the logins are not visible', () => {
    const p = run('QA-G13', facts(PARTIAL, partialOpts));
    expect(byStatus(p, 'pass')).toEqual([]);
    expect(byStatus(p, 'not-evaluated').map((x) => x.evidence?.needs)).toContain(
      'VIEW ANY DEFINITION (2022: VIEW ANY SECURITY DEFINITION)',
    );
  });
});

describe('QA-T01 on SQL Server (tamper persistence)', () => {
  it('each trigger, synonym and view comes with the T-SQL that removes it; the healthy fixture passes', () => {
    const f = fails(run('QA-T01'));
    expect(f.map((x) => x.remediation)).toEqual([
      'DROP SYNONYM [app].[QRTZ_LOCKS];\nALTER USER [quartz_app] WITH DEFAULT_SCHEMA = [dbo];',
      'DROP VIEW [reports].[qrtz_calendars];',
      'DROP TRIGGER [dbo].[trg_job_details_sync]; -- after checking what it does (sys.sql_modules)',
      'DROP TRIGGER [ddl_watch] ON DATABASE;',
    ]);
    expect(run('QA-T01', facts(HEALTHY)).map((x) => x.status)).toEqual(['pass']);
  });
});

describe('QA-E01 on SQL Server (TDE, tempdb, backups, Always Encrypted)', () => {
  it('ENCRYPTION_IN_PROGRESS is medium (high when the scan is suspended), with the tempdb note, backups and Always Encrypted', () => {
    const fs = run('QA-E01');
    expect(fails(fs).map((x) => [x.discriminator, x.severity])).toEqual([
      ['tde', 'medium'],
      ['backups', 'medium'],
    ]);
    expect(fails(fs)[0]?.message).toMatch(/ENCRYPTION_IN_PROGRESS 37\.5% done, scan RUNNING/);
    expect(byStatus(fs, 'info').map((x) => x.discriminator)).toEqual(['tempdb', 'always-encrypted']);
    const stalled = withRows({
      tde: [{ ...rowsOf('tde')[0], encryption_scan_state_desc: 'SUSPENDED' }, rowsOf('tde')[1] as Row],
    });
    const s = fails(run('QA-E01', facts(stalled)))[0];
    expect([s?.severity, s?.remediation]).toEqual(['high', 'ALTER DATABASE [quartz] SET ENCRYPTION RESUME;']);
  });
  it('no key (UNENCRYPTED) and DECRYPTION_IN_PROGRESS are high; ENCRYPTED passes and covers backups', () => {
    const none = withRows({ tde: [rowsOf('tde')[1] as Row] });
    expect(fails(run('QA-E01', facts(none)))[0]?.severity).toBe('high');
    const dec = withRows({
      tde: [{ ...rowsOf('tde')[0], encryption_state: 5, encryption_state_desc: 'DECRYPTION_IN_PROGRESS' }],
    });
    expect(fails(run('QA-E01', facts(dec)))[0]?.message).toMatch(/DECRYPTION_IN_PROGRESS/);
    const ok = run('QA-E01', facts(HEALTHY));
    expect(fails(ok)).toEqual([]);
    expect(byStatus(ok, 'pass')[0]?.message).toMatch(
      /encrypted by TDE \(ENCRYPTED, AES 256, protected by CERTIFICATE\)/,
    );
  });
  it('without the DMV: is_encrypted = 1 is not-evaluated naming VIEW SERVER STATE; is_encrypted = 0 still fails; backups need msdb', () => {
    const p = run('QA-E01', facts(PARTIAL, partialOpts));
    expect(byStatus(p, 'pass')).toEqual([]);
    expect(byStatus(p, 'not-evaluated').map((x) => x.evidence?.needs)).toEqual([
      'VIEW SERVER STATE (2022: VIEW SERVER SECURITY STATE; Azure SQL Database: VIEW DATABASE STATE)',
      'SELECT on msdb.dbo.backupset (e.g. membership in msdb db_backupoperator or a grant)',
    ]);
    const plain: Rows = {
      ...PARTIAL,
      database: [{ ...rowsOf('database')[0], is_encrypted: false }],
      'databases-encrypted': [],
    };
    expect(fails(run('QA-E01', facts(plain, partialOpts)))[0]?.message).toMatch(/is_encrypted = 0/);
  });
});

describe('QA-E02 on SQL Server (encrypt_option, TrustServerCertificate)', () => {
  it('an unencrypted TCP session is high; a blindly trusted certificate is medium; an encrypted session passes', () => {
    expect(fails(run('QA-E02')).map((x) => [x.discriminator, x.severity])).toEqual([['encrypt-option', 'high']]);
    const trusted = fails(run('QA-E02', facts(HEALTHY, {}, { trustServerCertificate: true })));
    expect(trusted.map((x) => [x.discriminator, x.severity])).toEqual([['trust-server-certificate', 'medium']]);
    expect(byStatus(run('QA-E02', facts(HEALTHY)), 'pass')).toHaveLength(1);
  });
  it('without VIEW SERVER STATE the session encryption is not-evaluated, naming it', () => {
    const p = run('QA-E02', facts(PARTIAL, partialOpts));
    expect(byStatus(p, 'not-evaluated')[0]?.message).toMatch(
      /^whether the server encrypts this session was not visible/,
    );
    expect(byStatus(p, 'not-evaluated')[0]?.evidence?.needs).toBe(
      'VIEW SERVER STATE (2022: VIEW SERVER PERFORMANCE STATE) for sys.dm_exec_connections',
    );
  });
});

describe('QA-A01 on SQL Server (server audit and specification coverage)', () => {
  it('partial coverage is medium naming the gaps; full coverage passes', () => {
    const f = fails(run('QA-A01'));
    expect(f.map((x) => x.severity)).toEqual(['medium']);
    expect(f[0]?.message).toMatch(
      /not covered: UPDATE on the Quartz tables, DELETE on the Quartz tables, DATABASE_PERMISSION_CHANGE_GROUP/,
    );
    expect(run('QA-A01', facts(HEALTHY)).map((x) => x.status)).toEqual(['pass']);
  });
  it('no coverage, or no started audit, is high; object-level DML on every Quartz table counts', () => {
    const none = withRows({ 'database-audit-specs': [] });
    expect(fails(run('QA-A01', facts(none))).map((x) => x.severity)).toEqual(['high']);
    const stopped = withRows({ 'audit-status': [] });
    expect(fails(run('QA-A01', facts(stopped)))[0]?.message).toMatch(
      /no server audit is started \(QuartzAudit \(NOT STARTED\)\)/,
    );
    const perTable = withRows({
      ...HEALTHY,
      'database-audit-specs': [
        ...(HEALTHY['database-audit-specs'] ?? []).filter((r) => r.audit_action_name !== 'UPDATE'),
        ...QUARTZ_TABLES.map((l) => ({
          ...auditSpec('UPDATE', 1, 'OBJECT_OR_COLUMN', false),
          securable_schema: 'dbo',
          securable_name: `QRTZ_${l}`,
        })),
      ],
    });
    expect(run('QA-A01', facts(perTable)).map((x) => x.status)).toEqual(['pass']);
    const missingOne = withRows({
      ...perTable,
      'database-audit-specs': (perTable['database-audit-specs'] ?? []).filter((r) => r.securable_name !== 'QRTZ_LOCKS'),
    });
    expect(fails(run('QA-A01', facts(missingOne)))[0]?.message).toMatch(/not covered: UPDATE on the Quartz tables$/);
  });
  it('c2 audit mode is info; without the catalog views it is not-evaluated naming the permission', () => {
    const c2 = withRows({ configurations: config({ 'c2 audit mode': 1 }) });
    expect(byStatus(run('QA-A01', facts(c2)), 'info')[0]?.message).toMatch(/c2 audit mode enabled/);
    const p = run('QA-A01', facts(PARTIAL, partialOpts));
    expect(p.map((x) => [x.status, x.evidence?.needs])).toEqual([
      ['not-evaluated', 'VIEW ANY DEFINITION or ALTER ANY SERVER AUDIT (2022: VIEW ANY SECURITY DEFINITION)'],
    ]);
  });
});

describe('QA-A02 on SQL Server (login auditing)', () => {
  it('failed logins only is a low failure; both passes; not visible is not-evaluated', () => {
    const f = fails(run('QA-A02'));
    expect(f[0]?.message).toMatch(/^successful logins are not recorded/);
    expect(run('QA-A02', facts(HEALTHY)).map((x) => x.status)).toEqual(['pass']);
    expect(run('QA-A02', facts(PARTIAL, partialOpts)).map((x) => x.status)).toEqual(['not-evaluated']);
  });
});

describe('QA-U02 on SQL Server (end of support)', () => {
  const at = (version: string, now: string, engine = 3) => {
    const rows = withRows({ server: [{ ...rowsOf('server')[0], product_version: version, engine_edition: engine }] });
    const check = allChecks.filter((c) => c.meta.id === 'QA-U02');
    return evaluateFacts(facts(rows), check, new Set(FAMILIES), checkOptions({ now: Date.parse(now) }));
  };
  it('2016 fails after 2026-07-14, 2019 and 2022 pass with their dates; Azure SQL is not applicable', () => {
    expect(at('13.0.7037.1', '2026-12-01').map((x) => [x.status, x.evidence?.eol])).toEqual([['fail', '2026-07-14']]);
    expect(at('13.0.7037.1', '2026-07-01').map((x) => x.status)).toEqual(['pass']);
    expect(at('15.0.4395.2', '2026-12-01')[0]?.message).toMatch(/SQL Server 2019 .* supported until 2030-01-08/);
    expect(at('16.0.4135.4', '2026-12-01')[0]?.evidence?.eol).toBe('2033-01-11');
    expect(at('12.0.6449.1', '2026-12-01')[0]?.status).toBe('fail');
    expect(at('12.0.2000.8', '2026-12-01', 5)[0]?.status).toBe('not-applicable');
  });
});

describe('qrtz-audit checks --dialect mssql', () => {
  it('lists every SQL Server check, none "not yet evaluated", each with the permission it needs (QA-G13 included)', async () => {
    const r = await runCli(['checks', '--dialect', 'mssql', '--format', 'json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { id: string; evaluated: boolean; needs: Record<string, string | null> }[];
    expect(list.filter((e) => !e.evaluated).map((e) => e.id)).toEqual([]);
    const needs = Object.fromEntries(list.map((e) => [e.id, e.needs.mssql]));
    expect(needs['QA-G13']).toMatch(/VIEW ANY DEFINITION/);
    expect(needs['QA-E01']).toMatch(/VIEW SERVER STATE/);
    expect(needs['QA-H01']).toBe('SELECT on the Quartz tables');
    for (const e of list) expect(e.needs.mssql, e.id).toBeTruthy();
  });
});
