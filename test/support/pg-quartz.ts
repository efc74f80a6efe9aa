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
