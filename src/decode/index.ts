/**
 * Blob decoding entry point (contract; the decoders issue fills it in).
 * Parse, never deserialize: bounded in depth, records, lengths and time; hostile bytes give a
 * `malformed` result, never a throw.
 */
import type { DecodeResult } from '../model.js';

export interface DecodeOptions {
  maxDepth?: number;
  maxRecords?: number;
  timeBudgetMs?: number;
}

/** Header-byte sniffing only (temporary, replaced by the full decoders). */
export function decodeBlob(bytes: Uint8Array | null, _options: DecodeOptions = {}): DecodeResult {
  const base: DecodeResult = { format: 'unknown', nestedFormats: [], types: [], entries: [], strings: [] };
  if (!bytes || bytes.length === 0) return { ...base, format: 'empty' };
  if (bytes.length >= 17 && bytes[0] === 0x00 && bytes[1] === 0x01 && bytes[5] === 0xff && bytes[8] === 0xff) {
    return { ...base, format: 'nrbf' };
  }
  if (bytes[0] === 0xac && bytes[1] === 0xed && bytes[2] === 0x00 && bytes[3] === 0x05)
    return { ...base, format: 'java' };
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return { ...base, format: 'gzip' };
  const head = Buffer.from(bytes.subarray(0, 64)).toString('utf8').trimStart();
  if (head.startsWith('{') || head.startsWith('[')) {
    return { ...base, format: head.includes('$type') ? 'json-newtonsoft' : 'json' };
  }
  return base;
}
