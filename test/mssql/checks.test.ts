/**
 * SQL Server engine parts (src/checks/<family>/<id>.mssql.ts): fixture rows (test/fixtures/mssql/catalog-rows.ts)
 * → facts (factsFromRows, the adapter's own assembly) → findings, each check firing on the unhealthy fixture and
 * quiet (or not-evaluated, naming the permission) on a healthy or partial variant.
 */
import { describe, expect, it } from 'vitest';
import { allChecks } from '../../src/checks/index.js';
import type { ConnectOptions } from '../../src/dialect.js';
import { factsFromRows } from '../../src/dialects/mssql/index.js';
import { evaluateFacts } from '../../src/engine.js';
import { checkOptions, FAMILIES, type Facts, type Finding, QUARTZ_TABLES, type QuartzTable } from '../../src/model.js';
import { ROWS, SID } from '../fixtures/mssql/catalog-rows.js';

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
const tables: QuartzTable[] = QUARTZ_TABLES.map((l) => ({ logical: l, name: `QRTZ_${l}`, schema: 'dbo', owner: 'dbo' }));

function facts(rows: Rows = ROWS, over: Partial<ConnectOptions> = {}, t: Partial<typeof target> = {}): Facts {
  return factsFromRows(rows, [], { ...options, ...over }, { ...target, ...t }, isolation, tables);
}
function run(id: string, f: Facts = facts()): Finding[] {
  const check = allChecks.filter((c) => c.meta.id === id);
  expect(check).toHaveLength(1);
  return evaluateFacts(f, check, new Set(FAMILIES), checkOptions({ now: Date.parse('2026-11-30') }));
}
const fails = (fs: Finding[]) => fs.filter((f) => f.status === 'fail');
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
const config = (over: Record<string, number>) =>
  (ROWS.configurations ?? []).map((r) => {
    const name = String(r.name);
    return name in over ? { ...r, value: over[name], value_in_use: over[name] } : r;
  });

describe('mssql parts exist and run', () => {
  it('every check that applies to SQL Server is evaluated there without failing internally', () => {
    const all = evaluateFacts(facts(), allChecks, new Set(FAMILIES), checkOptions({ now: Date.parse('2026-11-30') }));
    expect(all.filter((x) => /failed internally/.test(x.message)).map((x) => `${x.check}: ${x.message}`)).toEqual([]);
  });
});

describe('QA-G01 on SQL Server', () => {
  it('dump', () => {
    for (const id of ['QA-U02', 'QA-G06'])
      for (const f of run(id)) console.log(id, f.status, f.severity, f.message, '|', f.remediation);
  });
});
