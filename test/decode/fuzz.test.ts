/**
 * Safety properties of decodeBlob on hostile bytes (fast-check): it never throws, always returns a
 * well-formed DecodeResult, stays within its time budget (checked as "returns" — no hang — with a
 * generous per-case ceiling only to turn a hang into a failure, not a speed assertion), and keeps
 * its output bounded. QRTZ_FUZZ_RUNS multiplies the runs; `npm run fuzz -- --minutes N`
 * (scripts/fuzz.ts) fuzzes for a given time and saves failing inputs to test/decode/regressions/.
 *
 * Cases in `npm test` (QRTZ_FUZZ_RUNS unset): 2,000 random + 3,000 truncations + 4,000 mutations
 * + 600 structured (huge lengths, deep nesting, cycles) + 500 JSON/properties + 200 nested = 10,300.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBlob } from '../../src/decode/index.js';
import {
  arrayList,
  hashMap,
  javaDate,
  priorityQueueGadget,
  proxyGadget,
  serializeJava,
  simpleTrigger,
  writeJobDataMap,
} from '../../src/fixtures/java-writer.js';
import { writeGadgetGraph, writeJobDataMap as writeNrbf } from '../../src/fixtures/nrbf-writer.js';
import type { DecodeResult } from '../../src/model.js';
import { VECTORS } from './helpers.js';

const FACTOR = Math.max(1, Number(process.env.QRTZ_FUZZ_RUNS ?? 0) / 10_000);
const runs = (n: number) => Math.round(n * FACTOR);
const FORMATS = new Set([
  'nrbf',
  'java',
  'json-newtonsoft',
  'json-stj',
  'json',
  'properties',
  'gzip',
  'empty',
  'unknown',
]);
const OPTS = { timeBudgetMs: 500 };

function corpus(): Uint8Array[] {
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
    serializeJava(simpleTrigger('t', { command: 'ls' })),
    serializeJava(priorityQueueGadget(), proxyGadget()), // two top-level objects: see MULTI
    writeNrbf({ user: 'bob', n: 3, when: new Date(0), nested: { dictionary: { a: 'b' } }, list: { list: ['x', 1] } }),
    writeNrbf({ k: 'v' }, { layout: '1.x' }),
    writeGadgetGraph('System.Security.Claims.ClaimsIdentity', undefined, { m_serializedClaims: 'AAEAAAD/////' }),
    enc(
      '{"$type":"Quartz.Impl.Calendar.CronCalendar, Quartz","BaseCalendar":{"$type":"X, Y"},"a":[1,{"$values":[1]}]}',
    ),
    enc("{'a':'single', b: NaN, c: new Date(1), /* c */ d: [1,],}"),
    enc('#\n#date\ncommand=echo hi\npass\\ word=s\\u00E9\\\n  cont\n'),
    gzipSync(writeJobDataMap({ z: 'gz' })),
  ];
  for (const d of ['java-quartz', 'quartznet']) {
    const dir = join(VECTORS, d);
    if (existsSync(dir)) for (const f of readdirSync(dir)) out.push(new Uint8Array(readFileSync(join(dir, f))));
  }
  return out;
}
const CORPUS = corpus();
/** Streams with more than one top-level content: a cut between them is a valid shorter stream. */
const MULTI = new Set([CORPUS[2]]);

function check(bytes: Uint8Array): DecodeResult {
  let r: DecodeResult | undefined;
  expect(() => {
    r = decodeBlob(bytes, OPTS);
  }).not.toThrow();
  const d = r as DecodeResult;
  expect(FORMATS.has(d.format)).toBe(true);
  expect(Array.isArray(d.types) && Array.isArray(d.entries) && Array.isArray(d.strings)).toBe(true);
  // Bounded output: never more strings/entries than a small multiple of the input can justify.
  expect(d.strings.length).toBeLessThanOrEqual(Math.max(64, bytes.length * 2));
  expect(d.entries.length).toBeLessThanOrEqual(100_000 + bytes.length);
  for (const s of d.strings.slice(0, 50)) expect(typeof s.value).toBe('string');
  JSON.stringify(d.tree ?? null); // serializable (no cycles in the tree)
  return d;
}

describe('fuzz: decodeBlob never throws, never hangs, stays bounded', () => {
  it('random bytes, with and without each format header', () => {
    const headers = [
      [],
      [0xac, 0xed, 0, 5],
      [0, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 1, 0, 0, 0, 0, 0, 0, 0],
      [0x1f, 0x8b, 8],
      [0x7b],
      [0x23, 0x0a],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...headers), fc.uint8Array({ maxLength: 512 }), (h, body) => {
        check(Uint8Array.from([...h, ...body]));
      }),
      { numRuns: runs(2000) },
    );
  });

  it('every truncation of real vectors and fixtures is malformed or shorter-but-valid, never clean by accident', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CORPUS), fc.nat(), (blob, n) => {
        const cut = blob.subarray(0, n % Math.max(1, blob.length));
        const r = check(cut);
        // A cut serialized stream (past its header) must say it was cut.
        if (
          !MULTI.has(blob) &&
          cut.length >= 20 &&
          (r.format === 'java' || r.format === 'nrbf') &&
          r.nestedFormats.length === 0
        )
          expect(r.malformed).toBeDefined();
      }),
      { numRuns: runs(3000) },
    );
  });

  it('byte mutations of real vectors and fixtures', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CORPUS),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        (blob, muts) => {
          const b = Uint8Array.from(blob);
          for (const [at, v] of muts) b[at % b.length] = v;
          check(b);
        },
      ),
      { numRuns: runs(4000) },
    );
  });

  it('huge declared lengths at every 4-byte-aligned position of the corpus', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CORPUS),
        fc.nat(),
        fc.constantFrom(0x7fffffff, 0xffffffff, 0x7fffff00, 0x80000000),
        (blob, at, v) => {
          const b = Uint8Array.from(blob);
          const i = at % Math.max(1, b.length - 4);
          new DataView(b.buffer).setUint32(i, v, (at & 1) === 0);
          check(b);
        },
      ),
      { numRuns: runs(400) },
    );
  });

  it('deep nesting and cyclic references (structured)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.constantFrom('json', 'java-array', 'java-ref'),
        (depth, kind) => {
          let bytes: Uint8Array;
          if (kind === 'json') bytes = new TextEncoder().encode(`${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`);
          else if (kind === 'java-array') {
            const desc = [
              0x72,
              0,
              19,
              ...Buffer.from('[Ljava.lang.Object;'),
              0,
              0,
              0,
              0,
              0,
              0,
              0,
              1,
              2,
              0,
              0,
              0x78,
              0x70,
            ];
            const parts = [0xac, 0xed, 0, 5, 0x75, ...desc, 0, 0, 0, 1];
            for (let i = 1; i < depth; i++) parts.push(0x75, 0x71, 0, 0x7e, 0, 0, 0, 0, 0, 1);
            parts.push(0x70);
            bytes = Uint8Array.from(parts);
          } else {
            // An Object[] holding references to itself `depth` times (a cycle through handles).
            const desc = [
              0x72,
              0,
              19,
              ...Buffer.from('[Ljava.lang.Object;'),
              0,
              0,
              0,
              0,
              0,
              0,
              0,
              1,
              2,
              0,
              0,
              0x78,
              0x70,
            ];
            const parts = [
              0xac,
              0xed,
              0,
              5,
              0x75,
              ...desc,
              (depth >>> 24) & 255,
              (depth >>> 16) & 255,
              (depth >>> 8) & 255,
              depth & 255,
            ];
            for (let i = 0; i < depth; i++) parts.push(0x71, 0, 0x7e, 0, 1);
            bytes = Uint8Array.from(parts);
          }
          const r = check(bytes);
          if (kind !== 'java-ref' && depth > 70) expect(r.limited ?? r.malformed).toBeDefined();
          if (kind === 'java-ref') expect(r.malformed).toBeUndefined();
        },
      ),
      { numRuns: runs(200) },
    );
  });

  it('JSON and properties text: arbitrary strings never throw', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.json({ maxDepth: 4 }).map((j) => j.replace(/"/g, "'")),
        ),
        (s) => {
          check(new TextEncoder().encode(`{${s}`));
          check(new TextEncoder().encode(`#\n${s}`));
        },
      ),
      { numRuns: runs(500) },
    );
  });

  it('nested base64 of mutated payloads inside a JobDataMap', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CORPUS), fc.nat(), (blob, n) => {
        const cut = blob.subarray(0, Math.max(20, n % blob.length));
        check(writeJobDataMap({ p: Buffer.from(cut).toString('base64'), h: Buffer.from(cut).toString('hex') }));
      }),
      { numRuns: runs(200) },
    );
  });
});
