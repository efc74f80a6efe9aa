/** QA-G06 — the service account owns Quartz tables, their schema or the database (PostgreSQL). */
import type { Check, FindingDraft, PostgresFacts } from '../../model.js';
import { safeRemediation } from '../sql-quote.js';
import { listSome, MITIGATION, pgIdent, principalObject, qualified, rolesOf } from '../util.js';
import { g06Mssql } from './g06-ownership.mssql.js';

export const g06: Check = {
  meta: {
    id: 'QA-G06',
    title: 'Service account owns the Quartz tables, their schema or the database',
    family: 'grants',
    severity: 'medium',
    mitigation: MITIGATION.leastPrivilege,
    remediation:
      'Give ownership to a NOLOGIN owner role (e.g. quartz_owner) used only for migrations, and grant the Quartz role SELECT, INSERT, UPDATE, DELETE.',
    dialects: ['postgres', 'mssql'],
    needs: {
      postgres: 'nothing beyond connecting (pg_class, pg_namespace, pg_database owners)',
      mssql:
        'nothing beyond connecting (sys.objects / sys.schemas owners, sys.databases owner_sid; VIEW ANY DEFINITION for the owner login)',
    },
  },
  // SQL Server: its own part; the other engines share the evaluate below.
  engines: { mssql: g06Mssql },
  evaluate(facts) {
    const svc = facts.serviceAccount;
    const obj = principalObject(svc);
    // Ownership passes through inherited membership in the owning role.
    const owns = new Set([svc, ...rolesOf(facts, svc, true).keys()]);
    const pgExtra: Partial<PostgresFacts> = facts.postgres ?? {};
    const tables = facts.tables.filter((t) => t.owner && owns.has(t.owner));
    const out: FindingDraft[] = [];
    if (tables.length) {
      out.push({
        status: 'fail',
        message: `service account ${svc} owns ${listSome(
          tables.map((t) => `${t.schema}.${t.name}`),
          4,
        )}: it can ALTER, DROP, disable triggers and re-grant them`,
        object: obj,
        evidence: { tables: tables.length, owner: tables[0]?.owner ?? null },
        remediation: safeRemediation(() =>
          tables.map((t) => `ALTER TABLE ${qualified(t)} OWNER TO quartz_owner;`).join('\n'),
        ),
        discriminator: 'tables',
      });
    }
    if (pgExtra.schemaOwner && owns.has(pgExtra.schemaOwner)) {
      out.push({
        status: 'fail',
        message: `service account ${svc} owns schema ${facts.target.schema}`,
        object: obj,
        evidence: { schema: facts.target.schema },
        remediation: safeRemediation(() => `ALTER SCHEMA ${pgIdent(facts.target.schema)} OWNER TO quartz_owner;`),
        discriminator: 'schema',
      });
    }
    if (pgExtra.databaseOwner && owns.has(pgExtra.databaseOwner)) {
      out.push({
        status: 'fail',
        message: `service account ${svc} owns database ${facts.target.database}`,
        object: obj,
        evidence: { database: facts.target.database },
        remediation: safeRemediation(() => `ALTER DATABASE ${pgIdent(facts.target.database)} OWNER TO quartz_owner;`),
        discriminator: 'database',
      });
    }
    if (!out.length)
      out.push({
        status: 'pass',
        message: `service account ${svc} owns neither the Quartz tables, their schema nor the database`,
        object: obj,
      });
    return out;
  },
};
