/**
 * #10 part 2 (engine side): an audit that cannot see everything still reports. A fake Adapter (no
 * database) reports unreadable tables through blobRows' onUnreadable sink, or throws a timeout or
 * privilege UserError mid-stream; what was read is evaluated, the rest is not-evaluated naming the
 * table, and the exit code says incomplete (4) unless findings (1) win or --allow-incomplete.
 */

import { describe, expect, it } from 'vitest';
import { runScan } from '../../src/engine.js';
import { UserError } from '../../src/errors.js';
import type { BlobRow, Family, Unreadable } from '../../src/model.js';
import { checkOptions } from '../../src/model.js';
import { formatReport } from '../../src/report/index.js';
import { buildReport } from '../../src/report/report.js';
import { fakeAdapter, type FakeStep as Step } from '../support/fake-adapter.js';

const GADGET = Buffer.from(
  JSON.stringify({
    $type: 'System.Windows.Data.ObjectDataProvider, PresentationFramework',
    MethodName: 'Start',
    ObjectInstance: { $type: 'System.Diagnostics.Process, System' },
  }),
);
const CLEAN = Buffer.from(JSON.stringify({ reportName: 'daily', retries: 3 }));

function row(table: BlobRow['table'], name: string, bytes: Buffer): BlobRow {
  return {
    table,
    tableName: `qrtz_${table.toLowerCase()}`,
    column: table === 'CALENDARS' ? 'CALENDAR' : table === 'BLOB_TRIGGERS' ? 'BLOB_DATA' : 'JOB_DATA',
    key: { sched: 'S', group: 'G', name },
    bytes,
    size: bytes.length,
  };
}

const blobsOnly = new Set<Family>(['content', 'scheduler', 'updates']);
const scan = (steps: Step[]) =>
  runScan(fakeAdapter(steps), { families: blobsOnly, checkOptions: checkOptions({ maxBlobSize: 1 << 20 }) });

const lockedTriggers: Unreadable = {
  what: 'blobs.TRIGGERS',
  reason: 'lock timeout: canceling statement due to lock timeout',
  table: 'qrtz_triggers',
  cause: 'lock-timeout',
};

describe('engine: incomplete audits', () => {
  it('a clean full read passes and exits 0', async () => {
    const r = await scan([{ row: row('JOB_DETAILS', 'a', CLEAN) }]);
    const b02 = r.findings.filter((f) => f.check === 'QA-B02');
    expect(b02.map((f) => f.status)).toEqual(['pass']);
    expect(buildReport(r.facts, r.findings, 'critical', '', 0).summary.exitCode).toBe(0);
  });

  it('a table reported unreadable turns passes into not-evaluated naming it; exit 4, or 0 with --allow-incomplete', async () => {
    const r = await scan([{ row: row('JOB_DETAILS', 'a', CLEAN) }, { unreadable: lockedTriggers }]);
    const b02 = r.findings.filter((f) => f.check === 'QA-B02');
    expect(b02.map((f) => f.status)).toEqual(['not-evaluated']);
    expect(b02[0]?.message).toContain('qrtz_triggers');
    expect(b02[0]?.evidence?.tables).toBe('qrtz_triggers');
    expect(r.findings.some((f) => f.status === 'pass' && f.family === 'content' && f.check !== 'QA-B00')).toBe(false);
    expect(r.facts.unreadable).toContainEqual(lockedTriggers);
    // The inventory still lists what was read, and says what was not.
    const b00 = r.findings.filter((f) => f.check === 'QA-B00').map((f) => [f.status, f.object.name]);
    expect(b00).toContainEqual(['info', 'qrtz_job_details.JOB_DATA']);
    expect(b00.filter(([s]) => s === 'not-evaluated')).toHaveLength(1);
    const report = buildReport(r.facts, r.findings, 'critical', '', 0);
    expect(report.summary.exitCode).toBe(4);
    expect(report.summary.incomplete).toBe(true);
    expect(report.summary.incompleteChecks).toContain('QA-B02');
    expect(report.unreadable).toContainEqual(lockedTriggers);
    expect(buildReport(r.facts, r.findings, 'critical', '', 0, { allowIncomplete: true }).summary.exitCode).toBe(0);
    // Every format says it is incomplete.
    const sarif = JSON.parse(formatReport(report, 'sarif', { color: false }));
    expect(sarif.runs[0].invocations[0].executionSuccessful).toBe(false);
    expect(sarif.runs[0].invocations[0].toolExecutionNotifications[0].message.text).toContain('QA-B02');
    expect(JSON.parse(formatReport(report, 'json', { color: false })).summary.incomplete).toBe(true);
    expect(formatReport(report, 'table', { color: false })).toContain('INCOMPLETE: ');
    expect(formatReport(report, 'table', { color: false })).toContain('not read: qrtz_triggers (lock-timeout)');
    expect(formatReport(report, 'html', { color: false })).toContain('Incomplete audit');
    expect(formatReport(report, 'junit', { color: false })).toContain('type="incomplete"');
  });

  it('a finding in a table that was read stays, and exit 1 wins over 4', async () => {
    const r = await scan([
      { row: row('JOB_DETAILS', 'evil', GADGET) },
      { unreadable: { ...lockedTriggers, cause: 'privilege', reason: 'permission denied for table qrtz_triggers' } },
    ]);
    const b02 = r.findings.filter((f) => f.check === 'QA-B02');
    expect(new Set(b02.map((f) => f.status))).toEqual(new Set(['fail', 'not-evaluated']));
    expect(buildReport(r.facts, r.findings, 'critical', '', 0).summary.exitCode).toBe(1);
  });

  for (const [kind, message] of [
    ['timeout', 'statement timeout: canceling statement due to statement timeout'],
    ['privilege', 'permission denied for table qrtz_calendars'],
  ] as const) {
    it(`a ${kind} UserError mid-stream keeps what was read and reports the rest`, async () => {
      const r = await scan([
        { row: row('JOB_DETAILS', 'evil', GADGET) },
        { row: row('JOB_DETAILS', 'ok', CLEAN) },
        { throw: new UserError(kind, message) },
      ]);
      expect(r.facts.blobInventory?.rows).toBe(2);
      expect(r.findings.some((f) => f.check === 'QA-B02' && f.status === 'fail')).toBe(true);
      const ne = r.findings.find((f) => f.check === 'QA-B03' && f.status === 'not-evaluated');
      expect(ne?.message).toContain(message);
      expect(r.facts.unreadable.find((u) => u.what === 'blobs.stream')?.cause).toBe(
        kind === 'privilege' ? 'privilege' : 'statement-timeout',
      );
    });
  }

  it('a connection lost mid-stream keeps what was read and reports the rest (issue #17 part 4)', async () => {
    const r = await scan([
      { row: row('JOB_DETAILS', 'evil', GADGET) },
      { throw: new UserError('connection', 'cannot use postgres://a@h/d: Connection terminated unexpectedly') },
    ]);
    expect(r.facts.blobInventory?.rows).toBe(1);
    expect(r.findings.some((f) => f.check === 'QA-B02' && f.status === 'fail')).toBe(true);
    const u = r.facts.unreadable.find((x) => x.what === 'blobs.stream');
    expect([u?.cause, u?.reason]).toEqual([
      'other',
      'connection lost mid-scan: cannot use postgres://a@h/d: Connection terminated unexpectedly',
    ]);
    expect(buildReport(r.facts, r.findings, 'critical', '', 0).summary.exitCode).toBe(1);
  });

  it('any other error mid-stream (a bug) still ends the scan', async () => {
    await expect(scan([{ throw: new TypeError('bug') }])).rejects.toThrow('bug');
    await expect(scan([{ throw: new UserError('input', 'not a stream error') }])).rejects.toThrow('not a stream error');
  });
});
