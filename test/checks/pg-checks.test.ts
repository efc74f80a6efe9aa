/** Unit tests of the PostgreSQL and cross-dialect checks from fact fixtures (no database). */
import { describe, expect, it } from 'vitest';
import { a01, pgauditClasses } from '../../src/checks/audit/a01-audit-log.js';
import { a02 } from '../../src/checks/audit/a02-connection-logging.js';
import { a03 } from '../../src/checks/audit/a03-statement-logging.js';
import { b00 } from '../../src/checks/content/b00-inventory.js';
import { b01 } from '../../src/checks/content/b01-native-serialization.js';
import { b07 } from '../../src/checks/content/b07-java-serialization.js';
import { e01 } from '../../src/checks/encryption/e01-at-rest.js';
import { e02 } from '../../src/checks/encryption/e02-in-transit.js';
import { e03 } from '../../src/checks/encryption/e03-password-hashing.js';
import { g01 } from '../../src/checks/grants/g01-role-attributes.js';
import { g02 } from '../../src/checks/grants/g02-predefined-roles.js';
import { g03 } from '../../src/checks/grants/g03-extra-table-privileges.js';
import { g04 } from '../../src/checks/grants/g04-public.js';
import { g05 } from '../../src/checks/grants/g05-unexpected-access.js';
import { g06 } from '../../src/checks/grants/g06-ownership.js';
import { g07 } from '../../src/checks/grants/g07-foreign-privileges.js';
import { g08 } from '../../src/checks/grants/g08-missing-privileges.js';
import { g09 } from '../../src/checks/grants/g09-default-privileges.js';
import { t01 } from '../../src/checks/grants/t01-tamper.js';
import { addToInventory, emptyInventory, evaluateCheck } from '../../src/engine.js';
import { emptyFacts } from '../../src/facts.js';
import type { Check, EffectivePrivilege, Facts, FindingDraft, Principal, QuartzTableName } from '../../src/model.js';
import { checkOptions, QUARTZ_TABLES } from '../../src/model.js';
import { redactDeep } from '../../src/secrets/redact.js';

const opts = checkOptions({ maxBlobSize: 1 << 20 });
const run = (c: Check, f: Facts): FindingDraft[] => evaluateCheck(c, f, opts) ?? [];
const statuses = (d: FindingDraft[]) => d.map((x) => x.status);

function role(name: string, attributes: string[] = [], canLogin = true): Principal {
  return { name, kind: canLogin ? 'user' : 'role', canLogin, attributes };
}

function base(extra: Partial<Facts> = {}): Facts {
  return emptyFacts('postgres', {
    target: { database: 'jobs', schema: 'quartz', tablePrefix: 'QRTZ_', user: 'auditor' },
    serviceAccount: 'app',
    connectedAs: 'auditor',
    tables: QUARTZ_TABLES.map((t) => ({
      logical: t,
      name: `qrtz_${t.toLowerCase()}`,
      schema: 'quartz',
      owner: 'owner',
    })),
    principals: [
      role('app'),
      role('auditor'),
      role('owner', [], false),
      role('postgres', ['superuser']),
      { name: 'PUBLIC', kind: 'public', canLogin: false, attributes: [] },
    ],
    ...extra,
  });
}

const dml = (principal: string, via: string[] = []): EffectivePrivilege[] =>
  QUARTZ_TABLES.flatMap((t) =>
    ['SELECT', 'INSERT', 'UPDATE', 'DELETE'].map((p) => ({
      principal,
      table: t as QuartzTableName,
      privilege: p,
      via,
    })),
  );

describe('QA-G01 role attributes', () => {
  it('superuser is critical, createrole high; clean role passes; unknown role not evaluated', () => {
    const f = base();
    f.principals[0] = role('app', ['superuser', 'createrole', 'createdb']);
    const d = run(g01, f);
    expect(d.map((x) => [x.severity, x.evidence?.attribute])).toEqual([
      ['critical', 'SUPERUSER'],
      ['high', 'CREATEROLE'],
    ]);
    expect(d[0]?.remediation).toBe('ALTER ROLE app NOSUPERUSER;');
    expect(statuses(run(g01, base()))).toEqual(['pass']);
    expect(statuses(run(g01, base({ serviceAccount: 'ghost' })))).toEqual(['not-evaluated']);
    expect(statuses(run(g01, base({ unreadable: [{ what: 'pg_roles', reason: 'denied' }] })))).toEqual([
      'not-evaluated',
    ]);
  });
});

describe('QA-G02 memberships', () => {
  it('follows nested memberships (even without INHERIT) and names the chain', () => {
    const f = base({
      memberships: [
        { member: 'app', role: 'ops', inherit: false, admin: false },
        { member: 'ops', role: 'pg_write_server_files', inherit: true, admin: false },
        { member: 'app', role: 'pg_monitor', inherit: true, admin: false },
      ],
      principals: [...base().principals, role('ops', [], false)],
    });
    const d = run(g02, f);
    expect(d.map((x) => [x.evidence?.role, x.severity, x.evidence?.path])).toEqual([
      ['pg_monitor', 'medium', 'pg_monitor'],
      ['pg_write_server_files', 'high', 'ops → pg_write_server_files'],
    ]);
    expect(d[1]?.remediation).toContain('REVOKE ops FROM app;');
  });
  it('a member of a superuser role is critical', () => {
    const f = base({ memberships: [{ member: 'app', role: 'postgres', inherit: true, admin: false }] });
    expect(run(g02, f).map((x) => x.severity)).toEqual(['critical']);
  });
  it('no dangerous membership passes', () => {
    expect(statuses(run(g02, base()))).toEqual(['pass']);
  });
});

describe('QA-G03 extra privileges and grant options', () => {
  it('TRUNCATE alone is medium, TRIGGER or a grant option is high; the owner is exempt', () => {
    const f = base({
      grants: [
        {
          grantee: 'ops',
          privilege: 'TRUNCATE',
          objectKind: 'table',
          object: 'quartz.qrtz_locks',
          quartzTable: 'LOCKS',
          grantable: false,
        },
        {
          grantee: 'dev',
          privilege: 'SELECT',
          objectKind: 'table',
          object: 'quartz.qrtz_locks',
          quartzTable: 'LOCKS',
          grantable: true,
        },
        {
          grantee: 'owner',
          privilege: 'TRIGGER',
          objectKind: 'table',
          object: 'quartz.qrtz_locks',
          quartzTable: 'LOCKS',
          grantable: true,
        },
      ],
    });
    const d = run(g03, f);
    expect(d.map((x) => [x.object.principal, x.severity])).toEqual([
      ['ops', 'medium'],
      ['dev', 'high'],
    ]);
    expect(d[1]?.remediation).toBe('REVOKE GRANT OPTION FOR SELECT ON quartz.qrtz_locks FROM dev CASCADE;');
  });
});

describe('QA-G04 PUBLIC', () => {
  it('PUBLIC write is critical, schema CREATE high', () => {
    const f = base({
      grants: [
        {
          grantee: 'PUBLIC',
          privilege: 'INSERT',
          objectKind: 'table',
          object: 'quartz.qrtz_triggers',
          quartzTable: 'TRIGGERS',
          grantable: false,
        },
      ],
      postgres: { auditor: {}, tableAccessMethods: {}, ...{ schemaCreate: ['owner', 'PUBLIC'] } },
    });
    expect(run(g04, f).map((x) => [x.severity, x.discriminator])).toEqual([
      ['critical', 'tables'],
      ['high', 'schema-create'],
    ]);
    expect(
      statuses(run(g04, base({ postgres: { auditor: {}, tableAccessMethods: {}, ...{ schemaCreate: ['owner'] } } }))),
    ).toEqual(['pass']);
  });
});

describe('QA-G05 unexpected access', () => {
  it('writers high, readers medium, auditor may read, allowed principals and owners are fine, superusers info', () => {
    const f = base({
      principals: [...base().principals, role('bob'), role('carol'), role('dave'), role('dba')],
      allowedPrincipals: ['dba'],
      effective: [
        ...dml('app'),
        ...dml('dba'),
        ...dml('owner', ['(owner)']),
        ...dml('postgres', ['(superuser)']),
        { principal: 'auditor', table: 'JOB_DETAILS', privilege: 'SELECT', via: [] },
        { principal: 'bob', table: 'JOB_DETAILS', privilege: 'INSERT', via: ['team', 'writer'] },
        { principal: 'carol', table: 'CALENDARS', privilege: 'SELECT', via: ['readers'] },
        // held only through PUBLIC: reported on PUBLIC itself, not again for every login
        { principal: 'dave', table: 'CALENDARS', privilege: 'SELECT', via: ['PUBLIC'] },
      ],
    });
    const d = run(g05, f);
    expect(d.map((x) => [x.status, x.object.principal ?? x.object.name, x.severity])).toEqual([
      ['fail', 'bob', 'high'],
      ['fail', 'carol', 'medium'],
      ['info', 'jobs', undefined],
    ]);
    expect(d[0]?.remediation).toBe('REVOKE team FROM bob; -- or revoke the privileges from role team');
    expect(d[1]?.remediation).toBe('REVOKE readers FROM carol; -- or revoke the privileges from role readers');
  });
  it('NOLOGIN roles are not reported themselves (their members are)', () => {
    const f = base({
      principals: [...base().principals, role('writer', [], false)],
      effective: [{ principal: 'writer', table: 'LOCKS', privilege: 'DELETE', via: [] }],
    });
    expect(statuses(run(g05, f))).toEqual(['pass']);
  });
});

describe('QA-G06 ownership', () => {
  it('owning tables through an inherited role counts; schema and database ownership too', () => {
    const f = base({
      tables: base().tables.map((t) => ({ ...t, owner: 'quartz_admin' })),
      memberships: [{ member: 'app', role: 'quartz_admin', inherit: true, admin: false }],
      postgres: { auditor: {}, tableAccessMethods: {}, ...{ schemaOwner: 'app', databaseOwner: 'postgres' } },
    });
    expect(run(g06, f).map((x) => x.discriminator)).toEqual(['tables', 'schema']);
    expect(
      statuses(
        run(
          g06,
          base({
            postgres: { auditor: {}, tableAccessMethods: {}, ...{ schemaOwner: 'owner', databaseOwner: 'postgres' } },
          }),
        ),
      ),
    ).toEqual(['pass']);
  });
});

describe('QA-G07, G08, G09, T01', () => {
  it('G07 lists foreign objects', () => {
    const f = base({
      foreignPrivileges: [
        { grantee: 'app', privilege: 'SELECT', objectKind: 'table', object: 'billing.invoices', grantable: false },
      ],
    });
    expect(run(g07, f)[0]?.message).toContain('table billing.invoices (SELECT)');
    expect(statuses(run(g07, base()))).toEqual(['pass']);
  });
  it('G08 names what is missing', () => {
    const f = base({ effective: dml('app').filter((e) => !(e.table === 'LOCKS' && e.privilege === 'UPDATE')) });
    expect(run(g08, f)[0]?.message).toContain('qrtz_locks (UPDATE)');
    expect(statuses(run(g08, base({ effective: dml('app') })))).toEqual(['pass']);
  });
  it('G09 flags default grants to PUBLIC but not to the service account', () => {
    const f = base({
      defaultPrivileges: [
        { owner: 'owner', schema: 'quartz', objectType: 'table', grantee: 'PUBLIC', privilege: 'SELECT' },
        { owner: 'owner', schema: 'quartz', objectType: 'table', grantee: 'app', privilege: 'INSERT' },
      ],
    });
    const d = run(g09, f);
    expect(d.map((x) => x.evidence?.grantee)).toEqual(['PUBLIC']);
    expect(d[0]?.remediation).toBe(
      'ALTER DEFAULT PRIVILEGES FOR ROLE owner IN SCHEMA quartz REVOKE SELECT ON TABLES FROM PUBLIC;',
    );
  });
  it('T01 reports each tamper object; unreadable is not evaluated', () => {
    const f = base({ tamper: [{ kind: 'rule', name: 'r1', table: 'qrtz_triggers', detail: 'on INSERT DO INSTEAD' }] });
    expect(run(t01, f).map((x) => [x.status, x.object.table])).toEqual([['fail', 'qrtz_triggers']]);
    expect(statuses(run(t01, base({ unreadable: [{ what: 'tamper', reason: 'x' }] })))).toEqual(['not-evaluated']);
  });
});

describe('encryption checks', () => {
  it('E01: pg_tde per table; attestation; else manual', () => {
    const f = base({
      extensions: ['pg_tde'],
      tableEncryption: [
        { table: 'quartz.qrtz_job_details', encrypted: true, detail: 'access method tde_heap' },
        { table: 'quartz.qrtz_triggers', encrypted: false, detail: 'access method heap' },
      ],
    });
    expect(statuses(run(e01, f))).toEqual(['pass', 'fail']);
    expect(statuses(run(e01, base({ attestations: { 'at-rest': 'LUKS' } })))).toEqual(['pass']);
    expect(statuses(run(e01, base()))).toEqual(['manual']);
  });
  it('E02: ssl off is high; old TLS medium; socket session info', () => {
    expect(
      run(e02, base({ settings: { ssl: 'off' }, session: { tls: false, viaSocket: true } })).map((x) => [
        x.status,
        x.severity,
      ]),
    ).toEqual([
      ['fail', 'high'],
      ['info', undefined],
    ]);
    expect(
      run(
        e02,
        base({
          settings: { ssl: 'on', ssl_min_protocol_version: 'TLSv1.1' },
          session: { tls: true, tlsVersion: 'TLSv1.3' },
        }),
      ).map((x) => [x.status, x.severity]),
    ).toEqual([
      ['fail', 'medium'],
      ['pass', undefined],
    ]);
  });
  it('E03: md5 fails, scram passes, unknown not evaluated', () => {
    expect(statuses(run(e03, base({ settings: { password_encryption: 'md5' } })))).toEqual(['fail']);
    expect(statuses(run(e03, base({ settings: { password_encryption: 'scram-sha-256' } })))).toEqual(['pass']);
    expect(statuses(run(e03, base()))).toEqual(['not-evaluated']);
  });
});

describe('audit checks', () => {
  it('pgaudit class parsing honours ALL and exclusions', () => {
    expect([...pgauditClasses('all, -write, -ddl')].sort()).toEqual(['function', 'misc', 'misc_set', 'read', 'role']);
    expect([...pgauditClasses('none')]).toEqual([]);
  });
  it('A01: not loaded high; loaded covering pass; object auditing through pgaudit.role passes', () => {
    expect(run(a01, base({ settings: { shared_preload_libraries: 'pg_stat_statements' } }))[0]?.severity).toBe('high');
    expect(
      statuses(run(a01, base({ settings: { shared_preload_libraries: 'pgaudit', 'pgaudit.log': 'ddl' } }))),
    ).toEqual(['pass']);
    const grants = QUARTZ_TABLES.map((t) => ({
      grantee: 'auditor_role',
      privilege: 'INSERT',
      objectKind: 'table' as const,
      object: t,
      quartzTable: t,
      grantable: false,
    }));
    expect(
      statuses(
        run(
          a01,
          base({
            settings: { shared_preload_libraries: 'pgaudit', 'pgaudit.log': 'none', 'pgaudit.role': 'auditor_role' },
            grants,
          }),
        ),
      ),
    ).toEqual(['pass']);
    expect(
      run(a01, base({ settings: { shared_preload_libraries: 'pgaudit', 'pgaudit.log': 'read' } }))[0]?.severity,
    ).toBe('medium');
    expect(statuses(run(a01, base({ settings: { shared_preload_libraries: null } })))).toEqual(['not-evaluated']);
  });
  it('A02 and A03', () => {
    expect(statuses(run(a02, base({ settings: { log_connections: 'on', log_disconnections: 'on' } })))).toEqual([
      'pass',
    ]);
    expect(statuses(run(a02, base({ settings: { log_connections: 'off', log_disconnections: 'on' } })))).toEqual([
      'fail',
    ]);
    expect(statuses(run(a03, base({ settings: { log_statement: 'all', log_min_duration_statement: '-1' } })))).toEqual([
      'fail',
    ]);
    expect(statuses(run(a03, base({ settings: { log_statement: 'ddl', log_min_duration_statement: '0' } })))).toEqual([
      'fail',
    ]);
    expect(statuses(run(a03, base({ settings: { log_statement: 'ddl', log_min_duration_statement: '-1' } })))).toEqual([
      'pass',
    ]);
  });
});

describe('blob inventory checks', () => {
  it('B00 counts per column and format; B01/B07 fail per column holding NRBF/Java', () => {
    const inv = emptyInventory();
    const add = (format: 'nrbf' | 'java' | 'json', table: string, types: string[], eco: 'dotnet' | 'java') =>
      addToInventory(inv, {
        row: { table: 'JOB_DETAILS', tableName: table, column: 'JOB_DATA', key: { sched: 's', name: 'n' }, size: 10 },
        decoded: {
          format,
          nestedFormats: [],
          types: types.map((name) => ({ name, ecosystem: eco, via: 'test' })),
          entries: [],
          strings: [],
        },
      });
    add('nrbf', 'qrtz_job_details', ['Quartz.JobDataMap', 'System.Collections.Hashtable'], 'dotnet');
    add('nrbf', 'qrtz_job_details', ['Quartz.JobDataMap'], 'dotnet');
    add('json', 'qrtz_job_details', [], 'dotnet');
    add('java', 'qrtz_calendars', ['org.quartz.impl.calendar.AnnualCalendar'], 'java');
    const f = base({ blobInventory: inv });
    expect(run(b00, f).map((x) => x.evidence)).toEqual([{ nrbf: 2, json: 1 }, { java: 1 }]);
    const d1 = run(b01, f);
    expect(d1.map((x) => [x.status, x.object.name, x.evidence?.rows])).toEqual([
      ['fail', 'qrtz_job_details.JOB_DATA', 2],
    ]);
    expect(d1[0]?.message).toContain('Quartz.JobDataMap, System.Collections.Hashtable');
    expect(run(b07, f).map((x) => [x.status, x.object.name])).toEqual([['fail', 'qrtz_calendars.JOB_DATA']]);
    expect(statuses(run(b01, base({ blobInventory: emptyInventory() })))).toEqual(['pass']);
    // type and class names come from hostile blobs: "__proto__" is counted like any other name
    const inv2 = emptyInventory();
    addToInventory(inv2, {
      row: {
        table: 'JOB_DETAILS',
        tableName: 't',
        column: 'JOB_DATA',
        key: { sched: 's', name: 'n' },
        size: 1,
        jobClassName: '__proto__',
      },
      decoded: {
        format: 'json',
        nestedFormats: [],
        types: [{ name: '__proto__', ecosystem: 'dotnet', via: 'json-$type' }],
        entries: [],
        strings: [],
      },
    });
    expect(Object.getOwnPropertyDescriptor(inv2.types, '__proto__')?.value).toBe(1);
    expect(Object.getOwnPropertyDescriptor(inv2.jobClasses ?? {}, '__proto__')?.value).toBe(1);
    expect(JSON.parse(JSON.stringify(inv2)).types).toEqual({ ['__proto__']: 1 });
    expect(JSON.parse(JSON.stringify(redactDeep(inv2))).types).toEqual({ ['__proto__']: 1 });
  });
});
