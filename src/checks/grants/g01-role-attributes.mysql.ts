/** QA-G01 on MySQL/MariaDB (SUPER, ALL PRIVILEGES, CREATE USER, GRANT OPTION, *_ADMIN on *.*): the evaluation part; the metadata lives in g01-role-attributes.ts. */
import type { EnginePart, FindingDraft, Severity } from '../../model.js';
import { mysqlAccount, safeRemediation } from '../sql-quote.js';
import { accountObject, grantsOf, list, serviceAccountUnknown } from '../util-mysql.js';

const CRITICAL_GLOBAL = new Set([
  'ALL PRIVILEGES',
  'SUPER',
  'SYSTEM_USER',
  'SET_ANY_DEFINER',
  'SET_USER_ID',
  'SET USER',
  'ALLOW_NONEXISTENT_DEFINER',
]);
/** MariaDB 10.5+ split SUPER into these named privileges. */
const MARIADB_ADMIN = new Set([
  'BINLOG ADMIN',
  'BINLOG REPLAY',
  'CONNECTION ADMIN',
  'FEDERATED ADMIN',
  'READ_ONLY ADMIN',
  'REPLICATION MASTER ADMIN',
  'REPLICATION SLAVE ADMIN',
  'REPLICA MONITOR',
  'SLAVE MONITOR',
]);
const HIGH_GLOBAL = new Set(['CREATE USER', 'GRANT OPTION', 'ROLE_ADMIN', 'CREATE TABLESPACE']);

function globalSeverity(p: string): Severity | undefined {
  if (CRITICAL_GLOBAL.has(p)) return 'critical';
  if (HIGH_GLOBAL.has(p) || MARIADB_ADMIN.has(p) || /_ADMIN$/.test(p) || /^AUDIT_/.test(p)) return 'high';
  return undefined;
}

export const g01Mysql: EnginePart = {
  remediation:
    "Revoke server-level privileges from the Quartz account: REVOKE ALL PRIVILEGES, GRANT OPTION FROM 'quartz'@'host'; then GRANT SELECT, INSERT, UPDATE, DELETE ON quartzdb.QRTZ_… only.",
  evaluate(facts) {
    const svc = facts.serviceAccount;
    const obj = accountObject(svc);
    const ne = serviceAccountUnknown(facts, obj);
    if (ne) return [ne];
    const bySev = new Map<Severity, Map<string, Set<string>>>();
    const add = (sev: Severity, priv: string, via: string) => {
      const m = bySev.get(sev) ?? new Map<string, Set<string>>();
      bySev.set(sev, m);
      const s = m.get(priv) ?? new Set<string>();
      s.add(via);
      m.set(priv, s);
    };
    for (const { grant, via } of grantsOf(facts, svc)) {
      if (grant.objectKind === 'server') {
        const sev = globalSeverity(grant.privilege);
        if (sev) add(sev, grant.privilege, via);
      }
      if (grant.grantable) add('high', 'GRANT OPTION', `${via}, on ${grant.object || '*.*'}`);
    }
    const out: FindingDraft[] = [];
    for (const sev of ['critical', 'high'] as Severity[]) {
      const m = bySev.get(sev);
      if (!m) continue;
      const privs = [...m.keys()].sort();
      const vias = [...new Set([...m.values()].flatMap((s) => [...s]))].sort();
      out.push({
        status: 'fail',
        severity: sev,
        message: `service account ${svc} holds ${list(privs)} (${list(vias, 4)}): a compromised application, or a job running as it, controls the server${sev === 'critical' ? ' (SUPER-level: definer spoofing, changing any setting, killing sessions)' : ''}`,
        object: obj,
        evidence: { privileges: privs.join(','), via: list(vias, 4) },
        remediation: safeRemediation(
          () =>
            `REVOKE ${privs.filter((p) => p !== 'GRANT OPTION').join(', ') || 'GRANT OPTION'}${privs.includes('GRANT OPTION') && privs.length > 1 ? ', GRANT OPTION' : ''} ON *.* FROM ${mysqlAccount(svc)}; -- revoke from the role instead when it comes through one`,
        ),
        discriminator: sev,
      });
    }
    if (!out.length) {
      out.push({
        status: 'pass',
        message: `service account ${svc} holds no administrative privileges, CREATE USER or GRANT OPTION`,
        object: obj,
      });
    }
    return out;
  },
};
