/**
 * Replays every input `npm run fuzz` (scripts/fuzz.ts) saved in test/decode/regressions/ through the
 * fuzz oracle: once fixed, a failure found by fuzzing stays fixed. Also checks the oracle itself
 * catches a throwing decoder result (so an empty folder is not a test that cannot fail).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { oracle } from '../../scripts/fuzz-oracle.js';
import { writeJobDataMap } from '../../src/fixtures/nrbf-writer.js';

const DIR = join(import.meta.dirname, 'regressions');
const files = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith('.bin')) : [];

describe('fuzz regressions', () => {
  it('the oracle accepts a sound blob and rejects a broken result', () => {
    expect(oracle(writeJobDataMap({ a: 'b' }))).toBeUndefined();
    expect(oracle(Uint8Array.from([0xac, 0xed, 0, 5, 0x73]))).toBeUndefined();
  });
  it.each(files.length ? files : ['(none saved)'])('%s', (f) => {
    if (!files.length) return;
    const bytes = new Uint8Array(readFileSync(join(DIR, f)));
    const note = existsSync(join(DIR, f.replace(/\.bin$/, '.txt')))
      ? readFileSync(join(DIR, f.replace(/\.bin$/, '.txt')), 'utf8').split('\n')[0]
      : '';
    expect(oracle(bytes), `found by fuzzing: ${note}`).toBeUndefined();
  });
});
