/**
 * The deserialization-gadget catalogue (data/gadgets.json) and the type matchers QA-B02/QA-B03 use.
 * Also used by `inspect-blob` to label types. Pure after the first (cached) load.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FindingObject, ScannedBlob, TypeRef } from '../../model.js';

export interface GadgetEntry {
  /** Exact full type name (normalised: no generic arguments, no assembly), or a glob with `*`. */
  type: string;
  ecosystem: 'dotnet' | 'java';
  /** Gadget family, e.g. 'TypeConfuseDelegate', 'CommonsCollections1'. */
  gadget: string;
  why: string;
  /** 'low': dangerous only in combination (e.g. java.net.URL for URLDNS); reported at a lower severity. */
  confidence?: 'low';
}

let cached: GadgetEntry[] | undefined;

/** Where data/gadgets.json is, from src/ (tsx, tests) or dist/src/ (built). */
function cataloguePath(): string {
  const candidates = ['../../../data/gadgets.json', '../../../../data/gadgets.json'].map((p) =>
    fileURLToPath(new URL(p, import.meta.url)),
  );
  return candidates.find((p) => existsSync(p)) ?? (candidates[0] as string);
}

/** Validate one catalogue row; throws with the row index on a bad row (a packaging bug, not user input). */
function validate(row: unknown, i: number): GadgetEntry {
  const r = row as Partial<GadgetEntry> | null;
  if (
    !r ||
    typeof r.type !== 'string' ||
    !r.type ||
    (r.ecosystem !== 'dotnet' && r.ecosystem !== 'java') ||
    typeof r.gadget !== 'string' ||
    typeof r.why !== 'string' ||
    (r.confidence !== undefined && r.confidence !== 'low')
  )
    throw new Error(`data/gadgets.json: invalid entry #${i}`);
  return r as GadgetEntry;
}

/** Why the default catalogue could not be loaded: thrown again without another read (a scan asks once per type). */
let failure: unknown;

/** The gadget catalogue (loaded once; a default catalogue that cannot be loaded fails once, then the same way). */
export function loadGadgetCatalogue(path?: string): GadgetEntry[] {
  if (!path && cached) return cached;
  if (!path && failure) throw failure;
  try {
    const rows = JSON.parse(readFileSync(path ?? cataloguePath(), 'utf8')) as unknown;
    if (!Array.isArray(rows)) throw new Error('data/gadgets.json: not an array');
    const list = rows.map(validate);
    if (!path) cached = list;
    return list;
  } catch (err) {
    if (!path) failure = err;
    throw err;
  }
}

/**
 * Normalise a type name for matching: drop generic arguments and the assembly (`Foo`1[[…]], Asm` → `Foo`1`),
 * array suffixes, and Java array descriptors (`[Lorg.x.Y;` → `org.x.Y`).
 */
export function normaliseTypeName(name: string): string {
  let n = name.trim();
  const java = /^\[+L(.+);$/.exec(n);
  if (java?.[1]) return java[1];
  let end = n.length;
  const b = n.indexOf('[');
  if (b >= 0) end = b;
  const c = n.indexOf(',');
  if (c >= 0 && c < end) end = c;
  n = n.slice(0, end).trim();
  return n;
}

const globCache = new Map<string, RegExp>();

/** A `*` glob as an anchored RegExp (`*` matches any run of characters, dots included). */
export function globToRegExp(glob: string): RegExp {
  let re = globCache.get(glob);
  if (!re) {
    re = new RegExp(
      `^${glob
        .split('*')
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    globCache.set(glob, re);
  }
  return re;
}

export function matchesGlob(name: string, glob: string): boolean {
  return glob.includes('*') ? globToRegExp(glob).test(name) : name === glob;
}

/**
 * The catalogue entry for a type, or undefined. A linear pass over the catalogue's globs: the scan asks it once
 * per distinct type name (blobTypes keeps the answer on the type's info).
 */
export function findGadget(
  name: string,
  ecosystem: 'dotnet' | 'java',
  catalogue: GadgetEntry[] = loadGadgetCatalogue(),
): GadgetEntry | undefined {
  const n = normaliseTypeName(name);
  return catalogue.find((e) => e.ecosystem === ecosystem && matchesGlob(n, e.type));
}

/** One normalised type name of an ecosystem, with its answers on the default catalogue (shared by the
 *  blobs that hold it). */
export interface TypeInfo {
  /** normaliseTypeName of the name as the blob holds it. */
  type: string;
  ecosystem: TypeRef['ecosystem'];
  /** findGadget(type, ecosystem) on the default catalogue. */
  gadget: GadgetEntry | undefined;
  /** QA-B03's answer on its default allowlist, filled the first time it asks. */
  defaultAllowed?: boolean;
  /** The blobTypes call that listed it last (its per-blob deduplication). */
  epoch: number;
}

export interface BlobType {
  info: TypeInfo;
  /** The blob's first type reference with this (ecosystem, normalised name). */
  ref: TypeRef;
}

/**
 * A blob's types, one per distinct (ecosystem, normaliseTypeName(name)) in first-seen order, with their gadget
 * entries on the default catalogue: what QA-B02 and QA-B03 walk, computed once per
 * blob (QA-B02 and B03 run one after the other) from infos memoised per raw and per normalised name (type
 * names repeat in every blob of a store), so a blob's types cost a Map lookup each, no key string built.
 */
export function blobTypes(blob: ScannedBlob): BlobType[] {
  if (lastTypesBlob === blob && lastTypes) return lastTypes;
  // Bounded memory: emptied between blobs only, so a blob's infos stay the same objects while it is walked.
  if (infoCount >= 10_000) {
    rawInfos.clear();
    normInfos.clear();
    infoCount = 0;
  }
  const e = ++typesEpoch;
  let long: Map<string, TypeInfo> | undefined;
  const out: BlobType[] = [];
  for (const ref of blob.decoded.types) {
    const eco = ref.ecosystem;
    let info: TypeInfo | undefined;
    if (ref.name.length <= 1024) {
      let raw = rawInfos.get(eco);
      if (!raw) {
        raw = new Map();
        rawInfos.set(eco, raw);
      }
      info = raw.get(ref.name);
      if (!info) {
        info = normInfo(eco, normaliseTypeName(ref.name));
        raw.set(ref.name, info);
        infoCount++;
      }
    } else {
      // Names this long are not memoised across blobs: a per-blob map keeps their deduplication.
      const type = normaliseTypeName(ref.name);
      if (type.length <= 1024) info = normInfo(eco, type);
      else {
        long ??= new Map();
        const key = `${eco}\u0000${type}`;
        info = long.get(key);
        if (!info) {
          info = { type, ecosystem: eco, gadget: findGadget(type, eco), epoch: 0 };
          long.set(key, info);
        }
      }
    }
    if (info.epoch === e) continue;
    info.epoch = e;
    out.push({ info, ref });
  }
  lastTypesBlob = blob;
  lastTypes = out;
  return out;
}

function normInfo(eco: TypeRef['ecosystem'], type: string): TypeInfo {
  let m = normInfos.get(eco);
  if (!m) {
    m = new Map();
    normInfos.set(eco, m);
  }
  let info = m.get(type);
  if (!info) {
    info = { type, ecosystem: eco, gadget: findGadget(type, eco), epoch: 0 };
    m.set(type, info);
    infoCount++;
  }
  return info;
}

/** Per ecosystem: the info of a type name as blobs hold it, and of a normalised name. */
const rawInfos = new Map<string, Map<string, TypeInfo>>();
const normInfos = new Map<string, Map<string, TypeInfo>>();
let infoCount = 0;
let typesEpoch = 0;
let lastTypesBlob: ScannedBlob | undefined;
let lastTypes: BlobType[] | undefined;

// ---------------------------------------------------------------------------------------------
// Row identification for the per-blob checks QA-B02/B03/B06

/** Text from the database or a blob, bounded, with control characters escaped. */
export function safeName(s: string, max = 200): string {
  let clean = '';
  for (const ch of s.slice(0, max + 1)) {
    const c = ch.charCodeAt(0);
    clean += c < 0x20 || (c >= 0x7f && c <= 0x9f) ? `\\x${c.toString(16).padStart(2, '0')}` : ch;
  }
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** `table.column sched/group.name` object of one blob row. */
export function rowObject(blob: ScannedBlob): FindingObject {
  const k = blob.row.key;
  const rowKey = safeName(`${k.sched}/${k.group !== undefined ? `${k.group}.` : ''}${k.name}`);
  return { kind: 'row', name: `${blob.row.tableName}.${blob.row.column} ${rowKey}`, table: blob.row.tableName, rowKey };
}
