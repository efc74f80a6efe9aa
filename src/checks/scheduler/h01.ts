/** QA-H01: scheduler health from Facts.scheduler (src/scheduler-facts.ts). */
import type { Check, Facts, FindingDraft, SchedulerTrigger } from '../../model.js';
import { databaseObject, safeText, schedulerNotRead } from '../job-util.js';
import { more, triggerObject } from './util.js';

export const h01: Check = {
  meta: {
    id: 'QA-H01',
    title: 'Triggers in ERROR state',
    family: 'scheduler',
    // The SQL Server adapter does not read scheduler state yet (queries/mssql has no scheduler-*.sql).
    evaluatedOn: ['postgres', 'mysql', 'mariadb', 'sqlite'],
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
