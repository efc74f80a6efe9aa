/**
 * What every decoder must do with any input (the fuzz oracle), shared by `npm run fuzz`
 * (scripts/fuzz.ts) and the regression replay test (test/decode/regressions.test.ts):
 *  - decodeBlob never throws, returns a well-formed result (known format, arrays, bounded output,
 *    a serializable tree) and returns within a generous multiple of its time budget;
 *  - the JSON and properties parsers, called directly whatever the bytes sniff as, never throw;
 *  - the secret detectors never throw on any string the decoders return.
 * Returns the first violation as one line, or undefined.
 */
import { decodeBlob } from '../src/decode/index.js';
import { parseJson } from '../src/decode/json.js';
import { parseProperties } from '../src/decode/properties.js';
import type { Limits } from '../src/decode/types.js';
import { detectSecrets } from '../src/secrets/detect.js';

export const TIME_BUDGET_MS = 500;
/** A case slower than this is a failure (a hang in the making), whatever the machine's load. */
export const SLOW_MS = 10_000;

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

function limits(): Limits {
  return { maxDepth: 64, maxRecords: 100_000, deadline: Date.now() + TIME_BUDGET_MS, maxStringLength: 1 << 20 };
}

function message(e: unknown): string {
  return (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).split('\n')[0]?.slice(0, 300) ?? '';
}

export function oracle(bytes: Uint8Array): string | undefined {
  const t0 = performance.now();
  let d: ReturnType<typeof decodeBlob>;
  try {
    d = decodeBlob(bytes, { timeBudgetMs: TIME_BUDGET_MS });
  } catch (e) {
    return `decodeBlob threw ${message(e)}`;
  }
  const ms = performance.now() - t0;
  if (ms > SLOW_MS) return `decodeBlob took ${Math.round(ms)} ms (budget ${TIME_BUDGET_MS} ms)`;
  if (!FORMATS.has(d.format)) return `unknown format ${String(d.format)}`;
  if (!Array.isArray(d.types) || !Array.isArray(d.entries) || !Array.isArray(d.strings)) return 'result arrays missing';
  if (d.strings.length > Math.max(64, bytes.length * 2))
    return `${d.strings.length} strings from ${bytes.length} bytes`;
  if (d.entries.length > 100_000 + bytes.length) return `${d.entries.length} entries from ${bytes.length} bytes`;
  for (const s of d.strings) if (typeof s.value !== 'string' || !Array.isArray(s.path)) return 'a string is malformed';
  if (
    d.trailing &&
    (d.trailing.offset < 0 ||
      d.trailing.length <= 0 ||
      (!d.trailing.within && d.trailing.offset + d.trailing.length !== bytes.length))
  )
    return `trailing bytes ${d.trailing.offset}+${d.trailing.length} do not end at ${bytes.length}`;
  try {
    JSON.stringify(d.tree ?? null);
  } catch (e) {
    return `tree not serializable: ${message(e)}`;
  }
  for (const [name, parse] of [
    ['parseJson', parseJson],
    ['parseProperties', parseProperties],
  ] as const) {
    try {
      parse(bytes, limits());
    } catch (e) {
      return `${name} threw ${message(e)}`;
    }
  }
  try {
    let n = 0;
    for (const s of d.strings) {
      if (++n > 2000) break;
      detectSecrets({ path: s.path, key: '', value: s.value });
    }
    for (const e of d.entries.slice(0, 2000))
      if (typeof e.value === 'string') detectSecrets({ path: e.path, value: e.value });
  } catch (e) {
    return `detectSecrets threw ${message(e)}`;
  }
  return undefined;
}
