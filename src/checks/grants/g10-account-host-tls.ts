/** QA-G10 (MySQL/MariaDB): the service account accepts connections from any host or without TLS. */
import { unreadable } from '../../facts.js';
import type { Check, FindingDraft } from '../../model.js';
import { mysqlAccount, safeRemediation } from '../sql-quote.js';
import { MITIGATION } from '../util.js';
import { accountObject, MYSQL_FAMILY, serviceAccountUnknown } from '../util-mysql.js';

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
    needs: {
      mysql: 'SELECT on mysql.user (host and ssl_type of the account)',
      mariadb: 'SELECT on mysql.global_priv (host and ssl_type of the account)',
    },
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
