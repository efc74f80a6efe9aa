/**
 * Walks over a parsed Java serialization graph (src/decode/java-types.ts): every string, enum
 * constant, byte array and block data with its field path, for the secret detectors and the nested
 * payload search of the decode entry point; and the SerialDOS hook: hash-based collections nested
 * through shared references (src/decode/expansion.ts). The graph is shared, not a tree:
 * back-references point at the same node, so each node is visited once (a seen set), cycles end,
 * and the walks are bounded in time.
 */
import type { ExpansionFinding, FoundString } from '../model.js';
import { detectExpansion, isHashedCollection } from './expansion.js';
import type { JArray, JClassData, JContent, JObject, JValue } from './java-types.js';

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

export function walkStrings(
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

/** The SerialDOS shape: java.util.HashSet/HashMap/Hashtable nested through shared references. */
export function javaExpansion(top: JContent[], hashedCount: number, cutAtDepth: boolean): ExpansionFinding | undefined {
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
