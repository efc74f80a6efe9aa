/**
 * Issue #10 parts 2 and 4 on MariaDB: a lock or statement timeout costs only what hit it (an Unreadable with the
 * table and cause; blob tables through blobRows(onUnreadable)), and blob rows are read in keyset batches cut by
 * bytes, so the statement timeout bounds one round trip, never the whole stream.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOB_BATCH_BYTES, createMysqlAdapter, rowsWithin } from '../../../src/dialects/mysql/index.js';
import type { BlobRow, Unreadable } from '../../../src/model.js';
import { dbRequired, sharedMariadb } from '../../support/mariadb-server.js';
import { connectOptions, createQuartzDb, uniq } from './helpers.js';

const shared = await sharedMariadb();
if (!shared.ok) {
  if (dbRequired()) throw new Error(`QRTZ_REQUIRE_DB is set but ${shared.reason}`);
  console.warn(`[skip] mysql/timeouts: ${shared.reason}`);
}
const HOST = process.env.QRTZ_MYSQL_HOST ?? '127.0.0.1';
const PORT = Number(process.env.QRTZ_MYSQL_PORT ?? 3306);

describe('rowsWithin', () => {
  it('cuts a batch by bytes, at least one row', () => {
    expect(rowsWithin([10, 10, 10], 1 << 20)).toBe(3);
    expect(rowsWithin([16 << 20, 16 << 20, 16 << 20], 32 << 20)).toBe(2);
    expect(rowsWithin([64 << 20, 1], 32 << 20)).toBe(1);
    expect(rowsWithin(new Array(100).fill(17 << 20), 32 << 20)).toBe(1);
  });
});

describe.skipIf(!shared.ok)('MariaDB timeouts', () => {
  const db = `qa_${uniq()}_timeouts`;
  let root: mysql.Connection;
  const url = `mysql://root@${HOST}:${PORT}/${db}`;

  beforeAll(async () => {
    root = await mysql.createConnection({ host: HOST, port: PORT, user: 'root' });
    await createQuartzDb(root, db);
    // 2,500 jobs of 4 KiB: ~10 MB, more than the socket buffers hold, so one streaming statement outlives a slow reader.
    await root.query(
      `INSERT INTO \`${db}\`.QRTZ_JOB_DETAILS SELECT 'S', CONCAT('j', LPAD(seq, 5, '0')), 'G', NULL, 'Contoso.Job, Contoso', 0, 0, 0, 0, REPEAT('x', 4096) FROM seq_1_to_2500`,
    );
    await root.query(
      `INSERT INTO \`${db}\`.QRTZ_TRIGGERS (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP, JOB_NAME, JOB_GROUP, TRIGGER_STATE, TRIGGER_TYPE, START_TIME, NEXT_FIRE_TIME) VALUES ('S', 't1', 'G', 'j00001', 'G', 'WAITING', 'SIMPLE', 1, 1)`,
    );
  }, 60_000);

  afterAll(async () => {
    await root?.query(`DROP DATABASE IF EXISTS \`${db}\``);
    await root?.end();
  });

  it('a blob stream longer than the statement timeout completes, every row once, in key order', async () => {
    const a = createMysqlAdapter(connectOptions(url, { statementTimeoutMs: 400, families: new Set(['content']) }));
    await a.connect();
    const rows: BlobRow[] = [];
    const unreadable: Unreadable[] = [];
    const started = Date.now();
    try {
      await a.collectFacts();
      for await (const r of a.blobRows((u) => unreadable.push(u))) {
        rows.push(r);
        if (rows.length % 100 === 0) await sleep(40); // a slow consumer: the whole stream takes > 1 s
      }
    } finally {
      await a.close();
    }
    expect(Date.now() - started).toBeGreaterThan(800);
    expect(unreadable).toEqual([]);
    const jobs = rows.filter((r) => r.table === 'JOB_DETAILS');
    expect(jobs).toHaveLength(2500);
    expect(new Set(jobs.map((r) => r.key.name)).size).toBe(2500);
    expect(jobs[0]?.bytes).toBeInstanceOf(Buffer);
    expect(jobs[0]?.bytes?.length).toBe(4096);
  }, 60_000);

  it('batches are cut by bytes: 12 rows of 6 MiB never come more than 32 MiB at a time; blobs stay Buffers', async () => {
    const big = `qa_${uniq()}_big`;
    await createQuartzDb(root, big);
    try {
      await root.query(`ALTER TABLE \`${big}\`.QRTZ_JOB_DETAILS MODIFY JOB_DATA LONGBLOB NULL`);
      await root.query(
        `INSERT INTO \`${big}\`.QRTZ_JOB_DETAILS SELECT 'S', CONCAT('j', LPAD(seq, 3, '0')), 'G', NULL, 'C', 0, 0, 0, 0, REPEAT('x', 6291456) FROM seq_1_to_12`,
      );
      const a = createMysqlAdapter(
        connectOptions(`mysql://root@${HOST}:${PORT}/${big}`, {
          maxBlobSize: 16 << 20,
          families: new Set(['content']),
        }),
      );
      // Record the bytes each data batch brought back.
      const inner = a as unknown as {
        query: (n: string, p?: unknown[], s?: Record<string, string>) => Promise<unknown[]>;
      };
      const original = inner.query.bind(a);
      const batches: number[] = [];
      inner.query = async (n, p, s) => {
        const rows = await original(n, p, s);
        if (n === 'blob_job_details')
          batches.push((rows as { BYTES: Buffer | null }[]).reduce((t, r) => t + (r.BYTES?.length ?? 0), 0));
        return rows;
      };
      await a.connect();
      const rows: BlobRow[] = [];
      try {
        await a.collectFacts();
        for await (const r of a.blobRows()) rows.push(r);
      } finally {
        await a.close();
      }
      const jobs = rows.filter((r) => r.table === 'JOB_DETAILS');
      expect(jobs).toHaveLength(12);
      expect(jobs.every((r) => Buffer.isBuffer(r.bytes) && r.bytes.length === 6291456)).toBe(true);
      expect(batches.length).toBeGreaterThanOrEqual(3);
      expect(Math.max(...batches)).toBeLessThanOrEqual(BLOB_BATCH_BYTES);
    } finally {
      await root.query(`DROP DATABASE IF EXISTS \`${big}\``);
    }
  }, 120_000);

  it('a table locked by another session is unreadable (table, cause); everything else is read', async () => {
    const locker = await mysql.createConnection({ host: HOST, port: PORT, user: 'root', database: db });
    await locker.query('LOCK TABLES QRTZ_TRIGGERS WRITE');
    try {
      const a = createMysqlAdapter(connectOptions(url, { lockTimeoutMs: 1000 }));
      await a.connect();
      const unreadable: Unreadable[] = [];
      const rows: BlobRow[] = [];
      let facts: Awaited<ReturnType<typeof a.collectFacts>>;
      try {
        facts = await a.collectFacts();
        for await (const r of a.blobRows((u) => unreadable.push(u))) rows.push(r);
      } finally {
        await a.close();
      }
      const all = [...facts.unreadable, ...(facts.scheduler?.unreadable ?? [])];
      expect(all.some((u) => u.table === 'QRTZ_TRIGGERS' && u.cause === 'lock-timeout')).toBe(true);
      expect(unreadable).toEqual([
        expect.objectContaining({ what: 'blobs.TRIGGERS', table: 'QRTZ_TRIGGERS', cause: 'lock-timeout' }),
      ]);
      expect(rows.filter((r) => r.table === 'JOB_DETAILS')).toHaveLength(2500);
      expect(facts.scheduler?.schedulerStates).toBeDefined();
    } finally {
      await locker.query('UNLOCK TABLES');
      await locker.end();
    }
  }, 120_000);
});
