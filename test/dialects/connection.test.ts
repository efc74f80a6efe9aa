/**
 * The knex connection layer against real servers: pooled connections are hardened in afterCreate
 * before their first use, the PostgreSQL audit transaction begins READ ONLY REPEATABLE READ as its
 * first statement, query files run as they are through knex.raw (numbered parameters, literal `?`),
 * rows stream with the cursor closed on early stop, and the pool holds nothing open while idle.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Connection,
  cursorBatches,
  openConnection,
  pinConnection,
  readOnlySnapshot,
  runFile,
  runSql,
  streamRows,
  toKnexRaw,
} from '../../src/dialects/connection.js';
import { keysetAfter } from '../../src/dialects/mysql/index.js';
import { parsePostgresUrl } from '../../src/dialects/postgres/index.js';
import { loadQuery } from '../../src/queries.js';
import { sharedMariadb } from '../support/mariadb-server.js';
import { acquirePostgres, type PgServer } from '../support/pg-server.js';

const SESSION = { statementTimeoutMs: 7_000, lockTimeoutMs: 3_000 };

describe('toKnexRaw (PostgreSQL numbered parameters → knex bindings)', () => {
  it('repeats a reused parameter, leaves comments, literals, dollar quotes and identifiers alone, escapes ?', () => {
    const sql = [
      '-- $2 = not a parameter here? no',
      'SELECT $1::int + $1::int AS twice, \'$1 ?\' AS lit, $q$ $2 ? $q$ AS dq, "a$1" AS id, $2::text AS two',
      '/* $1 ? */ FROM t WHERE j ? $2',
    ].join('\n');
    const q = toKnexRaw('postgres', sql, [5, 'x']);
    expect(q.bindings).toEqual([5, 5, 'x', 'x']);
    expect(q.sql).toBe(
      [
        '-- $2 = not a parameter here\\? no',
        'SELECT ?::int + ?::int AS twice, \'$1 \\?\' AS lit, $q$ $2 \\? $q$ AS dq, "a$1" AS id, ?::text AS two',
        '/* $1 \\? */ FROM t WHERE j \\? ?',
      ].join('\n'),
    );
  });

  it('a parameter without a value is an error, not a silent NULL', () => {
    expect(() => toKnexRaw('postgres', 'SELECT $3', [1, 2])).toThrow(/\$3 has no value/);
  });

  it('MySQL: ? bind in order; a ? in a comment (a substitution may put one there) is escaped, not bound', () => {
    expect(toKnexRaw('mysql', 'SELECT ? AS a', [1])).toEqual({ sql: 'SELECT ? AS a', bindings: [1] });
    expect(toKnexRaw('mysql', '-- after: A > ?\n# b ?\n/* ? */ SELECT ? AS a, `x` FROM t LIMIT ?', [1, 2])).toEqual({
      sql: '-- after: A > \\?\n# b \\?\n/* \\? */ SELECT ? AS a, `x` FROM t LIMIT ?',
      bindings: [1, 2],
    });
    expect(() => toKnexRaw('mysql', 'SELECT ?? FROM t', ['x'])).toThrow(/\?\?/);
    expect(() => toKnexRaw('mysql', "SELECT '?' AS q, ?", [1])).toThrow(/quoted/);
    expect(() => toKnexRaw('mysql', 'SELECT ?, ?', [1])).toThrow(/no value/);
    expect(() => toKnexRaw('mysql', 'SELECT ?', [1, 2])).toThrow(/2 values for 1 placeholders/);
  });
});

describe('knex stays quiet', () => {
  it('a refused connection is the driver error to the caller, and knex prints nothing of its own', async () => {
    const { createServer } = await import('node:net');
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const printed: unknown[] = [];
    const spies = (['log', 'warn', 'error'] as const).map((k) => {
      const orig = console[k];
      console[k] = (...a: unknown[]) => printed.push(a);
      return () => {
        console[k] = orig;
      };
    });
    const conn = openConnection(
      {
        dialect: 'postgres',
        driver: { host: '127.0.0.1', port, user: 'nobody', password: 'pw-never-printed', ssl: false },
      },
      SESSION,
    );
    try {
      await expect(runSql(conn.knex, 'postgres', 'SELECT 1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      for (const restore of spies) restore();
      await conn.destroy();
    }
    expect(printed).toEqual([]);
  });
});

describe('PostgreSQL through knex', () => {
  let server: PgServer | undefined;
  let conn: Connection | undefined;
  const db = `qa_knx_${process.pid}_${randomBytes(3).toString('hex')}`;
  const app = `qrtz-audit-knx-${randomBytes(4).toString('hex')}`;

  const admin = async (sql: string, params: unknown[] = [], database = 'postgres') => {
    const c = new pg.Client({ connectionString: server?.adminUrl(database) });
    await c.connect();
    try {
      return (await c.query(sql, params)).rows;
    } finally {
      await c.end();
    }
  };
  const backends = async () =>
    Number((await admin('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [app]))[0]?.n);

  beforeAll(async () => {
    const got = await acquirePostgres();
    if ('skip' in got) return;
    server = got;
    await admin(`CREATE DATABASE ${db}`);
    await admin('CREATE TABLE w (id int)', [], db);
    const { config } = parsePostgresUrl(server.adminUrl(db), {});
    conn = openConnection(
      { dialect: 'postgres', driver: { ...config, ssl: false } },
      { ...SESSION, applicationName: app },
      { max: 2 },
    );
  }, 120_000);

  afterAll(async () => {
    await conn?.destroy();
    if (server) {
      await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => {});
      await server.stop();
    }
  });

  it('the pool opens nothing until the first statement, and destroy closes what it opened', async (ctx) => {
    if (!server || !conn) return ctx.skip();
    expect(await backends()).toBe(0);
    const probe = openConnection(
      { dialect: 'postgres', driver: { ...parsePostgresUrl(server.adminUrl(db), {}).config, ssl: false } },
      { ...SESSION, applicationName: app },
    );
    await runSql(probe.knex, 'postgres', 'SELECT 1');
    expect(await backends()).toBe(1);
    await probe.destroy();
    expect(await backends()).toBe(0);
  });

  it('a fresh pooled connection sends only the hardening SETs before the audit statement (no knex version probe)', async (ctx) => {
    if (!server) return ctx.skip();
    const sent: string[] = [];
    const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
    const orig = proto.query;
    proto.query = function (this: unknown, ...args: unknown[]) {
      const q = args[0] as string | { text?: string };
      sent.push(typeof q === 'string' ? q : String(q?.text));
      return orig.apply(this, args);
    };
    const probe = openConnection(
      { dialect: 'postgres', driver: { ...parsePostgresUrl(server.adminUrl(db), {}).config, ssl: false } },
      { ...SESSION, applicationName: app },
    );
    try {
      await runSql(probe.knex, 'postgres', 'SELECT 1 AS one');
    } finally {
      proto.query = orig;
      await probe.destroy();
    }
    expect(sent).toEqual([
      'SET search_path = pg_catalog, pg_temp',
      'SET row_security = off',
      'SET default_transaction_read_only = on',
      'SELECT 1 AS one',
    ]);
  });

  it('every pooled connection is hardened before its first statement', async (ctx) => {
    if (!conn) return ctx.skip();
    const [s] = await runSql(
      conn.knex,
      'postgres',
      `SELECT pg_catalog.current_setting('search_path') AS search_path,
              pg_catalog.current_setting('row_security') AS row_security,
              pg_catalog.current_setting('default_transaction_read_only') AS ro,
              pg_catalog.current_setting('statement_timeout') AS st,
              pg_catalog.current_setting('lock_timeout') AS lt,
              pg_catalog.current_setting('application_name') AS app`,
    );
    expect(s).toEqual({
      search_path: 'pg_catalog, pg_temp',
      row_security: 'off',
      ro: 'on',
      st: '7s',
      lt: '3s',
      app,
    });
    // Outside any explicit transaction, a write is refused too.
    await expect(runSql(conn.knex, 'postgres', 'INSERT INTO public.w VALUES (1)')).rejects.toMatchObject({
      code: '25006',
    });
    expect((await admin('SELECT count(*)::int AS n FROM w', [], db))[0]?.n).toBe(0);
  });

  it('the audit transaction: BEGIN … REPEATABLE READ READ ONLY is the first statement; session-guard.sql agrees', async (ctx) => {
    if (!conn) return ctx.skip();
    const seen: string[] = [];
    const onQuery = (q: { sql: string }) => seen.push(q.sql);
    conn.knex.on('query', onQuery);
    const trx = await readOnlySnapshot(conn.knex);
    try {
      const [g] = await runFile(trx, 'postgres', 'session-guard');
      expect(g).toMatchObject({
        search_path: 'pg_catalog, pg_temp',
        row_security: 'off',
        read_only: 'on',
        isolation: 'repeatable read',
      });
      // Even with the session default turned off, this transaction stays read-only.
      await runSql(trx, 'postgres', 'SAVEPOINT s1');
      await expect(runSql(trx, 'postgres', 'SET transaction_read_only = off')).rejects.toMatchObject({
        code: '25001',
      });
      await runSql(trx, 'postgres', 'ROLLBACK TO SAVEPOINT s1');
    } finally {
      await trx.rollback().catch(() => {});
      conn.knex.off('query', onQuery);
    }
    expect(seen[0]).toBe('BEGIN TRANSACTION ISOLATION LEVEL repeatable read READ ONLY;');
    expect(seen[1]).toMatch(/^-- session-guard\.sql/);
  });

  it("a failed statement's error is the driver's, with the server's own message (no SQL prefixed by knex)", async (ctx) => {
    if (!conn) return ctx.skip();
    const err = await runSql(conn.knex, 'postgres', 'SELECT 1 / $1::int AS x', [0]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(pg.DatabaseError);
    expect(err).toMatchObject({ code: '22012', message: 'division by zero' });
  });

  it('query files with numbered parameters run as they are (discover-tables.sql: $1 schema, $2 names)', async (ctx) => {
    if (!conn) return ctx.skip();
    const rows = await runFile(conn.knex, 'postgres', 'discover-tables', ['public', ['w', 'qrtz_locks']]);
    expect(rows.map((r) => r.name)).toEqual(['w']);
  });

  it('cursorBatches: one FETCH per batch, all rows, cursor closed when the consumer stops early', async (ctx) => {
    if (!conn) return ctx.skip();
    const trx = await readOnlySnapshot(conn.knex);
    try {
      const sizes: number[] = [];
      for await (const b of cursorBatches(trx, 'SELECT g FROM pg_catalog.generate_series(1, $1::int) g', [1000], 256)) {
        sizes.push(b.length);
      }
      expect(sizes).toEqual([256, 256, 256, 232]);
      for await (const _b of cursorBatches(trx, 'SELECT g FROM pg_catalog.generate_series(1, 10000) g', [], 10)) break;
      // Closed: the same cursor name can be declared again in this transaction.
      let n = 0;
      for await (const b of cursorBatches(trx, 'SELECT 1 AS one', [], 10)) n += b.length;
      expect(n).toBe(1);
    } finally {
      await trx.rollback().catch(() => {});
    }
  });

  it('the statement timeout bounds one FETCH, not the stream', async (ctx) => {
    if (!server || !conn) return ctx.skip();
    const slow = openConnection(
      { dialect: 'postgres', driver: { ...parsePostgresUrl(server.adminUrl(db), {}).config, ssl: false } },
      { statementTimeoutMs: 400, lockTimeoutMs: 300, applicationName: app },
    );
    try {
      const trx = await readOnlySnapshot(slow.knex);
      try {
        // 6 batches of ~150 ms each: 900 ms in all, each FETCH well under the 400 ms bound.
        let rows = 0;
        const sql = 'SELECT g, pg_catalog.pg_sleep(0.05) FROM pg_catalog.generate_series(1, 18) g';
        for await (const b of cursorBatches(trx, sql, [], 3)) rows += b.length;
        expect(rows).toBe(18);
      } finally {
        await trx.rollback().catch(() => {});
      }
    } finally {
      await slow.destroy();
    }
  });

  it('streamRows (knex .stream() over pg-query-stream) yields every row', async (ctx) => {
    if (!conn) return ctx.skip();
    let n = 0;
    let sum = 0;
    for await (const r of streamRows(
      conn.knex,
      'postgres',
      'SELECT g FROM pg_catalog.generate_series(1, $1::int) g',
      [5000],
    )) {
      n++;
      sum += Number(r.g);
    }
    expect(n).toBe(5000);
    expect(sum).toBe((5000 * 5001) / 2);
  });
});

describe('MariaDB through knex', () => {
  let available = false;
  let conn: Connection | undefined;
  const db = `qa_knx_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = () => mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });

  beforeAll(async () => {
    const probe = await sharedMariadb();
    if (!probe.ok) {
      console.warn(`SKIPPED: ${probe.reason}`);
      return;
    }
    available = true;
    const a = await admin();
    try {
      await a.query(`CREATE DATABASE \`${db}\``);
      await a.query(`CREATE TABLE \`${db}\`.w (id INT PRIMARY KEY, b LONGBLOB)`);
      await a.query(
        `INSERT INTO \`${db}\`.w VALUES ${Array.from({ length: 500 }, (_, i) => `(${i}, REPEAT('x', 100))`).join(',')}`,
      );
    } finally {
      await a.end();
    }
    conn = openConnection(
      { dialect: 'mysql', driver: { host: '127.0.0.1', port: 3306, user: 'root', database: db } },
      SESSION,
    );
  }, 60_000);

  afterAll(async () => {
    await conn?.destroy();
    if (available) {
      const a = await admin();
      await a.query(`DROP DATABASE IF EXISTS \`${db}\``).catch(() => {});
      await a.end();
    }
  });

  it('afterCreate detects the flavour and takes the session limits before the first statement', async (ctx) => {
    if (!conn) return ctx.skip();
    const [s] = await runSql(
      conn.knex,
      'mysql',
      'SELECT @@session.tx_read_only AS ro, @@session.max_statement_time AS st, @@session.lock_wait_timeout AS lw, @@session.innodb_lock_wait_timeout AS ilw',
    );
    expect(conn.server.flavour).toBe('mariadb');
    expect(s).toMatchObject({ ro: '1', lw: '3', ilw: '3' });
    expect(Number(s?.st)).toBe(7);
    await expect(runSql(conn.knex, 'mysql', 'INSERT INTO w VALUES (1000, NULL)')).rejects.toMatchObject({
      errno: 1792,
    });
  });

  it("a failed statement's error keeps the server's message (no SQL prefixed by knex)", async (ctx) => {
    if (!conn) return ctx.skip();
    const err = await runSql(conn.knex, 'mysql', 'SELECT * FROM no_such_table WHERE id = ?', [1]).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ errno: 1146, message: `Table '${db}.no_such_table' doesn't exist` });
  });

  it('query files run as they are (database_exists.sql)', async (ctx) => {
    if (!conn) return ctx.skip();
    expect(await runFile(conn.knex, 'mysql', 'database_exists', [db])).toHaveLength(1);
    expect(await runFile(conn.knex, 'mysql', 'database_exists', [`${db}_none`])).toHaveLength(0);
  });

  it('blob_sizes.sql with a keyset condition substituted into its comment too runs through knex.raw', async (ctx) => {
    if (!conn) return ctx.skip();
    const keys = ['id'];
    const { after, params } = keysetAfter(keys, [10]);
    const rows = await runFile(conn.knex, 'mysql', 'blob_sizes', [1_000_000, ...params, 5], {
      table: `\`${db}\`.\`w\``,
      keys: 'id',
      size: 'LENGTH(b)',
      after,
    });
    expect(rows.map((r) => Number(r.id))).toEqual([11, 12, 13, 14, 15]);
    expect(rows.every((r) => Number(r.SZ) === 100)).toBe(true);
  });

  it('a pinned connection (the adapter session) runs on its hardened connection with the same rows, binding and errors as knex.raw', async (ctx) => {
    if (!conn) return ctx.skip();
    const pinned = await pinConnection(conn);
    // Handed straight to the driver connection the pin holds: knex's query runner sees none of its statements.
    const throughRunner: string[] = [];
    const onQuery = (q: { sql: string }) => throughRunner.push(q.sql);
    conn.knex.on('query', onQuery);
    try {
      // The session limits afterCreate set, on the connection the pin holds; a write is still refused.
      const [s] = await pinned.run(
        'SELECT @@session.tx_read_only AS ro, @@session.max_statement_time AS st, @@session.lock_wait_timeout AS lw',
      );
      expect(s).toMatchObject({ ro: '1', lw: '3' });
      expect(Number(s?.st)).toBe(7);
      await expect(pinned.run('INSERT INTO w VALUES (1001, NULL)')).rejects.toMatchObject({ errno: 1792 });
      // A keyset condition substituted into the file's comment too: its ? there is not bound.
      const { after, params } = keysetAfter(['id'], [10]);
      const subs = { table: `\`${db}\`.\`w\``, keys: 'id', size: 'LENGTH(b)', after };
      const sql = loadQuery('mysql', 'blob_sizes', subs);
      const viaPin = await pinned.run(sql, [1_000_000, ...params, 5]);
      expect(viaPin.map((r) => Number(r.id))).toEqual([11, 12, 13, 14, 15]);
      expect(viaPin).toEqual(await runFile(conn.knex, 'mysql', 'blob_sizes', [1_000_000, ...params, 5], subs));
      // Blobs come as Buffers, NULL as null, as through knex.
      const [b] = await pinned.run('SELECT b, NULL AS n FROM w WHERE id = ?', [3]);
      expect(Buffer.isBuffer(b?.b) && b.b.toString()).toBe('x'.repeat(100));
      expect(b?.n).toBeNull();
      // The same placeholder rules as every statement: a value too many is an error before anything is sent.
      await expect(pinned.run('SELECT ? AS a', [1, 2])).rejects.toThrow('2 values for 1 placeholders');
      const err = await pinned.run('SELECT * FROM no_such_table WHERE id = ?', [1]).catch((e: unknown) => e);
      expect(err).toMatchObject({ errno: 1146, message: `Table '${db}.no_such_table' doesn't exist` });
      expect(throughRunner).toEqual([expect.stringMatching(/^-- blob_sizes\.sql/)]);
    } finally {
      conn.knex.off('query', onQuery);
      await pinned.release();
    }
    await expect(pinned.run('SELECT 1')).rejects.toThrow('connection released');
  });

  it('streamRows yields every row and stops cleanly when the consumer does', async (ctx) => {
    if (!conn) return ctx.skip();
    let n = 0;
    for await (const r of streamRows(conn.knex, 'mysql', 'SELECT id, b FROM w ORDER BY id', [])) {
      expect(Buffer.isBuffer(r.b)).toBe(true);
      n++;
    }
    expect(n).toBe(500);
    for await (const _r of streamRows(conn.knex, 'mysql', 'SELECT id FROM w', [])) break;
    // The pooled connection is usable again after an early stop.
    expect(await runSql(conn.knex, 'mysql', 'SELECT COUNT(*) AS n FROM w')).toEqual([{ n: '500' }]);
  });
});
