/**
 * QA-G02 on SQL Server: OS-command and code-execution surface, and other dangerous server-level powers.
 * - xp_cmdshell enabled (sys.configurations value_in_use) and reachable by the service account: critical;
 *   enabled, not reachable by it: high; enabled, reach not visible: high with a not-evaluated for the reach;
 * - CLR enabled with 'clr strict security' off, or user assemblies that are not SAFE: high;
 * - Ole Automation Procedures, external scripts enabled: high; Ad Hoc Distributed Queries: medium;
 * - a TRUSTWORTHY database whose owner is sysadmin (any db_owner becomes sysadmin): high, critical when the
 *   service account is db_owner or dbo; cross-database ownership chaining (server option or database): high;
 * - bulk operations (reads server files) and server administration permissions of the service login.
 * The metadata lives in g02-predefined-roles.ts.
 */
import type { EnginePart, FindingDraft, Severity } from '../../model.js';
import { mssqlQuoteIdent, safeRemediation } from '../sql-quote.js';
import { isDraft, mssqlDatabase, mssqlOf, mssqlPrincipal, mssqlServer } from '../util.mssql.js';

const CONFIG_NEEDS = 'nothing beyond connecting (sys.configurations is readable by public)';
const REACH_NEEDS = 'VIEW ANY DEFINITION (server roles) and VIEW DEFINITION in master (EXECUTE grants on xp_cmdshell)';

const sp = (option: string, value: 0 | 1) =>
  `EXEC sp_configure 'show advanced options', 1; RECONFIGURE; EXEC sp_configure '${option}', ${value}; RECONFIGURE;`;

export const g02Mssql: EnginePart = {
  remediation:
    "EXEC sp_configure 'xp_cmdshell', 0; RECONFIGURE; (likewise 'Ole Automation Procedures', 'external scripts enabled', 'clr enabled' or 'clr strict security' 1), ALTER DATABASE [quartz] SET TRUSTWORTHY OFF; REVOKE EXECUTE ON xp_cmdshell FROM the Quartz user in master; REVOKE ADMINISTER BULK OPERATIONS, ALTER SERVER STATE FROM [login].",
  evaluate(facts) {
    const svc = facts.serviceAccount;
    const server = mssqlServer(facts);
    const m = mssqlOf(facts, server);
    if (isDraft(m)) return [m];
    const c = m.capabilities;
    const out: FindingDraft[] = [];
    const setting = (name: string) => ({ kind: 'setting' as const, name });
    const fail = (d: Omit<FindingDraft, 'status'> & { severity: Severity }) => out.push({ status: 'fail', ...d });
    const unknown: string[] = [];

    // xp_cmdshell.
    const xp = c.osCommand;
    if (xp.xpCmdshellEnabled === null) unknown.push('xp_cmdshell');
    else if (xp.xpCmdshellEnabled) {
      const others = xp.reachableBy
        .map((r) => `${r.level} ${r.principal} (${r.via.join(', ')})`)
        .slice(0, 5)
        .join('; ');
      if (xp.serviceAccountCan === true) {
        fail({
          severity: 'critical',
          message: `xp_cmdshell is enabled and service account ${svc} can run it: a compromised application, or a job that runs SQL, runs OS commands as the SQL Server service account`,
          object: setting('xp_cmdshell'),
          evidence: { value_in_use: 1, serviceAccount: svc, reachableBy: others || null },
          remediation: safeRemediation(() =>
            [
              sp('xp_cmdshell', 0),
              ...xp.reachableBy
                .filter((r) => r.level === 'user')
                .map((r) => `USE [master]; REVOKE EXECUTE ON sys.xp_cmdshell FROM ${mssqlQuoteIdent(r.principal)};`),
            ].join('\n'),
          ),
          discriminator: 'xp_cmdshell',
        });
      } else {
        fail({
          severity: 'high',
          message: `xp_cmdshell is enabled${xp.serviceAccountCan === null ? ` (whether ${svc} can run it was not visible: request ${REACH_NEEDS})` : `; ${svc} cannot run it, but ${others || 'sysadmins'} can`}: any path to those principals runs OS commands`,
          object: setting('xp_cmdshell'),
          evidence: { value_in_use: 1, serviceAccountCan: xp.serviceAccountCan, reachableBy: others || null },
          remediation: sp('xp_cmdshell', 0),
          discriminator: 'xp_cmdshell',
        });
      }
    }

    // CLR.
    const clr = c.clr;
    if (clr.enabled === null) unknown.push('clr enabled');
    else if (clr.enabled) {
      const unsafe = clr.assemblies.filter((a) => a.permissionSet.toUpperCase() !== 'SAFE_ACCESS');
      const lax = clr.strictSecurity === false;
      if (lax || unsafe.length) {
        const why = [
          ...(lax ? ["'clr strict security' is off (SAFE assemblies can run unverified code)"] : []),
          ...(unsafe.length
            ? [`non-SAFE assemblies: ${unsafe.map((a) => `${a.name} (${a.permissionSet})`).join(', ')}`]
            : []),
        ];
        fail({
          severity: 'high',
          message: `CLR is enabled with ${why.join('; ')}: .NET code in the database can reach the file system, network and OS`,
          object: setting('clr enabled'),
          evidence: {
            strictSecurity: clr.strictSecurity,
            assemblies: unsafe.map((a) => `${a.name}:${a.permissionSet}`).join(',') || null,
          },
          remediation: safeRemediation(() =>
            [
              ...(lax ? [sp('clr strict security', 1)] : []),
              ...unsafe.map(
                (a) =>
                  `ALTER ASSEMBLY ${mssqlQuoteIdent(a.name)} WITH PERMISSION_SET = SAFE; -- or DROP ASSEMBLY when unused`,
              ),
              ...(!unsafe.length && !clr.assemblies.length ? [sp('clr enabled', 0)] : []),
            ].join('\n'),
          ),
          discriminator: 'clr',
        });
      }
    }

    // Other OS / code surfaces.
    const simple: [string, boolean | null, Severity, string][] = [
      [
        'Ole Automation Procedures',
        c.oleAutomation,
        'high',
        'sp_OACreate can instantiate COM objects (WScript.Shell): OS commands',
      ],
      [
        'external scripts enabled',
        c.externalScripts,
        'high',
        'sp_execute_external_script runs R/Python code on the host',
      ],
      [
        'Ad Hoc Distributed Queries',
        c.adHocDistributedQueries,
        'medium',
        'OPENROWSET/OPENDATASOURCE reach other servers and files',
      ],
      [
        'cross db ownership chaining',
        c.crossDbOwnershipChaining,
        'high',
        'ownership chains cross databases: objects in one database reach another without permission checks',
      ],
    ];
    for (const [name, on, severity, why] of simple) {
      if (on === null) unknown.push(name);
      else if (on)
        fail({
          severity,
          message: `'${name}' is enabled: ${why}`,
          object: setting(name),
          evidence: { value_in_use: 1 },
          remediation: sp(name, 0),
          discriminator: name,
        });
    }

    // Database options.
    const db = m.database;
    const dbObj = mssqlDatabase(facts);
    const svcOwner = m.serviceUser.isDbo || m.serviceUser.fixedRoles.includes('db_owner');
    if (c.trustworthyEscalation === true) {
      fail({
        severity: svcOwner ? 'critical' : 'high',
        message: `database ${db.name} is TRUSTWORTHY and owned by ${db.ownerLogin ?? 'a sysadmin'} (sysadmin): any db_owner can run code as that owner, i.e. as sysadmin${svcOwner ? ` — and service account ${svc} is ${m.serviceUser.isDbo ? 'dbo' : 'in db_owner'}` : ''}`,
        object: dbObj,
        evidence: { trustworthy: true, owner: db.ownerLogin, ownerIsSysadmin: true, serviceAccountIsOwner: svcOwner },
        remediation: safeRemediation(() => `ALTER DATABASE ${mssqlQuoteIdent(db.name)} SET TRUSTWORTHY OFF;`),
        discriminator: 'trustworthy',
      });
    } else if (c.trustworthyEscalation === null && db.trustworthy === true) {
      out.push({
        status: 'not-evaluated',
        message: `database ${db.name} is TRUSTWORTHY; whether its owner ${db.ownerLogin ?? ''} is sysadmin was not visible: request VIEW ANY DEFINITION (2022: VIEW ANY SECURITY DEFINITION)`,
        object: dbObj,
        evidence: { trustworthy: true, needs: 'VIEW ANY DEFINITION (2022: VIEW ANY SECURITY DEFINITION)' },
        discriminator: 'trustworthy',
      });
    } else if (db.trustworthy === null) unknown.push('TRUSTWORTHY');
    if (db.dbChaining === true) {
      fail({
        severity: 'high',
        message: `database ${db.name} has DB_CHAINING ON: cross-database ownership chains reach it without permission checks`,
        object: dbObj,
        evidence: { dbChaining: true },
        remediation: safeRemediation(() => `ALTER DATABASE ${mssqlQuoteIdent(db.name)} SET DB_CHAINING OFF;`),
        discriminator: 'db_chaining',
      });
    }

    // Server permissions of the service login that reach files or administer the server.
    const login = m.serviceUser.login ?? svc;
    for (const cap of facts.capabilities ?? []) {
      if (cap.principal !== svc) continue;
      const sev: Severity | undefined =
        cap.capability === 'read-server-files' || cap.capability === 'write-server-files'
          ? 'high'
          : cap.capability === 'administer-server'
            ? 'medium'
            : undefined;
      if (!sev || cap.via === 'sysadmin or CONTROL SERVER') continue; // sysadmin: QA-G01
      const perm = cap.via.replace(/^server permission /, '');
      fail({
        severity: sev,
        message: `service login ${login} can ${cap.capability.replace(/-/g, ' ')} (${cap.via})`,
        object: mssqlPrincipal(login, 'login'),
        evidence: { capability: cap.capability, via: cap.via },
        remediation: safeRemediation(() => `REVOKE ${perm} FROM ${mssqlQuoteIdent(login)};`),
        discriminator: `${cap.capability}:${perm}`,
      });
    }

    if (!facts.capabilities) {
      out.push({
        status: 'not-evaluated',
        message: `the server permissions of ${m.serviceUser.login ? `login ${m.serviceUser.login}` : `the login of ${svc}`} (bulk operations, server administration, sysadmin reach of xp_cmdshell) were not visible: request ${REACH_NEEDS}`,
        object: mssqlPrincipal(login, 'login'),
        evidence: { needs: REACH_NEEDS },
        discriminator: 'server-permissions',
      });
    }
    if (unknown.length) {
      out.push({
        status: 'not-evaluated',
        message: `not visible: ${unknown.join(', ')} (${CONFIG_NEEDS}; the read failed)`,
        object: server,
        evidence: { needs: CONFIG_NEEDS },
        discriminator: 'unknown',
      });
    }
    if (!out.length) {
      out.push({
        status: 'pass',
        message:
          'xp_cmdshell, Ole Automation and external scripts are off, CLR is off or strict with SAFE assemblies only, no TRUSTWORTHY escalation and no cross-database ownership chaining',
        object: server,
      });
    }
    return out;
  },
};
