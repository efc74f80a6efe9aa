import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNrbf } from '../../src/decode/nrbf.js';
import type { Limits } from '../../src/decode/types.js';
import { NrbfWriter, P, T, writeGadgetGraph, writeJobDataMap } from '../../src/fixtures/nrbf-writer.js';

const limits = (over: Partial<Limits> = {}): Limits => ({
  maxDepth: 64,
  maxRecords: 100_000,
  deadline: Date.now() + 10_000,
  maxStringLength: 1_000_000,
  ...over,
});

const MAX = 2_147_483_591;
const vectors = join(import.meta.dirname, '../../../shared/vectors/quartznet');
const haveVectors = existsSync(vectors);
if (!haveVectors) console.warn(`real-blob truncation uses writer fixtures only: ${vectors} not found`);

/** A rich fixture of our own: every kind of record the writer makes. */
const own = writeJobDataMap({
  s: 'value',
  n: 1,
  m: { hashtable: { k: 'v', d: { dictionary: { x: 1.5 } } } },
  l: { list: ['a', null, 3] },
  b: { bytes: new Uint8Array([1, 2, 3]) },
  g: { object: { type: 'X.Y', library: 'X, Version=1.0.0.0', members: { p: 'q' } } },
});

function truncationsNeverThrow(bytes: Uint8Array, name: string): void {
  for (let n = 0; n < bytes.length; n++) {
    const r = parseNrbf(bytes.subarray(0, n), limits());
    expect(r.malformed, `${name} cut at ${n}`).toBeDefined();
    expect(r.malformed?.offset ?? -1, `${name} cut at ${n}`).toBeLessThanOrEqual(n);
  }
  expect(parseNrbf(bytes, limits()).malformed).toBeUndefined();
}

describe('truncation at every offset', () => {
  it('of our own JobDataMap fixture', () => {
    truncationsNeverThrow(own, 'writer JobDataMap');
  });
  it.skipIf(!haveVectors)('of every real vector', () => {
    for (const f of ['JobDataMap_10.ser', 'TestTrigger_Complete.ser', 'HolidayCalendar_23.ser']) {
      truncationsNeverThrow(readFileSync(join(vectors, f)), f);
    }
  });
  it('keeps what was learned before the cut', () => {
    const cut = own.subarray(0, Math.floor(own.length * 0.6));
    const r = parseNrbf(cut, limits());
    expect(r.malformed?.reason).toMatch(/truncated/);
    expect(r.types.map((t) => t.name)).toContain('Quartz.JobDataMap');
    expect(r.quartzVersions).toEqual(['Quartz, Version=3.3.3.0']);
  });
});

describe('huge declared lengths are checked before allocating', () => {
  it('ArraySinglePrimitive of 2^31 elements with 10 bytes left', () => {
    const b = new NrbfWriter()
      .header(1, -1)
      .u8(15)
      .i32(1)
      .i32(MAX)
      .u8(P.Int64)
      .raw([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
      .bytes();
    const r = parseNrbf(b, limits());
    expect(r.malformed?.reason).toMatch(/declares 2147483591 elements but only 10 bytes remain/);
    expect(r.malformed?.offset).toBe(17);
  });
  it('a Byte[] longer than the stream', () => {
    const b = new NrbfWriter().header(1, -1).u8(15).i32(1).i32(1_000_000).u8(P.Byte).raw([1, 2]).bytes();
    expect(parseNrbf(b, limits()).malformed?.reason).toMatch(/declares 1000000 bytes/);
  });
  it('a 20-byte ArraySingleString of Array.MaxLength nulls is valid and cheap', () => {
    const b = new NrbfWriter().header(1, -1).arraySingleString(1, MAX).nullMultiple(MAX).messageEnd().bytes();
    const r = parseNrbf(b, limits());
    expect(r.malformed).toBeUndefined();
    expect(r.tree?.children?.[0]?.type).toBe(`null ×${MAX}`);
  });
  it('negative and oversize lengths, string lengths and member counts', () => {
    const neg = new NrbfWriter().header(1, -1).arraySingleObject(1, -1).messageEnd().bytes();
    expect(parseNrbf(neg, limits()).malformed?.reason).toBe('invalid array length -1');
    const lps = new NrbfWriter().header(1, -1).u8(6).i32(1).raw([0xff, 0xff, 0xff, 0xff, 0x07, 0x41]).bytes();
    expect(parseNrbf(lps, limits()).malformed?.reason).toMatch(/string declares 2147483647 bytes, 1 left/);
    const lps5 = new NrbfWriter().header(1, -1).u8(6).i32(1).raw([0xff, 0xff, 0xff, 0xff, 0x7f]).bytes();
    expect(parseNrbf(lps5, limits()).malformed?.reason).toBe('invalid string length prefix');
    const members = new NrbfWriter().header(1, -1).u8(4).i32(1).lps('X').i32(MAX).bytes();
    expect(parseNrbf(members, limits()).malformed?.reason).toMatch(/MemberCount 2147483591 exceeds/);
  });
  it('BinaryArray rank and length product', () => {
    const rank = new NrbfWriter().header(1, -1).u8(7).i32(1).u8(2).i32(33).bytes();
    expect(parseNrbf(rank, limits()).malformed?.reason).toBe('invalid rank 33 for a Rectangular array');
    const single2 = new NrbfWriter().header(1, -1).u8(7).i32(1).u8(0).i32(2).bytes();
    expect(parseNrbf(single2, limits()).malformed?.reason).toBe('invalid rank 2 for a Single array');
    const product = new NrbfWriter().header(1, -1).binaryArray(1, 2, [MAX, MAX, MAX], T.object).messageEnd().bytes();
    expect(parseNrbf(product, limits()).malformed?.reason).toMatch(/declares .* elements/);
  });
});

describe('hostile structure', () => {
  it('10,000 nested class records: no stack overflow, depth limit reported', () => {
    const w = new NrbfWriter().header(1, -1);
    const n = 10_000;
    for (let i = 1; i <= n; i++) w.systemClassWithMembersAndTypes(i, `Nest${i % 7}`, [['inner', T.object]]);
    w.objectNull().messageEnd();
    const r = parseNrbf(w.bytes(), limits({ maxDepth: 64 }));
    expect(r.malformed).toBeUndefined();
    expect(r.limited).toBe('depth limit 64 reached');
    // a huge maxDepth is still capped by the walker
    const big = parseNrbf(w.bytes(), limits({ maxDepth: 1_000_000 }));
    expect(big.limited).toMatch(/depth limit \d+ reached/);
  });
  it('strings below the depth limit are still reported', () => {
    const w = new NrbfWriter().header(1, -1);
    for (let i = 1; i <= 300; i++) w.systemClassWithMembersAndTypes(i, 'N', [['inner', T.object]]);
    w.objectString(100_000, 'deep secret').messageEnd();
    const r = parseNrbf(w.bytes(), limits({ maxDepth: 16 }));
    expect(r.strings.map((s) => s.value)).toContain('deep secret');
  });
  it('record and time limits stop the read without calling it malformed', () => {
    const w = new NrbfWriter().header(1, -1).arraySingleObject(1, 5000);
    for (let i = 0; i < 5000; i++) w.objectString(i + 2, `s${i}`);
    const b = w.messageEnd().bytes();
    const rec = parseNrbf(b, limits({ maxRecords: 100 }));
    expect(rec.limited).toBe('record limit 100 reached');
    expect(rec.malformed).toBeUndefined();
    const time = parseNrbf(b, limits({ deadline: Date.now() - 1 }));
    expect(time.limited).toBe('time budget exceeded');
  });
  it('unknown record types, bad headers, duplicate ids and trailing bytes', () => {
    expect(parseNrbf(new Uint8Array([1, 2, 3]), limits()).malformed).toEqual({
      offset: 0,
      reason: 'no SerializationHeaderRecord',
    });
    const v2 = new NrbfWriter().u8(0).i32(1).i32(-1).i32(2).i32(0).messageEnd().bytes();
    expect(parseNrbf(v2, limits()).malformed?.reason).toBe('unsupported version 2.0');
    const rt = new NrbfWriter().header(1, -1).u8(19).bytes();
    expect(parseNrbf(rt, limits()).malformed).toEqual({ offset: 17, reason: 'unexpected record type 19' });
    const dup = new NrbfWriter()
      .header(1, -1)
      .arraySingleObject(1, 2)
      .objectString(2, 'a')
      .objectString(2, 'b')
      .messageEnd()
      .bytes();
    expect(parseNrbf(dup, limits()).malformed?.reason).toBe('duplicate object id 2');
    const zero = new NrbfWriter().header(1, -1).objectString(0, 'a').messageEnd().bytes();
    expect(parseNrbf(zero, limits()).malformed?.reason).toBe('object id 0 is invalid');
    const noEnd = new NrbfWriter().header(1, -1).objectString(1, 'a').bytes();
    expect(parseNrbf(noEnd, limits()).malformed?.reason).toBe('truncated: stream ends without MessageEnd');
    const trailing = new Uint8Array([...writeGadgetGraph('A.B'), 0xde, 0xad]);
    const t = parseNrbf(trailing, limits());
    // .NET reads up to MessageEnd: not malformed, the bytes after it are their own observation (QA-B08).
    expect(t.malformed).toBeUndefined();
    expect(t.trailing).toEqual({ offset: trailing.length - 2, length: 2, preview: 'dead' });
    const badPrim = new NrbfWriter().header(1, -1).arraySingleObject(1, 1).u8(8).u8(4).messageEnd().bytes();
    expect(parseNrbf(badPrim, limits()).malformed?.reason).toBe('invalid PrimitiveType 4');
    const badChar = new NrbfWriter()
      .header(1, -1)
      .arraySingleObject(1, 1)
      .u8(8)
      .u8(P.Char)
      .u8(0xff)
      .messageEnd()
      .bytes();
    expect(parseNrbf(badChar, limits()).malformed?.reason).toBe('invalid UTF-8 lead byte 0xff in Char');
  });
});

describe('property: hostile bytes never throw', () => {
  const runs = Number(process.env.QRTZ_FUZZ_RUNS ?? 0) || 400;
  it('random mutations of a real-shaped stream', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(own.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        (muts) => {
          const b = Uint8Array.from(own);
          for (const [i, v] of muts) b[i] = v;
          const r = parseNrbf(b, limits());
          expect(r.format).toBe('nrbf');
          expect(Array.isArray(r.types)).toBe(true);
        },
      ),
      { numRuns: runs },
    );
  });
  it('random records after a valid header', () => {
    const header = new NrbfWriter().header(1, -1).bytes();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (tail) => {
        const b = new Uint8Array(header.length + tail.length);
        b.set(header);
        b.set(tail, header.length);
        const r = parseNrbf(b, limits());
        // A random tail is almost never a complete stream; either way no exception escapes.
        expect(r.malformed === undefined || typeof r.malformed.reason === 'string').toBe(true);
      }),
      { numRuns: runs },
    );
  });
});

describe('string length bound', () => {
  it('cuts long strings to maxStringLength and says so', () => {
    const b = new NrbfWriter()
      .header(1, -1)
      .objectString(1, `${'x'.repeat(100)}é${'y'.repeat(100)}`)
      .messageEnd()
      .bytes();
    const r = parseNrbf(b, limits({ maxStringLength: 10 }));
    expect(r.malformed).toBeUndefined();
    expect(r.strings).toEqual([{ path: [], value: 'xxxxxxxxxx' }]);
    expect(r.limited).toBe('1 string longer than 10 characters cut');
    expect(parseNrbf(b, limits()).limited).toBeUndefined();
  });
});

describe('shared sub-graphs', () => {
  it('a DAG of 40 levels of doubly-referenced lists is flattened within a budget, not 2^40 times', () => {
    const w = new NrbfWriter().header(1, -1).library(2, 'Quartz, Version=3.3.3.0');
    w.classWithMembersAndTypes(
      1,
      'Quartz.JobDataMap',
      [
        ['version', T.prim(P.Int32)],
        ['dirty', T.prim(P.Boolean)],
        ['map', T.systemClass('System.Collections.Hashtable')],
      ],
      2,
    );
    w.prim(P.Int32, 1).prim(P.Boolean, true).memberReference(3);
    w.systemClassWithMembersAndTypes(3, 'System.Collections.Hashtable', [
      ['Keys', T.objectArray],
      ['Values', T.objectArray],
    ]);
    w.memberReference(4).memberReference(5);
    w.arraySingleObject(4, 1).objectString(6, 'k');
    w.arraySingleObject(5, 1).memberReference(100);
    const levels = 40;
    for (let i = 0; i < levels; i++) {
      w.arraySingleObject(100 + i, 2);
      if (i === levels - 1) w.objectString(1000, 'leaf').memberReference(1000);
      else w.memberReference(101 + i).memberReference(101 + i);
    }
    const r = parseNrbf(w.messageEnd().bytes(), limits({ maxDepth: 100 }));
    expect(r.malformed).toBeUndefined();
    expect(r.limited).toMatch(/JobDataMap view stopped after \d+ entries/);
    expect(r.entries.length).toBeGreaterThan(1000);
    expect(r.entries.length).toBeLessThanOrEqual(100_000);
    expect(r.entries[0]).toEqual({
      path: ['k', ...Array.from({ length: levels }, () => '[0]')],
      value: 'leaf',
      valueType: 'System.String',
    });
  });
});
