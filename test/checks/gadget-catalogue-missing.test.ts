import { beforeEach, describe, expect, it, vi } from 'vitest';

// A package without data/gadgets.json (a packaging bug): the scan asks the catalogue once per distinct type, and
// a failed load must not be retried — a read and a thrown error per type name made a content pass ~40% slower.
const reads = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return {
    ...fs,
    existsSync: (p: string) => (String(p).endsWith('gadgets.json') ? false : fs.existsSync(p)),
    readFileSync: ((p: string, ...rest: unknown[]) => {
      if (String(p).endsWith('gadgets.json')) {
        reads.count++;
        throw Object.assign(new Error(`ENOENT: no such file or directory, open '${p}'`), { code: 'ENOENT' });
      }
      return (fs.readFileSync as (...a: unknown[]) => unknown)(p, ...rest);
    }) as typeof fs.readFileSync,
  };
});

describe('gadget catalogue that cannot be loaded', () => {
  beforeEach(() => {
    reads.count = 0;
  });

  it('fails every ask the same way, reading once', async () => {
    const { findGadget, loadGadgetCatalogue } = await import('../../src/checks/content/gadgets.js');
    const errors: string[] = [];
    for (let i = 0; i < 50; i++) {
      try {
        findGadget(`Acme.Type${i}`, 'dotnet');
      } catch (err) {
        errors.push((err as Error).message);
      }
    }
    expect(errors).toHaveLength(50);
    expect(new Set(errors).size).toBe(1);
    expect(errors[0]).toMatch(/ENOENT.*gadgets\.json/);
    expect(reads.count).toBe(1);
    // An explicit path is read each time (it is not the default catalogue)
    expect(() => loadGadgetCatalogue('/nonexistent/gadgets.json')).toThrow(/ENOENT/);
    expect(reads.count).toBe(2);
  });
});
