/**
 * Walks over a parsed Java serialization graph (src/decode/java-types.ts): every string, enum
 * constant, byte array and block data with its field path, for the secret detectors and the nested
 * payload search of the decode entry point; and the SerialDOS hook: hash-based collections nested
 * through shared references (src/decode/expansion.ts). The graph is shared, not a tree:
 * back-references point at the same node, so each node is visited once (a walk mark), cycles end,
 * and the walks are bounded in time.
 */
import type { ExpansionFinding, FoundString } from '../model.js';
import { detectExpansion, isHashedCollection } from './expansion.js';
import type { JArray, JClassData, JContent, JFieldDesc, JObject, JValue } from './java-types.js';

/** A path built lazily from parent links (only for the containers that hold something kept). */
interface PathNode {
  parent: PathNode | null;
  name: string;
  depth: number;
}
/** The path of a value named `name` (or unnamed when null) under `p`: one array, filled from its end. */
function pathOf(p: PathNode | null, name: string | null): string[] {
  const n = (p ? p.depth : 0) + (name === null ? 0 : 1);
  const out: string[] = new Array(n);
  let i = n;
  if (name !== null) out[--i] = name;
  for (let q = p; q; q = q.parent) out[--i] = q.name;
  return out;
}
function node(parent: PathNode | null, name: string): PathNode {
  return { parent, name, depth: parent ? parent.depth + 1 : 1 };
}

/** Path segment names for small indices, made once: `@i` (writeObject data), `[i]` (array items), `i`. */
const NAMES = 256;
const AT_NAMES = Array.from({ length: NAMES }, (_, i) => `@${i}`);
const ITEM_NAMES = Array.from({ length: NAMES }, (_, i) => `[${i}]`);
const INDEX_NAMES = Array.from({ length: NAMES }, (_, i) => `${i}`);
const atName = (i: number) => (i < NAMES ? (AT_NAMES[i] as string) : `@${i}`);
const itemName = (i: number) => (i < NAMES ? (ITEM_NAMES[i] as string) : `[${i}]`);
const indexName = (i: number) => (i < NAMES ? (INDEX_NAMES[i] as string) : `${i}`);

/** Mark of the current walk: a node whose mark equals it was visited (no seen set; never 0, the mark of a new node). */
let epoch = 0;

/**
 * The walk's stacks (value, parent path, own name), kept from walk to walk so they do not grow anew
 * for every blob; `sp` is their height. A slot is cleared when popped (no graph stays reachable),
 * and stacks grown past STACK_KEEP slots are dropped after the walk.
 */
const VS: (JContent | null)[] = [];
const PS: (PathNode | null)[] = [];
const NS: (string | null)[] = [];
const STACK_KEEP = 1 << 16;
let sp = 0;
function push(v: JContent, p: PathNode | null, name: string | null): void {
  if (sp === VS.length) {
    VS.push(v);
    PS.push(p);
    NS.push(name);
  } else {
    VS[sp] = v;
    PS[sp] = p;
    NS[sp] = name;
  }
  sp++;
}

export function walkStrings(
  top: JContent[],
  strings: FoundString[],
  byteArrays: { path: string[]; bytes: Uint8Array }[],
  deadline: number,
): void {
  epoch = epoch >= 0x3fffffff ? 1 : epoch + 1;
  const mark = epoch;
  // Parallel stacks: no wrapper object per value, and a path node is made only for a container,
  // not for every value walked.
  sp = 0;
  try {
    walk(top, strings, byteArrays, deadline, mark);
  } finally {
    for (let i = 0; i < sp; i++) {
      VS[i] = null;
      PS[i] = null;
    }
    sp = 0;
    if (VS.length > STACK_KEEP) {
      VS.length = 0;
      PS.length = 0;
      NS.length = 0;
    }
  }
}

function walk(
  top: JContent[],
  strings: FoundString[],
  byteArrays: { path: string[]; bytes: Uint8Array }[],
  deadline: number,
  mark: number,
): void {
  for (let i = top.length - 1; i >= 0; i--) push(top[i] as JContent, null, top.length > 1 ? `#${i}` : null);
  let n = 0;
  while (sp > 0) {
    sp--;
    const v = VS[sp] as JContent;
    const parent = PS[sp] as PathNode | null;
    const name = NS[sp] as string | null;
    VS[sp] = null;
    PS[sp] = null;
    if (v.kind === 'null' || v.kind === 'reset') continue;
    if (v.mark === mark) continue;
    v.mark = mark;
    if ((++n & 1023) === 0 && Date.now() > deadline) return;
    switch (v.kind) {
      case 'string':
        strings.push({ path: pathOf(parent, name), value: v.value });
        break;
      case 'block':
        if (v.bytes.length >= 8) byteArrays.push({ path: pathOf(parent, name), bytes: v.bytes });
        break;
      case 'enum':
        strings.push({ path: pathOf(parent, name), value: v.constant });
        break;
      case 'array': {
        if (v.bytes) byteArrays.push({ path: pathOf(parent, name), bytes: v.bytes });
        const items = v.items;
        if (items && items.length > 0) {
          const p = name === null ? parent : node(parent, name);
          for (let i = items.length - 1; i >= 0; i--) {
            push(items[i] as JContent, p, itemName(i));
          }
        }
        break;
      }
      case 'exception': {
        const p = name === null ? parent : node(parent, name);
        push(v.value as JContent, p, '(exception)');
        break;
      }
      case 'classdesc': {
        const p = name === null ? parent : node(parent, name);
        if (v.annotation.length > 0) {
          const ap = node(p, `(classAnnotation ${v.name})`);
          for (let i = v.annotation.length - 1; i >= 0; i--) {
            push(v.annotation[i] as JContent, ap, indexName(i));
          }
        }
        if (v.superDesc) {
          push(v.superDesc, p, null);
        }
        break;
      }
      case 'class':
        push(v.desc, name === null ? parent : node(parent, name), null);
        break;
      case 'object': {
        const p = name === null ? parent : node(parent, name);
        if (v.desc.mark !== mark) {
          push(v.desc, p, null);
        }
        for (let ci = v.data.length - 1; ci >= 0; ci--) {
          const cd = v.data[ci] as JClassData;
          const ann = cd.annotation;
          if (ann)
            for (let i = ann.length - 1; i >= 0; i--) {
              const a = ann[i] as JContent;
              if (a.kind !== 'null') {
                push(a, p, atName(i));
              }
            }
          const values = cd.values;
          for (let i = values.length - 1; i >= 0; i--) {
            const fv = values[i];
            if (typeof fv === 'object' && fv.kind !== 'null') {
              push(fv, p, (cd.desc.fields[i] as JFieldDesc).name);
            }
          }
        }
        break;
      }
    }
  }
}

/** The SerialDOS shape: java.util.HashSet/HashMap/Hashtable nested through shared references. */
export function javaExpansion(top: JContent[], hashedCount: number, cutAtDepth: boolean): ExpansionFinding | undefined {
  // Cheap gate: the shape needs hash-based collections nested at least 3 deep, so at least 3 of them.
  if (hashedCount < 3) return undefined;
  const roots = top.filter((c) => c.kind === 'object' || c.kind === 'array');
  if (roots.length === 0) return undefined;
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
          for (const v of d.values) if (typeof v === 'object') push(out, v);
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
