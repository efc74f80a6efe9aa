/**
 * QA-G13 on SQL Server (sys.server_principals, sys.sql_logins, SERVERPROPERTY('IsIntegratedSecurityOnly')):
 * - the service login is a SQL login with CHECK_POLICY off (no lockout, no complexity: brute force): medium;
 *   CHECK_EXPIRATION off alone: low;
 * - the sa login (sid 0x01, whatever it is named) is enabled: medium (the first name every attacker tries);
 * - mixed-mode authentication (SQL logins accepted): low, info when the service login itself is a SQL login
 *   (then mixed mode is needed).
 * The metadata lives in g13-login-hygiene.ts.
 */
import type { EnginePart, FindingDraft } from '../../model.js';
import { mssqlQuoteIdent, safeRemediation } from '../sql-quote.js';
import { isDraft, mssqlOf, mssqlPrincipal, mssqlServer } from '../util.mssql.js';

const NEEDS = 'VIEW ANY DEFINITION (2022: VIEW ANY SECURITY DEFINITION)';

export const g13Mssql: EnginePart = {
  remediation:
    'ALTER LOGIN [quartz_login] WITH CHECK_POLICY = ON, CHECK_EXPIRATION = ON; ALTER LOGIN [sa] DISABLE; prefer Windows/Entra authentication for the Quartz service.',
  evaluate(facts) {
    const server = mssqlServer(facts);
    const m = mssqlOf(facts, server);
    if (isDraft(m)) return [m];
    const out: FindingDraft[] = [];
    const loginName = m.serviceUser.login;
    const login = loginName ? m.logins.list?.find((l) => l.name === loginName) : undefined;
    if (!login) {
      out.push({
        status: 'not-evaluated',
        message: `the login of ${facts.serviceAccount} was not visible: request ${NEEDS}`,
        object: mssqlPrincipal(loginName ?? facts.serviceAccount, 'login'),
        evidence: { needs: NEEDS },
        discriminator: 'service-login',
      });
    } else if (login.sqlLogin) {
      const obj = mssqlPrincipal(login.name, 'login');
      if (login.policyChecked === null) {
        out.push({
          status: 'not-evaluated',
          message: `the password policy of SQL login ${login.name} was not visible: request ${NEEDS}`,
          object: obj,
          evidence: { needs: NEEDS },
          discriminator: 'service-login',
        });
      } else if (!login.policyChecked || login.expirationChecked === false) {
        const off = [
          ...(!login.policyChecked ? ['CHECK_POLICY'] : []),
          ...(login.expirationChecked === false ? ['CHECK_EXPIRATION'] : []),
        ];
        out.push({
          status: 'fail',
          severity: login.policyChecked ? 'low' : 'medium',
          message: `service login ${login.name} is a SQL login with ${off.join(' and ')} OFF: ${login.policyChecked ? 'its password never expires' : 'no lockout or complexity rule slows down password guessing'}`,
          object: obj,
          evidence: { policyChecked: login.policyChecked, expirationChecked: login.expirationChecked },
          remediation: safeRemediation(
            () => `ALTER LOGIN ${mssqlQuoteIdent(login.name)} WITH ${off.map((o) => `${o} = ON`).join(', ')};`,
          ),
          discriminator: 'service-login',
        });
      }
    }
    if (m.logins.saEnabled === null) {
      out.push({
        status: 'not-evaluated',
        message: `whether the sa login is enabled was not visible: request ${NEEDS}`,
        object: mssqlPrincipal('sa', 'login'),
        evidence: { needs: NEEDS },
        discriminator: 'sa',
      });
    } else if (m.logins.saEnabled && m.logins.mixedMode !== false) {
      const sa = m.logins.list?.find((l) => l.isSa)?.name ?? 'sa';
      out.push({
        status: 'fail',
        severity: 'medium',
        message: `the built-in sa login${sa !== 'sa' ? ` (renamed ${sa})` : ''} is enabled: a well-known sysadmin login open to password guessing`,
        object: mssqlPrincipal(sa, 'login'),
        evidence: { saEnabled: true },
        remediation: safeRemediation(() => `ALTER LOGIN ${mssqlQuoteIdent(sa)} DISABLE;`),
        discriminator: 'sa',
      });
    }
    if (m.logins.mixedMode === true) {
      const needed = login?.sqlLogin === true;
      out.push({
        status: needed ? 'info' : 'fail',
        ...(needed ? {} : { severity: 'low' as const }),
        message: needed
          ? `the server accepts SQL authentication (mixed mode), which the SQL login ${login?.name} needs; Windows/Entra authentication for the Quartz service would remove passwords from its configuration`
          : 'the server accepts SQL authentication (mixed mode) although the service login does not use it: every SQL login is a password-guessing target',
        object: server,
        evidence: { mixedMode: true },
        ...(needed
          ? {}
          : {
              remediation:
                'Switch the server to Windows authentication mode (Server Properties → Security) when no SQL login is needed, and restart the service.',
            }),
        discriminator: 'mixed-mode',
      });
    }
    if (!out.some((f) => f.status === 'fail' || f.status === 'not-evaluated')) {
      out.push({
        status: 'pass',
        message: 'the service login has password policy and expiration on (or is not a SQL login) and sa is disabled',
        object: server,
      });
    }
    return out;
  },
};
