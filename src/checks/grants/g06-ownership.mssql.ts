/**
 * QA-G06 on SQL Server: the service account owns the Quartz tables or their schema (the owner bypasses every
 * permission check on them, can ALTER them and add triggers), or owns the database (it is dbo, or its login is the
 * database owner). Table ownership is the table's principal_id, else its schema's owner (sys.objects / sys.schemas,
 * visible to any user who can see the tables). The metadata lives in g06-ownership.ts.
 */
import type { EnginePart, FindingDraft } from '../../model.js';
import { mssqlQuoteIdent, safeRemediation } from '../sql-quote.js';
import { rolesOf } from '../util.js';
import { isDraft, mssqlDatabase, mssqlOf, mssqlPrincipal } from '../util.mssql.js';

export const g06Mssql: EnginePart = {
  remediation:
    'CREATE USER [quartz_owner] WITHOUT LOGIN; ALTER AUTHORIZATION ON SCHEMA::[dbo] TO [quartz_owner]; ALTER AUTHORIZATION ON DATABASE::[quartz] TO [sa] (or a dedicated owner login); grant the Quartz user SELECT, INSERT, UPDATE, DELETE only.',
  evaluate(facts) {
    const svc = facts.serviceAccount;
    const obj = mssqlPrincipal(svc);
    const m = mssqlOf(facts, obj);
    if (isDraft(m)) return [m];
    const out: FindingDraft[] = [];
    const mine = new Set([svc, ...rolesOf(facts, svc, true).keys()].map((x) => x.toLowerCase()));
    const owned = facts.tables.filter((t) => t.owner && mine.has(t.owner.toLowerCase()));
    if (owned.length) {
      const owner = owned[0]?.owner as string;
      out.push({
        status: 'fail',
        severity: 'medium',
        message: `service account ${svc} owns ${owned.length} Quartz table(s) or their schema ${facts.target.schema}${owner !== svc ? ` (through role ${owner})` : ''}: it can alter them, add triggers and grant them to anyone`,
        object: obj,
        evidence: { tables: owned.length, owner },
        remediation: safeRemediation(
          () =>
            `CREATE USER [quartz_owner] WITHOUT LOGIN;\nALTER AUTHORIZATION ON SCHEMA::${mssqlQuoteIdent(facts.target.schema)} TO [quartz_owner];`,
        ),
        discriminator: 'tables',
      });
    }
    const u = m.serviceUser;
    const ownsDb = u.isDbo || (u.login !== null && m.database.ownerLogin !== null && u.login === m.database.ownerLogin);
    if (ownsDb) {
      out.push({
        status: 'fail',
        severity: 'high',
        message: `service account ${svc} owns database ${m.database.name} (it is dbo): every permission check in the database is bypassed${m.database.trustworthy ? ', and the database is TRUSTWORTHY' : ''}`,
        object: mssqlDatabase(facts),
        evidence: { owner: m.database.ownerLogin, dbo: u.isDbo },
        remediation: safeRemediation(
          () =>
            `ALTER AUTHORIZATION ON DATABASE::${mssqlQuoteIdent(m.database.name)} TO [sa]; -- or a dedicated owner login; then CREATE USER for the Quartz login`,
        ),
        discriminator: 'database',
      });
    } else if (m.database.ownerLogin === null && u.login === null) {
      out.push({
        status: 'not-evaluated',
        message: `the database owner or the login of ${svc} was not visible: request VIEW ANY DEFINITION (2022: VIEW ANY SECURITY DEFINITION)`,
        object: mssqlDatabase(facts),
        evidence: { needs: 'VIEW ANY DEFINITION (2022: VIEW ANY SECURITY DEFINITION)' },
        discriminator: 'database',
      });
    }
    if (!out.length) {
      out.push({
        status: 'pass',
        message: `service account ${svc} owns neither the Quartz tables, their schema nor the database`,
        object: obj,
      });
    }
    return out;
  },
};
