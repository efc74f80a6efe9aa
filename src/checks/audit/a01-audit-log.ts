/** QA-A01 — changes to the Quartz tables are not audited: metadata, and the engine parts (PostgreSQL: pgaudit, here; MySQL/MariaDB and SQLite beside it). */
import type { Check, EnginePart } from '../../model.js';
import { databaseObject, MITIGATION } from '../util.js';
import { a01Mssql } from './a01-audit-log.mssql.js';
import { a01Mysql } from './a01-audit-log.mysql.js';
import { a01Sqlite } from './a01-audit-log.sqlite.js';

/** pgaudit.log classes that cover writes to Quartz tables or changes to who may write them. */
const COVERING = new Set(['write', 'ddl', 'role']);

/** The classes a pgaudit.log value turns on: listed classes (ALL = every class) minus the "-class" ones. */
export function pgauditClasses(value: string): Set<string> {
  const all = ['read', 'write', 'function', 'role', 'ddl', 'misc', 'misc_set'];
  const include = new Set<string>();
  const exclude = new Set<string>();
  for (const raw of value.split(',')) {
    const c = raw.trim().toLowerCase();
    if (!c || c === 'none') continue;
    const target = c.startsWith('-') ? exclude : include;
    const name = c.replace(/^-/, '');
    for (const k of name === 'all' ? all : [name]) target.add(k);
  }
  return new Set([...include].filter((c) => !exclude.has(c)));
}

/** The PostgreSQL part. */
const a01Postgres: EnginePart = {
  remediation:
    "Load pgaudit (shared_preload_libraries = 'pgaudit', CREATE EXTENSION pgaudit) and set pgaudit.log = 'write, ddl, role', or object-audit the QRTZ_ tables through pgaudit.role.",
  evaluate(facts) {
    const obj = databaseObject(facts);
    const spl = facts.settings.shared_preload_libraries;
    const pgauditLog = facts.settings['pgaudit.log'];
    let loaded: boolean | undefined;
    let how = '';
    if (typeof spl === 'string') {
      loaded = spl
        .split(',')
        .map((s) => s.trim().replace(/^"|"$/g, ''))
        .includes('pgaudit');
      how = `shared_preload_libraries = '${spl}'`;
    } else if (pgauditLog !== undefined) {
      loaded = true; // pgaudit's settings exist only while the library is loaded
      how = 'pgaudit settings are present (shared_preload_libraries itself is hidden from this login)';
    }
    if (loaded === undefined) {
      return [
        {
          status: 'not-evaluated',
          message:
            'cannot tell whether pgaudit is loaded: shared_preload_libraries is hidden from this login and no pgaudit setting is visible',
          object: obj,
          evidence: { needs: 'pg_read_all_settings (or superuser)' },
        },
      ];
    }
    if (!loaded) {
      return [
        {
          status: 'fail',
          severity: 'high',
          message: `pgaudit is not loaded (${how}): writes to the Quartz tables leave no audit trail`,
          object: obj,
          evidence: { shared_preload_libraries: spl ?? null },
        },
      ];
    }
    const classes = pgauditClasses(pgauditLog ?? 'none');
    const covered = [...classes].filter((c) => COVERING.has(c));
    if (covered.length) {
      return [
        {
          status: 'pass',
          message: `pgaudit is loaded and pgaudit.log = '${pgauditLog}' covers ${covered.join(', ')}`,
          object: obj,
          evidence: { 'pgaudit.log': pgauditLog ?? null },
        },
      ];
    }
    const auditRole = facts.settings['pgaudit.role'];
    if (auditRole) {
      const quartz = new Set(facts.tables.map((t) => t.logical));
      const audited = new Set(
        facts.grants
          .filter(
            (g) => g.grantee === auditRole && g.quartzTable && ['INSERT', 'UPDATE', 'DELETE'].includes(g.privilege),
          )
          .map((g) => g.quartzTable),
      );
      if (audited.size && [...quartz].every((t) => audited.has(t))) {
        return [
          {
            status: 'pass',
            message: `pgaudit object auditing through role ${auditRole} covers writes to every Quartz table`,
            object: obj,
            evidence: { 'pgaudit.role': auditRole },
          },
        ];
      }
    }
    return [
      {
        status: 'fail',
        severity: 'medium',
        message: `pgaudit is loaded but pgaudit.log = '${pgauditLog ?? ''}' covers neither write, ddl nor role, and no object auditing (pgaudit.role) covers the Quartz tables`,
        object: obj,
        evidence: { 'pgaudit.log': pgauditLog ?? null, 'pgaudit.role': auditRole ?? null },
        remediation: "ALTER SYSTEM SET pgaudit.log = 'write, ddl, role'; SELECT pg_reload_conf();",
      },
    ];
  },
};

export const a01: Check = {
  meta: {
    id: 'QA-A01',
    title: 'Changes to the Quartz tables are not audited',
    family: 'audit',
    severity: 'high',
    mitigation: MITIGATION.audit,
    remediation:
      'Record every write to the Quartz tables and every change of who may write them in a server-side audit log (the per-engine remediation names the facility).',
    dialects: ['postgres', 'mysql', 'mariadb', 'sqlite', 'mssql'],
    needs: {
      postgres: 'pg_read_all_settings (shared_preload_libraries, pgaudit.*)',
      mysql: 'SELECT on mysql.audit_log_user and mysql.audit_log_filter (MySQL Enterprise audit filters)',
      mariadb: 'nothing beyond connecting (server_audit_* variables)',
      sqlite: 'nothing (SQLite has no audit facility)',
      mssql:
        'VIEW ANY DEFINITION or ALTER ANY SERVER AUDIT (2022: VIEW ANY SECURITY DEFINITION) for sys.server_audits; VIEW SERVER STATE (2022: VIEW SERVER SECURITY AUDIT) for sys.dm_server_audit_status; VIEW DEFINITION on the database for database audit specifications',
    },
  },
  engines: { postgres: a01Postgres, mysql: a01Mysql, mariadb: a01Mysql, sqlite: a01Sqlite, mssql: a01Mssql },
};
