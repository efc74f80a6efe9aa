/**
 * Exponential object graphs ("SerialDOS", ysoserial): hash-based collections nested inside each
 * other with shared references back to earlier ones. A deserializer rebuilding the outer set
 * hashes each element, and hashing a set hashes its elements again — 2^depth visits for a graph of
 * a few hundred objects. Detected on the reference graph without expanding it: one memoized
 * post-order walk computes, per object, the number of nodes a recursive hashCode visits (the
 * path count of the DAG, saturated) and the nesting depth of hash-based collections.
 */
import type { ExpansionFinding } from '../model.js';

export interface GraphView<N extends object> {
  /** Child objects (references followed); leaves may be omitted. */
  children(n: N): N[];
  /** The collection type name when `n` is hash-based (HashSet, HashMap, Hashtable, Dictionary…), else undefined. */
  hashName(n: N): string | undefined;
}

/** Visits below which nothing is reported (a deserializer does this much work in milliseconds). */
export const MIN_VISITS = 2 ** 20;
/** Visits per distinct object above which the graph is exponential rather than merely large. */
export const MIN_RATIO = 64;
const SATURATE = 1e300;
/** Nesting of hash-based collections that counts as the SerialDOS shape when the parse was cut by its depth bound. */
export const CUT_DEPTH = 24;

interface Frame<N> {
  n: N;
  kids: N[];
  i: number;
  sum: number;
  depth: number;
}

/** Walk the graph from the roots; report the worst hash-based collection when its hashing cost is exponential. */
export function detectExpansion<N extends object>(
  roots: N[],
  view: GraphView<N>,
  options: { maxObjects?: number; cutAtDepth?: boolean } = {},
): ExpansionFinding | undefined {
  const maxObjects = options.maxObjects ?? 1_000_000;
  const cost = new Map<N, number>();
  const hdepth = new Map<N, number>();
  const onStack = new Set<N>();
  let worst: { n: N; cost: number; depth: number } | undefined;
  for (const root of roots) {
    if (cost.has(root)) continue;
    const stack: Frame<N>[] = [{ n: root, kids: view.children(root), i: 0, sum: 1, depth: 0 }];
    onStack.add(root);
    while (stack.length > 0) {
      const f = stack[stack.length - 1] as Frame<N>;
      if (f.i < f.kids.length) {
        const c = f.kids[f.i++] as N;
        const known = cost.get(c);
        if (known !== undefined) {
          f.sum = Math.min(SATURATE, f.sum + known);
          f.depth = Math.max(f.depth, hdepth.get(c) ?? 0);
        } else if (!onStack.has(c) && cost.size + stack.length < maxObjects) {
          onStack.add(c);
          stack.push({ n: c, kids: view.children(c), i: 0, sum: 1, depth: 0 });
        }
        continue;
      }
      stack.pop();
      onStack.delete(f.n);
      const name = view.hashName(f.n);
      const depth = f.depth + (name ? 1 : 0);
      cost.set(f.n, f.sum);
      hdepth.set(f.n, depth);
      if (name && (!worst || f.sum > worst.cost)) worst = { n: f.n, cost: f.sum, depth };
      const parent = stack[stack.length - 1];
      if (parent) {
        parent.sum = Math.min(SATURATE, parent.sum + f.sum);
        parent.depth = Math.max(parent.depth, depth);
      }
    }
  }
  if (!worst) return undefined;
  // The parse stopped at its depth bound inside hash-based collections nested this deep: the shared
  // references lie past the bound (a stream is written depth first), but no JobDataMap nests sets
  // like this — the SerialDOS shape cut short.
  if (options.cutAtDepth && worst.depth >= CUT_DEPTH)
    return {
      collection: view.hashName(worst.n) as string,
      depth: worst.depth,
      log2Visits: Math.max(worst.depth, Math.floor(Math.log2(worst.cost))),
      objects: cost.size,
      cutAtDepth: true,
    };
  if (worst.cost < MIN_VISITS || worst.cost < MIN_RATIO * cost.size || worst.depth < 3) return undefined;
  return {
    collection: view.hashName(worst.n) as string,
    depth: worst.depth,
    log2Visits: Math.floor(Math.log2(worst.cost)),
    objects: cost.size,
  };
}

/** Hash-based collection type names (base name, no generic arguments or assembly). */
const HASHED =
  /^(?:java\.util\.(?:HashSet|LinkedHashSet|HashMap|LinkedHashMap|Hashtable|Properties|concurrent\.ConcurrentHashMap|concurrent\.ConcurrentSkipListSet)|System\.Collections\.(?:Hashtable|Specialized\.HybridDictionary|Specialized\.ListDictionary|Generic\.HashSet`1|Generic\.Dictionary`2|Generic\.SortedSet`1|Concurrent\.ConcurrentDictionary`2))$/;

export function isHashedCollection(baseName: string): boolean {
  return HASHED.test(baseName);
}
