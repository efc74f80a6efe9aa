/** QA-G01 — the service account is superuser or holds role-administration attributes (PostgreSQL). */
import type { Check, EnginePart, FindingDraft } from '../../model.js';
import { safeRemediation } from '../sql-quote.js';
import { MITIGATION, notEvaluated, pgIdent, principalObject } from '../util.js';
import { g01Mssql } from './g01-role-attributes.mssql.js';
import { g01Mysql } from './g01-role-attributes.mysql.js';

const ATTRS: Record<string, { severity: 'critical' | 'high'; why: string; undo: string }> = {
  superuser: {
    severity: 'critical',
    why: 'bypasses every permission: COPY … PROGRAM runs OS commands',
    undo: 'NOSUPERUSER',
  },
  createrole: {
    severity: 'high',
    why: 'can create and alter roles (near-superuser before PostgreSQL 16)',
    undo: 'NOCREATEROLE',
  },
  bypassrls: { severity: 'high', why: 'ignores every row-level security policy', undo: 'NOBYPASSRLS' },
  replication: { severity: 'high', why: 'can stream the whole cluster, JobStore included', undo: 'NOREPLICATION' },
};

/** The PostgreSQL part. */
const g01Postgres: EnginePart = {
  remediation:
    'Remove the attributes from the Quartz role: ALTER ROLE … NOSUPERUSER NOCREATEROLE NOBYPASSRLS NOREPLICATION.',
  evaluate(facts) {
    const obj = principalObject(facts.serviceAccount);
    const ne = notEvaluated(facts, ['pg_roles'], obj);
    if (ne) return [ne];
    const p = facts.principals.find((x) => x.name === facts.serviceAccount);
    if (!p) return [{ status: 'not-evaluated', message: `role ${facts.serviceAccount} does not exist`, object: obj }];
    const out: FindingDraft[] = [];
    for (const [attr, info] of Object.entries(ATTRS)) {
      if (!p.attributes.includes(attr)) continue;
      out.push({
        status: 'fail',
        severity: info.severity,
        message: `service account ${p.name} has ${attr.toUpperCase()}: ${info.why}`,
        object: obj,
        evidence: { attribute: attr.toUpperCase() },
        remediation: safeRemediation(() => `ALTER ROLE ${pgIdent(p.name)} ${info.undo};`),
        discriminator: attr,
      });
    }
    if (!out.length) {
      out.push({
        status: 'pass',
        message: `service account ${p.name} has no superuser or role-administration attributes`,
        object: obj,
      });
    }
    return out;
  },
};

export const g01: Check = {
  meta: {
    id: 'QA-G01',
    title: 'Service account has superuser, administrative or role-administration power',
    family: 'grants',
    severity: 'critical',
    mitigation: MITIGATION.leastPrivilege,
    remediation:
      'Take every server-level administrative privilege and role-administration right from the Quartz service account; grant it only SELECT, INSERT, UPDATE, DELETE on the Quartz tables.',
    dialects: ['postgres', 'mysql', 'mariadb', 'mssql'],
    needs: {
      postgres: 'nothing beyond connecting (pg_roles)',
      mysql: 'SELECT on mysql.user, mysql.global_grants and mysql.role_edges (else only its own grants)',
      mariadb: 'SELECT on mysql.global_priv and mysql.roles_mapping (else only its own grants)',
      mssql:
        'VIEW ANY DEFINITION (2022: VIEW ANY SECURITY DEFINITION) for server roles and permissions, and VIEW DEFINITION on the database for database roles (its own are always visible)',
    },
  },
  engines: {
    postgres: g01Postgres,
    mysql: g01Mysql,
    mariadb: g01Mysql,
    mssql: g01Mssql,
  },
};
