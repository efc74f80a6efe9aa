import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeBlob } from '../../src/decode/index.js';
import { writeJobDataMap } from '../../src/fixtures/java-writer.js';
import type { DecodeResult, TreeNode } from '../../src/model.js';
import { hasVectors, VECTORS } from './helpers.js';

function labels(t: TreeNode | undefined, out: string[] = []): string[] {
  if (!t) return out;
  out.push(t.label);
  for (const c of t.children ?? []) labels(c, out);
  return out;
}
const entries = (r: DecodeResult) => Object.fromEntries(r.entries.map((e) => [e.path.join('/'), e.value]));
const typeNames = (r: DecodeResult) => r.types.map((t) => t.name);

describe.skipIf(!hasVectors)('conformance: real Java Quartz vectors (../shared/vectors/java-quartz)', () => {
  const dir = join(VECTORS, 'java-quartz');
  const read = (f: string) => readFileSync(join(dir, f));

  it('every file decodes as java with no malformed and no limit hit', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.ser'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const f of files) {
      const r = decodeBlob(read(f));
      expect(r.format, f).toBe('java');
      expect(r.malformed, f).toBeUndefined();
      expect(r.limited, f).toBeUndefined();
      expect(r.nestedFormats, f).toEqual([]);
    }
  });

  it('JobDataMap-2.1.ser: the JobDataMap chain, HashMap entries, key → Integer 5; our writer reproduces it byte for byte', () => {
    const bytes = read('JobDataMap-2.1.ser');
    const r = decodeBlob(bytes);
    expect(r.quartzObject).toBe('JobDataMap');
    expect(typeNames(r)).toEqual([
      'org.quartz.JobDataMap',
      'org.quartz.utils.StringKeyDirtyFlagMap',
      'org.quartz.utils.DirtyFlagMap',
      'java.util.HashMap',
      'java.lang.Integer',
      'java.lang.Number',
    ]);
    expect(r.entries).toEqual([{ path: ['key'], value: 5, valueType: 'java.lang.Integer' }]);
    expect(labels(r.tree)).toEqual(
      expect.arrayContaining([
        'DirtyFlagMap.dirty',
        'DirtyFlagMap.map',
        'loadFactor',
        'threshold',
        'StringKeyDirtyFlagMap.allowsTransientData',
        'value',
      ]),
    );
    expect(Buffer.from(writeJobDataMap({ key: 5 })).equals(bytes)).toBe(true);
  });

  it('CronTriggerImpl-2.0.ser: trigger fields, CronExpression, time zone, jobDataMap A → B', () => {
    const r = decodeBlob(read('CronTriggerImpl-2.0.ser'));
    expect(r.quartzObject).toBe('Trigger');
    expect(entries(r)).toEqual({ 'jobDataMap/A': 'B' });
    expect(typeNames(r)).toEqual(
      expect.arrayContaining([
        'org.quartz.impl.triggers.CronTriggerImpl',
        'org.quartz.impl.triggers.AbstractTrigger',
        'org.quartz.JobDataMap',
        'org.quartz.CronExpression',
        'sun.util.calendar.ZoneInfo',
        'java.util.TimeZone',
        'java.util.Date',
      ]),
    );
    const strings = Object.fromEntries(r.strings.map((s) => [s.path.join('.'), s.value]));
    expect(strings).toMatchObject({
      calendarName: 'MyCalendar',
      description: 'CronTriggerDesc',
      group: 'testGroup',
      jobGroup: 'DEFAULT',
      name: 'test',
      'cronEx.cronExpression': '0 0 12 * * ?',
      'cronEx.timeZone.ID': 'America/Denver',
    });
    expect(labels(r.tree)).toEqual(
      expect.arrayContaining([
        'AbstractTrigger.misfireInstruction',
        'AbstractTrigger.priority',
        'AbstractTrigger.volatility',
        'cronEx',
        'startTime',
        'transitions',
      ]),
    );
  });

  it('SimpleTriggerImpl-2.0.ser: repeat fields, dates, jobDataMap A → B', () => {
    const r = decodeBlob(read('SimpleTriggerImpl-2.0.ser'));
    expect(r.quartzObject).toBe('Trigger');
    expect(entries(r)).toEqual({ 'jobDataMap/A': 'B' });
    expect(typeNames(r)).toEqual(
      expect.arrayContaining(['org.quartz.impl.triggers.SimpleTriggerImpl', 'java.util.Date']),
    );
    const flat = JSON.stringify(r.tree);
    expect(flat).toContain('"label":"repeatCount","type":"int","value":5');
    expect(flat).toContain('"label":"repeatInterval","type":"long","value":1000');
    expect(flat).toContain('"label":"AbstractTrigger.jobName","type":"java.lang.String","value":"JobName"');
    // java.util.Date from its writeObject block (ms since epoch)
    expect(r.tree?.children?.find((c) => c.label === 'startTime')?.value).toBe('2006-06-01T14:05:15.000Z');
  });
});

describe.skipIf(!hasVectors)('conformance: real Quartz.NET vectors route to the NRBF parser', () => {
  const dir = join(VECTORS, 'quartznet');
  it('every file decodes as nrbf with no malformed', () => {
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.ser'))) {
      const r = decodeBlob(readFileSync(join(dir, f)));
      expect(r.format, f).toBe('nrbf');
      expect(r.malformed, f).toBeUndefined();
    }
  });
  it('JobDataMap_10.ser entries num → 123, foo → bar', () => {
    const r = decodeBlob(readFileSync(join(dir, 'JobDataMap_10.ser')));
    expect(r.quartzObject).toBe('JobDataMap');
    expect(entries(r)).toEqual({ num: 123, foo: 'bar' });
  });
});
