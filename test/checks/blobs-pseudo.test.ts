/** Payload markers found inside blobs (PE images, class files, XAML, CLIXML) are gadget findings. */
import { describe, expect, it } from 'vitest';
import { b02 } from '../../src/checks/content/b02-gadget.js';
import { decodeBlob } from '../../src/decode/index.js';
import type { ScannedBlob } from '../../src/model.js';
import { checkOptions } from '../../src/model.js';

function scan(json: string): string[] {
  const blob: ScannedBlob = {
    row: {
      table: 'JOB_DETAILS',
      tableName: 'qrtz_job_details',
      column: 'JOB_DATA',
      key: { sched: 's', group: 'g', name: 'n' },
      size: json.length,
    },
    decoded: decodeBlob(Buffer.from(json)),
  };
  return (b02.inspectBlob?.(blob, checkOptions({ maxBlobSize: 1 << 20 })) ?? []).map(
    (d) => `${d.severity ?? 'critical'} ${d.evidence?.type}`,
  );
}

describe('QA-B02 on embedded payloads', () => {
  it('a base64 PE image in a JobDataMap value', () => {
    const pe = Buffer.concat([
      Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00', 'latin1'),
      Buffer.alloc(120),
    ]);
    pe.write('PE\0\0', 0x80, 'latin1');
    pe.writeUInt32LE(0x80, 0x3c);
    expect(scan(JSON.stringify({ plugin: pe.toString('base64') }))).toContain('critical (PE image)');
  });
  it('a base64 Java class file', () => {
    const cls = Buffer.concat([Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52]), Buffer.alloc(64)]);
    expect(scan(JSON.stringify({ code: cls.toString('base64') }))).toContain('critical (Java class file)');
  });
  it('XAML markup in a string', () => {
    const xaml =
      '<ResourceDictionary xmlns="http://schemas.microsoft.com/winfx/2006/xaml/presentation"><ObjectDataProvider MethodName="Start"/></ResourceDictionary>';
    expect(scan(JSON.stringify({ view: xaml }))).toContain('critical (XAML)');
  });
  it('a plain JobDataMap has none', () => {
    expect(scan(JSON.stringify({ url: 'https://example.com', retries: '3' }))).toEqual([]);
  });
});
