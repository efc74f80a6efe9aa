/**
 * Issue #16 part 3: `--workers N` decodes and checks blob rows in worker threads. The findings (in order),
 * the inventory, the summary and the JSON report are byte-identical to the in-thread path on a real
 * PostgreSQL store with thousands of rows (realistic distinct blobs, secrets in every format, gadgets,
 * garbage, hostile and lying blobs, byte-identical blobs) and on the SQLite demo; a hostile huge/deep blob
 * in a worker stays bounded; a crashed worker ends the scan with one error and no thread left; the CLI
 * process exits after a worker scan; a connection lost mid-stream still gives the partial report.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobBlob, triggerBlob } from '../../bench/store-data.js';
import { adapterFor } from '../../src/dialects/index.js';
import { type Collected, collectScan, type ScanOptions } from '../../src/engine.js';
import { FAMILIES, type Family } from '../../src/model.js';
import type { Report } from '../../src/report/report.js';
import { BATCH_ROWS, IN_FLIGHT, ScanPool, WORKER_YOUNG_GENERATION_MB } from '../../src/scan/workers.js';
import { connectOptions } from '../integration/mysql/helpers.js';
import { parseReport, runCli } from '../support/cli.js';
import { createQuartzDb, dropAll } from '../support/pg-quartz.js';
import { acquirePostgres, type PgServer } from '../support/pg-server.js';
import { cyclicNrbf, hostileRows, insertRows, lyingJava, lyingNrbf, secretRows } from '../support/rel-store.js';

const ALL = new Set<Family>(FAMILIES);
const dir = mkdtempSync(join(tmpdir(), 'qrtz-workers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Collects through the engine with `workers` threads, counting the progress hooks. */
async function collect(url: string, workers: number, extra: Partial<ScanOptions> = {}, schema?: string) {
  const adapter = await adapterFor(connectOptions(url, { families: ALL, ...(schema ? { schema } : {}) }));
  await adapter.connect();
  let blobs = 0;
  let bytes = 0;
  try {
    const c = await collectScan(adapter, {
      families: ALL,
      checkOptions: { now: Date.UTC(2026, 0, 1) },
      workers,
      progress: {
        blob: (n) => {
          blobs++;
          bytes += n;
        },
      },
      ...extra,
    });
    return { c, blobs, bytes };
  } finally {
    await adapter.close();
  }
}

/** Everything collected about the blob rows, as one string (key order included). */
async function contentOf(c: Collected): Promise<string> {
  const spilled: unknown[] = [];
  if (c.spill) for await (const f of c.spill.read()) spilled.push(f);
  c.spill?.remove();
  return JSON.stringify({ findings: c.contentFindings, spilled, inventory: c.facts.blobInventory });
}

/** A JSON report without what differs between two runs by the clock (start, duration, the database's now). */
function stable(text: string): string {
  return JSON.stringify(JSON.parse(text), (k, v) =>
    k === 'startedAt' || k === 'durationMs' || k === 'dbNowUtc' ? undefined : v,
  );
}

describe('SQLite demo: --workers 2 = --workers 1', () => {
  const store = join(dir, 'demo.db');
  beforeAll(async () => {
    expect((await runCli(['demo', '--keep', store, '--quiet', '--format', 'json'])).code).toBe(0);
  }, 60_000);

  it('findings in order, inventory and progress are identical through the engine', async () => {
    const one = await collect(`sqlite:${store}`, 1);
    const two = await collect(`sqlite:${store}`, 2);
    expect(one.blobs).toBeGreaterThan(5);
    expect(two.blobs).toBe(one.blobs);
    expect(two.bytes).toBe(one.bytes);
    expect(await contentOf(two.c)).toBe(await contentOf(one.c));
  }, 120_000);

  it('the JSON report and the summary line are identical through the CLI', async () => {
    const args = ['scan', `sqlite:${store}`, '--format', 'json'];
    const one = await runCli([...args, '--workers', '1']);
    const two = await runCli([...args, '--workers', '2']);
    expect(two.code).toBe(one.code);
    expect(stable(two.stdout)).toBe(stable(one.stdout));
    const line = (s: string) => s.replace(/ in [\d.]+ m?s;/, ' in T;');
    expect(line(two.stderr)).toBe(line(one.stderr));
    expect(parseReport(two).findings.filter((f) => f.status === 'fail').length).toBeGreaterThan(5);
  }, 120_000);

  it('--workers must be a whole number from 0 to 16: one line, exit 2', async () => {
    for (const bad of ['-1', '17', '1.5', 'two', '']) {
      const r = await runCli(['scan', `sqlite:${store}`, '--workers', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/--workers must be a whole number from 0 to 16/);
    }
    expect((await runCli(['scan', `sqlite:${store}`, '--workers', '0', '--format', 'json'])).code).toBe(1);
  }, 60_000);
});

const pgr = await acquirePostgres();
const pgServer = 'skip' in pgr ? undefined : (pgr as PgServer);
if (!pgServer) console.warn(`[skip] --workers on PostgreSQL: ${(pgr as { skip: string }).skip}`);
const P = `qwk${process.pid}`;
const DB = `${P}_jobs`;
const ROLES = [`${P}_owner`];
const JOBS = 6000;
const SAME = 300;

describe.skipIf(!pgServer)('PostgreSQL: --workers 2 = --workers 1 on thousands of rows', () => {
  const s = pgServer as PgServer;
  const url = () => `postgres://postgres@127.0.0.1:${s.port}/${DB}?sslmode=disable`;
  beforeAll(async () => {
    await dropAll(s, [DB], ROLES);
    await createQuartzDb(s, DB, 'quartz', `${P}_owner`);
    const c = new pg.Client({ connectionString: s.adminUrl(DB) });
    await c.connect();
    try {
      await c.query('SET search_path = quartz');
      await insertRows('postgres', (sql, params) => c.query(sql, params), [...secretRows(), ...hostileRows()]);
      // Realistic distinct blobs (secrets in ~1%, a gadget per 5,000), garbage, lying and cyclic blobs, a
      // deep JSON, and SAME byte-identical blobs (the decode cache's hits, in every worker).
      const names: string[] = [];
      const blobs: (Buffer | null)[] = [];
      for (let i = 0; i < JOBS; i++) {
        names.push(`job${i}`);
        if (i % 997 === 13)
          blobs.push(Buffer.from(Array.from({ length: 700 + (i % 300) }, (_, k) => (k * 131 + i) & 255)));
        else if (i % 1500 === 21) blobs.push(lyingNrbf());
        else if (i % 1500 === 22) blobs.push(lyingJava());
        else if (i % 1500 === 23) blobs.push(cyclicNrbf());
        else if (i % 2000 === 24) blobs.push(Buffer.from(`${'['.repeat(200_000)}${']'.repeat(200_000)}`));
        else if (i === 30) blobs.push(Buffer.from(Array.from({ length: 6 << 20 }, (_, k) => (k * 2654435761) >>> 24)));
        else if (i === 31) blobs.push(gzipSync(Buffer.alloc(64 << 20)));
        else if (i % 10 === 5) blobs.push(null);
        else blobs.push(jobBlob(i));
      }
      for (let i = 0; i < SAME; i++) {
        names.push(`same${i}`);
        blobs.push(jobBlob(7)); // one of the secret-holding maps, 300 times
      }
      await c.query(
        `INSERT INTO qrtz_job_details (sched_name, job_name, job_group, job_class_name, is_durable, is_nonconcurrent,
           is_update_data, requests_recovery, job_data)
         SELECT 'Bulk', n, 'grp', 'Contoso.Jobs.Export', false, false, false, false, d
         FROM unnest($1::text[], $2::bytea[]) AS t(n, d)`,
        [names, blobs],
      );
      const tblobs = Array.from({ length: 2000 }, (_, i) => triggerBlob(i));
      await c.query(
        `INSERT INTO qrtz_triggers (sched_name, trigger_name, trigger_group, job_name, job_group, trigger_state,
           trigger_type, start_time, job_data)
         SELECT 'Bulk', 't' || g, 'grp', 'job' || g, 'grp', 'WAITING', 'SIMPLE', 0, d
         FROM unnest($1::bytea[]) WITH ORDINALITY AS t(d, g)`,
        [tblobs],
      );
    } finally {
      await c.end();
    }
  }, 300_000);
  afterAll(async () => {
    await dropAll(s, [DB], ROLES);
  });

  it('findings (spilled ones included) in the same order, the same inventory and progress', async () => {
    const one = await collect(url(), 1, {}, 'quartz');
    const two = await collect(url(), 2, {}, 'quartz');
    expect(one.blobs).toBeGreaterThan(JOBS + SAME + 2000);
    expect(two.blobs).toBe(one.blobs);
    expect(two.bytes).toBe(one.bytes);
    const a = await contentOf(one.c);
    const b = await contentOf(two.c);
    expect(b.length).toBeGreaterThan(100_000);
    expect(b).toBe(a);
    // the store holds what the comparison is about: secrets, gadgets, garbage
    for (const id of ['QA-S01', 'QA-S02', 'QA-B02', 'QA-B04']) expect(a).toContain(`"check":"${id}"`);
  }, 300_000);

  it('the JSON report and the summary line are identical through the CLI (--workers 1, 2, 3)', async () => {
    // The scheduler checks judge check-in ages against the clock (not the blob stream): left out.
    const args = [
      'scan',
      url(),
      '--schema',
      'quartz',
      '--service-account',
      'postgres',
      '--format',
      'json',
      '--skip',
      'scheduler',
    ];
    const one = await runCli([...args, '--workers', '1']);
    const line = (x: string) => x.replace(/ in [\d.]+ m?s;/, ' in T;');
    for (const w of ['2', '3']) {
      const two = await runCli([...args, '--workers', w]);
      expect(two.code).toBe(one.code);
      expect(stable(two.stdout)).toBe(stable(one.stdout));
      expect(line(two.stderr)).toBe(line(one.stderr));
    }
    const report = parseReport(one) as Report;
    expect(report.summary.byStatus.fail).toBeGreaterThan(0);
  }, 300_000);

  it('the connection killed mid-stream with --workers 2: the rows read are evaluated, a partial report marked incomplete (exit 4, or 1 with its critical findings)', async () => {
    const out = join(dir, 'killed.json');
    const running = runCli([
      'scan',
      url(),
      '--schema',
      'quartz',
      '--service-account',
      'postgres',
      '--workers',
      '2',
      '--format',
      'json',
      '--output',
      out,
      '--fail-on',
      'critical',
    ]);
    let hit = false;
    const admin = new pg.Client({ connectionString: s.adminUrl('postgres') });
    await admin.connect();
    try {
      for (let i = 0; i < 4000 && !hit; i++) {
        // only this test's database: other audits may run on the shared server. A FETCH that has returned
        // (the session idle in its transaction after it), so at least one batch reached the auditor: a kill
        // during the first FETCH would leave no row read, and the audit now gets there in milliseconds.
        const r = await admin.query(
          "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = 'qrtz-audit' AND datname = $1 AND query ILIKE 'FETCH%' AND state = 'idle in transaction'",
          [DB],
        );
        hit = r.rows.length > 0;
        if (!hit) await new Promise((res) => setTimeout(res, 5));
      }
    } finally {
      await admin.end();
    }
    const r = await running;
    expect(hit).toBe(true);
    // 4 (incomplete), or 1: the store holds critical findings, and failing findings win over incomplete
    expect([1, 4]).toContain(r.code);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/incomplete/i);
    const json = JSON.parse(readFileSync(out, 'utf8')) as Report;
    expect(json.summary.incomplete).toBe(true);
    expect(json.unreadable?.find((u) => u.what === 'blobs.stream')?.reason).toMatch(/^connection lost mid-scan: /);
    const rows = json.inventory.blobs?.rows ?? 0;
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(JOBS + SAME + 2000);
  }, 120_000);
});

describe('worker failures', () => {
  it('a crashed worker: the scan ends with one error, no hang, every worker terminated', async () => {
    const crash = join(dir, 'crash-worker.mjs');
    writeFileSync(
      crash,
      "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => { process.exit(7); });\n",
    );
    const store = join(dir, 'demo-crash.db');
    expect((await runCli(['demo', '--keep', store, '--quiet', '--format', 'json'])).code).toBe(0);
    await expect(collect(`sqlite:${store}`, 2, { workerEntry: pathToFileURL(crash) })).rejects.toThrow(
      /^a scan worker stopped unexpectedly \(exit code 7\)$/,
    );
    const thrower = join(dir, 'throw-worker.mjs');
    writeFileSync(
      thrower,
      "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => { throw new Error('boom\\nsecond line'); });\n",
    );
    await expect(collect(`sqlite:${store}`, 2, { workerEntry: pathToFileURL(thrower) })).rejects.toThrow(
      /^a scan worker failed: boom$/,
    );
  }, 120_000);

  it('a pool whose workers never answer: push waits (back-pressure) until close(), which ends it; no thread left', async () => {
    const silent = join(dir, 'silent-worker.mjs');
    writeFileSync(silent, "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => {});\n");
    const pool = new ScanPool(2, [], ALL, {}, () => {}, pathToFileURL(silent));
    const row = { table: 'JOB_DETAILS' as const, tableName: 't', column: 'c', key: { sched: 's', name: 'n' }, size: 1 };
    // 2 workers × IN_FLIGHT batches are accepted; the next full batch waits
    let pushed = 0;
    let blocked: Promise<void> | undefined;
    for (let i = 0; i < (2 * IN_FLIGHT + 1) * BATCH_ROWS && !blocked; i++) {
      const p = pool.push({ ...row, bytes: Buffer.from([i & 255]) });
      const state = await Promise.race([p.then(() => 'done'), new Promise((r) => setTimeout(() => r('waiting'), 50))]);
      if (state === 'waiting') blocked = p;
      else pushed++;
    }
    expect(pushed).toBe(2 * IN_FLIGHT * BATCH_ROWS + BATCH_ROWS - 1);
    expect(blocked).toBeDefined();
    await pool.close();
    await expect(blocked).rejects.toThrow(/^the scan workers were ended$/);
    await expect(pool.finish()).rejects.toThrow(/ended/);
  }, 60_000);

  it("a worker's young generation is bounded, its heap limit is not lowered; every row's bytes arrive intact in reused batch buffers", async () => {
    // A worker that answers each batch with its resource limits and the bytes it received, and gives the buffer back.
    const echo = join(dir, 'echo-worker.mjs');
    writeFileSync(
      echo,
      `import { parentPort, resourceLimits } from 'node:worker_threads';
parentPort.on('message', (m) => {
  if (m.type !== 'batch') return;
  let at = 0;
  const results = m.rows.map((_, i) => {
    const len = m.lengths[i];
    const bytes = len < 0 ? '' : Buffer.from(m.buffer, at, len).toString('hex');
    if (len > 0) at += len;
    return { part: { format: 'empty', types: [{ name: JSON.stringify({ resourceLimits, bytes }) }] }, findings: [] };
  });
  parentPort.postMessage({ type: 'result', seq: m.seq, results, secrets: [], buffer: m.buffer }, [m.buffer]);
});
`,
    );
    const plain = new Worker(
      "require('node:worker_threads').parentPort.postMessage(require('node:worker_threads').resourceLimits)",
      {
        eval: true,
      },
    );
    const defaults = await new Promise<{ maxOldGenerationSizeMb: number }>((r) => plain.once('message', r));
    await plain.terminate();
    const seen: { resourceLimits: Record<string, number>; bytes: string }[] = [];
    const pool = new ScanPool(
      2,
      [],
      ALL,
      {},
      (_rows, results) => {
        for (const r of results) seen.push(JSON.parse(r.part.types[0]?.name ?? '{}'));
      },
      pathToFileURL(echo),
    );
    const row = { table: 'JOB_DETAILS' as const, tableName: 't', column: 'c', key: { sched: 's', name: 'n' }, size: 1 };
    const rows = 12 * BATCH_ROWS;
    try {
      for (let i = 0; i < rows; i++)
        await pool.push({ ...row, bytes: i % 7 === 0 ? null : Buffer.from([i & 255, (i >> 8) & 255, 7]) });
      await pool.finish();
    } finally {
      await pool.close();
    }
    expect(seen).toHaveLength(rows);
    seen.forEach((s, i) => {
      // Each row's bytes arrive intact and in order, also in batches sent in a buffer a worker gave back.
      expect(s.bytes).toBe(i % 7 === 0 ? '' : Buffer.from([i & 255, (i >> 8) & 255, 7]).toString('hex'));
      expect(s.resourceLimits.maxYoungGenerationSizeMb).toBe(WORKER_YOUNG_GENERATION_MB);
      // No old-generation limit of its own: a blob that one thread can decode, a worker can too.
      expect(s.resourceLimits.maxOldGenerationSizeMb).toBe(defaults.maxOldGenerationSizeMb);
    });
  }, 60_000);

  it('the CLI process exits after a worker scan (no worker keeps it alive), a huge blob included', () => {
    const store = join(dir, 'demo-exit.db');
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'qrtz-audit.js');
    const seed = spawnSync(process.execPath, [bin, 'demo', '--keep', store, '--quiet', '--format', 'json'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(seed.status).toBe(0);
    const r = spawnSync(process.execPath, [bin, 'scan', `sqlite:${store}`, '--workers', '2', '--format', 'json'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).summary.byStatus.fail).toBeGreaterThan(0);
    expect(readFileSync(store).length).toBeGreaterThan(0);
  }, 240_000);
});
