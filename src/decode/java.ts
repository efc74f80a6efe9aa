/**
 * Java Object Serialization stream parser (Java Object Serialization Specification, ch. 6).
 * Parse, never deserialize: it builds a plain graph of class descriptors, objects, arrays and
 * strings. Every declared length is checked against the bytes that remain before anything is
 * allocated; nesting, records and time are bounded; a violation stops the parse with a
 * `malformed` offset while keeping everything read so far.
 */
import type { ExpansionFinding, FoundString, TreeNode, TypeRef } from '../model.js';
import { detectExpansion, isHashedCollection } from './expansion.js';
import { trailingBytes } from './nrbf.js';
import type { FormatResult, Limits } from './types.js';
import { javaViews, scalar } from './views-java.js';

const TC_NULL = 0x70;
const TC_REFERENCE = 0x71;
const TC_CLASSDESC = 0x72;
const TC_OBJECT = 0x73;
const TC_STRING = 0x74;
const TC_ARRAY = 0x75;
const TC_CLASS = 0x76;
const TC_BLOCKDATA = 0x77;
const TC_ENDBLOCKDATA = 0x78;
const TC_RESET = 0x79;
const TC_BLOCKDATALONG = 0x7a;
const TC_EXCEPTION = 0x7b;
const TC_LONGSTRING = 0x7c;
const TC_PROXYCLASSDESC = 0x7d;
const TC_ENUM = 0x7e;
const BASE_WIRE_HANDLE = 0x7e0000;

export const SC_WRITE_METHOD = 0x01;
export const SC_SERIALIZABLE = 0x02;
export const SC_EXTERNALIZABLE = 0x04;
export const SC_BLOCK_DATA = 0x08;
export const SC_ENUM = 0x10;

const PRIM_SIZE: Record<string, number> = { B: 1, C: 2, D: 8, F: 4, I: 4, J: 8, S: 2, Z: 1 };

export interface JFieldDesc {
  /** Type code: B C D F I J S Z L [ */
  code: string;
  name: string;
  /** JVM descriptor for L and [ fields, e.g. Ljava/util/Map; */
  className?: string;
}

export interface JClassDesc {
  kind: 'classdesc';
  name: string;
  suid: string;
  flags: number;
  fields: JFieldDesc[];
  annotation: JContent[];
  superDesc: JClassDesc | null;
  /** Interfaces of a dynamic proxy class descriptor (TC_PROXYCLASSDESC). */
  proxy?: string[];
  offset: number;
}
export interface JNull {
  kind: 'null';
}
export interface JString {
  kind: 'string';
  value: string;
  offset: number;
  /** True when the stored value was cut at maxStringLength. */
  truncated?: boolean;
}
export interface JPrim {
  kind: 'prim';
  code: string;
  value: number | bigint | boolean | string;
}
export interface JClassData {
  desc: JClassDesc;
  values: { name: string; code: string; value: JValue }[];
  /** writeObject / Externalizable(SC_BLOCK_DATA) data: objects and block data up to TC_ENDBLOCKDATA. */
  annotation?: JContent[];
}
export interface JObject {
  kind: 'object';
  desc: JClassDesc;
  data: JClassData[];
  offset: number;
}
export interface JArray {
  kind: 'array';
  desc: JClassDesc;
  length: number;
  /** Element code: a primitive code, or L for objects. */
  elemCode: string;
  bytes?: Uint8Array;
  prims?: (number | bigint | boolean | string)[];
  items?: JValue[];
  offset: number;
}
export interface JEnum {
  kind: 'enum';
  desc: JClassDesc;
  constant: string;
  offset: number;
}
export interface JClassObj {
  kind: 'class';
  desc: JClassDesc;
  offset: number;
}
export interface JBlock {
  kind: 'block';
  bytes: Uint8Array;
  offset: number;
}
export interface JException {
  kind: 'exception';
  value: JValue;
  offset: number;
}
export interface JReset {
  kind: 'reset';
  offset: number;
}
export type JContent =
  | JNull
  | JString
  | JObject
  | JArray
  | JEnum
  | JClassObj
  | JClassDesc
  | JBlock
  | JException
  | JReset;
export type JValue = JContent | JPrim;

class Stop extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
    readonly limit?: string,
  ) {
    super(reason);
  }
}

const NULL: JNull = { kind: 'null' };

/** ASCII-only input (checked by the caller): windows-1252 and Latin-1 agree below 0x80. */
const latin1 = new TextDecoder('latin1');

/** Decode Java "modified UTF-8" leniently (invalid sequences become U+FFFD). */
export function decodeModifiedUtf8(b: Uint8Array, start: number, end: number): string {
  let ascii = true;
  for (let i = start; i < end; i++) {
    const c = b[i] as number;
    if (c === 0 || c >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    // Short: String.fromCharCode over the bytes (cheaper than a native call); long: one native slice.
    const n = end - start;
    if (n <= 16) {
      let out = '';
      for (let i = start; i < end; i++) out += String.fromCharCode(b[i] as number);
      return out;
    }
    if (b instanceof Buffer) return b.toString('latin1', start, end);
    return latin1.decode(b.subarray(start, end));
  }
  const units: number[] = [];
  let out = '';
  let i = start;
  while (i < end) {
    const c = b[i] as number;
    if (c < 0x80) {
      units.push(c);
      i++;
    } else if ((c & 0xe0) === 0xc0 && i + 1 < end && ((b[i + 1] as number) & 0xc0) === 0x80) {
      units.push(((c & 0x1f) << 6) | ((b[i + 1] as number) & 0x3f));
      i += 2;
    } else if (
      (c & 0xf0) === 0xe0 &&
      i + 2 < end &&
      ((b[i + 1] as number) & 0xc0) === 0x80 &&
      ((b[i + 2] as number) & 0xc0) === 0x80
    ) {
      units.push(((c & 0x0f) << 12) | (((b[i + 1] as number) & 0x3f) << 6) | ((b[i + 2] as number) & 0x3f));
      i += 3;
    } else {
      units.push(0xfffd);
      i++;
    }
    if (units.length >= 4096) {
      out += String.fromCharCode(...units);
      units.length = 0;
    }
  }
  return out + String.fromCharCode(...units);
}

/** Element type of an array class name: `[Ljava.lang.String;` → java.lang.String; `[[B` → undefined. */
export function javaArrayElement(name: string): string | undefined {
  let i = 0;
  while (name[i] === '[') i++;
  if (i === 0) return name;
  if (name[i] === 'L' && name.endsWith(';')) return name.slice(i + 1, -1);
  return undefined;
}

class JavaReader {
  pos = 0;
  handles: (JContent | undefined)[] = [];
  records = 0;
  readonly types: TypeRef[] = [];
  readonly seenTypes = new Set<string>();
  readonly top: JContent[] = [];
  /** Hash-based collection objects read (gate of the SerialDOS detection). */
  hashedCount = 0;
  /** Start offset of the top-level content being read. */
  contentStart = 4;
  /** The top-level object being read (see assign). */
  partial: JContent | undefined;
  private awaitingRoot = false;
  private readonly dv: DataView;

  readonly b: Uint8Array;
  constructor(
    bytes: Uint8Array,
    readonly limits: Limits,
  ) {
    // A Buffer view of the same memory: latin1Slice decodes ASCII strings natively.
    this.b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  remaining(): number {
    return this.b.length - this.pos;
  }
  need(n: number, what: string): void {
    if (n < 0 || n > this.remaining())
      throw new Stop(this.pos, `${what}: needs ${n} bytes, ${this.remaining()} remain (truncated or hostile length)`);
  }
  u8(): number {
    this.need(1, 'byte');
    return this.b[this.pos++] as number;
  }
  u16(): number {
    this.need(2, 'u16');
    const v = this.dv.getUint16(this.pos);
    this.pos += 2;
    return v;
  }
  i32(): number {
    this.need(4, 'i32');
    const v = this.dv.getInt32(this.pos);
    this.pos += 4;
    return v;
  }
  i64(): bigint {
    this.need(8, 'i64');
    const v = this.dv.getBigInt64(this.pos);
    this.pos += 8;
    return v;
  }
  utf(): string {
    const len = this.u16();
    this.need(len, 'utf string');
    const s = decodeModifiedUtf8(this.b, this.pos, this.pos + len);
    this.pos += len;
    return s;
  }

  tick(depth: number): void {
    if (depth > this.limits.maxDepth)
      throw new Stop(this.pos, `nesting deeper than ${this.limits.maxDepth}`, `depth>${this.limits.maxDepth}`);
    this.records++;
    if (this.records > this.limits.maxRecords)
      throw new Stop(this.pos, `more than ${this.limits.maxRecords} records`, `records>${this.limits.maxRecords}`);
    if ((this.records & 255) === 0 && Date.now() > this.limits.deadline)
      throw new Stop(this.pos, 'time budget exceeded', 'time');
  }

  assign(c: JContent): void {
    if (this.handles.length >= this.limits.maxRecords)
      throw new Stop(this.pos, 'too many handles', `records>${this.limits.maxRecords}`);
    this.handles.push(c);
    if (c.kind === 'object' && isHashedCollection(c.desc.name)) this.hashedCount++;
    // The top-level object being read: kept when a limit or a fault stops the read inside it, so
    // what was read before is still checked.
    if (this.awaitingRoot && (c.kind === 'object' || c.kind === 'array' || c.kind === 'enum')) {
      this.partial = c;
      this.awaitingRoot = false;
    }
  }

  addType(name: string, via = 'java-classdesc'): void {
    const n = javaArrayElement(name);
    if (n === undefined || n === '' || this.seenTypes.has(n)) return;
    this.seenTypes.add(n);
    this.types.push({ name: n, ecosystem: 'java', via });
  }

  reference(): JContent {
    const h = this.i32();
    const c = this.handles[h - BASE_WIRE_HANDLE];
    if (!c) throw new Stop(this.pos - 4, `reference to unknown handle 0x${(h >>> 0).toString(16)}`);
    return c;
  }

  /** Parses whole stream contents; throws Stop on failure (top keeps what was read). */
  stream(): void {
    this.need(4, 'stream header');
    if (this.b[0] !== 0xac || this.b[1] !== 0xed) throw new Stop(0, 'not a Java serialization stream (magic)');
    if (this.b[2] !== 0x00 || this.b[3] !== 0x05) throw new Stop(2, 'unsupported stream version');
    this.pos = 4;
    while (this.pos < this.b.length) {
      const tc = this.b[this.pos] as number;
      this.contentStart = this.pos;
      if (tc === TC_BLOCKDATA || tc === TC_BLOCKDATALONG) {
        this.top.push(this.block());
        continue;
      }
      if (tc === TC_RESET) {
        this.handles = [];
        this.top.push({ kind: 'reset', offset: this.pos++ });
        continue;
      }
      this.partial = undefined;
      this.awaitingRoot = true;
      const c = this.content(1);
      this.awaitingRoot = false;
      this.top.push(c);
    }
  }

  block(): JBlock {
    const offset = this.pos;
    const tc = this.u8();
    const len = tc === TC_BLOCKDATA ? this.u8() : this.i32();
    this.need(len, 'block data');
    const bytes = new Uint8Array(this.b.subarray(this.pos, this.pos + len));
    this.pos += len;
    this.records++;
    return { kind: 'block', bytes, offset };
  }

  /** objectAnnotation / classAnnotation: contents and block data until TC_ENDBLOCKDATA. */
  annotation(depth: number, into: JContent[]): void {
    for (;;) {
      this.need(1, 'annotation (missing TC_ENDBLOCKDATA)');
      const tc = this.b[this.pos] as number;
      if (tc === TC_ENDBLOCKDATA) {
        this.pos++;
        return;
      }
      if (tc === TC_BLOCKDATA || tc === TC_BLOCKDATALONG) into.push(this.block());
      else into.push(this.child(depth + 1, into));
    }
  }

  content(depth: number): JContent {
    this.tick(depth);
    const offset = this.pos;
    const tc = this.u8();
    switch (tc) {
      case TC_NULL:
        return NULL;
      case TC_REFERENCE:
        return this.reference();
      case TC_CLASSDESC:
      case TC_PROXYCLASSDESC:
        this.pos--;
        return this.classDesc(depth) ?? NULL;
      case TC_OBJECT:
        return this.newObject(offset, depth);
      case TC_STRING:
      case TC_LONGSTRING:
        return this.newString(tc, offset);
      case TC_ARRAY:
        return this.newArray(offset, depth);
      case TC_CLASS: {
        const desc = this.classDesc(depth);
        if (!desc) throw new Stop(offset, 'TC_CLASS with null descriptor');
        const c: JClassObj = { kind: 'class', desc, offset };
        this.assign(c);
        return c;
      }
      case TC_ENUM: {
        const desc = this.classDesc(depth);
        if (!desc) throw new Stop(offset, 'TC_ENUM with null descriptor');
        const e: JEnum = { kind: 'enum', desc, constant: '', offset };
        this.assign(e);
        const name = this.content(depth + 1);
        if (name.kind !== 'string') throw new Stop(this.pos, 'enum constant name is not a string');
        e.constant = name.value;
        return e;
      }
      case TC_RESET:
        // ObjectInputStream.readObject0 consumes resets and reads the content that follows.
        this.handles = [];
        return this.content(depth + 1);
      case TC_EXCEPTION: {
        this.handles = [];
        const value = this.content(depth + 1);
        this.handles = [];
        return { kind: 'exception', value, offset };
      }
      case TC_BLOCKDATA:
      case TC_BLOCKDATALONG:
        this.pos--;
        return this.block();
      case TC_ENDBLOCKDATA:
        throw new Stop(offset, 'unexpected TC_ENDBLOCKDATA');
      default:
        throw new Stop(offset, `unknown type code 0x${tc.toString(16).padStart(2, '0')}`);
    }
  }

  /** A nested content; when a stop happens inside it, the object it was reading is still attached to
   *  `into` (so what was read before a limit stays reachable and is checked). */
  child(depth: number, into: JValue[]): JContent {
    const mark = this.handles.length;
    try {
      return this.content(depth);
    } catch (e) {
      const c = this.partialSince(mark, e);
      if (c) into.push(c);
      throw e;
    }
  }

  /** The first object, array or enum assigned since handle `mark`, when `e` is a Stop. */
  partialSince(mark: number, e: unknown): JContent | undefined {
    if (!(e instanceof Stop)) return undefined;
    for (let i = mark; i < this.handles.length; i++) {
      const c = this.handles[i];
      if (c && (c.kind === 'object' || c.kind === 'array' || c.kind === 'enum')) return c;
    }
    return undefined;
  }

  /** classDesc: newClassDesc | TC_NULL | TC_REFERENCE (to a class descriptor). */
  classDesc(depth: number): JClassDesc | null {
    this.tick(depth);
    const offset = this.pos;
    const tc = this.u8();
    if (tc === TC_NULL) return null;
    if (tc === TC_REFERENCE) {
      const c = this.reference();
      if (c.kind !== 'classdesc')
        throw new Stop(offset, `reference to a ${c.kind} where a class descriptor is expected`);
      return c;
    }
    if (tc === TC_CLASSDESC) {
      const name = this.utf();
      this.addType(name); // as soon as the name is read: a cut stream still reports it
      const suid = this.i64().toString();
      const desc: JClassDesc = {
        kind: 'classdesc',
        name,
        suid,
        flags: 0,
        fields: [],
        annotation: [],
        superDesc: null,
        offset,
      };
      this.assign(desc);
      desc.flags = this.u8();
      const count = this.u16();
      // Each field takes at least 1 (code) + 2 (name length) bytes.
      this.need(count * 3, 'field descriptors');
      for (let i = 0; i < count; i++) {
        const fOff = this.pos;
        const code = String.fromCharCode(this.u8());
        const fname = this.utf();
        if (code === 'L' || code === '[') {
          const cn = this.content(depth + 1);
          if (cn.kind !== 'string') throw new Stop(fOff, `field ${fname}: type name is not a string`);
          desc.fields.push({ code, name: fname, className: cn.value });
        } else if (PRIM_SIZE[code] !== undefined) desc.fields.push({ code, name: fname });
        else throw new Stop(fOff, `field ${fname}: invalid type code 0x${code.charCodeAt(0).toString(16)}`);
      }
      this.annotation(depth, desc.annotation);
      desc.superDesc = this.classDesc(depth + 1);
      return desc;
    }
    if (tc === TC_PROXYCLASSDESC) {
      const desc: JClassDesc = {
        kind: 'classdesc',
        name: '(proxy)',
        suid: '0',
        flags: SC_SERIALIZABLE,
        fields: [],
        annotation: [],
        superDesc: null,
        proxy: [],
        offset,
      };
      this.assign(desc);
      const count = this.i32();
      this.need(count * 2, 'proxy interface names');
      for (let i = 0; i < count; i++) {
        const iface = this.utf();
        desc.proxy?.push(iface);
        this.addType(iface, 'java-proxy-interface');
      }
      desc.name = `(proxy: ${desc.proxy?.join(', ')})`;
      this.annotation(depth, desc.annotation);
      desc.superDesc = this.classDesc(depth + 1);
      return desc;
    }
    throw new Stop(offset, `expected a class descriptor, found 0x${tc.toString(16).padStart(2, '0')}`);
  }

  newString(tc: number, offset: number): JString {
    let len: number;
    if (tc === TC_STRING) len = this.u16();
    else {
      const l = this.i64();
      if (l < 0n || l > BigInt(this.remaining()))
        throw new Stop(this.pos - 8, `long string length ${l} exceeds the ${this.remaining()} bytes that remain`);
      len = Number(l);
    }
    this.need(len, 'string');
    const maxBytes = this.limits.maxStringLength * 3;
    const end = this.pos + Math.min(len, maxBytes);
    let value = decodeModifiedUtf8(this.b, this.pos, end);
    let truncated = false;
    if (value.length > this.limits.maxStringLength || len > maxBytes) {
      value = value.slice(0, this.limits.maxStringLength);
      truncated = true;
    }
    this.pos += len;
    const s: JString = { kind: 'string', value, offset };
    if (truncated) s.truncated = true;
    this.assign(s);
    return s;
  }

  newArray(offset: number, depth: number): JArray {
    const desc = this.classDesc(depth);
    if (!desc) throw new Stop(offset, 'array with null class descriptor');
    if (!desc.name.startsWith('[')) throw new Stop(desc.offset, `array class name ${desc.name} does not start with [`);
    const arr: JArray = { kind: 'array', desc, length: 0, elemCode: desc.name[1] ?? 'L', offset };
    this.assign(arr);
    const len = this.i32();
    if (len < 0) throw new Stop(this.pos - 4, `negative array length ${len}`);
    arr.length = len;
    const code = arr.elemCode;
    const size = PRIM_SIZE[code];
    if (size !== undefined) {
      this.need(len * size, `array of ${len} ${code}`);
      if (code === 'B') {
        arr.bytes = new Uint8Array(this.b.subarray(this.pos, this.pos + len));
        this.pos += len;
      } else {
        const prims: (number | bigint | boolean | string)[] = [];
        for (let i = 0; i < len; i++) prims.push(this.prim(code));
        arr.prims = prims;
      }
      this.records += Math.ceil(len / 64);
    } else if (code === 'L' || code === '[') {
      arr.elemCode = 'L';
      this.need(len, `array of ${len} objects`);
      arr.items = [];
      for (let i = 0; i < len; i++) arr.items.push(this.child(depth + 1, arr.items));
    } else throw new Stop(desc.offset, `invalid array class name ${desc.name}`);
    return arr;
  }

  prim(code: string): number | bigint | boolean | string {
    switch (code) {
      case 'B': {
        const v = this.u8();
        return v > 127 ? v - 256 : v;
      }
      case 'C':
        return String.fromCharCode(this.u16());
      case 'D': {
        this.need(8, 'double');
        const v = this.dv.getFloat64(this.pos);
        this.pos += 8;
        return v;
      }
      case 'F': {
        this.need(4, 'float');
        const v = this.dv.getFloat32(this.pos);
        this.pos += 4;
        return v;
      }
      case 'I':
        return this.i32();
      case 'J':
        return this.i64();
      case 'S': {
        const v = this.u16();
        return v > 32767 ? v - 65536 : v;
      }
      case 'Z':
        return this.u8() !== 0;
      default:
        throw new Stop(this.pos, `invalid primitive code ${code}`);
    }
  }

  newObject(offset: number, depth: number): JObject {
    const desc = this.classDesc(depth);
    if (!desc) throw new Stop(offset, 'object with null class descriptor');
    const obj: JObject = { kind: 'object', desc, data: [], offset };
    this.assign(obj);
    // Superclass chains are short (a Set per object was a fifth of the allocation of a scan).
    const chain: JClassDesc[] = [];
    for (let d: JClassDesc | null = desc; d; d = d.superDesc) {
      if (chain.includes(d)) throw new Stop(offset, 'cyclic superclass chain');
      chain.push(d);
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const d = chain[i] as JClassDesc;
      const cd: JClassData = { desc: d, values: [] };
      obj.data.push(cd);
      if (d.proxy) continue;
      if (d.flags & SC_EXTERNALIZABLE) {
        if (!(d.flags & SC_BLOCK_DATA))
          throw new Stop(this.pos, `${d.name}: Externalizable protocol 1 data cannot be parsed without the class`);
        cd.annotation = [];
        this.annotation(depth, cd.annotation);
      } else if (d.flags & SC_SERIALIZABLE) {
        for (const f of d.fields) {
          if (f.code === 'L' || f.code === '[') {
            const mark = this.handles.length;
            try {
              cd.values.push({ name: f.name, code: f.code, value: this.content(depth + 1) });
            } catch (e) {
              const c = this.partialSince(mark, e);
              if (c) cd.values.push({ name: f.name, code: f.code, value: c });
              throw e;
            }
          } else
            cd.values.push({
              name: f.name,
              code: f.code,
              value: { kind: 'prim', code: f.code, value: this.prim(f.code) },
            });
        }
        if (d.flags & SC_WRITE_METHOD) {
          cd.annotation = [];
          this.annotation(depth, cd.annotation);
        }
      }
    }
    return obj;
  }
}

// ---------------------------------------------------------------------------------------------
// Graph walks: strings/byte arrays with paths, and the typed tree.

const MAX_TREE_NODES = 20_000;

/** A path built lazily from parent links (only for the strings and arrays that are kept). */
interface PathNode {
  parent: PathNode | null;
  name: string;
}
function pathOf(p: PathNode | null): string[] {
  const out: string[] = [];
  for (let n = p; n; n = n.parent) out.push(n.name);
  return out.reverse();
}

function walkStrings(
  top: JContent[],
  strings: FoundString[],
  byteArrays: { path: string[]; bytes: Uint8Array }[],
  deadline: number,
): void {
  const seen = new Set<object>();
  // Parallel stacks (value, parent path, own name): no wrapper object per value, and a path node is
  // made only for a container or a kept string, not for every value walked.
  const vs: JValue[] = [];
  const ps: (PathNode | null)[] = [];
  const ns: (string | number | null)[] = [];
  const push = (v: JValue, p: PathNode | null, name: string | number | null) => {
    vs.push(v);
    ps.push(p);
    ns.push(name);
  };
  for (let i = top.length - 1; i >= 0; i--) push(top[i] as JContent, null, top.length > 1 ? `#${i}` : null);
  let n = 0;
  while (vs.length > 0) {
    const v = vs.pop() as JValue;
    const parent = ps.pop() as PathNode | null;
    const name = ns.pop() as string | number | null;
    if (v.kind === 'null' || v.kind === 'prim' || v.kind === 'reset') continue;
    if (seen.has(v)) continue;
    seen.add(v);
    if ((++n & 1023) === 0 && Date.now() > deadline) return;
    const p: PathNode | null = name === null ? parent : { parent, name: typeof name === 'number' ? `[${name}]` : name };
    switch (v.kind) {
      case 'string':
        strings.push({ path: pathOf(p), value: v.value });
        break;
      case 'block':
        if (v.bytes.length >= 8) byteArrays.push({ path: pathOf(p), bytes: v.bytes });
        break;
      case 'array':
        if (v.bytes) byteArrays.push({ path: pathOf(p), bytes: v.bytes });
        if (v.items) for (let i = v.items.length - 1; i >= 0; i--) push(v.items[i] as JValue, p, i);
        break;
      case 'enum':
        strings.push({ path: pathOf(p), value: v.constant });
        break;
      case 'exception':
        push(v.value, p, '(exception)');
        break;
      case 'classdesc':
        for (let i = v.annotation.length - 1; i >= 0; i--)
          push(v.annotation[i] as JContent, { parent: p, name: `(classAnnotation ${v.name})` }, `${i}`);
        if (v.superDesc) push(v.superDesc, p, null);
        break;
      case 'class':
        push(v.desc, p, null);
        break;
      case 'object': {
        if (!seen.has(v.desc)) push(v.desc, p, null);
        for (let ci = v.data.length - 1; ci >= 0; ci--) {
          const cd = v.data[ci] as JClassData;
          const ann = cd.annotation;
          if (ann)
            for (let i = ann.length - 1; i >= 0; i--) {
              const a = ann[i] as JContent;
              if (a.kind !== 'null') push(a, p, `@${i}`);
            }
          for (let i = cd.values.length - 1; i >= 0; i--) {
            const fv = cd.values[i] as { name: string; value: JValue };
            const k = fv.value.kind;
            if (k !== 'prim' && k !== 'null') push(fv.value, p, fv.name);
          }
        }
        break;
      }
    }
  }
}

function primValue(v: number | bigint | boolean | string): string | number | boolean {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  return v;
}

const PRIM_NAMES: Record<string, string> = {
  B: 'byte',
  C: 'char',
  D: 'double',
  F: 'float',
  I: 'int',
  J: 'long',
  S: 'short',
  Z: 'boolean',
};

function buildTree(top: JContent[], handlesOf: Map<object, number>): TreeNode {
  let count = 0;
  const shown = new Set<object>();
  const node = (label: string, v: JValue, depth: number): TreeNode => {
    count++;
    if (count > MAX_TREE_NODES) return { label, value: '… (tree truncated)' };
    if (v.kind === 'prim') return { label, type: PRIM_NAMES[v.code] ?? v.code, value: primValue(v.value) };
    if (v.kind === 'null') return { label, value: null };
    if (v.kind === 'reset') return { label, type: 'TC_RESET', offset: v.offset };
    const h = handlesOf.get(v);
    const hs = h === undefined ? '' : ` #${h}`;
    if (shown.has(v) || depth > 200) {
      const t = v.kind === 'classdesc' ? v.name : v.kind === 'block' ? 'blockdata' : 'desc' in v ? v.desc.name : v.kind;
      return { label, type: t, value: `→ ref${hs}` };
    }
    shown.add(v);
    switch (v.kind) {
      case 'string':
        return { label, type: 'java.lang.String', value: v.value, offset: v.offset };
      case 'block':
        return { label, type: `blockdata[${v.bytes.length}]`, value: hexPreview(v.bytes), offset: v.offset };
      case 'enum':
        return { label, type: v.desc.name, value: v.constant, offset: v.offset };
      case 'class':
        return { label, type: 'java.lang.Class', value: v.desc.name, offset: v.offset };
      case 'exception':
        return { label, type: 'TC_EXCEPTION', offset: v.offset, children: [node('throwable', v.value, depth + 1)] };
      case 'classdesc': {
        const children: TreeNode[] = v.annotation.map((a, i) => node(`classAnnotation[${i}]`, a, depth + 1));
        if (v.superDesc) children.push(node('super', v.superDesc, depth + 1));
        return { label, type: 'classdesc', value: v.name, offset: v.offset, children };
      }
      case 'array': {
        const children: TreeNode[] = [];
        if (v.bytes)
          return { label, type: `${v.desc.name}`, value: `${v.length} bytes ${hexPreview(v.bytes)}`, offset: v.offset };
        if (v.prims) {
          const list = v.prims.slice(0, 32).map((p) => String(primValue(p)));
          return {
            label,
            type: v.desc.name,
            value: `[${list.join(', ')}${v.prims.length > 32 ? ', …' : ''}] (${v.length})`,
            offset: v.offset,
          };
        }
        (v.items ?? []).forEach((it, i) => {
          children.push(node(`[${i}]`, it, depth + 1));
        });
        return { label, type: `${v.desc.name}${hs}`, offset: v.offset, children };
      }
      case 'object': {
        const children: TreeNode[] = [];
        for (const cd of v.data) {
          const prefix = v.data.length > 1 && cd.desc !== v.desc ? `${shortName(cd.desc.name)}.` : '';
          for (const fv of cd.values) children.push(node(`${prefix}${fv.name}`, fv.value, depth + 1));
          if (cd.annotation) {
            cd.annotation.forEach((a, i) => {
              children.push(node(`${prefix}@writeObject[${i}]`, a, depth + 1));
            });
          }
        }
        const out: TreeNode = { label, type: `${v.desc.name}${hs}`, offset: v.offset, children };
        if (v.desc.name === 'java.util.Date') {
          const d = scalar(v);
          if (d && typeof d === 'object' && d.summary) out.value = d.summary;
        }
        return out;
      }
    }
  };
  if (top.length === 1) return node('root', top[0] as JContent, 0);
  return { label: 'stream', type: 'java-serialization', children: top.map((t, i) => node(`#${i}`, t, 0)) };
}

function shortName(n: string): string {
  const i = n.lastIndexOf('.');
  return i >= 0 ? n.slice(i + 1) : n;
}

export function hexPreview(b: Uint8Array, max = 16): string {
  let s = '';
  for (let i = 0; i < Math.min(b.length, max); i++) s += (b[i] as number).toString(16).padStart(2, '0');
  return b.length > max ? `${s}…` : s;
}

/**
 * Define `tree` as a lazily built, cached, writable property: only inspect-blob reads the tree, so the
 * scan does not pay for it (about a third of the Java decode time). A failing build yields a
 * placeholder node instead of a throw.
 */
export function defineLazyTree(obj: { tree?: TreeNode }, build: () => TreeNode | undefined): void {
  let built = false;
  let cached: TreeNode | undefined;
  Object.defineProperty(obj, 'tree', {
    enumerable: true,
    configurable: true,
    get() {
      if (!built) {
        built = true;
        try {
          cached = build();
        } catch (e) {
          cached = { label: 'tree', value: `(tree could not be built: ${e instanceof Error ? e.message : String(e)})` };
        }
      }
      return cached;
    },
    set(v: TreeNode | undefined) {
      built = true;
      cached = v;
    },
  });
}

function isObjectContent(c: JContent): boolean {
  return c.kind === 'object' || c.kind === 'array' || c.kind === 'enum';
}

/** The SerialDOS shape: java.util.HashSet/HashMap/Hashtable nested through shared references. */
function javaExpansion(top: JContent[], hashedCount: number, cutAtDepth: boolean): ExpansionFinding | undefined {
  const roots = top.filter((c) => c.kind === 'object' || c.kind === 'array');
  if (roots.length === 0) return undefined;
  // Cheap gate: the shape needs hash-based collections nested at least 3 deep, so at least 3 of them.
  if (hashedCount < 3) return undefined;
  type N = JObject | JArray;
  const push = (out: N[], v: JValue) => {
    if (v.kind === 'object' || v.kind === 'array') out.push(v);
  };
  return detectExpansion<N>(
    roots as N[],
    {
      children(n) {
        const out: N[] = [];
        if (n.kind === 'array') {
          if (n.items) for (const it of n.items) push(out, it);
          return out;
        }
        for (const d of n.data) {
          for (const v of d.values) push(out, v.value);
          if (d.annotation) for (const a of d.annotation) push(out, a);
        }
        return out;
      },
      hashName(n) {
        return n.kind === 'object' && isHashedCollection(n.desc.name) ? n.desc.name : undefined;
      },
    },
    { cutAtDepth },
  );
}

/** Parse a Java serialization stream. Never throws for any input. */
export function parseJava(bytes: Uint8Array, limits: Limits): FormatResult {
  const r = new JavaReader(bytes, limits);
  const res: FormatResult = { format: 'java', types: r.types, entries: [], strings: [], byteArrays: [] };
  try {
    r.stream();
  } catch (e) {
    if (e instanceof Stop && !e.limit && r.top.some(isObjectContent)) {
      // ObjectInputStream.readObject reads the first object and stops there: bytes that do not
      // form another complete content are not malformed, but data hidden after the payload (QA-B08).
      res.trailing = trailingBytes(bytes, r.contentStart);
    } else {
      if (e instanceof Stop) {
        res.malformed = { offset: e.offset, reason: e.reason };
        if (e.limit) res.limited = e.limit;
      } else if (e instanceof RangeError) {
        res.malformed = { offset: r.pos, reason: `parser stopped: ${e.message}` };
        res.limited = 'depth';
      } else {
        res.malformed = { offset: r.pos, reason: `parser error: ${e instanceof Error ? e.message : String(e)}` };
      }
      if (r.partial && !r.top.includes(r.partial)) r.top.push(r.partial);
    }
  }
  if (r.top.length === 0 && !res.malformed) res.malformed = { offset: r.pos, reason: 'no content after the header' };
  const post = (what: string, f: () => void) => {
    try {
      f();
    } catch (e) {
      res.malformed ??= { offset: r.pos, reason: `${what} failed: ${e instanceof Error ? e.message : String(e)}` };
    }
  };
  post('expansion', () => {
    const dos = javaExpansion(r.top, r.hashedCount, res.limited?.startsWith('depth') === true);
    if (dos) res.denialOfService = dos;
  });
  post('string walk', () => walkStrings(r.top, res.strings, res.byteArrays, limits.deadline + 500));
  defineLazyTree(res, () => buildTree(r.top, new Map()));
  post('Quartz views', () => {
    const first = r.top.find((t) => t.kind !== 'block' && t.kind !== 'reset');
    if (first) {
      const views = javaViews(first);
      res.entries = views.entries;
      if (views.quartzObject) res.quartzObject = views.quartzObject;
    }
  });
  return res;
}
