/**
 * #14 part 6: the progress total. Each adapter's countBlobRows() (queries/<db>/blob-count.sql) counts exactly
 * the rows blobRows() then streams — on the demo's SQLite store, a throwaway PostgreSQL database and a throwaway
 * MariaDB database with rows in JOB_DETAILS, TRIGGERS and CALENDARS — and the engine's progress hooks see the
 * phases in order, that total, and one blob() per streamed row. A table the auditor cannot read leaves the total
 * unknown (the scan itself goes on).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapterFor } from '../../src/dialects/index.js';
import { runScan, type ScanProgress } from '../../src/engine.js';
import { FAMILIES, type Family } from '../../src/model.js';
import { connectOptions, createQuartzDb as createMariadbQuartzDb, uniq } from '../integration/mysql/helpers.js';
import { runCli } from '../support/cli.js';
import { dbRequired, sharedMariadb } from '../support/mariadb-server.js';
import { createQuartzDb, dropAll } from '../support/pg-quartz.js';
import { acquirePostgres, adminSql, type PgServer } from '../support/pg-server.js';

const ALL = new Set<Family>(FAMILIES);

/** Scans through the engine with recording progress hooks. */
async function scanWithProgress(url: string, extra: Parameters<typeof connectOptions>[1] = {}) {
  const options = connectOptions(url, { families: ALL, ...extra });
  const adapter = await adapterFor(options);
  await adapter.connect();
  const events: string[] = [];
  let total: number | undefined | 'unset' = 'unset';
  let blobs = 0;
  const progress: ScanProgress = {
    phase: (p) => events.push(p),
    blobsStart: (t) => {
      total = t;
      events.push('start');
    },
    blob: () => {
      blobs++;
    },
    blobsEnd: () => events.push('end'),
  };
  try {
    const result = await runScan(adapter, { families: ALL, checkOptions: {}, progress });
    return { events, total, blobs, result };
  } finally {
    await adapter.close();
  }
}

describe('SQLite: the count matches the stream', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qrtz-blob-count-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('total = rows streamed; phases in order; the result carries the count', async () => {
    const store = join(dir, 'q.db');
    expect((await runCli(['demo', '--keep', store, '--quiet', '--format', 'json'])).code).toBe(0);
    const r = await scanWithProgress(`sqlite:${store}`);
    expect(r.events).toEqual(['catalog', 'count', 'blobs', 'start', 'end', 'checks']);
    expect(r.blobs).toBeGreaterThan(5);
    expect(r.total).toBe(r.blobs);
    expect(r.result.blobRowsTotal).toBe(r.blobs);
  });

  it('without a progress hook nothing is counted', async () => {
    const store = join(dir, 'q.db');
    const adapter = await adapterFor(connectOptions(`sqlite:${store}`, { families: ALL }));
    await adapter.connect();
    try {
      const result = await runScan(adapter, { families: ALL, checkOptions: {} });
      expect(result.blobRowsTotal).toBeUndefined();
    } finally {
      await adapter.close();
    }
  });
});

const pg = await acquirePostgres();
const pgServer = 'skip' in pg ? undefined : (pg as PgServer);
if (!pgServer) console.warn(`[skip] blob count on PostgreSQL: ${(pg as { skip: string }).skip}`);
const P = `qbc${process.pid}`;
const PG_DB = `${P}_jobs`;
const PG_ROLES = [`${P}_owner`, `${P}_auditor`, `${P}_partial`];

describe.skipIf(!pgServer)('PostgreSQL: the count matches the stream', () => {
  const s = pgServer as PgServer;
  beforeAll(async () => {
    await dropAll(s, [PG_DB], PG_ROLES);
    await adminSql(s, 'postgres', `CREATE ROLE ${P}_auditor LOGIN; CREATE ROLE ${P}_partial LOGIN;`);
    await createQuartzDb(s, PG_DB, 'quartz', `${P}_owner`);
    await adminSql(
      s,
      PG_DB,
      `INSERT INTO quartz.qrtz_job_details (sched_name, job_name, job_group, job_class_name, is_durable,
         is_nonconcurrent, is_update_data, requests_recovery, job_data)
       SELECT 'S', 'job' || g, 'grp', 'Bench.Job', false, false, false, false, convert_to(repeat('x', g), 'UTF8')
       FROM generate_series(1, 1234) g;
       INSERT INTO quartz.qrtz_triggers (sched_name, trigger_name, trigger_group, job_name, job_group, trigger_state,
         trigger_type, start_time, job_data)
       SELECT 'S', 't' || g, 'grp', 'job' || g, 'grp', 'WAITING', 'SIMPLE', 0, NULL FROM generate_series(1, 56) g;
       INSERT INTO quartz.qrtz_calendars (sched_name, calendar_name, calendar) VALUES ('S', 'c1', '\\x00'::bytea);
       GRANT USAGE ON SCHEMA quartz TO ${P}_auditor, ${P}_partial;
       GRANT SELECT ON ALL TABLES IN SCHEMA quartz TO ${P}_auditor, ${P}_partial;
       REVOKE SELECT ON quartz.qrtz_calendars FROM ${P}_partial;`,
    );
  }, 120_000);
  afterAll(async () => {
    await dropAll(s, [PG_DB], PG_ROLES);
  });

  it('total = rows streamed = 1,234 jobs + 56 triggers + 1 calendar', async () => {
    const r = await scanWithProgress(`postgres://${P}_auditor@127.0.0.1:${s.port}/${PG_DB}?sslmode=disable`, {
      schema: 'quartz',
      serviceAccount: `${P}_auditor`,
    });
    expect(r.blobs).toBe(1234 + 56 + 1);
    expect(r.total).toBe(r.blobs);
    expect(r.events).toEqual(['catalog', 'count', 'blobs', 'start', 'end', 'checks']);
  });

  it('a table the auditor cannot read: total unknown, the scan goes on and says what it could not read', async () => {
    const r = await scanWithProgress(`postgres://${P}_partial@127.0.0.1:${s.port}/${PG_DB}?sslmode=disable`, {
      schema: 'quartz',
      serviceAccount: `${P}_auditor`,
    });
    expect(r.total).toBeUndefined();
    expect(r.result.blobRowsTotal).toBeUndefined();
    expect(r.blobs).toBe(1234 + 56);
    expect(r.result.facts.unreadable.some((u) => u.cause === 'privilege')).toBe(true);
  });
});

const maria = await sharedMariadb();
if (!maria.ok) {
  if (dbRequired()) throw new Error(`QRTZ_REQUIRE_DB is set but ${maria.reason}`);
  console.warn(`[skip] blob count on MariaDB: ${maria.reason}`);
}
const HOST = process.env.QRTZ_MYSQL_HOST ?? '127.0.0.1';
const PORT = Number(process.env.QRTZ_MYSQL_PORT ?? 3306);

describe.skipIf(!maria.ok)('MariaDB: the count matches the stream', () => {
  const db = `qa_${uniq()}_count`;
  let root: mysql.Connection;
  beforeAll(async () => {
    root = await mysql.createConnection({ host: HOST, port: PORT, user: 'root', multipleStatements: true });
    await createMariadbQuartzDb(root, db);
    await root.query(
      `INSERT INTO QRTZ_JOB_DETAILS (SCHED_NAME, JOB_NAME, JOB_GROUP, JOB_CLASS_NAME, IS_DURABLE, IS_NONCONCURRENT,
         IS_UPDATE_DATA, REQUESTS_RECOVERY, JOB_DATA)
       SELECT 'S', CONCAT('job', seq), 'grp', 'Bench.Job', 0, 0, 0, 0, REPEAT('x', seq) FROM seq_1_to_777`,
    );
    await root.query(
      `INSERT INTO QRTZ_CALENDARS (SCHED_NAME, CALENDAR_NAME, CALENDAR) VALUES ('S', 'c1', X'00'), ('S', 'c2', X'01')`,
    );
  });
  afterAll(async () => {
    await root.query(`DROP DATABASE IF EXISTS \`${db}\``).catch(() => {});
    await root.end();
  });

  it('total = rows streamed = 777 jobs + 2 calendars', async () => {
    const r = await scanWithProgress(`mysql://root@${HOST}:${PORT}/${db}`, { serviceAccount: 'root@localhost' });
    expect(r.blobs).toBe(777 + 2);
    expect(r.total).toBe(r.blobs);
    expect(r.events).toEqual(['catalog', 'count', 'blobs', 'start', 'end', 'checks']);
  });
});
