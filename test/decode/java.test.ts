import { describe, expect, it } from 'vitest';
import { isoString } from '../../src/decode/civil-time.js';
import { decodeModifiedUtf8, javaArrayElement, parseJava } from '../../src/decode/java.js';
import { isInterned } from '../../src/decode/java-reader.js';
import {
  arrayList,
  block,
  box,
  DIRTY_FLAG_MAP,
  HASH_MAP,
  hashMap,
  type JavaClassSpec,
  type JavaObjectNode,
  javaDate,
  jobDataMap,
  modifiedUtf8,
  objectOf,
  priorityQueueGadget,
  proxyGadget,
  SC_BLOCK_DATA,
  SC_EXTERNALIZABLE,
  SC_SERIALIZABLE,
  SC_WRITE_METHOD,
  serializeJava,
  simpleTrigger,
  writeJobDataMap,
} from '../../src/fixtures/java-writer.js';
import type { TreeNode } from '../../src/model.js';
import { limits, u8 } from './helpers.js';

function labels(t: TreeNode | undefined, out: string[] = []): string[] {
  if (!t) return out;
  out.push(t.label);
  for (const c of t.children ?? []) labels(c, out);
  return out;
}
const names = (r: { types: { name: string }[] }) => r.types.map((t) => t.name);

describe('Java serialization parser: Quartz shapes from the writer', () => {
  it('reads a JobDataMap with string, int, bool, long, double, date, list and nested map values', () => {
    const bytes = writeJobDataMap({
      s: 'text',
      i: 42,
      b: true,
      l: 1n << 40n,
      d: 2.5,
      when: javaDate(Date.UTC(2026, 10, 27)),
      list: arrayList(['a', 7]),
      nested: hashMap({ inner: 'v', deeper: hashMap({ x: false }) }),
    });
    const r = parseJava(bytes, limits());
    expect(r.malformed).toBeUndefined();
    expect(r.quartzObject).toBe('JobDataMap');
    const byPath = Object.fromEntries(r.entries.map((e) => [e.path.join('/'), e.value]));
    expect(byPath).toEqual({
      s: 'text',
      i: 42,
      b: true,
      l: 2 ** 40,
      d: 2.5,
      when: { type: 'java.util.Date', summary: '2026-11-27T00:00:00.000Z' },
      'list/0': 'a',
      'list/1': 7,
      'nested/inner': 'v',
      'nested/deeper/x': false,
    });
    expect(r.entries.find((e) => e.path[0] === 'i')?.valueType).toBe('java.lang.Integer');
    expect(names(r)).toEqual(
      expect.arrayContaining([
        'org.quartz.JobDataMap',
        'org.quartz.utils.StringKeyDirtyFlagMap',
        'org.quartz.utils.DirtyFlagMap',
        'java.util.HashMap',
        'java.lang.Integer',
        'java.lang.Boolean',
        'java.lang.Long',
        'java.lang.Double',
        'java.util.Date',
        'java.util.ArrayList',
      ]),
    );
    expect(r.strings.map((s) => s.value)).toEqual(expect.arrayContaining(['s', 'text', 'inner', 'v']));
    const text = r.strings.find((s) => s.value === 'text');
    expect(text?.path).toEqual(['map', '@2']);
  });

  it('reads the Quartz 1.x layout (JobDataMap{allowsTransientData} directly over DirtyFlagMap)', () => {
    const jdm1: JavaClassSpec = {
      name: 'org.quartz.JobDataMap',
      suid: -6939901990106713909n,
      fields: [{ code: 'Z', name: 'allowsTransientData' }],
      superClass: DIRTY_FLAG_MAP,
    };
    const r = parseJava(
      serializeJava({
        kind: 'object',
        cls: jdm1,
        fields: { dirty: false, map: hashMap({ old: 'style' }), allowsTransientData: false },
      }),
      limits(),
    );
    expect(r.malformed).toBeUndefined();
    expect(r.quartzObject).toBe('JobDataMap');
    expect(r.entries).toEqual([{ path: ['old'], value: 'style', valueType: 'java.lang.String' }]);
  });

  it('reads a trigger: quartzObject Trigger, entries under jobDataMap', () => {
    const r = parseJava(serializeJava(simpleTrigger('t1', { command: 'ls', n: 1 })), limits());
    expect(r.malformed).toBeUndefined();
    expect(r.quartzObject).toBe('Trigger');
    expect(r.entries.map((e) => [e.path, e.value])).toEqual([
      [['jobDataMap', 'command'], 'ls'],
      [['jobDataMap', 'n'], 1],
    ]);
    const l = labels(r.tree);
    expect(l).toEqual(expect.arrayContaining(['AbstractTrigger.jobDataMap', 'repeatInterval', 'AbstractTrigger.name']));
  });

  it('records calendars as Calendar', () => {
    const cal: JavaObjectNode = objectOf(
      'org.quartz.impl.calendar.HolidayCalendar',
      { dates: null },
      {
        name: 'org.quartz.impl.calendar.BaseCalendar',
        fields: [{ code: 'L', name: 'description', type: 'Ljava/lang/String;' }],
      },
    );
    (cal.fields as Record<string, unknown>).description = 'holidays';
    const r = parseJava(serializeJava(cal), limits());
    expect(r.malformed).toBeUndefined();
    expect(r.quartzObject).toBe('Calendar');
    expect(r.strings.map((s) => s.value)).toContain('holidays');
  });

  it('gadget graph: every class name, proxy interfaces, byte arrays with class-file magic', () => {
    const r = parseJava(
      serializeJava(priorityQueueGadget(), proxyGadget(['java.util.Map', 'javax.xml.transform.Templates'])),
      limits(),
    );
    expect(r.malformed).toBeUndefined();
    expect(names(r)).toEqual(
      expect.arrayContaining([
        'java.util.PriorityQueue',
        'org.apache.commons.collections4.comparators.TransformingComparator',
        'org.apache.commons.collections4.functors.InvokerTransformer',
        'com.sun.org.apache.xalan.internal.xsltc.trax.TemplatesImpl',
        'java.util.Map',
        'javax.xml.transform.Templates',
        'java.lang.reflect.Proxy',
        'sun.reflect.annotation.AnnotationInvocationHandler',
        'java.lang.Override',
      ]),
    );
    expect(r.types.find((t) => t.name === 'javax.xml.transform.Templates')?.via).toBe('java-proxy-interface');
    expect(r.byteArrays.some((b) => b.bytes[0] === 0xca && b.bytes[1] === 0xfe)).toBe(true);
    expect(r.strings.map((s) => s.value)).toContain('newTransformer');
  });
});

describe('Java dates', () => {
  it('isoString is Date#toISOString over its whole range (0 up to year 9999)', () => {
    const edges = [
      0,
      1,
      999,
      86_399_999,
      86_400_000,
      Date.UTC(2000, 1, 29, 12, 34, 56, 7),
      Date.UTC(2100, 1, 28, 23, 59, 59, 999),
      Date.UTC(2100, 2, 1),
      Date.UTC(2400, 1, 29),
      Date.UTC(1999, 11, 31, 23, 59, 59, 999),
      253_402_300_799_999,
    ];
    let seed = 7;
    const next = () => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return seed / 4_294_967_296;
    };
    const random = Array.from({ length: 20_000 }, () => Math.floor(next() * next() * 253_402_300_800_000));
    for (const t of [...edges, ...random]) expect([t, isoString(t)]).toEqual([t, new Date(t).toISOString()]);
  });

  it('a JobDataMap date reads as its ISO time in range, and as before outside it', () => {
    const cases: [number, string][] = [
      [Date.UTC(2026, 10, 27, 1, 2, 3, 45), '2026-11-27T01:02:03.045Z'],
      [253_402_300_799_999, '9999-12-31T23:59:59.999Z'],
      [253_402_300_800_000, '+010000-01-01T00:00:00.000Z'],
      [-1, '1969-12-31T23:59:59.999Z'],
      [-62_198_755_200_000, '-000001-01-01T00:00:00.000Z'],
      [8_640_000_000_000_001, '8640000000000001'],
    ];
    for (const [t, summary] of cases) {
      const r = parseJava(writeJobDataMap({ when: javaDate(t) }), limits());
      expect(r.entries).toEqual([
        { path: ['when'], value: { type: 'java.util.Date', summary }, valueType: 'java.util.Date' },
      ]);
    }
  });
});

describe('Java collections in JobDataMaps', () => {
  const WM = SC_SERIALIZABLE | SC_WRITE_METHOD;
  const HASHTABLE: JavaClassSpec = {
    name: 'java.util.Hashtable',
    suid: 1421746759512286392n,
    flags: WM,
    fields: [
      { code: 'F', name: 'loadFactor' },
      { code: 'I', name: 'threshold' },
    ],
  };
  const PROPERTIES: JavaClassSpec = {
    name: 'java.util.Properties',
    suid: 4112578634029874840n,
    fields: [{ code: 'L', name: 'defaults', type: 'Ljava/util/Properties;' }],
    superClass: HASHTABLE,
  };
  const TREEMAP: JavaClassSpec = {
    name: 'java.util.TreeMap',
    suid: 919286545866124006n,
    flags: WM,
    fields: [{ code: 'L', name: 'comparator', type: 'Ljava/util/Comparator;' }],
  };
  const LINKEDLIST: JavaClassSpec = { name: 'java.util.LinkedList', suid: 876323262645176354n, flags: WM, fields: [] };
  const VECTOR: JavaClassSpec = {
    name: 'java.util.Vector',
    suid: -2767605614048989439n,
    flags: WM,
    fields: [
      { code: 'I', name: 'capacityIncrement' },
      { code: 'I', name: 'elementCount' },
      { code: '[', name: 'elementData', type: '[Ljava/lang/Object;' },
    ],
  };
  it('Hashtable, Properties, TreeMap, LinkedList, Vector keep key paths', () => {
    const bytes = writeJobDataMap({
      ht: {
        kind: 'object',
        cls: HASHTABLE,
        fields: { loadFactor: 0.75, threshold: 8 },
        writeData: { 'java.util.Hashtable': [block(11, 1), 'h', 'x'] },
      },
      props: {
        kind: 'object',
        cls: PROPERTIES,
        fields: { loadFactor: 0.75, threshold: 8, defaults: null },
        writeData: { 'java.util.Hashtable': [block(11, 1), 'jms.password', 'pw'] },
      },
      tm: {
        kind: 'object',
        cls: TREEMAP,
        fields: { comparator: null },
        writeData: { 'java.util.TreeMap': [block(2), 'a', box(1), 'b', box(2)] },
      },
      ll: { kind: 'object', cls: LINKEDLIST, writeData: { 'java.util.LinkedList': [block(2), 'first', 'second'] } },
      vec: {
        kind: 'object',
        cls: VECTOR,
        fields: {
          capacityIncrement: 0,
          elementCount: 1,
          elementData: { kind: 'array', cls: '[Ljava.lang.Object;', items: ['only', null] },
        },
        writeData: { 'java.util.Vector': [] },
      },
    });
    const r = parseJava(bytes, limits());
    expect(r.malformed).toBeUndefined();
    expect(Object.fromEntries(r.entries.map((e) => [e.path.join('/'), e.value]))).toEqual({
      'ht/h': 'x',
      'props/jms.password': 'pw',
      'tm/a': 1,
      'tm/b': 2,
      'll/0': 'first',
      'll/1': 'second',
      'vec/0': 'only',
    });
  });

  it('interns class and field names and map keys, never another string (a short secret does not outlive the decode)', () => {
    const bytes = writeJobDataMap({
      smtpPassword: 'Pw-ReaderKeep-1',
      props: {
        kind: 'object',
        cls: PROPERTIES,
        fields: { loadFactor: 0.75, threshold: 8, defaults: null },
        writeData: { 'java.util.Hashtable': [block(11, 1), 'jms.password', 'Pw-ReaderKeep-2'] },
      },
      tm: {
        kind: 'object',
        cls: TREEMAP,
        fields: { comparator: null },
        writeData: { 'java.util.TreeMap': [block(1), 'tmKey', 'Pw-ReaderKeep-3'] },
      },
      ll: { kind: 'object', cls: LINKEDLIST, writeData: { 'java.util.LinkedList': [block(1), 'Pw-ReaderKeep-4'] } },
      list: arrayList(['Pw-ReaderKeep-5']),
    });
    const r = parseJava(bytes, limits());
    expect(r.malformed).toBeUndefined();
    const values = r.entries.map((e) => e.value);
    for (let i = 1; i <= 5; i++) {
      expect(values).toContain(`Pw-ReaderKeep-${i}`);
      expect(isInterned(`Pw-ReaderKeep-${i}`)).toBe(false);
    }
    for (const key of ['smtpPassword', 'jms.password', 'tmKey', 'loadFactor', 'Ljava/util/Comparator;'])
      expect([key, isInterned(key)]).toEqual([key, true]);
  });
});

describe('Java serialization parser: every grammar path', () => {
  it('TC_REFERENCE to objects and strings; cycles', () => {
    const shared = hashMap({ k: 'v' });
    const self: JavaObjectNode = { kind: 'object', cls: HASH_MAP, fields: { loadFactor: 0.75, threshold: 12 } };
    self.writeData = { 'java.util.HashMap': [block(16, 1), 'me', self] };
    const r = parseJava(serializeJava(jobDataMap({ a: shared, b: shared, c: self })), limits());
    expect(r.malformed).toBeUndefined();
    const paths = r.entries.map((e) => e.path.join('/'));
    expect(paths).toEqual(['a/k', 'b/k', 'c/me']);
    expect(r.entries.find((e) => e.path.join('/') === 'c/me')?.value).toEqual({
      type: 'java.util.HashMap',
      summary: '(cycle)',
    });
    expect(JSON.stringify(r.tree)).toContain('→ ref');
  });

  it('TC_LONGSTRING, TC_ENUM, TC_CLASS, TC_NULL, primitive arrays of every type, object arrays', () => {
    const en: JavaClassSpec = {
      name: 'java.util.concurrent.TimeUnit',
      suid: 0n,
      flags: 0x12,
      fields: [],
      superClass: { name: 'java.lang.Enum', suid: 0n, flags: 0x12, fields: [] },
    };
    const long = 'x'.repeat(70_000);
    const bytes = serializeJava(
      jobDataMap({
        long: { kind: 'longstring', value: long },
        unit: { kind: 'enum', cls: en, constant: 'SECONDS' },
        cls: { kind: 'class', cls: { name: 'java.lang.Runtime', suid: 0n, fields: [] } },
        nil: null,
        ints: { kind: 'array', cls: '[I', prims: [1, -2, 2 ** 31 - 1] },
        longs: { kind: 'array', cls: '[J', prims: [1n, -(2n ** 63n)] },
        shorts: { kind: 'array', cls: '[S', prims: [-1, 300] },
        chars: { kind: 'array', cls: '[C', prims: ['a', 'Ω'] },
        floats: { kind: 'array', cls: '[F', prims: [1.5] },
        doubles: { kind: 'array', cls: '[D', prims: [0.1] },
        bools: { kind: 'array', cls: '[Z', prims: [true, false] },
        bytes: { kind: 'array', cls: '[B', bytes: Uint8Array.from([0xff, 0]) },
        objs: { kind: 'array', cls: '[Ljava.lang.String;', items: ['p', null] },
      }),
    );
    const r = parseJava(bytes, limits());
    expect(r.malformed).toBeUndefined();
    const v = Object.fromEntries(r.entries.map((e) => [e.path.join('/'), e.value]));
    expect(v.long).toBe(long);
    expect(v.unit).toEqual({ type: 'java.util.concurrent.TimeUnit', summary: 'SECONDS' });
    expect(v.cls).toEqual({ type: 'java.lang.Class', summary: 'java.lang.Runtime' });
    expect(v.nil).toBeNull();
    expect(v.ints).toEqual({ type: '[I', summary: '3 elements' });
    expect(v['objs/0']).toBe('p');
    expect(v['objs/1']).toBeNull();
    const tree = JSON.stringify(r.tree);
    expect(tree).toContain('[1, -2, 2147483647] (3)');
    expect(tree).toContain('[1, -9223372036854775808] (2)');
    expect(tree).toContain('[-1, 300] (2)');
    expect(tree).toContain('[a, Ω] (2)');
    expect(tree).toContain('[true, false] (2)');
    expect(tree).toContain('2 bytes ff00');
    expect(names(r)).toEqual(
      expect.arrayContaining([
        'java.util.concurrent.TimeUnit',
        'java.lang.Enum',
        'java.lang.Runtime',
        'java.lang.String',
      ]),
    );
    // Primitive array classes are not types anyone instantiates by name.
    expect(names(r)).not.toContain('[I');
  });

  it('class annotations with objects (codebase-style), TC_BLOCKDATALONG, TC_RESET, TC_EXCEPTION', () => {
    const annotated: JavaClassSpec = {
      name: 'com.example.Annotated',
      suid: 1n,
      fields: [],
      annotation: ['http://evil.example/codebase', { kind: 'block', bytes: Uint8Array.from([1, 2, 3]) }],
    };
    const withLong: JavaClassSpec = {
      name: 'com.example.Custom',
      suid: 1n,
      flags: SC_SERIALIZABLE | SC_WRITE_METHOD,
      fields: [],
    };
    const big = new Uint8Array(300).fill(0x41);
    const exc = objectOf('java.io.InvalidClassException', { detailMessage: 'boom' });
    const bytes = serializeJava(
      { kind: 'object', cls: annotated },
      {
        kind: 'object',
        cls: withLong,
        writeData: { 'com.example.Custom': [{ kind: 'block', bytes: big, long: true }, 'after'] },
      },
      { kind: 'reset' },
      { kind: 'object', cls: annotated },
      { kind: 'exception', value: exc },
    );
    const r = parseJava(bytes, limits());
    expect(r.malformed).toBeUndefined();
    expect(r.strings.map((s) => s.value)).toEqual(
      expect.arrayContaining(['http://evil.example/codebase', 'after', 'boom']),
    );
    expect(r.byteArrays.some((b) => b.bytes.length === 300)).toBe(true);
    expect(names(r)).toEqual(
      expect.arrayContaining(['com.example.Annotated', 'com.example.Custom', 'java.io.InvalidClassException']),
    );
    expect(JSON.stringify(r.tree)).toContain('TC_RESET');
    // A reset in a value position is consumed, and the value after it is read with fresh handles.
    const map: JavaObjectNode = {
      kind: 'object',
      cls: HASH_MAP,
      fields: { loadFactor: 0.75, threshold: 12 },
      writeData: { 'java.util.HashMap': [block(16, 1), 'a', { kind: 'reset' }, 'after'] },
    };
    const inField = parseJava(serializeJava(map, jobDataMap({ again: 'x' })), limits());
    expect(inField.malformed).toBeUndefined();
    expect(inField.entries).toEqual([{ path: ['a'], value: 'after', valueType: 'java.lang.String' }]);
    expect(JSON.stringify(r.tree)).toContain('TC_EXCEPTION');
  });

  it('Externalizable with SC_BLOCK_DATA is read; protocol 1 stops with malformed and keeps the types', () => {
    const ext: JavaClassSpec = {
      name: 'com.example.Ext',
      suid: 1n,
      flags: SC_EXTERNALIZABLE | SC_BLOCK_DATA,
      fields: [],
    };
    const ok = parseJava(
      serializeJava({ kind: 'object', cls: ext, writeData: { 'com.example.Ext': [block(7), 'inside'] } }),
      limits(),
    );
    expect(ok.malformed).toBeUndefined();
    expect(ok.strings.map((s) => s.value)).toContain('inside');
    const p1: JavaClassSpec = { name: 'com.example.Ext1', suid: 1n, flags: SC_EXTERNALIZABLE, fields: [] };
    const bad = parseJava(
      serializeJava({ kind: 'object', cls: p1 }, { kind: 'raw', bytes: Uint8Array.from([1, 2, 3]) }),
      limits(),
    );
    expect(bad.malformed?.reason).toMatch(/Externalizable protocol 1/);
    expect(names(bad)).toContain('com.example.Ext1');
  });

  it('modified UTF-8: NUL as C0 80, supplementary characters as surrogate pairs', () => {
    const s = 'a\u0000b😀é';
    expect(Array.from(modifiedUtf8('\u0000'))).toEqual([0xc0, 0x80]);
    const b = modifiedUtf8(s);
    expect(decodeModifiedUtf8(b, 0, b.length)).toBe(s);
    const r = parseJava(writeJobDataMap({ k: s }), limits());
    expect(r.entries[0]?.value).toBe(s);
  });

  it('array element types', () => {
    expect(javaArrayElement('[Ljava.lang.String;')).toBe('java.lang.String');
    expect(javaArrayElement('[[Lcom.x.Y;')).toBe('com.x.Y');
    expect(javaArrayElement('[B')).toBeUndefined();
    expect(javaArrayElement('java.util.HashMap')).toBe('java.util.HashMap');
  });
});

describe('Java serialization parser: hostile input', () => {
  const jdm = writeJobDataMap({ key: 'value', n: 1 });

  it('every truncation is malformed (never clean) and keeps the types read before it', () => {
    for (let n = 4; n < jdm.length; n++) {
      const r = parseJava(jdm.subarray(0, n), limits());
      expect(r.malformed, `truncated at ${n}`).toBeDefined();
      expect(r.malformed?.offset).toBeLessThanOrEqual(n);
    }
    const half = parseJava(jdm.subarray(0, 200), limits());
    expect(names(half)).toEqual(expect.arrayContaining(['org.quartz.JobDataMap', 'org.quartz.utils.DirtyFlagMap']));
  });

  it('a stream cut exactly between two top-level objects is a valid shorter stream', () => {
    const first = serializeJava(priorityQueueGadget());
    const both = serializeJava(priorityQueueGadget(), proxyGadget());
    expect(Buffer.from(both.subarray(0, first.length)).equals(Buffer.from(first))).toBe(true);
    expect(parseJava(both.subarray(0, first.length), limits()).malformed).toBeUndefined();
    // One byte of a second object: ObjectInputStream.readObject stops after the first, so the rest is
    // data after the payload (QA-B08), not a malformed stream.
    const cut = parseJava(both.subarray(0, first.length + 1), limits());
    expect(cut.malformed).toBeUndefined();
    expect(cut.trailing).toEqual({ offset: first.length, length: 1, preview: '73' });
  });

  it('bad magic / version / empty stream', () => {
    expect(parseJava(u8([0xac, 0xed, 0, 6]), limits()).malformed?.reason).toMatch(/version/);
    expect(parseJava(u8([0xac, 0xed, 0, 5]), limits()).malformed?.reason).toMatch(/no content/);
    expect(parseJava(u8([1, 2]), limits()).malformed).toBeDefined();
  });

  it('huge declared lengths are refused before allocating', () => {
    const head = [0xac, 0xed, 0, 5];
    // TC_LONGSTRING with 2^62 bytes
    const ls = parseJava(u8(head, [0x7c, 0x40, 0, 0, 0, 0, 0, 0, 0, 0x41]), limits());
    expect(ls.malformed?.reason).toMatch(/long string length/);
    // TC_ARRAY [B with 2^31-1 elements and no data
    const arr = parseJava(
      u8(head, [0x75, 0x72, 0, 2], '[B', [0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0x78, 0x70, 0x7f, 0xff, 0xff, 0xff]),
      limits(),
    );
    expect(arr.malformed?.reason).toMatch(/array of 2147483647 B/);
    // object array of 2^31-1 elements
    const oarr = parseJava(
      u8(
        head,
        [0x75, 0x72, 0, 19],
        '[Ljava.lang.Object;',
        [0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0x78, 0x70, 0x7f, 0xff, 0xff, 0xff, 0x70],
      ),
      limits(),
    );
    expect(oarr.malformed?.reason).toMatch(/array of 2147483647 objects/);
    // class desc declaring 65535 fields
    const fields = parseJava(u8(head, [0x73, 0x72, 0, 1], 'A', [0, 0, 0, 0, 0, 0, 0, 1, 2, 0xff, 0xff]), limits());
    expect(fields.malformed?.reason).toMatch(/field descriptors/);
    // negative array length
    const neg = parseJava(
      u8(head, [0x75, 0x72, 0, 2], '[B', [0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0x78, 0x70, 0xff, 0xff, 0xff, 0xff]),
      limits(),
    );
    expect(neg.malformed?.reason).toMatch(/negative array length/);
  });

  it('references to unknown handles and to the wrong kind are malformed', () => {
    const head = [0xac, 0xed, 0, 5];
    expect(parseJava(u8(head, [0x71, 0, 0x7e, 0, 5]), limits()).malformed?.reason).toMatch(/unknown handle/);
    // TC_OBJECT whose class desc is a reference to a string
    const r = parseJava(u8(head, [0x74, 0, 1], 'x', [0x73, 0x71, 0, 0x7e, 0, 0]), limits());
    expect(r.malformed?.reason).toMatch(/reference to a string where a class descriptor/);
  });

  it('deep nesting stops at maxDepth with limited + malformed, no stack overflow', () => {
    // N nested one-element Object[] arrays (the writer is recursive, so build the bytes directly).
    const desc = [0x72, 0, 19, ...Buffer.from('[Ljava.lang.Object;'), 0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0x78, 0x70];
    const level = [0x75, 0x71, 0, 0x7e, 0, 0, 0, 0, 0, 1];
    const n = 200_000;
    const bytes = new Uint8Array(4 + 1 + desc.length + 4 + (n - 1) * level.length + 1);
    bytes.set([0xac, 0xed, 0, 5, 0x75, ...desc, 0, 0, 0, 1]);
    let at = 4 + 1 + desc.length + 4;
    for (let i = 1; i < n; i++, at += level.length) bytes.set(level, at);
    bytes[at] = 0x70;
    const r = parseJava(bytes, limits());
    expect(r.limited).toBe('depth>64');
    expect(r.malformed?.reason).toMatch(/nesting deeper than 64/);
    expect(names(r)).toContain('java.lang.Object');
    const deep = parseJava(bytes, limits({ maxDepth: 1_000_000, maxRecords: 1_000_000 }));
    expect(deep.malformed).toBeDefined(); // RangeError or records bound, caught
  });

  it('record and time bounds', () => {
    const many = writeJobDataMap(Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i])));
    const r = parseJava(many, limits({ maxRecords: 500 }));
    expect(r.limited).toBe('records>500');
    expect(r.malformed).toBeDefined();
    const t = parseJava(many, limits({ deadline: Date.now() - 1 }));
    expect(t.limited).toBe('time');
  });

  it('strings longer than maxStringLength are cut', () => {
    const r = parseJava(writeJobDataMap({ k: 'y'.repeat(5000) }), limits({ maxStringLength: 100 }));
    expect(r.malformed).toBeUndefined();
    expect(r.entries[0]?.value).toBe('y'.repeat(100));
  });

  it('box() picks Integer/Double/Boolean/Long', () => {
    expect((box(1) as JavaObjectNode).cls.name).toBe('java.lang.Integer');
    expect((box(1.5) as JavaObjectNode).cls.name).toBe('java.lang.Double');
    expect((box(2 ** 40) as JavaObjectNode).cls.name).toBe('java.lang.Double');
    expect((box(true) as JavaObjectNode).cls.name).toBe('java.lang.Boolean');
    expect((box(1n) as JavaObjectNode).cls.name).toBe('java.lang.Long');
  });
});
