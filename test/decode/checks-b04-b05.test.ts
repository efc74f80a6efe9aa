import { describe, expect, it } from 'vitest';
import { b04 } from '../../src/checks/content/b04-malformed.js';
import { b05 } from '../../src/checks/content/b05-oversize.js';
import { checks } from '../../src/checks/content/index.js';
import { decodeBlob } from '../../src/decode/index.js';
import { emptyFacts } from '../../src/facts.js';
import { writeJobDataMap } from '../../src/fixtures/java-writer.js';
import type { ScannedBlob } from '../../src/model.js';
import { checkOptions } from '../../src/model.js';

const _facts = emptyFacts('postgres');
const options = checkOptions({ maxBlobSize: 1000 });

function blob(bytes: Uint8Array, size = bytes.length): ScannedBlob {
  return {
    row: {
      table: 'JOB_DETAILS',
      tableName: 'qrtz_job_details',
      column: 'JOB_DATA',
      key: { sched: 'S', group: 'g', name: 'j\u001b[2J' },
      size,
    },
    decoded: decodeBlob(bytes),
  };
}

describe('QA-B04 malformed or truncated blob', () => {
  it('is registered in the blobs folder', () => {
    expect(checks).toContain(b04);
    expect(checks).toContain(b05);
    expect(b04.meta).toMatchObject({ id: 'QA-B04', severity: 'low', family: 'content' });
  });

  it('clean rows give nothing', () => {
    expect(b04.inspectBlob?.(blob(writeJobDataMap({ a: 'b' })), options)).toEqual([]);
  });

  it('says where parsing stopped and what was learned', () => {
    const full = writeJobDataMap({ a: 'b', c: 1 });
    const [d, ...rest] = b04.inspectBlob?.(blob(full.subarray(0, 220)), options) ?? [];
    expect(rest).toEqual([]);
    expect(d?.status).toBe('fail');
    expect(d?.message).toMatch(
      /^java blob could not be parsed completely at byte offset \d+: .+; \d+ types and \d+ entr/,
    );
    expect(d?.evidence).toMatchObject({ format: 'java', types: 4, size: 220 });
    expect(typeof d?.evidence?.offset).toBe('number');
    expect(d?.object).toEqual({
      kind: 'row',
      name: 'qrtz_job_details.JOB_DATA S/g.j\\x1b[2J',
      table: 'qrtz_job_details',
      rowKey: 'S/g.j\\x1b[2J',
    });
  });

  it('a parse bound hit is reported too, and a cut blob points at QA-B05', () => {
    const r = b04.inspectBlob?.(blob(new TextEncoder().encode(`${'['.repeat(100)}${']'.repeat(100)}`)), options);
    expect(r?.[0]?.evidence?.limited).toBe('depth>64');
    const cut = b04.inspectBlob?.(blob(writeJobDataMap({ a: 'b' }).subarray(0, 100), 5000), options);
    expect(cut?.[0]?.message).toMatch(/only the first 1000 of 5000 bytes were read, see QA-B05/);
  });
});

describe('QA-B05 blob larger than --max-blob-size', () => {
  it('nothing at or below the bound', () => {
    expect(b05.inspectBlob?.(blob(writeJobDataMap({ a: 'b' }), 1000), options)).toEqual([]);
  });
  it('fails above it, with sizes', () => {
    const [d] = b05.inspectBlob?.(blob(writeJobDataMap({ a: 'b' }), 1001), options) ?? [];
    expect(d?.status).toBe('fail');
    expect(d?.evidence).toEqual({ size: 1001, maxBlobSize: 1000, format: 'java' });
    expect(d?.message).toMatch(/1001 bytes, larger than --max-blob-size 1000: only the first 1000 bytes were scanned/);
  });
});
