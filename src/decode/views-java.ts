/**
 * Quartz views over a parsed Java serialization graph: the JobDataMap (org.quartz.JobDataMap ←
 * StringKeyDirtyFlagMap ← DirtyFlagMap{dirty, map}) with the entries of its java.util map (read from
 * the map class's writeObject data: block data header, then key/value objects), triggers
 * (AbstractTrigger.jobDataMap) and calendars. Nested maps and lists keep their key paths.
 * Cycles are cut with a visited set; output is bounded.
 */
import type { MapEntry, MapValue } from '../model.js';
import type { JClassData, JContent, JFieldDesc, JFieldValue, JObject, JValue } from './java-types.js';

const MAX_ENTRIES = 10_000;
const MAX_NEST = 32;

/** Classes whose writeObject puts key/value pairs as objects into their annotation. */
const MAP_CLASSES = new Set([
  'java.util.HashMap',
  'java.util.Hashtable',
  'java.util.TreeMap',
  'java.util.concurrent.ConcurrentHashMap',
  'java.util.IdentityHashMap',
  'java.util.WeakHashMap',
  'java.util.EnumMap',
]);
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

/** Key/value pairs of a map-like object, or undefined when it is not one we know. */
export function mapPairs(o: JObject, hops = 0): [JValue, JValue][] | undefined {
  if (o.data.some((d) => d.desc.name === 'org.quartz.utils.DirtyFlagMap')) {
    const m = field(o, 'map');
    return m && m.kind === 'object' && hops < 8 ? mapPairs(m, hops + 1) : [];
  }
  const cd = dataOf(o, MAP_CLASSES);
  if (!cd) return undefined;
  const items = annotationItems(cd);
  const pairs: [JValue, JValue][] = [];
  for (let i = 0; i + 1 < items.length; i += 2) {
    const k = items[i] as JContent;
    // ConcurrentHashMap ends with a null/null pair.
    if (k.kind === 'null' && cd.desc.name === 'java.util.concurrent.ConcurrentHashMap') break;
    pairs.push([k, items[i + 1] as JContent]);
  }
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
  const names = chainNames(v);
  if (names.includes('java.util.Vector')) {
    const ed = field(v, 'elementData');
    const count = field(v, 'elementCount');
    if (ed?.kind === 'array' && ed.items) {
      const n = count?.kind === 'prim' && typeof count.value === 'number' ? count.value : ed.items.length;
      return ed.items.slice(0, Math.max(0, n));
    }
  }
  if (names.includes('java.util.Arrays$ArrayList')) {
    const a = field(v, 'a');
    if (a?.kind === 'array' && a.items) return a.items;
  }
  return undefined;
}

function keyString(k: JValue): string {
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
        const f = field(v, 'value');
        if (f?.kind === 'prim') return num(f.value);
      }
      if (name === 'java.util.Date' || name === 'java.sql.Timestamp' || name === 'java.sql.Date') {
        const blk = v.data.find((d) => d.desc.name === 'java.util.Date')?.annotation?.find((a) => a.kind === 'block');
        if (blk && blk.kind === 'block' && blk.bytes.length >= 8) {
          const ms = new DataView(blk.bytes.buffer, blk.bytes.byteOffset, 8).getBigInt64(0);
          const d = new Date(Number(ms));
          return { type: name, summary: Number.isNaN(d.getTime()) ? String(ms) : d.toISOString() };
        }
        return { type: name };
      }
      if (name === 'java.math.BigInteger' || name === 'java.math.BigDecimal') return { type: name };
      const pairs = mapPairs(v);
      if (pairs) return { type: name, summary: `${pairs.length} entries` };
      const items = listItems(v);
      if (items) return { type: name, summary: `${items.length} elements` };
      return { type: name };
    }
    default:
      return { type: `(${v.kind})` };
  }
}

function flatten(v: JValue, path: string[], out: MapEntry[], depth: number, visiting: Set<object>): void {
  if (out.length >= MAX_ENTRIES) return;
  if (v.kind === 'object' || v.kind === 'array') {
    if (visiting.has(v) || depth > MAX_NEST) {
      out.push({ path, value: { type: v.desc.name, summary: visiting.has(v) ? '(cycle)' : '(too deep)' } });
      return;
    }
    const pairs = v.kind === 'object' && !BOXED.has(v.desc.name) ? mapPairs(v) : undefined;
    const items = pairs ? undefined : v.kind === 'object' && BOXED.has(v.desc.name) ? undefined : listItems(v);
    if ((pairs && pairs.length > 0) || (items && items.length > 0)) {
      visiting.add(v);
      if (pairs) for (const [k, val] of pairs) flatten(val, [...path, keyString(k)], out, depth + 1, visiting);
      else if (items)
        items.forEach((it, i) => {
          flatten(it, [...path, String(i)], out, depth + 1, visiting);
        });
      visiting.delete(v);
      return;
    }
  }
  const e: MapEntry = { path, value: scalar(v) };
  const t = typeOf(v);
  if (t) e.valueType = t;
  out.push(e);
}

const TRIGGER_BASE = 'org.quartz.impl.triggers.AbstractTrigger';

/** Recognise the Quartz object at the root and flatten its JobDataMap. */
export function javaViews(root: JContent): { quartzObject?: string; entries: MapEntry[] } {
  const entries: MapEntry[] = [];
  if (root.kind !== 'object') return { entries };
  const names = chainNames(root);
  if (names.includes('org.quartz.utils.DirtyFlagMap')) {
    for (const [k, v] of mapPairs(root) ?? []) flatten(v, [keyString(k)], entries, 1, new Set([root]));
    return { quartzObject: 'JobDataMap', entries };
  }
  if (names.includes(TRIGGER_BASE) || names.some((n) => /^org\.quartz\..*Trigger(Impl)?$/.test(n))) {
    const jdm = field(root, 'jobDataMap');
    if (jdm?.kind === 'object')
      for (const [k, v] of mapPairs(jdm) ?? []) flatten(v, ['jobDataMap', keyString(k)], entries, 1, new Set([jdm]));
    return { quartzObject: 'Trigger', entries };
  }
  if (names.some((n) => n.startsWith('org.quartz.') && /Calendar$/.test(n)))
    return { quartzObject: 'Calendar', entries };
  // Any other map or list at the root: flatten it so detectors still see key paths.
  if (mapPairs(root) || listItems(root)) flatten(root, [], entries, 0, new Set());
  return { entries };
}
