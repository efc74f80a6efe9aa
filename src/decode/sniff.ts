/**
 * Format sniffing from the bytes alone (never from the store's configuration: both Quartz ports
 * fall back between properties and object serialization when reading).
 */

export type Sniffed = 'nrbf' | 'java' | 'gzip' | 'json' | 'properties' | 'empty' | 'unknown';

/** MS-NRBF SerializationHeaderRecord, sniffed loosely like NrbfDecoder.StartsWithPayloadHeader:
 *  record type 0, any RootId/HeaderId, version 1.0. */
export function isNrbf(b: Uint8Array): boolean {
  if (b.length < 17 || b[0] !== 0x00) return false;
  return (
    b[9] === 1 && b[10] === 0 && b[11] === 0 && b[12] === 0 && b[13] === 0 && b[14] === 0 && b[15] === 0 && b[16] === 0
  );
}

export function isJava(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0xac && b[1] === 0xed && b[2] === 0x00 && b[3] === 0x05;
}

export function isGzip(b: Uint8Array): boolean {
  return b.length >= 3 && b[0] === 0x1f && b[1] === 0x8b && b[2] === 0x08;
}

/** PE image ("MZ" header with a plausible e_lfanew pointing at "PE\0\0" when it is inside the buffer). */
export function isPe(b: Uint8Array): boolean {
  if (b.length < 2 || b[0] !== 0x4d || b[1] !== 0x5a) return false;
  if (b.length < 64) return b.length >= 2;
  const lfanew = (b[60] as number) | ((b[61] as number) << 8) | ((b[62] as number) << 16) | ((b[63] as number) << 24);
  if (lfanew <= 0 || lfanew + 4 > b.length) return true;
  return b[lfanew] === 0x50 && b[lfanew + 1] === 0x45 && b[lfanew + 2] === 0 && b[lfanew + 3] === 0;
}

export function isClassFile(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0xca && b[1] === 0xfe && b[2] === 0xba && b[3] === 0xbe;
}

/** Index of the first non-whitespace byte after an optional UTF-8 BOM. */
export function textStart(b: Uint8Array): number {
  let i = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0a || b[i] === 0x0d)) i++;
  return i;
}

export function isJsonStart(b: Uint8Array): boolean {
  const i = textStart(b);
  return i < b.length && (b[i] === 0x7b || b[i] === 0x5b);
}

/** Text with no NUL and few control characters (ISO-8859-1 or UTF-8). */
export function looksLikeText(b: Uint8Array, max = 4096): boolean {
  const n = Math.min(b.length, max);
  if (n === 0) return false;
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const c = b[i] as number;
    if (c === 0) return false;
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) bad++;
  }
  return bad * 50 <= n;
}

/** Java/.NET properties text: text whose first meaningful line is a comment (#, !) or has a key
 *  separator (=, :). Properties.store output always starts with a `#` line. */
export function isProperties(b: Uint8Array): boolean {
  if (!looksLikeText(b)) return false;
  const head = Buffer.from(b.subarray(0, 4096)).toString('latin1');
  for (const raw of head.split(/\r\n|\r|\n/)) {
    const line = raw.trimStart();
    if (line === '') continue;
    if (line.startsWith('#') || line.startsWith('!')) return true;
    return /^(?:\\.|[^=:\s\\])+\s*[=:]/.test(line);
  }
  return false;
}

export function sniff(b: Uint8Array | null): Sniffed {
  if (!b || b.length === 0) return 'empty';
  if (isNrbf(b)) return 'nrbf';
  if (isJava(b)) return 'java';
  if (isGzip(b)) return 'gzip';
  if (isJsonStart(b)) return 'json';
  if (isProperties(b)) return 'properties';
  return 'unknown';
}
