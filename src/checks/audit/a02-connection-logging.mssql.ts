/**
 * QA-A02 on SQL Server: logins are recorded. A started server audit's enabled server audit specification with
 * FAILED_LOGIN_GROUP and SUCCESSFUL_LOGIN_GROUP (CIS 5.4) passes; only failed logins is a low failure; neither a
 * low failure. The registry "login auditing" level is not exposed by any catalog view (the audit reads no
 * registry): the message says so. The metadata lives in a02-connection-logging.ts.
 */
import type { EnginePart } from '../../model.js';
import { isDraft, mssqlOf, mssqlServer } from '../util.mssql.js';

const NEEDS = 'VIEW ANY DEFINITION or ALTER ANY SERVER AUDIT (2022: VIEW ANY SECURITY DEFINITION)';
const ADD =
  'ALTER SERVER AUDIT SPECIFICATION [QuartzLogins] WITH (STATE = OFF); ALTER SERVER AUDIT SPECIFICATION [QuartzLogins] ADD (FAILED_LOGIN_GROUP), ADD (SUCCESSFUL_LOGIN_GROUP), ADD (LOGOUT_GROUP) WITH (STATE = ON); -- or CREATE SERVER AUDIT SPECIFICATION [QuartzLogins] FOR SERVER AUDIT [QuartzAudit] ADD (…) WITH (STATE = ON)';

export const a02Mssql: EnginePart = {
  remediation: `In master: ${ADD}`,
  evaluate(facts) {
    const obj = mssqlServer(facts);
    const m = mssqlOf(facts, obj);
    if (isDraft(m)) return [m];
    const { failedLoginsAudited: failed, successfulLoginsAudited: ok } = m.audit.loginAuditing;
    const registry =
      '(the legacy registry "login auditing" level is not visible through SQL: check Server Properties → Security)';
    if (failed === null || ok === null) {
      return [
        {
          status: 'not-evaluated',
          message: `the server audit specifications were not visible: request ${NEEDS} ${registry}`,
          object: obj,
          evidence: { needs: NEEDS },
        },
      ];
    }
    if (failed && ok) {
      return [
        {
          status: 'pass',
          message: 'an enabled server audit specification records failed and successful logins',
          object: obj,
        },
      ];
    }
    return [
      {
        status: 'fail',
        severity: 'low',
        message: `${failed ? 'successful logins are not' : 'neither failed nor successful logins are'} recorded by an enabled server audit specification ${registry}: use of the Quartz login from elsewhere goes unnoticed`,
        object: obj,
        evidence: { failedLoginsAudited: failed, successfulLoginsAudited: ok },
        remediation: ADD,
      },
    ];
  },
};
