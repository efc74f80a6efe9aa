/**
 * Issue #16 part 4: byte-identical blobs are decoded once (src/scan/decode-cache.ts), and every row
 * still gets its own findings. A fake adapter streams the same gadget bytes under three row keys; the
 * scan lists each row, exactly as without the cache.
 */

import { describe, expect, it } from 'vitest';
import { decodeBlob } from '../../src/decode/index.js';
import { runScan } from '../../src/engine.js';
import { writeJobDataMap } from '../../src/fixtures/nrbf-writer.js';
import type { BlobRow, Family } from '../../src/model.js';
import { checkOptions } from '../../src/model.js';
import { CACHE_MAX_BLOB_BYTES, DecodeCache } from '../../src/scan/decode-cache.js';
import { fakeAdapter } from '../support/fake-adapter.js';

const GADGET = Buffer.from(
  JSON.stringify({
    $type: 'System.Windows.Data.ObjectDataProvider, PresentationFramework',
    MethodName: 'Start',
    ObjectInstance: { $type: 'System.Diagnostics.Process, System' },
  }),
);
const SECRET = Buffer.from(writeJobDataMap({ smtpPassword: 'Hunter2-but-longer-9f3k', reportName: 'daily' }));

function row(name: string, bytes: Buffer): BlobRow {
  return {
    table: 'JOB_DETAILS',
    tableName: 'qrtz_job_details',
    column: 'JOB_DATA',
    key: { sched: 'S', group: 'G', name },
    bytes,
    size: bytes.length,
  };
}

/** Fresh Buffers of the same bytes for every row, as a driver hands them. */
const fresh = (rows: BlobRow[]) => rows.map((r) => ({ ...r, bytes: r.bytes ? Buffer.from(r.bytes) : null }));

describe('decode cache', () => {
  it('returns the same decoded result for the same bytes, and a fresh one for other bytes', () => {
    const cache = new DecodeCache();
    const a = cache.decode(Buffer.from(SECRET));
    const b = cache.decode(Buffer.from(SECRET));
    const c = cache.decode(GADGET);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(c.format).toBe('json-newtonsoft');
    expect({ hits: cache.hits, misses: cache.misses }).toEqual({ hits: 1, misses: 2 });
    // The shared result is what decodeBlob gives for those bytes.
    expect(JSON.stringify(a)).toBe(JSON.stringify(decodeBlob(SECRET)));
  });

  it('goes cold after 4 x entries misses: a result is kept at its second sighting, and a hit makes it eager again', () => {
    const cache = new DecodeCache(2);
    const distinct = (i: number) => Buffer.from(JSON.stringify({ n: i }));
    for (let i = 0; i < 8; i++) cache.decode(distinct(i)); // 8 = 4 x entries misses: still eager
    const once = distinct(100);
    cache.decode(once); // the 9th miss: cold, only the key is remembered
    cache.decode(distinct(101));
    const second = cache.decode(Buffer.from(once)); // seen again: a miss, and kept now…
    expect(cache.decode(Buffer.from(once))).toBe(second); // …so its third sighting is a hit
    expect({ hits: cache.hits, misses: cache.misses }).toEqual({ hits: 1, misses: 11 });
    // After a hit the cache is eager: a new blob is kept at once.
    const fresh = distinct(200);
    const kept = cache.decode(fresh);
    expect(cache.decode(Buffer.from(fresh))).toBe(kept);
  });

  it('is bounded: least recently used out, large blobs never kept', () => {
    const cache = new DecodeCache(2);
    const blobs = [1, 2, 3].map((i) => Buffer.from(JSON.stringify({ n: i })));
    for (const b of blobs) cache.decode(b);
    cache.decode(blobs[0] as Buffer); // evicted by the third: decoded again
    expect(cache.misses).toBe(4);
    cache.decode(blobs[0] as Buffer);
    expect(cache.hits).toBe(1);
    const big = Buffer.from(JSON.stringify({ s: 'x'.repeat(CACHE_MAX_BLOB_BYTES) }));
    cache.decode(big);
    cache.decode(big);
    expect(cache.hits).toBe(1);
  });

  it('does not keep a result cut by the time budget (it depends on the load, not on the bytes)', () => {
    const many = Buffer.from(writeJobDataMap(Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, i]))));
    expect(many.length).toBeLessThan(CACHE_MAX_BLOB_BYTES);
    const cache = new DecodeCache(16, CACHE_MAX_BLOB_BYTES, { timeBudgetMs: -1000 });
    const first = cache.decode(many);
    expect(first.limited).toMatch(/time/);
    expect(cache.decode(many)).not.toBe(first);
    expect(cache.hits).toBe(0);
  });

  it('keeps per-row findings exact: three rows with the same bytes are three findings', async () => {
    const families = new Set<Family>(['content']);
    const rows = [row('a', GADGET), row('b', SECRET), row('c', GADGET), row('d', SECRET), row('e', GADGET)];
    const result = await runScan(fakeAdapter(fresh(rows)), { families, checkOptions: checkOptions({}) });
    const keys = (check: string) =>
      result.findings
        .filter((f) => f.check === check && f.status === 'fail')
        .map((f) => f.object.rowKey)
        .sort();
    // Two gadget types per gadget row (ObjectDataProvider, Process), one secret per secret row.
    expect(keys('QA-B02')).toEqual(['S/G.a', 'S/G.a', 'S/G.c', 'S/G.c', 'S/G.e', 'S/G.e']);
    expect(keys('QA-S01')).toEqual(['S/G.b', 'S/G.d']);
    // Row c's findings are row a's with its own row in them (messages, objects, fingerprints).
    const ofRow = (k: string) =>
      result.findings
        .filter((f) => f.object.rowKey === k)
        .map((f) => JSON.stringify({ ...f, fingerprint: '' }).replaceAll(k, 'ROW'))
        .sort();
    expect(ofRow('S/G.c')).toEqual(ofRow('S/G.a'));
    const rowFindings = result.findings.filter((f) => f.object.rowKey);
    expect(new Set(rowFindings.map((f) => f.fingerprint)).size).toBe(rowFindings.length);
    expect(result.facts.blobInventory?.rows).toBe(5);
  });
});
