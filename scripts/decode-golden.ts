/**
 * Decoder equivalence harness: `npx tsx scripts/decode-golden.ts --write FILE` decodes a fixed corpus
 * and writes, per blob, a sha256 of the JSON of the full decode result (the lazy tree forced) and a
 * sha256 of the findings of every content check (run as the scan runs them for one blob, like
 * bench/decode.ts's "decode + content checks"); `--check FILE` decodes the same corpus with the
 * current code and lists every blob whose result or findings differ (exit 1), so a decoder rewrite
 * can be checked against the code it replaces. `--list` prints the corpus (name, format, bytes).
 *
 * The corpus is deterministic (same names and bytes on every run):
 *   - every file of ../shared/vectors (skipped loudly when absent) and test/decode/regressions;
 *   - the fuzz seeds and fixture-writer streams (NRBF record types, Java, JSON, properties, gzip,
 *     nested payloads, gadgets, SerialDOS);
 *   - the bench store (bench/store-data.ts): jobs 0..2999 and triggers, all formats;
 *   - truncated, mutated and padded variants of all the above (a seeded xorshift PRNG);
 *   - a subset decoded again with tight limits (depth, records, string length), so the bounds'
 *     paths are compared too.
 * Decoding uses a time budget far above the corpus' needs, so no result depends on the clock.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { jobBlob, triggerBlob } from '../bench/store-data.js';
import { allChecks } from '../src/checks/index.js';
import { type DecodeOptions, decodeBlob } from '../src/decode/index.js';
import { inspectBlobWith } from '../src/engine.js';
import {
  arrayList,
  hashMap,
  javaDate,
  priorityQueueGadget,
  proxyGadget,
  serialDos,
  serializeJava,
  simpleTrigger,
  writeJobDataMap as writeJava,
} from '../src/fixtures/java-writer.js';
import {
  NrbfWriter,
  P,
  QUARTZ_3,
  T,
  writeGadgetGraph,
  writeJobDataMap as writeNrbf,
  writeSerialDos,
} from '../src/fixtures/nrbf-writer.js';
import { FAMILIES, type ScannedBlob } from '../src/model.js';
import { setFingerprintKey } from '../src/secrets/redact.js';
import { Rng } from './rng.js';

const ROOT = join(import.meta.dirname, '..');
const VECTORS = join(ROOT, '..', 'shared', 'vectors');
const REGRESSIONS = join(ROOT, 'test', 'decode', 'regressions');

interface Case {
  name: string;
  bytes: Uint8Array;
  tight?: boolean;
}

const enc = (s: string) => new TextEncoder().encode(s);

/** Hand-built NRBF streams covering the record types the JobDataMap writer does not emit. */
function nrbfRecords(): Case[] {
  const out: Case[] = [];
  const add = (name: string, w: NrbfWriter) => out.push({ name: `nrbf-records/${name}`, bytes: w.bytes() });
  // Every primitive type as members of a typed class, plus string/object/array members.
  {
    const w = new NrbfWriter()
      .header(1, -1)
      .library(2, 'My.Lib, Version=1.2.3.4, Culture=neutral, PublicKeyToken=null');
    w.classWithMembersAndTypes(
      1,
      'My.Lib.AllTypes',
      [
        ['b', T.prim(P.Boolean)],
        ['y', T.prim(P.Byte)],
        ['c', T.prim(P.Char)],
        ['m', T.prim(P.Decimal)],
        ['d', T.prim(P.Double)],
        ['s', T.prim(P.Int16)],
        ['i', T.prim(P.Int32)],
        ['l', T.prim(P.Int64)],
        ['sb', T.prim(P.SByte)],
        ['f', T.prim(P.Single)],
        ['ts', T.prim(P.TimeSpan)],
        ['dt', T.prim(P.DateTime)],
        ['us', T.prim(P.UInt16)],
        ['ui', T.prim(P.UInt32)],
        ['ul', T.prim(P.UInt64)],
        ['str', T.string],
        ['obj', T.object],
        ['strs', T.stringArray],
        ['objs', T.objectArray],
        ['ints', T.primArray(P.Int32)],
        ['sys', T.systemClass('System.Version')],
        ['cls', T.cls('My.Lib.Other', 2)],
        ['<Url>k__BackingField', T.string],
      ],
      2,
    );
    w.prim(P.Boolean, true)
      .prim(P.Byte, 200)
      .prim(P.Char, 'é')
      .prim(P.Decimal, '12.50')
      .prim(P.Double, 1.5)
      .prim(P.Int16, -3)
      .prim(P.Int32, 77)
      .prim(P.Int64, 9007199254740993n)
      .prim(P.SByte, -5)
      .prim(P.Single, 0.25)
      .prim(P.TimeSpan, 123456789012n)
      .prim(P.DateTime, 0x48d9c1d3b1f4c000n)
      .prim(P.UInt16, 65535)
      .prim(P.UInt32, 4000000000)
      .prim(P.UInt64, 18446744073709551615n);
    w.objectString(3, 'password=hunter2 in a string member');
    w.memberPrimitiveTyped(P.String, 'a typed string primitive');
    w.memberReference(4).memberReference(5).memberReference(6).memberReference(7).memberReference(8);
    w.objectString(9, 'https://user:pw@example.com/x');
    w.arraySingleString(4, 4).objectString(10, 'one').objectNull().memberReference(3).nullMultiple256(1);
    w.arraySingleObject(5, 6).memberPrimitiveTyped(P.Int32, 5).nullMultiple(3).objectString(11, 'x').memberReference(1);
    w.arraySinglePrimitive(6, P.Int32, [1, 2, 3, 4]);
    w.systemClassWithMembers(7, 'System.Version', ['_Major', '_Minor']);
    w.memberPrimitiveTyped(P.Int32, 4).memberPrimitiveTyped(P.Int32, 0);
    w.classWithMembers(8, 'My.Lib.Other', ['Name', 'Data'], 2);
    w.objectString(12, 'other name').memberReference(13);
    w.arraySinglePrimitive(13, P.Byte, writeNrbf({ inner: 'nested value', pwd: 'S3cr3t!' }));
    w.classWithId(14, 8).objectString(15, 'orphan').objectNull();
    add('all-types', w.messageEnd());
  }
  // Binary arrays: jagged, rectangular, offsets; string arrays of primitives.
  {
    const w = new NrbfWriter().header(1, -1);
    w.binaryArray(1, 2, [2, 3], T.string);
    for (let i = 0; i < 6; i++) w.objectString(10 + i, `cell ${i}`);
    add('rect-strings', w.messageEnd());
    const j = new NrbfWriter().header(1, -1);
    j.binaryArray(1, 1, [2], T.primArray(P.Int32)).memberReference(2).objectNull();
    j.arraySinglePrimitive(2, P.Int32, [7, 8]);
    add('jagged', j.messageEnd());
    const o = new NrbfWriter().header(1, -1);
    o.binaryArray(1, 3, [3], T.prim(P.Double), [5]).f64(1).f64(2).f64(3);
    add('offset-doubles', o.messageEnd());
    const p = new NrbfWriter().header(1, -1);
    p.arraySinglePrimitive(
      1,
      P.Int64,
      Array.from({ length: 80 }, (_, i) => BigInt(i) * 1000000000000n),
    );
    add('long-array-80', p.messageEnd());
  }
  // Method call / return messages.
  {
    const w = new NrbfWriter().header(0, -1);
    w.methodCall('Start', 'System.Diagnostics.Process, System', [
      [P.String, 'cmd.exe'],
      [P.Int32, 3],
    ]);
    w.systemClassWithMembers(1, 'System.Object', []);
    add('method-call', w.messageEnd());
    const r = new NrbfWriter().header(0, -1);
    r.methodReturn(P.String, 'returned');
    r.systemClassWithMembers(1, 'System.Object', []);
    add('method-return', r.messageEnd());
  }
  // Delegate / member-info holders name types by string.
  out.push({
    name: 'nrbf-records/delegate',
    bytes: writeGadgetGraph('System.DelegateSerializationHolder+DelegateEntry', undefined, {
      type: 'System.Diagnostics.Process',
      assembly: 'System, Version=4.0.0.0',
      target: null,
      targetTypeAssembly: 'mscorlib',
      targetTypeName: 'System.IO.File',
      methodName: 'Start',
      delegateEntry: null,
    }),
  });
  out.push({
    name: 'nrbf-records/memberinfo',
    bytes: writeGadgetGraph('System.Reflection.MemberInfoSerializationHolder', undefined, {
      Name: 'Start',
      AssemblyName: 'System, Version=4.0.0.0',
      ClassName: 'System.Diagnostics.Process',
      Signature: 'System.Diagnostics.Process Start(System.String, System.String)',
      MemberType: 8,
    }),
  });
  return out;
}

function fixtureCases(): Case[] {
  const out: Case[] = [];
  const add = (name: string, bytes: Uint8Array) => out.push({ name: `fixture/${name}`, bytes });
  add(
    'java-jdm',
    writeJava({ s: 'text', n: 1, b: true, l: 5n, d: javaDate(0), list: arrayList(['a', 2]), m: hashMap({ x: 'y' }) }),
  );
  add('java-trigger', serializeJava(simpleTrigger('t', { command: 'ls', password: 'Hunt3rBlue9Zz' })));
  add('java-gadgets', serializeJava(priorityQueueGadget(), proxyGadget()));
  add('java-serialdos', serializeJava(serialDos(12)));
  add(
    'nrbf-jdm',
    writeNrbf({ user: 'bob', n: 3, when: new Date(0), nested: { dictionary: { a: 'b' } }, list: { list: ['x', 1] } }),
  );
  add('nrbf-jdm-1x', writeNrbf({ k: 'v', token: 'ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' }, { layout: '1.x' }));
  add('nrbf-nested-bytes', writeNrbf({ blob: { bytes: writeJava({ inner: 'x' }) } }));
  add(
    'nrbf-nested-b64',
    writeNrbf({ payload: Buffer.from(writeNrbf({ a: 'deep', password: 'p4ss' })).toString('base64') }),
  );
  add('nrbf-nested-hex', writeNrbf({ payload: Buffer.from(writeJava({ h: 'hex' })).toString('hex') }));
  add(
    'nrbf-mixed',
    writeNrbf({
      ht: { hashtable: { a: 1, b: 'two', c: null } },
      jdm: { jobDataMap: { inner: 'v', big: 2n ** 60n } },
      obj: { object: { type: 'My.Options', library: QUARTZ_3, members: { Url: 'https://x', Retries: 3 } } },
      xaml: '<ResourceDictionary xmlns="http://schemas.microsoft.com/winfx/2006/xaml/presentation" xmlns:s="clr-namespace:System.Diagnostics;assembly=system"><ObjectDataProvider x:Key="a" ObjectType="{x:Type s:Process}" MethodName="Start"/></ResourceDictionary>',
      clixml:
        '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><Obj><TN><T>System.Management.Automation.PSObject</T></TN></Obj></Objs>',
      pe: { bytes: Uint8Array.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]) },
      cls: { bytes: Uint8Array.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52]) },
      f: 1.25,
      date: new Date(1_700_000_000_000),
    }),
  );
  add(
    'nrbf-claims',
    writeGadgetGraph('System.Security.Claims.ClaimsIdentity', undefined, { m_serializedClaims: 'AAEAAAD/////' }),
  );
  add(
    'nrbf-odp',
    writeGadgetGraph(
      'System.Windows.Data.ObjectDataProvider',
      'PresentationFramework, Version=4.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35',
      { MethodName: 'Start' },
    ),
  );
  add('nrbf-serialdos-ht', writeSerialDos(10, 'hashtable'));
  add('nrbf-serialdos-hs', writeSerialDos(40, 'hashset'));
  add('nrbf-trailing', new Uint8Array(Buffer.concat([writeNrbf({ a: 'b' }), Buffer.from([0xde, 0xad])])));
  add(
    'nrbf-big',
    writeNrbf(
      Object.fromEntries(
        Array.from({ length: 400 }, (_, i) => [`key${i}`, i % 3 === 0 ? `value ${i} ${'z'.repeat(i % 50)}` : i]),
      ),
    ),
  );
  add('nrbf-long-string', writeNrbf({ long: 'L'.repeat(70_000), uni: 'ünïcødé ✓ 😀'.repeat(20) }));
  add(
    'json-newtonsoft',
    enc(
      '{"$type":"Quartz.Impl.Calendar.CronCalendar, Quartz","BaseCalendar":{"$type":"X, Y"},"a":[1,{"$values":[1]}]}',
    ),
  );
  add('json-lenient', enc("{'a':'single', b: NaN, c: new Date(1), /* c */ d: [1,], password: 'x'}"));
  add('json-stj', enc(JSON.stringify({ url: 'jdbc:postgresql://db/x?password=abc', n: 1, nested: { k: [1, 'a'] } })));
  add(
    'properties',
    enc('#\n#date\ncommand=echo hi\npass\\ word=s\\u00E9\\\n  cont\nurl=jdbc:postgresql://db/x?password=abc\n'),
  );
  add('gzip-java', gzipSync(writeJava({ z: 'gz' })));
  add('gzip-nrbf', gzipSync(writeNrbf({ z: 'gz', secret: 'AKIAIOSFODNN7EXAMPLE' })));
  add('empty', new Uint8Array(0));
  add('text', enc('just some text, not a payload'));
  return [...out, ...nrbfRecords()];
}

function fileCases(): Case[] {
  const out: Case[] = [];
  if (existsSync(VECTORS)) {
    for (const d of readdirSync(VECTORS).sort()) {
      const dir = join(VECTORS, d);
      if (!statSync(dir).isDirectory()) continue;
      for (const f of readdirSync(dir).sort()) {
        const p = join(dir, f);
        if (statSync(p).isFile()) out.push({ name: `vectors/${d}/${f}`, bytes: new Uint8Array(readFileSync(p)) });
      }
    }
  } else console.warn(`decode-golden: SKIPPED real vectors: ${VECTORS} is absent`);
  if (existsSync(REGRESSIONS))
    for (const f of readdirSync(REGRESSIONS).sort())
      if (f.endsWith('.bin'))
        out.push({ name: `regressions/${f}`, bytes: new Uint8Array(readFileSync(join(REGRESSIONS, f))) });
  return out;
}

function storeCases(): Case[] {
  const out: Case[] = [];
  for (let i = 0; i < 3000; i++) out.push({ name: `store/job${i}`, bytes: new Uint8Array(jobBlob(i)) });
  // The gadget graph of the store (every 5,000th job).
  out.push({ name: 'store/job4999', bytes: new Uint8Array(jobBlob(4999)) });
  for (let i = 0; i < 400; i += 10) {
    const t = triggerBlob(i);
    if (t) out.push({ name: `store/trigger${i}`, bytes: new Uint8Array(t) });
  }
  return out;
}

const BIG = [0x7fffffff, 0xffffffff, 0x80000000, 0x7fffff00, 0x10000, 0xffff, 0, 1];

/** Truncated, mutated and padded variants of `base` (deterministic for its index). */
function variants(base: Case, k: number): Case[] {
  const r = new Rng(0x1234567 + k * 7919);
  const b = base.bytes;
  const out: Case[] = [];
  if (b.length === 0) return out;
  for (let v = 0; v < 3; v++) out.push({ name: `${base.name}~trunc${v}`, bytes: b.slice(0, r.int(b.length)) });
  for (let v = 0; v < 3; v++) {
    const m = Uint8Array.from(b);
    for (let n = 1 + r.int(6); n > 0; n--) m[r.int(m.length)] = r.next() & 255;
    out.push({ name: `${base.name}~bytes${v}`, bytes: m });
  }
  if (b.length >= 8) {
    const m = Uint8Array.from(b);
    new DataView(m.buffer).setUint32(r.int(m.length - 3), BIG[r.int(BIG.length)] as number, r.int(2) === 0);
    out.push({ name: `${base.name}~len`, bytes: m });
  }
  const pad = new Uint8Array(1 + r.int(40));
  for (let i = 0; i < pad.length; i++) pad[i] = r.int(3) === 0 ? 0 : r.next() & 255;
  out.push({ name: `${base.name}~pad`, bytes: new Uint8Array(Buffer.concat([b, pad])) });
  const at = r.int(b.length);
  out.push({
    name: `${base.name}~chunk`,
    bytes: new Uint8Array(Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + r.int(32)))])),
  });
  return out;
}

export function corpus(): Case[] {
  const base = [...fileCases(), ...fixtureCases(), ...storeCases()];
  const out: Case[] = [...base];
  // Variants: all non-store blobs, every 10th store blob.
  base.forEach((c, k) => {
    if (!c.name.startsWith('store/') || k % 10 === 0) out.push(...variants(c, k));
  });
  // Tight limits: non-store blobs and every 25th store blob.
  base.forEach((c, k) => {
    if (!c.name.startsWith('store/') || k % 25 === 0)
      out.push({ name: `${c.name}@tight`, bytes: c.bytes, tight: true });
  });
  return out;
}

const LOOSE: DecodeOptions = { timeBudgetMs: 600_000 };
const TIGHT: DecodeOptions = { timeBudgetMs: 600_000, maxDepth: 6, maxRecords: 60, maxStringLength: 40, maxNested: 1 };

function replacer(_k: string, v: unknown): unknown {
  if (v instanceof Uint8Array) return `u8:${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`;
  if (typeof v === 'bigint') return `big:${v}`;
  if (typeof v === 'number' && !Number.isFinite(v)) return `num:${v}`;
  if (v instanceof Set) return { set: [...v] };
  if (v instanceof Map) return { map: [...v] };
  return v;
}

// Secret fingerprints are keyed by a random per-process salt: a fixed key makes findings comparable.
setFingerprintKey('decode-golden: a fixed, public fingerprint key');

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

const checks = allChecks.filter((c) => c.inspectBlob);
const families = new Set(FAMILIES);
const row: ScannedBlob['row'] = {
  table: 'JOB_DETAILS',
  tableName: 'qrtz_job_details',
  column: 'JOB_DATA',
  key: { sched: 'golden', group: 'grp', name: 'job' },
  size: 0,
  jobClassName: 'Golden.NoOpJob',
};

/** [result hash, findings hash, format] of one case. */
function digest(c: Case): [string, string, string] {
  const decoded = decodeBlob(c.bytes, c.tight ? TIGHT : LOOSE);
  // Findings first, on the result as the scan has it (tree not built), then the tree forced.
  const findings = inspectBlobWith({ row: { ...row, size: c.bytes.length }, decoded }, checks, families);
  const f = sha(JSON.stringify(findings, replacer));
  void decoded.tree;
  const d = sha(JSON.stringify(decoded, replacer));
  return [d, f, decoded.format];
}

function main(): void {
  const [mode, file] = process.argv.slice(2);
  const cases = corpus();
  const names = new Set<string>();
  for (const c of cases) {
    if (names.has(c.name)) throw new Error(`duplicate case name ${c.name}`);
    names.add(c.name);
  }
  if (mode === '--list') {
    for (const c of cases) console.log(`${c.name}\t${c.bytes.length}`);
    return;
  }
  if ((mode !== '--write' && mode !== '--check') || !file) {
    console.error('usage: npx tsx scripts/decode-golden.ts --write FILE | --check FILE | --list');
    process.exit(2);
  }
  const t0 = performance.now();
  const lines: string[] = [];
  const formats = new Map<string, number>();
  for (const c of cases) {
    const [d, f, format] = digest(c);
    formats.set(format, (formats.get(format) ?? 0) + 1);
    lines.push(`${c.name}\t${d}\t${f}`);
  }
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  const summary = [...formats].map(([k, v]) => `${k} ${v}`).join(', ');
  if (mode === '--write') {
    writeFileSync(file, `${lines.join('\n')}\n`);
    console.log(`decode-golden: wrote ${lines.length} blobs to ${file} in ${secs} s (${summary})`);
    return;
  }
  const want = new Map<string, string>();
  for (const l of readFileSync(file, 'utf8').split('\n')) {
    if (!l) continue;
    const tab = l.indexOf('\t');
    want.set(l.slice(0, tab), l.slice(tab + 1));
  }
  let bad = 0;
  for (const l of lines) {
    const tab = l.indexOf('\t');
    const name = l.slice(0, tab);
    const got = l.slice(tab + 1);
    const exp = want.get(name);
    if (exp === undefined) {
      bad++;
      console.log(`MISSING in golden: ${name}`);
    } else if (exp !== got) {
      bad++;
      const [ed, ef] = exp.split('\t');
      const [gd, gf] = got.split('\t');
      console.log(`MISMATCH ${name}:${ed !== gd ? ' result' : ''}${ef !== gf ? ' findings' : ''}`);
    }
    want.delete(name);
  }
  for (const name of want.keys()) {
    bad++;
    console.log(`MISSING in corpus: ${name}`);
  }
  console.log(
    `decode-golden: ${lines.length} blobs checked in ${secs} s (${summary}): ${bad === 0 ? 'all identical' : `${bad} differ`}`,
  );
  if (bad > 0) process.exit(1);
}

main();
