/**
 * Helpers shared by the SQL Server engine parts (src/checks/<family>/<id>.mssql.ts). Pure: they read
 * Facts.mssql and Facts.unreadable, never the database. Every name they put into a remediation goes through
 * mssqlQuoteIdent (src/checks/sql-quote.ts) inside safeRemediation.
 */

import type { MssqlFacts } from '../dialects/mssql/facts.js';
import { unreadable } from '../facts.js';
import type { Facts, FindingDraft, FindingObject, QuartzTable } from '../model.js';
import { mssqlQuoteIdent } from './sql-quote.js';

/** A database principal (user or role) as a finding object. */
export function mssqlPrincipal(name: string, level: 'user' | 'login' = 'user'): FindingObject {
  return { kind: 'principal', name: `${level} ${name}`, principal: name };
}

export function mssqlDatabase(facts: Facts): FindingObject {
  return { kind: 'database', name: facts.target.database || 'mssql' };
}

export function mssqlServer(facts: Facts): FindingObject {
  return { kind: 'server', name: facts.target.host ?? 'server' };
}

/** [schema].[table] for remediation SQL. */
export function mssqlQualified(t: Pick<QuartzTable, 'schema' | 'name'>): string {
  return `${mssqlQuoteIdent(t.schema)}.${mssqlQuoteIdent(t.name)}`;
}

/** The SQL Server facts, or a not-evaluated draft when the adapter produced none. */
export function mssqlOf(facts: Facts, object: FindingObject): MssqlFacts | FindingDraft {
  if (facts.mssql) return facts.mssql;
  return { status: 'not-evaluated', message: 'SQL Server facts were not collected', object };
}

export function isDraft(x: MssqlFacts | FindingDraft): x is FindingDraft {
  return 'status' in x;
}

/**
 * A not-evaluated draft naming the exact permission when one of the named reads (Unreadable.what) is missing
 * or partial; undefined when all were read in full.
 */
export function mssqlNotEvaluated(
  facts: Facts,
  whats: string[],
  object: FindingObject,
  about: string,
): FindingDraft | undefined {
  for (const w of whats) {
    const u = unreadable(facts, w);
    if (u) {
      return {
        status: 'not-evaluated',
        message: `${about}: ${u.reason}; request ${u.needs ?? 'more catalog visibility'} for the audit login`,
        object,
        evidence: { needs: u.needs ?? null, read: w },
        discriminator: `not-evaluated:${w}`,
      };
    }
  }
  return undefined;
}

/** The database catalog (principals, role members, permissions) was read in full, or the service account is the
 *  connected login (a user always sees its own memberships and permissions). */
export function databaseCatalogUnread(facts: Facts): string | undefined {
  const keys = ['mssql.principals', 'mssql.role-members', 'mssql.database-permissions'];
  return keys.find((k) => unreadable(facts, k));
}

/** Admin bypasses in EffectivePrivilege.via (computeEffective): implicit access, not a grant to revoke. */
export const ADMIN_VIA = new Set(['(dbo)', '(sysadmin)', '(owner)', '(CONTROL SERVER)']);
export function viaAdmin(via: string[]): boolean {
  return via.some((v) => ADMIN_VIA.has(v));
}

/**
 * T-SQL that takes `privs` on `tables` from `principal`, following each path it holds them through: a direct
 * grant (REVOKE … ON OBJECT::), a schema- or database-level grant (REVOKE … ON SCHEMA:: / database), a role (ALTER
 * ROLE … DROP MEMBER). Every name goes through mssqlQuoteIdent; safeRemediation turns an unsafe name into advice.
 */
export function mssqlRevokeVia(
  facts: Facts,
  principal: string,
  privs: string[],
  tables: QuartzTable[],
  vias: string[][],
): string {
  const lines = new Set<string>();
  const p = mssqlQuoteIdent(principal);
  const list = privs.join(', ');
  for (const via of vias) {
    const roles = via.filter((v) => !v.startsWith('('));
    const scope = via.find((v) => v === '(schema)' || v === '(database)');
    if (roles.length) {
      lines.add(`ALTER ROLE ${mssqlQuoteIdent(roles[0] as string)} DROP MEMBER ${p};`);
      continue;
    }
    if (scope === '(schema)') lines.add(`REVOKE ${list} ON SCHEMA::${mssqlQuoteIdent(facts.target.schema)} FROM ${p};`);
    else if (scope === '(database)') lines.add(`REVOKE ${list} FROM ${p};`);
    else for (const t of tables) lines.add(`REVOKE ${list} ON OBJECT::${mssqlQualified(t)} FROM ${p};`);
  }
  return [...lines].join('\n');
}
