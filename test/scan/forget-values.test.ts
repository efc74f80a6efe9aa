/**
 * The NRBF reader keeps short strings between blobs (a direct-mapped table of at most 4,096, values included)
 * and the secret scan keeps the last blob's hits: neither may outlive the scan that read them, so one store's
 * short secrets are not kept in the process for the next target of a fleet or a library caller's next scan.
 */

import { describe, expect, it } from 'vitest';
import { forgetLastBlob, scanBlob } from '../../src/checks/content/secrets-scan.js';
import { decodeBlob } from '../../src/decode/index.js';
import { heldShortStrings } from '../../src/decode/nrbf-reader.js';
import { runScan } from '../../src/engine.js';
import { writeJobDataMap } from '../../src/fixtures/nrbf-writer.js';
import type { BlobRow, Family, ScannedBlob } from '../../src/model.js';
import { checkOptions } from '../../src/model.js';
import { fakeAdapter } from '../support/fake-adapter.js';

const SHORT_SECRET = 'Tr0ub4dor&3x';
const BLOB = Buffer.from(writeJobDataMap({ smtpPassword: SHORT_SECRET, reportName: 'daily' }));

describe('values kept between blobs are forgotten when the scan ends', () => {
  it('the short-string table holds a short value while decoding, and nothing after a scan', async () => {
    decodeBlob(BLOB);
    expect(heldShortStrings()).toContain(SHORT_SECRET);
    const row: BlobRow = {
      table: 'JOB_DETAILS',
      tableName: 'qrtz_job_details',
      column: 'JOB_DATA',
      key: { sched: 'S', group: 'G', name: 'mailer' },
      bytes: BLOB,
      size: BLOB.length,
    };
    const result = await runScan(fakeAdapter([row]), {
      families: new Set<Family>(['content']),
      checkOptions: checkOptions({}),
    });
    // the scan did read it: the secret is reported (redacted)
    expect(result.findings.some((f) => f.check === 'QA-S01' && f.status === 'fail')).toBe(true);
    expect(heldShortStrings()).toEqual([]);
  });

  it('forgetLastBlob drops the secret scan memo (the next ask scans again)', () => {
    const blob = { row: { key: { sched: 'S', name: 'n' }, column: 'JOB_DATA' }, decoded: decodeBlob(BLOB) };
    const a = scanBlob(blob as unknown as ScannedBlob);
    expect(scanBlob(blob as unknown as ScannedBlob)).toBe(a);
    forgetLastBlob();
    expect(scanBlob(blob as unknown as ScannedBlob)).not.toBe(a);
  });
});
