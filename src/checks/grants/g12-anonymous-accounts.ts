/** QA-G12 (MySQL/MariaDB; QA-G04 there before 0.2): anonymous or empty-password accounts that can reach the Quartz tables. */
import type { Check, FindingDraft } from '../../model.js';
import { mysqlAccount, safeRemediation } from '../sql-quote.js';
import { MITIGATION } from '../util.js';
import { accountObject, list, MYSQL_FAMILY, othersUnknown } from '../util-mysql.js';

export const g12: Check = {
  meta: {
    id: 'QA-G12',
    title: 'Anonymous or empty-password accounts can reach Quartz tables',
    family: 'grants',
    severity: 'high',
    mitigation: MITIGATION.leastPrivilege,
    remediation:
      "DROP USER ''@'host' for anonymous accounts (mariadb-secure-installation / mysql_secure_installation do this); set a password (ALTER USER … IDENTIFIED BY …) or lock (ACCOUNT LOCK) accounts without one.",
    dialects: MYSQL_FAMILY,
    needs: {
      mysql: 'SELECT on mysql.user (anonymous and empty-password accounts)',
      mariadb: 'SELECT on mysql.global_priv (anonymous and empty-password accounts)',
    },
  },
  evaluate(facts) {
    const dbObj = { kind: 'database' as const, name: facts.target.database };
    const ne = othersUnknown(facts, dbObj, 'anonymous and empty-password accounts cannot be listed');
    if (ne) return [{ ...ne, discriminator: undefined }];
    const out: FindingDraft[] = [];
    const weak = facts.principals.filter(
      (p) => p.canLogin && (p.attributes.includes('anonymous') || p.attributes.includes('empty-password')),
    );
    const harmless: string[] = [];
    // effective rows by principal, in their order (a filter per account was quadratic at 10,000 accounts)
    const byPrincipal = new Map<string, typeof facts.effective>();
    for (const e of facts.effective) {
      const list = byPrincipal.get(e.principal);
      if (list) list.push(e);
      else byPrincipal.set(e.principal, [e]);
    }
    for (const p of weak) {
      const reach = byPrincipal.get(p.name) ?? [];
      const kind = p.attributes.includes('anonymous') ? 'anonymous account' : 'account without a password';
      if (!reach.length) {
        harmless.push(p.name);
        continue;
      }
      const tables = [...new Set(reach.map((e) => e.table))].sort();
      const privs = [...new Set(reach.map((e) => e.privilege))].sort();
      out.push({
        status: 'fail',
        severity: 'high',
        message: `${kind} ${p.name} can ${list(privs)} on ${tables.length} Quartz table(s) (${list(tables, 3)}): anyone who reaches the server${p.attributes.includes('host-any') ? ' from any host' : ` from ${p.host ?? 'its host'}`} gets that access`,
        object: accountObject(p.name),
        evidence: { account: p.name, privileges: privs.join(','), tables: tables.length },
        remediation: safeRemediation(() =>
          p.attributes.includes('anonymous')
            ? `DROP USER ${mysqlAccount(p.name)};`
            : `ALTER USER ${mysqlAccount(p.name)} IDENTIFIED BY '<strong password>'; -- or ACCOUNT LOCK`,
        ),
        discriminator: p.name,
      });
    }
    if (harmless.length) {
      out.push({
        status: 'info',
        message: `anonymous or empty-password accounts without access to the Quartz tables: ${list(harmless)}`,
        object: dbObj,
        evidence: { accounts: harmless.length },
        discriminator: 'no-access',
      });
    }
    if (!out.some((f) => f.status === 'fail')) {
      out.push({
        status: 'pass',
        message: 'no anonymous or empty-password account can reach the Quartz tables',
        object: dbObj,
      });
    }
    return out;
  },
};
