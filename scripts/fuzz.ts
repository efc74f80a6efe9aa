/**
 * `npm run fuzz -- --minutes N [--seed S]`: runs the decoders (NRBF, Java, JSON, properties, gzip,
 * nested payloads) and the secret detectors for N minutes (default 1) over random and mutated
 * inputs seeded from the real vectors (../shared/vectors, skipped loudly when absent) and the
 * fixture writers (src/fixtures). Every input that breaks the oracle (scripts/fuzz-oracle.ts) — a
 * throw, a malformed result, unbounded output, a case slower than SLOW_MS, or a hang (the fuzzing
 * runs in a worker; a worker silent for HANG_MS is stopped and its current input kept) — is saved
 * to test/decode/regressions/<sha256-12>.bin with a .txt note, and test/decode/regressions.test.ts
 * replays it in `npm test`. Prints the case count reached; exit 1 when something failed.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import {
  arrayList,
  hashMap,
  javaDate,
  priorityQueueGadget,
  proxyGadget,
  serialDos,
  serializeJava,
  simpleTrigger,
  writeJobDataMap,
} from '../src/fixtures/java-writer.js';
import { writeGadgetGraph, writeJobDataMap as writeNrbf, writeSerialDos } from '../src/fixtures/nrbf-writer.js';
import { oracle } from './fuzz-oracle.js';
import { Rng } from './rng.js';

const ROOT = join(import.meta.dirname, '..');
const VECTORS = join(ROOT, '..', 'shared', 'vectors');
const REGRESSIONS = join(ROOT, 'test', 'decode', 'regressions');
const HANG_MS = 30_000;
/** Bytes of the current input shared with the main thread (inputs are cut to this length). */
const MAX_INPUT = 64 * 1024;

// ---------------------------------------------------------------------------------------------
// Seeds

function seeds(): Uint8Array[] {
  const enc = (s: string) => new TextEncoder().encode(s);
  const out: Uint8Array[] = [
    writeJobDataMap({
      s: 'text',
      n: 1,
      b: true,
      l: 5n,
      d: javaDate(0),
      list: arrayList(['a', 2]),
      m: hashMap({ x: 'y' }),
    }),
    serializeJava(simpleTrigger('t', { command: 'ls', password: 'Hunt3rBlue9Zz' })),
    serializeJava(priorityQueueGadget(), proxyGadget()),
    serializeJava(serialDos(12)),
    writeNrbf({ user: 'bob', n: 3, when: new Date(0), nested: { dictionary: { a: 'b' } }, list: { list: ['x', 1] } }),
    writeNrbf({ k: 'v', token: 'ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' }, { layout: '1.x' }),
    writeNrbf({ blob: { bytes: writeJobDataMap({ inner: 'x' }) } }),
    writeGadgetGraph('System.Security.Claims.ClaimsIdentity', undefined, { m_serializedClaims: 'AAEAAAD/////' }),
    writeSerialDos(10, 'hashtable'),
    new Uint8Array(Buffer.concat([writeNrbf({ a: 'b' }), Buffer.from([0xde, 0xad])])),
    enc(
      '{"$type":"Quartz.Impl.Calendar.CronCalendar, Quartz","BaseCalendar":{"$type":"X, Y"},"a":[1,{"$values":[1]}]}',
    ),
    enc("{'a':'single', b: NaN, c: new Date(1), /* c */ d: [1,], password: 'x'}"),
    enc('#\n#date\ncommand=echo hi\npass\\ word=s\\u00E9\\\n  cont\nurl=jdbc:postgresql://db/x?password=abc\n'),
    gzipSync(writeJobDataMap({ z: 'gz' })),
  ];
  if (existsSync(VECTORS)) {
    for (const d of readdirSync(VECTORS)) {
      const dir = join(VECTORS, d);
      if (!statSync(dir).isDirectory()) continue;
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isFile() && statSync(p).size <= MAX_INPUT) out.push(new Uint8Array(readFileSync(p)));
      }
    }
  } else console.warn(`fuzz: SKIPPED real vectors: ${VECTORS} is absent (seeding from the fixture writers only)`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Generators (scripts/rng.ts: a seed reproduces a run)

const HEADERS = [
  [],
  [0xac, 0xed, 0, 5],
  [0, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 1, 0, 0, 0, 0, 0, 0, 0],
  [0x1f, 0x8b, 8],
  [0x7b],
  [0x5b],
  [0x23, 0x0a],
];
const INTERESTING = [0, 1, 0x7f, 0x80, 0xff, 0x70, 0x71, 0x73, 0x74, 0x75, 0x78, 0x7e, 0x09, 0x0b, 0x0c, 0x10, 0x11];
const BIG = [0x7fffffff, 0xffffffff, 0x80000000, 0x7fffff00, 0x10000, 0xffff];

function mutate(r: Rng, pool: Uint8Array[]): { bytes: Uint8Array; how: string } {
  const base = r.pick(pool);
  const kind = r.int(9);
  switch (kind) {
    case 0: {
      const h = r.pick(HEADERS);
      return { bytes: Uint8Array.from([...h, ...r.bytes(r.int(512))]), how: 'random' };
    }
    case 1:
      return { bytes: base.subarray(0, r.int(base.length + 1)), how: 'truncate' };
    case 2: {
      const b = Uint8Array.from(base);
      for (let n = 1 + r.int(8); n > 0 && b.length; n--) b[r.int(b.length)] = r.next() & 255;
      return { bytes: b, how: 'bytes' };
    }
    case 3: {
      const b = Uint8Array.from(base);
      for (let n = 1 + r.int(4); n > 0 && b.length; n--) b[r.int(b.length)] = r.pick(INTERESTING);
      return { bytes: b, how: 'interesting bytes' };
    }
    case 4: {
      const b = Uint8Array.from(base);
      if (b.length >= 4) new DataView(b.buffer).setUint32(r.int(b.length - 3), r.pick(BIG), r.int(2) === 0);
      return { bytes: b, how: 'huge length' };
    }
    case 5: {
      // Splice: a prefix of one input, the suffix of another.
      const other = r.pick(pool);
      const a = base.subarray(0, r.int(base.length + 1));
      const b = other.subarray(r.int(other.length + 1));
      return { bytes: new Uint8Array(Buffer.concat([a, b])), how: 'splice' };
    }
    case 6: {
      // Duplicate or delete a chunk.
      const at = r.int(base.length + 1);
      const len = 1 + r.int(64);
      const parts =
        r.int(2) === 0
          ? [base.subarray(0, at), base.subarray(at, at + len), base.subarray(at)]
          : [base.subarray(0, at), base.subarray(at + len)];
      return { bytes: new Uint8Array(Buffer.concat(parts)), how: 'chunk' };
    }
    case 7: {
      // Trailing bytes or a second payload after a complete one.
      const tail = r.int(2) === 0 ? r.bytes(1 + r.int(64)) : r.pick(pool);
      return { bytes: new Uint8Array(Buffer.concat([base, tail])), how: 'append' };
    }
    default: {
      // Wrap as text: base64 / hex inside a JSON value or a properties line (nested payload search).
      const b64 = Buffer.from(base).toString(r.int(2) === 0 ? 'base64' : 'hex');
      const text = r.int(2) === 0 ? `{"payload":"${b64}"}` : `payload=${b64}\n`;
      return { bytes: new TextEncoder().encode(text), how: 'wrapped' };
    }
  }
}

function save(bytes: Uint8Array, why: string, how: string): string {
  mkdirSync(REGRESSIONS, { recursive: true });
  const id = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
  writeFileSync(join(REGRESSIONS, `${id}.bin`), bytes);
  writeFileSync(
    join(REGRESSIONS, `${id}.txt`),
    `${why}\nmutation: ${how}\nfound by scripts/fuzz.ts ${new Date().toISOString()}\n`,
  );
  return id;
}

// ---------------------------------------------------------------------------------------------
// Worker: fuzz until the deadline, publish the current input before each case.

interface WorkerIn {
  seed: number;
  deadline: number;
  shared: SharedArrayBuffer;
}

function runWorker(): void {
  const { seed, deadline, shared } = workerData as WorkerIn;
  const meta = new Int32Array(shared, 0, 4); // [cases (low), input length, heartbeat, cases (high)]
  const input = new Uint8Array(shared, 16);
  const r = new Rng(seed);
  const pool = seeds();
  let cases = 0;
  while (Date.now() < deadline) {
    const { bytes: raw, how } = mutate(r, pool);
    const bytes = raw.length > MAX_INPUT ? raw.subarray(0, MAX_INPUT) : raw;
    input.set(bytes);
    Atomics.store(meta, 1, bytes.length);
    Atomics.add(meta, 2, 1);
    const why = oracle(bytes);
    cases++;
    Atomics.store(meta, 0, cases % 0x40000000);
    Atomics.store(meta, 3, Math.floor(cases / 0x40000000));
    if (why) parentPort?.postMessage({ kind: 'failure', why, how, bytes });
    // Interesting failures also grow the pool a little (coverage of the mutated neighbourhood).
    else if (cases % 997 === 0 && pool.length < 400 && bytes.length > 8) pool.push(Uint8Array.from(bytes));
  }
  parentPort?.postMessage({ kind: 'done', cases });
}

// ---------------------------------------------------------------------------------------------
// Main: argument parsing, watchdog, report.

function parseArgs(argv: string[]): { minutes: number; seed: number } {
  let minutes = 1;
  let seed = (Date.now() & 0x7fffffff) >>> 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--minutes' && v !== undefined) {
      minutes = Number(v);
      i++;
    } else if (a === '--seed' && v !== undefined) {
      seed = Number(v) >>> 0;
      i++;
    } else if (a === '--help' || a === '-h') {
      console.log('usage: npm run fuzz -- [--minutes N] [--seed S]');
      process.exit(0);
    } else {
      console.error(`fuzz: unknown argument ${a} (usage: npm run fuzz -- [--minutes N] [--seed S])`);
      process.exit(2);
    }
  }
  if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 24 * 60) {
    console.error('fuzz: --minutes must be a number of minutes, more than 0 and at most 1440');
    process.exit(2);
  }
  return { minutes, seed };
}

async function main(): Promise<void> {
  const { minutes, seed } = parseArgs(process.argv.slice(2));
  const end = Date.now() + minutes * 60_000;
  console.log(`fuzz: ${minutes} min, seed ${seed}, regressions → ${REGRESSIONS}`);
  let total = 0;
  let failures = 0;
  let round = 0;
  const seen = new Set<string>();
  while (Date.now() < end - 1000) {
    const shared = new SharedArrayBuffer(16 + MAX_INPUT);
    const meta = new Int32Array(shared, 0, 4);
    const worker = new Worker(new URL('./fuzz-worker.mjs', import.meta.url), {
      workerData: { seed: (seed + round * 0x9e3779b1) >>> 0, deadline: end, shared } satisfies WorkerIn,
    });
    round++;
    const result = await new Promise<{ cases: number; hung: boolean; error?: string }>((resolve) => {
      let last = -1;
      let lastChange = Date.now();
      const timer = setInterval(() => {
        const beat = Atomics.load(meta, 2);
        if (beat !== last) {
          last = beat;
          lastChange = Date.now();
        } else if (Date.now() - lastChange > HANG_MS) {
          clearInterval(timer);
          void worker.terminate();
          resolve({ cases: Atomics.load(meta, 0) + Atomics.load(meta, 3) * 0x40000000, hung: true });
        }
      }, 500);
      worker.on('message', (m: { kind: string; why?: string; how?: string; bytes?: Uint8Array; cases?: number }) => {
        if (m.kind === 'failure' && m.bytes && m.why) {
          // One fixture per kind of failure (numbers aside): the first input that shows it.
          const key = m.why.replace(/\d+/g, 'N');
          failures++;
          if (!seen.has(key) && seen.size < 50) {
            seen.add(key);
            const id = save(m.bytes, m.why, m.how ?? '');
            console.log(`FAIL ${id}: ${m.why} (mutation: ${m.how})`);
          }
        } else if (m.kind === 'done') {
          clearInterval(timer);
          resolve({ cases: m.cases ?? 0, hung: false });
        }
      });
      worker.on('error', (e) => {
        clearInterval(timer);
        resolve({
          cases: Atomics.load(meta, 0) + Atomics.load(meta, 3) * 0x40000000,
          hung: false,
          error: e instanceof Error ? e.message : String(e),
        });
      });
    });
    total += result.cases;
    if (result.error && result.cases === 0 && Atomics.load(meta, 2) === 0) {
      // The worker never ran a case: a setup problem, not a finding.
      console.error(`fuzz: the fuzzing worker could not start: ${result.error}`);
      process.exitCode = 3;
      return;
    }
    if (result.hung || result.error) {
      failures++;
      const len = Atomics.load(meta, 1);
      const bytes = Uint8Array.from(new Uint8Array(shared, 16, len));
      const why = result.hung ? `no progress for ${HANG_MS} ms (hang)` : `worker died: ${result.error}`;
      const id = save(bytes, why, 'current input of the worker');
      console.log(`FAIL ${id}: ${why}`);
    }
  }
  console.log(
    `fuzz: ${total.toLocaleString('en-US')} cases in ${minutes} min (seed ${seed}), ${failures} failure${failures === 1 ? '' : 's'}${failures ? ` saved to ${REGRESSIONS}` : ''}`,
  );
  process.exitCode = failures > 0 ? 1 : 0;
}

if (isMainThread) await main();
else runWorker();
