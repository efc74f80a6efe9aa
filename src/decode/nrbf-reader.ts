/**
 * MS-NRBF (.NET BinaryFormatter) stream reader: bytes → NrbfGraph. Parse, never deserialize.
 *
 * No recursion: nested records are read with an explicit frame stack (hostile streams nest 10,000
 * deep). Declared lengths are checked against the bytes that remain before anything is allocated;
 * null runs are kept compressed, so a 20-byte stream declaring 2^31 elements costs nothing.
 * Any violation stops the read with `malformed` and keeps everything learned so far.
 */

import { isoSeconds } from './civil-time.js';
import {
  type ArrayShape,
  BT,
  type ClassMeta,
  type MemberType,
  type NArray,
  type NClass,
  type NObj,
  type NrbfGraph,
  type NValue,
  ObjectTable,
  type PrimValue,
} from './nrbf-graph.js';
import type { Limits } from './types.js';

const MAX_ARRAY_LENGTH = 2_147_483_591;
/** 2^(7i): the weight of the i-th byte of a 7-bit-encoded length. */
const LENGTH_SCALE = [1, 128, 16_384, 2_097_152];
const SHAPES: ArrayShape[] = ['Single', 'Jagged', 'Rectangular', 'SingleOffset', 'JaggedOffset', 'RectangularOffset'];
/** Fixed wire sizes of primitives; Char (3) and Decimal (5) are variable, minimum 1. */
const PRIM_SIZE: Record<number, number> = {
  1: 1,
  2: 1,
  3: 1,
  5: 1,
  6: 8,
  7: 2,
  8: 4,
  9: 8,
  10: 1,
  11: 4,
  12: 8,
  13: 8,
  14: 2,
  15: 4,
  16: 8,
};
const TICKS_UNIX_EPOCH = 621_355_968_000_000_000n;
const MAX_TICKS = 3_155_378_975_999_999_999n;
const KIND_NAMES = ['Unspecified', 'Utc', 'Local', 'Local'] as const;

/** MessageFlags (MS-NRBF 2.2.1.1). */
const MF_ARGS_INLINE = 0x2;
const MF_CONTEXT_INLINE = 0x20;
const MF_RETURN_VALUE_INLINE = 0x800;

export class NrbfError extends Error {
  constructor(
    readonly offset: number,
    reason: string,
  ) {
    super(reason);
  }
}

class Limited extends Error {}

/** Placeholder of an object's `obj` field until it points at the object itself (same field, same shape). */
const SELF = null as unknown as NObj;

/** The member type of untyped class records (read only, never handed out). */
const UNTYPED: MemberType = Object.freeze({ bt: BT.Object });

interface Frame {
  obj: NClass | NArray;
  /** Class member types (null = untyped record); for arrays: undefined, use elementType. */
  types: MemberType[] | null | undefined;
  total: number;
  filled: number;
  /** Values stored so far (a null run fills several members with one value). */
  stored: number;
}

/** Classes with at most this many members get their values array at its final size up front (a first
 *  push would give it room for 16). Bounded so that a ClassWithId record of a few bytes cannot
 *  allocate a large array for a class declaring many members. */
const PRESIZE_MAX = 16;

/** Cut a presized values array to the values stored (when a null run or the end of the stream left
 *  slots unused): the array then holds exactly what was read, as one grown by pushes would. */
function settle(f: Frame): void {
  if (f.obj.values.length > f.stored) f.obj.values.length = f.stored;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Values that carry no per-record data are shared, read only (not frozen: a frozen object has a
 *  map of its own, and every `v.t` site reading both would turn polymorphic): no object per null,
 *  Boolean or small Int32. */
const NULL_VALUE: NValue = { t: 'null' };
const TRUE_VALUE: PrimValue = { t: 'prim', ptype: 1, v: true };
const FALSE_VALUE: PrimValue = { t: 'prim', ptype: 1, v: false };
/** Int32 values 0..255 (versions, sizes, counts, enum values). */
const INT32_VALUES: PrimValue[] = Array.from({ length: 256 }, (_, v): PrimValue => ({ t: 'prim', ptype: 8, v }));

/** Format .NET DateTime wire bits: ticks in bits 0–61, Kind in bits 62–63. */
export function formatDateTime(raw: bigint): string {
  const kind = Number(raw >> 62n) & 3;
  const ticks = raw & ((1n << 62n) - 1n);
  if (ticks > MAX_TICKS) return `invalid DateTime ticks=${ticks} kind=${KIND_NAMES[kind]}`;
  const ms = (ticks - TICKS_UNIX_EPOCH) / 10_000n - (ticks < TICKS_UNIX_EPOCH && ticks % 10_000n !== 0n ? 1n : 0n);
  const frac = (ticks % 10_000_000n).toString().padStart(7, '0');
  // toISOString ends in `.mmmZ` for every year a DateTime can hold (0001–9999): swap in the 7 digits.
  const iso = `${new Date(Number(ms)).toISOString().slice(0, -5)}.${frac}`;
  return kind === 1 ? `${iso}Z` : kind === 0 ? iso : `${iso} (Local)`;
}

/** Ticks' high 32 bits (Kind masked off) below this: the ticks are below MAX_TICKS (734,668,917 × 2^32 ≤ MAX_TICKS). */
const FAST_TICKS_HI = 734_000_000;
/** Unix epoch in milliseconds since 0001-01-01 (TICKS_UNIX_EPOCH / 10,000). */
const MS_UNIX_EPOCH = 62_135_596_800_000;

/**
 * formatDateTime of the wire bits given as two unsigned 32-bit halves, in Number arithmetic (a
 * BigInt division and remainder per DateTime cost about a microsecond). Every intermediate value
 * stays below 2^53; ticks near the top of the range (and invalid ones) go to formatDateTime.
 */
export function formatDateTimeHalves(lo: number, hi: number): string {
  const tHi = hi & 0x3fffffff; // ticks = tHi × 2^32 + lo
  if (tHi >= FAST_TICKS_HI) return formatDateTime((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
  const kind = hi >>> 30;
  // q = floor(ticks / 10,000) in two steps: tHi = q1 × 10,000 + r1; rest = r1 × 2^32 + lo < 10,000 × 2^32.
  const r1 = tHi % 10_000;
  const q1 = (tHi - r1) / 10_000;
  const rest = r1 * 4_294_967_296 + lo;
  const q2 = Math.floor(rest / 10_000);
  const q = q1 * 4_294_967_296 + q2;
  // TICKS_UNIX_EPOCH is a multiple of 10,000: floor((ticks - epoch) / 10,000) = q - MS_UNIX_EPOCH,
  // which is what formatDateTime's truncation and its correction below the epoch compute.
  const ms = q - MS_UNIX_EPOCH;
  // ticks % 10^7 = (q % 1,000) × 10,000 + ticks % 10,000; q % 1,000 from q1 and q2 (2^32 % 1,000 = 296).
  const qMod = ((q1 % 1_000) * 296 + (q2 % 1_000)) % 1_000;
  const frac = String(qMod * 10_000 + (rest % 10_000)).padStart(7, '0');
  const iso = `${isoSeconds(ms)}.${frac}`;
  return kind === 1 ? `${iso}Z` : kind === 0 ? iso : `${iso} (Local)`;
}

/** Format TimeSpan ticks like .NET's constant ("c") format: [-][d.]hh:mm:ss[.fffffff]. */
export function formatTimeSpan(ticks: bigint): string {
  const neg = ticks < 0n;
  let t = neg ? -ticks : ticks;
  const frac = t % 10_000_000n;
  t /= 10_000_000n;
  const s = t % 60n;
  t /= 60n;
  const m = t % 60n;
  t /= 60n;
  const h = t % 24n;
  const d = t / 24n;
  const p2 = (x: bigint) => x.toString().padStart(2, '0');
  return `${neg ? '-' : ''}${d > 0n ? `${d}.` : ''}${p2(h)}:${p2(m)}:${p2(s)}${frac > 0n ? `.${frac.toString().padStart(7, '0')}` : ''}`;
}

type Latin1 = Buffer & { latin1Slice(start: number, end: number): string };
type Utf8 = Buffer & { utf8Slice(start: number, end: number): string };

/**
 * A UTF-8 string value: Buffer#utf8Slice (native, with an ASCII fast path; no subarray, no JS loop
 * over the bytes). It replaces invalid sequences exactly as TextDecoder does (checked on 2,000,000
 * random short sequences) except for a leading BOM, which TextDecoder drops: those go to TextDecoder.
 */
function utf8String(b: Buffer, start: number, end: number): string {
  if (b[start] === 0xef && b[start + 1] === 0xbb && b[start + 2] === 0xbf && end - start >= 3)
    return utf8.decode(b.subarray(start, end));
  return (b as Utf8).utf8Slice(start, end);
}

/**
 * Names (class, member, library and type names) repeat in every blob of a store: ASCII names up to
 * INTERN_MAX bytes are looked up in a direct-mapped table by a hash of their length and of at most
 * 16 of their bytes, and compared with the stored name's bytes natively (Buffer#compare), so the
 * same string object comes back (no new string, and its hash for the Maps and Sets the views use is
 * already computed). A slot holds the last name that hashed there. Type names run to 200 bytes
 * (generic arguments with full assembly names): hashing and comparing them byte by byte in
 * JavaScript was a tenth of the decode.
 */
const INTERN_MAX = 1024;
const INTERN_SLOTS = 4096;
const internTable: (string | undefined)[] = new Array(INTERN_SLOTS).fill(undefined);
const internBytes: (Buffer | undefined)[] = new Array(INTERN_SLOTS).fill(undefined);

function internedName(b: Buffer, start: number, end: number): string {
  const len = end - start;
  let h = Math.imul(0x811c9dc5 ^ len, 0x01000193);
  const step = len > 16 ? len >>> 4 : 1;
  for (let i = start; i < end; i += step) h = Math.imul(h ^ (b[i] as number), 0x01000193);
  h = Math.imul(h ^ (b[end - 1] ?? 0), 0x01000193);
  const slot = (h >>> 0) & (INTERN_SLOTS - 1);
  const cand = internTable[slot];
  // A stored name is ASCII: equal bytes mean an ASCII name equal to it. Up to 64 bytes a loop
  // compares faster than a native call (Buffer#compare costs about 70 ns whatever the length).
  if (cand !== undefined && cand.length === len) {
    const stored = internBytes[slot] as Buffer;
    if (len <= 64) {
      let i = 0;
      while (i < len && stored[i] === b[start + i]) i++;
      if (i === len) return cand;
    } else if (b.compare(stored, 0, len, start, end) === 0) return cand;
  }
  for (let i = start; i < end; i++) if ((b[i] as number) >= 0x80) return utf8.decode(b.subarray(start, end));
  const s = (b as Latin1).latin1Slice(start, end);
  internTable[slot] = s;
  internBytes[slot] = Buffer.from(b.subarray(start, end));
  return s;
}

/**
 * String values of at most SHORT_MAX bytes (map keys, flags, names, short values) repeat from blob to
 * blob too: an ASCII one is looked up in a direct-mapped table by a hash of all its bytes and
 * compared byte by byte with the stored copy (in one arena, no allocation per entry). A hit costs
 * a loop over at most 32 bytes instead of a native call and a new string; a miss stores the string
 * (latin1Slice: ASCII reads the same in Latin-1 and UTF-8). Bytes >= 0x80 go to utf8String as before.
 */
const SHORT_MAX = 32;
const SHORT_SLOTS = 4096;
const shortTable: (string | undefined)[] = new Array(SHORT_SLOTS).fill(undefined);
const shortBytes = new Uint8Array(SHORT_SLOTS * SHORT_MAX);

/**
 * Empties the short-string table and zeroes its byte arena. It holds values, not only names (a short password
 * among them, until another string takes its slot): the engine calls this when a scan ends, so nothing of one
 * store's blobs stays in the process for the next (a fleet, a library caller).
 */
export function forgetShortStrings(): void {
  shortTable.fill(undefined);
  shortBytes.fill(0);
}

/** The strings the short-string table holds now (for tests). */
export function heldShortStrings(): string[] {
  return shortTable.filter((x): x is string => x !== undefined);
}

function shortString(b: Buffer, start: number, end: number): string {
  const len = end - start;
  let h = 0x811c9dc5 ^ len;
  let high = 0;
  for (let i = start; i < end; i++) {
    const c = b[i] as number;
    high |= c;
    h = Math.imul(h ^ c, 0x01000193);
  }
  if (high >= 0x80) return utf8String(b, start, end);
  const slot = ((h ^ (h >>> 15)) >>> 0) & (SHORT_SLOTS - 1);
  const base = slot * SHORT_MAX;
  const cand = shortTable[slot];
  if (cand !== undefined && cand.length === len) {
    let i = 0;
    while (i < len && shortBytes[base + i] === b[start + i]) i++;
    if (i === len) return cand;
  }
  const s = (b as Latin1).latin1Slice(start, end);
  shortTable[slot] = s;
  for (let i = 0; i < len; i++) shortBytes[base + i] = b[start + i] as number;
  return s;
}

function bigToValue(v: bigint): number | string {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

export function readNrbf(bytes: Uint8Array, limits: Limits): NrbfGraph {
  const r = new Reader(bytes, limits);
  try {
    r.run();
  } catch (e) {
    if (e instanceof NrbfError) r.graph.malformed = { offset: e.offset, reason: e.message };
    else if (e instanceof Limited) r.graph.limited = e.message;
    else r.graph.malformed = { offset: r.pos, reason: `parser error: ${e instanceof Error ? e.message : String(e)}` };
    // Objects still open keep the values read so far, and no more slots.
    for (const f of r.openFrames()) settle(f);
  }
  return r.graph;
}

class Reader {
  pos = 0;
  readonly view: DataView;
  readonly graph: NrbfGraph;
  private readonly metas = new Map<number, ClassMeta>();
  /** The class last defined or named by a ClassWithId (always the one `metas` holds for its id). */
  private lastMeta: ClassMeta | undefined;
  private readonly refs: { t: 'ref'; id: number; offset: number }[] = [];
  /** Frames of the objects being read, [0, depth); the ones above are reused (one Frame per nesting
   *  level of the stream, not one per object). */
  private readonly frames: Frame[] = [];
  private depth = 0;
  /** The frames of the objects still being read. */
  openFrames(): readonly Frame[] {
    return this.frames.slice(0, this.depth);
  }
  private pushFrame(obj: NClass | NArray, types: MemberType[] | null | undefined, total: number): void {
    const d = this.depth++;
    const f = this.frames[d];
    if (f === undefined) this.frames.push({ obj, types, total, filled: 0, stored: 0 });
    else {
      f.obj = obj;
      f.types = types;
      f.total = total;
      f.filled = 0;
      f.stored = 0;
    }
  }
  private recordStart = 0;

  /** A Buffer view of the input (same memory): native latin1 slices for ASCII strings. */
  readonly bytes: Buffer;
  constructor(
    input: Uint8Array,
    readonly limits: Limits,
  ) {
    this.bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    this.view = new DataView(input.buffer, input.byteOffset, input.byteLength);
    this.graph = {
      rootId: 0,
      headerId: 0,
      majorVersion: 0,
      minorVersion: 0,
      objects: new ObjectTable(),
      libraries: new Map(),
      classes: [],
      declaredTypes: [],
      methods: [],
      topLevel: [],
      records: 0,
      truncatedStrings: 0,
    };
  }

  // -- primitives ------------------------------------------------------------------------------

  private fail(reason: string, offset = this.recordStart): never {
    throw new NrbfError(offset, reason);
  }
  private get remaining(): number {
    return this.bytes.length - this.pos;
  }
  private need(n: number, what: string): void {
    if (n > this.remaining)
      throw new NrbfError(this.pos, `truncated: ${what} needs ${n} bytes, ${this.remaining} left`);
  }
  private u8(what = 'byte'): number {
    this.need(1, what);
    return this.bytes[this.pos++] as number;
  }
  private i32(what = 'Int32'): number {
    this.need(4, what);
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }
  private i64(): bigint {
    this.need(8, 'Int64');
    const v = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }
  private u64(): bigint {
    this.need(8, 'UInt64');
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }
  private lengthCount(what: string): number {
    const at = this.pos;
    const n = this.i32(what);
    if (n < 0 || n > MAX_ARRAY_LENGTH) this.fail(`invalid ${what} ${n}`, at);
    return n;
  }

  /** LengthPrefixedString: 7-bit length (1–5 bytes), then UTF-8. `name`: a type/member/library name (interned). */
  lps(what = 'string', name = false): string {
    const at = this.pos;
    let len = 0;
    const first = this.bytes[this.pos];
    if (first !== undefined && first < 0x80) {
      // One-byte length (strings up to 127 bytes): most names and values.
      len = first;
      this.pos++;
    } else
      for (let i = 0; ; i++) {
        // No message string built per byte read (it was a fifth of the allocation of a scan).
        if (this.pos >= this.bytes.length) this.need(1, `${what} length`);
        const b = this.bytes[this.pos++] as number;
        if (i === 4) {
          if (b > 0x07) this.fail(`invalid ${what} length prefix`, at);
          len += b * 2 ** 28;
          break;
        }
        len += (b & 0x7f) * (LENGTH_SCALE[i] as number);
        if ((b & 0x80) === 0) break;
      }
    if (len > this.remaining)
      throw new NrbfError(at, `truncated: ${what} declares ${len} bytes, ${this.remaining} left`);
    const end = this.pos + len;
    const cut = Math.min(len, Math.max(0, this.limits.maxStringLength) * 4);
    const s =
      cut <= SHORT_MAX
        ? shortString(this.bytes, this.pos, this.pos + cut)
        : name && cut <= INTERN_MAX
          ? internedName(this.bytes, this.pos, this.pos + cut)
          : utf8String(this.bytes, this.pos, this.pos + cut);
    this.pos = end;
    if (cut < len || s.length > this.limits.maxStringLength) {
      this.graph.truncatedStrings++;
      return s.slice(0, this.limits.maxStringLength);
    }
    return s;
  }

  private primitiveType(allowCode = false): number {
    const at = this.pos;
    const p = this.u8('PrimitiveType');
    if (p === 0 || p === 4 || p > (allowCode ? 18 : 16)) this.fail(`invalid PrimitiveType ${p}`, at);
    return p;
  }

  /** A raw primitive value of type p (MemberPrimitiveUnTyped / array element / typed payload). */
  primitive(p: number): PrimValue {
    let v: string | number | boolean | null;
    switch (p) {
      case 1:
        return this.u8('Boolean') !== 0 ? TRUE_VALUE : FALSE_VALUE;
      case 2:
        v = this.u8('Byte');
        break;
      case 3:
        v = this.char();
        break;
      case 5:
        v = this.lps('Decimal');
        break;
      case 6:
        this.need(8, 'Double');
        v = this.view.getFloat64(this.pos, true);
        this.pos += 8;
        break;
      case 7:
        this.need(2, 'Int16');
        v = this.view.getInt16(this.pos, true);
        this.pos += 2;
        break;
      case 8:
        v = this.i32();
        if (v >= 0 && v < 256) return INT32_VALUES[v] as PrimValue;
        break;
      case 9:
        v = bigToValue(this.i64());
        break;
      case 10:
        this.need(1, 'SByte');
        v = this.view.getInt8(this.pos);
        this.pos += 1;
        break;
      case 11:
        this.need(4, 'Single');
        v = this.view.getFloat32(this.pos, true);
        this.pos += 4;
        break;
      case 12:
        v = formatTimeSpan(this.i64());
        break;
      case 13:
        this.need(8, 'UInt64');
        v = formatDateTimeHalves(this.view.getUint32(this.pos, true), this.view.getUint32(this.pos + 4, true));
        this.pos += 8;
        break;
      case 14:
        this.need(2, 'UInt16');
        v = this.view.getUint16(this.pos, true);
        this.pos += 2;
        break;
      case 15:
        this.need(4, 'UInt32');
        v = this.view.getUint32(this.pos, true);
        this.pos += 4;
        break;
      case 16:
        v = bigToValue(this.u64());
        break;
      case 17:
        v = null;
        break;
      case 18:
        v = this.lps();
        break;
      default:
        this.fail(`invalid PrimitiveType ${p}`, this.pos);
    }
    return { t: 'prim', ptype: p, v };
  }

  /** Char: one UTF-8 encoded code point, 1–4 bytes. */
  private char(): string {
    const at = this.pos;
    const b = this.u8('Char');
    const n = b < 0x80 ? 1 : b >= 0xc0 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf8 ? 4 : 0;
    if (n === 0) this.fail(`invalid UTF-8 lead byte 0x${b.toString(16)} in Char`, at);
    this.need(n - 1, 'Char');
    this.pos += n - 1;
    return utf8.decode(this.bytes.subarray(at, this.pos));
  }

  // -- structure -------------------------------------------------------------------------------

  private countRecord(): void {
    const g = this.graph;
    g.records++;
    if (g.records > this.limits.maxRecords) throw new Limited(`record limit ${this.limits.maxRecords} reached`);
    if ((g.records & 0xff) === 0 && Date.now() > this.limits.deadline) throw new Limited('time budget exceeded');
  }

  /** Highest positive object id registered: a higher one cannot be a duplicate (ids mostly ascend). */
  private maxId = 0;

  private register(obj: NObj): void {
    const id = obj.id;
    if (id === 0) this.fail('object id 0 is invalid');
    if (id > this.maxId) this.maxId = id;
    else if (id > 0 && this.graph.objects.has(id)) this.fail(`duplicate object id ${id}`);
    this.graph.objects.set(id, obj);
  }

  private checkLibrary(id: number, at: number): void {
    if (!this.graph.libraries.has(id)) this.fail(`reference to unknown library id ${id}`, at);
  }

  private library(): void {
    const id = this.i32('LibraryId');
    const name = this.lps('LibraryName', true);
    this.graph.libraries.set(id, { id, name });
  }

  private classInfo(): { id: number; name: string; memberNames: string[] } {
    const id = this.i32('ObjectId');
    const name = this.lps('class name', true);
    const at = this.pos;
    const count = this.lengthCount('MemberCount');
    if (count > this.remaining) this.fail(`MemberCount ${count} exceeds the ${this.remaining} bytes left`, at);
    const memberNames: string[] = [];
    for (let i = 0; i < count; i++) memberNames.push(this.lps('member name', true));
    return { id, name, memberNames };
  }

  private memberType(bt: number, at: number): MemberType {
    switch (bt) {
      case BT.Primitive:
      case BT.PrimitiveArray:
        return { bt, ptype: this.primitiveType() };
      case BT.SystemClass: {
        const className = this.lps('SystemClass type name', true);
        this.graph.declaredTypes.push({ name: className });
        return { bt, className };
      }
      case BT.Class: {
        const className = this.lps('Class type name', true);
        const libAt = this.pos;
        const libraryId = this.i32('LibraryId');
        this.checkLibrary(libraryId, libAt);
        this.graph.declaredTypes.push({ name: className, libraryId });
        return { bt, className, libraryId };
      }
      case BT.String:
      case BT.Object:
      case BT.ObjectArray:
      case BT.StringArray:
        return { bt };
      default:
        this.fail(`invalid BinaryType ${bt}`, at);
    }
  }

  private memberTypeInfo(count: number): MemberType[] {
    this.need(count, 'MemberTypeInfo');
    const start = this.pos;
    this.pos += count;
    const out: MemberType[] = [];
    for (let i = 0; i < count; i++) out.push(this.memberType(this.bytes[start + i] as number, start + i));
    return out;
  }

  private pushClass(id: number, meta: ClassMeta, offset: number): NClass {
    const obj: NClass = {
      t: 'obj',
      obj: SELF,
      kind: 'class',
      id,
      offset,
      meta,
      values: [],
      mark: 0,
      keyMark: 0,
      pairs: undefined,
    };
    obj.obj = obj;
    this.register(obj);
    meta.instances++;
    const total = meta.memberNames.length;
    if (total > 0 && total <= PRESIZE_MAX) obj.values = new Array(total);
    this.pushFrame(obj, meta.memberTypes, total);
    return obj;
  }

  private newMeta(rt: number, typed: boolean, withLibrary: boolean, offset: number): NClass {
    const info = this.classInfo();
    const memberTypes = typed ? this.memberTypeInfo(info.memberNames.length) : null;
    let libraryId: number | undefined;
    if (withLibrary) {
      const at = this.pos;
      libraryId = this.i32('LibraryId');
      this.checkLibrary(libraryId, at);
    }
    const meta: ClassMeta = {
      id: info.id,
      name: info.name,
      memberNames: info.memberNames,
      libraryId,
      memberTypes,
      recordType: rt,
      instances: 0,
      cache: undefined,
    };
    this.metas.set(info.id, meta);
    this.lastMeta = meta;
    this.graph.classes.push(meta);
    return this.pushClass(info.id, meta, offset);
  }

  /** Raw primitive elements, after checking the declared count fits the remaining bytes. */
  private primitiveElements(arr: NArray, p: number): void {
    const size = PRIM_SIZE[p] ?? 1;
    if (arr.count * size > this.remaining)
      this.fail(
        `array #${arr.id} declares ${arr.count} ${p === 2 ? 'bytes' : 'elements'} but only ${this.remaining} bytes remain`,
      );
    if (p === 2) {
      arr.bytes = new Uint8Array(this.bytes.subarray(this.pos, this.pos + arr.count));
      this.pos += arr.count;
      return;
    }
    for (let i = 0; i < arr.count; i++) {
      if ((i & 0xffff) === 0xffff && Date.now() > this.limits.deadline) throw new Limited('time budget exceeded');
      arr.values.push(this.primitive(p));
    }
  }

  private newArray(
    id: number,
    offset: number,
    record: NArray['record'],
    shape: ArrayShape,
    lengths: number[],
    elementType: MemberType,
    lowerBounds?: number[],
  ): NArray {
    let count = 1;
    for (const l of lengths) count *= l;
    if (count > 0xffffffff) this.fail(`array #${id} declares ${count} elements`);
    const arr: NArray = {
      t: 'obj',
      obj: SELF,
      kind: 'array',
      id,
      offset,
      record,
      shape,
      lengths,
      elementType,
      count,
      values: [],
      mark: 0,
      keyMark: 0,
      bytes: undefined,
    };
    arr.obj = arr;
    if (lowerBounds) arr.lowerBounds = lowerBounds;
    this.register(arr);
    if (elementType.bt === BT.Primitive) this.primitiveElements(arr, elementType.ptype ?? 0);
    else this.pushFrame(arr, undefined, count);
    return arr;
  }

  private binaryArray(offset: number): NArray {
    const id = this.i32('ObjectId');
    const at = this.pos;
    const t = this.u8('BinaryArrayType');
    const shape = SHAPES[t];
    if (!shape) this.fail(`invalid BinaryArrayType ${t}`, at);
    const rankAt = this.pos;
    const rank = this.i32('Rank');
    const rect = t === 2 || t === 5;
    if (rank < 1 || rank > 32 || (!rect && rank !== 1)) this.fail(`invalid rank ${rank} for a ${shape} array`, rankAt);
    const lengths: number[] = [];
    for (let i = 0; i < rank; i++) lengths.push(this.lengthCount('array length'));
    let lowerBounds: number[] | undefined;
    if (t >= 3) {
      lowerBounds = [];
      for (let i = 0; i < rank; i++) {
        const lbAt = this.pos;
        const lb = this.i32('lower bound');
        if (lb + (lengths[i] ?? 0) > 0x7fffffff || lb < -0x80000000) this.fail(`invalid lower bound ${lb}`, lbAt);
        lowerBounds.push(lb);
      }
    }
    const btAt = this.pos;
    const elementType = this.memberType(this.u8('BinaryType'), btAt);
    return this.newArray(id, offset, 'BinaryArray', shape, lengths, elementType, lowerBounds);
  }

  /** Read one record that stands for a value (member, array element or top-level object). */
  private value(): NValue {
    this.recordStart = this.pos;
    const offset = this.pos;
    const rt = this.u8('RecordType');
    this.countRecord();
    switch (rt) {
      case 1: {
        const id = this.i32('ObjectId');
        const metaAt = this.pos;
        const metaId = this.i32('MetadataId');
        // Runs of ClassWithId records name the same class (every KeyValuePair of a Dictionary).
        const last = this.lastMeta;
        const meta = last !== undefined && last.id === metaId ? last : this.metas.get(metaId);
        this.lastMeta = meta;
        if (!meta) this.fail(`ClassWithId #${id} refers to unknown metadata #${metaId}`, metaAt);
        return this.pushClass(id, meta, offset);
      }
      case 2:
        return this.newMeta(rt, false, false, offset);
      case 3:
        return this.newMeta(rt, false, true, offset);
      case 4:
        return this.newMeta(rt, true, false, offset);
      case 5:
        return this.newMeta(rt, true, true, offset);
      case 6: {
        const id = this.i32('ObjectId');
        const obj: NObj = { t: 'obj', obj: SELF, kind: 'string', id, offset, value: this.lps(), mark: 0, keyMark: 0 };
        obj.obj = obj;
        this.register(obj);
        return obj;
      }
      case 7:
        return this.binaryArray(offset);
      case 8:
        return this.primitive(this.primitiveType());
      case 9: {
        const ref = { t: 'ref' as const, id: this.i32('IdRef'), offset };
        this.refs.push(ref);
        return ref;
      }
      case 10:
        return NULL_VALUE;
      case 13:
        return { t: 'nulls', count: this.u8('NullCount') };
      case 14:
        return { t: 'nulls', count: this.lengthCount('NullCount') };
      case 15: {
        const id = this.i32('ObjectId');
        const length = this.lengthCount('array length');
        const elementType: MemberType = { bt: BT.Primitive, ptype: this.primitiveType() };
        return this.newArray(id, offset, 'ArraySinglePrimitive', 'Single', [length], elementType);
      }
      case 16:
      case 17: {
        const id = this.i32('ObjectId');
        const length = this.lengthCount('array length');
        const record = rt === 16 ? 'ArraySingleObject' : 'ArraySingleString';
        const elementType: MemberType = { bt: rt === 16 ? BT.Object : BT.String };
        return this.newArray(id, offset, record, 'Single', [length], elementType);
      }
      default:
        this.fail(`unexpected record type ${rt}`, offset);
    }
  }

  private stringValueWithCode(what: string): string {
    const at = this.pos;
    const code = this.u8('PrimitiveType');
    if (code !== 18) this.fail(`${what}: expected StringValueWithCode, got type ${code}`, at);
    return this.lps(what);
  }

  private valueWithCode(): PrimValue {
    return this.primitive(this.primitiveType(true));
  }

  private method(rt: number, offset: number): void {
    const flags = this.i32('MessageEnum');
    const m: NrbfGraph['methods'][number] = { kind: rt === 21 ? 'call' : 'return', offset, flags, args: [] };
    this.graph.methods.push(m);
    if (rt === 21) {
      m.methodName = this.stringValueWithCode('MethodName');
      m.typeName = this.stringValueWithCode('TypeName');
    } else if (flags & MF_RETURN_VALUE_INLINE) m.args.push(this.valueWithCode());
    if (flags & MF_CONTEXT_INLINE) m.callContext = this.stringValueWithCode('CallContext');
    if (flags & MF_ARGS_INLINE) {
      const at = this.pos;
      const n = this.lengthCount('argument count');
      if (n > this.remaining) this.fail(`${n} arguments declared, ${this.remaining} bytes left`, at);
      for (let i = 0; i < n; i++) m.args.push(this.valueWithCode());
    }
  }

  run(): void {
    const g = this.graph;
    // SerializationHeaderRecord
    if (this.u8('RecordType') !== 0) this.fail('no SerializationHeaderRecord', 0);
    g.rootId = this.i32('RootId');
    g.headerId = this.i32('HeaderId');
    g.majorVersion = this.i32('MajorVersion');
    g.minorVersion = this.i32('MinorVersion');
    g.records = 1;
    if (g.majorVersion !== 1 || g.minorVersion !== 0)
      this.fail(`unsupported version ${g.majorVersion}.${g.minorVersion}`, 9);

    const frames = this.frames;
    for (;;) {
      const top = this.depth > 0 ? (frames[this.depth - 1] as Frame) : undefined;
      if (!top) {
        this.recordStart = this.pos;
        if (this.remaining === 0) this.fail('truncated: stream ends without MessageEnd', this.pos);
        const rt = this.bytes[this.pos] as number;
        if (rt === 11) {
          this.pos++;
          this.countRecord();
          g.endOffset = this.pos;
          break;
        }
        if (rt === 12 || rt === 21 || rt === 22) {
          this.pos++;
          this.countRecord();
          if (rt === 12) this.library();
          else this.method(rt, this.recordStart);
          continue;
        }
        const v = this.value();
        if (v.t !== 'obj') this.fail(`unexpected ${v.t === 'prim' ? 'primitive' : v.t} record at top level`);
        g.topLevel.push(v.obj);
        continue;
      }
      if (top.filled >= top.total) {
        settle(top);
        this.depth--;
        continue;
      }
      const mt: MemberType =
        top.types === undefined
          ? (top.obj as NArray).elementType
          : top.types === null
            ? UNTYPED
            : (top.types[top.filled] as MemberType);
      if (mt.bt === BT.Primitive) {
        top.obj.values[top.stored++] = this.primitive(mt.ptype ?? 0);
        top.filled++;
        continue;
      }
      // BinaryLibrary records may precede any member value.
      while (this.bytes[this.pos] === 12) {
        this.recordStart = this.pos;
        this.pos++;
        this.countRecord();
        this.library();
      }
      const v = this.value();
      if (v.t === 'nulls') {
        if (top.filled + v.count > top.total)
          this.fail(`null run of ${v.count} overruns ${top.obj.kind === 'array' ? 'array' : 'object'} #${top.obj.id}`);
        top.filled += v.count;
      } else top.filled++;
      top.obj.values[top.stored++] = v;
    }

    for (const ref of this.refs) {
      if (!g.objects.has(ref.id)) this.fail(`unresolved reference to #${ref.id}`, ref.offset);
    }
    if (!g.objects.has(g.rootId)) this.fail(`root object #${g.rootId} not found`, 1);
  }
}
