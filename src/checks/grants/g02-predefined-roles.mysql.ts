/** QA-G02 on MySQL/MariaDB (FILE, PROCESS, SHUTDOWN, RELOAD on *.*): the evaluation part; the metadata lives in g02-predefined-roles.ts. */
import type { EnginePart, Severity } from '../../model.js';
import { mysqlAccount, safeRemediation } from '../sql-quote.js';
import { accountObject, grantsOf, list, serviceAccountUnknown } from '../util-mysql.js';

const SERVER_PRIVS: Record<string, { severity: Severity; why: string }> = {
  FILE: {
    severity: 'high',
    why: 'reads and writes server files (LOAD_FILE, SELECT … INTO OUTFILE): data files, keys, planted libraries',
  },
  PROCESS: {
    severity: 'high',
    why: "sees every session's statements (SHOW PROCESSLIST), including other applications' parameters",
  },
  SHUTDOWN: { severity: 'medium', why: 'can stop the server' },
  RELOAD: { severity: 'medium', why: 'can flush logs, privileges and caches (FLUSH …)' },
};

export const g02Mysql: EnginePart = {
  remediation: "REVOKE FILE, PROCESS, SHUTDOWN, RELOAD ON *.* FROM 'quartz'@'host'; Quartz needs none of them.",
  evaluate(facts) {
    const svc = facts.serviceAccount;
    const obj = accountObject(svc);
    const ne = serviceAccountUnknown(facts, obj);
    if (ne) return [ne];
    const found = new Map<string, Set<string>>();
    for (const { grant, via } of grantsOf(facts, svc)) {
      if (grant.objectKind !== 'server') continue;
      const privs = grant.privilege === 'ALL PRIVILEGES' ? Object.keys(SERVER_PRIVS) : [grant.privilege];
      for (const p of privs) {
        if (!Object.hasOwn(SERVER_PRIVS, p)) continue;
        const s = found.get(p) ?? new Set<string>();
        s.add(via);
        found.set(p, s);
      }
    }
    if (!found.size) {
      return [
        {
          status: 'pass',
          message: `service account ${svc} holds none of FILE, PROCESS, SHUTDOWN, RELOAD`,
          object: obj,
        },
      ];
    }
    return [...found].map(([p, vias]) => {
      const info = SERVER_PRIVS[p] as { severity: Severity; why: string };
      return {
        status: 'fail' as const,
        severity: info.severity,
        message: `service account ${svc} holds ${p} (${list([...vias])}): it ${info.why}`,
        object: obj,
        evidence: { privilege: p, via: list([...vias]) },
        remediation: safeRemediation(() => `REVOKE ${p} ON *.* FROM ${mysqlAccount(svc)};`),
        discriminator: p,
      };
    });
  },
};
