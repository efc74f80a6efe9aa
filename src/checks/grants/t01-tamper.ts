/** QA-T01 — triggers, rules, policies, event triggers or shadowing objects around the Quartz tables. Cross-dialect. */
import type { Check } from '../../model.js';
import { MITIGATION, notEvaluated } from '../util.js';

export const t01: Check = {
  meta: {
    id: 'QA-T01',
    title: 'Tamper persistence: triggers, rules, policies or shadowing objects on Quartz tables',
    family: 'grants',
    severity: 'high',
    mitigation: MITIGATION.tamper,
    remediation:
      'Review each object; stock Quartz schemas on server databases have none. Drop what is not yours, and make sure only the owner role can create them.',
  },
  evaluate(facts) {
    const obj = {
      kind: 'schema' as const,
      name: facts.target.schema || facts.target.database,
      schema: facts.target.schema,
    };
    const ne = notEvaluated(facts, ['tamper'], obj);
    if (ne) return [ne];
    if (!facts.tamper.length)
      return [
        {
          status: 'pass',
          message: 'no triggers, rules, policies, event triggers or shadowing objects on the Quartz tables',
          object: obj,
        },
      ];
    return facts.tamper.map((t) => ({
      status: 'fail' as const,
      message: `${t.kind} ${t.name}${t.table ? ` on ${t.table}` : ''}: ${t.detail} — it can rewrite or hide job rows every time Quartz writes them`,
      object: t.table
        ? {
            kind: 'table' as const,
            name: `${facts.target.schema}.${t.table}`,
            schema: facts.target.schema,
            table: t.table,
          }
        : obj,
      evidence: { kind: t.kind, name: t.name, detail: t.detail },
      discriminator: `${t.kind}:${t.name}`,
    }));
  },
};
