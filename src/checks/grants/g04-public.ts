/** QA-G04 — PUBLIC holds privileges on Quartz tables, or CREATE on their schema (PostgreSQL). */
import type { Check, FindingDraft, PostgresFacts, QuartzTable, QuartzTableName } from '../../model.js';
import { safeRemediation } from '../sql-quote.js';
import { listSome, MITIGATION, notEvaluated, pgIdent, qualified } from '../util.js';
import { g04Mssql } from './g04-public.mssql.js';

const WRITE = ['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE'];

export const g04: Check = {
  meta: {
    id: 'QA-G04',
    title: 'PUBLIC holds privileges on Quartz tables or CREATE on their schema',
    family: 'grants',
    severity: 'high',
    mitigation: MITIGATION.leastPrivilege,
    remediation: 'REVOKE ALL ON the Quartz tables FROM PUBLIC; REVOKE CREATE ON SCHEMA … FROM PUBLIC.',
    dialects: ['postgres', 'mssql'],
    needs: {
      postgres: 'nothing beyond connecting (table and schema ACLs)',
      mssql:
        'nothing beyond connecting (grants to public are visible to every user); VIEW DEFINITION on the database to see whether guest is enabled',
    },
  },
  // SQL Server: its own part; the other engines share the evaluate below.
  engines: { mssql: g04Mssql },
  evaluate(facts) {
    const obj = { kind: 'principal' as const, name: 'PUBLIC', principal: 'PUBLIC' };
    const ne = notEvaluated(facts, ['table-acl', 'schema-privileges'], obj);
    if (ne) return [ne];
    const out: FindingDraft[] = [];
    const pub = facts.grants.filter((g) => g.grantee === 'PUBLIC' && g.quartzTable);
    if (pub.length) {
      const privs = [...new Set(pub.map((g) => g.privilege))].sort();
      const byLogical = new Map(facts.tables.map((t) => [t.logical, t]));
      const quartz = [
        ...new Map(
          pub.map((g) => {
            const t = byLogical.get(g.quartzTable as QuartzTableName);
            return [t ? `${t.schema}.${t.name}` : g.object, t] as const;
          }),
        ),
      ].sort((a, b) => a[0].localeCompare(b[0]));
      const tables = quartz.map(([display]) => display);
      const writes = privs.filter((p) => WRITE.includes(p));
      out.push({
        status: 'fail',
        severity: writes.length ? 'critical' : 'high',
        message: `PUBLIC (every role, present and future) holds ${privs.join(', ')} on ${listSome(tables, 4)}${writes.length ? ': anyone who can log in can inject or alter jobs' : ': anyone who can log in can read job data'}`,
        object: obj,
        evidence: { privileges: privs.join(','), tables: tables.length },
        remediation: safeRemediation(
          () =>
            `REVOKE ALL ON ${quartz
              .filter(([, t]) => t)
              .map(([, t]) => qualified(t as QuartzTable))
              .join(', ')} FROM PUBLIC;`,
        ),
        discriminator: 'tables',
      });
    }
    const pgExtra: Partial<PostgresFacts> = facts.postgres ?? {};
    if (pgExtra.schemaCreate?.includes('PUBLIC')) {
      out.push({
        status: 'fail',
        severity: 'high',
        message: `PUBLIC can CREATE in schema ${facts.target.schema}: any role can create objects that shadow or hijack Quartz's unqualified names`,
        object: { kind: 'schema', name: facts.target.schema, schema: facts.target.schema },
        evidence: { privilege: 'CREATE' },
        remediation: safeRemediation(() => `REVOKE CREATE ON SCHEMA ${pgIdent(facts.target.schema)} FROM PUBLIC;`),
        discriminator: 'schema-create',
      });
    }
    if (!out.length)
      out.push({
        status: 'pass',
        message: 'PUBLIC holds no privilege on the Quartz tables and cannot CREATE in their schema',
        object: obj,
      });
    return out;
  },
};
