/**
 * Secret-detection throughput: `npm run bench:secrets` (or `npx tsx bench/secrets.ts [--blobs N]`).
 *
 * The strings are what the scan gives the detectors (src/checks/content/secrets-scan.ts): every
 * JobDataMap entry with its key path and every other decoded string as free text, from N blobs of
 * the store bench's generator (bench/store-data.ts: NRBF, Json.NET, Java and properties JobDataMaps,
 * ~1% holding a password under a secret key) and the real Quartz vectors in ../shared/vectors; one
 * string in a hundred is replaced by a labeled positive of the secrets corpus (test/secrets/corpus:
 * tokens, keys, connection strings, JWTs, private keys…), so ~1% of the strings hold a secret of
 * every kind. Runs detectSecrets() over them for BENCH_MS (default 2000 ms) and prints MB/s of
 * string data (UTF-16 code units counted as bytes), wall clock and per CPU second, and the hits per
 * pass. `--unfiltered` measures the detectors without the combined pre-filter (the reference the
 * property test compares against).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBlob } from '../src/decode/index.js';
import { detectSecrets, detectSecretsUnfiltered, type SecretInput } from '../src/secrets/detect.js';
import { loadCorpus } from '../test/secrets/corpus/load.js';
import { benchArgs, positiveInt } from './args.js';
import { jobBlob } from './store-data.js';

const opts = benchArgs(
  { blobs: { type: 'string' }, unfiltered: { type: 'boolean' } },
  'usage: npm run bench:secrets -- [--blobs N] [--unfiltered]   (BENCH_MS: how long, default 2000)',
);
const BLOBS = positiveInt(opts.blobs, 4000, '--blobs');
const BENCH_MS = positiveInt(process.env.BENCH_MS || undefined, 2000, 'BENCH_MS');
const UNFILTERED = opts.unfiltered === true;

/** The detector inputs of one blob, as secrets-scan.ts builds them. */
function inputsOf(bytes: Uint8Array, out: SecretInput[]): void {
  const d = decodeBlob(bytes);
  const values = new Set<string>();
  for (const e of d.entries ?? []) {
    if (typeof e.value !== 'string' && typeof e.value !== 'number') continue;
    const value = String(e.value);
    values.add(value);
    out.push({ path: e.path, value });
  }
  for (const s of d.strings ?? [])
    if (typeof s.value === 'string' && !values.has(s.value)) out.push({ path: s.path, key: '', value: s.value });
}

const store: SecretInput[] = [];
for (let i = 0; i < BLOBS; i++) inputsOf(jobBlob(i), store);
const vectors = join(import.meta.dirname, '..', '..', 'shared', 'vectors');
let vectorCount = 0;
if (existsSync(vectors)) {
  for (const d of readdirSync(vectors)) {
    const p = join(vectors, d);
    if (d.endsWith('.md')) continue;
    for (const f of readdirSync(p)) {
      // the real vectors are few: repeated so they weigh like 2% of the blobs
      const bytes = new Uint8Array(readFileSync(join(p, f)));
      for (let k = 0; k < Math.max(1, Math.round(BLOBS / 500)); k++) inputsOf(bytes, store);
      vectorCount++;
    }
  }
} else console.warn(`(no ${vectors}: the real vectors are not part of the strings)`);
const { positives } = loadCorpus();
const inputs: SecretInput[] = store.map((s, i) => {
  if (i % 100 !== 50) return s;
  const p = positives[((i / 100) | 0) % positives.length] ?? positives[0];
  return p ? { path: p.path, ...(p.key !== undefined ? { key: p.key } : {}), value: p.value } : s;
});

const detect = UNFILTERED ? detectSecretsUnfiltered : detectSecrets;
const chars = inputs.reduce((a, i) => a + i.value.length, 0);
let hits = 0;
for (const i of inputs) hits += detect(i).length; // warm-up, and the hits per pass
let done = 0;
let passes = 0;
const t0 = performance.now();
const c0 = process.cpuUsage();
while (performance.now() - t0 < BENCH_MS) {
  for (const i of inputs) detect(i);
  done += chars;
  passes++;
}
const sec = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(c0);
const cpuSec = (cpu.user + cpu.system) / 1e6;
console.log(
  `secret detection${UNFILTERED ? ' (unfiltered)' : ''}, Node ${process.version}: ${inputs.length} strings from ${BLOBS} store blobs + ${vectorCount} real vectors, ${(chars / 1e6).toFixed(2)} MB per pass, ${hits} hits per pass; ${passes} passes: ${(done / sec / 1e6).toFixed(1)} MB/s, ${(done / cpuSec / 1e6).toFixed(1)} MB/s(cpu), ${((sec * 1e9) / (passes * inputs.length)).toFixed(0)} ns per string`,
);
