/**
 * `qrtz-audit grants-script` without a server (issue #14 part 10): the PostgreSQL script parses with
 * PostgreSQL's own parser as exactly the intended statements for hostile names, unsafe names are
 * refused in one line, every dialect's output is what a DBA expects, and scripts/auditor-*.sql grant
 * the auditor what the command does. Applying the scripts to real servers:
 * test/integration/{postgres,mysql}/grants-script.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'libpg-query';
import { describe, expect, it } from 'vitest';
import { AUDITOR_GRANTS, grantsScript, quartzTableNames } from '../src/grants-script.js';
import { QUARTZ_TABLES } from '../src/model/common.js';
import { runCli } from './support/cli.js';

type Node = Record<string, unknown>;
/** Every value of `key` in a parse tree. */
function values(tree: unknown, key: string, out: string[] = []): string[] {
  if (Array.isArray(tree)) for (const t of tree) values(t, key, out);
  else if (tree && typeof tree === 'object') {
    for (const [k, v] of Object.entries(tree as Node)) {
      if (k === key && typeof v === 'string') out.push(v);
      else values(v, key, out);
    }
  }
  return out;
}

describe('grants-script', () => {
  it('PostgreSQL: hostile names stay names (libpg-query parses exactly the intended statements)', async () => {
    const user = 'svc"; DROP TABLE x; --';
    const auditor = "Aud'itor";
    const schema = 'Quartz Schema';
    const sql = grantsScript({ dialect: 'postgres', schema, user, auditor });
    const tree = await parse(sql);
    const kinds: string[] = (tree.stmts ?? []).map((s) => Object.keys(s.stmt as Node)[0] ?? '');
    const grants = kinds.filter((k) => k === 'GrantStmt').length;
    // per table: REVOKE PUBLIC, REVOKE svc, GRANT svc, GRANT auditor; schema: REVOKE PUBLIC, REVOKE CREATE, USAGE ×2
    expect(grants).toBe(QUARTZ_TABLES.length * 4 + 4);
    expect(kinds.filter((k) => !['GrantStmt', 'TransactionStmt'].includes(k)).sort()).toEqual([
      'AlterRoleSetStmt',
      'CreateRoleStmt',
      'DoStmt',
      'GrantRoleStmt',
    ]);
    expect(new Set(values(tree, 'rolename'))).toEqual(new Set([user, auditor]));
    expect(new Set(values(tree, 'schemaname'))).toEqual(new Set([schema]));
    expect(new Set(values(tree, 'relname'))).toEqual(new Set(quartzTableNames('postgres')));
    expect(new Set(values(tree, 'priv_name'))).toEqual(
      new Set(['select', 'insert', 'update', 'delete', 'create', 'usage', 'pg_read_all_settings']),
    );
  });

  it('names that cannot be pasted safely are refused in one line (exit 2), for every dialect', async () => {
    for (const dialect of ['postgres', 'mariadb', 'mssql', 'sqlite']) {
      const run = await runCli(['grants-script', '--dialect', dialect, '--schema', 'q', '--user', 'svc\u202Eevil']);
      expect([run.code, run.stdout]).toEqual([2, '']);
      expect(run.stderr).toMatch(
        /^qrtz-audit: --user: name ".*" holds control, bidi or line-separator characters .*: refused\n$/,
      );
    }
    const bad = await runCli(['grants-script', '--dialect', 'oracle', '--user', 'x']);
    expect([bad.code, bad.stderr]).toEqual([
      2,
      'qrtz-audit: --dialect: unknown database oracle (postgres, mysql, mariadb, mssql, sqlite)\n',
    ]);
    expect((await runCli(['grants-script', '--dialect', 'mysql', '--user', 'x'])).stderr).toMatch(
      /--schema: the Quartz database is required/,
    );
    expect((await runCli(['grants-script', '--dialect', 'postgres', '--user', 'x', '--prefix', 'q;'])).code).toBe(2);
  });

  it('MySQL/MariaDB: accounts quoted as literals, exactly the four privileges per table, TLS required', () => {
    const sql = grantsScript({ dialect: 'mysql', schema: 'quartz`db', user: "'o'app'@'10.%'", auditor: "x'y" });
    expect(sql).toContain("GRANT SELECT, INSERT, UPDATE, DELETE ON `quartz``db`.`QRTZ_LOCKS` TO 'o''app'@'10.%';");
    expect(sql).toContain("ALTER USER 'o''app'@'10.%' REQUIRE SSL;");
    expect(sql).toContain("CREATE USER 'x''y'@'%' WITH MAX_USER_CONNECTIONS 2;");
    expect(sql.match(/^GRANT SELECT, INSERT, UPDATE, DELETE ON /gm)).toHaveLength(QUARTZ_TABLES.length);
    const privileges = sql.match(/^GRANT .*? ON /gm) ?? [];
    expect(privileges.join('\n')).not.toMatch(/ALL|CREATE|DROP|ALTER|INDEX|TRIGGER|OPTION/);
  });

  it('SQL Server: brackets, nothing for public, the auditor’s server permissions in master', () => {
    const sql = grantsScript({ dialect: 'mssql', user: 'quartz]app', auditor: 'auditor', auditorLogin: 'DOMAIN\\aud' });
    expect(sql).toContain('GRANT SELECT, INSERT, UPDATE, DELETE ON [dbo].[QRTZ_JOB_DETAILS] TO [quartz]]app];');
    expect(sql).toContain('FROM public;');
    expect(sql).toContain('CREATE USER [auditor] FOR LOGIN [DOMAIN\\aud];');
    expect(sql).toContain('GRANT VIEW SERVER STATE TO [DOMAIN\\aud]');
  });

  it('SQLite: file permissions as shell commands, names shell-quoted', () => {
    const sh = grantsScript({
      dialect: 'sqlite',
      schema: "/srv/app/it's quartz.db",
      user: 'quartz',
      auditor: 'auditor',
    });
    expect(sh).toContain("chmod 600 -- '/srv/app/it'\\''s quartz.db'");
    expect(sh).toContain("chown -- quartz '/srv/app/it'\\''s quartz.db'");
    expect(sh).toContain('sudo -u quartz qrtz-audit scan');
  });

  it('scripts/auditor-*.sql grant the auditor what grants-script does', () => {
    const root = join(import.meta.dirname, '..', 'scripts');
    const pg = readFileSync(join(root, 'auditor-postgres.sql'), 'utf8');
    const pgCmd = grantsScript({ dialect: 'postgres', schema: 'quartz', user: 'svc', auditor: 'aud' });
    for (const role of AUDITOR_GRANTS.postgres.roles) {
      expect(pg).toContain(`GRANT ${role} TO :"auditor";`);
      expect(pgCmd).toContain(`GRANT ${role} TO aud;`);
    }
    const grantedRoles = (s: string) => [...s.matchAll(/^GRANT (pg_\w+) TO/gm)].map((m) => m[1]);
    expect(grantedRoles(pg)).toEqual(grantedRoles(pgCmd));
    for (const line of [
      'CONNECTION LIMIT 2',
      'SET default_transaction_read_only = on',
      'NOBYPASSRLS',
      'GRANT USAGE ON SCHEMA',
    ]) {
      expect(pg).toContain(line);
      expect(pgCmd).toContain(line);
    }
    const maria = readFileSync(join(root, 'auditor-mariadb.sql'), 'utf8');
    const mariaCmd = grantsScript({ dialect: 'mariadb', schema: 'quartz', user: 'svc', auditor: 'aud' });
    const scriptGrants = [...maria.matchAll(/CONCAT\('GRANT SELECT ON (mysql\.[\w*]+) TO '/g)].map((m) => m[1]);
    const cmdGrants = [...mariaCmd.matchAll(/^GRANT SELECT ON (mysql\.[\w*]+) TO /gm)].map((m) => m[1]);
    expect(scriptGrants).toEqual([...AUDITOR_GRANTS.mariadb.tables]);
    expect(cmdGrants).toEqual(scriptGrants);
    expect(maria).toContain('MAX_USER_CONNECTIONS 2');
    expect(mariaCmd).toContain('MAX_USER_CONNECTIONS 2');
  });
});
