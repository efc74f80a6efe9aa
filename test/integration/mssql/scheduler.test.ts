/**
 * Scheduler state on SQL Server: queries/mssql/scheduler-*.sql through the shared scheduler reader (the same
 * call the adapter makes), with rows shaped as SQL Server returns them (bigint ticks cast to varchar, counts as
 * int), then QA-H01…H05 over the facts. A run function stands in for the server and sees the exact T-SQL.
 */
import { describe, expect, it } from 'vitest';
import { allChecks } from '../../../src/checks/index.js';
import { quoteName } from '../../../src/dialects/mssql/blobs.js';
import { readSchedulerFacts, unixMsToTicks } from '../../../src/dialects/shared/scheduler.js';
import { evaluateCheck } from '../../../src/engine.js';
import { emptyFacts } from '../../../src/facts.js';
import { QUARTZ_TABLES, type QuartzTable } from '../../../src/model.js';

const tables: QuartzTable[] = QUARTZ_TABLES.map((l) => ({ logical: l, name: `QRTZ_${l}`, schema: 'dbo' }));
const quote = (t: QuartzTable) => `${quoteName(t.schema)}.${quoteName(t.name)}`;
const NOW = Date.parse('2026-11-30T12:00:00Z');
const ticks = (ms: number) => unixMsToTicks(ms);
const trig = (name: string, state: string, nextMs: number) => ({
  sched: 'QuartzScheduler',
  grp: 'DEFAULT',
  name,
  job_group: 'DEFAULT',
  job_name: `${name}-job`,
  state,
  next_fire: ticks(nextMs),
});

/** Rows per query file name (from its first header line). */
const ROWS: Record<string, Record<string, unknown>[]> = {
  'scheduler-now.sql': [{ now_ms: String(NOW) }],
  'scheduler-time-sample.sql': [{ max_start: ticks(NOW - 86_400_000) }],
  'scheduler-trigger-states.sql': [
    { state: 'WAITING', n: 3 },
    { state: 'ERROR', n: 1 },
  ],
  'scheduler-error-triggers.sql': [trig('broken', 'ERROR', NOW - 60_000)],
  'scheduler-earliest-next-fire.sql': [trig('late', 'WAITING', NOW - 3 * 3_600_000)],
  'scheduler-paused-triggers.sql': [],
  'scheduler-paused-groups.sql': [],
  'scheduler-paused-groups-count.sql': [{ n: 0 }],
  'scheduler-states.sql': [
    { sched: 'QuartzScheduler', instance: 'node-1', last_checkin: ticks(NOW - 3_600_000), checkin_interval: '7500' },
  ],
  'scheduler-states-count.sql': [{ n: 1 }],
  'scheduler-executing.sql': [],
  'scheduler-executing-count.sql': [{ n: 0 }],
};

describe('scheduler state on SQL Server', () => {
  it('runs the T-SQL files with bracket-quoted real table names and TOP bounds, and QA-H01…H03 judge it', async () => {
    const seen: string[] = [];
    const scheduler = await readSchedulerFacts(
      async (text) => {
        seen.push(text);
        const name = /^-- (scheduler-[a-z-]+\.sql):/.exec(text)?.[1] ?? '';
        const rows = ROWS[name];
        if (!rows) throw new Error(`unexpected query ${name}`);
        return rows;
      },
      tables,
      { dialect: 'mssql', quote },
    );
    expect(scheduler.unreadable).toEqual([]);
    expect(seen.some((t) => t.includes('FROM [dbo].[QRTZ_TRIGGERS]'))).toBe(true);
    expect(seen.filter((t) => /LIMIT \d/.test(t))).toEqual([]);
    expect(seen.filter((t) => /SELECT TOP \(1000\)/.test(t)).length).toBeGreaterThanOrEqual(6);
    expect(scheduler.timeUnit).toBe('dotnet-ticks');
    const facts = emptyFacts('mssql', { tables, scheduler });
    const status = (id: string) => {
      const c = allChecks.find((x) => x.meta.id === id);
      if (!c) throw new Error(id);
      return evaluateCheck(c, facts, { now: NOW }).map((d) => d.status);
    };
    expect(status('QA-H01')).toContain('fail');
    expect(status('QA-H02')).toContain('fail');
    expect(status('QA-H03')).toContain('fail');
    expect(status('QA-H04')).not.toContain('not-evaluated');
  });

  it('a table it cannot read is recorded (never an empty pass), with what the auditor needs', async () => {
    const scheduler = await readSchedulerFacts(
      async (text) => {
        if (text.includes('[dbo].[QRTZ_TRIGGERS]')) throw new Error('Lock request time out period exceeded.');
        const name = /^-- (scheduler-[a-z-]+\.sql):/.exec(text)?.[1] ?? '';
        return ROWS[name] ?? [];
      },
      tables,
      { dialect: 'mssql', quote, needs: (t) => `SELECT on ${t.schema}.${t.name}` },
    );
    expect(scheduler.unreadable.length).toBeGreaterThan(0);
    // Only the TRIGGERS reads are missing: the other tables were read.
    expect([...new Set(scheduler.unreadable.map((u) => u.needs))]).toEqual(['SELECT on dbo.QRTZ_TRIGGERS']);
    const c = allChecks.find((x) => x.meta.id === 'QA-H01');
    if (!c) throw new Error('QA-H01');
    const h01 = evaluateCheck(c, emptyFacts('mssql', { tables, scheduler }), { now: NOW });
    expect(h01.map((d) => d.status)).toEqual(['not-evaluated']);
  });
});
