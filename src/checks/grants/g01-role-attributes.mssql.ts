/**
 * QA-G01 on SQL Server: the service account holds administrative power. Critical: sysadmin or securityadmin
 * membership, CONTROL SERVER or IMPERSONATE ANY LOGIN (each reaches every login and database). High: it is dbo
 * (owns the database), is in db_owner / db_securityadmin / db_ddladmin / db_accessadmin, or holds CONTROL,
 * ALTER ANY USER, ALTER ANY ROLE or ALTER ANY SCHEMA on the database, or ALTER ANY LOGIN on the server.
 * The metadata lives in g01-role-attributes.ts.
 */
import type { EnginePart, FindingDraft } from '../../model.js';
import { mssqlQuoteIdent, safeRemediation } from '../sql-quote.js';
import { rolesOf } from '../util.js';
import { databaseCatalogUnread, isDraft, mssqlOf, mssqlPrincipal } from '../util.mssql.js';

const CRITICAL_SERVER_ROLES = ['sysadmin', 'securityadmin'];
const CRITICAL_SERVER_PERMS = ['CONTROL SERVER', 'IMPERSONATE ANY LOGIN'];
const HIGH_SERVER_PERMS = ['ALTER ANY LOGIN'];
const HIGH_DB_ROLES = ['db_owner', 'db_securityadmin', 'db_ddladmin', 'db_accessadmin'];
const HIGH_DB_PERMS = ['CONTROL', 'ALTER ANY USER', 'ALTER ANY ROLE', 'ALTER ANY SCHEMA', 'IMPERSONATE'];
const SERVER_NEEDS = 'VIEW ANY DEFINITION (2022: VIEW ANY SECURITY DEFINITION)';
const DB_NEEDS = 'VIEW DEFINITION on the database';

export const g01Mssql: EnginePart = {
  remediation:
    'ALTER SERVER ROLE [sysadmin] DROP MEMBER [quartz_login]; REVOKE CONTROL SERVER, IMPERSONATE ANY LOGIN, ALTER ANY LOGIN FROM [quartz_login]; ALTER ROLE [db_owner] DROP MEMBER [quartz_user]; REVOKE ALTER ANY USER FROM [quartz_user]; then GRANT SELECT, INSERT, UPDATE, DELETE on the QRTZ_ tables only.',
  evaluate(facts) {
    const svc = facts.serviceAccount;
    const obj = mssqlPrincipal(svc);
    const m = mssqlOf(facts, obj);
    if (isDraft(m)) return [m];
    const u = m.serviceUser;
    const login = u.login;
    const out: FindingDraft[] = [];

    // Server level.
    if (u.serverAdmin === null || (u.serverRoles === null && u.serverPermissions === null)) {
      out.push({
        status: 'not-evaluated',
        message: `the server roles and server permissions of ${login ? `login ${login}` : `the login of ${svc}`} were not visible to ${facts.connectedAs}: request ${SERVER_NEEDS}`,
        object: obj,
        evidence: { needs: SERVER_NEEDS },
        discriminator: 'server',
      });
    } else {
      const roles = (u.serverRoles ?? []).filter((r) => CRITICAL_SERVER_ROLES.includes(r));
      const perms = (u.serverPermissions ?? []).filter((p) => CRITICAL_SERVER_PERMS.includes(p));
      const who = login ?? svc;
      if (roles.length || perms.length) {
        const held = [...roles.map((r) => `server role ${r}`), ...perms];
        out.push({
          status: 'fail',
          severity: 'critical',
          message: `service login ${who} holds ${held.join(', ')}: it controls every login and database on the server (a compromised application or job runs as an administrator)`,
          object: mssqlPrincipal(who, 'login'),
          evidence: { serverRoles: roles.join(',') || null, serverPermissions: perms.join(',') || null },
          remediation: safeRemediation(() =>
            [
              ...roles.map((r) => `ALTER SERVER ROLE ${mssqlQuoteIdent(r)} DROP MEMBER ${mssqlQuoteIdent(who)};`),
              ...(perms.length ? [`REVOKE ${perms.join(', ')} FROM ${mssqlQuoteIdent(who)};`] : []),
            ].join('\n'),
          ),
          discriminator: 'server-admin',
        });
      }
      const high = (u.serverPermissions ?? []).filter((p) => HIGH_SERVER_PERMS.includes(p));
      if (high.length) {
        out.push({
          status: 'fail',
          severity: 'high',
          message: `service login ${who} holds ${high.join(', ')}: it can create logins and change their passwords`,
          object: mssqlPrincipal(who, 'login'),
          evidence: { serverPermissions: high.join(',') },
          remediation: safeRemediation(() => `REVOKE ${high.join(', ')} FROM ${mssqlQuoteIdent(who)};`),
          discriminator: 'server-logins',
        });
      }
    }

    // Database level.
    const unread = databaseCatalogUnread(facts);
    if (unread && svc !== facts.connectedAs) {
      out.push({
        status: 'not-evaluated',
        message: `the database roles and permissions of ${svc} were not fully visible to ${facts.connectedAs}: request ${DB_NEEDS}`,
        object: obj,
        evidence: { needs: DB_NEEDS, read: unread },
        discriminator: 'database',
      });
    } else {
      const reached = rolesOf(facts, svc, true);
      const roles = u.fixedRoles.filter((r) => HIGH_DB_ROLES.includes(r));
      const holders = new Set([svc, ...reached.keys()]);
      const perms = facts.grants.filter(
        (g) => g.objectKind === 'database' && holders.has(g.grantee) && HIGH_DB_PERMS.includes(g.privilege),
      );
      const held = [
        ...(u.isDbo ? ['dbo (owns the database)'] : []),
        ...roles.map(
          (r) =>
            `role ${r}${reached.get(r)?.length && (reached.get(r)?.length ?? 0) > 1 ? ` (through ${reached.get(r)?.slice(0, -1).join(' → ')})` : ''}`,
        ),
        ...perms.map((p) => `${p.privilege}${p.grantee === svc ? '' : ` (through role ${p.grantee})`}`),
      ];
      if (held.length) {
        out.push({
          status: 'fail',
          severity: 'high',
          message: `service account ${svc} holds ${held.join(', ')} in database ${m.database.name}: it can change the Quartz tables' definitions, add triggers, create users or grant itself anything in the database`,
          object: obj,
          evidence: {
            dbo: u.isDbo,
            roles: roles.join(',') || null,
            permissions: perms.map((p) => p.privilege).join(',') || null,
          },
          remediation: safeRemediation(() =>
            [
              ...(u.isDbo
                ? [
                    `ALTER AUTHORIZATION ON DATABASE::${mssqlQuoteIdent(m.database.name)} TO [sa]; -- or another dedicated owner; then map the Quartz login to its own user`,
                  ]
                : []),
              ...roles.map((r) => {
                const path = reached.get(r) ?? [r];
                const member = path.length > 1 ? (path[path.length - 2] as string) : svc;
                return `ALTER ROLE ${mssqlQuoteIdent(r)} DROP MEMBER ${mssqlQuoteIdent(member)};`;
              }),
              ...perms.map((p) => `REVOKE ${p.privilege} FROM ${mssqlQuoteIdent(p.grantee)};`),
            ].join('\n'),
          ),
          discriminator: 'database-admin',
        });
      }
    }
    if (!out.length) {
      out.push({
        status: 'pass',
        message: `service account ${svc} is not sysadmin, securityadmin, CONTROL SERVER, IMPERSONATE ANY LOGIN, dbo, db_owner, db_securityadmin or db_ddladmin and cannot alter users`,
        object: obj,
      });
    }
    return out;
  },
};
