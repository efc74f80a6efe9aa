/**
 * Decoder verdicts (issue #10 part 3): bytes after the end of a stream are their own observation
 * (QA-B08, not QA-B04) and are still searched; exponential object graphs (SerialDOS) are a gadget
 * finding (QA-B02); what was read before a limit is still checked (QA-S01).
 */
import { describe, expect, it, vi } from 'vitest';
import { allChecks } from '../../src/checks/index.js';
import { decodeBlob } from '../../src/decode/index.js';
import { MAX_TEXT_BYTES } from '../../src/decode/types.js';
import { inspectBlobWith } from '../../src/engine.js';
import {
  hashMap,
  jobDataMap,
  priorityQueueGadget,
  serialDos,
  serializeJava,
  writeJobDataMap as writeJavaJdm,
} from '../../src/fixtures/java-writer.js';
import { writeGadgetGraph, writeJobDataMap, writeSerialDos } from '../../src/fixtures/nrbf-writer.js';
import { FAMILIES, type Finding, type ScannedBlob } from '../../src/model.js';

function findings(bytes: Uint8Array): Finding[] {
  const blob: ScannedBlob = {
    row: {
      table: 'JOB_DETAILS',
      tableName: 'qrtz_job_details',
      column: 'JOB_DATA',
      key: { sched: 'S', group: 'G', name: 'j' },
      size: bytes.length,
    },
    decoded: decodeBlob(bytes),
  };
  return inspectBlobWith(blob, allChecks, new Set(FAMILIES), {
    allowTypes: [],
    maxBlobSize: 1 << 30,
  });
}
const ids = (fs: Finding[]) => [...new Set(fs.filter((f) => f.status === 'fail').map((f) => f.check))].sort();
const cat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

describe('QA-B08: bytes after the end of the stream', () => {
  it('NRBF: decoded fully, trailing bytes reported with count and hex preview, no QA-B04', () => {
    const jdm = writeJobDataMap({ user: 'svc', retries: 3 });
    const bytes = cat(jdm, Uint8Array.from([0xde, 0xad, 0xbe, 0xef, 0x1b, 0x5b]));
    const d = decodeBlob(bytes);
    expect(d.malformed).toBeUndefined();
    expect(d.entries.map((e) => e.path.join('.'))).toEqual(['user', 'retries']);
    expect(d.trailing).toEqual({ offset: jdm.length, length: 6, preview: 'deadbeef1b5b' });
    const fs = findings(bytes);
    expect(ids(fs)).toContain('QA-B08');
    expect(ids(fs)).not.toContain('QA-B04');
    const b08 = fs.find((f) => f.check === 'QA-B08');
    expect(b08?.severity).toBe('low');
    expect(b08?.message).toContain('6 bytes after the end of the stream');
    expect(b08?.message).toContain('deadbeef1b5b');
    expect(b08?.evidence).toMatchObject({ offset: jdm.length, length: 6 });
  });

  it('Java: bytes after the last complete object are trailing, not malformed', () => {
    const jdm = writeJavaJdm({ user: 'svc' });
    const bytes = cat(jdm, Uint8Array.from([0x00, 0x01, 0x02]));
    const d = decodeBlob(bytes);
    expect(d.malformed).toBeUndefined();
    expect(d.entries.map((e) => e.path.join('.'))).toEqual(['user']);
    expect(d.trailing).toMatchObject({ offset: jdm.length, length: 3, preview: '000102' });
    expect(ids(findings(bytes))).toContain('QA-B08');
    expect(ids(findings(bytes))).not.toContain('QA-B04');
  });

  it('a gadget hidden in the trailing bytes is still found (QA-B02)', () => {
    const hidden = writeGadgetGraph('System.Windows.Data.ObjectDataProvider');
    const nrbf = cat(writeJobDataMap({ a: 'b' }), hidden);
    const fs = findings(nrbf);
    expect(ids(fs)).toEqual(expect.arrayContaining(['QA-B02', 'QA-B08']));
    const java = cat(writeJavaJdm({ a: 'b' }), Uint8Array.from([0xff]), serializeJava(priorityQueueGadget()));
    const d = decodeBlob(java);
    expect(d.trailing?.offset).toBe(writeJavaJdm({ a: 'b' }).length);
    expect(d.types.map((t) => t.name)).toContain('java.util.PriorityQueue');
    expect(ids(findings(java))).toEqual(expect.arrayContaining(['QA-B02', 'QA-B08']));
  });

  it('a secret hidden in the trailing bytes is still found (QA-S01 or S02)', () => {
    const bytes = cat(
      writeJobDataMap({ a: 'b' }),
      Buffer.from('\u0000\u0000jdbc:postgresql://db/x?user=a&password=Hunt3rBlue9Zz\u0000', 'latin1'),
    );
    const fs = ids(findings(bytes));
    expect(fs.some((id) => id.startsWith('QA-S0'))).toBe(true);
  });
});

describe('QA-B02: exponential object graphs (SerialDOS)', () => {
  it('Java HashSets nested 40 deep with shared references: critical denial-of-service gadget', () => {
    const bytes = serializeJava(serialDos(40));
    expect(bytes.length).toBeLessThan(4000);
    // A step clock instead of the wall clock: every read of Date.now() (the decoder reads it once for its
    // deadline, then once every 64 to 1024 steps of each loop) advances it by 1 ms. Expanding the 2^40 visits would
    // read it far more than the 2,000 times the 2 s budget allows, and end `limited`; a decode that never expands
    // reads it a handful of times, however loaded the machine is.
    let reads = 0;
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => ++reads);
    let d: ReturnType<typeof decodeBlob>;
    try {
      d = decodeBlob(bytes);
    } finally {
      clock.mockRestore();
    }
    expect(d.limited).toBeUndefined();
    expect(reads).toBeLessThan(20);
    expect(d.denialOfService).toMatchObject({ collection: 'java.util.HashSet', depth: 41 });
    expect(d.denialOfService?.log2Visits).toBeGreaterThanOrEqual(40);
    const f = findings(bytes).find((x) => x.check === 'QA-B02' && x.evidence?.gadget === 'SerialDOS');
    expect(f?.severity).toBe('critical');
    expect(f?.message).toContain('denial-of-service');
  });

  it("Java: ysoserial's depth 100 is cut by the depth bound and still reported", () => {
    const d = decodeBlob(serializeJava(serialDos(100)));
    expect(d.limited).toMatch(/depth/);
    expect(d.denialOfService).toMatchObject({ collection: 'java.util.HashSet', cutAtDepth: true });
    expect(d.denialOfService?.depth).toBeGreaterThanOrEqual(24);
  });

  it('NRBF HashSet`1 and Hashtable shapes, depth 100, are detected without expanding', () => {
    for (const kind of ['hashset', 'hashtable'] as const) {
      const d = decodeBlob(writeSerialDos(100, kind));
      expect(d.denialOfService?.depth, kind).toBe(101);
      expect(d.denialOfService?.log2Visits, kind).toBeGreaterThanOrEqual(100);
      expect(d.denialOfService?.cutAtDepth).toBeUndefined();
      const f = findings(writeSerialDos(100, kind)).find((x) => x.evidence?.gadget === 'SerialDOS');
      expect(f?.severity, kind).toBe('critical');
    }
  });

  it('shallow or unshared nesting is not reported', () => {
    expect(decodeBlob(serializeJava(serialDos(10))).denialOfService).toBeUndefined();
    expect(decodeBlob(writeSerialDos(12, 'hashtable')).denialOfService).toBeUndefined();
    // Nested maps without shared references: linear, not exponential.
    let m = hashMap({ leaf: 'x' });
    for (let i = 0; i < 20; i++) m = hashMap({ [`k${i}`]: m, v: 'y' });
    expect(decodeBlob(serializeJava(jobDataMap({ nested: m }))).denialOfService).toBeUndefined();
  });
});

describe('limits do not hide what was read', () => {
  it('JSON: a password entry followed by more than 100,000 values still gives QA-S01', () => {
    const tail = Array.from({ length: 100_005 }, (_, i) => i).join(',');
    const text = `{"password":"Hunt3rBlue9Zz-q7w8e9","data":[${tail}]}`;
    const bytes = new Uint8Array(Buffer.from(text));
    const d = decodeBlob(bytes);
    expect(d.limited).toMatch(/records/);
    expect(d.entries.map((e) => e.path.join('.'))).toContain('password');
    const fs = ids(findings(bytes));
    expect(fs).toEqual(expect.arrayContaining(['QA-B04', 'QA-S01']));
  });

  it('Java: a JobDataMap cut by the record limit keeps the entries read before it', () => {
    const entries: Record<string, string | number> = { password: 'Hunt3rBlue9Zz-q7w8e9' };
    for (let i = 0; i < 60; i++) entries[`k${i}`] = i;
    const bytes = writeJavaJdm(entries);
    const d = decodeBlob(bytes, { maxRecords: 80 });
    expect(d.limited).toMatch(/records/);
    expect(d.entries.map((e) => e.path.join('.'))).toContain('password');
  });

  it('NRBF: a JobDataMap cut by the record limit keeps the entries read before it', () => {
    const entries: Record<string, string> = { password: 'Hunt3rBlue9Zz-q7w8e9' };
    for (let i = 0; i < 60; i++) entries[`k${i}`] = `v${i}`;
    const d = decodeBlob(writeJobDataMap(entries), { maxRecords: 60 });
    expect(d.limited).toMatch(/record/);
    expect(d.entries.map((e) => e.path.join('.'))).toContain('password');
  });

  it('properties: entries before the entry bound are kept', () => {
    const lines = ['password=Hunt3rBlue9Zz-q7w8e9', ...Array.from({ length: 200_010 }, (_, i) => `k${i}=v`)];
    const d = decodeBlob(new Uint8Array(Buffer.from(lines.join('\n'))), { timeBudgetMs: 20_000 });
    expect(d.entries[0]?.path).toEqual(['password']);
  });

  it('a text blob larger than the text bound stays a Buffer: the part before the bound is decoded and checked', () => {
    const head = '{"password":"Hunt3rBlue9Zz-q7w8e9","pad":"';
    // The real bound is 64 MiB (MAX_TEXT_BYTES); a smaller one is injected to keep the test fast.
    expect(MAX_TEXT_BYTES).toBe(64 * 1024 * 1024);
    const bound = 1024 * 1024;
    const big = Buffer.alloc(bound + 4 * 1024 * 1024, 0x61);
    big.write(head, 0, 'latin1');
    const d = decodeBlob(new Uint8Array(big.buffer, big.byteOffset, big.length), { maxTextBytes: bound });
    expect(d.limited).toBe(`text>${bound}`);
    expect(d.entries.map((e) => e.path.join('.'))).toContain('password');
    const props = Buffer.alloc(bound + 1024 * 1024, 0x0a);
    props.write('password=Hunt3rBlue9Zz-q7w8e9\n', 0, 'latin1');
    const p = decodeBlob(new Uint8Array(props.buffer, props.byteOffset, props.length), { maxTextBytes: bound });
    expect(p.format).toBe('properties');
    expect(p.limited).toBe(`text>${bound}`);
    expect(p.entries[0]?.path).toEqual(['password']);
  });
});
