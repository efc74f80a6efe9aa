/**
 * Decoder throughput: `npx tsx bench/decode.ts`. Builds a corpus of realistic blobs per format
 * (our Java writer, the NRBF writer, Json.NET / STJ JSON, properties text, gzip, and the shared
 * real vectors when ../shared/vectors exists), decodes each corpus repeatedly for about
 * BENCH_MS (default 1500 ms) and prints MB/s (wall clock, and per CPU second, which is steadier on a
 * shared machine), blobs/s and the process's peak RSS. The typed tree is not built (the scan never
 * reads it); inspect-blob pays for it on its one blob.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

console.log(`decoder throughput, Node ${process.version}, ${BENCH_MS} ms per format`);
console.log('format            blobs   avg bytes      MB/s  MB/s(cpu)    blobs/s   malformed');
for (const [format, blobs] of Object.entries(corpus)) {
  if (!blobs.length || (ONLY && !ONLY.has(format))) continue;
  const total = blobs.reduce((a, b) => a + b.length, 0);
  let malformed = 0;
  for (const b of blobs) if (decodeBlob(b).malformed) malformed++; // warm-up + sanity
  let bytes = 0;
  let count = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  while (performance.now() - t0 < BENCH_MS) {
    for (const b of blobs) decodeBlob(b);
    bytes += total;
    count += blobs.length;
  }
  const sec = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const cpuSec = (cpu.user + cpu.system) / 1e6;
  console.log(
    `${format.padEnd(16)} ${String(blobs.length).padStart(6)} ${String(Math.round(total / blobs.length)).padStart(11)} ${(bytes / sec / 1e6).toFixed(1).padStart(9)} ${(bytes / cpuSec / 1e6).toFixed(1).padStart(10)} ${String(Math.round(count / sec)).padStart(10)} ${String(malformed).padStart(11)}`,
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
  let done = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  while (performance.now() - t0 < BENCH_MS) {
    for (const i of inputs) detectSecrets(i);
    done += chars;
  }
  const sec = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const cpuSec = (cpu.user + cpu.system) / 1e6;
  console.log(
    `secret detection: ${inputs.length} strings, ${(chars / 1e6).toFixed(2)} MB per pass: ${(done / sec / 1e6).toFixed(1)} MB/s, ${(done / cpuSec / 1e6).toFixed(1)} MB/s(cpu)`,
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
    let bytes = 0;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    while (performance.now() - t0 < BENCH_MS) {
      once();
      bytes += total;
    }
    const sec = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    const cpuSec = (cpu.user + cpu.system) / 1e6;
    console.log(
      `decode + ${checks.length} content checks, ${format}: ${(bytes / sec / 1e6).toFixed(1)} MB/s, ${(bytes / cpuSec / 1e6).toFixed(1)} MB/s(cpu), ${findings} findings per pass`,
    );
  }
}
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
