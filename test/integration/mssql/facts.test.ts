/** The adapter's facts assembly over fixture rows, and the existing checks run over SQL Server facts. */
import { describe, expect, it } from 'vitest';
import { allChecks } from '../../../src/checks/index.js';
import type { ConnectOptions } from '../../../src/dialect.js';
import { databaseUserFor, factsFromRows } from '../../../src/dialects/mssql/index.js';
import { evaluateFacts } from '../../../src/engine.js';
import { checkOptions, FAMILIES, type QuartzTable } from '../../../src/model.js';
import { ROWS } from '../../fixtures/mssql/catalog-rows.js';

const options: ConnectOptions = {
  url: 'mssql://quartz_login@db/quartz',
  tablePrefix: 'QRTZ_',
  allowPrincipals: ['reporting'],
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
const tables: QuartzTable[] = [{ logical: 'LOCKS', name: 'QRTZ_LOCKS', schema: 'dbo' }];

describe('factsFromRows', () => {
  it('assembles Facts with dialect mssql, the service account, foreign privileges and typed SQL Server facts', () => {
    const f = factsFromRows(ROWS, [], options, target, isolation, tables);
    expect(f.dialect).toBe('mssql');
    expect(f.serviceAccount).toBe('quartz_app');
    expect(f.serviceAccountSource).toBe('connected-login');
    expect(f.target).toMatchObject({ database: 'quartz', schema: 'dbo', user: 'quartz_app', host: 'db' });
    expect(f.foreignPrivileges.map((g) => g.object)).toEqual(['dbo.Customers']);
    expect(f.mssql?.serviceUser.login).toBe('quartz_login');
    expect(f.postgres ?? f.mysql ?? f.sqlite).toBeUndefined();
  });

  it('--service-account may name the login; an unknown name is a usage error with close matches', () => {
    const f = factsFromRows(ROWS, [], { ...options, serviceAccount: 'reporting_login' }, target, isolation, tables);
    expect(f.serviceAccount).toBe('reporting');
    expect(databaseUserFor('QUARTZ_LOGIN', f.principals)).toBe('quartz_app');
    expect(() =>
      factsFromRows(ROWS, [], { ...options, serviceAccount: 'quartz_ap' }, target, isolation, tables),
    ).toThrow(/close matches: "quartz_app"/);
  });

  it('every existing check runs over SQL Server facts without failing internally', () => {
    const f = factsFromRows(ROWS, [], options, target, isolation, tables);
    const findings = evaluateFacts(f, allChecks, new Set(FAMILIES), checkOptions({ maxBlobSize: 1 << 20 }));
    expect(findings.filter((x) => /failed internally/.test(x.message)).map((x) => `${x.check}: ${x.message}`)).toEqual(
      [],
    );
  });

  it('QA-T01 names the real tables, and is not evaluated (never a pass) on a partial catalog', () => {
    const f = factsFromRows(ROWS, [], options, target, isolation, tables);
    const t01 = evaluateFacts(f, allChecks, new Set(FAMILIES), checkOptions({ maxBlobSize: 1 << 20 })).filter(
      (x) => x.check === 'QA-T01',
    );
    expect(t01.map((x) => x.object.name).sort()).toEqual([
      'dbo',
      'dbo.QRTZ_CALENDARS',
      'dbo.QRTZ_JOB_DETAILS',
      'dbo.QRTZ_LOCKS',
    ]);
    const low = {
      ...ROWS,
      capabilities: [{ ...ROWS.capabilities?.[0], view_database_definition: 0 }],
      triggers: [],
      synonyms: [],
    };
    const p = factsFromRows(low, [], options, target, isolation, tables);
    const t01p = evaluateFacts(p, allChecks, new Set(FAMILIES), checkOptions({ maxBlobSize: 1 << 20 })).filter(
      (x) => x.check === 'QA-T01',
    );
    expect(t01p.map((x) => x.status)).not.toContain('pass');
    expect(p.unreadable.find((u) => u.what === 'tamper')?.needs).toBe('VIEW DEFINITION on the database');
  });
});
