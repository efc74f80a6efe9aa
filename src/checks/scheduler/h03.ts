/** QA-H03: scheduler health from Facts.scheduler (src/scheduler-facts.ts). */
import type { Check, CheckOptions, Facts, FindingDraft } from '../../model.js';
import { databaseObject, instantEvidence, iso, safeText, schedulerNotRead, timeUnitLabel } from '../job-util.js';
import { MIN, unitUnknown } from './util.js';

export const h03: Check = {
  meta: {
    id: 'QA-H03',
    title: 'Cluster nodes that stopped checking in',
    family: 'scheduler',
    // The SQL Server adapter does not read scheduler state yet (queries/mssql has no scheduler-*.sql).
    evaluatedOn: ['postgres', 'mysql', 'mariadb', 'sqlite'],
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
