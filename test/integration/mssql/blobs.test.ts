/** SQL Server blob streaming: keyset batches bounded by bytes, per-table failures reported, quoting. */
import { describe, expect, it } from 'vitest';
import { BATCH_BYTES, batchRows, quoteName, type Row, streamBlobs } from '../../../src/dialects/mssql/blobs.js';
import type { BlobRow, QuartzTable, Unreadable } from '../../../src/model.js';

const tables: QuartzTable[] = [
  { logical: 'JOB_DETAILS', name: 'QRTZ_JOB_DETAILS', schema: 'dbo' },
  { logical: 'CALENDARS', name: 'QRTZ_CALENDARS', schema: 'dbo' },
  { logical: 'SIMPROP_TRIGGERS', name: 'QRTZ_SIMPROP_TRIGGERS', schema: 'dbo' },
];

const jobs: Row[] = Array.from({ length: 5 }, (_, i) => ({
  SCHED_NAME: 'S',
  JOB_NAME: `job${i}`,
  JOB_GROUP: 'G',
  JOB_CLASS_NAME: 'Acme.Job, Acme',
  DESCRIPTION: null,
  size: '2048',
  bytes: Buffer.from([0, 1, 0, 0, 0, i]),
}));

async function collect(it: AsyncIterable<BlobRow>): Promise<BlobRow[]> {
  const out: BlobRow[] = [];
  for await (const r of it) out.push(r);
  return out;
}

describe('streamBlobs', () => {
  it('pages by primary key in batches whose row count keeps rows × bound within the byte budget', async () => {
    const maxBlobSize = BATCH_BYTES / 2; // 2 rows per batch
    expect(batchRows(maxBlobSize)).toBe(2);
    const calls: { sql: string; first: boolean; k2: string }[] = [];
    const rows = await collect(
      streamBlobs([tables[0] as QuartzTable], maxBlobSize, async (sql, p) => {
        calls.push({ sql, first: p.first, k2: p.k2 });
        const start = p.first ? 0 : jobs.findIndex((j) => j.JOB_NAME === p.k2) + 1;
        expect(p.max).toBe(maxBlobSize);
        return jobs.slice(start, start + 2);
      }),
    );
    expect(rows.map((r) => r.key.name)).toEqual(['job0', 'job1', 'job2', 'job3', 'job4']);
    expect(calls.map((c) => [c.first, c.k2])).toEqual([
      [true, ''],
      [false, 'job1'],
      [false, 'job3'],
    ]);
    expect(calls[0]?.sql).toMatch(/SELECT TOP \(2\) j\.SCHED_NAME/);
    expect(calls[0]?.sql).toContain('FROM [dbo].[QRTZ_JOB_DETAILS] AS j');
    expect(rows[0]).toMatchObject({
      table: 'JOB_DETAILS',
      column: 'JOB_DATA',
      size: 2048,
      jobClassName: 'Acme.Job, Acme',
      key: { sched: 'S', group: 'G', name: 'job0' },
    });
  });

  it('a lock timeout on one table is reported and the stream goes on; a lost connection ends it', async () => {
    const unreadable: Unreadable[] = [];
    const rows = await collect(
      streamBlobs(
        tables,
        1024,
        async (sql) => {
          if (sql.includes('QRTZ_JOB_DETAILS'))
            throw Object.assign(new Error('Lock request time out period exceeded.'), {
              number: 1222,
              code: 'EREQUEST',
            });
          if (sql.includes('QRTZ_CALENDARS'))
            return [{ SCHED_NAME: 'S', CALENDAR_NAME: 'holidays', size: 3, bytes: Buffer.from('abc') }];
          return [
            {
              SCHED_NAME: 'S',
              TRIGGER_NAME: 't',
              TRIGGER_GROUP: 'g',
              STR_PROP_1: 'password=x',
              STR_PROP_2: null,
              STR_PROP_3: null,
            },
          ];
        },
        (u) => unreadable.push(u),
      ),
    );
    expect(unreadable).toEqual([
      expect.objectContaining({ what: 'blobs.JOB_DETAILS', table: 'dbo.QRTZ_JOB_DETAILS', cause: 'lock-timeout' }),
    ]);
    expect(rows.map((r) => r.table)).toEqual(['CALENDARS', 'SIMPROP_TRIGGERS']);
    expect(rows[1]?.textColumns).toEqual({ STR_PROP_1: 'password=x', STR_PROP_2: null, STR_PROP_3: null });
    expect(rows[1]?.bytes).toBeNull();

    const lost = collect(
      streamBlobs(tables, 1024, async () => {
        throw Object.assign(new Error('Connection lost'), { code: 'ESOCKET' });
      }),
    );
    await expect(lost).rejects.toThrow(/Connection lost/);
  });

  it('a permission error names the SELECT it needs', async () => {
    const unreadable: Unreadable[] = [];
    await collect(
      streamBlobs(
        [tables[1] as QuartzTable],
        1024,
        async () => {
          throw Object.assign(new Error("The SELECT permission was denied on the object 'QRTZ_CALENDARS'"), {
            number: 229,
          });
        },
        (u) => unreadable.push(u),
      ),
    );
    expect(unreadable[0]).toMatchObject({ cause: 'privilege', needs: 'SELECT on dbo.QRTZ_CALENDARS' });
  });

  it('names from a hostile catalog stay inside their brackets', () => {
    expect(quoteName('QRTZ_]; DROP TABLE x; --')).toBe('[QRTZ_]]; DROP TABLE x; --]');
  });
});
