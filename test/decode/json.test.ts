import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBlob } from '../../src/decode/index.js';
import { dotnetTypeRefs, parseJson, parseJsonText, scanTypeNames, toPlain } from '../../src/decode/json.js';
import { limits } from './helpers.js';

const enc = (s: string) => new TextEncoder().encode(s);
const entries = (r: { entries: { path: string[]; value: unknown }[] }) =>
  Object.fromEntries(r.entries.map((e) => [e.path.join('/'), e.value]));

describe('JSON parser', () => {
  it('agrees with JSON.parse on any strict JSON (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => {
        const text = JSON.stringify(v);
        const r = parseJsonText(text, limits());
        expect(r.error).toBeUndefined();
        expect(r.lenient).toBeUndefined();
        expect(toPlain(r.root as never)).toEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a "__proto__" key as an own property, like JSON.parse (regression found by the property above)', () => {
    for (const text of ['{"__proto__":{"a":1}}', '{"__proto__":1,"b":2}', '[{"__proto__":[]}]']) {
      const plain = toPlain(parseJsonText(text, limits()).root as never);
      expect(plain).toEqual(JSON.parse(text));
      expect(Object.getPrototypeOf(Array.isArray(plain) ? plain[0] : plain)).toBe(Object.prototype);
    }
  });

  it('accepts what Json.NET accepts and says it was not strict', () => {
    const text = `// comment
    { 'a': 'single', b: NaN, c: Infinity, d: -Infinity, /* block */ e: new Date(1234), f: undefined, g: [1, 2,], h: 'it\\'s', }`;
    const r = parseJsonText(text, limits());
    expect(r.error).toBeUndefined();
    expect(r.lenient).toBe('comment');
    expect(toPlain(r.root as never)).toEqual({
      a: 'single',
      b: Number.NaN,
      c: Number.POSITIVE_INFINITY,
      d: Number.NEGATIVE_INFINITY,
      e: 'new Date(1234)',
      f: 'undefined',
      g: [1, 2],
      h: "it's",
    });
    const d = parseJson(enc(text), limits());
    expect(d.malformed).toBeUndefined();
    expect(d.tree?.label).toMatch(/non-strict JSON/);
  });

  it('keeps duplicate keys (a second $type is still a type selector)', () => {
    const r = parseJson(
      enc('{"$type":"A.B, A","x":1,"$type":"System.Windows.Data.ObjectDataProvider, PresentationFramework"}'),
      limits(),
    );
    expect(r.types.map((t) => t.name)).toEqual(['A.B', 'System.Windows.Data.ObjectDataProvider']);
  });

  it('splits assembly-qualified and generic type names', () => {
    const refs = dotnetTypeRefs(
      'System.Collections.Generic.Dictionary`2[[System.String, mscorlib],[System.Collections.Generic.List`1[[System.Diagnostics.Process, System]], mscorlib]], mscorlib, Version=4.0.0.0',
      'json-$type',
    );
    expect(refs.map((r) => [r.name.replace(/\[.*$/, '[…]'), r.assembly])).toEqual([
      ['System.Collections.Generic.Dictionary`2[…]', 'mscorlib, Version=4.0.0.0'],
      ['System.String', 'mscorlib'],
      ['System.Collections.Generic.List`1[…]', 'mscorlib'],
      ['System.Diagnostics.Process', 'System'],
    ]);
    expect(dotnetTypeRefs('Foo', 'x')).toEqual([{ name: 'Foo', ecosystem: 'dotnet', via: 'x' }]);
  });

  it('a text that does not parse is malformed, never clean, and its $type values still count', () => {
    const text = `{'$type':'System.Windows.Data.ObjectDataProvider, PresentationFramework', 'MethodName':'Start', 'ObjectInstance':{'$type':'System.Diagnostics.Process, System'`;
    const r = parseJson(enc(text), limits());
    expect(r.malformed?.reason).toMatch(/unexpected end|expected/);
    expect(r.format).toBe('json-newtonsoft');
    expect(r.jsonTypeNames).toBe(true);
    expect(r.types.map((t) => t.name)).toEqual([
      'System.Windows.Data.ObjectDataProvider',
      'System.Diagnostics.Process',
    ]);
    expect(scanTypeNames(`{"$type": "X.Y, Z"} '$type':'Q'`)).toEqual(['X.Y, Z', 'Q']);
  });

  it('depth and value bounds', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const r = parseJson(enc(deep), limits());
    expect(r.limited).toBe('depth>64');
    expect(r.malformed).toBeDefined();
    const many = parseJson(enc(JSON.stringify(Array.from({ length: 5000 }, (_, i) => i))), limits({ maxRecords: 100 }));
    expect(many.limited).toBe('records>100');
  });
});

describe('Quartz.NET JSON shapes', () => {
  it('Newtonsoft/STJ JobDataMap without $type (the verified shape) is json-stj with entries', () => {
    const text =
      '{"stringKey":"stringValue","dateTimeKey":"2025-06-05T16:09:32.8","boolKey":true,"intKey":123,"decimalKey":12.34,"dto":"2025-06-05T16:09:32.8+03:00"}';
    const r = decodeBlob(enc(text));
    expect(r.format).toBe('json-stj');
    expect(r.quartzObject).toBe('JobDataMap');
    expect(entries(r)).toEqual({
      stringKey: 'stringValue',
      dateTimeKey: '2025-06-05T16:09:32.8',
      boolKey: true,
      intKey: 123,
      decimalKey: 12.34,
      dto: '2025-06-05T16:09:32.8+03:00',
    });
    expect(r.jsonTypeNames).toBeUndefined();
  });

  it('Newtonsoft JobDataMap with a typed value, a $values list and $id/$ref', () => {
    const text = JSON.stringify({
      opts: { $type: 'MyApp.Options, MyApp', $id: '1', Url: 'https://x', Password: 'p4ss' },
      list: {
        $type: 'System.Collections.Generic.List`1[[System.String, System.Private.CoreLib]], System.Private.CoreLib',
        $values: ['a', 'b'],
      },
      again: { $ref: '1' },
    });
    const r = decodeBlob(enc(text));
    expect(r.format).toBe('json-newtonsoft');
    expect(r.jsonTypeNames).toBe(true);
    expect(r.types.map((t) => `${t.name}|${t.assembly}|${t.via}`)).toEqual([
      'MyApp.Options|MyApp|json-$type',
      'System.Collections.Generic.List`1[[System.String, System.Private.CoreLib]]|System.Private.CoreLib|json-$type',
      'System.String|System.Private.CoreLib|json-$type',
    ]);
    expect(entries(r)).toEqual({
      opts: { type: 'MyApp.Options', summary: '4 members' },
      'opts/Url': 'https://x',
      'opts/Password': 'p4ss',
      list: {
        type: 'System.Collections.Generic.List`1[[System.String, System.Private.CoreLib]]',
        summary: '2 members',
      },
      'list/0': 'a',
      'list/1': 'b',
      again: { type: '$ref', summary: '1' },
    });
    expect(r.strings.find((s) => s.value === 'p4ss')?.path).toEqual(['opts', 'Password']);
  });

  it('calendar: outer and nested BaseCalendar $type both recorded', () => {
    const text = JSON.stringify({
      $type: 'Quartz.Impl.Calendar.CronCalendar, Quartz',
      CronExpressionString: '* * 0-7,18-23 ? * *',
      Description: 'c',
      TimeZoneId: 'UTC',
      BaseCalendar: { $type: 'System.Windows.Data.ObjectDataProvider, PresentationFramework', MethodName: 'Start' },
    });
    const r = decodeBlob(enc(text));
    expect(r.quartzObject).toBe('Calendar');
    expect(r.types.map((t) => t.name)).toEqual([
      'Quartz.Impl.Calendar.CronCalendar',
      'System.Windows.Data.ObjectDataProvider',
    ]);
  });

  it('trigger: entries under JobDataMap', () => {
    const text = JSON.stringify({
      TriggerType: 'SimpleTrigger',
      Key: { Name: 't', Group: 'g' },
      JobDataMap: { command: 'ls', n: 2 },
      RepeatCount: 1,
    });
    const r = decodeBlob(enc(text));
    expect(r.quartzObject).toBe('Trigger');
    expect(entries(r)).toEqual({ 'JobDataMap/command': 'ls', 'JobDataMap/n': 2 });
  });

  it('BOM and leading whitespace; arrays make it plain json', () => {
    const r = decodeBlob(Uint8Array.from([0xef, 0xbb, 0xbf, 0x20, ...enc('{"a":[1,2]}')]));
    expect(r.format).toBe('json');
    expect(entries(r)).toEqual({ 'a/0': 1, 'a/1': 2 });
  });
});
