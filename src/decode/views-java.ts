/**
 * Quartz views over a parsed Java serialization graph: the JobDataMap (org.quartz.JobDataMap ←
 * StringKeyDirtyFlagMap ← DirtyFlagMap{dirty, map}) with the entries of its java.util map (read from
 * the map class's writeObject data: block data header, then key/value objects), triggers
 * (AbstractTrigger.jobDataMap) and calendars. Nested maps and lists keep their key paths.
 * Cycles are cut with a visited set; output is bounded.
 */
import type { MapEntry, MapValue } from '../model.js';
import { isoString, MAX_FAST_ISO } from './civil-time.js';
import {
  type JClassData,
  type JContent,
  type JFieldDesc,
  type JFieldValue,
  type JObject,
  type JValue,
  MAP_CLASSES,
} from './java-types.js';

const MAX_ENTRIES = 10_000;
const MAX_NEST = 32;

/** Classes whose writeObject puts the elements as objects into their annotation. */
const LIST_CLASSES = new Set([
  'java.util.ArrayList',
  'java.util.LinkedList',
  'java.util.HashSet',
  'java.util.TreeSet',
  'java.util.PriorityQueue',
  'java.util.ArrayDeque',
  'java.util.concurrent.CopyOnWriteArrayList',
]);
const BOXED = new Set([
  'java.lang.Integer',
  'java.lang.Long',
  'java.lang.Short',
  'java.lang.Byte',
  'java.lang.Double',
  'java.lang.Float',
  'java.lang.Boolean',
  'java.lang.Character',
]);

export function chainNames(o: JObject): string[] {
  return o.data.map((d) => d.desc.name);
}

/** Whether `name` is one of the classes of the object's chain. */
function hasClass(o: JObject, name: string): boolean {
  const data = o.data;
  for (let i = 0; i < data.length; i++) if ((data[i] as JClassData).desc.name === name) return true;
  return false;
}

/** Raw value of field `name` in the object's class data (most-derived class first): a primitive is not wrapped. */
function fieldValue(o: JObject, name: string): JFieldValue | undefined {
  for (let i = o.data.length - 1; i >= 0; i--) {
    const cd = o.data[i] as JClassData;
    const fields = cd.desc.fields;
    const values = cd.values;
    for (let j = 0; j < values.length; j++) if ((fields[j] as JFieldDesc).name === name) return values[j];
  }
  return undefined;
}

/** Value of field `name` in the object's class data (most-derived class first). */
export function field(o: JObject, name: string): JValue | undefined {
  for (let i = o.data.length - 1; i >= 0; i--) {
    const cd = o.data[i] as JClassData;
    const fields = cd.desc.fields;
    const values = cd.values;
    for (let j = 0; j < values.length; j++) {
      const f = fields[j] as JFieldDesc;
      if (f.name !== name) continue;
      const v = values[j] as JFieldValue;
      return typeof v === 'object' ? v : { kind: 'prim', code: f.code, value: v };
    }
  }
  return undefined;
}

function annotationItems(cd: JClassData): JContent[] {
  return (cd.annotation ?? []).filter((a) => a.kind !== 'block');
}

function dataOf(o: JObject, classes: Set<string>): JClassData | undefined {
  for (let i = o.data.length - 1; i >= 0; i--) {
    const cd = o.data[i] as JClassData;
    if (classes.has(cd.desc.name)) return cd;
  }
  return undefined;
}

/**
 * Keys and values of a map-like object, flat (key, value, key, value…: no array per pair), or
 * undefined when it is not one we know.
 */
function mapPairsFlat(o: JObject, hops = 0): JContent[] | undefined {
  if (hasClass(o, 'org.quartz.utils.DirtyFlagMap')) {
    const m = fieldValue(o, 'map');
    return m !== undefined && typeof m === 'object' && m.kind === 'object' && hops < 8 ? mapPairsFlat(m, hops + 1) : [];
  }
  const cd = dataOf(o, MAP_CLASSES);
  if (!cd) return undefined;
  const out: JContent[] = [];
  const ann = cd.annotation;
  if (!ann) return out;
  // The annotation's objects without its block data, taken two by two.
  const concurrent = cd.desc.name === 'java.util.concurrent.ConcurrentHashMap';
  let key: JContent | undefined;
  for (let i = 0; i < ann.length; i++) {
    const a = ann[i] as JContent;
    if (a.kind === 'block') continue;
    if (key === undefined) {
      // ConcurrentHashMap ends with a null/null pair.
      if (a.kind === 'null' && concurrent && hasObjectAfter(ann, i)) break;
      key = a;
    } else {
      out.push(key, a);
      key = undefined;
    }
  }
  return out;
}

/** Whether an object other than block data follows index i (a key at i has a value). */
function hasObjectAfter(ann: JContent[], i: number): boolean {
  for (let j = i + 1; j < ann.length; j++) if ((ann[j] as JContent).kind !== 'block') return true;
  return false;
}

/** Key/value pairs of a map-like object, or undefined when it is not one we know. */
export function mapPairs(o: JObject): [JValue, JValue][] | undefined {
  const flat = mapPairsFlat(o);
  if (!flat) return undefined;
  const pairs: [JValue, JValue][] = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i] as JContent, flat[i + 1] as JContent]);
  return pairs;
}

/** Elements of a list/set-like object or an object array, or undefined. */
export function listItems(v: JValue): JValue[] | undefined {
  if (v.kind === 'array') {
    if (v.items) return v.items;
    return undefined;
  }
  if (v.kind !== 'object') return undefined;
  const cd = dataOf(v, LIST_CLASSES);
  if (cd) return annotationItems(cd);
  if (hasClass(v, 'java.util.Vector')) {
    const ed = field(v, 'elementData');
    const count = field(v, 'elementCount');
    if (ed?.kind === 'array' && ed.items) {
      const n = count?.kind === 'prim' && typeof count.value === 'number' ? count.value : ed.items.length;
      return ed.items.slice(0, Math.max(0, n));
    }
  }
  if (hasClass(v, 'java.util.Arrays$ArrayList')) {
    const a = field(v, 'a');
    if (a?.kind === 'array' && a.items) return a.items;
  }
  return undefined;
}

/** `path` with `name` appended (a new array). */
function pathWith(path: string[], name: string): string[] {
  const out: string[] = new Array(path.length + 1);
  for (let i = 0; i < path.length; i++) out[i] = path[i] as string;
  out[path.length] = name;
  return out;
}

function keyString(k: JValue): string {
  if (k.kind === 'string') return k.value;
  const s = scalar(k);
  if (s === null) return '(null)';
  if (typeof s === 'object') return `(${s.type}${s.summary ? ` ${s.summary}` : ''})`;
  return String(s);
}

/** Java class name of a value, for MapEntry.valueType. */
export function typeOf(v: JValue): string | undefined {
  switch (v.kind) {
    case 'string':
      return 'java.lang.String';
    case 'object':
    case 'enum':
    case 'array':
      return v.desc.name;
    case 'class':
      return 'java.lang.Class';
    case 'prim':
      return v.code;
    default:
      return undefined;
  }
}

function num(v: number | bigint | boolean | string): number | string | boolean {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  return v;
}

/** A scalar MapValue for a value: strings, boxed primitives, dates, enums; else a typed summary. */
export function scalar(v: JValue): MapValue {
  switch (v.kind) {
    case 'null':
      return null;
    case 'string':
      return v.value;
    case 'prim':
      return num(v.value);
    case 'enum':
      return { type: v.desc.name, summary: v.constant };
    case 'class':
      return { type: 'java.lang.Class', summary: v.desc.name };
    case 'array':
      return { type: v.desc.name, summary: `${v.length} elements` };
    case 'object': {
      const name = v.desc.name;
      if (BOXED.has(name)) {
        const f = fieldValue(v, 'value');
        if (f !== undefined && typeof f !== 'object') return num(f);
      }
      if (name === 'java.util.Date' || name === 'java.sql.Timestamp' || name === 'java.sql.Date') {
        const b = dateBytes(v);
        if (b) {
          // The long as a double: hi·2³² is exact and the sum is rounded once, like Number(bigint).
          const hi = ((b[0] as number) << 24) | ((b[1] as number) << 16) | ((b[2] as number) << 8) | (b[3] as number);
          const lo =
            (((b[4] as number) << 24) | ((b[5] as number) << 16) | ((b[6] as number) << 8) | (b[7] as number)) >>> 0;
          const t = hi * 4294967296 + lo;
          if (t >= 0 && t < MAX_FAST_ISO) return { type: name, summary: isoString(t) };
          const ms = new DataView(b.buffer, b.byteOffset, 8).getBigInt64(0);
          const d = new Date(Number(ms));
          return { type: name, summary: Number.isNaN(d.getTime()) ? String(ms) : d.toISOString() };
        }
        return { type: name };
      }
      if (name === 'java.math.BigInteger' || name === 'java.math.BigDecimal') return { type: name };
      const pairs = mapPairsFlat(v);
      if (pairs) return { type: name, summary: `${pairs.length / 2} entries` };
      const items = listItems(v);
      if (items) return { type: name, summary: `${items.length} elements` };
      return { type: name };
    }
    default:
      return { type: `(${v.kind})` };
  }
}

/** The 8 bytes of a java.util.Date's time (the first block data of its writeObject data), or undefined. */
function dateBytes(v: JObject): Uint8Array | undefined {
  for (let i = 0; i < v.data.length; i++) {
    const cd = v.data[i] as JClassData;
    if (cd.desc.name !== 'java.util.Date') continue;
    const ann = cd.annotation;
    if (!ann) return undefined;
    for (let j = 0; j < ann.length; j++) {
      const a = ann[j] as JContent;
      if (a.kind === 'block') return a.bytes.length >= 8 ? a.bytes : undefined;
    }
    return undefined;
  }
  return undefined;
}

function flatten(v: JValue, path: string[], out: MapEntry[], depth: number, visiting: Set<object>): void {
  if (out.length >= MAX_ENTRIES) return;
  if (v.kind === 'object' || v.kind === 'array') {
    if (visiting.has(v) || depth > MAX_NEST) {
      out.push({ path, value: { type: v.desc.name, summary: visiting.has(v) ? '(cycle)' : '(too deep)' } });
      return;
    }
    const boxed = v.kind === 'object' && BOXED.has(v.desc.name);
    const pairs = v.kind === 'object' && !boxed ? mapPairsFlat(v) : undefined;
    const items = pairs || boxed ? undefined : listItems(v);
    if ((pairs && pairs.length > 0) || (items && items.length > 0)) {
      visiting.add(v);
      if (pairs)
        for (let i = 0; i < pairs.length; i += 2)
          flatten(pairs[i + 1] as JContent, pathWith(path, keyString(pairs[i] as JContent)), out, depth + 1, visiting);
      else if (items)
        for (let i = 0; i < items.length; i++)
          flatten(items[i] as JValue, pathWith(path, String(i)), out, depth + 1, visiting);
      visiting.delete(v);
      return;
    }
  }
  const value = scalar(v);
  const t = typeOf(v);
  out.push(t ? { path, value, valueType: t } : { path, value });
}

const TRIGGER_BASE = 'org.quartz.impl.triggers.AbstractTrigger';

/** Recognise the Quartz object at the root and flatten its JobDataMap. */
export function javaViews(root: JContent): { quartzObject?: string; entries: MapEntry[] } {
  const entries: MapEntry[] = [];
  if (root.kind !== 'object') return { entries };
  if (hasClass(root, 'org.quartz.utils.DirtyFlagMap')) {
    const pairs = mapPairsFlat(root) ?? [];
    const visiting = new Set<object>([root]);
    for (let i = 0; i < pairs.length; i += 2)
      flatten(pairs[i + 1] as JContent, [keyString(pairs[i] as JContent)], entries, 1, visiting);
    return { quartzObject: 'JobDataMap', entries };
  }
  const names = chainNames(root);
  if (names.includes(TRIGGER_BASE) || names.some((n) => /^org\.quartz\..*Trigger(Impl)?$/.test(n))) {
    const jdm = field(root, 'jobDataMap');
    if (jdm?.kind === 'object') {
      const pairs = mapPairsFlat(jdm) ?? [];
      const visiting = new Set<object>([jdm]);
      for (let i = 0; i < pairs.length; i += 2)
        flatten(pairs[i + 1] as JContent, ['jobDataMap', keyString(pairs[i] as JContent)], entries, 1, visiting);
    }
    return { quartzObject: 'Trigger', entries };
  }
  if (names.some((n) => n.startsWith('org.quartz.') && /Calendar$/.test(n)))
    return { quartzObject: 'Calendar', entries };
  // Any other map or list at the root: flatten it so detectors still see key paths.
  if (mapPairsFlat(root) || listItems(root)) flatten(root, [], entries, 0, new Set());
  return { entries };
}
