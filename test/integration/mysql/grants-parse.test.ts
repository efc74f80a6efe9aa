/** SHOW GRANTS parsing, account names and grant patterns (pure), including hostile and secret-bearing lines. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accountName,
  dbPatternMatches,
  parseGrantee,
  parseGrantLine,
  principalMatches,
  splitAccount,
} from '../../../src/dialects/mysql/grants.js';
import { foreignPrivileges, mapShowGrants, tableIndex } from '../../../src/dialects/mysql/map.js';
import { QUARTZ_TABLES } from '../../../src/model.js';

const tables = QUARTZ_TABLES.map((logical) => ({ logical, name: `QRTZ_${logical}`, schema: 'quartz' }));
const idx = tableIndex('quartz', tables);

describe('account names', () => {
  it('canonicalises accounts, MariaDB roles and PUBLIC', () => {
    expect(accountName('quartz', '%')).toBe("'quartz'@'%'");
    expect(accountName('app_rw', '', true)).toBe('app_rw');
    expect(accountName('PUBLIC', '')).toBe('PUBLIC');
    expect(parseGrantee("'zz_r'@''", new Set(['zz_r']))).toBe('zz_r');
    expect(parseGrantee("'PUBLIC'@''")).toBe('PUBLIC');
    expect(parseGrantee("''@'localhost'")).toBe("''@'localhost'");
    expect(parseGrantee('zz_u@%')).toBe("'zz_u'@'%'");
  });

  it('splits the spellings users type for --service-account / --allow-principal', () => {
    expect(splitAccount("'quartz'@'10.0.%'")).toEqual({ user: 'quartz', host: '10.0.%' });
    expect(splitAccount('`quartz`@`%`')).toEqual({ user: 'quartz', host: '%' });
    expect(splitAccount('quartz@localhost')).toEqual({ user: 'quartz', host: 'localhost' });
    expect(splitAccount('me@corp@%')).toEqual({ user: 'me@corp', host: '%' });
    expect(splitAccount('quartz')).toEqual({ user: 'quartz', host: undefined });
    expect(principalMatches("'quartz'@'%'", 'quartz')).toBe(true);
    expect(principalMatches("'quartz'@'%'", 'quartz@localhost')).toBe(false);
    expect(principalMatches("'quartzx'@'%'", 'quartz')).toBe(false);
  });

  it('matches database grant patterns like mysql.db does (% _ wildcards, \\ escapes)', () => {
    expect(dbPatternMatches('quartz', 'quartz')).toBe(true);
    expect(dbPatternMatches('quartz', 'QUARTZ')).toBe(true);
    expect(dbPatternMatches('quartz\\_db', 'quartz_db')).toBe(true);
    expect(dbPatternMatches('quartz\\_db', 'quartzXdb')).toBe(false);
    expect(dbPatternMatches('quartz_db', 'quartzXdb')).toBe(true); // unescaped _ is a wildcard
    expect(dbPatternMatches('q%', 'quartz')).toBe(true);
    expect(dbPatternMatches('%', 'anything')).toBe(true);
    expect(dbPatternMatches('other', 'quartz')).toBe(false);
    expect(dbPatternMatches('a.b(c)', 'a.b(c)')).toBe(true);
  });
});

describe('SHOW GRANTS lines', () => {
  it('privileges on a schema, with grant option', () => {
    expect(parseGrantLine('GRANT SELECT, INSERT ON `quartz`.* TO `svc`@`%` WITH GRANT OPTION')).toEqual({
      kind: 'privileges',
      privileges: [{ name: 'SELECT' }, { name: 'INSERT' }],
      level: 'schema',
      db: 'quartz',
      grantee: "'svc'@'%'",
      grantable: true,
    });
  });

  it('column privileges and multi-word privilege names', () => {
    const p = parseGrantLine(
      'GRANT SELECT (`JOB_NAME`, `JOB_DATA`), CREATE TEMPORARY TABLES, SHOW VIEW ON `quartz`.`QRTZ_JOB_DETAILS` TO `rep`@`10.%`',
    );
    expect(p).toMatchObject({
      level: 'table',
      db: 'quartz',
      table: 'QRTZ_JOB_DETAILS',
      privileges: [
        { name: 'SELECT', columns: ['JOB_NAME', 'JOB_DATA'] },
        { name: 'CREATE TEMPORARY TABLES' },
        { name: 'SHOW VIEW' },
      ],
    });
  });

  it('MariaDB lines: IDENTIFIED BY PASSWORD hash never survives; REQUIRE SSL is kept', () => {
    const hash = '*B69027D44F6E5EDC07F1AEAD1477967B16F28227';
    const line = `GRANT USAGE ON *.* TO \`svc\`@\`%\` IDENTIFIED BY PASSWORD '${hash}' REQUIRE SSL`;
    const p = parseGrantLine(line);
    expect(p).toMatchObject({ kind: 'privileges', level: 'global', grantee: "'svc'@'%'", require: 'SSL' });
    expect(JSON.stringify(p)).not.toContain(hash);
    const mapped = mapShowGrants([line, 'GRANT SELECT ON `quartz`.* TO `svc`@`%`'], idx);
    expect(JSON.stringify(mapped.grants)).not.toContain(hash);
    expect(mapped.require).toBe('SSL');
  });

  it('role grants (MariaDB and MySQL) and SET DEFAULT ROLE', () => {
    expect(parseGrantLine('GRANT `zz_r` TO `zz_u`@`%`')).toEqual({
      kind: 'roles',
      roles: ['zz_r'],
      grantee: "'zz_u'@'%'",
      admin: false,
    });
    expect(parseGrantLine('GRANT `app_rw`@`%`,`app_ro`@`%` TO `rep`@`%` WITH ADMIN OPTION')).toEqual({
      kind: 'roles',
      roles: ["'app_rw'@'%'", "'app_ro'@'%'"],
      grantee: "'rep'@'%'",
      admin: true,
    });
    expect(parseGrantLine('SET DEFAULT ROLE `zz_r` FOR `zz_u`@`%`')).toEqual({
      kind: 'default-role',
      role: 'zz_r',
      grantee: "'zz_u'@'%'",
    });
    const m = mapShowGrants(['GRANT `zz_r` TO `zz_u`@`%`', 'SET DEFAULT ROLE `zz_r` FOR `zz_u`@`%`'], idx);
    expect(m.memberships).toEqual([{ member: "'zz_u'@'%'", role: 'zz_r', admin: false, inherit: true }]);
  });

  it('PUBLIC, ALL PRIVILEGES, routines, PROXY', () => {
    expect(parseGrantLine('GRANT SELECT ON `quartz`.* TO PUBLIC')).toMatchObject({ grantee: 'PUBLIC' });
    const all = mapShowGrants(['GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION'], idx);
    expect(all.grants).toEqual([
      { grantee: "'root'@'localhost'", privilege: 'ALL PRIVILEGES', grantable: true, objectKind: 'server', object: '' },
    ]);
    expect(parseGrantLine('GRANT EXECUTE ON PROCEDURE `quartz`.`p` TO `svc`@`%`')).toMatchObject({
      level: 'routine',
      db: 'quartz',
      table: 'p',
    });
    expect(parseGrantLine("GRANT PROXY ON ''@'' TO 'root'@'localhost' WITH GRANT OPTION")).toMatchObject({
      kind: 'privileges',
    });
    expect(parseGrantLine('REVOKE SELECT ON `mysql`.* FROM `u`@`%`')).toBeUndefined();
  });

  it('names that look like keywords stay identifiers', () => {
    const p = parseGrantLine('GRANT SELECT ON `ON`.`TO` TO `TO`@`ON`');
    expect(p).toMatchObject({ level: 'table', db: 'ON', table: 'TO', grantee: "'TO'@'ON'" });
  });

  it('mapShowGrants marks Quartz tables and column grants; foreignPrivileges keeps only other objects', () => {
    const m = mapShowGrants(
      [
        'GRANT SELECT, INSERT, UPDATE, DELETE ON `quartz`.`qrtz_locks` TO `svc`@`%`',
        'GRANT SELECT (`a`) ON `quartz`.`app_table` TO `svc`@`%`',
        'GRANT SELECT ON `quartz\\_%`.* TO `svc`@`%`',
      ],
      idx,
    );
    expect(m.grants.filter((g) => g.quartzTable === 'LOCKS')).toHaveLength(4);
    const foreign = foreignPrivileges(m.grants, [], "'svc'@'%'", 'quartz');
    expect(foreign.map((g) => `${g.objectKind}:${g.object}`)).toEqual([
      'column:quartz.app_table.a',
      'schema:quartz\\_%',
    ]);
  });

  it('never throws on arbitrary input (bounded tokenizer)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        parseGrantLine(`GRANT ${s}`);
        parseGrantLine(s);
        splitAccount(s);
        dbPatternMatches(s, 'quartz');
      }),
      { numRuns: 2000 },
    );
  });
});
