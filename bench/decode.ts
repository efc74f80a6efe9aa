/**
 * Decoder throughput: `npm run bench:decode` (or `npx tsx bench/decode.ts`). Builds a corpus of
 * realistic blobs per format (our Java writer, the NRBF writer, Json.NET / STJ JSON, properties text,
 * gzip, and the shared real vectors when ../shared/vectors exists), decodes each corpus repeatedly for
 * about BENCH_MS (default 1500 ms), BENCH_REPEAT times (default 3), and prints the median run: MB/s
 * (wall clock, and per CPU second, which is steadier on a shared machine), blobs/s, bytes allocated
 * per input byte (freed by the GCs of the run plus the heap's growth, from v8.GCProfiler), the share
 * of the run spent in garbage collection and the number of GCs (scavenges / major), then the process's
 * peak RSS. The typed tree is not built (the scan never reads it); inspect-blob pays for it on its one
 * blob. Profile with `node --cpu-prof --import tsx bench/decode.ts` (BENCH_ONLY=nrbf to narrow it).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GCProfiler } from 'node:v8';
import { gzipSync } from 'node:zlib';
import { allChecks } from '../src/checks/index.js';
import { decodeBlob } from '../src/decode/index.js';
import { inspectBlobWith } from '../src/engine.js';
import {
  arrayList,
  hashMap,
  javaDate,
  serializeJava,
  simpleTrigger,
  writeJobDataMap,
} from '../src/fixtures/java-writer.js';
import { writeJobDataMap as writeNrbf } from '../src/fixtures/nrbf-writer.js';
import { FAMILIES, type ScannedBlob } from '../src/model.js';
import { detectSecrets, type SecretInput } from '../src/secrets/detect.js';

const BENCH_MS = Number(process.env.BENCH_MS ?? 1500);
const BENCH_REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));

interface Run {
  /** Input bytes per wall-clock second / per CPU second. */
  mbs: number;
  mbsCpu: number;
  perSec: number;
  /** Bytes allocated per input byte. */
  alloc: number;
  /** Share of the run's wall clock spent in GC. */
  gcShare: number;
  minor: number;
  major: number;
}

/** Run `pass` (which handles `bytes` input bytes and `items` items) for BENCH_MS; GC and allocation measured. */
function measure(pass: () => void, bytes: number, items: number): Run {
  const gc = new GCProfiler();
  const heap0 = process.memoryUsage().heapUsed;
  gc.start();
  let done = 0;
  let count = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  while (performance.now() - t0 < BENCH_MS) {
    pass();
    done += bytes;
    count += items;
  }
  const sec = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const stats = gc.stop()?.statistics ?? [];
  const heap1 = process.memoryUsage().heapUsed;
  let freed = 0;
  let cost = 0;
  let minor = 0;
  for (const g of stats) {
    freed += g.beforeGC.heapStatistics.usedHeapSize - g.afterGC.heapStatistics.usedHeapSize;
    cost += g.cost;
    if (g.gcType === 'Scavenge' || g.gcType === 'MinorMarkSweep') minor++;
  }
  return {
    mbs: done / sec / 1e6,
    mbsCpu: done / ((cpu.user + cpu.system) / 1e6) / 1e6,
    perSec: count / sec,
    alloc: (freed + heap1 - heap0) / done,
    gcShare: cost / 1e6 / sec,
    minor,
    major: stats.length - minor,
  };
}

/** The median run by wall-clock MB/s, of BENCH_REPEAT runs. */
function median(pass: () => void, bytes: number, items: number): Run {
  const runs: Run[] = [];
  for (let i = 0; i < BENCH_REPEAT; i++) runs.push(measure(pass, bytes, items));
  runs.sort((a, b) => a.mbs - b.mbs);
  return runs[Math.floor((runs.length - 1) / 2)] as Run;
}

const cols = (r: Run) =>
  `${r.mbs.toFixed(1).padStart(8)} ${r.mbsCpu.toFixed(1).padStart(9)} ${String(Math.round(r.perSec)).padStart(9)} ${r.alloc.toFixed(1).padStart(8)} ${`${(r.gcShare * 100).toFixed(0)}%`.padStart(5)} ${`${r.minor}/${r.major}`.padStart(8)}`;

/** BENCH_ONLY=nrbf,java,secrets: only these corpora (and the secret-detection pass when `secrets` is named). */
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : undefined;
const enc = (s: string) => new TextEncoder().encode(s);

/** A realistic JobDataMap: n entries of settings, ids, urls, flags, numbers. */
function entries(n: number, seed: number): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (let i = 0; i < n; i++) {
    // Names like real JobDataMaps (a `key_…` name would hint "key" to the secret detectors).
    const k = `${KEYS[i % KEYS.length]}${i >= KEYS.length ? i : ''}`;
    if (i % 4 === 0) out[k] = `https://service-${i}.example.com/api/v2/items?tenant=${seed}`;
    else if (i % 4 === 1) out[k] = i * 37 + seed;
    else if (i % 4 === 2) out[k] = i % 3 === 0;
    else out[k] = `value ${i} for job ${seed}: ${'x'.repeat(i % 40)}`;
  }
  return out;
}

const SIZES = [4, 12, 40, 150];
const KEYS = [
  'endpoint',
  'tenantId',
  'retries',
  'enabled',
  'reportName',
  'batchSize',
  'region',
  'owner',
  'notifyEmail',
  'timeoutSeconds',
];
const corpus: Record<string, Uint8Array[]> = {
  java: [],
  nrbf: [],
  'json-newtonsoft': [],
  'json-stj': [],
  properties: [],
  gzip: [],
};
for (let s = 0; s < 25; s++) {
  for (const n of SIZES) {
    const e = entries(n, s);
    corpus.java?.push(
      writeJobDataMap({
        ...e,
        when: javaDate(1_700_000_000_000 + s),
        list: arrayList(['a', s]),
        m: hashMap({ x: 'y' }),
      }),
    );
    corpus.nrbf?.push(writeNrbf({ ...e, when: new Date(1_700_000_000_000 + s) }));
    corpus['json-stj']?.push(enc(JSON.stringify(e)));
    corpus['json-newtonsoft']?.push(
      enc(JSON.stringify({ ...e, opts: { $type: 'MyApp.Options, MyApp', Url: 'https://x', Retries: 3 } })),
    );
    corpus.properties?.push(
      enc(
        `#\n#Fri Nov 27 03:06:46 UTC 2026\n${Object.entries(e)
          .map(([k, v]) => `${k}=${String(v).replace(/[=:]/g, '\\$&')}`)
          .join('\n')}\n`,
      ),
    );
    corpus.gzip?.push(gzipSync(writeJobDataMap(e)));
  }
  corpus.java?.push(serializeJava(simpleTrigger(`t${s}`, entries(8, s))));
}
const vectors = join(import.meta.dirname, '..', '..', 'shared', 'vectors');
if (existsSync(vectors)) {
  corpus['real vectors'] = [];
  for (const d of readdirSync(vectors)) {
    const p = join(vectors, d);
    if (!existsSync(p) || d.endsWith('.md')) continue;
    for (const f of readdirSync(p)) corpus['real vectors'].push(new Uint8Array(readFileSync(join(p, f))));
  }
} else console.warn(`(no ${vectors}: real vectors not benchmarked)`);

console.log(
  `decoder throughput, Node ${process.version}, median of ${BENCH_REPEAT} runs of ${BENCH_MS} ms per format; alloc = bytes allocated per input byte, GC = share of the run in GC, GCs = scavenges/major`,
);
console.log('format            blobs  avg bytes     MB/s MB/s(cpu)   blobs/s    alloc    GC GCs(s/m) malformed');
for (const [format, blobs] of Object.entries(corpus)) {
  if (!blobs.length || (ONLY && !ONLY.has(format))) continue;
  const total = blobs.reduce((a, b) => a + b.length, 0);
  let malformed = 0;
  for (const b of blobs) if (decodeBlob(b).malformed) malformed++; // warm-up + sanity
  const r = median(
    () => {
      for (const b of blobs) decodeBlob(b);
    },
    total,
    blobs.length,
  );
  console.log(
    `${format.padEnd(16)} ${String(blobs.length).padStart(6)} ${String(Math.round(total / blobs.length)).padStart(10)} ${cols(r)} ${String(malformed).padStart(9)}`,
  );
}

// Secret detection over the string data of the corpus (what QA-S01..S03 scan per blob): entries with
// their key paths, other strings as free text. MB/s of string data (UTF-16 code units counted as bytes).
if (!ONLY || ONLY.has('secrets')) {
  const inputs: SecretInput[] = [];
  for (const [format, blobs] of Object.entries(corpus)) {
    if (format === 'gzip') continue;
    for (const b of blobs) {
      const d = decodeBlob(b);
      const values = new Set<string>();
      for (const e of d.entries)
        if (typeof e.value === 'string' || typeof e.value === 'number') {
          values.add(String(e.value));
          inputs.push({ path: e.path, value: String(e.value) });
        }
      for (const s of d.strings) if (!values.has(s.value)) inputs.push({ path: s.path, key: '', value: s.value });
    }
  }
  const chars = inputs.reduce((a, i) => a + i.value.length, 0);
  for (const i of inputs) detectSecrets(i);
  const r = median(
    () => {
      for (const i of inputs) detectSecrets(i);
    },
    chars,
    inputs.length,
  );
  console.log(
    `secret detection: ${inputs.length} strings, ${(chars / 1e6).toFixed(2)} MB per pass: ${r.mbs.toFixed(1)} MB/s, ${r.mbsCpu.toFixed(1)} MB/s(cpu), alloc ${r.alloc.toFixed(1)} B/B, GC ${(r.gcShare * 100).toFixed(0)}%`,
  );
}
// Decode + every content check, per blob as the scan does it (MB/s of blob bytes), on the NRBF and Java corpora.
if (!ONLY || ONLY.has('checks')) {
  const families = new Set(FAMILIES);
  const checks = allChecks.filter((c) => c.inspectBlob);
  const row: ScannedBlob['row'] = {
    table: 'JOB_DETAILS',
    tableName: 'qrtz_job_details',
    column: 'JOB_DATA',
    key: { sched: 'bench', group: 'grp', name: 'job' },
    size: 0,
    jobClassName: 'Bench.NoOpJob',
  };
  for (const format of ['nrbf', 'java']) {
    const blobs = corpus[format] ?? [];
    const total = blobs.reduce((a, b) => a + b.length, 0);
    const once = () => {
      let n = 0;
      for (const b of blobs)
        n += inspectBlobWith({ row: { ...row, size: b.length }, decoded: decodeBlob(b) }, checks, families).length;
      return n;
    };
    const findings = once();
    const r = median(once, total, blobs.length);
    console.log(
      `decode + ${checks.length} content checks, ${format}: ${r.mbs.toFixed(1)} MB/s, ${r.mbsCpu.toFixed(1)} MB/s(cpu), alloc ${r.alloc.toFixed(1)} B/B, GC ${(r.gcShare * 100).toFixed(0)}%, ${findings} findings per pass`,
    );
  }
}
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
