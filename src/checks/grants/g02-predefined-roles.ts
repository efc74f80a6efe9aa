/** QA-G02 — the service account is (transitively) a member of dangerous predefined or admin roles (PostgreSQL). */
import type { Check, EnginePart, FindingDraft, Severity } from '../../model.js';
import { safeRemediation } from '../sql-quote.js';
import { isSuperuser, MITIGATION, notEvaluated, pgIdent, principalObject, rolesOf } from '../util.js';
import { g02Mssql } from './g02-predefined-roles.mssql.js';
import { g02Mysql } from './g02-predefined-roles.mysql.js';

const DANGEROUS: Record<string, { severity: Severity; why: string }> = {
  pg_execute_server_program: { severity: 'high', why: 'runs OS commands on the database host (COPY … PROGRAM)' },
  pg_write_server_files: { severity: 'high', why: 'writes files on the database host' },
  pg_read_server_files: { severity: 'high', why: 'reads files on the database host' },
  pg_write_all_data: { severity: 'high', why: 'writes every table in the database' },
  pg_read_all_data: { severity: 'high', why: 'reads every table in the database' },
  rds_superuser: { severity: 'high', why: 'cloud administrator role' },
  azure_pg_admin: { severity: 'high', why: 'cloud administrator role' },
  cloudsqlsuperuser: { severity: 'high', why: 'cloud administrator role' },
  pg_signal_backend: { severity: 'medium', why: 'can cancel or terminate other sessions' },
  pg_monitor: { severity: 'medium', why: "sees other sessions' statements and server state" },
  pg_read_all_stats: { severity: 'medium', why: "sees other sessions' statements" },
  pg_read_all_settings: { severity: 'medium', why: 'reads every server setting' },
  pg_stat_scan_tables: { severity: 'medium', why: 'can take locks through monitoring functions' },
  pg_checkpoint: { severity: 'medium', why: 'can force checkpoints' },
  pg_create_subscription: { severity: 'medium', why: 'can create logical replication subscriptions' },
  pg_maintain: { severity: 'medium', why: 'can VACUUM, ANALYZE, REINDEX, LOCK any table' },
};

/** The PostgreSQL part. */
const g02Postgres: EnginePart = {
  remediation: 'Revoke the membership: REVOKE <role> FROM <quartz role>;',
  evaluate(facts) {
    const svc = facts.serviceAccount;
    const obj = principalObject(svc);
    const ne = notEvaluated(facts, ['pg_roles', 'pg_auth_members'], obj);
    if (ne) return [ne];
    if (!facts.principals.some((p) => p.name === svc)) {
      return [{ status: 'not-evaluated', message: `role ${svc} does not exist`, object: obj }];
    }
    const out: FindingDraft[] = [];
    // Any membership counts: without INHERIT the member can still SET ROLE to it.
    for (const [role, path] of rolesOf(facts, svc, false)) {
      // Own keys only: a role named "constructor" or "toString" is not a predefined role.
      const danger = Object.hasOwn(DANGEROUS, role) ? DANGEROUS[role] : undefined;
      const superRole = isSuperuser(facts, role);
      if (!danger && !superRole) continue;
      const direct = path.length === 1;
      const first = path[0] as string;
      out.push({
        status: 'fail',
        severity: superRole ? 'critical' : (danger as { severity: Severity }).severity,
        message: `service account ${svc} is a member of ${role}${direct ? '' : ` through ${path.slice(0, -1).join(' → ')}`}: ${superRole ? 'a superuser role (SET ROLE gives superuser)' : danger?.why}`,
        object: obj,
        evidence: { role, path: path.join(' → ') },
        remediation: safeRemediation(() =>
          direct
            ? `REVOKE ${pgIdent(role)} FROM ${pgIdent(svc)};`
            : `REVOKE ${pgIdent(first)} FROM ${pgIdent(svc)}; -- or remove ${pgIdent(role)} from the chain ${[svc, ...path].map(pgIdent).join(' → ')}`,
        ),
        discriminator: role,
      });
    }
    if (!out.length)
      out.push({
        status: 'pass',
        message: `service account ${svc} is in no dangerous predefined or administrator role`,
        object: obj,
      });
    return out;
  },
};

export const g02: Check = {
  meta: {
    id: 'QA-G02',
    title: 'Service account can read server files, run programs or hold other dangerous server-level powers',
    family: 'grants',
    severity: 'high',
    mitigation: MITIGATION.leastPrivilege,
    remediation:
      'Take the predefined roles or server privileges that reach the server host (files, programs, other sessions, reload/shutdown) from the Quartz service account.',
    dialects: ['postgres', 'mysql', 'mariadb', 'mssql'],
    needs: {
      postgres: 'nothing beyond connecting (pg_auth_members)',
      mysql: 'SELECT on mysql.user, mysql.global_grants and mysql.role_edges (else only its own grants)',
      mariadb: 'SELECT on mysql.global_priv and mysql.roles_mapping (else only its own grants)',
      mssql:
        'nothing for sys.configurations; VIEW ANY DEFINITION (2022: VIEW ANY SECURITY DEFINITION) and VIEW DEFINITION in master to see who can reach xp_cmdshell; VIEW DEFINITION on the database for assemblies',
    },
  },
  engines: {
    postgres: g02Postgres,
    mysql: g02Mysql,
    mariadb: g02Mysql,
    mssql: g02Mssql,
  },
};
