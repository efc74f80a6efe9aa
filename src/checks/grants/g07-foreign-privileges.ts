/** QA-G07 — the service account holds privileges outside the Quartz tables. Cross-dialect. */
import type { Check } from '../../model.js';
import { listSome, MITIGATION, notEvaluated, principalObject } from '../util.js';

export const g07: Check = {
  meta: {
    id: 'QA-G07',
    // SQLite has no grants: its grants family is QA-F01 (file permissions).
    dialects: ['postgres', 'mysql', 'mariadb', 'mssql'],
    evaluatedOn: ['postgres', 'mysql', 'mariadb', 'mssql'],
    needs: {
      postgres: 'nothing beyond connecting (ACLs of the database objects)',
      mysql:
        'SELECT on the mysql grant tables (mysql.user, mysql.db, mysql.tables_priv, mysql.global_grants / mysql.global_priv), else only its own grants',
      mariadb:
        'SELECT on the mysql grant tables (mysql.user, mysql.db, mysql.tables_priv, mysql.global_grants / mysql.global_priv), else only its own grants',
      mssql:
        'nothing when auditing as the service account (its own permissions are visible); else VIEW DEFINITION on the database',
    },
    title: 'Service account holds privileges on objects other than the Quartz tables',
    family: 'grants',
    severity: 'medium',
    mitigation: MITIGATION.leastPrivilege,
    remediation:
      'Use a dedicated Quartz login whose only privileges are SELECT, INSERT, UPDATE, DELETE on the QRTZ_ tables.',
  },
  evaluate(facts) {
    const obj = principalObject(facts.serviceAccount);
    const ne = notEvaluated(facts, ['foreign-privileges'], obj);
    if (ne) return [ne];
    const f = facts.foreignPrivileges;
    if (!f.length)
      return [
        {
          status: 'pass',
          message: `service account ${facts.serviceAccount} holds no privileges outside the Quartz tables`,
          object: obj,
        },
      ];
    const items = f.map((g) => `${g.objectKind} ${g.object} (${g.privilege})`);
    return [
      {
        status: 'fail',
        message: `service account ${facts.serviceAccount} holds privileges on ${f.length} other object(s): ${listSome(items, 5)} — a compromised application reaches them too`,
        object: obj,
        evidence: { objects: f.length, first: items[0] ?? null },
      },
    ];
  },
};
