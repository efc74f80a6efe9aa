/**
 * QA-G05 on SQL Server: database users other than the service account, --allow-principal names and the tables'
 * owner that can write (high: job injection) or read (medium: JOB_DATA disclosure) Quartz tables — through direct,
 * schema- or database-level grants, nested roles, db_datawriter / db_datareader / db_owner. Implicit
 * administrator access (dbo, sysadmin logins, CONTROL SERVER) is listed as info. public and guest are QA-G04's.
 * On a partial catalog what was found is reported and the rest is not-evaluated, naming the permission.
 * The metadata lives in g05-unexpected-access.ts.
 */
import type { EnginePart, FindingDraft, QuartzTable } from '../../model.js';
import { safeRemediation } from '../sql-quote.js';
import { expectedPrincipals, listSome } from '../util.js';
import { databaseCatalogUnread, mssqlDatabase, mssqlPrincipal, mssqlRevokeVia, viaAdmin } from '../util.mssql.js';

const WRITE = new Set(['INSERT', 'UPDATE', 'DELETE']);
const NEEDS = 'VIEW DEFINITION on the database';

export const g05Mssql: EnginePart = {
  remediation:
    'ALTER ROLE [db_datawriter] DROP MEMBER [user]; ALTER ROLE [db_datareader] DROP MEMBER [user]; REVOKE INSERT, UPDATE, DELETE, SELECT ON SCHEMA::[dbo] FROM [user]; or pass --allow-principal for expected principals.',
  evaluate(facts) {
    const dbObj = mssqlDatabase(facts);
    const expected = expectedPrincipals(facts);
    const lower = new Set([...expected].map((x) => x.toLowerCase()));
    const auditor = facts.connectedAs !== facts.serviceAccount ? facts.connectedAs : undefined;
    const users = new Map(facts.principals.map((p) => [p.name, p]));
    const byLogical = new Map(facts.tables.map((t) => [t.logical as string, t]));
    type Acc = {
      write: Set<string>;
      tables: Map<string, QuartzTable>;
      read: Map<string, QuartzTable>;
      wv: string[][];
      rv: string[][];
    };
    const by = new Map<string, Acc>();
    const admins = new Set<string>();
    for (const e of facts.effective) {
      const p = users.get(e.principal);
      if (p?.kind !== 'user' || !p.canLogin || e.principal === 'guest') continue;
      if (lower.has(e.principal.toLowerCase())) continue;
      const write = WRITE.has(e.privilege);
      if (!write && e.privilege !== 'SELECT') continue;
      if (!write && e.principal === auditor) continue;
      if (e.via.length === 1 && e.via[0] === 'public') continue; // QA-G04
      if (viaAdmin(e.via)) {
        admins.add(`${e.principal} (${e.via.map((v) => v.replace(/^\((.*)\)$/, '$1')).join(' → ')})`);
        continue;
      }
      const t = byLogical.get(e.table);
      if (!t) continue;
      const a = by.get(e.principal) ?? { write: new Set(), tables: new Map(), read: new Map(), wv: [], rv: [] };
      by.set(e.principal, a);
      const vias = write ? a.wv : a.rv;
      if (!vias.some((v) => v.join('>') === e.via.join('>'))) vias.push(e.via);
      if (write) {
        a.write.add(e.privilege);
        a.tables.set(t.name, t);
      } else a.read.set(t.name, t);
    }
    const out: FindingDraft[] = [];
    const text = (vs: string[][]) =>
      listSome(
        vs.map((v) => (v.length ? v.join(' → ') : 'direct grant')),
        3,
      );
    for (const [principal, a] of [...by].sort((x, y) => x[0].localeCompare(y[0]))) {
      if (a.write.size) {
        const privs = [...a.write].sort();
        const tables = [...a.tables.values()];
        out.push({
          status: 'fail',
          severity: 'high',
          message: `${principal}${principal === auditor ? ' (the auditing login)' : ''} can ${privs.join('/')} ${listSome(
            tables.map((t) => t.name),
            3,
          )} (via ${text(a.wv)}): it can inject or alter jobs that the scheduler runs`,
          object: mssqlPrincipal(principal),
          evidence: { privileges: privs.join(','), tables: tables.length, via: text(a.wv) },
          remediation: safeRemediation(() => mssqlRevokeVia(facts, principal, privs, tables, a.wv)),
          discriminator: 'write',
        });
      }
      if (a.read.size) {
        const tables = [...a.read.values()];
        out.push({
          status: 'fail',
          severity: 'medium',
          message: `${principal} can read ${listSome(
            tables.map((t) => t.name),
            3,
          )} (via ${text(a.rv)}): JOB_DATA may hold secrets`,
          object: mssqlPrincipal(principal),
          evidence: { privileges: 'SELECT', tables: tables.length, via: text(a.rv) },
          remediation: safeRemediation(() => mssqlRevokeVia(facts, principal, ['SELECT'], tables, a.rv)),
          discriminator: 'read',
        });
      }
    }
    if (admins.size) {
      const names = [...admins].sort();
      out.push({
        status: 'info',
        message: `administrators with implicit access to every Quartz table: ${listSome(names, 6)}`,
        object: dbObj,
        evidence: { administrators: names.length },
        discriminator: 'administrators',
      });
    }
    const unread = databaseCatalogUnread(facts);
    if (unread) {
      out.push({
        status: 'not-evaluated',
        message: `only part of the database catalog was visible to ${facts.connectedAs}: other readers and writers may exist; request ${NEEDS}`,
        object: dbObj,
        evidence: { needs: NEEDS, read: unread },
        discriminator: 'partial',
      });
    } else if (!out.some((f) => f.status === 'fail')) {
      out.push({
        status: 'pass',
        message: 'only the service account and expected principals can read or write the Quartz tables',
        object: dbObj,
      });
    }
    return out;
  },
};
