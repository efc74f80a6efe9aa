/** QA-G11 (MySQL/MariaDB; QA-G03 there before 0.2): principals that can ALTER, DROP or add triggers to the Quartz tables through schema or table privileges. */
import type { Check, FindingDraft } from '../../model.js';
import { mysqlAccount, mysqlQuoteIdent, safeRemediation } from '../sql-quote.js';
import { MITIGATION } from '../util.js';
import { accountObject, grantsOf, list, MYSQL_FAMILY, othersUnknown } from '../util-mysql.js';

const DDL_HIGH = new Set(['TRIGGER', 'DROP', 'ALTER']);
const DDL = new Set(['TRIGGER', 'DROP', 'ALTER', 'CREATE', 'INDEX', 'REFERENCES', 'CREATE VIEW', 'DELETE HISTORY']);
const SCHEMA_ONLY = new Set(['CREATE ROUTINE', 'ALTER ROUTINE', 'EVENT', 'ALL PRIVILEGES']);

type Facts = Parameters<NonNullable<Check['evaluate']>>[0];

/** The first principal of each name, as principals.find() would return it (a find per name was quadratic). */
function principalsByName(facts: Facts): Map<string, Facts['principals'][number]> {
  const byName = new Map<string, Facts['principals'][number]>();
  for (const p of facts.principals) if (!byName.has(p.name)) byName.set(p.name, p);
  return byName;
}

function canAct(byName: ReturnType<typeof principalsByName>, name: string): boolean {
  if (name === 'PUBLIC') return true;
  const p = byName.get(name);
  return p ? p.canLogin : true;
}

export const g11: Check = {
  meta: {
    id: 'QA-G11',
    title: 'Principals can alter, drop or add triggers to Quartz tables',
    family: 'grants',
    severity: 'high',
    mitigation: MITIGATION.tamper,
    remediation:
      'Keep DDL (ALTER, DROP, CREATE, INDEX, TRIGGER, REFERENCES, CREATE ROUTINE) with a separate migration account; the Quartz runtime account needs only SELECT, INSERT, UPDATE, DELETE.',
    dialects: MYSQL_FAMILY,
    needs: {
      mysql:
        'SELECT on the mysql grant tables (mysql.user, mysql.db, mysql.tables_priv, mysql.global_grants / mysql.global_priv), else only its own grants',
      mariadb:
        'SELECT on the mysql grant tables (mysql.user, mysql.db, mysql.tables_priv, mysql.global_grants / mysql.global_priv), else only its own grants',
    },
  },
  evaluate(facts) {
    const db = facts.target.database;
    const out: FindingDraft[] = [];
    type Acc = { privs: Set<string>; via: Set<string> };
    const by = new Map<string, Acc>();
    const byName = principalsByName(facts);
    const note = (principal: string, priv: string, via: string) => {
      const a = by.get(principal) ?? { privs: new Set<string>(), via: new Set<string>() };
      by.set(principal, a);
      a.privs.add(priv);
      a.via.add(via);
    };
    for (const e of facts.effective) {
      if (!DDL.has(e.privilege) || e.via.includes('(superuser)') || !canAct(byName, e.principal)) continue;
      note(e.principal, e.privilege, e.via.length ? e.via.join(' → ') : 'table grant');
    }
    // Schema-level routine/event privileges (they cover the database, not one table).
    const principals = new Set([...facts.principals.map((p) => p.name), ...facts.grants.map((g) => g.grantee)]);
    for (const principal of principals) {
      if (!canAct(byName, principal) || byName.get(principal)?.attributes.includes('superuser')) continue;
      for (const { grant, via } of grantsOf(facts, principal)) {
        if (!SCHEMA_ONLY.has(grant.privilege) || grant.privilege === 'ALL PRIVILEGES') continue;
        const reaches =
          grant.objectKind === 'server' ||
          (grant.objectKind === 'schema' && grant.object.replace(/\\([%_])/g, '$1').toLowerCase() === db.toLowerCase());
        if (reaches) note(principal, grant.privilege, via);
      }
    }
    for (const [principal, a] of [...by].sort((x, y) => x[0].localeCompare(y[0]))) {
      const privs = [...a.privs].sort();
      const high = privs.some((p) => DDL_HIGH.has(p));
      const who = principal === facts.serviceAccount ? `service account ${principal}` : principal;
      out.push({
        status: 'fail',
        severity: high ? 'high' : 'medium',
        message: `${who} can ${list(privs)} on the Quartz tables (via ${list([...a.via].sort(), 3)})${high ? ': it can drop job history, change columns or plant a trigger that rewrites every job Quartz stores' : ''}`,
        object: accountObject(principal),
        evidence: { privileges: privs.join(','), via: list([...a.via].sort(), 3) },
        remediation: safeRemediation(
          () =>
            `REVOKE ${privs.join(', ')} ON ${mysqlQuoteIdent(db)}.* FROM ${mysqlAccount(principal)}; -- or on each QRTZ_ table / from the role it comes through`,
        ),
        discriminator: principal,
      });
    }
    const partial = othersUnknown(
      facts,
      { kind: 'database', name: db },
      'DDL privileges of other accounts not checked',
    );
    if (partial) out.push(partial);
    if (!out.some((f) => f.status === 'fail') && !partial) {
      out.push({
        status: 'pass',
        message: 'no non-administrative principal holds DDL privileges on the Quartz tables',
        object: { kind: 'database', name: db },
      });
    }
    return out;
  },
};
