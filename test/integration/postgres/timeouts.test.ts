/**
 * Timeouts and sizes on a throwaway PostgreSQL (issue #10): a lock or statement timeout on one Quartz
 * table becomes an Unreadable (table, cause) and everything else is read; the blob stream is an
 * explicit cursor, so the statement timeout bounds each FETCH, never the whole stream; batches are
 * bounded by bytes (heavy rows come alone, as Buffers) and --max-blob-size is not an int4.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectOptions } from '../../../src/dialect.js';
import { BATCH_ROWS, createPostgresAdapter, INLINE_ROW_BYTES } from '../../../src/dialects/postgres/index.js';
import { type BlobRow, FAMILIES, type Unreadable } from '../../../src/model.js';
import { createQuartzDb } from '../../support/pg-quartz.js';
import { acquirePostgres, adminSql, type PgServer } from '../../support/pg-server.js';

const got = await acquirePostgres({ fresh: true });
const server = 'skip' in got ? undefined : (got as PgServer);
const DB = 'jobs';
const ROWS = 300;

function options(s: PgServer, over: Partial<ConnectOptions> = {}): ConnectOptions {
  return {
    url: `postgres://postgres@127.0.0.1:${s.port}/${DB}?sslmode=disable`,
    schema: 'quartz',
    tablePrefix: 'QRTZ_',
    serviceAccount: 'postgres',
    allowPrincipals: [],
    families: new Set(FAMILIES),
    statementTimeoutMs: 30_000,
    lockTimeoutMs: 5_000,
    connectTimeoutMs: 5_000,
    maxBlobSize: 16 * 1024 * 1024,
    attestations: {},
    ...over,
  };
}

async function readAll(
  s: PgServer,
  over: Partial<ConnectOptions>,
  perRow?: () => Promise<void>,
): Promise<{
  rows: BlobRow[];
  unreadable: Unreadable[];
  facts: Awaited<ReturnType<ReturnType<typeof createPostgresAdapter>['collectFacts']>>;
}> {
  const adapter = createPostgresAdapter(options(s, over));
  await adapter.connect();
  try {
    const facts = await adapter.collectFacts();
    const rows: BlobRow[] = [];
    const unreadable: Unreadable[] = [];
    for await (const row of adapter.blobRows((u) => unreadable.push(u))) {
      rows.push(row);
      if (perRow) await perRow();
    }
    return { rows, unreadable, facts };
  } finally {
    await adapter.close();
  }
}

describe.skipIf(!server)('PostgreSQL timeouts and batch sizes', () => {
  const s = server as PgServer;
  beforeAll(async () => {
    await createQuartzDb(s, DB, 'quartz', 'quartz_owner');
    await adminSql(
      s,
      DB,
      `INSERT INTO quartz.qrtz_job_details
         SELECT 'S', 'job' || i, 'G', 'd' || i, 'App.Jobs.J', true, false, false, false,
                decode(repeat('ab', 512), 'hex')
         FROM generate_series(1, ${ROWS}) i;
       -- Heavy rows: they travel alone, outside the batches.
       INSERT INTO quartz.qrtz_job_details
         SELECT 'S', 'big' || i, 'H', NULL, 'App.Jobs.Big', true, false, false, false,
                decode(repeat(lpad(to_hex(i), 2, '0'), 300000), 'hex')
         FROM generate_series(1, 3) i;
       INSERT INTO quartz.qrtz_triggers (sched_name, trigger_name, trigger_group, job_name, job_group, trigger_state, trigger_type, start_time, job_data)
         VALUES ('S', 't1', 'G', 'job1', 'G', 'WAITING', 'SIMPLE', 638000000000000000, '\\x00');`,
    );
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
  });

  it('a stream that lasts longer than the statement timeout completes (each FETCH is its own statement)', async () => {
    const t0 = Date.now();
    const { rows, unreadable } = await readAll(
      s,
      { statementTimeoutMs: 400, families: new Set(['content']) },
      () => new Promise((r) => setTimeout(r, 4)),
    );
    expect(Date.now() - t0).toBeGreaterThan(1000);
    expect(unreadable).toEqual([]);
    expect(rows.filter((r) => r.table === 'JOB_DETAILS')).toHaveLength(ROWS + 3);
  }, 60_000);

  it('heavy rows come alone and whole, as Buffers; --max-blob-size bounds them and is not an int4', async () => {
    expect(300_000).toBeGreaterThan(INLINE_ROW_BYTES);
    const { rows } = await readAll(s, { families: new Set(['content']), maxBlobSize: 2_147_483_648 });
    const big = rows.filter((r) => r.key.group === 'H').sort((a, b) => a.key.name.localeCompare(b.key.name));
    expect(big.map((r) => [r.key.name, r.size, r.bytes?.length, r.jobClassName])).toEqual([
      ['big1', 300_000, 300_000, 'App.Jobs.Big'],
      ['big2', 300_000, 300_000, 'App.Jobs.Big'],
      ['big3', 300_000, 300_000, 'App.Jobs.Big'],
    ]);
    expect(big.every((r, i) => Buffer.isBuffer(r.bytes) && r.bytes.every((b) => b === i + 1))).toBe(true);
    const small = rows.find((r) => r.key.name === 'job7');
    expect([small?.size, small?.bytes?.toString('hex'), small?.description]).toEqual([512, 'ab'.repeat(512), 'd7']);
    const cut = await readAll(s, { families: new Set(['content']), maxBlobSize: 1000 });
    const bigCut = cut.rows.find((r) => r.key.name === 'big2');
    expect([bigCut?.size, bigCut?.bytes?.length, bigCut?.bytes?.[999]]).toEqual([300_000, 1000, 2]);
    expect(BATCH_ROWS * INLINE_ROW_BYTES).toBeLessThanOrEqual(16 * 1024 * 1024);
  }, 60_000);

  it('a partitioned Quartz table is read through its parent, heavy rows included (tableoid + ctid)', async () => {
    await adminSql(
      s,
      DB,
      `CREATE SCHEMA parted;
       CREATE TABLE parted.qrtz_job_details (LIKE quartz.qrtz_job_details) PARTITION BY LIST (sched_name);
       CREATE TABLE parted.jd_s PARTITION OF parted.qrtz_job_details FOR VALUES IN ('S');
       CREATE TABLE parted.jd_t PARTITION OF parted.qrtz_job_details FOR VALUES IN ('T');
       INSERT INTO parted.qrtz_job_details
         SELECT sched, 'big', 'H', NULL, 'App.Jobs.Big', true, false, false, false,
                decode(repeat(CASE sched WHEN 'S' THEN '01' ELSE '02' END, 200000), 'hex')
         FROM unnest(ARRAY['S', 'T']) sched;
       INSERT INTO parted.qrtz_job_details VALUES ('T', 'small', 'G', NULL, 'App.Jobs.J', true, false, false, false, '\\x0a0b');`,
    );
    const { rows, unreadable, facts } = await readAll(s, { schema: 'parted', families: new Set(['content']) });
    expect(unreadable).toEqual([]);
    expect(facts.tamper).toEqual([]);
    expect(
      rows
        .map((r) => [r.key.sched, r.key.name, r.size, r.bytes?.length, r.bytes?.[r.bytes.length - 1]])
        .sort((a, b) => String(a).localeCompare(String(b))),
    ).toEqual([
      ['S', 'big', 200_000, 200_000, 1],
      ['T', 'big', 200_000, 200_000, 2],
      ['T', 'small', 2, 2, 0x0b],
    ]);
  }, 60_000);

  for (const [cause, over] of [
    ['lock-timeout', { lockTimeoutMs: 300 }],
    ['statement-timeout', { lockTimeoutMs: 0, statementTimeoutMs: 500 }],
  ] as const) {
    it(`ACCESS EXCLUSIVE on qrtz_triggers: ${cause} entries for that table, everything else read`, async () => {
      const holder = new pg.Client({ connectionString: s.adminUrl(DB) });
      await holder.connect();
      try {
        await holder.query('BEGIN; LOCK TABLE quartz.qrtz_triggers IN ACCESS EXCLUSIVE MODE');
        const { rows, unreadable, facts } = await readAll(s, over);
        // Scheduler state keeps its own list (src/dialects/shared/scheduler.ts); both name the table and the cause.
        const all = [...facts.unreadable, ...(facts.scheduler?.unreadable ?? [])];
        const onTriggers = all.filter((u) => u.table === 'qrtz_triggers');
        expect(all.filter((u) => u.table !== 'qrtz_triggers')).toEqual([]);
        expect(onTriggers.length).toBeGreaterThan(0);
        expect(onTriggers.every((u) => u.cause === cause)).toBe(true);
        // Everything else was read: principals, settings, other tables' contents and blobs.
        expect(facts.principals.length).toBeGreaterThan(1);
        expect(facts.settings.password_encryption).toBeTruthy();
        expect(facts.scheduler?.schedulerStates).toBeDefined();
        expect(unreadable.map((u) => [u.what, u.table, u.cause])).toEqual([['blobs.TRIGGERS', 'qrtz_triggers', cause]]);
        expect(rows.filter((r) => r.table === 'JOB_DETAILS')).toHaveLength(ROWS + 3);
        expect(rows.filter((r) => r.table === 'TRIGGERS')).toEqual([]);
      } finally {
        await holder.query('ROLLBACK').catch(() => {});
        await holder.end();
      }
    }, 60_000);
  }
});
