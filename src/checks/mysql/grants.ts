/**
 * MySQL/MariaDB grant checks: QA-G01 (admin privileges), QA-G02 (FILE/PROCESS/SHUTDOWN/RELOAD), QA-G03 (DDL on
 * the Quartz schema), QA-G04 (anonymous / empty-password accounts reaching QRTZ tables), QA-G10 (account host and
 * REQUIRE SSL). QA-G05/G07/G08/T01 are the cross-dialect modules in ../grants.
 */
import { unreadable } from '../../facts.js';
import type { Check, FindingDraft, Severity } from '../../model.js';
import { mysqlAccount, mysqlQuoteIdent, safeRemediation } from '../sql-quote.js';
import { MITIGATION } from '../util.js';
import { accountObject, grantsOf, list, MYSQL_FAMILY, othersUnknown, serviceAccountUnknown } from './util.js';

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

export const g01: Check = {
  meta: {
    id: 'QA-G01',
    title: 'Service account holds administrative privileges',
    family: 'grants',
    severity: 'critical',
    mitigation: MITIGATION.leastPrivilege,
    remediation:
      "Revoke server-level privileges from the Quartz account: REVOKE ALL PRIVILEGES, GRANT OPTION FROM 'quartz'@'host'; then GRANT SELECT, INSERT, UPDATE, DELETE ON quartzdb.QRTZ_… only.",
    dialects: MYSQL_FAMILY,
  },
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

export const g02: Check = {
  meta: {
    id: 'QA-G02',
    title: 'Service account holds FILE, PROCESS, SHUTDOWN or RELOAD',
    family: 'grants',
    severity: 'high',
    mitigation: MITIGATION.leastPrivilege,
    remediation: "REVOKE FILE, PROCESS, SHUTDOWN, RELOAD ON *.* FROM 'quartz'@'host'; Quartz needs none of them.",
    dialects: MYSQL_FAMILY,
  },
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

const DDL_HIGH = new Set(['TRIGGER', 'DROP', 'ALTER']);
const DDL = new Set(['TRIGGER', 'DROP', 'ALTER', 'CREATE', 'INDEX', 'REFERENCES', 'CREATE VIEW', 'DELETE HISTORY']);
const SCHEMA_ONLY = new Set(['CREATE ROUTINE', 'ALTER ROUTINE', 'EVENT', 'ALL PRIVILEGES']);

function canAct(facts: Parameters<NonNullable<Check['evaluate']>>[0], name: string): boolean {
  if (name === 'PUBLIC') return true;
  const p = facts.principals.find((x) => x.name === name);
  return p ? p.canLogin : true;
}

export const g03: Check = {
  meta: {
    id: 'QA-G03',
    title: 'Principals can alter, drop or add triggers to Quartz tables',
    family: 'grants',
    severity: 'high',
    mitigation: MITIGATION.tamper,
    remediation:
      'Keep DDL (ALTER, DROP, CREATE, INDEX, TRIGGER, REFERENCES, CREATE ROUTINE) with a separate migration account; the Quartz runtime account needs only SELECT, INSERT, UPDATE, DELETE.',
    dialects: MYSQL_FAMILY,
  },
  evaluate(facts) {
    const db = facts.target.database;
    const out: FindingDraft[] = [];
    type Acc = { privs: Set<string>; via: Set<string> };
    const by = new Map<string, Acc>();
    const note = (principal: string, priv: string, via: string) => {
      const a = by.get(principal) ?? { privs: new Set<string>(), via: new Set<string>() };
      by.set(principal, a);
      a.privs.add(priv);
      a.via.add(via);
    };
    for (const e of facts.effective) {
      if (!DDL.has(e.privilege) || e.via.includes('(superuser)') || !canAct(facts, e.principal)) continue;
      note(e.principal, e.privilege, e.via.length ? e.via.join(' → ') : 'table grant');
    }
    // Schema-level routine/event privileges (they cover the database, not one table).
    const principals = new Set([...facts.principals.map((p) => p.name), ...facts.grants.map((g) => g.grantee)]);
    for (const principal of principals) {
      if (
        !canAct(facts, principal) ||
        facts.principals.find((p) => p.name === principal)?.attributes.includes('superuser')
      )
        continue;
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

export const g04: Check = {
  meta: {
    id: 'QA-G04',
    title: 'Anonymous or empty-password accounts can reach Quartz tables',
    family: 'grants',
    severity: 'high',
    mitigation: MITIGATION.leastPrivilege,
    remediation:
      "DROP USER ''@'host' for anonymous accounts (mariadb-secure-installation / mysql_secure_installation do this); set a password (ALTER USER … IDENTIFIED BY …) or lock (ACCOUNT LOCK) accounts without one.",
    dialects: MYSQL_FAMILY,
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
    for (const p of weak) {
      const reach = facts.effective.filter((e) => e.principal === p.name);
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

export const g10: Check = {
  meta: {
    id: 'QA-G10',
    title: 'Service account accepts connections from any host or without TLS',
    family: 'grants',
    severity: 'low',
    mitigation: MITIGATION.leastPrivilege,
    remediation:
      "Create the account for the application's hosts only ('quartz'@'10.0.1.%') and ALTER USER … REQUIRE SSL (or X509).",
    dialects: MYSQL_FAMILY,
  },
  evaluate(facts) {
    const svc = facts.serviceAccount;
    const obj = accountObject(svc);
    const p = facts.principals.find((x) => x.name === svc);
    if (!p) {
      const ne = serviceAccountUnknown(facts, obj);
      return [
        ne ?? {
          status: 'not-evaluated',
          message: `account ${svc} was not found among the accounts this login can see`,
          object: obj,
        },
      ];
    }
    const out: FindingDraft[] = [];
    if (p.attributes.includes('host-any')) {
      out.push({
        status: 'fail',
        severity: 'low',
        message: `service account ${svc} accepts logins from any host: a stolen password works from anywhere the port is reachable`,
        object: obj,
        evidence: { host: p.host ?? '%' },
        remediation: safeRemediation(
          () => `RENAME USER ${mysqlAccount(svc)} TO ${mysqlAccount(svc).replace(/@[^@]*$/, "@'<app subnet>'")};`,
        ),
        discriminator: 'host',
      });
    }
    const sslUnknown = unreadable(facts, 'account.ssl_type');
    if (sslUnknown && !p.attributes.includes('require-ssl')) {
      out.push({
        status: 'not-evaluated',
        message: `cannot tell whether ${svc} must use TLS: ${sslUnknown.reason}`,
        object: obj,
        evidence: { needs: sslUnknown.needs ?? null },
        discriminator: 'tls',
      });
    } else if (!p.attributes.includes('require-ssl')) {
      out.push({
        status: 'fail',
        severity: 'low',
        message: `service account ${svc} is not created with REQUIRE SSL or X509: nothing stops the application from connecting in plaintext`,
        object: obj,
        evidence: { requireSsl: false },
        remediation: safeRemediation(() => `ALTER USER ${mysqlAccount(svc)} REQUIRE SSL; -- or REQUIRE X509`),
        discriminator: 'tls',
      });
    }
    if (!out.length) {
      out.push({
        status: 'pass',
        message: `service account ${svc} is limited to host ${p.host ?? '?'} and requires TLS`,
        object: obj,
      });
    }
    return out;
  },
};
