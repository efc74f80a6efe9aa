/** QA-H05: scheduler health from Facts.scheduler (src/scheduler-facts.ts). */
import type { Check, Facts, FindingDraft } from '../../model.js';
import { databaseObject, safeText, schedulerNotRead } from '../job-util.js';
import { more } from './util.js';

export const h05: Check = {
  meta: {
    id: 'QA-H05',
    title: 'Paused and blocked trigger groups and triggers (inventory)',
    family: 'scheduler',
    // The SQL Server adapter does not read scheduler state yet (queries/mssql has no scheduler-*.sql).
    evaluatedOn: ['postgres', 'mysql', 'mariadb', 'sqlite'],
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
