/**
 * Scan throughput and memory: `npx tsx bench/scan.ts` (or `npm run bench`). Seeds a PostgreSQL
 * JobStore with BENCH_ROWS JobDataMaps (default 20,000: NRBF, Java and JSON, ~1–3 KB each) on a
 * throwaway server (or QRTZ_TEST_PG_URL), runs the full scan through the real adapter and engine,
 * and prints rows/s, MB/s and peak RSS. Memory must stay flat whatever the row count (cursor).
 */

import { createPostgresAdapter } from '../src/dialects/postgres/index.js';
import { runScan } from '../src/engine.js';
import { writeJobDataMap as javaJobDataMap } from '../src/fixtures/java-writer.js';
import { writeJobDataMap as nrbfJobDataMap } from '../src/fixtures/nrbf-writer.js';
import { checkOptions, FAMILIES } from '../src/model.js';
import { createQuartzDb, dropAll } from '../test/support/pg-quartz.js';
import { acquirePostgres, adminSql } from '../test/support/pg-server.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 20_000);

const got = await acquirePostgres();
if ('skip' in got) {
  console.log(`scan bench skipped: ${got.skip}`);
  process.exit(0);
}
const server = got;
const db = `qa_bench_${process.pid}`;
try {
  await createQuartzDb(server, db, 'public', 'qa_bench_owner');
  const blobs = [
    Buffer.from(
      nrbfJobDataMap(
        Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`key${i}`, `value-${i}-${'x'.repeat(40)}`])),
      ),
    ),
    Buffer.from(
      javaJobDataMap(
        Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`key${i}`, `value-${i}-${'y'.repeat(40)}`])),
      ),
    ),
    Buffer.from(
      JSON.stringify(
        Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`key${i}`, `value-${i}-${'z'.repeat(40)}`])),
      ),
    ),
  ];
  const t0 = Date.now();
  // generate_series keeps the seeding fast; the blob bytes come from our writers.
  for (let k = 0; k < blobs.length; k++) {
    await adminSql(
      server,
      db,
      `INSERT INTO qrtz_job_details SELECT 'Bench', 'job' || g || '-${k}', 'grp', NULL, 'Quartz.Job.NoOpJob, Quartz', true, false, false, false, $1
       FROM generate_series(1, $2) g`,
      [blobs[k], Math.ceil(ROWS / blobs.length)],
    );
  }
  console.log(`seeded ${ROWS} rows in ${Date.now() - t0} ms`);
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  const adapter = createPostgresAdapter({
    url: server.adminUrl(db),
    tablePrefix: 'QRTZ_',
    allowPrincipals: [],
    families: new Set(FAMILIES),
    statementTimeoutMs: 600_000,
    lockTimeoutMs: 2000,
    connectTimeoutMs: 10_000,
    maxBlobSize: 16 << 20,
    attestations: {},
  });
  const start = Date.now();
  await adapter.connect();
  const result = await runScan(adapter, {
    families: new Set(FAMILIES),
    checkOptions: checkOptions({ maxBlobSize: 16 << 20 }),
  });
  await adapter.close();
  const ms = Date.now() - start;
  clearInterval(timer);
  const inv = result.facts.blobInventory;
  const mb = (inv?.bytes ?? 0) / 1e6;
  console.log(
    `scan: ${inv?.rows} rows, ${mb.toFixed(1)} MB in ${ms} ms → ${Math.round(((inv?.rows ?? 0) * 1000) / ms)} rows/s, ${((mb * 1000) / ms).toFixed(1)} MB/s; ${result.findings.length} findings; peak RSS ${(peak / 1e6).toFixed(0)} MB`,
  );
} finally {
  await dropAll(server, [db], ['qa_bench_owner']);
  await server.stop();
}
