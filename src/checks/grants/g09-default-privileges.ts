/** QA-G09 — default privileges would grant future tables in the Quartz schema broadly (PostgreSQL). */
import type { Check } from '../../model.js';
import { pgRole, safeRemediation } from '../sql-quote.js';
import { expectedPrincipals, listSome, MITIGATION, notEvaluated, pgIdent } from '../util.js';

export const g09: Check = {
  meta: {
    id: 'QA-G09',
    title: 'Default privileges grant future Quartz tables to PUBLIC or unexpected principals',
    family: 'grants',
    severity: 'low',
    mitigation: MITIGATION.leastPrivilege,
    remediation:
      'ALTER DEFAULT PRIVILEGES FOR ROLE <owner> IN SCHEMA <schema> REVOKE … FROM <grantee>; grant new tables only to the Quartz role.',
    dialects: ['postgres'],
    needs: {
      postgres: 'nothing beyond connecting (pg_default_acl)',
    },
  },
  evaluate(facts) {
    const obj = { kind: 'schema' as const, name: facts.target.schema, schema: facts.target.schema };
    const ne = notEvaluated(facts, ['pg_default_acl'], obj);
    if (ne) return [ne];
    const expected = expectedPrincipals(facts);
    const bad = facts.defaultPrivileges.filter(
      (d) => d.objectType === 'table' && d.grantee !== d.owner && (d.grantee === 'PUBLIC' || !expected.has(d.grantee)),
    );
    if (!bad.length)
      return [
        {
          status: 'pass',
          message: `no default privileges hand future tables in ${facts.target.schema} to PUBLIC or unexpected principals`,
          object: obj,
        },
      ];
    const groups = new Map<string, { owner: string; schema: string | null; grantee: string; privs: string[] }>();
    for (const d of bad) {
      const k = `${d.owner}|${d.schema}|${d.grantee}`;
      const g = groups.get(k) ?? { owner: d.owner, schema: d.schema, grantee: d.grantee, privs: [] };
      g.privs.push(d.privilege);
      groups.set(k, g);
    }
    return [...groups.values()].map((g) => ({
      status: 'fail' as const,
      message: `tables that ${g.owner} creates ${g.schema ? `in schema ${g.schema}` : 'in any schema'} are granted ${g.privs.sort().join(', ')} to ${g.grantee}: re-created QRTZ_ tables would inherit it`,
      object: obj,
      evidence: { owner: g.owner, grantee: g.grantee, privileges: listSome(g.privs.sort()) },
      remediation: safeRemediation(
        () =>
          `ALTER DEFAULT PRIVILEGES FOR ROLE ${pgIdent(g.owner)}${g.schema ? ` IN SCHEMA ${pgIdent(g.schema)}` : ''} REVOKE ${g.privs.sort().join(', ')} ON TABLES FROM ${pgRole(g.grantee)};`,
      ),
      discriminator: `${g.owner}|${g.schema}|${g.grantee}`,
    }));
  },
};
