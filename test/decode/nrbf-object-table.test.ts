import { describe, expect, it } from 'vitest';
import { Rng } from '../../scripts/rng.js';
import { type NObj, ObjectTable } from '../../src/decode/nrbf-graph.js';

/** The scripts' xorshift32 (scripts/rng.ts): the same sequences on every run. */
const rng = (seed: number) => {
  const g = new Rng(seed);
  return () => g.next();
};

describe('ObjectTable (the NRBF object-by-id table)', () => {
  it('behaves as a Map for get/has/size and first-insertion order, over random id sequences', () => {
    const r = rng(7);
    for (let t = 0; t < 500; t++) {
      const m = new Map<number, NObj>();
      const o = new ObjectTable();
      const n = r() % 300;
      for (let i = 0; i < n; i++) {
        const k = r() % 8;
        // Negative (repeating), far, huge, ascending and small ids, far negative ones, mixed.
        const id =
          k === 0
            ? -(r() % 20)
            : k === 1
              ? r() % 200_000
              : k === 2
                ? r() | 0
                : k === 3
                  ? i + 1
                  : k === 4
                    ? -(r() % 400)
                    : k === 5
                      ? -(r() % 200_000)
                      : r() % 500;
        const obj = { id } as NObj;
        m.set(id, obj);
        o.set(id, obj);
        const q = (r() % 900) - 500;
        expect(o.get(q)).toBe(m.get(q));
        expect(o.has(q)).toBe(m.has(q));
      }
      expect(o.size).toBe(m.size);
      expect([...o.values()]).toEqual([...m.values()]);
      for (const [id, obj] of m) expect(o.get(id)).toBe(obj);
    }
  });

  it('keeps a replaced id at its first position, and a far id costs no dense slots', () => {
    const o = new ObjectTable();
    const a = { id: -1 } as NObj;
    const b = { id: 5 } as NObj;
    const c = { id: -1 } as NObj;
    o.set(-1, a);
    o.set(5, b);
    o.set(-1, c);
    expect([...o.values()]).toEqual([c, b]);
    o.set(60_000, b);
    expect(o.get(60_000)).toBe(b);
    expect((o as unknown as { dense: unknown[] }).dense.length).toBeLessThan(100);
    // A far negative id goes to the Map; the negative array filled past it later still finds it there.
    const d = { id: -500 } as NObj;
    const e = { id: -500 } as NObj;
    o.set(-500, d);
    expect((o as unknown as { neg: unknown[] }).neg.length).toBeLessThan(100);
    for (let id = -2; id >= -499; id--) o.set(id, { id } as NObj);
    expect((o as unknown as { neg: unknown[] }).neg.length).toBe(500);
    expect(o.get(-500)).toBe(d);
    o.set(-500, e);
    expect(o.get(-500)).toBe(e);
    expect(o.values()[3]).toBe(e);
    expect(o.size).toBe(4 + 498);
  });
});
