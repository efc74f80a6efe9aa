import { describe, expect, it } from 'vitest';
import { h01, h02, h03, h04, h05 } from '../../src/checks/scheduler/index.js';
import { compareVersions, inferQuartzVersions, serverVersion } from '../../src/checks/updates/eol.js';
import { u01, u02 } from '../../src/checks/updates/index.js';
import { detectTimeUnit, toUnixMs, unixMsToTicks } from '../../src/dialects/shared/scheduler.js';
import { evaluateCheck } from '../../src/engine.js';
import { emptyFacts } from '../../src/facts.js';
import type { Facts, SchedulerFacts, SchedulerTrigger } from '../../src/model.js';
import { checkOptions } from '../../src/model.js';

const opts = checkOptions({ maxBlobSize: 1 << 20 });
const NOW = Date.parse('2026-11-27T04:00:00Z');
const MIN = 60_000;

function trig(name: string, state: string, nextMs: number | null): SchedulerTrigger {
  return {
    sched: 'S',
    group: 'DEFAULT',
    name,
    jobGroup: 'DEFAULT',
    jobName: `${name}-job`,
    state,
    nextFire: nextMs === null ? null : { raw: unixMsToTicks(nextMs), ms: nextMs },
  };
}

function sched(over: Partial<SchedulerFacts> = {}): SchedulerFacts {
  return {
    nowMs: NOW,
    timeUnit: 'dotnet-ticks',
    timeUnitEvidence: 'test',
    triggerStates: {},
    errorTriggers: { rows: [], total: 0 },
    earliestNextFire: { rows: [], total: 0 },
    pausedOrBlocked: { rows: [], total: 0 },
    pausedGroups: { rows: [], total: 0 },
    schedulerStates: { rows: [], total: 0 },
    executing: { rows: [], total: 0 },
    unreadable: [],
    ...over,
  };
}
const withSched = (s: SchedulerFacts): Facts => emptyFacts('sqlite', { scheduler: s });

describe('time units', () => {
  it('detects ticks and Unix ms and converts exactly', () => {
    const ms = Date.parse('2026-01-02T03:04:05.678Z');
    const ticks = unixMsToTicks(ms);
    // independent: Python (datetime(2026,1,2,3,4,5,678000) - datetime(1,1,1)) in 100 ns units
    expect(ticks).toBe('639029198456780000');
    expect(detectTimeUnit(ticks)).toBe('dotnet-ticks');
    expect(toUnixMs(ticks, 'dotnet-ticks')).toBe(ms);
    expect(detectTimeUnit(String(ms))).toBe('unix-ms');
    expect(toUnixMs(String(ms), 'unix-ms')).toBe(ms);
    expect(detectTimeUnit('12345')).toBe('unknown');
    expect(detectTimeUnit('6.39e17')).toBe('unknown');
  });
});

describe('scheduler health', () => {
  it('all H checks are not-evaluated without scheduler facts', () => {
    for (const c of [h01, h02, h03, h04, h05]) {
      expect(evaluateCheck(c, emptyFacts('postgres'), opts)?.[0]?.status).toBe('not-evaluated');
    }
  });
  it('a missing part is not-evaluated with what would let it', () => {
    const f = withSched(
      sched({
        unreadable: [
          { what: 'scheduler.errorTriggers', reason: 'permission denied', needs: 'SELECT on qrtz_triggers' },
        ],
      }),
    );
    const d = evaluateCheck(h01, f, opts)?.[0];
    expect(d?.status).toBe('not-evaluated');
    expect(d?.evidence?.needs).toBe('SELECT on qrtz_triggers');
  });
  it('H01 fails per ERROR trigger, passes otherwise', () => {
    const f = withSched(sched({ errorTriggers: { rows: [trig('broken', 'ERROR', null)], total: 1 } }));
    const d = evaluateCheck(h01, f, opts);
    expect(d?.[0]?.status).toBe('fail');
    expect(d?.[0]?.object.name).toContain('DEFAULT.broken');
    expect(evaluateCheck(h01, withSched(sched()), opts)?.[0]?.status).toBe('pass');
  });
  it('H02 applies the misfire threshold and names the time unit', () => {
    const rows = [
      trig('late', 'WAITING', NOW - 120 * MIN),
      trig('slightly', 'WAITING', NOW - 30 * MIN),
      trig('future', 'WAITING', NOW + MIN),
    ];
    const f = withSched(sched({ earliestNextFire: { rows, total: 3 } }));
    const d = evaluateCheck(h02, f, opts) ?? [];
    expect(d.map((x) => x.status)).toEqual(['fail']);
    expect(d[0]?.message).toContain('.NET ticks');
    expect(d[0]?.evidence?.overdueMinutes).toBe(120);
    expect(evaluateCheck(h02, f, { ...opts, misfireThresholdMinutes: 10 })).toHaveLength(2);
    const unknown = withSched(sched({ timeUnit: 'unknown', earliestNextFire: { rows, total: 3 } }));
    expect(evaluateCheck(h02, unknown, opts)?.[0]?.status).toBe('not-evaluated');
  });
  it('H03 flags nodes silent for more than 3 check-in intervals', () => {
    const node = (instance: string, ageMs: number, interval: number) => ({
      sched: 'S',
      instance,
      lastCheckin: { raw: String(NOW - ageMs), ms: NOW - ageMs },
      checkinIntervalMs: interval,
    });
    const f = withSched(
      sched({
        timeUnit: 'unix-ms',
        schedulerStates: {
          rows: [node('dead', 30 * MIN, 20_000), node('alive', 10_000, 20_000), node('nointerval', 11 * MIN, 0)],
          total: 3,
        },
      }),
    );
    const d = evaluateCheck(h03, f, opts) ?? [];
    expect(d.map((x) => x.object.rowKey)).toEqual(['S/dead', 'S/nointerval']);
    expect(d[0]?.message).toContain('Unix milliseconds');
  });
  it('H04 flags long executions; H05 lists paused groups and triggers', () => {
    const exec = (entryId: string, mins: number) => ({
      sched: 'S',
      entryId,
      group: 'G',
      name: entryId,
      instance: 'node1',
      jobGroup: 'G',
      jobName: 'J',
      fired: { raw: unixMsToTicks(NOW - mins * MIN), ms: NOW - mins * MIN },
    });
    const f = withSched(
      sched({
        executing: { rows: [exec('e1', 300), exec('e2', 5)], total: 2 },
        pausedGroups: { rows: [{ sched: 'S', group: 'reports' }], total: 1 },
        pausedOrBlocked: { rows: [trig('p', 'PAUSED', NOW)], total: 1 },
        triggerStates: { PAUSED: 1 },
      }),
    );
    expect((evaluateCheck(h04, f, opts) ?? []).map((x) => x.discriminator)).toEqual(['e1']);
    expect(evaluateCheck(h04, f, { ...opts, longRunningMinutes: 1 })).toHaveLength(2);
    const h = evaluateCheck(h05, f, opts) ?? [];
    expect(h.map((x) => x.status)).toEqual(['info', 'info']);
    expect(evaluateCheck(h05, withSched(sched()), opts)?.[0]?.status).toBe('pass');
  });
});

describe('update hygiene', () => {
  it('compares versions numerically and parses server versions', () => {
    expect(compareVersions('3.17', '3.8')).toBeGreaterThan(0);
    expect(serverVersion('5.5.5-10.11.6-MariaDB-0+deb12u1')).toBe('10.11.6');
    expect(serverVersion('16.4 (Debian 16.4-1.pgdg120+2)')).toBe('16.4');
  });
  it('U02 fails an EOL server and passes a supported one, dated by options.now', () => {
    const now = { ...opts, now: NOW };
    const pg13 = emptyFacts('postgres', { server: { product: 'PostgreSQL', version: '13.16' } });
    expect(evaluateCheck(u02, pg13, now)?.[0]?.status).toBe('fail');
    const pg17 = emptyFacts('postgres', { server: { product: 'PostgreSQL', version: '17.2' } });
    expect(evaluateCheck(u02, pg17, now)?.[0]?.status).toBe('pass');
    const my80 = emptyFacts('mysql', { server: { product: 'MySQL', version: '8.0.40' } });
    expect(evaluateCheck(u02, my80, now)?.[0]?.status).toBe('fail');
    expect(evaluateCheck(u02, my80, { ...opts, now: Date.parse('2025-01-01') })?.[0]?.status).toBe('pass');
    const maria = emptyFacts('mariadb', { server: { product: 'MariaDB', version: '5.5.5-10.11.6-MariaDB' } });
    expect(evaluateCheck(u02, maria, now)?.[0]?.status).toBe('pass');
    const old = emptyFacts('mysql', { server: { product: 'MySQL', version: '5.1.73' } });
    expect(evaluateCheck(u02, old, now)?.[0]?.status).toBe('fail');
    expect(evaluateCheck(u02, emptyFacts('sqlite'), now)?.[0]?.status).toBe('not-applicable');
    expect(evaluateCheck(u02, emptyFacts('postgres'), now)?.[0]?.status).toBe('not-evaluated');
  });
  it('U01 infers Quartz.NET 2.x from NRBF assembly names and fails it', () => {
    const f = emptyFacts('sqlite', {
      blobInventory: { byColumn: {}, rows: 2, bytes: 0, types: {}, quartzVersions: { 'Quartz, Version=2.3.3.0': 2 } },
    } as never);
    const d = evaluateCheck(u01, f, opts) ?? [];
    expect(d[0]?.status).toBe('fail');
    expect(d[0]?.message).toContain('2.3.3.0');
    expect(d[0]?.message).toContain("assembly name 'Quartz, Version=2.3.3.0' in 2 NRBF blobs");
  });
  it('U01: schema columns give a lower bound; old rows are mentioned', () => {
    const f = emptyFacts('sqlite', {
      quartzSchemaColumns: ['TRIGGERS.MISFIRE_ORIG_FIRE_TIME', 'TRIGGERS.EXECUTION_GROUP', 'TRIGGERS.SCHED_NAME'],
      blobInventory: { byColumn: {}, rows: 1, bytes: 0, types: {}, quartzVersions: { 'Quartz, Version=2.6.2.0': 1 } },
    } as never);
    expect(inferQuartzVersions(f).map((i) => i.version)).toEqual(['2.6.2.0', '3.18']);
    const d = evaluateCheck(u01, f, opts) ?? [];
    // #10 part 3: a pass never carries an action; rows written by an end-of-life version are a low failure.
    expect(d.map((x) => [x.status, x.severity])).toEqual([
      ['pass', undefined],
      ['fail', 'low'],
    ]);
    expect(d[0]?.message).not.toMatch(/re-save|written by 2\.6/);
    expect(d[1]?.message).toContain('1 blob row(s) were written by end-of-life Quartz.NET 2.6.2.0');
    expect(d[1]?.evidence?.rows).toBe(1);
    expect(d[1]?.remediation).toContain('Re-save');
  });
  it('U01: a current schema with rows written by Quartz.NET 1.0.3.3 is a low failure with a row count, not a pass with an action', () => {
    const f = emptyFacts('sqlite', {
      quartzSchemaColumns: ['TRIGGERS.MISFIRE_ORIG_FIRE_TIME', 'TRIGGERS.EXECUTION_GROUP', 'TRIGGERS.PREFERRED_NODE'],
      blobInventory: { byColumn: {}, rows: 7, bytes: 0, types: {}, quartzVersions: { 'Quartz, Version=1.0.3.3': 7 } },
    } as never);
    const d = evaluateCheck(u01, f, opts) ?? [];
    const pass = d.filter((x) => x.status === 'pass');
    expect(pass.map((x) => x.message).join(' ')).not.toMatch(/re-save/i);
    const fail = d.filter((x) => x.status === 'fail');
    expect(fail).toHaveLength(1);
    expect(fail[0]?.severity).toBe('low');
    expect(fail[0]?.evidence?.rows).toBe(7);
    expect(fail[0]?.message).toContain('7 blob row(s) were written by end-of-life Quartz.NET 1.0.3.3');
  });
  it('U01: a supported version is not-evaluated, not a pass, when some blob rows could not be read', () => {
    const f = emptyFacts('sqlite', {
      blobInventory: {
        byColumn: {},
        rows: 1,
        bytes: 0,
        types: {},
        quartzVersions: { 'Quartz, Version=3.8.0.0': 1 },
        unreadable: {
          what: 'blob rows',
          reason: 'could not read the rows of QRTZ_TRIGGERS (lock-timeout): x',
          table: 'QRTZ_TRIGGERS',
        },
      },
    } as never);
    const d = evaluateCheck(u01, f, opts) ?? [];
    expect(d.map((x) => x.status)).toEqual(['not-evaluated']);
    expect(d[0]?.message).toContain('QRTZ_TRIGGERS');
  });
  it('U01: Java 1.x classes fail; nothing inferable is info; nothing read is not-evaluated', () => {
    const j = emptyFacts('postgres', {
      blobInventory: { byColumn: {}, rows: 1, bytes: 0, types: { 'org.quartz.CronTrigger': 1 } },
    } as never);
    expect(evaluateCheck(u01, j, opts)?.[0]?.status).toBe('fail');
    const none = emptyFacts('postgres', { blobInventory: { byColumn: {}, rows: 0, bytes: 0, types: {} } } as never);
    expect(evaluateCheck(u01, none, opts)?.[0]?.status).toBe('info');
    expect(evaluateCheck(u01, emptyFacts('postgres'), opts)?.[0]?.status).toBe('not-evaluated');
  });
});
