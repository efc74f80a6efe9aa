/**
 * A JobStore of garbage for issue #17 part 5: `rows` QRTZ_JOB_DETAILS rows in SQLite, written in one
 * transaction of prepared inserts, each row one of a fixed set of classes (row i is class i mod CLASSES.length,
 * so every class count is known exactly): random bytes, truncated and lying NRBF and Java streams, gzip and
 * JSON garbage, streams with hidden trailing bytes, blobs over the scan bound, NULL and empty blobs — and every
 * 1,000th row carries huge strings (a 64 KiB description, a 4 KiB job name with terminal escapes).
 *
 * Filler bytes come from a seeded generator restricted to 0x80–0xBF, so no filler can spell a format's magic
 * number (NRBF's 0x00, Java's AC ED, gzip's 1F 8B, JSON's { or [, CA FE BA BE, MZ) by chance: what a row holds,
 * and so which findings it must draw, is decided by its class alone, on every run.
 */
import Database from 'better-sqlite3';
import { quartzSqliteSchema } from '../../src/demo/schema.js';
import { writeJobDataMap as javaJobDataMap } from '../../src/fixtures/java-writer.js';
import { writeJobDataMap as nrbfJobDataMap } from '../../src/fixtures/nrbf-writer.js';
import { lyingJava, lyingNrbf } from './rel-store.js';

/** --max-blob-size the garbage audit runs with (the oversize class is larger). */
export const GARBAGE_MAX_BLOB = 2048;
export const GARBAGE_SCHED = 'G';

/** A seeded xorshift32 stream of filler bytes in 0x80–0xBF. */
export function filler(seed: number): (n: number) => Buffer {
  let s = seed >>> 0 || 0x9e3779b9;
  return (n) => {
    const b = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) {
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      s >>>= 0;
      b[i] = 0x80 | (s & 0x3f);
    }
    return b;
  };
}

const NRBF = Buffer.from(nrbfJobDataMap({ retries: 3, target: 'ops@example.com', note: 'garbage row' }));
const JAVA = Buffer.from(javaJobDataMap({ retries: 3, target: 'ops@example.com' }));

/**
 * The classes, in order, with the content checks each must draw (besides QA-B00's inventory): `format` is the
 * sniffed format the inventory counts it under (null: no blob), `checks` the per-row QA-B checks that fail on it.
 */
export const CLASSES: {
  name: string;
  format: string | null;
  checks: string[];
  make: (rnd: (n: number) => Buffer, i: number) => Buffer | null;
}[] = [
  { name: 'random', format: 'unknown', checks: [], make: (rnd, i) => rnd(48 + (i % 401)) },
  { name: 'random-long', format: 'unknown', checks: [], make: (rnd, i) => rnd(700 + (i % 997)) },
  {
    name: 'truncated-nrbf',
    format: 'nrbf',
    checks: ['QA-B04'],
    make: (_rnd, i) => NRBF.subarray(0, 20 + (i % (NRBF.length - 24))),
  },
  {
    name: 'lying-nrbf',
    format: 'nrbf',
    checks: ['QA-B04'],
    make: (rnd, i) => Buffer.concat([lyingNrbf(), rnd(i % 64)]),
  },
  {
    name: 'truncated-java',
    format: 'java',
    checks: ['QA-B04'],
    make: (_rnd, i) => JAVA.subarray(0, 6 + (i % (JAVA.length - 8))),
  },
  {
    name: 'lying-java',
    format: 'java',
    checks: ['QA-B04'],
    make: (rnd, i) => Buffer.concat([lyingJava(), rnd(i % 64)]),
  },
  {
    name: 'gzip-garbage',
    format: 'gzip',
    checks: ['QA-B04'],
    make: (rnd, i) => Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08]), rnd(32 + (i % 200))]),
  },
  {
    name: 'json-garbage',
    format: 'json-stj',
    checks: ['QA-B04'],
    make: (rnd, i) => Buffer.concat([Buffer.from('{"$type":"'), rnd(16 + (i % 300))]),
  },
  {
    name: 'trailing-nrbf',
    format: 'nrbf',
    checks: ['QA-B08'],
    make: (rnd, i) => Buffer.concat([NRBF, rnd(1 + (i % 128))]),
  },
  {
    name: 'oversize',
    format: 'unknown',
    checks: ['QA-B05'],
    make: (rnd, i) => rnd(GARBAGE_MAX_BLOB + 1 + (i % 1000)),
  },
  { name: 'null', format: 'empty', checks: [], make: () => null },
  { name: 'empty', format: 'empty', checks: [], make: () => Buffer.alloc(0) },
];

/** Every 1,000th row: huge strings in the text columns (a 64 KiB description, a 4 KiB name with escapes). */
export const HUGE_EVERY = 1000;

export interface GarbagePlan {
  rows: number;
  /** rows per class name */
  byClass: Record<string, number>;
  /** failing rows expected per QA-B check */
  expected: Record<string, number>;
  /** inventory rows expected per format (JOB_DETAILS.JOB_DATA) */
  formats: Record<string, number>;
  hugeRows: number;
}

/** What a store of `rows` garbage rows holds, computed from the classes (no database needed). */
export function garbagePlan(rows: number): GarbagePlan {
  const byClass: Record<string, number> = {};
  const expected: Record<string, number> = {};
  const formats: Record<string, number> = {};
  CLASSES.forEach((c, k) => {
    const n = Math.floor(rows / CLASSES.length) + (k < rows % CLASSES.length ? 1 : 0);
    byClass[c.name] = n;
    for (const id of c.checks) expected[id] = (expected[id] ?? 0) + n;
    if (c.format) formats[c.format] = (formats[c.format] ?? 0) + n;
  });
  return { rows, byClass, expected, formats, hugeRows: Math.ceil(rows / HUGE_EVERY) };
}

/** Writes the garbage store to `path` (a new file) in one transaction of prepared inserts. */
export function writeGarbageStore(path: string, rows: number, seed = 17): GarbagePlan {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec(quartzSqliteSchema('QRTZ_'));
    const ins = db.prepare('INSERT INTO QRTZ_JOB_DETAILS VALUES (?, ?, ?, ?, ?, 1, 0, 0, 0, ?)');
    const rnd = filler(seed);
    const hugeDesc = `huge ${'\u001b[31m<script>x</script>\u202e'.repeat(2000)}${'D'.repeat(65_536 - 2000 * 24)}`;
    db.transaction(() => {
      for (let i = 0; i < rows; i++) {
        const c = CLASSES[i % CLASSES.length] as (typeof CLASSES)[number];
        const huge = i % HUGE_EVERY === 0;
        ins.run(
          GARBAGE_SCHED,
          huge ? `j${i}-${'\u001b]0;t\u0007N'.repeat(512)}` : `j${i}`,
          c.name,
          huge ? hugeDesc : null,
          'Garbage.Job, Garbage',
          c.make(rnd, i),
        );
      }
    })();
  } finally {
    db.close();
  }
  return garbagePlan(rows);
}
