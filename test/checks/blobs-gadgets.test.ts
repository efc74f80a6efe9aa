import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { b02 } from '../../src/checks/content/b02-gadget.js';
import { b03 } from '../../src/checks/content/b03-type-allowlist.js';
import { b06 } from '../../src/checks/content/b06-json-typenames.js';
import { blobTypes, findGadget, loadGadgetCatalogue, normaliseTypeName } from '../../src/checks/content/gadgets.js';
import { checks } from '../../src/checks/content/index.js';
import { decodeBlob } from '../../src/decode/index.js';
import { parseNrbf } from '../../src/decode/nrbf.js';
import { MSCORLIB, writeGadgetGraph, writeJobDataMap } from '../../src/fixtures/nrbf-writer.js';
import type { CheckOptions, DecodeResult, Facts, ScannedBlob, TypeRef } from '../../src/model.js';
import { checkOptions } from '../../src/model.js';

const _facts = {} as Facts;
const options = (allowTypes: string[] = []): CheckOptions => checkOptions({ allowTypes, maxBlobSize: 1 << 20 });

function nrbfBlob(bytes: Uint8Array): ScannedBlob {
  const r = parseNrbf(bytes, {
    maxDepth: 64,
    maxRecords: 100_000,
    deadline: Date.now() + 10_000,
    maxStringLength: 100_000,
  });
  const decoded: DecodeResult = { ...r, nestedFormats: [] };
  return blob(decoded);
}

function blob(decoded: DecodeResult, name = 'job1'): ScannedBlob {
  return {
    row: {
      table: 'JOB_DETAILS',
      tableName: 'qrtz_job_details',
      column: 'JOB_DATA',
      key: { sched: 'S', group: 'G', name },
      size: 10,
    },
    decoded,
  };
}

function decoded(types: TypeRef[], extra: Partial<DecodeResult> = {}): DecodeResult {
  return { format: 'unknown', nestedFormats: [], types, entries: [], strings: [], ...extra };
}

const PF = 'PresentationFramework, Version=4.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35';

describe('gadget catalogue (data/gadgets.json)', () => {
  const cat = loadGadgetCatalogue();
  it('is well formed and covers the required families', () => {
    expect(cat.length).toBeGreaterThan(100);
    for (const e of cat) {
      // a type name or glob, or a payload marker the decoders report, e.g. '(PE image)'
      expect(e.type).toMatch(/^([\w.$`+*[\]-]+|\([A-Za-z .]+\))$/);
      expect(e.why.endsWith('.')).toBe(true);
    }
    const families = new Set(cat.map((e) => e.gadget));
    for (const f of [
      'ObjectDataProvider',
      'TypeConfuseDelegate',
      'TextFormattingRunProperties',
      'WindowsIdentity',
      'WindowsClaimsIdentity',
      'ClaimsIdentity',
      'ClaimsPrincipal',
      'DataSet',
      'RolePrincipal',
      'SessionSecurityToken',
      'SessionViewStateHistoryItem',
      'AxHostState',
      'ResourceSet',
      'PSObject',
      'ActivitySurrogateSelector',
      'ActivitySurrogateDisableTypeCheck',
      'ObjRef',
      'ToolboxItemContainer',
      'GenericPrincipal',
      'BaseActivationFactory',
      'GetterSettingsPropertyValue',
      'CommonsCollections1',
      'CommonsCollections2',
      'CommonsCollections3',
      'CommonsCollections5',
      'CommonsBeanutils1',
      'TemplatesImpl',
      'Spring1',
      'C3P0',
      'Groovy1',
      'ROME',
      'Hibernate1',
      'Hibernate2',
      'Clojure',
      'URLDNS',
    ])
      expect(families, f).toContain(f);
    expect(new Set(cat.map((e) => `${e.ecosystem} ${e.type}`)).size).toBe(cat.length);
  });
  it('matches exact names, globs, generic and assembly-qualified spellings, per ecosystem', () => {
    expect(findGadget('System.Windows.Data.ObjectDataProvider, PresentationFramework', 'dotnet')?.gadget).toBe(
      'ObjectDataProvider',
    );
    expect(findGadget(`System.Collections.Generic.SortedSet\`1[[System.String, ${MSCORLIB}]]`, 'dotnet')?.gadget).toBe(
      'TypeConfuseDelegate',
    );
    expect(
      findGadget(
        'System.Workflow.ComponentModel.Serialization.ActivitySurrogateSelector+ObjectSurrogate+ObjectSerializedRef',
        'dotnet',
      )?.gadget,
    ).toBe('ActivitySurrogateSelector');
    expect(findGadget('[Lorg.apache.commons.collections.functors.InvokerTransformer;', 'java')?.gadget).toBe(
      'CommonsCollections1',
    );
    expect(findGadget('org.apache.commons.collections.functors.InvokerTransformer', 'dotnet')).toBeUndefined();
    expect(findGadget('System.Windows.Data.ObjectDataProviderX', 'dotnet')).toBeUndefined();
    expect(normaliseTypeName(' Foo`1[[A, B]][], Asm ')).toBe('Foo`1');
  });
});

describe('QA-B02 gadget types', () => {
  it('is registered with the blob checks', () => {
    expect(checks.map((c) => c.meta.id)).toEqual(expect.arrayContaining(['QA-B02', 'QA-B03', 'QA-B06']));
  });

  it('finds an NRBF ObjectDataProvider built by the writer', () => {
    const f =
      b02.inspectBlob?.(
        nrbfBlob(writeGadgetGraph('System.Windows.Data.ObjectDataProvider', PF, { MethodName: 'Start' })),
        options(),
      ) ?? [];
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({
      status: 'fail',
      severity: 'critical',
      object: {
        kind: 'row',
        name: 'qrtz_job_details.JOB_DATA S/G.job1',
        table: 'qrtz_job_details',
        rowKey: 'S/G.job1',
      },
      evidence: {
        type: 'System.Windows.Data.ObjectDataProvider',
        gadget: 'ObjectDataProvider',
        ecosystem: 'dotnet',
        assembly: PF,
      },
      discriminator: 'System.Windows.Data.ObjectDataProvider',
    });
    expect(f[0]?.message).toContain('ObjectDataProvider gadget');
  });

  it('finds every part of a TypeConfuseDelegate graph, including the delegate target type', () => {
    const bytes = writeGadgetGraph(
      'System.Collections.Generic.SortedSet`1[[System.String,mscorlib]]',
      'System,Version=4.0.0.0',
      {
        Count: 2,
        Comparer: {
          object: {
            type: 'System.Collections.Generic.ComparisonComparer`1[[System.String, mscorlib]]',
            members: {
              _comparison: {
                object: {
                  type: 'System.DelegateSerializationHolder',
                  members: {
                    Delegate: {
                      object: {
                        type: 'System.DelegateSerializationHolder+DelegateEntry',
                        members: {
                          targetTypeName: 'System.Diagnostics.Process',
                          targetTypeAssembly: 'System',
                          methodName: 'Start',
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
        Items: { list: ['cmd', '/c calc'] },
      },
    );
    const f = b02.inspectBlob?.(nrbfBlob(bytes), options()) ?? [];
    expect(f.map((d) => d.evidence?.type).sort()).toEqual([
      'System.Collections.Generic.ComparisonComparer`1',
      'System.Collections.Generic.SortedSet`1',
      'System.DelegateSerializationHolder',
      'System.DelegateSerializationHolder+DelegateEntry',
      'System.Diagnostics.Process',
    ]);
    expect(new Set(f.map((d) => d.evidence?.gadget))).toEqual(new Set(['TypeConfuseDelegate', 'ObjectDataProvider']));
  });

  it('finds a gadget stored as a JobDataMap value, and B03 leaves it to B02', () => {
    const bytes = writeJobDataMap({
      ok: 'fine',
      evil: {
        object: {
          type: 'Microsoft.VisualStudio.Text.Formatting.TextFormattingRunProperties',
          library: 'Microsoft.PowerShell.Editor, Version=3.0.0.0',
          members: { ForegroundBrush: '<ResourceDictionary/>' },
        },
      },
    });
    const b = nrbfBlob(bytes);
    const f = b02.inspectBlob?.(b, options()) ?? [];
    expect(f.map((d) => d.evidence?.gadget)).toEqual(['TextFormattingRunProperties']);
    expect(b03.inspectBlob?.(b, options())).toEqual([]);
  });

  it('finds Java gadgets from a Java DecodeResult; low-confidence ones at medium', () => {
    const types: TypeRef[] = [
      { name: 'java.util.PriorityQueue', ecosystem: 'java', via: 'java-classdesc' },
      {
        name: 'org.apache.commons.collections4.comparators.TransformingComparator',
        ecosystem: 'java',
        via: 'java-classdesc',
      },
      { name: 'org.apache.commons.collections4.functors.InvokerTransformer', ecosystem: 'java', via: 'java-classdesc' },
      { name: 'org.apache.commons.collections4.functors.InvokerTransformer', ecosystem: 'java', via: 'nested:base64' },
      { name: 'java.lang.String', ecosystem: 'java', via: 'java-classdesc' },
    ];
    const f = b02.inspectBlob?.(blob(decoded(types, { format: 'java' })), options()) ?? [];
    expect(f.map((d) => [d.evidence?.type, d.severity])).toEqual([
      ['java.util.PriorityQueue', 'medium'],
      ['org.apache.commons.collections4.comparators.TransformingComparator', 'critical'],
      ['org.apache.commons.collections4.functors.InvokerTransformer', 'critical'],
    ]);
    expect(f[0]?.evidence?.confidence).toBe('low');
  });

  it('finds a Json.NET $type gadget from a JSON DecodeResult', () => {
    const d = decoded(
      [
        {
          name: 'System.Windows.Data.ObjectDataProvider, PresentationFramework',
          ecosystem: 'dotnet',
          via: 'json-$type',
        },
      ],
      { format: 'json-newtonsoft', jsonTypeNames: true },
    );
    const f = b02.inspectBlob?.(blob(d), options()) ?? [];
    expect(f).toHaveLength(1);
    expect(f[0]?.evidence).toMatchObject({ type: 'System.Windows.Data.ObjectDataProvider', via: 'json-$type' });
    expect(blobTypes(blob(d)).filter((t) => t.info.gadget)).toHaveLength(1);
  });

  it('escapes control characters and bounds type names from hostile data', () => {
    const name = `System.Windows.Data.ObjectDataProvider`;
    const f =
      b02.inspectBlob?.(
        blob(decoded([{ name, ecosystem: 'dotnet', via: 'x' }]), `a\u0007${'b'.repeat(500)}`),
        options(),
      ) ?? [];
    expect(f[0]?.object.rowKey).toMatch(/^S\/G\.a\\x07b+…$/);
    expect((f[0]?.object.rowKey ?? '').length).toBeLessThanOrEqual(201);
  });
});

describe('QA-B03 type allowlist', () => {
  const custom = decoded([
    { name: 'Quartz.JobDataMap', ecosystem: 'dotnet', via: 'nrbf-class' },
    { name: 'MyApp.Options', assembly: 'MyApp', ecosystem: 'dotnet', via: 'nrbf-class' },
    { name: 'MyApp.Inner+Thing', ecosystem: 'dotnet', via: 'nrbf-class' },
    { name: 'com.acme.Settings', ecosystem: 'java', via: 'java-classdesc' },
    { name: '[B', ecosystem: 'java', via: 'java-classdesc' },
    { name: 'java.util.HashMap', ecosystem: 'java', via: 'java-classdesc' },
  ]);
  it('lists the unexpected types of a row', () => {
    const f = b03.inspectBlob?.(blob(custom), options()) ?? [];
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({
      status: 'fail',
      evidence: { count: 3, types: 'MyApp.Options, MyApp.Inner+Thing, com.acme.Settings' },
    });
  });
  it('respects --allow-type globs', () => {
    expect(b03.inspectBlob?.(blob(custom), options(['MyApp.*', 'com.acme.Settings']))).toEqual([]);
    const f = b03.inspectBlob?.(blob(custom), options(['MyApp.Options'])) ?? [];
    expect(f[0]?.evidence).toMatchObject({ count: 2 });
  });
  it('never allows gadget types, even with a catch-all glob', () => {
    const ref: TypeRef = { name: 'System.Security.Claims.ClaimsPrincipal', ecosystem: 'dotnet', via: 'x' };
    // A catch-all --allow-type hides no gadget: QA-B02 still reports it (QA-B03 leaves gadgets to it)…
    expect(b02.inspectBlob?.(blob(decoded([ref])), options(['*'])) ?? []).toHaveLength(1);
    expect(b03.inspectBlob?.(blob(decoded([ref])), options())).toEqual([]);
    // …while it does allow any other type.
    const other: TypeRef = { name: 'Anything.Else', ecosystem: 'dotnet', via: 'x' };
    expect(b03.inspectBlob?.(blob(decoded([other])), options())).toHaveLength(1);
    expect(b03.inspectBlob?.(blob(decoded([other])), options(['*']))).toEqual([]);
  });
  it('lists a type once whatever its spellings, per ecosystem, and judges every blob that holds it', () => {
    const types = (): TypeRef[] => [
      { name: 'MyApp.Box`1[[System.Int32]], MyApp', ecosystem: 'dotnet', via: 'nrbf-class' },
      { name: 'MyApp.Box`1[[System.String]]', ecosystem: 'dotnet', via: 'nrbf-class' },
      { name: 'MyApp.Box`1', ecosystem: 'java', via: 'java-classdesc' },
      { name: 'System.Windows.Data.ObjectDataProvider, PresentationFramework', ecosystem: 'dotnet', via: 'a' },
      { name: 'System.Windows.Data.ObjectDataProvider', ecosystem: 'dotnet', via: 'b' },
    ];
    for (const name of ['job1', 'job2', 'job1']) {
      const b = blob(decoded(types()), name);
      expect(b03.inspectBlob?.(b, options())?.[0]?.evidence).toMatchObject({
        count: 2,
        types: 'MyApp.Box`1, MyApp.Box`1',
      });
      const g = b02.inspectBlob?.(b, options()) ?? [];
      expect(g.map((d) => [d.discriminator, d.evidence?.via])).toEqual([
        ['System.Windows.Data.ObjectDataProvider', 'a'],
      ]);
    }
  });
  it('writer-made Quartz.NET JobDataMaps of plain values are clean for B02 and B03', () => {
    for (const layout of ['3.x', '1.x'] as const) {
      const b = nrbfBlob(
        writeJobDataMap(
          { a: 'x', n: 1, t: new Date(), m: { hashtable: { k: 'v' } }, d: { dictionary: { k: 1 } }, l: { list: [1] } },
          { layout },
        ),
      );
      expect(b.decoded.malformed).toBeUndefined();
      expect(b02.inspectBlob?.(b, options())).toEqual([]);
      expect(b03.inspectBlob?.(b, options())).toEqual([]);
    }
  });
});

const shared = join(import.meta.dirname, '../../../shared/vectors');
const haveShared = existsSync(shared);
if (!haveShared) console.warn(`skipping clean-vector checks: ${shared} not found (../shared is absent)`);

describe.skipIf(!haveShared)('real Quartz vectors are clean for B02/B03/B06', () => {
  it('every Quartz.NET and Java vector', () => {
    let n = 0;
    for (const dir of ['quartznet', 'java-quartz']) {
      for (const f of readdirSync(join(shared, dir))) {
        const d = decodeBlob(readFileSync(join(shared, dir, f)));
        expect(d.malformed, f).toBeUndefined();
        expect(d.types.length, f).toBeGreaterThan(0);
        const b = blob(d, f);
        expect(b02.inspectBlob?.(b, options()), f).toEqual([]);
        expect(b03.inspectBlob?.(b, options()), f).toEqual([]);
        expect(b06.inspectBlob?.(b, options()), f).toEqual([]);
        n++;
      }
    }
    expect(n).toBe(9);
  });
});

describe('QA-B06 Json.NET $type', () => {
  it('fails a row whose JSON carries $type, naming the types', () => {
    const d = decoded(
      [
        { name: 'MyApp.Options', ecosystem: 'dotnet', via: 'json-$type' },
        { name: 'System.String', ecosystem: 'dotnet', via: 'json-$type' },
      ],
      { format: 'json-newtonsoft', jsonTypeNames: true },
    );
    const f = b06.inspectBlob?.(blob(d), options()) ?? [];
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({
      status: 'fail',
      evidence: { typeNames: 2, first: 'MyApp.Options', format: 'json-newtonsoft' },
    });
    expect(f[0]?.message).toContain('MyApp.Options, System.String');
  });
  it('is silent without $type', () => {
    expect(b06.inspectBlob?.(blob(decoded([], { format: 'json' })), options())).toEqual([]);
  });
});
