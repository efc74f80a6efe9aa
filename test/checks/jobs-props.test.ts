import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandSignals, j02 } from '../../src/checks/content/j02.js';
import { j03, pathSignals } from '../../src/checks/content/j03.js';
import { safeText } from '../../src/checks/job-util.js';
import { detectTimeUnit, toUnixMs, unixMsToTicks } from '../../src/dialects/shared/scheduler.js';
import { emptyFacts } from '../../src/facts.js';
import type { ScannedBlob } from '../../src/model.js';
import { checkOptions } from '../../src/model.js';

const RUNS = Number(process.env.QRTZ_PROP_RUNS ?? 500);

describe('time conversion properties', () => {
  it('ticks round-trip exactly and are recognised as ticks (1970..2200)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7_258_118_400_000 }), (ms) => {
        const ticks = unixMsToTicks(ms);
        expect(detectTimeUnit(ticks)).toBe('dotnet-ticks');
        expect(toUnixMs(ticks, 'dotnet-ticks')).toBe(ms);
      }),
      { numRuns: RUNS },
    );
  });
  it('Unix ms from 1973 on are recognised as Unix ms', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100_000_000_000, max: 7_258_118_400_000 }), (ms) => {
        expect(detectTimeUnit(String(ms))).toBe('unix-ms');
      }),
      { numRuns: RUNS },
    );
  });
});

describe('job hygiene on arbitrary values', () => {
  const _facts = emptyFacts('sqlite');
  const opts = checkOptions({ maxBlobSize: 1 });
  const blob = (key: string, value: string): ScannedBlob => ({
    row: {
      table: 'JOB_DETAILS',
      tableName: 'QRTZ_JOB_DETAILS',
      column: 'JOB_DATA',
      key: { sched: 's', group: 'g', name: 'n' },
      size: 1,
      jobClassName: 'Quartz.Job.NativeJob',
    },
    decoded: {
      format: 'json',
      nestedFormats: [],
      types: [],
      entries: [{ path: [key], value }],
      strings: [{ path: [key], value }],
    },
  });
  it('never throw, and every printed value is bounded and free of control characters', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('command', 'parameters', 'FILE_NAME', 'workingDirectory', 'x'),
        fc.string({ maxLength: 300 }),
        (key, value) => {
          for (const d of [
            ...(j02.inspectBlob?.(blob(key, value), opts) ?? []),
            ...(j03.inspectBlob?.(blob(key, value), opts) ?? []),
          ]) {
            // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence
            expect(d.message).not.toMatch(/[\u0000-\u001f]/);
            expect(d.message.length).toBeLessThan(1200);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
  it('hostile long values are bounded (pattern input capped)', () => {
    const evil = `${'curl '.repeat(40_000)}x`;
    expect(commandSignals(evil)).toEqual([]);
    expect(pathSignals(`${'../'.repeat(50_000)}etc`, true).map((s) => s.kind)).toContain('traversal');
    expect(safeText('a'.repeat(100_000)).length).toBeLessThan(300);
  });
});
