import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Limits } from '../../src/decode/types.js';

export const VECTORS = join(import.meta.dirname, '..', '..', '..', 'shared', 'vectors');
export const hasVectors = existsSync(VECTORS);
if (!hasVectors) console.warn(`skipping real-vector tests: ${VECTORS} is absent (fixtures of our own still run)`);

export function limits(over: Partial<Limits> = {}): Limits {
  return { maxDepth: 64, maxRecords: 100_000, deadline: Date.now() + 5000, maxStringLength: 1 << 20, ...over };
}

export function u8(...parts: (number[] | Uint8Array | string)[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === 'string') out.push(...Buffer.from(p, 'latin1'));
    else out.push(...p);
  }
  return Uint8Array.from(out);
}
