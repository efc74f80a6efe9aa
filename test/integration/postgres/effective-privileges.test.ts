/**
 * queries/postgres/effective-privileges.sql asks the privilege functions only for the roles that can
 * hold a privilege (ACL holders and their members, owners, superusers, predefined roles, everyone when
 * PUBLIC holds it). It must give exactly the rows of the statement it replaced, which asked every
 * role × table × privilege. Compared on a real PostgreSQL with every way a role can come by a
 * privilege: direct, column and PUBLIC grants, nested groups, a NOINHERIT member, ownership and its
 * members, an owner that revoked its own privilege, pg_read_all_data / pg_write_all_data members, a
 * superuser, a table owned by pg_database_owner (whose member is the database owner). Roles are
 * cluster-wide and other tests run beside this one, so only this test's roles and PUBLIC are compared.
 * The same for schema-privileges.sql: the schema owner and who can CREATE in the Quartz schema (the
 * facts read from it) must not change, in the Quartz schema and in public (owned by
 * pg_database_owner since PostgreSQL 15).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadQuery } from '../../../src/queries.js';
import { createQuartzDb, dropAll } from '../../support/pg-quartz.js';
import { acquirePostgres, adminSql, type PgServer } from '../../support/pg-server.js';

const got = await acquirePostgres();
const server = 'skip' in got ? undefined : (got as PgServer);
const P = `qa${process.pid}ep`;
const R = (n: string) => `${P}_${n}`;
const NAMES = [
  'owner',
  'direct',
  'grp',
  'm1',
  'm2',
  'noinh',
  'col',
  'reader',
  'writer',
  'super',
  'ownmember',
  'dbowner',
  'dbomember',
  'nobody',
];
const ROLES = NAMES.map(R);
const DB = `${P}_db`;

/** The statement before the rewrite: every role × table × privilege asked. */
const REFERENCE = `
SELECT r.name AS principal, t.oid::bigint AS oid, p.priv AS privilege
FROM (SELECT rolname::text AS name FROM pg_roles WHERE rolname NOT LIKE 'pg\\_%' UNION ALL SELECT 'public') r
CROSS JOIN unnest($1::oid[]) AS t(oid)
CROSS JOIN unnest($2::text[]) AS p(priv)
WHERE CASE WHEN p.priv IN ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES')
           THEN has_any_column_privilege(r.name, t.oid, p.priv)
           ELSE has_table_privilege(r.name, t.oid, p.priv) END
ORDER BY 1, 2, 3`;

/** schema-privileges.sql before the rewrite: a row for every role. */
const SCHEMA_REFERENCE = `
SELECT n.nspname::text AS schema, pg_get_userbyid(n.nspowner)::text AS owner, r.name AS principal,
       has_schema_privilege(r.name, n.oid, 'CREATE') AS can_create, has_schema_privilege(r.name, n.oid, 'USAGE') AS can_use
FROM pg_namespace n
CROSS JOIN (SELECT rolname::text AS name FROM pg_roles WHERE rolname NOT LIKE 'pg\\_%' UNION ALL SELECT 'public') r
WHERE n.nspname = $1
ORDER BY 3`;

describe.skipIf(!server)('effective-privileges.sql', () => {
  const s = server as PgServer;
  beforeAll(async () => {
    await dropAll(s, [DB], ROLES);
    await adminSql(
      s,
      'postgres',
      `CREATE ROLE ${R('direct')} LOGIN; CREATE ROLE ${R('grp')} NOLOGIN;
       CREATE ROLE ${R('m1')} NOLOGIN IN ROLE ${R('grp')}; CREATE ROLE ${R('m2')} LOGIN IN ROLE ${R('m1')};
       CREATE ROLE ${R('noinh')} LOGIN NOINHERIT IN ROLE ${R('grp')}; CREATE ROLE ${R('col')} LOGIN;
       CREATE ROLE ${R('reader')} LOGIN IN ROLE pg_read_all_data; CREATE ROLE ${R('writer')} LOGIN IN ROLE pg_write_all_data;
       CREATE ROLE ${R('super')} NOLOGIN SUPERUSER; CREATE ROLE ${R('dbowner')} NOLOGIN;
       CREATE ROLE ${R('dbomember')} LOGIN IN ROLE ${R('dbowner')}; CREATE ROLE ${R('nobody')} LOGIN;`,
    );
    await createQuartzDb(s, DB, 'quartz', R('owner'));
    await adminSql(
      s,
      'postgres',
      `CREATE ROLE ${R('ownmember')} LOGIN IN ROLE ${R('owner')}; ALTER DATABASE ${DB} OWNER TO ${R('dbowner')}`,
    );
    await adminSql(
      s,
      DB,
      `SET search_path = quartz;
       GRANT SELECT ON qrtz_job_details TO ${R('direct')};
       GRANT INSERT, TRUNCATE ON qrtz_triggers TO ${R('grp')};
       GRANT UPDATE (job_name) ON qrtz_job_details TO ${R('col')};
       GRANT REFERENCES (sched_name) ON qrtz_triggers TO ${R('m1')};
       GRANT SELECT ON qrtz_locks TO PUBLIC;
       GRANT TRIGGER ON qrtz_locks TO ${R('noinh')};
       REVOKE DELETE ON qrtz_blob_triggers FROM ${R('owner')};
       ALTER TABLE qrtz_calendars OWNER TO pg_database_owner;
       GRANT CREATE ON SCHEMA quartz TO ${R('grp')};`,
    );
  });
  it('schema-privileges.sql: the same owner and the same roles that can CREATE as asking every role', async () => {
    const c = new pg.Client({ connectionString: s.adminUrl(DB) });
    await c.connect();
    try {
      await c.query('SET search_path = pg_catalog, pg_temp');
      for (const schema of ['quartz', 'public', 'no_such_schema']) {
        const facts = (rows: { owner: string | null; principal: string; can_create: boolean }[]) => ({
          owner: rows[0]?.owner ?? null,
          create: rows
            .filter((r) => r.can_create && (r.principal === 'public' || ROLES.includes(r.principal)))
            .map((r) => r.principal),
        });
        const before = facts((await c.query(SCHEMA_REFERENCE, [schema])).rows);
        const after = facts((await c.query(loadQuery('postgres', 'schema-privileges'), [schema])).rows);
        expect(after, schema).toEqual(before);
        if (schema === 'quartz') {
          expect(after.owner).toBe(R('owner'));
          for (const who of ['owner', 'grp', 'm1', 'm2', 'super', 'ownmember']) expect(after.create).toContain(R(who));
          expect(after.create).not.toContain(R('noinh'));
          expect(after.create).not.toContain(R('nobody'));
        }
        if (schema === 'public') expect(after.create).toEqual(expect.arrayContaining([R('dbowner'), R('dbomember')]));
        if (schema === 'no_such_schema') expect(after).toEqual({ owner: null, create: [] });
      }
    } finally {
      await c.end();
    }
  });

  afterAll(async () => {
    await dropAll(s, [DB], ROLES);
  });

  it('gives exactly the rows of asking every role, for every way of holding a privilege', async () => {
    const c = new pg.Client({ connectionString: s.adminUrl(DB) });
    await c.connect();
    try {
      await c.query('SET search_path = pg_catalog, pg_temp');
      const oids = (
        await c.query(
          "SELECT c.oid::text AS oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'quartz' AND c.relkind = 'r'",
        )
      ).rows.map((r) => String(r.oid));
      expect(oids.length).toBe(11);
      const privs = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'];
      const mine = (rows: { principal: string; oid: string; privilege: string }[]) =>
        rows
          .filter((r) => r.principal === 'public' || ROLES.includes(r.principal))
          .map((r) => `${r.principal} ${r.oid} ${r.privilege}`);
      const before = mine((await c.query(REFERENCE, [oids, privs])).rows);
      const after = mine((await c.query(loadQuery('postgres', 'effective-privileges'), [oids, privs])).rows);
      expect(after).toEqual(before);

      // the comparison is not vacuous: each way of holding a privilege shows up
      const name = new Map(
        (await c.query('SELECT oid::text AS oid, relname FROM pg_class WHERE oid = ANY ($1::oid[])', [oids])).rows.map(
          (r) => [String(r.oid), String(r.relname)],
        ),
      );
      const has = (who: string, table: string, priv: string) =>
        after.some((l) => {
          const [p, oid, pv] = l.split(' ');
          return p === who && name.get(oid as string) === table && pv === priv;
        });
      expect(has(R('direct'), 'qrtz_job_details', 'SELECT')).toBe(true);
      expect(has(R('m2'), 'qrtz_triggers', 'INSERT')).toBe(true); // two levels down
      expect(has(R('m2'), 'qrtz_triggers', 'REFERENCES')).toBe(true); // a column grant to a group
      expect(has(R('noinh'), 'qrtz_triggers', 'INSERT')).toBe(false); // NOINHERIT: not inherited
      expect(has(R('noinh'), 'qrtz_locks', 'TRIGGER')).toBe(true);
      expect(has(R('col'), 'qrtz_job_details', 'UPDATE')).toBe(true);
      expect(has(R('nobody'), 'qrtz_locks', 'SELECT')).toBe(true); // PUBLIC
      expect(has('public', 'qrtz_locks', 'SELECT')).toBe(true);
      expect(has(R('nobody'), 'qrtz_job_details', 'SELECT')).toBe(false);
      expect(has(R('reader'), 'qrtz_triggers', 'SELECT')).toBe(true);
      expect(has(R('writer'), 'qrtz_triggers', 'DELETE')).toBe(true);
      expect(has(R('writer'), 'qrtz_triggers', 'TRUNCATE')).toBe(false);
      expect(has(R('super'), 'qrtz_fired_triggers', 'TRUNCATE')).toBe(true);
      expect(has(R('ownmember'), 'qrtz_cron_triggers', 'DELETE')).toBe(true);
      expect(has(R('owner'), 'qrtz_blob_triggers', 'DELETE')).toBe(false); // revoked from itself
      expect(has(R('ownmember'), 'qrtz_blob_triggers', 'DELETE')).toBe(false);
      expect(has(R('dbomember'), 'qrtz_calendars', 'SELECT')).toBe(true); // via pg_database_owner
      expect(has(R('dbowner'), 'qrtz_calendars', 'TRUNCATE')).toBe(true);
    } finally {
      await c.end();
    }
  });
});
