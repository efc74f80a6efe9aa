import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeBlob, sniff } from '../../src/decode/index.js';
import { extractStrings } from '../../src/decode/strings.js';
import { objectOf, priorityQueueGadget, serializeJava, writeJobDataMap } from '../../src/fixtures/java-writer.js';
import { writeGadgetGraph, writeJobDataMap as writeNrbfJobDataMap } from '../../src/fixtures/nrbf-writer.js';
import type { DecodeResult } from '../../src/model.js';

const enc = (s: string) => new TextEncoder().encode(s);
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const typesVia = (r: DecodeResult) => r.types.map((t) => `${t.name} ${t.via}`);

describe('decodeBlob: sniffing from the bytes alone', () => {
  it('empty and NULL', () => {
    expect(decodeBlob(null)).toEqual({ format: 'empty', nestedFormats: [], types: [], entries: [], strings: [] });
    expect(decodeBlob(new Uint8Array(0)).format).toBe('empty');
  });

  it('each format by its header', () => {
    expect(sniff(writeJobDataMap({ a: 'b' }))).toBe('java');
    expect(sniff(writeNrbfJobDataMap({ a: 'b' }))).toBe('nrbf');
    expect(sniff(gzipSync(Buffer.from('x')))).toBe('gzip');
    expect(sniff(enc(' \n[1]'))).toBe('json');
    expect(sniff(enc('#c\na=b'))).toBe('properties');
    expect(sniff(Uint8Array.from([1, 2, 3]))).toBe('unknown');
    // NRBF sniffed loosely: any RootId/HeaderId, version 1.0
    const loose = Uint8Array.from([0, 7, 0, 0, 0, 9, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 11]);
    expect(sniff(loose)).toBe('nrbf');
  });

  it('works on Buffers that are views into a larger pooled buffer (driver rows)', () => {
    const inner = writeJobDataMap({ k: 'pooled' });
    const pool = Buffer.alloc(inner.length + 37, 0x41);
    pool.set(inner, 17);
    const view = pool.subarray(17, 17 + inner.length);
    const r = decodeBlob(view);
    expect(r.malformed).toBeUndefined();
    expect(r.entries[0]?.value).toBe('pooled');
    const props = Buffer.concat([Buffer.from('xxxx'), Buffer.from('#\nk=v\n')]).subarray(4);
    expect(decodeBlob(props).entries).toEqual([{ path: ['k'], value: 'v', valueType: 'java.lang.String' }]);
  });

  it('NRBF JobDataMap via the NRBF parser', () => {
    const r = decodeBlob(writeNrbfJobDataMap({ user: 'bob', n: 3 }));
    expect(r.format).toBe('nrbf');
    expect(r.malformed).toBeUndefined();
    expect(r.quartzObject).toBe('JobDataMap');
    expect(Object.fromEntries(r.entries.map((e) => [e.path.join('/'), e.value]))).toEqual({ user: 'bob', n: 3 });
  });
});

describe('decodeBlob: gzip', () => {
  it('inflates, re-sniffs, reports the content format with gzip in nestedFormats', () => {
    const r = decodeBlob(gzipSync(writeJobDataMap({ k: 'v' })));
    expect(r.format).toBe('java');
    expect(r.nestedFormats).toEqual(['gzip']);
    expect(r.entries).toEqual([{ path: ['k'], value: 'v', valueType: 'java.lang.String' }]);
    expect(r.tree?.label).toBe('gzip');
  });

  it('a gzip bomb is bounded (limited, malformed), never inflated whole', () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const r = decodeBlob(bomb, { maxInflate: 1024 * 1024 });
    expect(r.limited).toMatch(/^gzip>/);
    expect(r.malformed).toBeDefined();
    expect(r.nestedFormats).toEqual(['gzip']);
  });

  it('truncated gzip still yields what inflated', () => {
    const z = gzipSync(Buffer.from(`{"a":"${'x'.repeat(5000)}"}`));
    const r = decodeBlob(z.subarray(0, z.length - 12));
    expect(r.nestedFormats).toEqual(['gzip']);
    expect(r.malformed).toBeDefined();
  });
});

describe('decodeBlob: nested payloads', () => {
  it('base64 Java gadget inside a Java JobDataMap string value: types via nested:base64, entry paths prefixed', () => {
    const r = decodeBlob(writeJobDataMap({ a: 'x', payload: b64(serializeJava(priorityQueueGadget())) }));
    expect(r.format).toBe('java');
    expect(r.nestedFormats).toEqual(['java']);
    expect(typesVia(r)).toEqual(
      expect.arrayContaining([
        'org.apache.commons.collections4.functors.InvokerTransformer nested:base64',
        'com.sun.org.apache.xalan.internal.xsltc.trax.TemplatesImpl nested:base64',
        '(Java class file) nested:classfile',
      ]),
    );
    expect(r.entries.map((e) => e.path.join('/'))).toContain('payload/(base64)/1');
    expect(r.strings.find((s) => s.value === 'newTransformer')?.path.slice(0, 2)).toEqual(['payload', '(base64)']);
  });

  it('hex NRBF inside JSON, and base64 JSON with $type inside a properties value', () => {
    const nrbf = writeGadgetGraph('System.Security.Claims.ClaimsIdentity', undefined, { m_serializedClaims: 'x' });
    const r = decodeBlob(enc(JSON.stringify({ blob: `0x${hex(nrbf)}` })));
    expect(r.format).toBe('json-stj');
    expect(r.nestedFormats).toEqual(['nrbf']);
    expect(typesVia(r)).toContain('System.Security.Claims.ClaimsIdentity nested:hex');
    const json = enc(JSON.stringify({ $type: 'System.Windows.Data.ObjectDataProvider, PresentationFramework' }));
    const p = decodeBlob(enc(`#\ncfg=${b64(json)}\n`));
    expect(p.format).toBe('properties');
    expect(p.jsonTypeNames).toBe(true);
    expect(typesVia(p)).toContain('System.Windows.Data.ObjectDataProvider nested:base64');
  });

  it('recursion: base64 inside gzip inside base64 inside Java, up to the nesting bound', () => {
    const inner = writeJobDataMap({ deep: b64(serializeJava(objectOf('com.evil.Deepest'))) });
    const outer = writeJobDataMap({ wrapped: b64(gzipSync(inner)) });
    const r = decodeBlob(outer);
    expect(r.nestedFormats).toEqual(['gzip', 'java', 'java']);
    expect(r.types.map((t) => t.name)).toContain('com.evil.Deepest');
    const shallow = decodeBlob(outer, { maxNested: 1 });
    expect(shallow.types.map((t) => t.name)).not.toContain('com.evil.Deepest');
  });

  it('nested NRBF in a byte array member, PE and class-file magic in byte arrays', () => {
    const nrbf = writeGadgetGraph('System.Windows.Forms.AxHost+State', undefined, {});
    const pe = new Uint8Array(128);
    pe.set([0x4d, 0x5a]);
    pe.set([0x80, 0, 0, 0], 60);
    const pe2 = new Uint8Array(256);
    pe2.set(pe);
    pe2.set([0x50, 0x45, 0, 0], 0x80);
    const bytes = serializeJava(
      objectOf('com.example.Holder', {
        a: { kind: 'array', cls: '[B', bytes: nrbf },
        b: { kind: 'array', cls: '[B', bytes: pe2 },
        c: { kind: 'array', cls: '[B', bytes: Uint8Array.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52]) },
      }),
    );
    const r = decodeBlob(bytes);
    expect(typesVia(r)).toEqual(
      expect.arrayContaining([
        'System.Windows.Forms.AxHost+State nested:bytes',
        '(PE image) nested:pe',
        '(Java class file) nested:classfile',
      ]),
    );
  });

  it('XAML and CLIXML markers become pseudo-types plus the real types they name', () => {
    const xaml =
      '<ResourceDictionary xmlns="http://schemas.microsoft.com/winfx/2006/xaml/presentation" xmlns:x="http://schemas.microsoft.com/winfx/2006/xaml" xmlns:s="clr-namespace:System;assembly=mscorlib" xmlns:d="clr-namespace:System.Diagnostics;assembly=system"><ObjectDataProvider x:Key="a" ObjectType="{x:Type d:Process}" MethodName="Start"><ObjectDataProvider.MethodParameters><s:String>cmd</s:String></ObjectDataProvider.MethodParameters></ObjectDataProvider></ResourceDictionary>';
    const r = decodeBlob(writeJobDataMap({ brush: xaml }));
    expect(typesVia(r)).toEqual(
      expect.arrayContaining([
        '(XAML) nested:xaml',
        'System.Windows.Data.ObjectDataProvider nested:xaml',
        'System.Windows.ResourceDictionary nested:xaml',
        'System.Diagnostics.Process nested:xaml',
        'System.String nested:xaml',
      ]),
    );
    const clixml =
      '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><Obj RefId="0"><TN RefId="0"><T>Microsoft.Management.Infrastructure.CimInstance#System.Management.Automation/RunspaceInvoke5</T><T>System.Object</T></TN></Obj></Objs>';
    const c = decodeBlob(enc(JSON.stringify({ CliXml: clixml })));
    expect(typesVia(c)).toEqual(
      expect.arrayContaining([
        '(CLIXML) nested:clixml',
        'Microsoft.Management.Infrastructure.CimInstance#System.Management.Automation/RunspaceInvoke5 nested:clixml',
      ]),
    );
  });

  it('a truncated nested serialized payload makes the blob malformed; base64 of ordinary text does not', () => {
    const cut = serializeJava(priorityQueueGadget()).subarray(0, 100);
    const r = decodeBlob(writeJobDataMap({ p: b64(cut) }));
    expect(r.malformed?.reason).toMatch(/^nested payload at p\.\(base64\)/);
    expect(r.malformed?.offset).toBe(-1);
    expect(r.types.map((t) => t.name)).toContain('java.util.PriorityQueue');
    const ok = decodeBlob(writeJobDataMap({ p: b64(enc('{not json at all, just braces and text}')) }));
    expect(ok.malformed).toBeUndefined();
  });
});

describe('decodeBlob: unknown bytes and partial parses still expose strings', () => {
  it('UTF-8 and UTF-16LE runs of at least 4 characters', () => {
    const bytes = Uint8Array.from([
      0xff,
      ...enc('password=hunter2'),
      0x00,
      0x01,
      ...Buffer.from('Secret\u00e9Token', 'utf16le'),
      0x00,
      0x81,
      ...enc('ab'),
      0xfe,
      ...enc('Grüße!'),
    ]);
    const r = decodeBlob(bytes);
    expect(r.format).toBe('unknown');
    expect(r.malformed).toBeUndefined();
    expect(r.strings.map((s) => s.value)).toEqual(
      expect.arrayContaining(['password=hunter2', 'SecretéToken', 'Grüße!']),
    );
    expect(r.strings.map((s) => s.value)).not.toContain('ab');
    expect(extractStrings(bytes)[0]?.path).toEqual(['utf8@0x1']);
  });

  it('strings after the point where a parse stopped are still found', () => {
    const good = writeJobDataMap({ k: 'v' });
    const bytes = new Uint8Array([...good.subarray(0, 40), 0x99, ...enc('jdbc:postgresql://db/x?password=s3cret')]);
    const r = decodeBlob(bytes);
    expect(r.malformed).toBeDefined();
    const tail = r.strings.find((s) => s.value.includes('password=s3cret'));
    expect(tail?.path[0]).toBe('(unparsed)');
  });

  it('never throws; a blob that fails is never clean', () => {
    for (const b of [Uint8Array.from([0xac, 0xed, 0, 5, 0x73]), Uint8Array.from([0x1f, 0x8b, 8, 0]), enc('{"a":')]) {
      const r = decodeBlob(b);
      expect(r.malformed).toBeDefined();
    }
  });
});
