/** QA-G03 — TRUNCATE / REFERENCES / TRIGGER / MAINTAIN or grant options on Quartz tables (PostgreSQL). */
import type { Check, FindingDraft } from '../../model.js';
import { listSome, MITIGATION, notEvaluated, pgIdent, principalObject } from '../util.js';

const EXTRA = ['TRUNCATE', 'REFERENCES', 'TRIGGER', 'MAINTAIN'];

export const g03: Check = {
  meta: {
    id: 'QA-G03',
    title: 'Non-owner holds TRUNCATE, REFERENCES, TRIGGER or MAINTAIN, or a grant option, on Quartz tables',
    family: 'grants',
    severity: 'medium',
    mitigation: MITIGATION.leastPrivilege,
    remediation: 'Quartz needs only SELECT, INSERT, UPDATE and DELETE. REVOKE the rest and every GRANT OPTION.',
    dialects: ['postgres'],
  },
  evaluate(facts) {
    const dbObj = { kind: 'schema' as const, name: facts.target.schema, schema: facts.target.schema };
    const ne = notEvaluated(facts, ['table-acl'], dbObj);
    if (ne) return [ne];
    const owners = new Map(facts.tables.map((t) => [t.logical, t.owner]));
    const byGrantee = new Map<string, { privs: Set<string>; grantable: Set<string>; tables: Set<string> }>();
    for (const g of facts.grants) {
      if (!g.quartzTable || owners.get(g.quartzTable) === g.grantee) continue;
      const extra = EXTRA.includes(g.privilege);
      if (!extra && !g.grantable) continue;
      const e = byGrantee.get(g.grantee) ?? { privs: new Set(), grantable: new Set(), tables: new Set() };
      byGrantee.set(g.grantee, e);
      if (extra) e.privs.add(g.privilege);
      if (g.grantable) e.grantable.add(g.privilege);
      e.tables.add(g.object);
    }
    const out: FindingDraft[] = [];
    for (const [grantee, e] of byGrantee) {
      const tables = [...e.tables].sort();
      const target = grantee === 'PUBLIC' ? 'PUBLIC' : pgIdent(grantee);
      const fixes: string[] = [];
      if (e.privs.size) fixes.push(`REVOKE ${[...e.privs].sort().join(', ')} ON ${tables.join(', ')} FROM ${target};`);
      if (e.grantable.size) {
        fixes.push(
          `REVOKE GRANT OPTION FOR ${[...e.grantable].sort().join(', ')} ON ${tables.join(', ')} FROM ${target} CASCADE;`,
        );
      }
      const high = e.privs.has('TRIGGER') || e.grantable.size > 0;
      const parts: string[] = [];
      if (e.privs.size) parts.push(`${[...e.privs].sort().join(', ')}`);
      if (e.grantable.size) parts.push(`WITH GRANT OPTION on ${[...e.grantable].sort().join(', ')}`);
      out.push({
        status: 'fail',
        severity: high ? 'high' : 'medium',
        message: `${grantee === 'PUBLIC' ? 'PUBLIC' : `role ${grantee}`} holds ${parts.join('; ')} on ${listSome(tables, 4)}${e.privs.has('TRIGGER') ? ' (TRIGGER lets it attach code that runs on every Quartz write)' : ''}`,
        object: principalObject(grantee),
        evidence: {
          privileges: [...e.privs].sort().join(','),
          grantOption: [...e.grantable].sort().join(','),
          tables: tables.length,
        },
        remediation: fixes.join('\n'),
        discriminator: 'extra-privileges',
      });
    }
    if (!out.length)
      out.push({
        status: 'pass',
        message: 'no non-owner holds TRUNCATE, REFERENCES, TRIGGER, MAINTAIN or a grant option on the Quartz tables',
        object: dbObj,
      });
    return out;
  },
};
