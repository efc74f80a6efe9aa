/**
 * Blob decoding entry point. Parse, never deserialize: the format comes from the bytes alone
 * (never from configuration), each parser is bounded in depth, records, lengths and time, and
 * hostile bytes give a `malformed` result, never a throw. A blob that cannot be parsed is never
 * clean: `malformed` says where and why, and what was learned before stays in the result.
 *
 * After the format parser, strings and byte arrays are searched for nested payloads, decoded
 * recursively (depth `maxNested`, shared time budget and decoded-bytes budget) and merged with
 * their paths prefixed:
 *   - base64 / hex text, and raw byte arrays, that hold NRBF, Java serialization, gzip or JSON:
 *     decoded; their TypeRefs get via 'nested:base64' / 'nested:hex' / 'nested:bytes' /
 *     'nested:gzip'; their strings/entries paths are prefixed with the carrier path and a
 *     `(base64)` / `(hex)` / `(bytes)` step; their format is appended to `nestedFormats`.
 *   - markers that are not themselves parseable payloads become pseudo-types (names in
 *     parentheses, so they never collide with a real type name):
 *       '(XAML)'            via 'nested:xaml'      XAML (presentation xmlns, <ObjectDataProvider, <ResourceDictionary)
 *       '(CLIXML)'          via 'nested:clixml'    PowerShell CLIXML (<Objs Version=)
 *       '(PE image)'        via 'nested:pe'        a byte array / decoded text starting with MZ
 *       '(Java class file)' via 'nested:classfile' CAFEBABE class-file magic
 *     plus the real types those markers name: XAML elements in clr-namespace prefixes
 *     (e.g. System.Diagnostics.Process), ObjectDataProvider/ResourceDictionary/XamlReader, and
 *     CLIXML <T> type names, each with the same via.
 */
import { gunzipSync, constants as zc } from 'node:zlib';
import type { BlobFormat, DecodeResult, FoundString, MapEntry, TreeNode, TypeRef } from '../model.js';
import { parseJava } from './java.js';
import { forwardTree, wrapLazyTree } from './java-tree.js';
import { parseJson } from './json.js';
import { parseNrbf } from './nrbf.js';
import { parseProperties } from './properties.js';
import { isClassFile, isGzip, isJava, isJsonStart, isNrbf, isPe, looksLikeText, sniff } from './sniff.js';
import { extractStrings } from './strings.js';
import { type FormatResult, type Limits, MAX_TEXT_BYTES } from './types.js';

export interface DecodeOptions {
  /** Nesting bound for object graphs (default 64). */
  maxDepth?: number;
  /** Records/values per parse (default 100,000). */
  maxRecords?: number;
  /** Time budget for the whole blob, nested payloads included (default 2000 ms). */
  timeBudgetMs?: number;
  /** Strings longer than this are cut (default 1 MiB characters). */
  maxStringLength?: number;
  /** Recursion depth of nested payloads (default 3). */
  maxNested?: number;
  /** Bound of gzip output and of all nested decoded bytes together (default 16 MiB; gzip also ≤ 100× input). */
  maxInflate?: number;
  /** Bytes of a JSON/properties blob decoded into a string (default 64 MiB); past it: not read, `limited`. */
  maxTextBytes?: number;
}

const DEFAULTS = {
  maxDepth: 64,
  maxRecords: 100_000,
  timeBudgetMs: 2000,
  maxStringLength: 1024 * 1024,
  maxNested: 3,
  maxInflate: 16 * 1024 * 1024,
  maxTextBytes: MAX_TEXT_BYTES,
};

interface Ctx {
  limits: Limits;
  maxNested: number;
  /** Remaining decoded-bytes budget for gzip + nested payloads. */
  budget: number;
  maxInflate: number;
}

interface Layer extends FormatResult {
  nestedFormats: BlobFormat[];
}

const PE_TYPE = '(PE image)';
const CLASSFILE_TYPE = '(Java class file)';

function emptyLayer(format: BlobFormat): Layer {
  return { format, nestedFormats: [], types: [], entries: [], strings: [], byteArrays: [] };
}

function errMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function inflate(bytes: Uint8Array, ctx: Ctx): { out?: Uint8Array; error?: string; limited?: string } {
  const max = Math.max(1024, Math.min(ctx.maxInflate, bytes.length * 100, ctx.budget));
  const tooLarge = (e: unknown) => (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError;
  try {
    const out = gunzipSync(bytes, { maxOutputLength: max });
    return { out: new Uint8Array(out.buffer, out.byteOffset, out.byteLength) };
  } catch (e) {
    if (tooLarge(e)) return { error: `gzip output larger than ${max} bytes`, limited: `gzip>${max}` };
    // Truncated or corrupt: keep what inflates (sync flush), and say the stream is broken.
    try {
      const part = gunzipSync(bytes, { maxOutputLength: max, finishFlush: zc.Z_SYNC_FLUSH });
      if (part.length > 0)
        return { out: new Uint8Array(part.buffer, part.byteOffset, part.byteLength), error: `gzip: ${errMessage(e)}` };
    } catch {
      /* nothing inflates */
    }
    return { error: `gzip: ${errMessage(e)}` };
  }
}

function stringsFallback(bytes: Uint8Array, limits: Limits, prefix: string[] = [], base = 0): FoundString[] {
  return extractStrings(bytes, { prefix, baseOffset: base, maxLength: Math.min(limits.maxStringLength, 64 * 1024) });
}

/** Decode one layer (no nested search). */
function decodeLayer(bytes: Uint8Array, ctx: Ctx, level: number): Layer {
  const kind = sniff(bytes);
  let r: Layer;
  switch (kind) {
    case 'empty':
      return emptyLayer('empty');
    case 'gzip': {
      const z = inflate(bytes, ctx);
      if (!z.out) {
        r = emptyLayer('gzip');
        r.nestedFormats = ['gzip'];
        r.malformed = { offset: 0, reason: z.error ?? 'gzip' };
        if (z.limited) r.limited = z.limited;
        return r;
      }
      ctx.budget -= z.out.length;
      if (level >= ctx.maxNested + 4) {
        r = emptyLayer('gzip');
        r.limited = 'nested gzip depth';
        r.malformed = { offset: 0, reason: 'gzip nested too deep' };
        return r;
      }
      const inner = decodeLayer(z.out, ctx, level + 1);
      inner.nestedFormats = ['gzip', ...inner.nestedFormats];
      if (inner.trailing) inner.trailing.within = 'gzip';
      if (z.error) inner.malformed ??= { offset: 0, reason: `${z.error} (content read up to where the stream broke)` };
      wrapLazyTree(inner, (t) => (t ? { label: 'gzip', type: 'gzip', offset: 0, children: [t] } : undefined));
      return inner;
    }
    case 'nrbf':
      r = Object.assign(parseNrbf(bytes, ctx.limits), { nestedFormats: [] as BlobFormat[] });
      break;
    case 'java':
      r = Object.assign(parseJava(bytes, ctx.limits), { nestedFormats: [] as BlobFormat[] });
      break;
    case 'json':
      r = Object.assign(parseJson(bytes, ctx.limits), { nestedFormats: [] as BlobFormat[] });
      break;
    case 'properties':
      r = Object.assign(parseProperties(bytes, ctx.limits), { nestedFormats: [] as BlobFormat[] });
      break;
    default: {
      r = emptyLayer('unknown');
      r.strings = stringsFallback(bytes, ctx.limits);
      r.tree = { label: 'unknown', type: 'bytes', value: `${bytes.length} bytes`, offset: 0 };
      r.byteArrays = [];
      if (isPe(bytes)) r.types.push({ name: PE_TYPE, ecosystem: 'dotnet', via: 'nested:pe' });
      if (isClassFile(bytes)) r.types.push({ name: CLASSFILE_TYPE, ecosystem: 'java', via: 'nested:classfile' });
      return r;
    }
  }
  // Bytes after the end of the stream: a deserializer never reads them, but something may hide
  // there — search them for strings (secrets) and nested payloads (gadgets).
  if (r.trailing) {
    const tail = bytes.subarray(r.trailing.offset);
    r.byteArrays.push({ path: ['(trailing)'], bytes: tail });
    // A payload may hide after a few bytes of padding: every serialization header inside the tail too.
    for (const at of payloadStarts(tail))
      if (at > 0) r.byteArrays.push({ path: ['(trailing)', `@${r.trailing.offset + at}`], bytes: tail.subarray(at) });
    for (const s of stringsFallback(tail, ctx.limits, ['(trailing)'], r.trailing.offset)) r.strings.push(s);
  }
  // What was learned before a failure stays; the bytes after it are still searched for strings.
  if (r.malformed && r.malformed.offset >= 0 && r.malformed.offset < bytes.length) {
    const tail = stringsFallback(bytes.subarray(r.malformed.offset), ctx.limits, ['(unparsed)'], r.malformed.offset);
    for (const s of tail) r.strings.push(s);
  }
  return r;
}

/** Offsets of Java (AC ED 00 05) and NRBF (SerializationHeaderRecord, version 1.0) headers in `b` (at most 8). */
function payloadStarts(b: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i + 4 <= b.length && out.length < 8; i++) {
    const c = b[i];
    if (c === 0xac) {
      if (b[i + 1] === 0xed && b[i + 2] === 0x00 && b[i + 3] === 0x05) out.push(i);
    } else if (c === 0x00 && i + 17 <= b.length && isNrbf(b.subarray(i, i + 17))) out.push(i);
  }
  return out;
}

/** Characters B64_RE, B64URL_RE and HEX_RE accept anywhere (ASCII table). */
const CANDIDATE_CHAR = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-\\\r\n')
  CANDIDATE_CHAR[c.charCodeAt(0)] = 1;
const B64_RE = /^[A-Za-z0-9+/\r\n]+={0,2}$/;
const B64URL_RE = /^[A-Za-z0-9_-]+={0,2}$/;
const HEX_RE = /^(?:0x|\\x)?([0-9a-fA-F]+)$/;

function decodeText(s: string): { bytes: Uint8Array; how: 'base64' | 'hex' } | undefined {
  if (s.length < 16) return undefined;
  const t = s.trim();
  if (t.length < 16) return undefined;
  // Every pattern below accepts only characters of base64, base64url or hex (with a 0x / \\x prefix):
  // one outside them in the first 8 fails all three (most strings: URLs, words, sentences).
  for (let i = 0; i < 8; i++) if (!CANDIDATE_CHAR[t.charCodeAt(i)]) return undefined;
  const hex = HEX_RE.exec(t);
  if (hex?.[1] && hex[1].length % 2 === 0) {
    if (!plausibleFirstByte(Number.parseInt(hex[1].slice(0, 2), 16))) return undefined;
    return { bytes: new Uint8Array(Buffer.from(hex[1], 'hex')), how: 'hex' };
  }
  if (B64_RE.test(t) || B64URL_RE.test(t)) {
    // Most base64-looking strings are ordinary words and ids: decode 4 characters first and stop
    // unless the first byte could start a payload nestedKind() accepts. Four letters or digits
    // decode alike in both alphabets, to a first byte of their first 8 bits: no Buffer for them.
    const first = alnumBase64FirstByte(t);
    if (first >= 0 && !plausibleFirstByte(first)) return undefined;
    const enc = B64URL_RE.test(t) && /[-_]/.test(t) ? 'base64url' : 'base64';
    if (first < 0) {
      const head = Buffer.from(t.slice(0, 4), enc);
      if (head.length && !plausibleFirstByte(head[0] as number)) return undefined;
    }
    const b = Buffer.from(t, enc);
    return { bytes: new Uint8Array(b.buffer, b.byteOffset, b.byteLength), how: 'base64' };
  }
  return undefined;
}

/** Value of a base64 letter or digit (A–Z, a–z, 0–9), or -1. */
function base64Digit(c: number): number {
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 71;
  if (c >= 48 && c <= 57) return c + 4;
  return -1;
}

/** The first decoded byte of `t` when its first 4 characters are base64 letters or digits, else -1. */
function alnumBase64FirstByte(t: string): number {
  if (t.length < 4 || base64Digit(t.charCodeAt(2)) < 0 || base64Digit(t.charCodeAt(3)) < 0) return -1;
  const a = base64Digit(t.charCodeAt(0));
  const b = base64Digit(t.charCodeAt(1));
  return a < 0 || b < 0 ? -1 : (a << 2) | (b >> 4);
}

/** First bytes a nested payload can start with: NRBF 00, Java AC, gzip 1F, class file CA, PE 'M',
 *  JSON '{' '[' (after optional whitespace or a UTF-8 BOM). Anything else cannot pass nestedKind(). */
function plausibleFirstByte(b: number): boolean {
  return (
    b === 0x00 ||
    b === 0xac ||
    b === 0x1f ||
    b === 0xca ||
    b === 0x4d ||
    b === 0x7b ||
    b === 0x5b ||
    b === 0x20 ||
    b === 0x09 ||
    b === 0x0a ||
    b === 0x0d ||
    b === 0xef
  );
}

/** Payload sniff for nested candidates: strong magics, or JSON text. */
function nestedKind(b: Uint8Array): 'strong' | 'json' | 'pe' | 'classfile' | undefined {
  if (isNrbf(b) || isJava(b) || isGzip(b)) return 'strong';
  if (isClassFile(b)) return 'classfile';
  if (b.length >= 64 && isPe(b)) return 'pe';
  if (isJsonStart(b) && looksLikeText(b)) return 'json';
  return undefined;
}

const XAML_MARKERS: [RegExp, string | undefined][] = [
  [/xmlns(?::\w+)?\s*=\s*["']http:\/\/schemas\.microsoft\.com\/winfx\/2006\/xaml\/presentation["']/, undefined],
  [/<(?:\w+:)?ObjectDataProvider\b/, 'System.Windows.Data.ObjectDataProvider'],
  [/<(?:\w+:)?ResourceDictionary\b/, 'System.Windows.ResourceDictionary'],
  [/\bXamlReader\b/, 'System.Windows.Markup.XamlReader'],
];

/** Marker pseudo-types and the real type names XAML / CLIXML text names. */
const NO_TYPES: readonly TypeRef[] = Object.freeze([]);

function markerTypes(s: string): readonly TypeRef[] {
  if (s.length < 12 || !s.includes('<')) return NO_TYPES;
  const out: TypeRef[] = [];
  let xaml = false;
  for (const [re, name] of XAML_MARKERS) {
    if (re.test(s)) {
      xaml = true;
      if (name) out.push({ name, ecosystem: 'dotnet', via: 'nested:xaml' });
    }
  }
  if (xaml || /clr-namespace:/.test(s)) {
    out.unshift({ name: '(XAML)', ecosystem: 'dotnet', via: 'nested:xaml' });
    const nsRe = /xmlns:(\w+)\s*=\s*["']clr-namespace:([\w.]+)(?:;assembly=([\w.]+))?["']/g;
    for (let m = nsRe.exec(s); m && out.length < 200; m = nsRe.exec(s)) {
      const [, prefix, ns, asm] = m;
      const useRe = new RegExp(`(?:<|x:Type\\s+|\\{x:Static\\s+)${prefix}:(\\w+)`, 'g');
      const names = new Set<string>();
      for (let u = useRe.exec(s); u && names.size < 50; u = useRe.exec(s)) names.add(u[1] as string);
      for (const n of names) {
        const ref: TypeRef = { name: `${ns}.${n}`, ecosystem: 'dotnet', via: 'nested:xaml' };
        if (asm) ref.assembly = asm;
        out.push(ref);
      }
    }
  }
  if (/<Objs\s+Version=/.test(s)) {
    out.push({ name: '(CLIXML)', ecosystem: 'dotnet', via: 'nested:clixml' });
    const tRe = /<T>([^<]{1,512})<\/T>/g;
    const names = new Set<string>();
    for (let m = tRe.exec(s); m && names.size < 100; m = tRe.exec(s)) names.add((m[1] as string).trim());
    for (const n of names)
      out.push({ name: n.replace(/^Deserialized\./, ''), ecosystem: 'dotnet', via: 'nested:clixml' });
  }
  return out;
}

function prefixPath(prefix: string[], path: string[]): string[] {
  return [...prefix, ...path];
}

/** Merge a nested layer into its parent. */
function merge(parent: Layer, child: Layer, prefix: string[], via: string, label: string): void {
  // Outermost first: a gzip wrapper of the child comes before the child's content format.
  const nf = child.nestedFormats;
  if (nf[0] === 'gzip') parent.nestedFormats.push('gzip', child.format, ...nf.slice(1));
  else parent.nestedFormats.push(child.format, ...nf);
  for (const t of child.types) parent.types.push({ ...t, via: t.via.startsWith('nested:') ? t.via : via });
  for (const s of child.strings) parent.strings.push({ path: prefixPath(prefix, s.path), value: s.value });
  for (const e of child.entries) parent.entries.push({ ...e, path: prefixPath(prefix, e.path) });
  for (const b of child.byteArrays) parent.byteArrays.push({ path: prefixPath(prefix, b.path), bytes: b.bytes });
  if (child.methodCall) parent.methodCall = true;
  if (child.jsonTypeNames) parent.jsonTypeNames = true;
  if (child.quartzVersions?.length) parent.quartzVersions = [...(parent.quartzVersions ?? []), ...child.quartzVersions];
  if (child.denialOfService && !parent.denialOfService) parent.denialOfService = child.denialOfService;
  if (child.limited && !parent.limited) parent.limited = `nested: ${child.limited}`;
  if (child.malformed && !parent.malformed && child.format !== 'json')
    parent.malformed = {
      offset: -1,
      reason: `nested payload at ${prefix.join('.') || '(root)'}: ${child.malformed.reason}`,
    };
  if (child.tree) {
    const node: TreeNode = {
      label: `${label} at ${prefix.join('.') || '(root)'}`,
      type: child.format,
      children: [child.tree],
    };
    if (parent.tree) {
      parent.tree.children ??= [];
      parent.tree.children.push(node);
    } else parent.tree = node;
  }
}

/** Nested payload search over a layer's strings and byte arrays (recursive, bounded). */
function searchNested(layer: Layer, ctx: Ctx, level: number): void {
  if (level >= ctx.maxNested) return;
  // Only what the layer holds now (merges below append to it): no copies of the lists.
  const strings = layer.strings;
  const nStrings = strings.length;
  const arrays = layer.byteArrays.length > 0 ? layer.byteArrays.slice() : [];
  const found: { bytes: Uint8Array; path: string[]; how: string }[] = [];
  // A carrier string that is a JobDataMap value is named by its entry path (what users know);
  // the index is built only when a carrier is found.
  let entryPath: Map<string, string[]> | undefined;
  const carrierPath = (value: string): string[] | undefined => {
    if (!entryPath) {
      entryPath = new Map();
      for (const e of layer.entries)
        if (typeof e.value === 'string' && e.value.length >= 16) entryPath.set(e.value, e.path);
    }
    return entryPath.get(value);
  };
  let n = 0;
  for (let si = 0; si < nStrings; si++) {
    const s = strings[si] as FoundString;
    if ((++n & 63) === 0 && Date.now() > ctx.limits.deadline) {
      layer.limited ??= 'time';
      return;
    }
    const marks = markerTypes(s.value);
    for (let i = 0; i < marks.length; i++) layer.types.push(marks[i] as TypeRef);
    const d = decodeText(s.value);
    if (!d) continue;
    const k = nestedKind(d.bytes);
    if (!k) continue;
    if (k === 'pe') layer.types.push({ name: PE_TYPE, ecosystem: 'dotnet', via: `nested:${d.how}` });
    else if (k === 'classfile') layer.types.push({ name: CLASSFILE_TYPE, ecosystem: 'java', via: `nested:${d.how}` });
    else found.push({ bytes: d.bytes, path: [...(carrierPath(s.value) ?? s.path), `(${d.how})`], how: d.how });
  }
  for (const a of arrays) {
    const k = nestedKind(a.bytes);
    if (k === 'pe') layer.types.push({ name: PE_TYPE, ecosystem: 'dotnet', via: 'nested:pe' });
    else if (k === 'classfile') layer.types.push({ name: CLASSFILE_TYPE, ecosystem: 'java', via: 'nested:classfile' });
    else if (k) found.push({ bytes: a.bytes, path: [...a.path, '(bytes)'], how: 'bytes' });
    else if (looksLikeText(a.bytes) && a.bytes.length >= 16 && a.bytes.length <= ctx.budget) {
      // Text inside a byte array (e.g. base64 of a payload, XAML): search it as a string.
      const text = Buffer.from(a.bytes.buffer, a.bytes.byteOffset, a.bytes.byteLength).toString('utf8');
      for (const t of markerTypes(text)) layer.types.push(t);
      const d = decodeText(text);
      const dk = d && nestedKind(d.bytes);
      if (d && (dk === 'strong' || dk === 'json'))
        found.push({ bytes: d.bytes, path: [...a.path, `(${d.how})`], how: d.how });
    }
  }
  for (const f of found) {
    if (ctx.budget < f.bytes.length) {
      layer.limited ??= 'nested payload budget';
      break;
    }
    ctx.budget -= f.bytes.length;
    const child = decodeLayer(f.bytes, ctx, level + 1);
    if ((child.format === 'json' || child.format === 'json-stj') && child.malformed) continue; // base64 of text that merely starts with {
    searchNested(child, ctx, level + 1);
    merge(layer, child, f.path, `nested:${f.how}`, `nested ${f.how}`);
  }
}

/** First of each (name, assembly, via), in order. Nested maps: no joined key (type names run to
 *  200 characters; a joined key is a new string to hash per type). */
function dedupeTypes(types: TypeRef[]): TypeRef[] {
  if (types.length <= 32) {
    // Few types (a JobDataMap has about ten): compared with the ones kept, no Maps made.
    const out: TypeRef[] = [];
    next: for (const t of types) {
      const asm = t.assembly ?? '';
      for (let i = 0; i < out.length; i++) {
        const o = out[i] as TypeRef;
        if (o.name === t.name && o.via === t.via && (o.assembly ?? '') === asm) continue next;
      }
      out.push(t);
    }
    return out;
  }
  const seen = new Map<string, Map<string, Set<string>>>();
  const out: TypeRef[] = [];
  for (const t of types) {
    let byAsm = seen.get(t.name);
    if (!byAsm) {
      byAsm = new Map();
      seen.set(t.name, byAsm);
    }
    const asm = t.assembly ?? '';
    let vias = byAsm.get(asm);
    if (!vias) {
      vias = new Set();
      byAsm.set(asm, vias);
    } else if (vias.has(t.via)) continue;
    vias.add(t.via);
    out.push(t);
  }
  return out;
}

/** Decode one blob. Never throws. */
export function decodeBlob(bytes: Uint8Array | null, options: DecodeOptions = {}): DecodeResult {
  let o = DEFAULTS;
  for (const k in options)
    if ((options as Record<string, unknown>)[k] !== undefined) {
      o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
      break;
    }
  const limits: Limits = {
    maxDepth: o.maxDepth,
    maxRecords: o.maxRecords,
    deadline: Date.now() + o.timeBudgetMs,
    maxStringLength: o.maxStringLength,
    maxTextBytes: o.maxTextBytes,
  };
  if (!bytes || bytes.length === 0) return { format: 'empty', nestedFormats: [], types: [], entries: [], strings: [] };
  const ctx: Ctx = { limits, maxNested: o.maxNested, budget: o.maxInflate, maxInflate: o.maxInflate };
  let layer: Layer;
  try {
    layer = decodeLayer(bytes, ctx, 0);
    try {
      searchNested(layer, ctx, 0);
    } catch (e) {
      layer.malformed ??= { offset: -1, reason: `nested payload search failed: ${errMessage(e)}` };
    }
  } catch (e) {
    layer = emptyLayer('unknown');
    layer.malformed = { offset: 0, reason: `decoder error: ${errMessage(e)}` };
    layer.strings = stringsFallback(bytes, limits);
  }
  const result: DecodeResult = {
    format: layer.format,
    nestedFormats: layer.nestedFormats,
    types: dedupeTypes(layer.types),
    entries: layer.entries as MapEntry[],
    strings: layer.strings,
  };
  // Forwarded lazily: parsers build the tree only when someone reads it (inspect-blob).
  forwardTree(result, layer);
  if (layer.quartzObject) result.quartzObject = layer.quartzObject;
  if (layer.malformed) result.malformed = layer.malformed;
  if (layer.limited) result.limited = layer.limited;
  if (layer.trailing) result.trailing = layer.trailing;
  if (layer.denialOfService) result.denialOfService = layer.denialOfService;
  if (layer.methodCall) result.methodCall = true;
  if (layer.jsonTypeNames) result.jsonTypeNames = true;
  if (layer.quartzVersions?.length) result.quartzVersions = [...new Set(layer.quartzVersions)];
  return result;
}

export { forgetShortStrings } from './nrbf-reader.js';
export { sniff } from './sniff.js';
