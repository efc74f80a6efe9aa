/**
 * Java Object Serialization stream reader (Java Object Serialization Specification, ch. 6, the
 * stream grammar): bytes → the plain graph of src/decode/java-types.ts. Parse, never deserialize.
 * Every declared length is checked against the bytes that remain before anything is allocated;
 * nesting, records and time are bounded; a violation stops the read with a `malformed` offset while
 * keeping everything read so far (the top-level object being read included). Back-references
 * resolve to the same graph node (the handle table), so shared objects and cycles stay shared,
 * never copied.
 */
import type { TypeRef } from '../model.js';
import { isHashedCollection } from './expansion.js';
import {
  type JArray,
  type JBlock,
  type JClassData,
  type JClassDesc,
  type JClassObj,
  type JContent,
  type JEnum,
  type JFieldDesc,
  type JFieldValue,
  type JNull,
  type JObject,
  type JString,
  type JValue,
  MAP_CLASSES,
  SC_BLOCK_DATA,
  SC_EXTERNALIZABLE,
  SC_SERIALIZABLE,
  SC_WRITE_METHOD,
} from './java-types.js';
import type { Limits } from './types.js';

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

const PRIM_SIZE: Record<string, number> = { B: 1, C: 2, D: 8, F: 4, I: 4, J: 8, S: 2, Z: 1 };

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
/** The values of a class with no fields (shared: never written to). */
const NO_VALUES: JFieldValue[] = Object.freeze([]) as unknown as JFieldValue[];
/** The class data of an object before its chain is known (shared: never written to). */
const NO_DATA: JClassData[] = Object.freeze([]) as unknown as JClassData[];

/** ASCII-only input (checked by the caller): windows-1252 and Latin-1 agree below 0x80. */
const latin1 = new TextDecoder('latin1');

/** Decode Java "modified UTF-8" leniently (invalid sequences become U+FFFD). */
export function decodeModifiedUtf8(b: Uint8Array, start: number, end: number): string {
  // Bytes below 0x80 (a raw NUL included, which decodeNonAscii keeps as U+0000 too) are their own code
  // unit: one test per byte.
  for (let i = start; i < end; i++) if ((b[i] as number) >= 0x80) return decodeNonAscii(b, start, end);
  return asciiSlice(b, start, end);
}

/** ASCII bytes as a string. Short: String.fromCharCode over the bytes (cheaper than a native call); long: one native slice. */
function asciiSlice(b: Uint8Array, start: number, end: number): string {
  // Up to 12 characters a concatenation makes a flat string (from 13 on it makes a rope).
  if (end - start <= 12) {
    let out = '';
    for (let i = start; i < end; i++) out += String.fromCharCode(b[i] as number);
    return out;
  }
  if (b instanceof Buffer) return LATIN1_SLICE ? LATIN1_SLICE.call(b, start, end) : b.toString('latin1', start, end);
  return latin1.decode(b.subarray(start, end));
}
/** Buffer's native latin1 slice, which toString('latin1', …) ends in, without toString's argument handling. */
const LATIN1_SLICE = (Buffer.prototype as { latin1Slice?: (start: number, end: number) => string }).latin1Slice;

/**
 * Short ASCII strings, interned by their bytes in a direct-mapped table: class and field names and
 * JobDataMap keys repeat from blob to blob, and a hit makes no new string (making short strings
 * was the largest part of the reader's time). A slot holds the last string that hashed to it: at
 * most 4,096 strings of at most 128 bytes stay in memory, and nothing reads them but this reader.
 * Only names (class, field, field type and proxy interface names) and the string keys of the java.util maps
 * (MAP_CLASSES) are interned, never another string: the table outlives the blob, and a short
 * value (a password) must not stay reachable for the life of the process.
 */
const INTERN_SLOTS = 4096;
/** Names: interned up to this many bytes. */
const NAME_INTERN = 128;
/** Map keys: interned up to this many bytes. */
const KEY_INTERN = 32;

/** Whether `s` is in the intern table now (for tests: what outlives a decode). */
export function isInterned(s: string): boolean {
  return s !== '' && interned.includes(s);
}
const interned: string[] = new Array<string>(INTERN_SLOTS).fill('');

/**
 * decodeModifiedUtf8 with short ASCII strings (at most `maxIntern` bytes) taken from the intern
 * table: the same string for the same bytes.
 */
function decodeJavaString(b: Uint8Array, start: number, end: number, maxIntern: number): string {
  const n = end - start;
  if (n > maxIntern) return decodeModifiedUtf8(b, start, end);
  if (n === 0) return '';
  // The slot: a hash of the length and five of the bytes. A hit is compared byte by byte, which
  // also proves the bytes ASCII (only ASCII strings are interned).
  let h = Math.imul(n ^ (b[start] as number), 0x01000193);
  h = Math.imul(h ^ (b[end - 1] as number), 0x01000193);
  h = Math.imul(h ^ (b[start + (n >> 1)] as number), 0x01000193);
  h = Math.imul(h ^ (b[start + (n > 1 ? 1 : 0)] as number), 0x01000193);
  h = Math.imul(h ^ (b[end - (n > 1 ? 2 : 1)] as number), 0x01000193);
  const slot = (h ^ (h >>> 15)) & (INTERN_SLOTS - 1);
  const hit = interned[slot] as string;
  if (hit.length === n) {
    let i = 0;
    while (i < n && hit.charCodeAt(i) === b[start + i]) i++;
    if (i === n) return hit;
  }
  for (let i = start; i < end; i++) {
    const c = b[i] as number;
    if (c === 0 || c >= 0x80) return decodeNonAscii(b, start, end);
  }
  const s = asciiSlice(b, start, end);
  interned[slot] = s;
  return s;
}

/** The general case of decodeModifiedUtf8 (any byte). */
function decodeNonAscii(b: Uint8Array, start: number, end: number): string {
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
  /** For 64-bit and floating-point values only (made on first use). */
  private dvMade: DataView | undefined;

  readonly b: Uint8Array;
  constructor(
    bytes: Uint8Array,
    readonly limits: Limits,
  ) {
    // A Buffer view of the same memory: latin1Slice decodes ASCII strings natively.
    this.b = bytes instanceof Buffer ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get dv(): DataView {
    this.dvMade ??= new DataView(this.b.buffer, this.b.byteOffset, this.b.byteLength);
    return this.dvMade;
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
    const b = this.b;
    const p = this.pos;
    const v = ((b[p] as number) << 8) | (b[p + 1] as number);
    this.pos += 2;
    return v;
  }
  i32(): number {
    this.need(4, 'i32');
    const b = this.b;
    const p = this.pos;
    // Big-endian; `<< 24` makes it signed like DataView.getInt32.
    const v =
      ((b[p] as number) << 24) | ((b[p + 1] as number) << 16) | ((b[p + 2] as number) << 8) | (b[p + 3] as number);
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
    // Class, field and interface names: interned up to 128 bytes.
    const s = decodeJavaString(this.b, this.pos, this.pos + len, NAME_INTERN);
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
    if (c.kind === 'object') {
      // Asked once per descriptor (a proxy descriptor's name changes once, after its interfaces).
      const d = c.desc;
      if (d.hashedName !== d.name) {
        d.hashedName = d.name;
        d.hashed = isHashedCollection(d.name);
      }
      if (d.hashed) this.hashedCount++;
    }
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
    return { kind: 'block', bytes, offset, mark: 0 };
  }

  /**
   * objectAnnotation / classAnnotation: contents and block data until TC_ENDBLOCKDATA. `mapKeys`: the writeObject
   * data of a map class (MAP_CLASSES), key first: a key that is a string (every other content, block data not
   * counted) is read with the intern table.
   */
  annotation(depth: number, into: JContent[], mapKeys = false): void {
    let key = mapKeys;
    for (;;) {
      this.need(1, 'annotation (missing TC_ENDBLOCKDATA)');
      const tc = this.b[this.pos] as number;
      if (tc === TC_ENDBLOCKDATA) {
        this.pos++;
        return;
      }
      if (tc === TC_BLOCKDATA || tc === TC_BLOCKDATALONG) {
        into.push(this.block());
        continue;
      }
      if (key && tc === TC_STRING) {
        // What content() does for TC_STRING (a string read stops with no partial object to keep).
        this.tick(depth + 1);
        const offset = this.pos++;
        into.push(this.newString(tc, offset, KEY_INTERN));
      } else into.push(this.child(depth + 1, into));
      if (mapKeys) key = !key;
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
        return this.newString(tc, offset, 0);
      case TC_ARRAY:
        return this.newArray(offset, depth);
      case TC_CLASS: {
        const desc = this.classDesc(depth);
        if (!desc) throw new Stop(offset, 'TC_CLASS with null descriptor');
        const c: JClassObj = { kind: 'class', desc, offset, mark: 0 };
        this.assign(c);
        return c;
      }
      case TC_ENUM: {
        const desc = this.classDesc(depth);
        if (!desc) throw new Stop(offset, 'TC_ENUM with null descriptor');
        const e: JEnum = { kind: 'enum', desc, constant: '', offset, mark: 0 };
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
        return { kind: 'exception', value, offset, mark: 0 };
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
      const suid = this.i64();
      const desc = newClassDesc(name, suid, 0, undefined, offset);
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
          // The field's type name: a name, interned like the others (what content() does for TC_STRING).
          let cn: JContent;
          if (this.b[this.pos] === TC_STRING) {
            this.tick(depth + 1);
            const offset = this.pos++;
            cn = this.newString(TC_STRING, offset, NAME_INTERN);
          } else cn = this.content(depth + 1);
          if (cn.kind !== 'string') throw new Stop(fOff, `field ${fname}: type name is not a string`);
          desc.fields.push({ code, name: fname, className: cn.value });
        } else if (PRIM_SIZE[code] !== undefined) desc.fields.push({ code, name: fname });
        else throw new Stop(fOff, `field ${fname}: invalid type code 0x${code.charCodeAt(0).toString(16)}`);
      }
      this.annotation(depth, desc.annotation);
      desc.superDesc = this.classDesc(depth + 1);
      desc.done = true;
      return desc;
    }
    if (tc === TC_PROXYCLASSDESC) {
      const desc = newClassDesc('(proxy)', 0n, SC_SERIALIZABLE, [], offset);
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
      desc.done = true;
      return desc;
    }
    throw new Stop(offset, `expected a class descriptor, found 0x${tc.toString(16).padStart(2, '0')}`);
  }

  /** A string content; its value is taken from the intern table when it has at most `maxIntern` bytes. */
  newString(tc: number, offset: number, maxIntern: number): JString {
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
    let value =
      maxIntern > 0 ? decodeJavaString(this.b, this.pos, end, maxIntern) : decodeModifiedUtf8(this.b, this.pos, end);
    let truncated = false;
    if (value.length > this.limits.maxStringLength || len > maxBytes) {
      value = value.slice(0, this.limits.maxStringLength);
      truncated = true;
    }
    this.pos += len;
    const s: JString = { kind: 'string', value, offset, mark: 0 };
    if (truncated) s.truncated = true;
    this.assign(s);
    return s;
  }

  newArray(offset: number, depth: number): JArray {
    const desc = this.classDesc(depth);
    if (!desc) throw new Stop(offset, 'array with null class descriptor');
    if (!desc.name.startsWith('[')) throw new Stop(desc.offset, `array class name ${desc.name} does not start with [`);
    const arr: JArray = {
      kind: 'array',
      desc,
      length: 0,
      elemCode: desc.name[1] ?? 'L',
      bytes: undefined,
      prims: undefined,
      items: undefined,
      offset,
      mark: 0,
    };
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

  /** The class chain of `desc`, root class first; cached on the descriptor once all of it is read. */
  chainOf(desc: JClassDesc, offset: number): JClassDesc[] {
    if (desc.chain) return desc.chain;
    // Superclass chains are short (a Set per object was a fifth of the allocation of a scan).
    const chain: JClassDesc[] = [];
    let done = true;
    for (let d: JClassDesc | null = desc; d; d = d.superDesc) {
      if (chain.includes(d)) throw new Stop(offset, 'cyclic superclass chain');
      chain.push(d);
      if (!d.done) done = false;
    }
    chain.reverse();
    // An object read inside its own class descriptor's annotation sees the chain as read so far.
    if (done) desc.chain = chain;
    return chain;
  }

  newObject(offset: number, depth: number): JObject {
    const desc = this.classDesc(depth);
    if (!desc) throw new Stop(offset, 'object with null class descriptor');
    const obj: JObject = { kind: 'object', desc, data: NO_DATA, offset, mark: 0 };
    this.assign(obj);
    const chain = this.chainOf(desc, offset);
    // Arrays of their final size ([] grows to 17 slots on its first push); cut to what was read
    // when a stop happens inside.
    const data: JClassData[] = new Array(chain.length);
    obj.data = data;
    let i = 0;
    try {
      for (; i < chain.length; i++) this.classData(chain[i] as JClassDesc, data, i, depth);
    } catch (e) {
      data.length = i + 1;
      throw e;
    }
    return obj;
  }

  /** The class data of `d` in an object, stored at data[i]. */
  classData(d: JClassDesc, data: JClassData[], i: number, depth: number): void {
    // A class that contributes nothing (no fields, no writeObject data, e.g. java.lang.Number) has one
    // shared class data once its descriptor is read to the end (class data is never written after).
    if (
      d.done &&
      (d.proxy ||
        !(d.flags & (SC_SERIALIZABLE | SC_EXTERNALIZABLE)) ||
        (!(d.flags & SC_EXTERNALIZABLE) && d.fields.length === 0 && !(d.flags & SC_WRITE_METHOD)))
    ) {
      d.emptyData ??= { desc: d, values: NO_VALUES, annotation: undefined };
      data[i] = d.emptyData;
      return;
    }
    const cd: JClassData = { desc: d, values: NO_VALUES, annotation: undefined };
    data[i] = cd;
    if (d.proxy) return;
    if (d.flags & SC_EXTERNALIZABLE) {
      if (!(d.flags & SC_BLOCK_DATA))
        throw new Stop(this.pos, `${d.name}: Externalizable protocol 1 data cannot be parsed without the class`);
      cd.annotation = [];
      this.annotation(depth, cd.annotation);
    } else if (d.flags & SC_SERIALIZABLE) {
      const fields = d.fields;
      const n = fields.length;
      if (n > 0) {
        const values: JFieldValue[] = new Array(n);
        cd.values = values;
        let fi = 0;
        try {
          for (; fi < n; fi++) {
            const code = (fields[fi] as JFieldDesc).code;
            if (code === 'L' || code === '[') {
              const mark = this.handles.length;
              try {
                values[fi] = this.content(depth + 1);
              } catch (e) {
                const c = this.partialSince(mark, e);
                if (c) values[fi++] = c;
                throw e;
              }
            } else values[fi] = this.prim(code);
          }
        } catch (e) {
          values.length = fi;
          throw e;
        }
      }
      if (d.flags & SC_WRITE_METHOD) {
        cd.annotation = [];
        this.annotation(depth, cd.annotation, MAP_CLASSES.has(d.name));
      }
    }
  }
}

/** A class descriptor as it is first registered: every property present from the start, so all share one shape
 *  (a proxy descriptor adds its interface list). */
function newClassDesc(
  name: string,
  suid: bigint,
  flags: number,
  proxy: string[] | undefined,
  offset: number,
): JClassDesc {
  const desc: JClassDesc = {
    kind: 'classdesc',
    name,
    suid,
    flags,
    fields: [],
    annotation: [],
    superDesc: null,
    offset,
    mark: 0,
    done: false,
    chain: undefined,
    hashedName: undefined,
    hashed: false,
    emptyData: undefined,
  };
  if (proxy) desc.proxy = proxy;
  return desc;
}

function isObjectContent(c: JContent): boolean {
  return c.kind === 'object' || c.kind === 'array' || c.kind === 'enum';
}

/** What the reader learned from one stream; everything read before a stop is kept. */
export interface JavaStream {
  /** Top-level contents in stream order (block data and resets included). */
  top: JContent[];
  /** Class names (and proxy interfaces) in the order they were first read. */
  types: TypeRef[];
  /** Offset the reader reached: the end of the stream, or where it stopped. */
  end: number;
  /** Hash-based collection objects read (gate of the SerialDOS detection). */
  hashedCount: number;
  /**
   * Set when a fault (not a limit) stops the read after a complete top-level object: the start of
   * the bytes that do not form another complete content. ObjectInputStream.readObject reads the
   * first object and stops there, so they are not malformed but data hidden after the payload (QA-B08).
   */
  trailingFrom?: number;
  malformed?: { offset: number; reason: string };
  limited?: string;
}

/** Read a Java serialization stream into its graph. Never throws for any input. */
export function readJava(bytes: Uint8Array, limits: Limits): JavaStream {
  const r = new JavaReader(bytes, limits);
  const out: JavaStream = { top: r.top, types: r.types, end: 0, hashedCount: 0 };
  try {
    r.stream();
  } catch (e) {
    if (e instanceof Stop && !e.limit && r.top.some(isObjectContent)) {
      out.trailingFrom = r.contentStart;
    } else {
      if (e instanceof Stop) {
        out.malformed = { offset: e.offset, reason: e.reason };
        if (e.limit) out.limited = e.limit;
      } else if (e instanceof RangeError) {
        out.malformed = { offset: r.pos, reason: `parser stopped: ${e.message}` };
        out.limited = 'depth';
      } else {
        out.malformed = { offset: r.pos, reason: `parser error: ${e instanceof Error ? e.message : String(e)}` };
      }
      if (r.partial && !r.top.includes(r.partial)) r.top.push(r.partial);
    }
  }
  out.end = r.pos;
  out.hashedCount = r.hashedCount;
  if (r.top.length === 0 && !out.malformed) out.malformed = { offset: r.pos, reason: 'no content after the header' };
  return out;
}
