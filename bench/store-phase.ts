/**
 * One measured pass of bench/store.ts, in a process of its own (so its peak RSS is its own):
 *   node --import tsx bench/store-phase.ts <postgres|mysql> <url> <raw|content|full> [workers]
 * raw: the adapter's blob stream (same driver, same queries, same batches) with no decoding or check;
 * content: runScan with the content families (content, scheduler, updates); full: every family.
 * Prints one JSON line: rows, bytes, wall and CPU ms, peak RSS, time to the first failing row finding,
 * findings, and the adapter session's server process id (PostgreSQL) for the parent's sampling.
 */
import { GCProfiler, setFlagsFromString } from 'node:v8';
import { allChecks } from '../src/checks/index.js';
import type { Adapter } from '../src/dialect.js';
import { createMysqlAdapter } from '../src/dialects/mysql/index.js';
import { createPostgresAdapter } from '../src/dialects/postgres/index.js';
import { runScan } from '../src/engine.js';
import { type Check, CONTENT_FAMILIES, checkOptions, FAMILIES, type Family } from '../src/model.js';

// As bin/qrtz-audit.js sets it for every CLI run (BENCH_PRETENURING=1: V8's default, to compare).
if (!process.env.BENCH_PRETENURING) setFlagsFromString('--no-allocation-site-pretenuring');

const [dialect, url, phase, workerArg] = process.argv.slice(2) as [
  'postgres' | 'mysql',
  string,
  'raw' | 'content' | 'full',
  string | undefined,
];
/** scan --workers: past 1 the checks run in worker threads (the built-in ones only: no time to first finding). */
const workers = Number(workerArg ?? 1);
const families = new Set<Family>(phase === 'full' ? FAMILIES : CONTENT_FAMILIES);
const options = {
  url,
  tablePrefix: 'QRTZ_',
  allowPrincipals: [],
  families,
  statementTimeoutMs: 600_000,
  lockTimeoutMs: 2000,
  connectTimeoutMs: 10_000,
  maxBlobSize: 16 << 20,
  attestations: {},
};
const adapter: Adapter = dialect === 'postgres' ? createPostgresAdapter(options) : createMysqlAdapter(options);

let peak = process.memoryUsage.rss();
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 25);
const t0 = performance.now();
const c0 = process.cpuUsage();
let firstFindingMs: number | null = null;
let rows = 0;
let bytes = 0;
let findings = 0;
// BENCH_GC=1: garbage collections of the pass (count by kind, total pause) on stderr.
const gcProfiler = process.env.BENCH_GC ? new GCProfiler() : undefined;
gcProfiler?.start();
await adapter.connect();
if (phase === 'raw') {
  await adapter.collectFacts();
  for await (const row of adapter.blobRows(() => {})) {
    rows++;
    bytes += row.bytes?.length ?? 0;
  }
} else {
  // Time to first finding: the first failing draft any content check returns for a row.
  const checks: Check[] = allChecks.map((c) =>
    c.inspectBlob
      ? {
          ...c,
          inspectBlob: (blob, o) => {
            const drafts = c.inspectBlob?.(blob, o) ?? [];
            if (firstFindingMs === null && drafts.some((d) => d.status === 'fail'))
              firstFindingMs = performance.now() - t0;
            return drafts;
          },
        }
      : c,
  );
  const result = await runScan(adapter, {
    families,
    checkOptions: checkOptions({ maxBlobSize: 16 << 20 }),
    ...(workers > 1 ? { workers } : { checks }),
  });
  rows = result.facts.blobInventory?.rows ?? 0;
  bytes = result.facts.blobInventory?.bytes ?? 0;
  findings = result.findings.length;
  // A pass whose checks fail is not a measurement: --dist once ran without data/ (the gadget catalogue), QA-B02/B03
  // threw on every row, and the figures timed the failure.
  const failed = result.findings.filter((f) => f.message.startsWith('check failed internally'));
  if (failed.length) {
    console.error(
      `store-phase ${phase}: ${failed.length} findings of checks that failed internally (${[...new Set(failed.map((f) => f.check))].join(', ')}), e.g. ${failed[0]?.message.slice(0, 200)}`,
    );
    process.exit(1);
  }
}
await adapter.close();
const gcStats = gcProfiler?.stop()?.statistics;
if (gcStats) {
  const kinds: Record<string, number> = {};
  let pause = 0;
  for (const g of gcStats) {
    kinds[g.gcType] = (kinds[g.gcType] ?? 0) + 1;
    pause += g.cost;
  }
  console.error(`gc ${phase}: ${JSON.stringify(kinds)}, ${Math.round(pause / 1000)} ms`);
}
const ms = performance.now() - t0;
const cpu = process.cpuUsage(c0);
clearInterval(timer);
peak = Math.max(peak, process.memoryUsage.rss(), process.resourceUsage().maxRSS * 1024);
console.log(
  JSON.stringify({
    phase: workers > 1 ? `${phase}/w${workers}` : phase,
    rows,
    bytes,
    ms: Math.round(ms),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    peakRssMb: Math.round(peak / 1e6),
    firstFindingMs: firstFindingMs === null ? null : Math.round(firstFindingMs),
    findings,
  }),
);
process.exit(0);
