/**
 * Decoded blobs by content, for stores that hold byte-identical JobDataMaps (many jobs made from one
 * template, the same trigger map on thousands of triggers). Only the decode of the bytes is shared:
 * every row still gets its own ScannedBlob and its own checks, so per-row findings (row key, object
 * name, message) stay exact. A hit is confirmed by comparing the bytes, never by the hash alone (a
 * hostile store could hold two blobs with one SHA-1: the second must not inherit the first's verdict).
 * Bounded: at most CACHE_ENTRIES blobs of at most CACHE_MAX_BLOB_BYTES each; least recently used first out.
 * A decoded result holds about 20× its blob (the graph behind the lazy tree: 256 NRBF results of 4 KB
 * measured 24 MB of heap), so the bounds are small: 64 × 8 KB keeps the cache under ~12 MB.
 *
 * Kept results cost more than memory: each lives through a few scavenges and is promoted, and on a store of
 * distinct blobs that churn was 2.2 s of GC in a 6 s content pass (10,000 jobs + 10,000 triggers), 5 major
 * GCs, for no hit. So the cache goes cold after 4 × `entries` misses in a row: it then keeps only the keys of
 * the blobs it saw (bounded) and keeps a result only when its bytes come a second time; any hit makes it
 * eager again.
 */
import { hash } from 'node:crypto';
import { type DecodeOptions, decodeBlob } from '../decode/index.js';
import type { DecodeResult } from '../model.js';

export const CACHE_ENTRIES = 64;
export const CACHE_MAX_BLOB_BYTES = 8 * 1024;

export class DecodeCache {
  hits = 0;
  misses = 0;
  private readonly map = new Map<string, { bytes: Buffer; decoded: DecodeResult }>();
  /** Misses since the last hit; past 4 × entries, a result is kept only for bytes seen before. */
  private cold = 0;
  /** Keys of blobs seen while cold (oldest first, bounded). */
  private readonly seen = new Set<string>();

  constructor(
    private readonly entries = CACHE_ENTRIES,
    private readonly maxBytes = CACHE_MAX_BLOB_BYTES,
    private readonly options: DecodeOptions = {},
  ) {}

  /** decodeBlob(bytes), from the cache when the same bytes were decoded recently. */
  decode(bytes: Uint8Array | null): DecodeResult {
    if (!bytes || bytes.length === 0 || bytes.length > this.maxBytes || this.entries <= 0)
      return decodeBlob(bytes, this.options);
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // One-shot hash: no Hash object per blob (the scan hashes every blob up to maxBytes, hit or not).
    const key = hash('sha1', buf, 'base64');
    const hit = this.map.get(key);
    if (hit?.bytes.equals(buf)) {
      this.hits++;
      this.cold = 0;
      // Most recently used last.
      this.map.delete(key);
      this.map.set(key, hit);
      return hit.decoded;
    }
    this.misses++;
    // Whether a result for these bytes will be kept is known before decoding: eager, or cold and seen before.
    const eager = this.cold < this.entries * 4;
    // A result to keep is decoded from a copy of its own, so the views it holds never pin a driver's buffer (a
    // mysql2 socket chunk, a worker's batch) for as long as it stays in the cache.
    const own = eager || this.seen.has(key) ? Buffer.from(buf) : undefined;
    const decoded = decodeBlob(own ?? bytes, this.options);
    // A result cut by the time budget depends on the machine's load, not on the bytes: not kept.
    if (decoded.limited && /time/.test(decoded.limited)) return decoded;
    this.cold++;
    if (!own) {
      // Cold: remember the key only (a second sighting keeps the result).
      this.seen.add(key);
      if (this.seen.size > this.entries * 4) {
        const oldest = this.seen.values().next().value;
        if (oldest !== undefined) this.seen.delete(oldest);
      }
      return decoded;
    }
    if (!eager) this.seen.delete(key);
    this.map.delete(key);
    this.map.set(key, { bytes: own, decoded });
    if (this.map.size > this.entries) {
      const oldest = this.map.keys().next().value;
      if (oldest !== undefined) this.map.delete(oldest);
    }
    return decoded;
  }
}
