import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flattenTypeName, parseNrbf, parseTypeName, readNrbf } from '../../src/decode/nrbf.js';
import type { NArray, NClass } from '../../src/decode/nrbf-graph.js';
import type { Limits } from '../../src/decode/types.js';
import {
  dateTimeBits,
  MSCORLIB,
  NrbfWriter,
  P,
  QUARTZ_3,
  T,
  writeGadgetGraph,
  writeJobDataMap,
} from '../../src/fixtures/nrbf-writer.js';
import type { TreeNode } from '../../src/model.js';

const limits = (over: Partial<Limits> = {}): Limits => ({
  maxDepth: 64,
  maxRecords: 100_000,
  deadline: Date.now() + 10_000,
  maxStringLength: 1_000_000,
  ...over,
});

/** Child of a tree node by label path. */
function node(tree: TreeNode | undefined, ...labels: string[]): TreeNode {
  let n = tree;
  for (const l of labels) {
    n = n?.children?.find((c) => c.label === l);
    if (!n) throw new Error(`no node ${labels.join(' › ')} (missing ${l})`);
  }
  return n as TreeNode;
}

function labels(n: TreeNode): string[] {
  return (n.children ?? []).map((c) => c.label);
}

const vectors = join(import.meta.dirname, '../../../shared/vectors/quartznet');
const haveVectors = existsSync(vectors);
if (!haveVectors) console.warn(`skipping Quartz.NET conformance vectors: ${vectors} not found (../shared is absent)`);

describe.skipIf(!haveVectors)('real Quartz.NET vectors (../shared/vectors/quartznet)', () => {
  const parse = (f: string) => parseNrbf(readFileSync(join(vectors, f)), limits());

  it('every vector parses with no malformed and no limit', () => {
    for (const f of [
      'AnnualCalendar_10.ser',
      'CronCalendar_10.ser',
      'HashSet_10.ser',
      'HolidayCalendar_23.ser',
      'JobDataMap_10.ser',
      'TestTrigger_Complete.ser',
    ]) {
      const r = parse(f);
      expect(r.malformed, f).toBeUndefined();
      expect(r.limited, f).toBeUndefined();
      expect(r.format).toBe('nrbf');
    }
  });

  it('JobDataMap_10: 1.x DirtyFlagMap+… around a Hashtable with parallel Keys/Values', () => {
    const r = parse('JobDataMap_10.ser');
    expect(r.tree?.type).toBe('Quartz.JobDataMap');
    expect(labels(r.tree as TreeNode)).toEqual(['DirtyFlagMap+dirty', 'DirtyFlagMap+map', 'DirtyFlagMap+syncRoot']);
    expect(r.quartzObject).toBe('JobDataMap');
    expect(r.entries).toEqual([
      { path: ['num'], value: 123, valueType: 'System.Int32' },
      { path: ['foo'], value: 'bar', valueType: 'System.String' },
    ]);
    expect(r.strings).toContainEqual({ path: ['map', 'foo'], value: 'bar' });
    expect(r.quartzVersions).toEqual(['Quartz, Version=1.0.3.3']);
    expect(r.types.find((t) => t.name === 'Quartz.JobDataMap')?.assembly).toBe(
      'Quartz, Version=1.0.3.3, Culture=neutral, PublicKeyToken=null',
    );
    expect(r.types.map((t) => t.name)).toContain('System.Collections.Hashtable');
    expect(node(r.tree, 'DirtyFlagMap+map', 'LoadFactor').value).toBeCloseTo(0.72, 5);
  });

  it('TestTrigger_Complete: 3.x trigger with a Dictionary`2 JobDataMap behind a forward reference', () => {
    const r = parse('TestTrigger_Complete.ser');
    expect(r.tree?.type).toBe('Quartz.Tests.Unit.Impl.Triggers.AbstractTriggerTest+TestTrigger');
    expect(labels(r.tree as TreeNode)).toEqual(
      expect.arrayContaining([
        'AbstractTrigger+name',
        'AbstractTrigger+group',
        'AbstractTrigger+jobName',
        'AbstractTrigger+jobGroup',
        'AbstractTrigger+jobDataMap',
        'AbstractTrigger+misfireInstruction',
        'AbstractTrigger+endTimeUtc',
        'AbstractTrigger+startTimeUtc',
        'AbstractTrigger+<Priority>k__BackingField',
      ]),
    );
    expect(r.quartzObject).toBe('Trigger');
    expect(r.entries).toEqual([
      { path: ['jobDataMap', 'X'], value: 7, valueType: 'System.Int32' },
      { path: ['jobDataMap', 'Y'], value: 5, valueType: 'System.Int32' },
    ]);
    for (const [k, v] of [
      ['name', 'TriggerName'],
      ['group', 'TriggerGroup'],
      ['jobName', 'JobName'],
      ['jobGroup', 'JobGroup'],
    ])
      expect(r.strings).toContainEqual({ path: [k], value: v });
    expect(node(r.tree, 'AbstractTrigger+endTimeUtc', 'DateTime').value).toBe('1973-08-13T14:03:45.0000000');
    expect(node(r.tree, 'AbstractTrigger+endTimeUtc', 'OffsetMinutes').value).toBe(120);
    expect(node(r.tree, 'AbstractTrigger+<Priority>k__BackingField').value).toBe(5);
    expect(node(r.tree, 'AbstractTrigger+misfireInstruction').value).toBe(-1);
    expect(r.quartzVersions).toEqual(
      expect.arrayContaining(['Quartz, Version=3.3.3.0', 'Quartz.Tests.Unit, Version=3.3.3.0']),
    );
    const names = r.types.map((t) => t.name);
    // generic arguments are split out of the Dictionary`2 name
    expect(names).toEqual(
      expect.arrayContaining([
        'System.Collections.Generic.Dictionary`2',
        'System.Collections.Generic.KeyValuePair`2',
        'System.Collections.Generic.GenericEqualityComparer`1',
        'System.String',
        'System.Object',
        'System.DateTimeOffset',
      ]),
    );
    expect(r.types.find((t) => t.name === 'System.String')?.assembly).toBe(MSCORLIB);
  });

  it('AnnualCalendar_10 and CronCalendar_10: calendars with TimeZoneInfo', () => {
    const a = parse('AnnualCalendar_10.ser');
    expect(a.tree?.type).toBe('Quartz.Impl.Calendar.AnnualCalendar');
    expect(labels(a.tree as TreeNode)).toEqual([
      'excludeDays',
      'dataSorted',
      'BaseCalendar+baseCalendar',
      'BaseCalendar+description',
      'BaseCalendar+timeZone',
    ]);
    expect(a.quartzObject).toBe('Calendar');
    expect(a.strings).toContainEqual({ path: ['description'], value: 'desc' });
    expect(a.strings).toContainEqual({ path: ['timeZone', 'Id'], value: 'FLE Standard Time' });
    expect(node(a.tree, 'excludeDays', '_items', '[0]').value).toBe('2000-09-26T00:00:00.0000000');
    expect(node(a.tree, 'BaseCalendar+timeZone', 'BaseUtcOffset').value).toBe('02:00:00');
    expect(a.types.find((t) => t.name === 'System.TimeZoneInfo+AdjustmentRule')?.assembly).toMatch(
      /^System\.Core, Version=3\.5/,
    );

    const c = parse('CronCalendar_10.ser');
    expect(c.tree?.type).toBe('Quartz.Impl.Calendar.CronCalendar');
    expect(c.quartzObject).toBe('Calendar');
    expect(c.strings).toContainEqual({ path: ['cronExpression', 'cronExpressionString'], value: '* * 8-17 ? * *' });
    expect(c.types.map((t) => t.name)).toContain('Quartz.CronExpression');
  });

  it('HashSet_10: member names prefixed by their declaring class', () => {
    const r = parse('HashSet_10.ser');
    expect(r.tree?.type).toBe('Quartz.Collection.HashSet');
    expect(labels(r.tree as TreeNode)).toEqual(['ArrayList+_items', 'ArrayList+_size', 'ArrayList+_version']);
    expect(r.strings).toEqual([
      { path: ['_items', '[0]'], value: 'foo' },
      { path: ['_items', '[1]'], value: 'bar' },
    ]);
    expect(node(r.tree, 'ArrayList+_items', '[2..3]').type).toBe('null ×2');
  });

  it('HolidayCalendar_23: C5 generic types with nested assembly-qualified arguments', () => {
    const r = parse('HolidayCalendar_23.ser');
    expect(r.tree?.type).toBe('Quartz.Impl.Calendar.HolidayCalendar');
    expect(r.quartzObject).toBe('Calendar');
    expect(r.quartzVersions).toEqual(['Quartz, Version=2.3.3.0']);
    const byName = new Map(r.types.map((t) => [t.name, t]));
    expect(byName.get('Quartz.Collection.TreeSet`1')?.assembly).toMatch(/^Quartz, Version=2\.3\.3\.0/);
    expect(byName.get('C5.TreeSet`1+Node')?.assembly).toMatch(/^C5, Version=1\.1\.0\.0/);
    expect(byName.get('System.DateTime')?.assembly).toBe(MSCORLIB);
    expect(byName.has('C5.NaturalComparer`1')).toBe(true);
    expect(node(r.tree, 'dates', 'TreeSet`1+root', 'item').value).toBe('2016-06-05T00:00:00.0000000 (Local)');
    // shared comparer printed once, then as a reference node
    expect(node(r.tree, 'dates', 'TreeSet`1+itemequalityComparer').value).toMatch(/^→ #\d+$/);
  });
});

describe('type names', () => {
  it('splits nested generic arguments with assemblies', () => {
    const t = parseTypeName(
      `System.Collections.Generic.Dictionary\`2[[System.String, ${MSCORLIB}],[System.Collections.Generic.List\`1[[Foo.Bar, FooAsm]], ${MSCORLIB}]][]`,
    );
    expect(t.name).toBe('System.Collections.Generic.Dictionary`2');
    expect(t.arrays).toEqual(['[]']);
    expect(flattenTypeName(t, 'outer')).toEqual([
      { name: 'System.Collections.Generic.Dictionary`2', assembly: 'outer' },
      { name: 'System.String', assembly: MSCORLIB },
      { name: 'System.Collections.Generic.List`1', assembly: MSCORLIB },
      { name: 'Foo.Bar', assembly: 'FooAsm' },
    ]);
  });
  it('handles minified names and assembly-qualified top-level names', () => {
    expect(flattenTypeName(parseTypeName('System.Collections.Generic.SortedSet`1[[System.String,mscorlib]]'))).toEqual([
      { name: 'System.Collections.Generic.SortedSet`1' },
      { name: 'System.String', assembly: 'mscorlib' },
    ]);
    expect(flattenTypeName(parseTypeName('System.Diagnostics.Process, System, Version=4.0.0.0', true))).toEqual([
      { name: 'System.Diagnostics.Process', assembly: 'System, Version=4.0.0.0' },
    ]);
  });
  it('is bounded on hostile nesting', () => {
    const deep = `${'A`1[['.repeat(5000)}X${']]'.repeat(5000)}`;
    const names = flattenTypeName(parseTypeName(deep));
    expect(names.length).toBeLessThanOrEqual(64);
    expect(names[0]?.name).toBe('A`1');
  });
});

describe('writer fixtures: every record path', () => {
  it('all BinaryArray shapes with ranks, lengths and lower bounds', () => {
    const w = new NrbfWriter().header(1, -1);
    w.systemClassWithMembersAndTypes(1, 'Test.Arrays', [
      ['single', T.object],
      ['jagged', T.object],
      ['rect', T.object],
      ['singleOffset', T.object],
      ['jaggedOffset', T.object],
      ['rectOffset', T.object],
    ]);
    w.binaryArray(2, 0, [2], T.string).objectString(3, 'a').objectString(4, 'b');
    w.binaryArray(5, 1, [2], T.primArray(P.Int32)).arraySinglePrimitive(6, P.Int32, [1, 2]).objectNull();
    w.binaryArray(7, 2, [2, 3], T.prim(P.Int32));
    for (let i = 0; i < 6; i++) w.prim(P.Int32, i * 10);
    w.binaryArray(8, 3, [2], T.object, [5]).memberPrimitiveTyped(P.Int16, -7).objectString(9, 'offset-string');
    w.binaryArray(10, 4, [1], T.objectArray, [1]).arraySingleObject(11, 1).objectString(12, 'jagged-inner');
    w.binaryArray(13, 5, [2, 2], T.string, [1, 1]).objectString(14, 'r00').nullMultiple256(2).memberReference(14);
    w.messageEnd();
    const bytes = w.bytes();
    const g = readNrbf(bytes, limits());
    expect(g.malformed).toBeUndefined();
    const arr = (id: number) => g.objects.get(id) as NArray;
    expect([2, 5, 7, 8, 10, 13].map((id) => arr(id).shape)).toEqual([
      'Single',
      'Jagged',
      'Rectangular',
      'SingleOffset',
      'JaggedOffset',
      'RectangularOffset',
    ]);
    expect(arr(7).lengths).toEqual([2, 3]);
    expect(arr(7).values.map((v) => (v.t === 'prim' ? v.v : null))).toEqual([0, 10, 20, 30, 40, 50]);
    expect(arr(8).lowerBounds).toEqual([5]);
    expect(arr(13).lowerBounds).toEqual([1, 1]);
    expect(arr(13).count).toBe(4);
    const r = parseNrbf(bytes, limits());
    expect(r.malformed).toBeUndefined();
    expect(node(r.tree, 'jagged', '[0]', '[1]').value).toBe(2);
    expect(node(r.tree, 'jagged', '[1]').value).toBeNull();
    expect(node(r.tree, 'singleOffset', '[0]').value).toBe(-7);
    expect(node(r.tree, 'rectOffset', '[1..2]').type).toBe('null ×2');
    expect(r.strings).toContainEqual({ path: ['jaggedOffset', '[0]', '[0]'], value: 'jagged-inner' });
    expect(r.strings).toContainEqual({ path: ['rectOffset', '[3]'], value: 'r00' });
    expect(r.strings).toContainEqual({ path: ['single', '[1]'], value: 'b' });
  });

  it('ObjectNullMultiple and ObjectNullMultiple256 count as runs; an overrun is malformed', () => {
    const ok = new NrbfWriter()
      .header(1, -1)
      .arraySingleObject(1, 400)
      .nullMultiple256(200)
      .objectString(2, 'mid')
      .nullMultiple(198)
      .objectString(3, 'last')
      .messageEnd()
      .bytes();
    const r = parseNrbf(ok, limits());
    expect(r.malformed).toBeUndefined();
    expect(r.strings).toEqual([
      { path: ['[200]'], value: 'mid' },
      { path: ['[399]'], value: 'last' },
    ]);
    const over = new NrbfWriter().header(1, -1).arraySingleObject(1, 3).nullMultiple(4).messageEnd().bytes();
    expect(parseNrbf(over, limits()).malformed?.reason).toMatch(/null run of 4 overruns/);
  });

  it('ClassWithId reuses earlier metadata; untyped records read full records', () => {
    const w = new NrbfWriter().header(1, -1).library(2, 'App, Version=1.0.0.0');
    w.classWithMembers(1, 'App.Pair', ['left', 'right'], 2);
    w.memberReference(3).memberReference(4);
    w.classWithMembersAndTypes(
      3,
      'App.Point',
      [
        ['x', T.prim(P.Int32)],
        ['label', T.string],
      ],
      2,
    );
    w.prim(P.Int32, 11).objectString(5, 'first');
    w.classWithId(4, 3).prim(P.Int32, 22).objectString(6, 'second');
    w.systemClassWithMembers(7, 'System.Untyped', ['v']).memberPrimitiveTyped(P.Int32, 1);
    w.messageEnd();
    const r = parseNrbf(w.bytes(), limits());
    expect(r.malformed).toBeUndefined();
    expect(node(r.tree, 'root', 'right').type).toBe('App.Point');
    expect(node(r.tree, 'root', 'right', 'x').value).toBe(22);
    expect(node(r.tree, 'root', 'right', 'label').value).toBe('second');
    expect(node(r.tree, 'root', 'left', 'label').value).toBe('first');
    expect(r.types.find((t) => t.name === 'App.Point')?.assembly).toBe('App, Version=1.0.0.0');
    // the unreferenced top-level object is still walked
    expect(r.tree?.label).toBe('stream');
    expect(node(r.tree, 'unreferenced #7', 'v').value).toBe(1);
    expect(r.types.map((t) => t.name)).toContain('System.Untyped');
    // ClassWithId naming unknown metadata is malformed
    const bad = new NrbfWriter().header(1, -1).classWithId(1, 99).messageEnd().bytes();
    expect(parseNrbf(bad, limits()).malformed?.reason).toMatch(/unknown metadata #99/);
  });

  it('forward and unresolved MemberReferences; BinaryLibrary between members', () => {
    const w = new NrbfWriter().header(1, -1);
    w.systemClassWithMembersAndTypes(1, 'Root', [
      ['a', T.object],
      ['b', T.object],
    ]);
    w.memberReference(9);
    w.library(3, 'Lib3, Version=2.0.0.0'); // a BinaryLibrary before a member value
    w.classWithMembersAndTypes(4, 'Lib3.Thing', [], 3);
    w.objectString(9, 'defined later').messageEnd();
    const r = parseNrbf(w.bytes(), limits());
    expect(r.malformed).toBeUndefined();
    expect(node(r.tree, 'a').value).toBe('defined later');
    expect(node(r.tree, 'b').type).toBe('Lib3.Thing');
    expect(r.types.find((t) => t.name === 'Lib3.Thing')?.assembly).toBe('Lib3, Version=2.0.0.0');

    const dangling = new NrbfWriter().header(1, -1).arraySingleObject(1, 1).memberReference(42).messageEnd().bytes();
    const d = parseNrbf(dangling, limits());
    expect(d.malformed?.reason).toBe('unresolved reference to #42');
    expect(d.malformed?.offset).toBe(26);
  });

  it('every primitive type', () => {
    const w = new NrbfWriter().header(1, -1);
    const members: [string, number, unknown][] = [
      ['bool', P.Boolean, true],
      ['byte', P.Byte, 255],
      ['char2', P.Char, 'é'],
      ['char4', P.Char, '𝄞'],
      ['decimal', P.Decimal, '12.34'],
      ['double', P.Double, 1.5],
      ['int16', P.Int16, -2],
      ['int32', P.Int32, -123456],
      ['int64', P.Int64, 2n ** 53n + 1n],
      ['int64small', P.Int64, -5n],
      ['sbyte', P.SByte, -5],
      ['single', P.Single, 0.5],
      ['timespan', P.TimeSpan, ((26n * 60n + 3n) * 60n + 4n) * 10_000_000n + 5_000_000n],
      ['dtUtc', P.DateTime, dateTimeBits(new Date('2024-02-29T12:34:56.789Z'), 1)],
      ['dtLocal', P.DateTime, dateTimeBits(new Date('2024-02-29T12:34:56.789Z'), 2)],
      ['dtUnspec', P.DateTime, dateTimeBits(new Date('2024-02-29T12:34:56.789Z'), 0)],
      ['uint16', P.UInt16, 65535],
      ['uint32', P.UInt32, 4294967295],
      ['uint64', P.UInt64, 2n ** 64n - 1n],
    ];
    w.systemClassWithMembersAndTypes(1, 'Test.Primitives', [
      ...members.map(([n, p]) => [n, T.prim(p)] as [string, ReturnType<typeof T.prim>]),
      ['boxed', T.object],
    ]);
    for (const [, p, v] of members) w.prim(p, v as never);
    w.memberPrimitiveTyped(P.Char, 'x').messageEnd();
    const r = parseNrbf(w.bytes(), limits());
    expect(r.malformed).toBeUndefined();
    const value = (n: string) => node(r.tree, n).value;
    expect(value('bool')).toBe(true);
    expect(value('byte')).toBe(255);
    expect(value('char2')).toBe('é');
    expect(value('char4')).toBe('𝄞');
    expect(value('decimal')).toBe('12.34');
    expect(value('double')).toBe(1.5);
    expect(value('int16')).toBe(-2);
    expect(value('int32')).toBe(-123456);
    expect(value('int64')).toBe('9007199254740993');
    expect(value('int64small')).toBe(-5);
    expect(value('sbyte')).toBe(-5);
    expect(value('single')).toBe(0.5);
    expect(value('timespan')).toBe('1.02:03:04.5000000');
    expect(value('dtUtc')).toBe('2024-02-29T12:34:56.7890000Z');
    expect(value('dtLocal')).toBe('2024-02-29T12:34:56.7890000 (Local)');
    expect(value('dtUnspec')).toBe('2024-02-29T12:34:56.7890000');
    expect(value('uint16')).toBe(65535);
    expect(value('uint32')).toBe(4294967295);
    expect(value('uint64')).toBe('18446744073709551615');
    expect(node(r.tree, 'boxed')).toMatchObject({ type: 'System.Char', value: 'x' });
    expect(node(r.tree, 'dtUtc').type).toBe('System.DateTime');
  });

  it('BinaryMethodCall / BinaryMethodReturn are parsed and flagged', () => {
    const bytes = new NrbfWriter()
      .header(1, -1)
      .methodCall('Start', 'System.Diagnostics.Process, System, Version=4.0.0.0', [
        [P.String, 'cmd.exe'],
        [P.Int32, 7],
        [P.Null, null],
      ])
      .methodReturn(P.String, 'ok')
      .arraySingleObject(1, 1)
      .objectString(2, 'call array')
      .messageEnd()
      .bytes();
    const r = parseNrbf(bytes, limits());
    expect(r.malformed).toBeUndefined();
    expect(r.methodCall).toBe(true);
    expect(r.types).toContainEqual({
      name: 'System.Diagnostics.Process',
      assembly: 'System, Version=4.0.0.0',
      ecosystem: 'dotnet',
      via: 'nrbf-method',
    });
    expect(r.strings.map((s) => s.value)).toEqual(expect.arrayContaining(['Start', 'cmd.exe', 'call array']));
    expect(node(r.tree, 'BinaryMethodCall', 'arg[1]').value).toBe(7);
    expect(node(r.tree, 'BinaryMethodReturn', 'arg[0]').value).toBe('ok');
  });

  it('3.x generic Dictionary JobDataMap with nested maps, lists and byte arrays', () => {
    const bytes = writeJobDataMap({
      user: 'svc',
      password: 'hunter2',
      count: 42,
      big: 2n ** 60n,
      ratio: 0.25,
      enabled: false,
      missing: null,
      when: new Date('2024-01-02T03:04:05Z'),
      conn: { hashtable: { host: 'db', inner: { dictionary: { token: 'abc' } } } },
      list: { list: ['p', 1, { jobDataMap: { q: 'r' } }] },
      blob: { bytes: new Uint8Array([0x4d, 0x5a, 0x90, 0]) },
    });
    const r = parseNrbf(bytes, limits());
    expect(r.malformed).toBeUndefined();
    expect(r.quartzObject).toBe('JobDataMap');
    expect(r.quartzVersions).toEqual(['Quartz, Version=3.3.3.0']);
    expect(r.entries).toEqual([
      { path: ['user'], value: 'svc', valueType: 'System.String' },
      { path: ['password'], value: 'hunter2', valueType: 'System.String' },
      { path: ['count'], value: 42, valueType: 'System.Int32' },
      { path: ['big'], value: '1152921504606846976', valueType: 'System.Int64' },
      { path: ['ratio'], value: 0.25, valueType: 'System.Double' },
      { path: ['enabled'], value: false, valueType: 'System.Boolean' },
      { path: ['missing'], value: null },
      { path: ['when'], value: '2024-01-02T03:04:05.0000000Z', valueType: 'System.DateTime' },
      { path: ['conn', 'host'], value: 'db', valueType: 'System.String' },
      { path: ['conn', 'inner', 'token'], value: 'abc', valueType: 'System.String' },
      { path: ['list', '[0]'], value: 'p', valueType: 'System.String' },
      { path: ['list', '[1]'], value: 1, valueType: 'System.Int32' },
      { path: ['list', '[2]', 'q'], value: 'r', valueType: 'System.String' },
      { path: ['blob'], value: { type: 'System.Byte[]', summary: '4 bytes' } },
    ]);
    expect(r.strings).toContainEqual({ path: ['map', 'password'], value: 'hunter2' });
    expect(r.strings).toContainEqual({ path: ['map', 'conn', 'inner', 'token'], value: 'abc' });
    expect(r.byteArrays).toEqual([{ path: ['map', 'blob'], bytes: new Uint8Array([0x4d, 0x5a, 0x90, 0]) }]);
    // every object is reachable: no "unreferenced" nodes
    expect(r.tree?.type).toBe('Quartz.JobDataMap');
  });

  it('1.x layout written by the writer reads the same entries', () => {
    const r = parseNrbf(
      writeJobDataMap({ a: 'x', n: 5, nested: { hashtable: { k: 'v' } } }, { layout: '1.x' }),
      limits(),
    );
    expect(r.malformed).toBeUndefined();
    expect(r.quartzObject).toBe('JobDataMap');
    expect(r.entries).toEqual([
      { path: ['a'], value: 'x', valueType: 'System.String' },
      { path: ['n'], value: 5, valueType: 'System.Int32' },
      { path: ['nested', 'k'], value: 'v', valueType: 'System.String' },
    ]);
    expect(r.strings).toContainEqual({ path: ['map', 'nested', 'k'], value: 'v' });
    expect(r.quartzVersions).toEqual(['Quartz, Version=1.0.3.3']);
  });

  it('gadget graphs built from type names only', () => {
    const pf = 'PresentationFramework, Version=4.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35';
    const r = parseNrbf(
      writeGadgetGraph('System.Windows.Data.ObjectDataProvider', pf, { MethodName: 'Start' }),
      limits(),
    );
    expect(r.malformed).toBeUndefined();
    expect(r.types).toContainEqual({
      name: 'System.Windows.Data.ObjectDataProvider',
      assembly: pf,
      ecosystem: 'dotnet',
      via: 'nrbf-class',
    });
    expect(r.strings).toEqual([{ path: ['MethodName'], value: 'Start' }]);

    // DelegateSerializationHolder+DelegateEntry: the target type is reported as a type the stream loads
    const d = parseNrbf(
      writeGadgetGraph('System.DelegateSerializationHolder', undefined, {
        Delegate: {
          object: {
            type: 'System.DelegateSerializationHolder+DelegateEntry',
            members: {
              type: 'System.Func`3[[System.String, mscorlib],[System.String, mscorlib],[System.Diagnostics.Process, System]]',
              assembly: MSCORLIB,
              targetTypeAssembly: 'System, Version=4.0.0.0',
              targetTypeName: 'System.Diagnostics.Process',
              methodName: 'Start',
            },
          },
        },
      }),
      limits(),
    );
    expect(d.malformed).toBeUndefined();
    expect(d.types).toContainEqual({
      name: 'System.Diagnostics.Process',
      assembly: 'System, Version=4.0.0.0',
      ecosystem: 'dotnet',
      via: 'nrbf-delegate',
    });
    expect(d.types.map((t) => t.name)).toEqual(
      expect.arrayContaining(['System.Func`3', 'System.DelegateSerializationHolder+DelegateEntry']),
    );
  });

  it('cycles print a reference node instead of looping', () => {
    const selfArray = new NrbfWriter()
      .header(1, -1)
      .arraySingleObject(1, 2)
      .memberReference(1)
      .objectString(2, 's')
      .messageEnd()
      .bytes();
    const r = parseNrbf(selfArray, limits());
    expect(r.malformed).toBeUndefined();
    expect(node(r.tree, '[0]').value).toBe('→ #1');
    const w = new NrbfWriter().header(1, -1);
    w.systemClassWithMembersAndTypes(1, 'Node', [['next', T.object]]).memberReference(2);
    w.systemClassWithMembersAndTypes(2, 'Node2', [['next', T.object]]).memberReference(1);
    const c = parseNrbf(w.messageEnd().bytes(), limits());
    expect(c.malformed).toBeUndefined();
    expect(node(c.tree, 'next', 'next').value).toBe('→ #1');
    // a map whose value is itself
    const m = new NrbfWriter().header(1, -1);
    m.systemClassWithMembersAndTypes(1, 'System.Collections.Hashtable', [
      ['Keys', T.objectArray],
      ['Values', T.objectArray],
    ]);
    m.arraySingleObject(2, 1).objectString(3, 'self');
    m.arraySingleObject(4, 1).memberReference(1);
    const mr = parseNrbf(m.messageEnd().bytes(), limits());
    expect(mr.malformed).toBeUndefined();
    expect(mr.entries).toEqual([{ path: ['self'], value: { type: 'System.Collections.Hashtable', summary: '→ #1' } }]);
  });
});

describe('check against declared class types', () => {
  it('a Class member type must name an existing library', () => {
    const w = new NrbfWriter().header(1, -1);
    w.systemClassWithMembersAndTypes(1, 'X', [['m', T.cls('Y', 77)]]);
    const r = parseNrbf(w.objectNull().messageEnd().bytes(), limits());
    expect(r.malformed?.reason).toBe('reference to unknown library id 77');
    // what was learned before the failure is kept
    expect(r.types).toEqual([]);
    expect(readNrbf(w.bytes(), limits()).classes).toEqual([]);
  });
  it('records class metadata for ClassWithMembersAndTypes', () => {
    const w = new NrbfWriter().header(1, -1).library(5, 'L');
    w.classWithMembersAndTypes(1, 'L.C', [['s', T.string]], 5)
      .objectNull()
      .messageEnd();
    const g = readNrbf(w.bytes(), limits());
    const c = g.objects.get(1) as NClass;
    expect(c.meta).toMatchObject({ name: 'L.C', libraryId: 5, memberNames: ['s'], recordType: 5 });
  });
});

describe('value-like objects and other JobDataMap shapes', () => {
  it('DateTimeOffset, Guid, enums and boxed primitives become scalar entries', () => {
    const w = new NrbfWriter().header(1, -1).library(2, QUARTZ_3);
    w.classWithMembersAndTypes(
      1,
      'Quartz.JobDataMap',
      [
        ['version', T.prim(P.Int32)],
        ['dirty', T.prim(P.Boolean)],
        ['map', T.systemClass('System.Collections.Hashtable')],
      ],
      2,
    );
    w.prim(P.Int32, 1).prim(P.Boolean, false).memberReference(3);
    w.systemClassWithMembersAndTypes(3, 'System.Collections.Hashtable', [
      ['Keys', T.objectArray],
      ['Values', T.objectArray],
    ]);
    w.memberReference(4).memberReference(5);
    w.arraySingleObject(4, 4)
      .objectString(6, 'when')
      .objectString(7, 'id')
      .objectString(8, 'day')
      .objectString(9, 'boxed');
    w.arraySingleObject(5, 4);
    w.systemClassWithMembersAndTypes(-10, 'System.DateTimeOffset', [
      ['DateTime', T.prim(P.DateTime)],
      ['OffsetMinutes', T.prim(P.Int16)],
    ]);
    w.prim(P.DateTime, dateTimeBits(new Date('1973-08-13T14:03:45Z'), 0)).prim(P.Int16, 120);
    const guid: [string, number, number][] = [
      ['_a', P.Int32, 0x01020304],
      ['_b', P.Int16, 0x0506],
      ['_c', P.Int16, 0x0708],
      ...['_d', '_e', '_f', '_g', '_h', '_i', '_j', '_k'].map(
        (n, i) => [n, P.Byte, 0x90 + i] as [string, number, number],
      ),
    ];
    w.systemClassWithMembersAndTypes(
      -11,
      'System.Guid',
      guid.map(([n, p]) => [n, T.prim(p)] as [string, ReturnType<typeof T.prim>]),
    );
    for (const [, p, v] of guid) w.prim(p, v);
    w.systemClassWithMembersAndTypes(-12, 'System.DayOfWeek', [['value__', T.prim(P.Int32)]]).prim(P.Int32, 3);
    w.systemClassWithMembersAndTypes(-13, 'System.Int32', [['m_value', T.prim(P.Int32)]]).prim(P.Int32, 77);
    const r = parseNrbf(w.messageEnd().bytes(), limits());
    expect(r.malformed).toBeUndefined();
    expect(r.entries).toEqual([
      { path: ['when'], value: '1973-08-13T16:03:45.0000000+02:00', valueType: 'System.DateTimeOffset' },
      { path: ['id'], value: '01020304-0506-0708-9091-929394959697', valueType: 'System.Guid' },
      { path: ['day'], value: 3, valueType: 'System.DayOfWeek' },
      { path: ['boxed'], value: 77, valueType: 'System.Int32' },
    ]);
  });

  it('a NameValueCollection (useProperties) is read as a JobDataMap', () => {
    const w = new NrbfWriter().header(1, -1);
    w.systemClassWithMembersAndTypes(1, 'System.Collections.Specialized.NameValueCollection', [
      ['ReadOnly', T.prim(P.Boolean)],
      ['Count', T.prim(P.Int32)],
      ['Keys', T.stringArray],
      ['Values', T.objectArray],
      ['Version', T.prim(P.Int32)],
    ]);
    w.prim(P.Boolean, false).prim(P.Int32, 2).memberReference(2).memberReference(3).prim(P.Int32, 2);
    w.arraySingleString(2, 2).objectString(4, 'user').objectString(5, 'multi');
    w.arraySingleObject(3, 2).memberReference(6).memberReference(7);
    for (const [id, items] of [
      [6, ['bob']],
      [7, ['a', 'b']],
    ] as const) {
      w.systemClassWithMembersAndTypes(id, 'System.Collections.ArrayList', [
        ['_items', T.objectArray],
        ['_size', T.prim(P.Int32)],
        ['_version', T.prim(P.Int32)],
      ]);
      w.memberReference(id * 10)
        .prim(P.Int32, items.length)
        .prim(P.Int32, 1);
    }
    w.arraySingleObject(60, 1).objectString(61, 'bob');
    w.arraySingleObject(70, 2).objectString(71, 'a').objectString(72, 'b');
    const r = parseNrbf(w.messageEnd().bytes(), limits());
    expect(r.malformed).toBeUndefined();
    expect(r.quartzObject).toBe('JobDataMap');
    expect(r.entries).toEqual([
      { path: ['user'], value: 'bob', valueType: 'System.String' },
      { path: ['multi', '[0]'], value: 'a', valueType: 'System.String' },
      { path: ['multi', '[1]'], value: 'b', valueType: 'System.String' },
    ]);
    expect(r.strings).toContainEqual({ path: ['user', '_items', '[0]'], value: 'bob' });
  });
});

describe('Node Buffers from a pool', () => {
  it('parses a Buffer at a non-zero byteOffset and returns plain, copied byte arrays', () => {
    const fixture = writeJobDataMap({ b: { bytes: new Uint8Array([9, 8, 7]) } });
    const pool = Buffer.alloc(fixture.length + 13, 0xee);
    pool.set(fixture, 13);
    const view = pool.subarray(13);
    const r = parseNrbf(view, limits());
    expect(r.malformed).toBeUndefined();
    const got = r.byteArrays[0]?.bytes;
    expect(got).toEqual(new Uint8Array([9, 8, 7]));
    expect(Buffer.isBuffer(got)).toBe(false);
    pool.fill(0);
    expect(got).toEqual(new Uint8Array([9, 8, 7]));
  });
});
