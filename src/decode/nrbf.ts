/**
 * MS-NRBF (.NET BinaryFormatter) format parser: bytes → FormatResult (typed tree, type inventory,
 * Quartz.NET view, every string and Byte[] with its path). Never throws; never recurses into nested
 * payloads (the decode entry point searches `strings` and `byteArrays`).
 */
import type { ExpansionFinding, FoundString, TrailingBytes, TreeNode, TypeRef } from '../model.js';
import { detectExpansion, isHashedCollection } from './expansion.js';
import { defineLazyTree } from './java-tree.js';
import {
  appendPath,
  BT,
  type ClassMeta,
  deref,
  exactMemberIndex,
  metaBaseName,
  metaPathNames,
  type NArray,
  type NClass,
  type NObj,
  type NrbfGraph,
  type NValue,
  objTypeName,
  PRIMITIVE_NAMES,
} from './nrbf-graph.js';
import { readNrbf } from './nrbf-reader.js';
import type { FormatResult, Limits } from './types.js';
import { dotnetQuartzView, keyText, mapPairs } from './views-dotnet.js';

export { formatDateTime, formatDateTimeHalves, formatTimeSpan, readNrbf } from './nrbf-reader.js';

/** Recursion cap of the tree walk, whatever limits.maxDepth says (the JS stack is the bound). */
const HARD_DEPTH = 400;
/** Children shown for one primitive array. */
const MAX_PRIMITIVE_CHILDREN = 64;
/** Nodes per tree (beyond: one "…" node). */
const MAX_NODES = 200_000;
/** Type-name splitting bounds (TypeName.TryParse uses MaxNodes 20; we are a little more lenient). */
const MAX_TYPE_NODES = 64;
const MAX_TYPE_DEPTH = 32;

// ---------------------------------------------------------------------------------------------
// Type names

export interface ParsedTypeName {
  /** Full name without generic arguments, array suffix or assembly (keeps the `N arity). */
  name: string;
  assembly?: string;
  args: ParsedTypeName[];
  /** Array suffixes, e.g. '[]' or '[,]'. */
  arrays: string[];
}

/**
 * Split a CLR type name with inline generic arguments, e.g.
 * ``System.Collections.Generic.Dictionary`2[[System.String, mscorlib],[System.Object, mscorlib]][]``.
 * Bounded: at most MAX_TYPE_NODES names and MAX_TYPE_DEPTH nesting; beyond, the rest is not split.
 */
export function parseTypeName(s: string, assemblyQualified = false): ParsedTypeName {
  let i = 0;
  let nodes = 0;
  const parse = (depth: number, inBrackets: boolean, allowAssembly: boolean): ParsedTypeName => {
    nodes++;
    const start = i;
    while (i < s.length && s[i] !== '[' && s[i] !== ',' && s[i] !== ']') i++;
    const t: ParsedTypeName = { name: s.slice(start, i).trim(), args: [], arrays: [] };
    while (i < s.length && s[i] === '[') {
      const next = s[i + 1];
      if (next === ']' || next === ',' || next === '*') {
        const end = s.indexOf(']', i);
        if (end < 0) {
          i = s.length;
          break;
        }
        t.arrays.push(s.slice(i, end + 1));
        i = end + 1;
        continue;
      }
      if (depth >= MAX_TYPE_DEPTH || nodes >= MAX_TYPE_NODES) {
        i = s.length;
        break;
      }
      i++; // '['
      for (;;) {
        if (i >= s.length || nodes >= MAX_TYPE_NODES) {
          i = s.length;
          break;
        }
        if (s[i] === '[') {
          i++;
          t.args.push(parse(depth + 1, true, true));
          if (s[i] === ']') i++;
        } else t.args.push(parse(depth + 1, true, false));
        while (s[i] === ' ') i++;
        if (s[i] === ',') {
          i++;
          while (s[i] === ' ') i++;
          continue;
        }
        if (s[i] === ']') i++;
        break;
      }
    }
    if (allowAssembly && s[i] === ',') {
      i++;
      const start2 = i;
      if (inBrackets) while (i < s.length && s[i] !== ']') i++;
      else i = s.length;
      const asm = s.slice(start2, i).trim();
      if (asm) t.assembly = asm;
    }
    return t;
  };
  return parse(0, false, assemblyQualified);
}

/** Every type in a parsed name, outer first, then generic arguments (depth-first). */
export function flattenTypeName(t: ParsedTypeName, outerAssembly?: string): { name: string; assembly?: string }[] {
  const out: { name: string; assembly?: string }[] = [];
  const walk = (n: ParsedTypeName, asm: string | undefined) => {
    if (n.name) out.push(asm ? { name: n.name, assembly: asm } : { name: n.name });
    for (const a of n.args) walk(a, a.assembly);
  };
  walk(t, t.assembly ?? outerAssembly);
  return out;
}

function simpleAssemblyName(display: string): string {
  return display.split(',')[0]?.trim() ?? display;
}

// ---------------------------------------------------------------------------------------------
// Parser entry point

export function parseNrbf(bytes: Uint8Array, limits: Limits): FormatResult {
  const result: FormatResult = { format: 'nrbf', types: [], entries: [], strings: [], byteArrays: [] };
  try {
    const graph = readNrbf(bytes, limits);
    if (graph.malformed) result.malformed = graph.malformed;
    if (graph.limited) result.limited = graph.limited;
    else if (graph.truncatedStrings > 0)
      result.limited = `${graph.truncatedStrings} string${graph.truncatedStrings === 1 ? '' : 's'} longer than ${limits.maxStringLength} characters cut`;
    collectTypes(graph, result);
    if (graph.methods.length > 0) result.methodCall = true;
    buildTreeAndStrings(graph, limits, result, false);
    const root = graph.objects.get(graph.rootId);
    const view = dotnetQuartzView(graph, root, Math.min(limits.maxDepth, HARD_DEPTH));
    result.entries = view.entries;
    if (view.limited && !result.limited) result.limited = view.limited;
    if (view.quartzObject) result.quartzObject = view.quartzObject;
    // .NET reads up to MessageEnd and ignores what follows: not malformed, but data hidden after
    // the payload (QA-B08). The entry point searches it for strings and nested payloads.
    if (graph.endOffset !== undefined && graph.endOffset < bytes.length && !result.malformed)
      result.trailing = trailingBytes(bytes, graph.endOffset);
    const dos = nrbfExpansion(graph);
    if (dos) result.denialOfService = dos;
  } catch (e) {
    result.malformed ??= { offset: 0, reason: `parser error: ${e instanceof Error ? e.message : String(e)}` };
  }
  return result;
}

/** Bytes after the end of a stream: offset, count and a hex preview of the first 16. */
export function trailingBytes(bytes: Uint8Array, offset: number): TrailingBytes {
  const head = bytes.subarray(offset, offset + 16);
  let preview = '';
  for (const b of head) preview += b.toString(16).padStart(2, '0');
  return { offset, length: bytes.length - offset, preview: bytes.length - offset > 16 ? `${preview}…` : preview };
}

/** The SerialDOS shape in NRBF (Hashtable / HashSet`1 / Dictionary`2 nested through shared references). */
function nrbfExpansion(graph: NrbfGraph): ExpansionFinding | undefined {
  if (graph.objects.size < 8) return undefined;
  // Cheap gate: the shape needs hash-based collections nested at least 3 deep, so at least 3 of them.
  const hashed = new Set<ClassMeta>();
  let instances = 0;
  for (const c of graph.classes)
    if (isHashedCollection(metaBaseName(c))) {
      hashed.add(c);
      instances += c.instances;
    }
  // Fewer than 3 objects of them were ever registered: fewer than 3 are in the table.
  if (instances < 3) return undefined;
  let count = 0;
  for (const o of graph.objects.values()) if (o.kind === 'class' && hashed.has(o.meta) && ++count >= 3) break;
  if (count < 3) return undefined;
  const roots: NObj[] = [];
  const root = graph.objects.get(graph.rootId);
  if (root) roots.push(root);
  for (const o of graph.topLevel) if (o !== root) roots.push(o);
  return detectExpansion<NObj>(roots, {
    children(n) {
      if (n.kind === 'string' || (n.kind === 'array' && n.bytes)) return [];
      const out: NObj[] = [];
      for (const v of n.values) {
        const c = deref(graph, v);
        if (c && c.kind !== 'string') out.push(c);
      }
      return out;
    },
    hashName(n) {
      if (n.kind !== 'class') return undefined;
      const b = metaBaseName(n.meta);
      return isHashedCollection(b) ? b : undefined;
    },
  });
}

/** Type names repeat across the blobs of a store: their split is cached (bounded), by
 *  qualified-ness, then assembly, then name (no joined key string built per lookup). */
type Split = { name: string; assembly?: string }[];
const SPLIT_CACHE: [Map<string, Map<string, Split>>, Map<string, Map<string, Split>>] = [new Map(), new Map()];
let splitCached = 0;

function splitTypeName(full: string, assembly: string | undefined, qualified: boolean): Split {
  const byAsm = SPLIT_CACHE[qualified ? 1 : 0];
  const asm = assembly ?? '';
  let byName = byAsm.get(asm);
  let out = byName?.get(full);
  if (!out) {
    out = flattenTypeName(parseTypeName(full, qualified), assembly);
    if (asm.length + full.length + 2 <= 4096) {
      if (splitCached >= 4096) {
        SPLIT_CACHE[0].clear();
        SPLIT_CACHE[1].clear();
        splitCached = 0;
        byName = undefined;
      }
      if (!byName) {
        byName = new Map();
        byAsm.set(asm, byName);
      }
      byName.set(full, out);
      splitCached++;
    }
  }
  return out;
}

/** `Quartz…, Version=x` of an assembly display name, or '' when it names no Quartz version; cached
 *  (bounded): the same few assembly names come back for every type of every blob. */
const QUARTZ_VERSION_CACHE = new Map<string, string>();

function quartzVersionOf(assembly: string): string {
  let out = QUARTZ_VERSION_CACHE.get(assembly);
  if (out === undefined) {
    out = '';
    if (/^\s*quartz/i.test(assembly)) {
      const simple = simpleAssemblyName(assembly);
      const v = /Version\s*=\s*([0-9.]+)/i.exec(assembly);
      if (/^Quartz(\.|$)/i.test(simple) && v) out = `${simple}, Version=${v[1]}`;
    }
    if (assembly.length <= 4096) {
      if (QUARTZ_VERSION_CACHE.size >= 1024) QUARTZ_VERSION_CACHE.clear();
      QUARTZ_VERSION_CACHE.set(assembly, out);
    }
  }
  return out;
}

/** Types collected before the list is indexed by a Map. */
const SCAN_TYPES = 32;
const DELEGATE_ENTRY = 'System.DelegateSerializationHolder+DelegateEntry';
const MEMBER_INFO_HOLDER = 'System.Reflection.MemberInfoSerializationHolder';

function collectTypes(graph: NrbfGraph, result: FormatResult): void {
  // name → assemblies seen with it ('' for none): no joined key string per type. Up to
  // SCAN_TYPES types (a JobDataMap has about ten) the list itself is searched, and no Map is made.
  const types = result.types;
  let seen: Map<string, Set<string> | string> | undefined;
  const versions = new Set<string>();
  const note = (m: Map<string, Set<string> | string>, name: string, asm: string): boolean => {
    const had = m.get(name);
    if (had === undefined) m.set(name, asm);
    else if (typeof had === 'string') {
      if (had === asm) return false;
      m.set(name, new Set([had, asm]));
    } else {
      if (had.has(asm)) return false;
      had.add(asm);
    }
    return true;
  };
  const add = (name: string, assembly: string | undefined, via: string) => {
    if (!name) return;
    const asm = assembly ?? '';
    if (seen === undefined) {
      for (let i = 0; i < types.length; i++) {
        const o = types[i] as TypeRef;
        if (o.name === name && (o.assembly ?? '') === asm) return;
      }
      if (types.length >= SCAN_TYPES) {
        seen = new Map();
        for (const o of types) note(seen, o.name, o.assembly ?? '');
        note(seen, name, asm);
      }
    } else if (!note(seen, name, asm)) return;
    const t: TypeRef = { name, ecosystem: 'dotnet', via };
    if (assembly) t.assembly = assembly;
    types.push(t);
    noteVersion(assembly);
  };
  const noteVersion = (assembly: string | undefined) => {
    if (!assembly) return;
    const v = quartzVersionOf(assembly);
    if (v) versions.add(v);
  };
  const addName = (full: string, assembly: string | undefined, via: string, qualified = false) => {
    for (const t of splitTypeName(full, assembly, qualified)) add(t.name, t.assembly, via);
  };
  for (const lib of graph.libraries.values()) noteVersion(lib.name);
  for (const c of graph.classes) {
    const asm = c.libraryId !== undefined ? graph.libraries.get(c.libraryId)?.name : undefined;
    addName(c.name, asm, 'nrbf-class');
  }
  for (const d of graph.declaredTypes) {
    const asm = d.libraryId !== undefined ? graph.libraries.get(d.libraryId)?.name : undefined;
    addName(d.name, asm, 'nrbf-member-type');
  }
  for (const m of graph.methods) if (m.typeName) addName(m.typeName, undefined, 'nrbf-method', true);
  // Types a DelegateSerializationHolder / MemberInfoSerializationHolder would load by name (the
  // objects are looked at only when one of their classes was read).
  let holders = false;
  for (const c of graph.classes) {
    const base = metaBaseName(c);
    if (base === DELEGATE_ENTRY || base === MEMBER_INFO_HOLDER) {
      holders = true;
      break;
    }
  }
  if (holders)
    for (const obj of graph.objects.values()) {
      if (obj.kind !== 'class') continue;
      const base = metaBaseName(obj.meta);
      if (base === DELEGATE_ENTRY) {
        for (const [typeM, asmM] of [
          ['type', 'assembly'],
          ['targetTypeName', 'targetTypeAssembly'],
        ] as const) {
          const t = stringOf(graph, memberOf(obj, typeM));
          if (t) addName(t, stringOf(graph, memberOf(obj, asmM)), 'nrbf-delegate');
        }
      } else if (base === MEMBER_INFO_HOLDER) {
        const t = stringOf(graph, memberOf(obj, 'ClassName'));
        if (t) addName(t, stringOf(graph, memberOf(obj, 'AssemblyName')), 'nrbf-delegate');
      }
    }
  if (versions.size > 0) result.quartzVersions = [...versions];
}

function memberOf(obj: NClass, name: string): NValue | undefined {
  const i = obj.meta.memberNames.indexOf(name);
  return i >= 0 ? obj.values[i] : undefined;
}

function stringOf(graph: NrbfGraph, v: NValue | undefined): string | undefined {
  if (v?.t === 'prim' && typeof v.v === 'string') return v.v;
  const o = deref(graph, v);
  return o?.kind === 'string' ? o.value : undefined;
}

// ---------------------------------------------------------------------------------------------
// Tree and strings

interface WalkCtx {
  graph: NrbfGraph;
  /** This walk's epoch: an object is visited when its `mark` equals it, and a string object was
   *  pushed as a map key when its `keyMark` does (not marked visited: an unreferenced top-level one
   *  is still shown). */
  epoch: number;
  strings: FoundString[];
  byteArrays: FormatResult['byteArrays'];
  maxDepth: number;
  nodes: number;
  limited?: string;
  /** Build tree nodes (inspect-blob reads the tree lazily); false: collect strings and byte arrays only. */
  tree: boolean;
}

/** Stand-in node and child list of the collect-only walk (nothing is kept). */
const LEAF: TreeNode = Object.freeze({ label: '' }) as TreeNode;
const SINK = { push: () => 0 } as unknown as TreeNode[];

let epoch = 0;
/** A number no object of any live graph carries as a mark yet (objects are created with 0). */
function nextEpoch(): number {
  epoch = epoch >= 0x3fffffff ? 1 : epoch + 1;
  return epoch;
}

function buildTreeAndStrings(graph: NrbfGraph, limits: Limits, result: FormatResult, tree: boolean): void {
  const ctx: WalkCtx = {
    tree,
    graph,
    epoch: nextEpoch(),
    strings: result.strings,
    byteArrays: result.byteArrays,
    maxDepth: Math.max(1, Math.min(limits.maxDepth, HARD_DEPTH)),
    nodes: 0,
  };
  const root = graph.objects.get(graph.rootId);
  const extra: TreeNode[] = [];
  let rootNode: TreeNode | undefined;
  if (root) rootNode = walk(ctx, { t: 'obj', obj: root }, 'root', [], 0);
  // Objects not reachable from the root (or all of them when the root is missing): still walked,
  // so their strings and byte arrays are seen.
  for (const obj of graph.topLevel) {
    if (obj.mark === ctx.epoch || obj === root) continue;
    extra.push(walk(ctx, { t: 'obj', obj }, `unreferenced #${obj.id}`, [`#${obj.id}`], 0));
  }
  for (const m of graph.methods) {
    const children: TreeNode[] = [];
    const path = [`(method ${m.kind})`];
    if (m.methodName !== undefined) {
      children.push({ label: 'MethodName', type: 'System.String', value: m.methodName });
      ctx.strings.push({ path: [...path, 'MethodName'], value: m.methodName });
    }
    if (m.typeName !== undefined) {
      children.push({ label: 'TypeName', type: 'System.String', value: m.typeName });
      ctx.strings.push({ path: [...path, 'TypeName'], value: m.typeName });
    }
    if (m.callContext !== undefined) {
      children.push({ label: 'CallContext', type: 'System.String', value: m.callContext });
      ctx.strings.push({ path: [...path, 'CallContext'], value: m.callContext });
    }
    m.args.forEach((a, i) => {
      children.push({ label: `arg[${i}]`, type: PRIMITIVE_NAMES[a.ptype], value: a.v });
      if (typeof a.v === 'string' && a.ptype === 18) ctx.strings.push({ path: [...path, `arg[${i}]`], value: a.v });
    });
    extra.push({
      label: `Binary${m.kind === 'call' ? 'MethodCall' : 'MethodReturn'}`,
      offset: m.offset,
      value: `flags=0x${m.flags.toString(16)}`,
      children,
    });
  }
  // Strings of objects that were never reached (e.g. inside a record cut short).
  // A string object the walk pushed (visited, or a map key) has its value in the list already; the
  // set of pushed values is built only when some other string object is left.
  let emitted: Set<string> | undefined;
  for (const obj of graph.objects.values()) {
    if (obj.kind !== 'string' || obj.mark === ctx.epoch || obj.keyMark === ctx.epoch) continue;
    emitted ??= new Set(ctx.strings.map((s) => s.value));
    if (!emitted.has(obj.value)) {
      ctx.strings.push({ path: [`#${obj.id}`], value: obj.value });
      emitted.add(obj.value);
    }
  }
  if (!tree) {
    // The tree is built on first read, by the same walk with nodes (the scan never reads it).
    defineLazyTree(result, () => {
      const again: FormatResult = { format: 'nrbf', types: [], entries: [], strings: [], byteArrays: [] };
      buildTreeAndStrings(graph, limits, again, true);
      return again.tree;
    });
  } else if (rootNode && extra.length === 0) result.tree = rootNode;
  else
    result.tree = {
      label: 'stream',
      type: 'MS-NRBF',
      offset: 0,
      children: [...(rootNode ? [rootNode] : []), ...extra],
    };
  if (ctx.limited && !result.limited) result.limited = ctx.limited;
}

function hexPreview(b: Uint8Array): string {
  const head = Array.from(b.subarray(0, 16), (x) => x.toString(16).padStart(2, '0')).join(' ');
  return `${b.length} bytes${b.length > 0 ? `: ${head}${b.length > 16 ? ' …' : ''}` : ''}`;
}

function walk(ctx: WalkCtx, v: NValue, label: string, path: string[], depth: number): TreeNode {
  ctx.nodes++;
  if (v.t === 'prim') {
    if (v.ptype === 18 && typeof v.v === 'string') ctx.strings.push({ path, value: v.v });
    return ctx.tree ? { label, type: PRIMITIVE_NAMES[v.ptype], value: v.v } : LEAF;
  }
  if (!ctx.tree && (v.t === 'null' || v.t === 'nulls')) return LEAF;
  if (v.t === 'null') return { label, value: null };
  if (v.t === 'nulls') return { label, value: null, type: `null ×${v.count}` };
  const obj = deref(ctx.graph, v);
  if (!obj) return { label, value: `→ #${v.t === 'ref' ? v.id : '?'} (unresolved)` };
  if (obj.kind === 'string') {
    obj.mark = ctx.epoch;
    ctx.strings.push({ path, value: obj.value });
    return ctx.tree ? { label, type: 'System.String', value: obj.value, offset: obj.offset } : LEAF;
  }
  if (obj.mark === ctx.epoch)
    return ctx.tree ? { label, type: objTypeName(obj), value: `→ #${obj.id}`, offset: obj.offset } : LEAF;
  obj.mark = ctx.epoch;
  if (depth >= ctx.maxDepth || ctx.nodes > MAX_NODES) {
    ctx.limited ??=
      depth >= ctx.maxDepth ? `depth limit ${ctx.maxDepth} reached` : `tree node limit ${MAX_NODES} reached`;
    markReachable(ctx, obj, path);
    return { label, type: objTypeName(obj), value: '… (limit)', offset: obj.offset };
  }
  // The type name is made only for a tree node (an array's is a new string).
  const node: TreeNode = ctx.tree ? { label, type: objTypeName(obj), offset: obj.offset, children: [] } : LEAF;
  const children = ctx.tree ? (node.children as TreeNode[]) : SINK;
  if (obj.kind === 'array') walkArray(ctx, obj, path, depth, children);
  else walkClass(ctx, obj, path, depth, children);
  return node;
}

/** Past the depth/node limit: still report strings and byte arrays below, iteratively. */
function markReachable(ctx: WalkCtx, start: NObj, path: string[]): void {
  const stack: NObj[] = [start];
  let budget = 1_000_000;
  while (stack.length > 0 && budget-- > 0) {
    const o = stack.pop() as NObj;
    const vals = o.kind === 'string' ? [] : o.values;
    if (o.kind === 'array' && o.bytes) ctx.byteArrays.push({ path: [...path, `#${o.id}`], bytes: o.bytes });
    for (const v of vals) {
      if (v.t === 'prim' && v.ptype === 18 && typeof v.v === 'string')
        ctx.strings.push({ path: [...path, '…'], value: v.v });
      const c = deref(ctx.graph, v);
      if (!c) continue;
      if (c.kind === 'string') ctx.strings.push({ path: [...path, '…'], value: c.value });
      else if (c.mark !== ctx.epoch) {
        c.mark = ctx.epoch;
        stack.push(c);
      }
    }
  }
}

/** A value the collect-only walk has nothing to take from: a non-string primitive or a null. */
function isPlainLeaf(v: NValue): boolean {
  return v.t === 'null' || v.t === 'nulls' || (v.t === 'prim' && !(v.ptype === 18 && typeof v.v === 'string'));
}

function walkArray(ctx: WalkCtx, arr: NArray, path: string[], depth: number, children: TreeNode[]): void {
  if (arr.bytes) {
    ctx.byteArrays.push({ path, bytes: arr.bytes });
    if (ctx.tree) children.push({ label: 'bytes', type: 'System.Byte[]', value: hexPreview(arr.bytes) });
    return;
  }
  if (arr.elementType.bt === BT.Primitive) {
    arr.values.slice(0, MAX_PRIMITIVE_CHILDREN).forEach((v, i) => {
      if (!ctx.tree && isPlainLeaf(v)) {
        ctx.nodes++;
        return;
      }
      const seg = `[${i}]`;
      children.push(walk(ctx, v, seg, appendPath(path, seg), depth + 1));
    });
    if (arr.values.length > MAX_PRIMITIVE_CHILDREN)
      children.push({ label: '…', value: `${arr.values.length - MAX_PRIMITIVE_CHILDREN} more` });
    return;
  }
  let index = 0;
  for (const v of arr.values) {
    if (v.t === 'nulls') {
      if (ctx.tree)
        children.push({ label: `[${index}..${index + v.count - 1}]`, value: null, type: `null ×${v.count}` });
      index += v.count;
      continue;
    }
    if (!ctx.tree && isPlainLeaf(v)) {
      ctx.nodes++;
      index++;
      continue;
    }
    const seg = `[${index}]`;
    children.push(walk(ctx, v, seg, appendPath(path, seg), depth + 1));
    index++;
  }
}

/** Members of a map whose pairs are shown as entries instead. */
const PAIR_MEMBER_LIST = ['Keys', 'Values', 'KeyValuePairs'] as const;
const PAIR_MEMBERS: ReadonlySet<string> = new Set(PAIR_MEMBER_LIST);

function walkClass(ctx: WalkCtx, obj: NClass, path: string[], depth: number, children: TreeNode[]): void {
  const graph = ctx.graph;
  const pairs = mapPairs(graph, obj);
  const names = obj.meta.memberNames;
  let pathNames: string[] | undefined;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (pairs && PAIR_MEMBERS.has(name)) continue;
    const v = obj.values[i];
    if (!v) {
      if (ctx.tree) children.push({ label: name, value: '(not read)' });
      continue;
    }
    if (!ctx.tree && isPlainLeaf(v)) {
      ctx.nodes++; // counted as walk() would (the node bound must not depend on the tree being built)
      continue; // nothing to collect: no path array, no call
    }
    pathNames ??= metaPathNames(obj.meta);
    children.push(walk(ctx, v, name, appendPath(path, pathNames[i] as string), depth + 1));
  }
  if (pairs) {
    // Mark the pair containers visited so they are not reported as unreferenced.
    const meta = obj.meta;
    for (const m of PAIR_MEMBER_LIST) {
      const mi = exactMemberIndex(meta, m);
      const c = mi >= 0 ? deref(graph, obj.values[mi]) : undefined;
      if (c) c.mark = ctx.epoch;
      if (c?.kind === 'array' && m === 'KeyValuePairs')
        for (const e of c.values) {
          const kv = deref(graph, e);
          if (kv) kv.mark = ctx.epoch;
        }
    }
    // Every string key of this map has the same path: one array, shared (paths are read only).
    let keyPath: string[] | undefined;
    for (let i = 0; 2 * i < pairs.length; i++) {
      const key = pairs[2 * i] as NValue;
      const value = pairs[2 * i + 1] as NValue;
      const keyObj = key.t === 'obj' ? key.obj : key.t === 'ref' ? graph.objects.get(key.id) : undefined;
      let k: string | undefined;
      if (keyObj?.kind === 'string') {
        k = keyObj.value; // keyText's answer for a string key
        keyPath ??= appendPath(path, '(key)');
        ctx.strings.push({ path: keyPath, value: k });
        keyObj.keyMark = ctx.epoch;
      } else {
        k = keyText(graph, key);
        if (k === undefined) {
          const seg = `{key ${i}}`;
          children.push(walk(ctx, key, seg, appendPath(path, seg), depth + 1));
        }
      }
      const label = k ?? `{key ${i}}`;
      if (!ctx.tree && isPlainLeaf(value)) {
        ctx.nodes++; // as walk() would count it; nothing to collect
        continue;
      }
      children.push(walk(ctx, value, label, appendPath(path, label), depth + 1));
    }
  }
}
