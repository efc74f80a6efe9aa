/** Helpers shared by the scheduler health checks (QA-H01…H05, one file per id beside this one). */
import type { Facts, FindingDraft, FindingObject } from '../../model.js';
import { databaseObject, safeText } from '../job-util.js';
export const MIN = 60_000;

export function triggerObject(t: { sched: string; group: string; name: string }, table = 'TRIGGERS'): FindingObject {
  const key = `${t.sched}/${t.group}.${t.name}`;
  return { kind: 'row', name: `${table} ${safeText(key, 200)}`, table, rowKey: safeText(key, 200) };
}

export function unitUnknown(facts: Facts): FindingDraft | undefined {
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

export function more(shown: number, total: number): string {
  return total > shown ? ` (${total} in all; the first ${shown} are listed)` : '';
}
