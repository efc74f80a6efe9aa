/**
 * The typed inspect tree of a parsed Java serialization graph (what `inspect-blob` shows), and the
 * lazy-tree helper every format parser uses so the scan never pays for a tree it does not read.
 * A node already shown appears again as `→ ref`; the tree is bounded in nodes and depth.
 */
import type { TreeNode } from '../model.js';
import type { JContent, JFieldDesc, JValue } from './java-types.js';
import { scalar } from './views-java.js';

const MAX_TREE_NODES = 20_000;

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

export function buildTree(top: JContent[], handlesOf: Map<object, number>): TreeNode {
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
          cd.values.forEach((fv, i) => {
            const f = cd.desc.fields[i] as JFieldDesc;
            const v: JValue = typeof fv === 'object' ? fv : { kind: 'prim', code: f.code, value: fv };
            children.push(node(`${prefix}${f.name}`, v, depth + 1));
          });
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

/** Per-object state of a lazy tree (under a non-enumerable symbol, so spreads and equality see only `tree`). */
interface LazyTree {
  build: (() => TreeNode | undefined) | undefined;
  cached: TreeNode | undefined;
}
const LAZY = Symbol('lazyTree');
type WithLazy = { [LAZY]?: LazyTree };

// One getter/setter pair for every object: V8 keeps objects whose accessor pairs are identical on a
// shared hidden class. A fresh closure pair per object gave each decoded blob its own hidden class
// (allocated in old space): half of a scan's time went to major GCs.
function buildSafely(build: () => TreeNode | undefined): TreeNode | undefined {
  try {
    return build();
  } catch (e) {
    return { label: 'tree', value: `(tree could not be built: ${e instanceof Error ? e.message : String(e)})` };
  }
}
function lazyGet(this: WithLazy): TreeNode | undefined {
  const st = this[LAZY];
  if (!st) return undefined;
  const build = st.build;
  if (build) {
    st.build = undefined;
    st.cached = buildSafely(build);
  }
  return st.cached;
}
function lazySet(this: WithLazy, v: TreeNode | undefined): void {
  const st = this[LAZY];
  if (st) {
    st.build = undefined;
    st.cached = v;
  }
}
const LAZY_DESCRIPTOR: PropertyDescriptor = { enumerable: true, configurable: true, get: lazyGet, set: lazySet };
const STATE_DESCRIPTOR: PropertyDescriptor = {
  enumerable: false,
  configurable: true,
  writable: true,
  value: undefined,
};

/**
 * Define `tree` as a lazily built, cached, writable property: only inspect-blob reads the tree, so the
 * scan does not pay for it (about a third of the Java decode time). A failing build yields a
 * placeholder node instead of a throw.
 */
export function defineLazyTree(obj: { tree?: TreeNode }, build: () => TreeNode | undefined): void {
  const o = obj as { tree?: TreeNode } & WithLazy;
  const st = o[LAZY];
  if (st && Object.hasOwn(o, LAZY)) {
    st.build = build;
    st.cached = undefined;
    return;
  }
  Object.defineProperty(o, LAZY, STATE_DESCRIPTOR);
  o[LAZY] = { build, cached: undefined };
  Object.defineProperty(o, 'tree', LAZY_DESCRIPTOR);
}

/** Redefine `obj.tree` as `wrap` of its current tree, still lazily (the current one is built on first read). */
export function wrapLazyTree(
  obj: { tree?: TreeNode },
  wrap: (inner: TreeNode | undefined) => TreeNode | undefined,
): void {
  const st = (obj as WithLazy)[LAZY];
  let inner: () => TreeNode | undefined;
  if (st && Object.hasOwn(obj, LAZY)) {
    const build = st.build;
    const cached = st.cached;
    inner = build ? () => buildSafely(build) : () => cached;
  } else {
    const value = obj.tree;
    inner = () => value;
  }
  defineLazyTree(obj, () => wrap(inner()));
}

/** Where a forwarded `tree` reads and writes (see forwardTree). */
const FWD = Symbol('treeSource');
type WithFwd = { [FWD]?: { tree?: TreeNode } };
function fwdGet(this: WithFwd): TreeNode | undefined {
  return this[FWD]?.tree;
}
function fwdSet(this: WithFwd, v: TreeNode | undefined): void {
  const src = this[FWD];
  if (src) src.tree = v;
}
const FWD_DESCRIPTOR: PropertyDescriptor = { enumerable: true, configurable: true, get: fwdGet, set: fwdSet };

/** Define `obj.tree` as an accessor reading and writing `src.tree` (shared accessor functions, as above). */
export function forwardTree(obj: { tree?: TreeNode }, src: { tree?: TreeNode }): void {
  Object.defineProperty(obj, FWD, STATE_DESCRIPTOR);
  (obj as WithFwd)[FWD] = src;
  Object.defineProperty(obj, 'tree', FWD_DESCRIPTOR);
}
