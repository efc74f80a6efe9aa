/**
 * QA-G04 on SQL Server: `public` (every database user) or an enabled `guest` (every login, even without a user
 * in the database) holds permissions on the Quartz tables, their schema or the database. Writes (INSERT, UPDATE,
 * DELETE, ALTER, CONTROL, TAKE OWNERSHIP) critical; SELECT high (JOB_DATA may hold secrets); other rights
 * medium; guest holding CONNECT (enabled guest) medium. Grants to public are visible to every user, so this
 * works from a low-privileged login. The metadata lives in g04-public.ts.
 */
import { unreadable } from '../../facts.js';
import type { EnginePart, FindingDraft, Grant, Severity } from '../../model.js';
import { mssqlQuoteIdent, safeRemediation } from '../sql-quote.js';
import { mssqlDatabase, mssqlPrincipal, mssqlQualified } from '../util.mssql.js';

const WRITE = new Set(['INSERT', 'UPDATE', 'DELETE', 'ALTER', 'CONTROL', 'TAKE OWNERSHIP']);
const EVERYONE = new Set(['public', 'guest']);

export const g04Mssql: EnginePart = {
  remediation:
    'REVOKE SELECT, INSERT, UPDATE, DELETE ON OBJECT::[dbo].[QRTZ_…] FROM [public]; REVOKE … ON SCHEMA::[dbo] FROM [public]; in the Quartz database REVOKE CONNECT FROM [guest].',
  evaluate(facts) {
    const dbObj = mssqlDatabase(facts);
    const u = unreadable(facts, 'mssql.database-permissions');
    if (u?.reason.startsWith('could not read')) {
      return [
        {
          status: 'not-evaluated',
          message: `sys.database_permissions was not readable: request ${u.needs ?? 'VIEW DEFINITION on the database'}`,
          object: dbObj,
          evidence: { needs: u.needs ?? null },
        },
      ];
    }
    const schema = facts.target.schema;
    const byLogical = new Map(facts.tables.map((t) => [t.logical as string, t]));
    const out: FindingDraft[] = [];
    const groups = new Map<string, Grant[]>();
    for (const g of facts.grants) {
      if (!EVERYONE.has(g.grantee)) continue;
      const relevant =
        (g.objectKind === 'table' && g.quartzTable) ||
        (g.objectKind === 'schema' && g.object === schema) ||
        (g.objectKind === 'database' && g.privilege !== 'CONNECT');
      if (!relevant) continue;
      const key = `${g.grantee}|${g.objectKind}|${g.object}|${g.quartzTable ?? ''}`;
      groups.set(key, [...(groups.get(key) ?? []), g]);
    }
    for (const list of groups.values()) {
      const g = list[0] as Grant;
      const privs = [...new Set(list.map((x) => x.privilege))].sort();
      const severity: Severity = privs.some((p) => WRITE.has(p))
        ? 'critical'
        : privs.includes('SELECT')
          ? 'high'
          : 'medium';
      const t = g.quartzTable ? byLogical.get(g.quartzTable) : undefined;
      const what =
        g.objectKind === 'table'
          ? (t?.name ?? g.object)
          : g.objectKind === 'schema'
            ? `schema ${g.object} (every Quartz table in it)`
            : `database ${g.object} (every table)`;
      const on =
        g.objectKind === 'table'
          ? () => ` ON OBJECT::${t ? mssqlQualified(t) : mssqlQuoteIdent(g.object)}`
          : g.objectKind === 'schema'
            ? () => ` ON SCHEMA::${mssqlQuoteIdent(g.object)}`
            : () => '';
      out.push({
        status: 'fail',
        severity,
        message: `${g.grantee} holds ${privs.join(', ')} on ${what}: ${g.grantee === 'guest' ? 'every login on the server' : 'every user of the database'} ${severity === 'critical' ? 'can inject or alter jobs' : severity === 'high' ? 'can read JOB_DATA, which may hold secrets' : 'holds it'}`,
        object: mssqlPrincipal(g.grantee),
        evidence: { privileges: privs.join(','), object: what },
        remediation: safeRemediation(() => `REVOKE ${privs.join(', ')}${on()} FROM ${mssqlQuoteIdent(g.grantee)};`),
        discriminator: `${g.grantee}:${g.objectKind}:${g.object || g.quartzTable || ''}`,
      });
    }
    const guest = facts.mssql?.guestEnabled;
    if (guest === true) {
      out.push({
        status: 'fail',
        severity: 'medium',
        message: `guest is enabled in ${facts.target.database} (holds CONNECT): every login on the server can enter the database and use whatever public and guest hold`,
        object: mssqlPrincipal('guest'),
        evidence: { guestConnect: true },
        remediation: safeRemediation(
          () => `USE ${mssqlQuoteIdent(facts.target.database)}; REVOKE CONNECT FROM [guest];`,
        ),
        discriminator: 'guest-connect',
      });
    } else if (guest === null && !out.length) {
      out.push({
        status: 'not-evaluated',
        message: 'whether guest is enabled was not visible: request VIEW DEFINITION on the database',
        object: mssqlPrincipal('guest'),
        evidence: { needs: 'VIEW DEFINITION on the database' },
        discriminator: 'guest-connect',
      });
    }
    if (!out.length) {
      out.push({
        status: 'pass',
        message:
          'public and guest hold nothing on the Quartz tables, their schema or the database, and guest is disabled',
        object: dbObj,
      });
    }
    return out;
  },
};
