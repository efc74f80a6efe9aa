/**
 * Quartz.NET views over an MS-NRBF object graph: recognise JobDataMaps (1.x/2.x Hashtable layout with
 * `DirtyFlagMap+…` members, 3.x `version`/`dirty`/`map` around a Dictionary`2), calendars and triggers,
 * and flatten map contents to key paths. Bounded in depth and cycle-safe.
 */
import type { MapEntry } from '../model.js';
import {
  appendPath,
  BT,
  type ClassMeta,
  deref,
  expandElements,
  member,
  memberIndex,
  memberPathName,
  metaBaseName,
  type NClass,
  type NObj,
  type NrbfGraph,
  type NValue,
  objTypeName,
  type Pairs,
  PRIMITIVE_NAMES,
} from './nrbf-graph.js';

/** At most this many elements of one collection are flattened. */
const MAX_ITEMS = 100_000;
/** Bounds of one flattening: shared sub-graphs (a DAG) would otherwise be walked once per path. */
const MAX_VISITS = 200_000;
const MAX_ENTRIES = 100_000;

/** The objects on the current path (cycle guard) plus the work budget of one view. */
class Walk extends Set<NObj> {
  visits = 0;
  limited?: string;
}

const JOB_DATA_MAP_TYPES = new Set([
  'Quartz.JobDataMap',
  'Quartz.Util.StringKeyDirtyFlagMap',
  'Quartz.Util.DirtyFlagMap`1',
  'Quartz.Util.DirtyFlagMap`2',
  'Quartz.Util.DirtyFlagMap',
]);

export type { Pairs } from './nrbf-graph.js';

/** The value a missing key or value of a pair stands for (read only). */
const MISSING: NValue = { t: 'null' };

/** A display/path string for a map key, or undefined when the key is not a scalar. */
export function keyText(graph: NrbfGraph, key: NValue | undefined): string | undefined {
  if (!key) return undefined;
  if (key.t === 'prim') return key.v === null ? 'null' : String(key.v);
  const o = deref(graph, key);
  if (o?.kind === 'string') return o.value;
  if (o?.kind === 'class') {
    const boxed = boxedPrimitive(graph, o);
    if (boxed !== undefined) return String(boxed);
  }
  if (key.t === 'null' || key.t === 'nulls') return 'null';
  return undefined;
}

/** Elements of an array value, expanded (null runs), bounded. */
function arrayElements(graph: NrbfGraph, v: NValue | undefined, max = MAX_ITEMS): NValue[] | undefined {
  const arr = deref(graph, v);
  if (arr?.kind !== 'array') return undefined;
  return expandElements(arr.values, max);
}

/** Key/value pairs of a Hashtable-like or Dictionary-like object, or undefined when it is not one.
 *  Computed once per object (the strings walk and the JobDataMap view both ask); read only. */
export function mapPairs(graph: NrbfGraph, obj: NClass): Pairs | undefined {
  let p = obj.pairs;
  if (p === undefined) {
    p = computePairs(graph, obj) ?? null;
    obj.pairs = p;
  }
  return p ?? undefined;
}

function computePairs(graph: NrbfGraph, obj: NClass): Pairs | undefined {
  const keys = member(obj, 'Keys');
  const values = member(obj, 'Values');
  if (keys && values) {
    const ks = arrayElements(graph, keys);
    const vs = arrayElements(graph, values);
    if (ks && vs) {
      const n = Math.max(ks.length, vs.length);
      const pairs: Pairs = new Array(2 * n);
      for (let i = 0; i < n; i++) {
        pairs[2 * i] = ks[i] ?? MISSING;
        pairs[2 * i + 1] = vs[i] ?? MISSING;
      }
      return pairs;
    }
  }
  const kvp = member(obj, 'KeyValuePairs');
  if (kvp) {
    const arr = deref(graph, kvp);
    if (arr?.kind === 'array') {
      // Room for every element (at most MAX_ITEMS) up front, cut to the pairs found at the end.
      const pairs: Pairs = new Array(2 * Math.min(arr.values.length, MAX_ITEMS));
      let n = 0;
      // The pairs share one class (ClassWithId): its member indices are looked up once per class.
      let meta: ClassMeta | undefined;
      let ki = -1;
      let vi = -1;
      // The elements as expandElements(…, MAX_ITEMS) gives them, without the copy: a null (or a
      // run of them, counted) is no pair.
      let seenItems = 0;
      for (const it of arr.values) {
        if (seenItems >= MAX_ITEMS) break;
        if (it.t === 'nulls') {
          seenItems += Math.min(it.count, MAX_ITEMS - seenItems);
          continue;
        }
        seenItems++;
        const o = deref(graph, it);
        if (o?.kind !== 'class') continue;
        if (o.meta !== meta) {
          meta = o.meta;
          ki = memberIndex(meta, 'key', 'Key');
          vi = memberIndex(meta, 'value', 'Value');
        }
        pairs[n++] = (ki >= 0 ? o.values[ki] : undefined) ?? MISSING;
        pairs[n++] = (vi >= 0 ? o.values[vi] : undefined) ?? MISSING;
      }
      pairs.length = n;
      return pairs;
    }
  }
  const base = metaBaseName(obj.meta);
  if (base === 'System.Collections.Generic.Dictionary`2' || base === 'System.Collections.Hashtable') return [];
  return undefined;
}

/** Items of an ArrayList / List`1 / Quartz.Collection.HashSet (`_items` up to `_size`), or undefined. */
export function listItems(graph: NrbfGraph, obj: NClass): NValue[] | undefined {
  const items = member(obj, '_items');
  if (!items) return undefined;
  const size = member(obj, '_size');
  const n = size?.t === 'prim' && typeof size.v === 'number' ? Math.max(0, size.v) : MAX_ITEMS;
  return arrayElements(graph, items, Math.min(n, MAX_ITEMS));
}

/**
 * A scalar rendering of value-like objects: boxed primitives (`m_value`), enums (`value__`),
 * System.DateTimeOffset (ISO with offset) and System.Guid; undefined for anything else.
 */
export function boxedPrimitive(_graph: NrbfGraph, obj: NClass): string | number | boolean | null | undefined {
  const names = obj.meta.memberNames;
  if (names.length === 1 && (names[0] === 'm_value' || names[0] === 'value__')) {
    const v = obj.values[0];
    return v?.t === 'prim' ? v.v : undefined;
  }
  const base = metaBaseName(obj.meta);
  if (base === 'System.DateTimeOffset') return dateTimeOffsetText(obj);
  if (base === 'System.Guid') return guidText(obj);
  return undefined;
}

/** DateTimeOffset is serialized as its UTC DateTime plus OffsetMinutes: render the local time with the offset. */
function dateTimeOffsetText(obj: NClass): string | undefined {
  const dt = member(obj, 'DateTime');
  const off = member(obj, 'OffsetMinutes');
  if (dt?.t !== 'prim' || typeof dt.v !== 'string' || off?.t !== 'prim' || typeof off.v !== 'number') return undefined;
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.(\d{7})/.exec(dt.v);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}Z`) + off.v * 60_000;
  if (!Number.isFinite(ms)) return undefined;
  const a = Math.abs(off.v);
  const sign = off.v < 0 ? '-' : '+';
  return `${new Date(ms).toISOString().slice(0, 19)}.${m[2]}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

function guidText(obj: NClass): string | undefined {
  const parts: number[] = [];
  for (const n of ['_a', '_b', '_c', '_d', '_e', '_f', '_g', '_h', '_i', '_j', '_k']) {
    const v = member(obj, n);
    if (v?.t !== 'prim' || typeof v.v !== 'number') return undefined;
    parts.push(v.v);
  }
  const hex = (x: number, w: number) => (x >>> 0).toString(16).padStart(w, '0').slice(-w);
  const [a, b, c, ...rest] = parts as [number, number, number, ...number[]];
  const d = rest.map((x) => hex(x & 0xff, 2)).join('');
  return `${hex(a, 8)}-${hex(b & 0xffff, 4)}-${hex(c & 0xffff, 4)}-${d.slice(0, 4)}-${d.slice(4)}`;
}

export function isJobDataMap(obj: NObj): boolean {
  return obj.kind === 'class' && JOB_DATA_MAP_TYPES.has(metaBaseName(obj.meta));
}

/** The `map` member of a DirtyFlagMap-derived object (3.x `map`, 1.x `DirtyFlagMap+map`). */
export function dirtyFlagMapInner(graph: NrbfGraph, obj: NClass): NObj | undefined {
  return deref(graph, member(obj, 'map'));
}

function isTrigger(obj: NClass): boolean {
  const base = metaBaseName(obj.meta);
  return (
    /Trigger(Impl)?$/.test(base) ||
    obj.meta.memberNames.some((m) => m.startsWith('AbstractTrigger+') || m === 'AbstractTrigger+jobDataMap')
  );
}

function isCalendar(obj: NClass): boolean {
  const base = metaBaseName(obj.meta);
  return (
    base.startsWith('Quartz.Impl.Calendar.') ||
    (/Calendar$/.test(base) && obj.meta.memberNames.some((m) => m.startsWith('BaseCalendar+')))
  );
}

function summary(graph: NrbfGraph, obj: NObj): string {
  if (obj.kind === 'string') return obj.value;
  if (obj.kind === 'array') {
    if (obj.bytes) return `${obj.bytes.length} bytes`;
    return `${obj.count} elements`;
  }
  const pairs = mapPairs(graph, obj);
  if (pairs) return pairs.length === 0 ? 'empty' : `${pairs.length >> 1} entries`;
  return `${obj.meta.memberNames.length} members`;
}

/** Flatten a value into entries under `path`. */
function flatten(
  graph: NrbfGraph,
  v: NValue | undefined,
  path: string[],
  out: MapEntry[],
  seen: Walk,
  depth: number,
  maxDepth: number,
): void {
  if (++seen.visits > MAX_VISITS || out.length >= MAX_ENTRIES) {
    seen.limited ??= `JobDataMap view stopped after ${out.length} entries (${seen.visits - 1} values visited)`;
    return;
  }
  if (!v || v.t === 'null' || v.t === 'nulls') {
    out.push({ path, value: null });
    return;
  }
  if (v.t === 'prim') {
    out.push({ path, value: v.v, valueType: PRIMITIVE_NAMES[v.ptype] });
    return;
  }
  const obj = deref(graph, v);
  if (!obj) {
    out.push({ path, value: { type: 'unresolved', summary: v.t === 'ref' ? `#${v.id}` : '' } });
    return;
  }
  if (obj.kind === 'string') {
    out.push({ path, value: obj.value, valueType: 'System.String' });
    return;
  }
  const type = objTypeName(obj);
  if (seen.has(obj) || depth >= maxDepth) {
    out.push({ path, value: { type, summary: seen.has(obj) ? `→ #${obj.id}` : 'depth limit' } });
    return;
  }
  if (obj.kind === 'array') {
    if (obj.bytes || obj.elementType.bt === BT.Primitive) {
      out.push({ path, value: { type, summary: summary(graph, obj) } });
      return;
    }
    seen.add(obj);
    const items = expandElements(obj.values, MAX_ITEMS);
    if (items.length === 0) out.push({ path, value: { type, summary: 'empty' } });
    for (let i = 0; i < items.length && !seen.limited; i++) {
      const it = items[i] as (typeof items)[number];
      flatten(graph, it, appendPath(path, `[${i}]`), out, seen, depth + 1, maxDepth);
    }
    seen.delete(obj);
    return;
  }
  const boxed = boxedPrimitive(graph, obj);
  if (boxed !== undefined) {
    out.push({ path, value: boxed, valueType: obj.meta.name });
    return;
  }
  seen.add(obj);
  try {
    if (isJobDataMap(obj)) {
      const inner = dirtyFlagMapInner(graph, obj);
      if (inner?.kind === 'class') {
        const pairs = mapPairs(graph, inner);
        if (pairs) {
          if (pairs.length === 0) out.push({ path, value: { type, summary: 'empty' } });
          flattenPairs(graph, pairs, path, out, seen, depth, maxDepth);
          return;
        }
      }
    }
    const pairs = mapPairs(graph, obj);
    if (pairs) {
      if (pairs.length === 0) out.push({ path, value: { type, summary: 'empty' } });
      flattenPairs(graph, pairs, path, out, seen, depth, maxDepth);
      return;
    }
    const items = listItems(graph, obj);
    if (items) {
      if (items.length === 0) out.push({ path, value: { type, summary: 'empty' } });
      for (let i = 0; i < items.length && !seen.limited; i++) {
        const it = items[i] as (typeof items)[number];
        flatten(graph, it, appendPath(path, `[${i}]`), out, seen, depth + 1, maxDepth);
      }
      return;
    }
    out.push({ path, value: { type, summary: summary(graph, obj) } });
  } finally {
    seen.delete(obj);
  }
}

function flattenPairs(
  graph: NrbfGraph,
  pairs: Pairs,
  path: string[],
  out: MapEntry[],
  seen: Walk,
  depth: number,
  maxDepth: number,
): void {
  for (let i = 0; 2 * i < pairs.length && !seen.limited; i++) {
    const k = keyText(graph, pairs[2 * i]) ?? `{key ${i}}`;
    flatten(graph, pairs[2 * i + 1], appendPath(path, k), out, seen, depth + 1, maxDepth);
  }
}

export interface DotnetView {
  quartzObject?: string;
  entries: MapEntry[];
  /** Set when the flattening budget ran out. */
  limited?: string;
}

/** Recognise the Quartz object at the root and flatten its JobDataMap (or map-like content). */
export function dotnetQuartzView(graph: NrbfGraph, root: NObj | undefined, maxDepth: number): DotnetView {
  const seen = new Walk();
  const view = quartzView(graph, root, maxDepth, seen);
  if (seen.limited) view.limited = seen.limited;
  return view;
}

function quartzView(graph: NrbfGraph, root: NObj | undefined, maxDepth: number, seen: Walk): DotnetView {
  const entries: MapEntry[] = [];
  if (root?.kind !== 'class') return { entries };
  if (isJobDataMap(root)) {
    flattenInner(graph, root, [], entries, seen, maxDepth);
    return { quartzObject: 'JobDataMap', entries };
  }
  if (isTrigger(root)) {
    const jdm = deref(graph, member(root, 'jobDataMap'));
    if (jdm?.kind === 'class') flattenInner(graph, jdm, ['jobDataMap'], entries, seen, maxDepth);
    return { quartzObject: 'Trigger', entries };
  }
  if (isCalendar(root)) return { quartzObject: 'Calendar', entries };
  if (metaBaseName(root.meta) === 'System.Collections.Specialized.NameValueCollection') {
    // useProperties=true on .NET Framework: each value is an ArrayList of strings.
    const pairs = mapPairs(graph, root) ?? [];
    seen.add(root);
    for (let i = 0; 2 * i < pairs.length && !seen.limited; i++) {
      const value = pairs[2 * i + 1];
      const k = keyText(graph, pairs[2 * i]) ?? `{key ${i}}`;
      const list = deref(graph, value);
      const items = list?.kind === 'class' ? listItems(graph, list) : undefined;
      if (items && items.length === 1) flatten(graph, items[0], [k], entries, seen, 1, maxDepth);
      else flatten(graph, value, [k], entries, seen, 1, maxDepth);
    }
    return { quartzObject: 'JobDataMap', entries };
  }
  if (mapPairs(graph, root)) flatten(graph, { t: 'obj', obj: root }, [], entries, seen, 0, maxDepth);
  return { entries };
}

/** Flatten a JobDataMap's contents; an empty map gives no entries. */
function flattenInner(
  graph: NrbfGraph,
  jdm: NClass,
  path: string[],
  out: MapEntry[],
  seen: Walk,
  maxDepth: number,
): void {
  const inner = isJobDataMap(jdm) ? dirtyFlagMapInner(graph, jdm) : jdm;
  if (inner?.kind !== 'class') return;
  const pairs = mapPairs(graph, inner);
  if (!pairs) return;
  seen.add(jdm);
  seen.add(inner);
  flattenPairs(graph, pairs, path, out, seen, 0, maxDepth);
}

export { memberPathName };
