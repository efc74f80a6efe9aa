/**
 * QA-G05 — principals other than the service account, the allowed principals and the table owners
 * can write (high) or read (medium) Quartz tables. Cross-dialect: reads the normalized effective
 * privileges. Superuser-only access is administrators' implicit access and is listed as info.
 */
import type { Check, EnginePart, Facts, FindingDraft, QuartzTable } from '../../model.js';
import { safeRemediation } from '../sql-quote.js';
import { expectedPrincipals, listSome, MITIGATION, notEvaluated, principalObject } from '../util.js';
import { g05Mssql } from './g05-unexpected-access.mssql.js';
import { mysqlRevoke } from './g05-unexpected-access.mysql.js';
import { postgresRevoke } from './g05-unexpected-access.postgres.js';

/**
 * How one engine writes QA-G05's REVOKE statements (its engine part: g05-unexpected-access.<engine>.ts). Every
 * name goes through the engine's one quoting function (src/checks/sql-quote.ts).
 */
export interface RevokeSql {
  /** A Quartz table, quoted; `display` (schema.name) when the facts do not list it. */
  table(t: QuartzTable | undefined, display: string): string;
  /** A principal or role, quoted. */
  principal(name: string): string;
  /** The statements that take `privs` on the (quoted) `tables` from `who` (quoted, or PUBLIC). */
  revoke(privs: string[], tables: string[], who: string): string[];
}

/** The engine-neutral evaluation over the normalized effective privileges, writing REVOKEs the engine's way. */
function part(sql: RevokeSql): EnginePart {
  return { evaluate: (facts) => evaluate(facts, sql) };
}

const WRITE = new Set(['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']);

function canAct(facts: Facts, principal: string): boolean {
  if (principal === 'PUBLIC') return true;
  const p = facts.principals.find((x) => x.name === principal);
  return p ? p.canLogin : true;
}

export const g05: Check = {
  meta: {
    id: 'QA-G05',
    // SQLite has no grants: its grants family is QA-F01 (file permissions).
    dialects: ['postgres', 'mysql', 'mariadb', 'mssql'],
    needs: {
      postgres: 'nothing beyond connecting (table ACLs, pg_auth_members)',
      mysql:
        'SELECT on the mysql grant tables (mysql.user, mysql.db, mysql.tables_priv, mysql.global_grants / mysql.global_priv), else only its own grants',
      mariadb:
        'SELECT on the mysql grant tables (mysql.user, mysql.db, mysql.tables_priv, mysql.global_grants / mysql.global_priv), else only its own grants',
      mssql:
        'VIEW DEFINITION on the database (sys.database_permissions and sys.database_role_members of every principal)',
    },
    title: 'Unexpected principals can write or read Quartz tables',
    family: 'grants',
    severity: 'high',
    mitigation: MITIGATION.leastPrivilege,
    remediation:
      'Only the Quartz service account (and named administrators) should hold privileges on the QRTZ_ tables: revoke the rest, or pass --allow-principal for principals that are expected.',
  },
  // One evaluation over normalized facts; the engines differ in the REVOKE they write (SQL Server: its own part).
  engines: {
    postgres: part(postgresRevoke),
    mysql: part(mysqlRevoke),
    mariadb: part(mysqlRevoke),
    mssql: g05Mssql,
  },
};

function evaluate(facts: Facts, sql: RevokeSql): FindingDraft[] {
  const dbObj = { kind: 'database' as const, name: facts.target.database || facts.dialect };
  const ne = notEvaluated(facts, ['effective-privileges', 'pg_roles', 'grants.others'], dbObj);
  if (ne) return [ne];
  const expected = expectedPrincipals(facts);
  const auditor = facts.connectedAs !== facts.serviceAccount ? facts.connectedAs : undefined;
  const table = new Map(facts.tables.map((t) => [t.logical, `${t.schema}.${t.name}`]));
  type Acc = {
    write: Map<string, Set<string>>;
    read: Set<string>;
    writeVia: Set<string>;
    readVia: Set<string>;
    superOnly: boolean;
  };
  const by = new Map<string, Acc>();
  for (const e of facts.effective) {
    if (!canAct(facts, e.principal)) continue;
    const isWrite = WRITE.has(e.privilege);
    if (expected.has(e.principal)) continue;
    if (!isWrite && e.principal === auditor) continue;
    if (e.privilege !== 'SELECT' && !isWrite) continue; // other privileges: QA-G03
    // Held only through PUBLIC: reported once, on PUBLIC itself, not again for every login.
    if (e.principal !== 'PUBLIC' && e.via.length === 1 && e.via[0] === 'PUBLIC') continue;
    const a = by.get(e.principal) ?? {
      write: new Map(),
      read: new Set(),
      writeVia: new Set(),
      readVia: new Set(),
      superOnly: true,
    };
    by.set(e.principal, a);
    const name = table.get(e.table) ?? e.table;
    if (isWrite) {
      const s = a.write.get(e.privilege) ?? new Set();
      s.add(name);
      a.write.set(e.privilege, s);
    } else a.read.add(name);
    const via = e.via.length ? e.via.join(' → ') : 'direct grant';
    (isWrite ? a.writeVia : a.readVia).add(via);
    if (!e.via.includes('(superuser)')) a.superOnly = false;
  }
  const out: FindingDraft[] = [];
  const admins: string[] = [];
  for (const [principal, a] of [...by].sort((x, y) => x[0].localeCompare(y[0]))) {
    if (a.superOnly) {
      admins.push(principal);
      continue;
    }
    const who = principal === 'PUBLIC' ? 'PUBLIC' : principal;
    const obj = principalObject(principal);
    if (a.write.size) {
      const viaText = listSome([...a.writeVia].sort(), 4);
      const privs = [...a.write.keys()].sort();
      const tables = [...new Set([...a.write.values()].flatMap((s) => [...s]))].sort();
      out.push({
        status: 'fail',
        severity: 'high',
        message: `${who}${principal === auditor ? ' (the auditing login)' : ''} can ${privs.join('/')} ${listSome(tables, 3)} (via ${viaText}): it can inject or alter jobs that the scheduler runs`,
        object: obj,
        evidence: { privileges: privs.join(','), tables: tables.length, via: viaText },
        remediation: viaRemediation(facts, sql, principal, privs, tables, a.writeVia),
        discriminator: 'write',
      });
    }
    if (a.read.size && principal !== auditor) {
      const viaText = listSome([...a.readVia].sort(), 4);
      const tables = [...a.read].sort();
      out.push({
        status: 'fail',
        severity: 'medium',
        message: `${who} can read ${listSome(tables, 3)} (via ${viaText}): JOB_DATA may hold secrets`,
        object: obj,
        evidence: { privileges: 'SELECT', tables: tables.length, via: viaText },
        remediation: viaRemediation(facts, sql, principal, ['SELECT'], tables, a.readVia),
        discriminator: 'read',
      });
    }
  }
  if (admins.length) {
    out.push({
      status: 'info',
      message: `superusers with implicit access to every Quartz table: ${listSome(admins)}`,
      object: dbObj,
      evidence: { superusers: admins.join(',') },
      discriminator: 'superusers',
    });
  }
  if (!out.some((f) => f.status === 'fail')) {
    out.push({
      status: 'pass',
      message: 'only the service account and expected principals can read or write the Quartz tables',
      object: dbObj,
    });
  }
  return out;
}

/** The REVOKE statements for one principal, every name quoted by the engine's one quoting function. */
function viaRemediation(
  facts: Facts,
  sql: RevokeSql,
  principal: string,
  privs: string[],
  tables: string[],
  via: Set<string>,
): string {
  return safeRemediation(() => {
    const byDisplay = new Map(facts.tables.map((t) => [`${t.schema}.${t.name}`, t]));
    const quoted = tables.map((d) => sql.table(byDisplay.get(d), d));
    const target = sql.principal(principal);
    const lines: string[] = [];
    const roles = new Set<string>();
    let direct = false;
    for (const v of via) {
      if (v === 'direct grant' || v === '(column)') direct = true;
      else if (v === 'PUBLIC') roles.add('PUBLIC');
      else {
        const first = v.split(' → ')[0];
        if (first && !first.startsWith('(')) roles.add(first);
        else direct = true;
      }
    }
    const revoke = (who: string) => sql.revoke(privs, quoted, who);
    if (direct) lines.push(...revoke(target));
    for (const r of roles) {
      if (r === 'PUBLIC') lines.push(...revoke('PUBLIC'));
      else
        lines.push(
          `REVOKE ${sql.principal(r)} FROM ${target}; -- or revoke the privileges from role ${sql.principal(r)}`,
        );
    }
    return (lines.length ? lines : revoke(target)).join('\n');
  });
}
