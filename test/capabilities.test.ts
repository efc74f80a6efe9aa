/** #11 part 2: capability facts — what the service account CAN DO, engine-neutral, from each engine's facts;
 *  and a check judging capabilities (QA-G01/G02 on SQL Server) instead of engine names. */
import { describe, expect, it } from 'vitest';
import { serviceAccountCapabilities } from '../src/capabilities.js';
import { g01 } from '../src/checks/grants/g01-role-attributes.js';
import { g02 } from '../src/checks/grants/g02-predefined-roles.js';
import type { ConnectOptions } from '../src/dialect.js';
import { factsFromRows } from '../src/dialects/mssql/index.js';
import { evaluateCheck } from '../src/engine.js';
import { emptyFacts } from '../src/facts.js';
import type { Facts, Grant } from '../src/model.js';
import { FAMILIES } from '../src/model.js';
import { ROWS } from './fixtures/mssql/catalog-rows.js';

const caps = (f: Facts) => (serviceAccountCapabilities(f) ?? []).map((c) => `${c.capability} <- ${c.via}`).sort();

describe('PostgreSQL capabilities', () => {
  const base = () =>
    emptyFacts('postgres', {
      serviceAccount: 'quartz',
      principals: [
        { name: 'quartz', kind: 'user', canLogin: true, attributes: [] },
        { name: 'ops', kind: 'role', canLogin: false, attributes: [] },
        { name: 'pg_execute_server_program', kind: 'role', canLogin: false, attributes: [] },
      ],
    });
  it('pg_execute_server_program through a role chain: can run OS commands', () => {
    const f = base();
    f.memberships = [
      { member: 'quartz', role: 'ops', inherit: true, admin: false },
      { member: 'ops', role: 'pg_execute_server_program', inherit: false, admin: false },
    ];
    expect(caps(f)).toEqual(['run-os-commands <- role pg_execute_server_program via ops → pg_execute_server_program']);
  });
  it('CREATEROLE and BYPASSRLS attributes', () => {
    const f = base();
    (f.principals[0] as { attributes: string[] }).attributes = ['createrole', 'bypassrls'];
    expect(caps(f)).toEqual(['administer-roles <- attribute CREATEROLE', 'bypass-row-security <- attribute BYPASSRLS']);
  });
  it('an unknown service account has unknown capabilities, never none', () => {
    expect(serviceAccountCapabilities(emptyFacts('postgres', { serviceAccount: 'ghost' }))).toBeUndefined();
  });
});

describe('MySQL capabilities', () => {
  const file: Grant = {
    grantee: "'quartz'@'%'",
    privilege: 'FILE',
    objectKind: 'server',
    object: '',
    grantable: false,
  };
  const f = (secureFilePriv: string | null) =>
    emptyFacts('mysql', {
      serviceAccount: "'quartz'@'%'",
      principals: [{ name: "'quartz'@'%'", kind: 'user', canLogin: true, attributes: [], host: '%' }],
      grants: [file],
      settings: { secure_file_priv: secureFilePriv },
    });
  it('FILE with secure_file_priv empty: read/write server files and run OS commands', () => {
    expect(caps(f(''))).toEqual([
      'read-server-files <- FILE ON *.*',
      'run-os-commands <- FILE ON *.* with secure_file_priv empty (files anywhere the server can write)',
      'write-server-files <- FILE ON *.*',
    ]);
  });
  it('FILE confined by secure_file_priv: files, not OS commands', () => {
    expect(caps(f('/var/lib/mysql-files/'))).toEqual([
      'read-server-files <- FILE ON *.*',
      'write-server-files <- FILE ON *.*',
    ]);
  });
});

describe('SQL Server capabilities, judged by QA-G01/G02', () => {
  const options = {
    url: 'mssql://quartz_login@db/quartz',
    tablePrefix: 'QRTZ_',
    allowPrincipals: [],
    families: new Set(FAMILIES),
    statementTimeoutMs: 30_000,
    lockTimeoutMs: 2_000,
    connectTimeoutMs: 10_000,
    maxBlobSize: 1 << 20,
    attestations: {},
  } satisfies ConnectOptions;
  const target = {
    source: 'url' as const,
    encrypt: true as const,
    trustServerCertificate: true,
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
  const facts = () =>
    factsFromRows(ROWS, [], options, target, isolation, [{ logical: 'LOCKS', name: 'QRTZ_LOCKS', schema: 'dbo' }]);

  it('the adapter records that the service account reaches xp_cmdshell; QA-G02 fails critical on it', () => {
    const f = facts();
    expect(f.capabilities?.map((c) => c.capability)).toEqual(['run-os-commands']);
    // QA-G02's SQL Server part (#12) judges xp_cmdshell from the adapter's reach facts and also reports CLR and
    // TRUSTWORTHY: the one critical finding is xp_cmdshell reachable by the service account.
    const d = evaluateCheck(g02, f);
    expect(d.filter((x) => x.severity === 'critical').map((x) => [x.status, x.object.name])).toEqual([
      ['fail', 'xp_cmdshell'],
    ]);
    expect(evaluateCheck(g01, f).map((x) => x.status)).toEqual(['pass']);
  });

  it('server-level facts not visible: capabilities unknown and QA-G01/G02 not-evaluated, never a pass', () => {
    const f = facts();
    if (!f.mssql) throw new Error('no mssql facts');
    f.mssql.serviceUser.serverAdmin = null;
    const again = { ...f, capabilities: serviceAccountCapabilities(f) };
    expect(again.capabilities).toBeUndefined();
    // #12: the database-level part of QA-G01 and the configuration part of QA-G02 are still judged (what was
    // found is real); the server-level parts are not-evaluated, and neither check passes.
    for (const check of [g01, g02]) {
      const statuses = evaluateCheck(check, again).map((x) => x.status);
      expect(statuses, check.meta.id).toContain('not-evaluated');
      expect(statuses, check.meta.id).not.toContain('pass');
    }
  });
});
