/** --shard I/N (issue #13 part 5): validated, and the shards of any target list partition it exactly. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapPool } from '../../src/fleet/pool.js';
import { parseShard, selectShard, shardOf } from '../../src/fleet/shard.js';

describe('--shard', () => {
  it.each(['1/1', '-1/2', '2/2', '0/0', 'a/b', '1', '0/1001', '1.5/3', ''])('%j is refused', (v) => {
    expect(() => parseShard(v)).toThrow(/expected I\/N with 0 <= I < N <= 1000/);
  });
  it.each([
    ['0/1', { index: 0, count: 1 }],
    ['3/4', { index: 3, count: 4 }],
    [' 0 / 12 ', { index: 0, count: 12 }],
  ])('%j is shard %o', (v, want) => {
    expect(parseShard(v)).toEqual(want);
  });

  it('is sha256(name) mod N (first 8 bytes, big-endian): values computed independently (Python hashlib)', () => {
    // sha256("billing") = 0c95c7ece1ce1a97…, sha256("local-demo") = bf67c55e1add7024…
    expect([2, 3, 4, 7].map((n) => shardOf('billing', n))).toEqual([1, 1, 3, 2]);
    expect([2, 3, 4, 7].map((n) => shardOf('local-demo', n))).toEqual([0, 2, 0, 6]);
  });

  it('the shards of any list are disjoint and their union is the list, in its order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/), { maxLength: 60 }),
        fc.integer({ min: 1, max: 12 }),
        (names, count) => {
          const targets = names.map((name) => ({ name }));
          const shards = Array.from({ length: count }, (_, index) => selectShard(targets, { index, count }));
          const all = shards.flat().map((t) => t.name);
          expect(all.length).toBe(names.length);
          expect(new Set(all)).toEqual(new Set(names));
          for (const s of shards)
            expect(s.map((t) => t.name)).toEqual(names.filter((n) => s.some((t) => t.name === n)));
        },
      ),
    );
  });
});

describe('the concurrency pool', () => {
  it('never runs more than N at once, reaches N, and keeps the order of results', async () => {
    for (const n of [1, 2, 3]) {
      let running = 0;
      let peak = 0;
      const out = await mapPool([...Array(9).keys()], n, async (i) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5 + ((i * 7) % 11)));
        running--;
        return i * 2;
      });
      expect(peak).toBe(n);
      expect(out).toEqual([...Array(9).keys()].map((i) => i * 2));
    }
  });
});
