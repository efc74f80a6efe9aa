/**
 * The PostgreSQL audit session over the connection layer: a pool of one connection for the target,
 * hardened in afterCreate (search_path pinned, row_security off, read-only default, timeouts,
 * application name), then the one read-only REPEATABLE READ transaction every later read runs in
 * (knex sends `BEGIN TRANSACTION ISOLATION LEVEL repeatable read READ ONLY` first). Like libpq's
 * sslmode=prefer/allow, a server that does not offer TLS is retried without it.
 *
 * `client` has the shape of a pg client's query (`query(sql, params) → { rows }`) so the adapter's
 * reads and its savepoint/cursor statements run unchanged; each goes through knex.raw on the
 * transaction's connection.
 */
import type { Knex } from 'knex';
import type pg from 'pg';
import { type Connection, openConnection, readOnlySnapshot, runSql, type SessionSettings } from '../connection.js';

type Row = Record<string, unknown>;

/** What the adapter runs its statements on: one connection, inside the audit transaction. */
export interface SqlClient {
  query(sql: string, params?: readonly unknown[]): Promise<{ rows: Row[] }>;
}

export interface PgSession {
  readonly connection: Connection;
  readonly trx: Knex.Transaction;
  readonly client: SqlClient;
  /** Rolls the transaction back (nothing is ever committed) and closes the pool; never throws. */
  close(): Promise<void>;
}

async function openOnce(driver: pg.ClientConfig, s: SessionSettings): Promise<PgSession> {
  // One connection: the audit is one transaction; fleet scans get concurrency from many targets.
  const connection = openConnection({ dialect: 'postgres', driver }, s, { max: 1 });
  let trx: Knex.Transaction;
  try {
    trx = await readOnlySnapshot(connection.knex);
  } catch (err) {
    await destroyQuietly(connection);
    throw err;
  }
  const client: SqlClient = {
    query: async (sql, params = []) => ({ rows: await runSql(trx, 'postgres', sql, params) }),
  };
  let closed = false;
  return {
    connection,
    trx,
    client,
    async close() {
      if (closed) return;
      closed = true;
      await trx.rollback().catch(() => {});
      await destroyQuietly(connection);
    },
  };
}

/** Closes the pool, never waiting more than a moment (a half-open login must not keep the process alive). */
async function destroyQuietly(c: Connection): Promise<void> {
  await Promise.race([c.destroy().catch(() => {}), new Promise((r) => setTimeout(r, 2000).unref())]);
}

/**
 * Opens the audit session. `sslmode` is the URL's (libpq's) mode: with prefer or allow, a server
 * that does not support TLS is retried on a plain connection; other errors are the caller's to map.
 */
export async function openPgSession(driver: pg.ClientConfig, sslmode: string, s: SessionSettings): Promise<PgSession> {
  try {
    return await openOnce(driver, s);
  } catch (err) {
    const noSsl = /does not support SSL/i.test(String((err as Error)?.message));
    if ((sslmode === 'prefer' || sslmode === 'allow') && noSsl && driver.ssl) {
      return await openOnce({ ...driver, ssl: false }, s);
    }
    throw err;
  }
}
