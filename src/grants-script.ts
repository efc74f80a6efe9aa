/**
 * `qrtz-audit grants-script`: the least-privilege script for the Quartz service account — exactly
 * SELECT, INSERT, UPDATE, DELETE on each Quartz table (QUARTZ_TABLES with the prefix), nothing for
 * PUBLIC, no ownership — and, with an auditor, for the auditor login: the minimum the checks need on
 * that dialect (the catalogue's `needs`), with the checks that need more named and left out on
 * purpose. PostgreSQL, MySQL, MariaDB and SQL Server get SQL; SQLite, which has no accounts, gets
 * the file permissions as shell commands. Every name goes through src/checks/sql-quote.ts; a name
 * that cannot be pasted safely is refused (one line). The output is for a DBA to review and run.
 */
import {
  mssqlQuoteIdent,
  mysqlAccount,
  mysqlQuoteIdent,
  pgQuoteIdent,
  shellQuote,
  UnsafeNameError,
} from './checks/sql-quote.js';
import { UserError } from './errors.js';
import { QUARTZ_TABLES } from './model/common.js';

export const GRANTS_DIALECTS = ['postgres', 'mysql', 'mariadb', 'mssql', 'sqlite'] as const;
export type GrantsDialect = (typeof GRANTS_DIALECTS)[number];

export interface GrantsRequest {
  dialect: GrantsDialect;
  /** PostgreSQL/SQL Server schema, MySQL/MariaDB database, SQLite: the database file. */
  schema?: string;
  /** Table prefix (default QRTZ_). */
  prefix?: string;
  /** The Quartz service account: a role (PostgreSQL), 'user'@'host' or user (MySQL; host '%'), a database user (SQL Server), a system user (SQLite). */
  user: string;
  /** The auditor login, in the same form. */
  auditor?: string;
  /** SQL Server: the auditor's server login when it differs from its database user name. */
  auditorLogin?: string;
}

/**
 * What the auditor login is granted on each dialect, beyond SELECT on the Quartz tables and
 * (PostgreSQL) USAGE on the schema. scripts/auditor-*.sql grant the same (a test holds them to it).
 */
export const AUDITOR_GRANTS = {
  postgres: { roles: ['pg_read_all_settings'] },
  // MariaDB shows other accounts' rows in information_schema's *_PRIVILEGES views only to a login
  // with SELECT on the whole mysql database (table-level SELECT on mysql.tables_priv is not enough).
  mariadb: { tables: ['mysql.*'] },
  mysql: {
    tables: [
      'mysql.user',
      'mysql.db',
      'mysql.tables_priv',
      'mysql.columns_priv',
      'mysql.global_grants',
      'mysql.role_edges',
      'mysql.procs_priv',
    ],
  },
} as const;

/** The checks the auditor script leaves not-evaluated on purpose, and why (per dialect). */
export const AUDITOR_LEAVES_OUT: Record<GrantsDialect, { check: string; needs: string; why: string }[]> = {
  postgres: [],
  mariadb: [
    {
      check: 'QA-E01',
      needs: 'PROCESS',
      why: 'tablespace encryption state (INNODB_TABLESPACES_ENCRYPTION); PROCESS also shows every session’s statement text, passwords in CREATE/ALTER USER included',
    },
    {
      check: 'QA-T01',
      needs: 'TRIGGER on the Quartz database',
      why: 'information_schema.TRIGGERS hides triggers without it; TRIGGER lets its holder create triggers, i.e. code that runs as other accounts',
    },
  ],
  mysql: [
    {
      check: 'QA-T01',
      needs: 'TRIGGER on the Quartz database',
      why: 'information_schema.TRIGGERS hides triggers without it; TRIGGER lets its holder create triggers',
    },
    {
      check: 'QA-A01',
      needs: 'SELECT on mysql.audit_log_user and mysql.audit_log_filter',
      why: 'MySQL Enterprise Audit only: grant it where those tables exist',
    },
  ],
  mssql: [],
  sqlite: [],
};

/** The Quartz tables' names with the prefix, as each dialect's Quartz schema scripts create them. */
export function quartzTableNames(dialect: GrantsDialect, prefix = 'QRTZ_'): string[] {
  // PostgreSQL's scripts create unquoted (lower-case) names; the others keep the upper-case names.
  return QUARTZ_TABLES.map((t) => (dialect === 'postgres' ? `${prefix}${t}`.toLowerCase() : `${prefix}${t}`));
}

/** Runs a quoting step; a name it cannot paste safely becomes one usage line naming the option. */
function q<T>(option: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof UnsafeNameError) throw new UserError('usage', `${option}: ${err.message}: refused`);
    throw err;
  }
}

/** 'user'@'host' as given (the canonical form, quotes inside not doubled), or a bare user name as 'user'@'%'. */
function mysqlUser(option: string, name: string): string {
  const canonical = /^'.*'@'.*'$/s.test(name) ? name : `'${name}'@'%'`;
  return q(option, () => mysqlAccount(canonical));
}

/** A PostgreSQL string literal (standard_conforming_strings on: only ' is doubled). */
function pgLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function grantsScript(r: GrantsRequest): string {
  const prefix = r.prefix ?? 'QRTZ_';
  if (!/^[A-Za-z0-9_$]*$/.test(prefix)) {
    throw new UserError('usage', '--prefix: letters, digits, _ and $ only (Quartz table prefixes are plain names)');
  }
  if (!r.user) throw new UserError('usage', '--user: the Quartz service account is required');
  switch (r.dialect) {
    case 'postgres':
      return postgresScript(r, prefix);
    case 'mysql':
    case 'mariadb':
      return mysqlScript(r, prefix, r.dialect);
    case 'mssql':
      return mssqlScript(r, prefix);
    case 'sqlite':
      return sqliteScript(r);
  }
}

function header(r: GrantsRequest, what: string, runAs: string): string[] {
  return [
    `-- qrtz-audit grants-script --dialect ${r.dialect}: ${what}`,
    `-- Review, then run ${runAs}. Nothing here gives ownership, DDL or GRANT OPTION.`,
  ];
}

function postgresScript(r: GrantsRequest, prefix: string): string {
  const schema = q('--schema', () => pgQuoteIdent(r.schema ?? 'public'));
  const svc = q('--user', () => pgQuoteIdent(r.user));
  const tables = quartzTableNames('postgres', prefix).map((t) => `${schema}.${q('--prefix', () => pgQuoteIdent(t))}`);
  const out = header(
    r,
    `least privilege on the Quartz tables of schema ${r.schema ?? 'public'}`,
    'as the tables’ owner or a superuser, connected to the Quartz database (psql -v ON_ERROR_STOP=1 -f …)',
  );
  out.push('BEGIN;', '');
  out.push(`-- The Quartz service account ${svc}: exactly SELECT, INSERT, UPDATE, DELETE on each Quartz table.`);
  // The service account must not own the Quartz tables or their schema (an owner can do anything).
  const tag = '$qrtz_grants$';
  const guard = `DO ${tag} BEGIN IF EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ${pgLiteral(r.schema ?? 'public')} AND pg_catalog.lower(c.relname) LIKE ${pgLiteral(`${prefix.toLowerCase().replace(/_/g, '\\_')}%`)} AND c.relowner = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = ${pgLiteral(r.user)})) OR EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ${pgLiteral(r.schema ?? 'public')} AND nspowner = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = ${pgLiteral(r.user)})) THEN RAISE EXCEPTION 'the service account owns Quartz tables or their schema: ALTER … OWNER TO a NOLOGIN role first'; END IF; END ${tag};`;
  if ([r.user, r.schema ?? '', prefix].some((s) => s.includes(tag))) {
    throw new UserError('usage', `a name holds ${tag}: refused`);
  }
  out.push(guard);
  out.push(`REVOKE ALL ON SCHEMA ${schema} FROM PUBLIC;`);
  out.push(`REVOKE CREATE ON SCHEMA ${schema} FROM ${svc};`);
  out.push(`GRANT USAGE ON SCHEMA ${schema} TO ${svc};`);
  for (const t of tables) {
    out.push(`REVOKE ALL ON TABLE ${t} FROM PUBLIC;`);
    out.push(`REVOKE ALL ON TABLE ${t} FROM ${svc};`);
    out.push(`GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE ${t} TO ${svc};`);
  }
  if (r.auditor !== undefined) {
    const aud = q('--auditor', () => pgQuoteIdent(r.auditor as string));
    out.push('');
    out.push(`-- The auditor login ${aud}: LOGIN and nothing else, read-only sessions, SELECT on the Quartz tables,`);
    out.push('-- USAGE on the schema, and pg_read_all_settings (pgaudit/log/ssl settings: QA-A01, QA-A02, QA-E02).');
    out.push('-- Everything else the audit reads (catalogs, ACLs, pg_roles) every role can read. Then: \\password');
    out.push(
      `CREATE ROLE ${aud} LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 2;`,
    );
    out.push(`ALTER ROLE ${aud} SET default_transaction_read_only = on;`);
    out.push(`GRANT USAGE ON SCHEMA ${schema} TO ${aud};`);
    for (const t of tables) out.push(`GRANT SELECT ON TABLE ${t} TO ${aud};`);
    for (const role of AUDITOR_GRANTS.postgres.roles) out.push(`GRANT ${role} TO ${aud};`);
    out.push('-- CONNECT on the database: PostgreSQL gives it to PUBLIC; where that was revoked:');
    out.push(`--   GRANT CONNECT ON DATABASE <the Quartz database> TO ${aud}, ${svc};`);
  }
  out.push('', 'COMMIT;', '');
  return out.join('\n');
}

function mysqlScript(r: GrantsRequest, prefix: string, dialect: 'mysql' | 'mariadb'): string {
  if (!r.schema) throw new UserError('usage', '--schema: the Quartz database is required for MySQL/MariaDB');
  const db = q('--schema', () => mysqlQuoteIdent(r.schema as string));
  const svc = mysqlUser('--user', r.user);
  const tables = quartzTableNames(dialect, prefix).map((t) => `${db}.${q('--prefix', () => mysqlQuoteIdent(t))}`);
  const out = header(r, `least privilege on the Quartz tables of database ${r.schema}`, 'as root (mariadb < file)');
  out.push('');
  out.push(`-- The Quartz service account ${svc}: exactly SELECT, INSERT, UPDATE, DELETE on each Quartz table.`);
  out.push('-- Every other privilege of the account is revoked first (it is the Quartz account, nothing else).');
  out.push(`REVOKE ALL PRIVILEGES, GRANT OPTION FROM ${svc};`);
  for (const t of tables) out.push(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${t} TO ${svc};`);
  out.push(
    '-- TLS for every login of the account (QA-G10): the application then connects with useSSL / SslMode=Required.',
  );
  out.push(`ALTER USER ${svc} REQUIRE SSL;`);
  if (/'@'%'$/.test(r.user) || !r.user.includes('@')) {
    out.push(
      "-- The account accepts logins from any host ('%'), which QA-G10 fails: create it for the application's hosts",
    );
    out.push("-- instead (e.g. 'quartz'@'10.0.1.%') and give that name to --user.");
  }
  out.push(
    dialect === 'mariadb'
      ? '-- PUBLIC (MariaDB 10.11+): SHOW GRANTS FOR PUBLIC; revoke anything it holds on the Quartz database, e.g.'
      : '-- MySQL has no PUBLIC grants; check mandatory_roles (SHOW VARIABLES LIKE "mandatory_roles") holds none on it.',
  );
  if (dialect === 'mariadb') out.push(`--   REVOKE ALL PRIVILEGES ON ${db}.* FROM PUBLIC;`);
  if (r.auditor !== undefined) {
    const aud = mysqlUser('--auditor', r.auditor);
    out.push('');
    out.push(`-- The auditor login ${aud}: SELECT on the Quartz database (contents and definitions) and on the grant`);
    out.push('-- tables (every account’s grants and roles; without them only its own are visible).');
    if (dialect === 'mariadb') {
      out.push(
        '-- MariaDB shows other accounts’ grants in information_schema only with SELECT on all of mysql.*; that',
      );
      out.push('-- also reads mysql.general_log / slow_log when log_output=TABLE (statements may hold secrets).');
    }
    out.push('-- Then:');
    out.push(`--   ALTER USER ${aud} IDENTIFIED BY '…';   (interactively, or from a vault)`);
    out.push(`CREATE USER ${aud} WITH MAX_USER_CONNECTIONS 2;`);
    out.push(`GRANT SELECT ON ${db}.* TO ${aud};`);
    for (const t of AUDITOR_GRANTS[dialect].tables) out.push(`GRANT SELECT ON ${t} TO ${aud};`);
    const left = AUDITOR_LEAVES_OUT[dialect];
    if (left.length) {
      out.push('-- Left out on purpose: these checks then say not-evaluated and name what they need.');
      for (const l of left) out.push(`--   ${l.check} needs ${l.needs}: ${l.why}`);
      out.push(`--   To accept that: GRANT PROCESS ON *.* TO ${aud}; GRANT TRIGGER ON ${db}.* TO ${aud};`);
    }
  }
  out.push('');
  return out.join('\n');
}

function mssqlScript(r: GrantsRequest, prefix: string): string {
  const schema = q('--schema', () => mssqlQuoteIdent(r.schema ?? 'dbo'));
  const svc = q('--user', () => mssqlQuoteIdent(r.user));
  const tables = quartzTableNames('mssql', prefix).map((t) => `${schema}.${q('--prefix', () => mssqlQuoteIdent(t))}`);
  const out = header(
    r,
    `least privilege on the Quartz tables of schema ${r.schema ?? 'dbo'}`,
    'in the Quartz database as its owner (dbo) or a sysadmin (sqlcmd -b -i …)',
  );
  out.push('');
  out.push(`-- The Quartz service account ${svc} (a database user): exactly SELECT, INSERT, UPDATE, DELETE on`);
  out.push('-- each Quartz table; it must not own the schema or be in db_owner / db_ddladmin / db_datawriter.');
  for (const t of tables) {
    out.push(`REVOKE SELECT, INSERT, UPDATE, DELETE, REFERENCES, ALTER, CONTROL, TAKE OWNERSHIP ON ${t} FROM public;`);
    out.push(`REVOKE REFERENCES, ALTER, CONTROL, TAKE OWNERSHIP, VIEW CHANGE TRACKING ON ${t} FROM ${svc};`);
    out.push(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${t} TO ${svc};`);
  }
  if (r.auditor !== undefined) {
    const aud = q('--auditor', () => mssqlQuoteIdent(r.auditor as string));
    const login = q('--auditor-login', () => mssqlQuoteIdent(r.auditorLogin ?? (r.auditor as string)));
    out.push('');
    out.push(
      `-- The auditor ${aud}: a database user for its login, SELECT on the Quartz tables, VIEW DEFINITION on the`,
    );
    out.push('-- database (permissions, role members, triggers, synonyms: QA-G03, QA-G05, QA-T01) and, in master,');
    out.push('-- VIEW SERVER STATE and VIEW ANY DEFINITION (encryption, connections, audits, logins: QA-E01, QA-E02,');
    out.push('-- QA-A01, QA-A02, QA-G01, QA-G13). SQL Server 2022 splits these into VIEW … SECURITY … permissions.');
    out.push(`CREATE USER ${aud} FOR LOGIN ${login};`);
    for (const t of tables) out.push(`GRANT SELECT ON ${t} TO ${aud};`);
    out.push(`GRANT VIEW DEFINITION TO ${aud};`);
    out.push('-- In master (server level):');
    out.push(`--   GRANT VIEW SERVER STATE TO ${login}; GRANT VIEW ANY DEFINITION TO ${login};`);
  }
  out.push('');
  return out.join('\n');
}

function sqliteScript(r: GrantsRequest): string {
  const file = r.schema ?? 'quartz.db';
  const f = q('--schema', () => shellQuote(file));
  const svc = q('--user', () => shellQuote(r.user));
  const out = [
    '# qrtz-audit grants-script --dialect sqlite: SQLite has no accounts or grants; the file permissions are the',
    '# access control. Review, then run as root. The Quartz service account alone may read and write the',
    '# database, its -wal/-shm/-journal sidecars and its directory (which SQLite writes the sidecars into).',
    `chown -- ${svc} ${f}`,
    `chmod 600 -- ${f}`,
    `for s in -wal -shm -journal; do [ -e ${f}"$s" ] && chown -- ${svc} ${f}"$s" && chmod 600 -- ${f}"$s"; done`,
    `chmod 700 -- "$(dirname -- ${f})"`,
  ];
  if (r.auditor !== undefined) {
    const aud = q('--auditor', () => shellQuote(r.auditor as string));
    out.push(
      '',
      `# The auditor ${aud} gets no access of its own: a file it can read is a file it can copy, and a`,
      '# directory it can write lets it create sidecars. Run the audit as the service account instead — it',
      '# opens the file read-only and creates nothing beside it (--sqlite-immutable for WAL files):',
      `#   sudo -u ${svc} qrtz-audit scan sqlite:${f}`,
    );
  }
  out.push('');
  return out.join('\n');
}
