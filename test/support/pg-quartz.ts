/** Builds Quartz JobStores on a test PostgreSQL: the Quartz.NET schema, roles and grants per scenario. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { adminSql, type PgServer } from './pg-server.js';

export const QUARTZ_PG_SCHEMA = readFileSync(
  join(import.meta.dirname, '..', 'fixtures', 'postgres', 'quartz-schema.sql'),
  'utf8',
);

/** Creates database `db` with the Quartz tables in `schema`, owned by role `owner` (created NOLOGIN if missing). */
export async function createQuartzDb(server: PgServer, db: string, schema: string, owner: string): Promise<void> {
  await adminSql(server, 'postgres', `DROP DATABASE IF EXISTS ${db}`);
  await adminSql(server, 'postgres', `CREATE DATABASE ${db}`);
  await adminSql(
    server,
    'postgres',
    `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${owner}') THEN CREATE ROLE ${owner} NOLOGIN; END IF; END $$`,
  );
  await adminSql(
    server,
    db,
    `CREATE SCHEMA IF NOT EXISTS ${schema} AUTHORIZATION ${owner}; GRANT CREATE, USAGE ON SCHEMA ${schema} TO ${owner}; SET ROLE ${owner}; SET search_path = ${schema}; ${QUARTZ_PG_SCHEMA}; RESET ROLE;`,
  );
}

/** Drops databases and roles a test made (roles are cluster-wide: leave none behind). */
export async function dropAll(server: PgServer, dbs: string[], roles: string[]): Promise<void> {
  for (const db of dbs) await adminSql(server, 'postgres', `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  for (const r of roles) {
    await adminSql(server, 'postgres', `DROP ROLE IF EXISTS ${r}`).catch(async () => {
      await adminSql(server, 'postgres', `DROP OWNED BY ${r}; DROP ROLE IF EXISTS ${r}`).catch(() => {});
    });
  }
}

/**
 * A test file's throwaway Quartz store: database `<tag><pid>_<db>` with the Quartz tables in schema `quartz`
 * owned by role `<tag><pid>_owner`, and a LOGIN role `<tag><pid>_<name>` for each of `logins`.
 */
export interface PgQuartzStore {
  /** `<tag><pid>`: every name of the store starts with it. */
  prefix: string;
  db: string;
  /** The owner role and the login roles (all dropped by drop()). */
  roles: string[];
  /** Drops leftovers of an earlier run, creates the roles and the Quartz tables, then runs `sql` in the database. */
  create(server: PgServer, sql: string): Promise<void>;
  /** Drops the database and the roles, then stops the server (a no-op for a shared one). */
  drop(server: PgServer): Promise<void>;
}

export function pgQuartzStore(tag: string, o: { db: string; logins: string[] }): PgQuartzStore {
  const prefix = `${tag}${process.pid}`;
  const db = `${prefix}_${o.db}`;
  const logins = o.logins.map((l) => `${prefix}_${l}`);
  const owner = `${prefix}_owner`;
  const roles = [owner, ...logins];
  return {
    prefix,
    db,
    roles,
    async create(server, sql) {
      await dropAll(server, [db], roles);
      if (logins.length) await adminSql(server, 'postgres', logins.map((r) => `CREATE ROLE ${r} LOGIN;`).join(' '));
      await createQuartzDb(server, db, 'quartz', owner);
      await adminSql(server, db, sql);
    },
    async drop(server) {
      try {
        await dropAll(server, [db], roles);
      } finally {
        await server.stop();
      }
    },
  };
}
