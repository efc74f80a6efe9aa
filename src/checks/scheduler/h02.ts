/** QA-H02: scheduler health from Facts.scheduler (src/scheduler-facts.ts). */
import type { Check, CheckOptions, Facts, FindingDraft } from '../../model.js';
import { DEFAULT_CHECK_OPTIONS } from '../../model.js';
import { databaseObject, instantEvidence, iso, safeText, schedulerNotRead, timeUnitLabel } from '../job-util.js';
import { MIN, triggerObject, unitUnknown } from './util.js';

export const h02: Check = {
  meta: {
    id: 'QA-H02',
    title: 'Triggers whose next fire time is far in the past (misfires)',
    family: 'scheduler',
    // The SQL Server adapter does not read scheduler state yet (queries/mssql has no scheduler-*.sql).
    evaluatedOn: ['postgres', 'mysql', 'mariadb', 'sqlite'],
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
