/** The table's line wrapping (src/report/wrap.ts): widths, indentation, colors closed and re-opened. */
import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { visibleWidth, wrapLine } from '../../src/report/wrap.js';

const c = pc.createColors(true);
// biome-ignore lint/suspicious/noControlCharactersInRegex: SGR sequences are what is removed.
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

describe('wrapLine', () => {
  it('leaves a line that fits unchanged, colors and all', () => {
    const line = `  ${c.red('QA-G01')}  ${c.bold('x')}`;
    expect(wrapLine(line, 80)).toEqual([line]);
    expect(visibleWidth(line)).toBe(11);
  });

  it('breaks at spaces within the width, indents continuations by four, keeps every word', () => {
    const line = `      fix: ${'REVOKE ALL ON quartz.qrtz_job_details FROM PUBLIC; '.repeat(5)}`.trimEnd();
    const out = wrapLine(line, 60);
    expect(out.length).toBeGreaterThan(3);
    for (const l of out) expect(visibleWidth(l), l).toBeLessThanOrEqual(60);
    for (const l of out.slice(1)) expect(l.startsWith('          ')).toBe(true);
    expect(out.join(' ').split(/\s+/).filter(Boolean)).toEqual(line.split(/\s+/).filter(Boolean));
  });

  it('cuts a word longer than the width', () => {
    const out = wrapLine(`  ${'x'.repeat(150)}`, 40);
    for (const l of out) expect(visibleWidth(l)).toBeLessThanOrEqual(40);
    expect(out.join('').replace(/\s+/g, '')).toBe('x'.repeat(150));
  });

  it('closes open colors at a break and re-opens them on the continuation', () => {
    const line = c.dim(`      evidence: ${'key=value '.repeat(12)}`.trimEnd());
    const out = wrapLine(line, 40);
    expect(out.length).toBeGreaterThan(1);
    for (const l of out.slice(0, -1)) expect(l.endsWith('\x1b[0m')).toBe(true);
    for (const l of out.slice(1)) expect(l.replace(/^ +/, '').startsWith('\x1b[2m'), l).toBe(true);
    expect(plain(out.join(' ')).split(/\s+/).filter(Boolean)).toEqual(plain(line).split(/\s+/).filter(Boolean));
    // A color closed before the break is not re-opened.
    const mixed = `  ${c.red('QA-B02')}  ${'word '.repeat(20)}`.trimEnd();
    for (const l of wrapLine(mixed, 30).slice(1)) expect(l).not.toContain('\x1b[31m');
  });
});
