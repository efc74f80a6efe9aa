import { describe, expect, it } from 'vitest';
import { Rng } from '../../scripts/rng.js';
import { formatDateTime, formatDateTimeHalves } from '../../src/decode/nrbf.js';

/** The scripts' xorshift32 (scripts/rng.ts): the same sequences on every run. */
const rng = (seed: number) => {
  const g = new Rng(seed);
  return () => g.next();
};

const halves = (raw: bigint): [number, number] => [Number(raw & 0xffffffffn), Number(raw >> 32n)];
const TICKS_UNIX_EPOCH = 621_355_968_000_000_000n;
const MAX_TICKS = 3_155_378_975_999_999_999n;

describe('DateTime text in Number arithmetic (formatDateTimeHalves)', () => {
  it('equals the BigInt formatDateTime on random wire bits of every Kind, edges and invalid ticks', () => {
    const r = rng(11);
    const raws: bigint[] = [];
    for (const kind of [0n, 1n, 2n, 3n]) {
      for (const t of [
        0n,
        1n,
        9_999n,
        10_000n,
        9_999_999n,
        10_000_000n,
        TICKS_UNIX_EPOCH - 1n,
        TICKS_UNIX_EPOCH,
        TICKS_UNIX_EPOCH + 1n,
        TICKS_UNIX_EPOCH - 10_000n,
        TICKS_UNIX_EPOCH - 10_001n,
        734_000_000n * 2n ** 32n - 1n,
        734_000_000n * 2n ** 32n,
        MAX_TICKS,
        MAX_TICKS + 1n,
        (1n << 62n) - 1n,
      ])
        raws.push((kind << 62n) | t);
      for (let i = 0; i < 5_000; i++) {
        // Ticks over the whole 62-bit field, and within the valid years more densely.
        const t =
          i % 2 === 0
            ? ((BigInt(r()) << 30n) | BigInt(r() >>> 2)) & ((1n << 62n) - 1n)
            : ((((BigInt(r()) << 32n) | BigInt(r())) % (MAX_TICKS + 1n)) as bigint);
        raws.push((kind << 62n) | t);
      }
    }
    for (const raw of raws) expect(formatDateTimeHalves(...halves(raw))).toBe(formatDateTime(raw));
  });

  it('equals it at every day boundary of years around leap rules and the range ends', () => {
    const day = 864_000_000_000n; // ticks per day
    const wrong: string[] = [];
    let checked = 0;
    const yearTicks = (y: number) => BigInt(Math.floor((Date.UTC(y, 0, 1) - Date.UTC(1970, 0, 1)) / 1)) * 10_000n;
    for (const [from, to] of [
      [1, 3],
      [99, 101],
      [1599, 1601],
      [1899, 1901],
      [1968, 1972],
      [1999, 2001],
      [2099, 2101],
      [9986, 9989],
    ] as const) {
      const start =
        TICKS_UNIX_EPOCH +
        (from < 100 ? -62_135_596_800_000n * 10_000n + BigInt(from - 1) * 365n * day : yearTicks(from));
      const end = TICKS_UNIX_EPOCH + yearTicks(to);
      for (let t = start < 0n ? 0n : start; t < end; t += day)
        for (const off of [0n, 1n, day - 1n, day / 2n + 12_345_678n]) {
          const raw = (1n << 62n) | (t + off);
          checked++;
          const got = formatDateTimeHalves(...halves(raw));
          const want = formatDateTime(raw);
          if (got !== want) wrong.push(`${raw}: ${got} ≠ ${want}`);
        }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(checked).toBeGreaterThan(25_000);
  });

  it('reads what .NET wrote: 2023-11-14T22:13:20.0000000Z', () => {
    const ticks = TICKS_UNIX_EPOCH + 1_700_000_000_000n * 10_000n;
    expect(formatDateTimeHalves(...halves((1n << 62n) | ticks))).toBe('2023-11-14T22:13:20.0000000Z');
    expect(formatDateTimeHalves(...halves(ticks + 1234567n))).toBe('2023-11-14T22:13:20.1234567');
    expect(formatDateTimeHalves(...halves((2n << 62n) | ticks))).toBe('2023-11-14T22:13:20.0000000 (Local)');
  });
});
