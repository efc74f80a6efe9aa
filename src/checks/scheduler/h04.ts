/** QA-H04: scheduler health from Facts.scheduler (src/scheduler-facts.ts). */
import type { Check, CheckOptions, Facts, FindingDraft } from '../../model.js';
import { DEFAULT_CHECK_OPTIONS } from '../../model.js';
import { databaseObject, instantEvidence, iso, safeText, schedulerNotRead, timeUnitLabel } from '../job-util.js';
import { MIN, triggerObject, unitUnknown } from './util.js';

export const h04: Check = {
  meta: {
    id: 'QA-H04',
    title: 'Fired triggers executing for longer than the threshold',
    family: 'scheduler',
    // The SQL Server adapter does not read scheduler state yet (queries/mssql has no scheduler-*.sql).
    evaluatedOn: ['postgres', 'mysql', 'mariadb', 'sqlite'],
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
