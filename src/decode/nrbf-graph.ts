/**
 * The object graph the MS-NRBF reader builds (src/decode/nrbf-reader.ts) and the views read
 * (src/decode/views-dotnet.ts, src/decode/nrbf.ts). Plain data: nothing here is ever instantiated
 * as the type it names.
 */

/** BinaryTypeEnumeration (MS-NRBF 2.1.2.2). */
export const BT = {
  Primitive: 0,
  String: 1,
  Object: 2,
  SystemClass: 3,
  Class: 4,
  ObjectArray: 5,
  StringArray: 6,
  PrimitiveArray: 7,
} as const;

/** PrimitiveTypeEnumeration (MS-NRBF 2.1.2.3) → .NET type name. */
export const PRIMITIVE_NAMES: Record<number, string> = {
  1: 'System.Boolean',
  2: 'System.Byte',
  3: 'System.Char',
  5: 'System.Decimal',
  6: 'System.Double',
  7: 'System.Int16',
  8: 'System.Int32',
  9: 'System.Int64',
  10: 'System.SByte',
  11: 'System.Single',
  12: 'System.TimeSpan',
  13: 'System.DateTime',
  14: 'System.UInt16',
  15: 'System.UInt32',
  16: 'System.UInt64',
  17: 'Null',
  18: 'System.String',
};

/** One member's declared type: BinaryTypeEnumeration plus its AdditionalInfo. */
export interface MemberType {
  bt: number;
  /** Primitive / PrimitiveArray: PrimitiveTypeEnumeration. */
  ptype?: number;
  /** SystemClass / Class: the class name. */
  className?: string;
  /** Class: the library id. */
  libraryId?: number;
}

/** Class metadata (ClassInfo + MemberTypeInfo + library), shared by ClassWithId records. */
export interface ClassMeta {
  id: number;
  name: string;
  /** Library id for ClassWithMembers(AndTypes); undefined for system classes (mscorlib). */
  libraryId?: number;
  memberNames: string[];
  /** null for the untyped records SystemClassWithMembers / ClassWithMembers. */
  memberTypes: MemberType[] | null;
  recordType: number;
  /** Objects of this class registered (an id set again counts again): at least the number of
   *  them in the object table (internal). */
  instances: number;
  /** Lookup caches filled on first use (internal; every object of the class shares them). */
  cache: MetaCache | undefined;
}

/** Per-class lookups the views repeat for every object of a class. */
export interface MetaCache {
  base: string | undefined;
  /** Member name → index of the exact name (-1: none). */
  exact: Map<string, number> | undefined;
  /** Member name → index of the first `Declaring+name` member (-1: none). */
  suffix: Map<string, number> | undefined;
  /** Path segments of the members (memberPathName). */
  pathNames: string[] | undefined;
}

function metaCache(meta: ClassMeta): MetaCache {
  let c = meta.cache;
  if (!c) {
    // A plain field the reader creates (undefined): defining it here (non-enumerable) was a fiftieth
    // of the decode, and gave every class a shape of its own.
    c = { base: undefined, exact: undefined, suffix: undefined, pathNames: undefined };
    meta.cache = c;
  }
  return c;
}

/** baseTypeName of a class's name, computed once per class. */
export function metaBaseName(meta: ClassMeta): string {
  const c = metaCache(meta);
  if (c.base === undefined) c.base = baseTypeName(meta.name);
  return c.base;
}

/** A member name as a path segment: `DirtyFlagMap+map` → `map`, `<Url>k__BackingField` → `Url`. */
export function memberPathName(name: string): string {
  const plus = name.lastIndexOf('+');
  const n = plus >= 0 ? name.slice(plus + 1) : name;
  if (n.charCodeAt(0) !== 60) return n; // no '<': not a backing field (no regex run)
  const m = /^<(.+)>k__BackingField$/.exec(n);
  return m?.[1] ?? n;
}

/** memberPathName of every member of a class, computed once per class. */
export function metaPathNames(meta: ClassMeta): string[] {
  const c = metaCache(meta);
  c.pathNames ??= meta.memberNames.map(memberPathName);
  return c.pathNames;
}

/** Classes with at most this many members are searched directly: a Map per class per blob cost more
 *  than the few compares it saves. */
const SCAN_MEMBERS = 8;

/** `+name` of the member names the views ask for (constants of the code; bounded anyway). */
const SUFFIXES = new Map<string, string>();
function plusName(name: string): string {
  let s = SUFFIXES.get(name);
  if (s === undefined) {
    s = `+${name}`;
    if (SUFFIXES.size >= 1024) SUFFIXES.clear();
    SUFFIXES.set(name, s);
  }
  return s;
}

/** Index of the member named exactly `name`, or -1 (cached per class). */
export function exactMemberIndex(meta: ClassMeta, name: string): number {
  if (meta.memberNames.length <= SCAN_MEMBERS) return meta.memberNames.indexOf(name);
  const c = metaCache(meta);
  c.exact ??= new Map();
  let i = c.exact.get(name);
  if (i === undefined) {
    i = meta.memberNames.indexOf(name);
    c.exact.set(name, i);
  }
  return i;
}

function suffixMemberIndex(meta: ClassMeta, name: string): number {
  const names = meta.memberNames;
  if (names.length <= SCAN_MEMBERS) {
    const suffix = plusName(name);
    for (let i = 0; i < names.length; i++) if ((names[i] as string).endsWith(suffix)) return i;
    return -1;
  }
  const c = metaCache(meta);
  c.suffix ??= new Map();
  let i = c.suffix.get(name);
  if (i === undefined) {
    const suffix = `+${name}`;
    i = meta.memberNames.findIndex((m) => m.endsWith(suffix));
    c.suffix.set(name, i);
  }
  return i;
}

/** A primitive value, already converted for display. Int64/UInt64 beyond 2^53 are strings. */
export interface PrimValue {
  t: 'prim';
  ptype: number;
  v: string | number | boolean | null;
}

export type NValue =
  | PrimValue
  | { t: 'ref'; id: number; offset: number }
  | { t: 'null' }
  /** A run of `count` nulls (ObjectNullMultiple / ObjectNullMultiple256). */
  | { t: 'nulls'; count: number }
  | { t: 'obj'; obj: NObj };

/** What every object carries besides its data (internal). An object is its own value: `t` is 'obj'
 *  and `obj` is the object itself, so a member or element holding an object needs no wrapper.
 *  `mark`/`keyMark`: the epoch of the last tree/strings walk that visited it, or pushed it as a map
 *  key (a field set at creation, not a Set per walk: no hashing per object). */
interface Marks {
  t: 'obj';
  obj: NObj;
  mark: number;
  keyMark: number;
}

/** The key/value pairs of a map-like object, flat (no object per pair): the key of pair i at
 *  [2i], its value at [2i + 1]. */
export type Pairs = NValue[];

export interface NClass extends Marks {
  kind: 'class';
  id: number;
  offset: number;
  meta: ClassMeta;
  values: NValue[];
  /** mapPairs() of this object, computed once (internal): undefined = not yet, null = not a map. */
  pairs: Pairs | null | undefined;
}

export interface NString extends Marks {
  kind: 'string';
  id: number;
  offset: number;
  value: string;
}

export type ArrayShape = 'Single' | 'Jagged' | 'Rectangular' | 'SingleOffset' | 'JaggedOffset' | 'RectangularOffset';

export interface NArray extends Marks {
  kind: 'array';
  id: number;
  offset: number;
  /** The record it came from: BinaryArray, ArraySinglePrimitive, ArraySingleObject, ArraySingleString. */
  record: 'BinaryArray' | 'ArraySinglePrimitive' | 'ArraySingleObject' | 'ArraySingleString';
  shape: ArrayShape;
  lengths: number[];
  lowerBounds?: number[];
  elementType: MemberType;
  /** Declared element count (product of lengths). */
  count: number;
  /** Elements (null runs compressed); for Byte[] see `bytes`. */
  values: NValue[];
  /** Byte[] contents. */
  bytes: Uint8Array | undefined;
}

export type NObj = NClass | NString | NArray;

export interface NLibrary {
  id: number;
  name: string;
}

export interface MethodMessage {
  kind: 'call' | 'return';
  offset: number;
  flags: number;
  methodName?: string;
  typeName?: string;
  callContext?: string;
  args: PrimValue[];
}

/** Ids (and -ids) below this may go to the dense arrays of an ObjectTable. */
const DENSE_IDS = 1 << 16;

/**
 * The objects of a stream by id, with a Map's behaviour for what the views use (`get`, `has`,
 * `size`, `values()` in first-insertion order; setting an id again replaces its object in place).
 * Object ids are mostly small ascending positive numbers: those sit in an array indexed by id, not
 * in a hash table (a Map insert per object was a twentieth of the decode). The array grows at most
 * to twice its length plus 64 per id and to DENSE_IDS in all (hostile ids cost no memory). Negative
 * ids (value types: every KeyValuePair of a Dictionary has one; they may repeat) sit the same way in
 * an array of list positions indexed by -id. Other ids (0, far or huge ones) go to a Map of
 * id → position.
 */
export class ObjectTable {
  private readonly dense: (NObj | undefined)[] = [];
  /** Negative ids: the list position of the object of id -k at [k] (-1: none there). */
  private readonly neg: number[] = [];
  private readonly other = new Map<number, number>();
  /** Highest positive id in `other` (0: none): below it, a positive id may be in either place. */
  private maxOther = 0;
  /** Highest -id of a negative id in `other` (0: none): below it, a negative id may be in either place. */
  private maxOtherNeg = 0;
  private readonly list: NObj[] = [];

  get size(): number {
    return this.list.length;
  }
  get(id: number): NObj | undefined {
    if (id > 0) {
      if (id < this.dense.length) {
        const o = this.dense[id];
        if (o !== undefined) return o;
      }
      if (id > this.maxOther) return undefined;
    } else if (id < 0) {
      const k = -id;
      if (k < this.neg.length) {
        const at = this.neg[k] as number;
        if (at >= 0) return this.list[at];
      }
      if (k > this.maxOtherNeg) return undefined;
    }
    const at = this.other.get(id);
    return at === undefined ? undefined : this.list[at];
  }
  has(id: number): boolean {
    return this.get(id) !== undefined;
  }
  set(id: number, obj: NObj): void {
    if (id < 0) {
      this.setNegative(id, obj);
      return;
    }
    const dense = this.dense;
    if (id > 0 && id < dense.length && dense[id] !== undefined) {
      this.list[this.list.indexOf(dense[id] as NObj)] = obj;
      dense[id] = obj;
      return;
    }
    const at = id > 0 && id > this.maxOther ? undefined : this.other.get(id);
    if (at !== undefined) {
      this.list[at] = obj;
      return;
    }
    if (id > 0 && id < DENSE_IDS && id <= 2 * dense.length + 64) {
      // Holes filled one by one: the array stays packed (not a dictionary).
      while (dense.length < id) dense.push(undefined);
      dense[id] = obj;
    } else {
      this.other.set(id, this.list.length);
      if (id > this.maxOther) this.maxOther = id;
    }
    this.list.push(obj);
  }
  private setNegative(id: number, obj: NObj): void {
    const k = -id;
    const neg = this.neg;
    const list = this.list;
    if (k < neg.length) {
      const at = neg[k] as number;
      if (at >= 0) {
        list[at] = obj;
        return;
      }
    }
    if (k <= this.maxOtherNeg) {
      const at = this.other.get(id);
      if (at !== undefined) {
        list[at] = obj;
        return;
      }
    }
    if (k < DENSE_IDS && k <= 2 * neg.length + 64) {
      while (neg.length < k) neg.push(-1);
      neg[k] = list.length;
    } else {
      this.other.set(id, list.length);
      if (k > this.maxOtherNeg) this.maxOtherNeg = k;
    }
    list.push(obj);
  }
  /** The objects in first-insertion order (read only). */
  values(): readonly NObj[] {
    return this.list;
  }
}

export interface NrbfGraph {
  rootId: number;
  headerId: number;
  majorVersion: number;
  minorVersion: number;
  objects: ObjectTable;
  libraries: Map<number, NLibrary>;
  /** Every class metadata record read, in stream order (including ones with repeated negative ids). */
  classes: ClassMeta[];
  /** Type names seen in MemberTypeInfo / BinaryArray additional infos, with their library id. */
  declaredTypes: { name: string; libraryId?: number }[];
  methods: MethodMessage[];
  /** Objects read at top level (outside any member), in order: orphans are findable. */
  topLevel: NObj[];
  malformed?: { offset: number; reason: string };
  limited?: string;
  /** Strings longer than limits.maxStringLength, cut to that length. */
  truncatedStrings: number;
  /** Offset just past MessageEnd, when seen. */
  endOffset?: number;
  records: number;
}

/** Full display name of a value's type. */
export function objTypeName(obj: NObj): string {
  if (obj.kind === 'class') return obj.meta.name;
  if (obj.kind === 'string') return 'System.String';
  return `${elementTypeName(obj.elementType)}[]`;
}

export function elementTypeName(t: MemberType): string {
  switch (t.bt) {
    case BT.Primitive:
      return PRIMITIVE_NAMES[t.ptype ?? 0] ?? 'Primitive';
    case BT.String:
      return 'System.String';
    case BT.Object:
      return 'System.Object';
    case BT.SystemClass:
    case BT.Class:
      return t.className ?? '?';
    case BT.ObjectArray:
      return 'System.Object[]';
    case BT.StringArray:
      return 'System.String[]';
    case BT.PrimitiveArray:
      return `${PRIMITIVE_NAMES[t.ptype ?? 0] ?? 'Primitive'}[]`;
    default:
      return '?';
  }
}

/** Resolve a value to an object (following references), or undefined for primitives, nulls, dangling refs. */
export function deref(graph: NrbfGraph, v: NValue | undefined): NObj | undefined {
  if (!v) return undefined;
  if (v.t === 'obj') return v.obj;
  if (v.t === 'ref') return graph.objects.get(v.id);
  return undefined;
}

/** Index of a class member by exact name, or by `Declaring+name` suffix (-1: none). */
export function memberIndex(meta: ClassMeta, name: string, alt?: string): number {
  let i = exactMemberIndex(meta, name);
  if (i < 0 && alt !== undefined) i = exactMemberIndex(meta, alt);
  if (i < 0) i = suffixMemberIndex(meta, name);
  if (i < 0 && alt !== undefined) i = suffixMemberIndex(meta, alt);
  return i;
}

/** Value of a class member by exact name, or by `Declaring+name` suffix. */
export function member(obj: NClass, name: string, alt?: string): NValue | undefined {
  const i = memberIndex(obj.meta, name, alt);
  return i >= 0 ? obj.values[i] : undefined;
}

/** `[...path, seg]` without the spread's iteration: a new array of the final size. */
export function appendPath(path: string[], seg: string): string[] {
  const n = path.length;
  const out = new Array<string>(n + 1);
  for (let i = 0; i < n; i++) out[i] = path[i] as string;
  out[n] = seg;
  return out;
}

/** Expand an element list with null runs into at most `max` elements. */
export function expandElements(values: NValue[], max: number): NValue[] {
  const out: NValue[] = [];
  for (const v of values) {
    if (out.length >= max) break;
    if (v.t === 'nulls') {
      const n = Math.min(v.count, max - out.length);
      for (let i = 0; i < n; i++) out.push({ t: 'null' });
    } else out.push(v);
  }
  return out;
}

/** The type name without generic arguments, array suffix or assembly: `Dictionary`2[[…]]` → `Dictionary`2`. */
export function baseTypeName(name: string): string {
  let end = name.length;
  const b = name.indexOf('[');
  if (b >= 0) end = b;
  const c = name.indexOf(',');
  if (c >= 0 && c < end) end = c;
  return name.slice(0, end).trim();
}
