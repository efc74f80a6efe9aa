/**
 * QA-G03 on SQL Server: principals other than the tables' owner hold rights on the Quartz tables beyond SELECT,
 * INSERT, UPDATE, DELETE — directly, through roles (fixed ones included: db_ddladmin, db_owner), or through a
 * schema- or database-level grant — or hold a grant option on them or their schema. ALTER, CONTROL and TAKE
 * OWNERSHIP are high (ALTER is enough to add a DML trigger: tamper persistence); REFERENCES, VIEW DEFINITION,
 * VIEW CHANGE TRACKING and grant options medium. Implicit administrator access (dbo, sysadmin, CONTROL SERVER,
 * ownership) is QA-G01/G05's. The metadata lives in g03-extra-table-privileges.ts.
 */
import type { EnginePart, FindingDraft, QuartzTable, Severity } from '../../model.js';
import { mssqlQuoteIdent, safeRemediation } from '../sql-quote.js';
import { listSome } from '../util.js';
import {
  databaseCatalogUnread,
  mssqlDatabase,
  mssqlPrincipal,
  mssqlQualified,
  mssqlRevokeVia,
  viaAdmin,
} from '../util.mssql.js';

const HIGH = new Set(['ALTER', 'CONTROL', 'TAKE OWNERSHIP']);
const EXTRA = new Set([...HIGH, 'REFERENCES', 'VIEW DEFINITION', 'VIEW CHANGE TRACKING']);
const NEEDS = 'VIEW DEFINITION on the database';

export const g03Mssql: EnginePart = {
  remediation:
    'REVOKE ALTER, CONTROL, TAKE OWNERSHIP, REFERENCES, VIEW DEFINITION ON OBJECT::[dbo].[QRTZ_…] FROM [principal]; REVOKE GRANT OPTION FOR … FROM [principal] CASCADE; take the principal out of db_ddladmin/db_owner.',
  evaluate(facts) {
    const dbObj = mssqlDatabase(facts);
    const byLogical = new Map(facts.tables.map((t) => [t.logical as string, t]));
    const by = new Map<string, { privs: Set<string>; tables: Map<string, QuartzTable>; vias: string[][] }>();
    for (const e of facts.effective) {
      if (!EXTRA.has(e.privilege) || viaAdmin(e.via)) continue;
      if (e.principal === 'public' || e.principal === 'guest') continue; // QA-G04
      const t = byLogical.get(e.table);
      if (!t || (t.owner && t.owner === e.principal)) continue;
      const a = by.get(e.principal) ?? {
        privs: new Set<string>(),
        tables: new Map<string, QuartzTable>(),
        vias: [] as string[][],
      };
      by.set(e.principal, a);
      a.privs.add(e.privilege);
      a.tables.set(t.name, t);
      if (!a.vias.some((v) => v.join('>') === e.via.join('>'))) a.vias.push(e.via);
    }
    const out: FindingDraft[] = [];
    for (const [principal, a] of [...by].sort((x, y) => x[0].localeCompare(y[0]))) {
      const privs = [...a.privs].sort();
      const severity: Severity = privs.some((p) => HIGH.has(p)) ? 'high' : 'medium';
      const vias = a.vias.map((v) => (v.length ? v.join(' → ') : 'direct grant'));
      const tables = [...a.tables.values()];
      out.push({
        status: 'fail',
        severity,
        message: `${principal} holds ${privs.join(', ')} on ${listSome(
          tables.map((t) => t.name),
          3,
        )} (via ${listSome(vias, 3)})${severity === 'high' ? ': it can add triggers to, alter or take over the Quartz tables' : ''}`,
        object: mssqlPrincipal(principal),
        evidence: { privileges: privs.join(','), tables: tables.length, via: listSome(vias, 3) },
        remediation: safeRemediation(() => mssqlRevokeVia(facts, principal, privs, tables, a.vias)),
        discriminator: 'extra',
      });
    }
    // Grant options on the Quartz tables or their schema.
    for (const g of facts.grants) {
      if (!g.grantable) continue;
      const onTable = g.objectKind === 'table' && g.quartzTable;
      const onSchema = g.objectKind === 'schema' && g.object === facts.target.schema;
      if (!onTable && !onSchema) continue;
      const t = g.quartzTable ? byLogical.get(g.quartzTable) : undefined;
      out.push({
        status: 'fail',
        severity: 'medium',
        message: `${g.grantee} holds ${g.privilege} WITH GRANT OPTION on ${onSchema ? `schema ${g.object}` : (t?.name ?? g.object)}: it can hand the right to anyone`,
        object: mssqlPrincipal(g.grantee),
        evidence: { privilege: g.privilege, object: g.object || null, grantOption: true },
        remediation: safeRemediation(
          () =>
            `REVOKE GRANT OPTION FOR ${g.privilege} ON ${onSchema ? `SCHEMA::${mssqlQuoteIdent(g.object)}` : `OBJECT::${t ? mssqlQualified(t) : mssqlQuoteIdent(g.object)}`} FROM ${mssqlQuoteIdent(g.grantee)} CASCADE;`,
        ),
        discriminator: `grant-option:${g.privilege}:${g.object}`,
      });
    }
    const unread = databaseCatalogUnread(facts);
    if (unread) {
      out.push({
        status: 'not-evaluated',
        message: `the permissions of principals other than ${facts.connectedAs} were not visible (partial catalog): request ${NEEDS}`,
        object: dbObj,
        evidence: { needs: NEEDS, read: unread },
        discriminator: 'partial',
      });
    } else if (!out.length) {
      out.push({
        status: 'pass',
        message:
          'no principal other than the owner holds rights beyond SELECT, INSERT, UPDATE, DELETE or a grant option on the Quartz tables',
        object: dbObj,
      });
    }
    return out;
  },
};
