/** QA-T01 — triggers, rules, policies, event triggers or shadowing objects around the Quartz tables. Cross-dialect. */
import type { Check, Severity, TamperObject } from '../../model.js';
import { MITIGATION, notEvaluated } from '../util.js';
import { t01Mssql } from './t01-tamper.mssql.js';

/**
 * Code that runs, or can be made to run, with someone else's rights — or a relation that is not what
 * it claims — is critical; objects that rewrite or hide rows (and columns retyped under Quartz) high.
 */
export const TAMPER_SEVERITY: Record<TamperObject['kind'], Severity> = {
  'not-a-table': 'critical',
  'shadow-function': 'critical',
  'shadow-operator': 'critical',
  'security-definer': 'critical',
  'event-trigger': 'critical',
  trigger: 'high',
  rule: 'high',
  policy: 'high',
  'column-type': 'high',
  'shadow-object': 'high',
};

const WHY: Record<TamperObject['kind'], string> = {
  'not-a-table': "a relation that is not a table under a Quartz name runs its owner's code for every reader",
  'shadow-function': 'sessions whose search_path reaches it run its code instead of the built-in',
  'shadow-operator': 'sessions whose search_path reaches it run its code instead of the built-in',
  'security-definer': "whoever may call it runs code with its owner's rights",
  'event-trigger': 'it runs its code on DDL of any role in the database',
  trigger: 'it can rewrite or hide job rows every time Quartz writes them',
  rule: 'it can rewrite or hide job rows every time Quartz writes them',
  policy: 'it can hide job rows and runs its expressions for every reader',
  'column-type': "a non-built-in type carries its owner's input, output and cast functions",
  'shadow-object': 'the scheduler may read or write it instead of the Quartz table',
};

export const t01: Check = {
  meta: {
    id: 'QA-T01',
    title: 'Tamper persistence: triggers, rules, policies or shadowing objects on Quartz tables',
    family: 'grants',
    severity: 'high',
    needs: {
      postgres: 'nothing beyond connecting (pg_trigger, pg_rewrite, pg_policy, pg_event_trigger, pg_proc, pg_operator)',
      mysql:
        'TRIGGER on the Quartz tables (information_schema.TRIGGERS hides other triggers), SELECT on mysql.proc or information_schema.ROUTINES',
      mariadb:
        'TRIGGER on the Quartz tables (information_schema.TRIGGERS hides other triggers), SELECT on information_schema.ROUTINES',
      sqlite: 'read access to the database file (sqlite_schema)',
      mssql: 'VIEW DEFINITION on the database (sys.triggers, sys.synonyms, sys.objects)',
    },
    mitigation: MITIGATION.tamper,
    remediation:
      'Review each object; stock Quartz schemas on server databases have none. Drop what is not yours, and make sure only the owner role can create them.',
  },
  // SQL Server: the evaluate below, with the T-SQL that removes each object (t01-tamper.mssql.ts).
  engines: { mssql: t01Mssql(() => t01) },
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
      severity: TAMPER_SEVERITY[t.kind] ?? 'high',
      message: `${t.kind} ${t.name}${t.table ? ` on ${t.table}` : ''}${t.owner ? ` (owner ${t.owner})` : ''}: ${t.detail} — ${WHY[t.kind] ?? 'it can rewrite or hide job rows'}`,
      object: t.table
        ? {
            kind: 'table' as const,
            name: `${facts.target.schema}.${t.table}`,
            schema: facts.target.schema,
            table: t.table,
          }
        : obj,
      evidence: { kind: t.kind, name: t.name, owner: t.owner ?? null, detail: t.detail },
      discriminator: `${t.kind}:${t.name}`,
    }));
  },
};
