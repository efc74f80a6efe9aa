/** The fleet's exit code (README "Exit codes"): 1 over 5 over 4 over 0, from the targets' own results. */
import { describe, expect, it } from 'vitest';
import { demoteHeadings, type FleetTargetResult, fleetExitCode } from '../../src/fleet/report.js';

const t = (status: FleetTargetResult['status'], exitCode: number): FleetTargetResult => ({
  name: `${status}${exitCode}`,
  status,
  exitCode,
  durationMs: 1,
});

describe('fleet exit code precedence', () => {
  it.each([
    [[], 0],
    [[t('audited', 0)], 0],
    [[t('audited', 0), t('audited', 0)], 0],
    // an incomplete audit whose incompleteness --allow-incomplete accepted exits 0
    [[t('incomplete', 0)], 0],
    [[t('incomplete', 4), t('audited', 0)], 4],
    [[t('failed', 2), t('incomplete', 4)], 5],
    [[t('failed', 3)], 5],
    [[t('failed', 2), t('audited', 1)], 1],
    [[t('incomplete', 1), t('failed', 2), t('incomplete', 4)], 1],
  ] as [FleetTargetResult[], number][])('%o → %i', (targets, code) => {
    expect(fleetExitCode(targets)).toBe(code);
  });
});

describe('merged Markdown', () => {
  it('demotes each target’s headings, never a line inside a fenced block', () => {
    const md = [
      '## qrtz-audit: FAIL',
      '### High (1)',
      '  ```',
      '# not a heading: SQL comment',
      '  ```',
      '#### x',
      '````',
      '```',
      '# inner',
      '```',
      '# still inside',
      '````',
      '# after',
    ].join('\n');
    expect(demoteHeadings(md).split('\n')).toEqual([
      '### qrtz-audit: FAIL',
      '#### High (1)',
      '  ```',
      '# not a heading: SQL comment',
      '  ```',
      '##### x',
      '````',
      '```',
      '# inner',
      '```',
      '# still inside',
      '````',
      '## after',
    ]);
  });
});
