/** Scheduler health, QA-H01…H05: from Facts.scheduler (src/dialects/shared/scheduler.ts). All are 'blobs' family: they read
 *  table contents, so --skip blobs turns them off with the JobDataMap checks. */
import type { Check, CheckOptions, Facts, FindingDraft, FindingObject, SchedulerTrigger } from '../../model.js';
import { DEFAULT_CHECK_OPTIONS } from '../../model.js';
import { databaseObject, instantEvidence, iso, safeText, schedulerNotRead, timeUnitLabel } from './util.js';

const MIN = 60_000;

function triggerObject(t: { sched: string; group: string; name: string }, table = 'TRIGGERS'): FindingObject {
  const key = `${t.sched}/${t.group}.${t.name}`;
  return { kind: 'row', name: `${table} ${safeText(key, 200)}`, table, rowKey: safeText(key, 200) };
}

function unitUnknown(facts: Facts): FindingDraft | undefined {
  const s = facts.scheduler;
  if (s && s.timeUnit === 'unknown') {
    return {
      status: 'not-evaluated',
      message: `cannot tell how this store writes times (${safeText(s.timeUnitEvidence)}): neither .NET ticks nor Unix milliseconds`,
      object: databaseObject(facts),
      evidence: { timeUnit: 'unknown' },
    };
  }
  return undefined;
}

function more(shown: number, total: number): string {
  return total > shown ? ` (${total} in all; the first ${shown} are listed)` : '';
}

export const h01: Check = {
  meta: {
    id: 'QA-H01',
    title: 'Triggers in ERROR state',
    family: 'scheduler',
    evaluatedOn: ['postgres', 'mysql', 'mariadb', 'sqlite', 'mssql'],
    severity: 'medium',
    mitigation: 'Monitor the scheduler: failed and stuck jobs',
    remediation:
      'Find why the job could not be instantiated or stored (class missing after a deploy, deserialization failure, tampered row), fix it, then resume the trigger (IScheduler.ResumeTrigger / scheduler.resumeTrigger).',
  },
  evaluate(facts: Facts): FindingDraft[] {
    const missing = schedulerNotRead(facts, 'errorTriggers');
    if (missing) return [missing];
    const s = facts.scheduler;
    if (!s) return [];
    if (!s.errorTriggers.rows.length) {
      return [{ status: 'pass', message: 'no trigger is in ERROR state', object: databaseObject(facts) }];
    }
    const note = more(s.errorTriggers.rows.length, s.errorTriggers.total);
    return s.errorTriggers.rows.map((t: SchedulerTrigger) => ({
      status: 'fail' as const,
      message: `trigger ${safeText(`${t.group}.${t.name}`, 200)} of job ${safeText(`${t.jobGroup}.${t.jobName}`, 200)} is in ERROR state: Quartz will not fire it again${note}`,
      object: triggerObject(t),
      evidence: { sched: safeText(t.sched, 120), job: safeText(`${t.jobGroup}.${t.jobName}`, 200), state: t.state },
    }));
  },
};

export const h02: Check = {
  meta: {
    id: 'QA-H02',
    title: 'Triggers whose next fire time is far in the past (misfires)',
    family: 'scheduler',
    evaluatedOn: ['postgres', 'mysql', 'mariadb', 'sqlite', 'mssql'],
    severity: 'low',
    mitigation: 'Monitor the scheduler: failed and stuck jobs',
    remediation: `Check that a scheduler instance is running against this store and is not starved (thread pool, DB locks); review the misfire instruction of the listed triggers. Threshold: --misfire-threshold MINUTES (default ${DEFAULT_CHECK_OPTIONS.misfireThresholdMinutes}).`,
  },
  evaluate(facts: Facts, options: CheckOptions): FindingDraft[] {
    const missing = schedulerNotRead(facts, 'earliestNextFire') ?? unitUnknown(facts);
    if (missing) return [missing];
    const s = facts.scheduler;
    if (!s) return [];
    const thresholdMin = options.misfireThresholdMinutes;
    const limit = s.nowMs - thresholdMin * MIN;
    const late = s.earliestNextFire.rows.filter((t) => t.nextFire?.ms != null && t.nextFire.ms < limit);
    if (!late.length) {
      return [
        {
          status: 'pass',
          message: `no waiting trigger is more than ${thresholdMin} min overdue (times stored as ${timeUnitLabel(facts)})`,
          object: databaseObject(facts),
          evidence: { timeUnit: s.timeUnit, timeUnitEvidence: safeText(s.timeUnitEvidence), dbNowUtc: iso(s.nowMs) },
        },
      ];
    }
    const capped = late.length === s.earliestNextFire.rows.length && s.earliestNextFire.total > late.length;
    return late.map((t) => {
      const overdue = Math.round((s.nowMs - (t.nextFire?.ms ?? s.nowMs)) / MIN);
      return {
        status: 'fail' as const,
        message: `trigger ${safeText(`${t.group}.${t.name}`, 200)} (${t.state}) should have fired ${overdue} min ago (next fire time ${iso(t.nextFire?.ms ?? null)}, stored as ${timeUnitLabel(facts)})${capped ? ' — more overdue triggers may exist beyond the first 1000' : ''}`,
        object: triggerObject(t),
        evidence: {
          ...instantEvidence('nextFire', t.nextFire),
          overdueMinutes: overdue,
          thresholdMinutes: thresholdMin,
          timeUnit: s.timeUnit,
          dbNowUtc: iso(s.nowMs),
        },
      };
    });
  },
};

export const h03: Check = {
  meta: {
    id: 'QA-H03',
    title: 'Cluster nodes that stopped checking in',
    family: 'scheduler',
    evaluatedOn: ['postgres', 'mysql', 'mariadb', 'sqlite', 'mssql'],
    severity: 'medium',
    mitigation: 'Monitor the scheduler: cluster health',
    remediation:
      'Check the listed scheduler instances: a row that stays stale means the node died and no live node recovered its jobs (or the row was forged). Restart or remove the node; verify QRTZ_SCHEDULER_STATE is writable only by the Quartz service account.',
  },
  evaluate(facts: Facts, options: CheckOptions): FindingDraft[] {
    const missing = schedulerNotRead(facts, 'schedulerStates') ?? unitUnknown(facts);
    if (missing) return [missing];
    const s = facts.scheduler;
    if (!s) return [];
    const fallbackMin = options.checkinStaleMinutes;
    if (!s.schedulerStates.rows.length) {
      return [
        {
          status: 'pass',
          message: 'no rows in SCHEDULER_STATE (the store is not clustered or no instance is running)',
          object: databaseObject(facts),
        },
      ];
    }
    const out: FindingDraft[] = [];
    for (const n of s.schedulerStates.rows) {
      // 3 check-in intervals; 10 min when the interval is missing; never below 1 min (clock skew).
      const thresholdMs = n.checkinIntervalMs > 0 ? Math.max(3 * n.checkinIntervalMs, MIN) : fallbackMin * MIN;
      const ageMs = n.lastCheckin.ms === null ? null : s.nowMs - n.lastCheckin.ms;
      if (ageMs === null || ageMs <= thresholdMs) continue;
      out.push({
        status: 'fail',
        message: `scheduler instance ${safeText(n.instance, 200)} (${safeText(n.sched, 120)}) last checked in ${Math.round(ageMs / MIN)} min ago, more than ${Math.round(thresholdMs / 1000)} s (3 check-in intervals of ${n.checkinIntervalMs} ms); times stored as ${timeUnitLabel(facts)}`,
        object: {
          kind: 'row',
          name: `SCHEDULER_STATE ${safeText(`${n.sched}/${n.instance}`, 200)}`,
          table: 'SCHEDULER_STATE',
          rowKey: safeText(`${n.sched}/${n.instance}`, 200),
        },
        evidence: {
          ...instantEvidence('lastCheckin', n.lastCheckin),
          ageMinutes: Math.round(ageMs / MIN),
          checkinIntervalMs: n.checkinIntervalMs,
          thresholdSeconds: Math.round(thresholdMs / 1000),
          timeUnit: s.timeUnit,
          dbNowUtc: iso(s.nowMs),
        },
      });
    }
    if (!out.length) {
      return [
        {
          status: 'pass',
          message: `${s.schedulerStates.rows.length} scheduler instances, all checked in within 3 check-in intervals`,
          object: databaseObject(facts),
          evidence: { timeUnit: s.timeUnit, instances: s.schedulerStates.total },
        },
      ];
    }
    return out;
  },
};

export const h04: Check = {
  meta: {
    id: 'QA-H04',
    title: 'Fired triggers executing for longer than the threshold',
    family: 'scheduler',
    evaluatedOn: ['postgres', 'mysql', 'mariadb', 'sqlite', 'mssql'],
    severity: 'low',
    mitigation: 'Monitor the scheduler: failed and stuck jobs',
    remediation: `Check whether the job is hung or its node died without recovery; long runs of non-concurrent jobs block their triggers. Threshold: --long-running MINUTES (default ${DEFAULT_CHECK_OPTIONS.longRunningMinutes}).`,
  },
  evaluate(facts: Facts, options: CheckOptions): FindingDraft[] {
    const missing = schedulerNotRead(facts, 'executing') ?? unitUnknown(facts);
    if (missing) return [missing];
    const s = facts.scheduler;
    if (!s) return [];
    const thresholdMin = options.longRunningMinutes;
    const long = s.executing.rows.filter((e) => e.fired.ms !== null && s.nowMs - e.fired.ms > thresholdMin * MIN);
    if (!long.length) {
      return [
        {
          status: 'pass',
          message: `${s.executing.total} executing fired triggers, none running longer than ${thresholdMin} min`,
          object: databaseObject(facts),
          evidence: { timeUnit: s.timeUnit },
        },
      ];
    }
    return long.map((e) => {
      const mins = Math.round((s.nowMs - (e.fired.ms ?? s.nowMs)) / MIN);
      return {
        status: 'fail' as const,
        message: `job ${safeText(`${e.jobGroup ?? '?'}.${e.jobName ?? '?'}`, 200)} (trigger ${safeText(`${e.group}.${e.name}`, 200)}) has been executing on ${safeText(e.instance, 120)} for ${mins} min (fired ${iso(e.fired.ms)}, stored as ${timeUnitLabel(facts)})`,
        object: triggerObject(e, 'FIRED_TRIGGERS'),
        evidence: {
          entryId: safeText(e.entryId, 140),
          instance: safeText(e.instance, 200),
          ...instantEvidence('fired', e.fired),
          runningMinutes: mins,
          thresholdMinutes: thresholdMin,
          timeUnit: s.timeUnit,
        },
        discriminator: e.entryId,
      };
    });
  },
};

export const h05: Check = {
  meta: {
    id: 'QA-H05',
    title: 'Paused and blocked trigger groups and triggers (inventory)',
    family: 'scheduler',
    evaluatedOn: ['postgres', 'mysql', 'mariadb', 'sqlite', 'mssql'],
    severity: 'info',
    mitigation: 'Monitor the scheduler: paused work',
    remediation:
      'Confirm each paused group or trigger is paused on purpose; an unexpected pause silently stops jobs (and pausing is a cheap way to disable a security job).',
  },
  evaluate(facts: Facts): FindingDraft[] {
    const missing = schedulerNotRead(facts, 'pausedOrBlocked') ?? schedulerNotRead(facts, 'pausedGroups');
    if (missing) return [missing];
    const s = facts.scheduler;
    if (!s) return [];
    const out: FindingDraft[] = [];
    for (const g of s.pausedGroups.rows) {
      out.push({
        status: 'info',
        message: `trigger group ${safeText(g.group, 200)} (${safeText(g.sched, 120)}) is paused${more(s.pausedGroups.rows.length, s.pausedGroups.total)}`,
        object: {
          kind: 'row',
          name: `PAUSED_TRIGGER_GRPS ${safeText(`${g.sched}/${g.group}`, 200)}`,
          table: 'PAUSED_TRIGGER_GRPS',
          rowKey: safeText(`${g.sched}/${g.group}`, 200),
        },
      });
    }
    const byState: Record<string, number> = {};
    for (const st of ['PAUSED', 'PAUSED_BLOCKED', 'BLOCKED']) byState[st] = s.triggerStates[st] ?? 0;
    if (s.pausedOrBlocked.total > 0) {
      const names = s.pausedOrBlocked.rows
        .slice(0, 20)
        .map((t) => `${safeText(`${t.group}.${t.name}`, 120)} (${t.state})`);
      out.push({
        status: 'info',
        message: `${s.pausedOrBlocked.total} triggers paused or blocked: ${names.join(', ')}${s.pausedOrBlocked.total > names.length ? ', …' : ''}`,
        object: databaseObject(facts),
        evidence: byState,
        discriminator: 'triggers',
      });
    }
    if (!out.length) {
      return [
        { status: 'pass', message: 'no paused or blocked trigger groups or triggers', object: databaseObject(facts) },
      ];
    }
    return out;
  },
};
