/**
 * Printable-string fallback: runs of at least `min` characters of UTF-8 text and of UTF-16LE text,
 * so detectors still see strings inside bytes no parser understood. Bounded in count and size.
 */
import type { FoundString } from '../model.js';

export interface StringScanOptions {
  min?: number;
  /** Stop after this many strings. */
  maxStrings?: number;
  /** Cut each string at this many characters. */
  maxLength?: number;
  /** Added to offsets in the path (when scanning a slice). */
  baseOffset?: number;
  /** Path prefix, e.g. ['(unparsed)']. */
  prefix?: string[];
}

function printable(c: number): boolean {
  return (c >= 0x20 && c < 0x7f) || c === 0x09;
}

/** Length of a valid UTF-8 multi-byte sequence starting at i (0 when none). */
function utf8Seq(b: Uint8Array, i: number): number {
  const c = b[i] as number;
  let n = 0;
  if (c >= 0xc2 && c <= 0xdf) n = 2;
  else if (c >= 0xe0 && c <= 0xef) n = 3;
  else if (c >= 0xf0 && c <= 0xf4) n = 4;
  else return 0;
  if (i + n > b.length) return 0;
  for (let k = 1; k < n; k++) if (((b[i + k] as number) & 0xc0) !== 0x80) return 0;
  return n;
}

const utf8 = new TextDecoder('utf-8');

export function extractStrings(b: Uint8Array, opts: StringScanOptions = {}): FoundString[] {
  const min = opts.min ?? 4;
  const maxStrings = opts.maxStrings ?? 10_000;
  const maxLength = opts.maxLength ?? 64 * 1024;
  const base = opts.baseOffset ?? 0;
  const prefix = opts.prefix ?? [];
  const out: FoundString[] = [];
  const push = (value: string, off: number, enc: string) => {
    if (out.length >= maxStrings) return;
    out.push({ path: [...prefix, `${enc}@0x${(base + off).toString(16)}`], value: value.slice(0, maxLength) });
  };
  // UTF-8 runs.
  let start = -1;
  let chars = 0;
  let i = 0;
  while (i <= b.length && out.length < maxStrings) {
    let step = 0;
    if (i < b.length) {
      const c = b[i] as number;
      if (printable(c)) step = 1;
      else step = utf8Seq(b, i);
    }
    if (step > 0) {
      if (start < 0) {
        start = i;
        chars = 0;
      }
      chars++;
      i += step;
    } else {
      if (start >= 0 && chars >= min)
        push(utf8.decode(b.subarray(start, Math.min(i, start + maxLength * 4))), start, 'utf8');
      start = -1;
      i++;
    }
  }
  // UTF-16LE runs, both alignments (ASCII and Latin-1 code units).
  for (let align = 0; align < 2 && out.length < maxStrings; align++) {
    let s0 = -1;
    let units: number[] = [];
    for (let j = align; j + 1 <= b.length; j += 2) {
      const lo = j + 1 < b.length ? (b[j] as number) : 0;
      const hi = j + 1 < b.length ? (b[j + 1] as number) : 1;
      const ok = hi === 0 && (printable(lo) || lo >= 0xa0);
      if (ok) {
        if (s0 < 0) s0 = j;
        if (units.length < maxLength) units.push(lo);
      } else {
        if (s0 >= 0 && units.length >= min) push(String.fromCharCode(...units.slice(0, 8192)), s0, 'utf16le');
        s0 = -1;
        units = [];
      }
      if (out.length >= maxStrings) break;
    }
    if (s0 >= 0 && units.length >= min) push(String.fromCharCode(...units.slice(0, 8192)), s0, 'utf16le');
  }
  return out;
}
