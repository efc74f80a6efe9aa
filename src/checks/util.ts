/** Small helpers shared by check modules (pure). */
import { unreadable } from '../facts.js';
import type { Facts, FindingDraft, FindingObject, QuartzTable } from '../model.js';
import { reachableRoles } from '../role-graph.js';
import { mysqlQuoteIdent, pgQuoteIdent } from './sql-quote.js';

export const MITIGATION = {
  leastPrivilege: 'Least privilege for the Quartz service account and the JobStore tables',
  tamper: 'Protect the integrity of JobStore rows (no injected jobs or rewritten job data)',
  encryption: 'Encrypt JobStore data at rest and in transit',
  audit: 'Audit and monitor changes to the JobStore',
  serialization: 'Do not deserialize untrusted JobStore data (safe serializer, type allowlist)',
  secrets: 'Keep secrets out of JobDataMaps',
  hygiene: 'Keep the scheduler, its jobs and its dependencies healthy and updated',
} as const;

/** Quotes a PostgreSQL identifier for remediation SQL (src/checks/sql-quote.ts; throws on unsafe names). */
export const pgIdent = pgQuoteIdent;

/** Schema-qualified PostgreSQL table name for remediation SQL. */
export function qualified(t: Pick<QuartzTable, 'schema' | 'name'>): string {
  return `${pgQuoteIdent(t.schema)}.${pgQuoteIdent(t.name)}`;
}

/** Schema-qualified MySQL/MariaDB table name for remediation SQL. */
export function mysqlQualified(t: Pick<QuartzTable, 'schema' | 'name'>): string {
  return `${mysqlQuoteIdent(t.schema)}.${mysqlQuoteIdent(t.name)}`;
}

/** Display name of a principal: PUBLIC, `account 'u'@'h'` (MySQL family) or `role r` (PostgreSQL). */
export function principalLabel(name: string): string {
  if (name === 'PUBLIC') return 'PUBLIC';
  return name.includes("'@'") ? `account ${name}` : `role ${name}`;
}

export function principalObject(name: string): FindingObject {
  return { kind: 'principal', name: principalLabel(name), principal: name };
}

export function databaseObject(facts: Facts): FindingObject {
  return { kind: 'database', name: facts.target.database || facts.dialect };
}

/** A not-evaluated draft when one of the named inputs could not be read; undefined when all were read. */
export function notEvaluated(facts: Facts, whats: string[], object: FindingObject): FindingDraft | undefined {
  for (const w of whats) {
    const u = unreadable(facts, w);
    if (u) {
      return {
        status: 'not-evaluated',
        message: `could not read ${u.what}: ${u.reason}`,
        object,
        evidence: { needs: u.needs ?? null },
      };
    }
  }
  return undefined;
}

/** Roles a principal belongs to, transitively. inheritOnly: only through memberships that pass privileges. */
export function rolesOf(facts: Facts, principal: string, inheritOnly: boolean): Map<string, string[]> {
  return reachableRoles(facts.memberships, principal, { inheritOnly });
}

/** Principals whose access is expected: the service account, --allow-principal names and table owners. */
export function expectedPrincipals(facts: Facts): Set<string> {
  const s = new Set<string>([facts.serviceAccount, ...facts.allowedPrincipals]);
  for (const t of facts.tables) if (t.owner) s.add(t.owner);
  return s;
}

export function isSuperuser(facts: Facts, name: string): boolean {
  return facts.principals.some((p) => p.name === name && p.attributes.includes('superuser'));
}

export function listSome(items: string[], max = 10): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} … (+${items.length - max} more)`;
}
