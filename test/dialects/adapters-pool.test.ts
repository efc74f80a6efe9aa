/**
 * The PostgreSQL and MySQL/MariaDB adapters run over the knex connection layer: one connection to
 * the audited server for the whole audit (a pool of one), hardened before the first statement, and
 * nothing left open after close() — including after a consumer stops reading blobs early.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectOptions } from '../../src/dialect.js';
import { createMysqlAdapter } from '../../src/dialects/mysql/index.js';
import { createPostgresAdapter } from '../../src/dialects/postgres/index.js';
import { FAMILIES } from '../../src/model.js';
import { createQuartzDb as createMysqlQuartzDb } from '../integration/mysql/helpers.js';
import { sharedMariadb } from '../support/mariadb-server.js';
import { createQuartzDb, dropAll } from '../support/pg-quartz.js';
import { acquirePostgres, adminSql, type PgServer } from '../support/pg-server.js';

function options(url: string): ConnectOptions {
  return {
    url,
    tablePrefix: 'QRTZ_',
    allowPrincipals: [],
    families: new Set(FAMILIES),
    statementTimeoutMs: 30_000,
    lockTimeoutMs: 2_000,
    connectTimeoutMs: 5_000,
    maxBlobSize: 1024 * 1024,
    attestations: {},
  };
}

describe('PostgreSQL adapter over the connection layer', () => {
  let server: PgServer | undefined;
  const db = `qa_knxpool_${process.pid}_${randomBytes(3).toString('hex')}`;
  const backends = async () =>
    Number(
      (
        await adminSql(
          server as PgServer,
          'postgres',
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'qrtz-audit'",
          [db],
        )
      ).rows[0]?.n,
    );

  beforeAll(async () => {
    const got = await acquirePostgres();
    if ('skip' in got) return;
    server = got;
    await createQuartzDb(server, db, 'public', 'qa_knxpool_owner');
    await adminSql(
      server,
      db,
      `INSERT INTO qrtz_job_details (sched_name, job_name, job_group, job_class_name, is_durable, is_nonconcurrent,
         is_update_data, requests_recovery, job_data)
       SELECT 'S', 'job' || g, 'grp', 'Bench.Job', false, false, false, false, '\\x00'::bytea
       FROM generate_series(1, 600) g`,
    );
  }, 120_000);

  afterAll(async () => {
    if (server) {
      try {
        await dropAll(server, [db], ['qa_knxpool_owner']);
      } finally {
        await server.stop();
      }
    }
  });

  it('one hardened connection for the whole audit, none after close (also after an early stop)', async (ctx) => {
    if (!server) return ctx.skip();
    const adapter = createPostgresAdapter(options(server.adminUrl(db)));
    expect(adapter.capabilities).toEqual({ consistentSnapshot: true, viaConnectionLayer: true });
    await adapter.connect();
    try {
      expect(await backends()).toBe(1);
      await adapter.collectFacts();
      let n = 0;
      for await (const _row of adapter.blobRows()) if (++n === 300) break;
      expect(n).toBe(300);
      // The transaction is still usable after the early stop: a full read runs on the same connection.
      let all = 0;
      for await (const _row of adapter.blobRows()) all++;
      expect(all).toBe(600);
      expect(await backends()).toBe(1);
    } finally {
      await adapter.close();
    }
    expect(await backends()).toBe(0);
  });
});

describe('MySQL/MariaDB adapter over the connection layer', () => {
  let available = false;
  const db = `qa_knxpool_${process.pid}_${randomBytes(3).toString('hex')}`;
  const user = `qa_knx_${randomBytes(4).toString('hex')}`;
  const admin = () => mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
  const sessions = async () => {
    const a = await admin();
    try {
      const [rows] = await a.query('SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE USER = ?', [user]);
      return Number((rows as { n: number }[])[0]?.n);
    } finally {
      await a.end();
    }
  };

  beforeAll(async () => {
    const probe = await sharedMariadb();
    if (!probe.ok) {
      console.warn(`SKIPPED: ${probe.reason}`);
      return;
    }
    available = true;
    const a = await admin();
    try {
      await createMysqlQuartzDb(a, db);
      await a.query(`CREATE USER '${user}'@'%'`);
      await a.query(`GRANT SELECT ON \`${db}\`.* TO '${user}'@'%'`);
    } finally {
      await a.end();
    }
  }, 60_000);

  afterAll(async () => {
    if (!available) return;
    const a = await admin();
    await a.query(`DROP DATABASE IF EXISTS \`${db}\``).catch(() => {});
    await a.query(`DROP USER IF EXISTS '${user}'@'%'`).catch(() => {});
    await a.end();
  });

  it('one connection, read-only with its limits, for the whole audit; none after close', async (ctx) => {
    if (!available) return ctx.skip();
    const adapter = createMysqlAdapter(options(`mariadb://${user}@127.0.0.1:3306/${db}`));
    expect(adapter.capabilities).toEqual({ viaConnectionLayer: true });
    await adapter.connect();
    try {
      await adapter.collectFacts();
      expect(await sessions()).toBe(1);
      for await (const _row of adapter.blobRows()) {
        // empty store: nothing to read
      }
      expect(await sessions()).toBe(1);
    } finally {
      await adapter.close();
    }
    expect(await sessions()).toBe(0);
  });
});
