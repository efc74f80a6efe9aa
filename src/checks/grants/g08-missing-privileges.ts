/** QA-G08 — the service account lacks a privilege Quartz needs. Cross-dialect. */
import type { Check } from '../../model.js';
import { MITIGATION, notEvaluated, principalObject } from '../util.js';

const NEEDED = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];

export const g08: Check = {
  meta: {
    id: 'QA-G08',
    // SQLite has no grants: its grants family is QA-F01 (file permissions).
    dialects: ['postgres', 'mysql', 'mariadb', 'mssql'],
    evaluatedOn: ['postgres', 'mysql', 'mariadb', 'mssql'],
    needs: {
      postgres: 'nothing beyond connecting (table ACLs)',
      mysql:
        'SELECT on the mysql grant tables (mysql.user, mysql.db, mysql.tables_priv, mysql.global_grants / mysql.global_priv), else only its own grants',
      mariadb:
        'SELECT on the mysql grant tables (mysql.user, mysql.db, mysql.tables_priv, mysql.global_grants / mysql.global_priv), else only its own grants',
      mssql:
        'nothing when auditing as the service account (its own permissions are visible); else VIEW DEFINITION on the database',
    },
    title: 'Service account lacks privileges Quartz needs',
    family: 'grants',
    severity: 'low',
    mitigation: MITIGATION.leastPrivilege,
    remediation:
      'GRANT SELECT, INSERT, UPDATE, DELETE on every QRTZ_ table to the Quartz service account (UPDATE is needed for SELECT … FOR UPDATE).',
  },
  evaluate(facts) {
    const svc = facts.serviceAccount;
    const obj = principalObject(svc);
    const ne = notEvaluated(facts, ['effective-privileges'], obj);
    if (ne) return [ne];
    if (facts.principals.length && !facts.principals.some((p) => p.name === svc)) {
      return [{ status: 'not-evaluated', message: `principal ${svc} was not found`, object: obj }];
    }
    const have = new Set(facts.effective.filter((e) => e.principal === svc).map((e) => `${e.table}:${e.privilege}`));
    const missing: string[] = [];
    for (const t of facts.tables) {
      const lacks = NEEDED.filter((p) => !have.has(`${t.logical}:${p}`));
      if (lacks.length) missing.push(`${t.name} (${lacks.join(', ')})`);
    }
    if (!missing.length)
      return [
        {
          status: 'pass',
          message: `service account ${svc} holds SELECT, INSERT, UPDATE, DELETE on every Quartz table`,
          object: obj,
        },
      ];
    return [
      {
        status: 'fail',
        message: `service account ${svc} lacks privileges Quartz needs on ${missing.length} table(s): ${missing.slice(0, 5).join('; ')}${missing.length > 5 ? ' …' : ''} (wrong --service-account, or the scheduler will fail)`,
        object: obj,
        evidence: { tables: missing.length },
      },
    ];
  },
};
