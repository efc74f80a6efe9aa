/**
 * The one role-graph search: breadth-first over memberships (member → role), shortest path first. Engine rules
 * are parameters: whether only memberships that pass privileges count (PostgreSQL INHERIT; MySQL/MariaDB
 * count every granted role, since the account can SET ROLE it), and roles every principal reaches implicitly
 * (MariaDB PUBLIC). Used by the adapters (effective privileges, the path a privilege comes through) and the
 * checks (roles an account holds).
 */
import type { Membership } from './model.js';

/** Memberships indexed by member, for repeated walks over the same graph. */
export type RoleGraph = ReadonlyMap<string, readonly Membership[]>;

export function roleGraph(memberships: readonly Membership[]): RoleGraph {
  const g = new Map<string, Membership[]>();
  for (const m of memberships) {
    const list = g.get(m.member) ?? [];
    list.push(m);
    g.set(m.member, list);
  }
  return g;
}

/** Graphs built for membership arrays, so that walks from every principal over the same facts build one
 *  (a graph per walk was quadratic: most of a catalog scan at 10,000 roles). Rebuilt when the array's
 *  length or its first or last element changed. */
const built = new WeakMap<
  readonly Membership[],
  { length: number; first?: Membership; last?: Membership; graph: RoleGraph }
>();
function graphOf(memberships: readonly Membership[]): RoleGraph {
  const first = memberships[0];
  const last = memberships[memberships.length - 1];
  const hit = built.get(memberships);
  if (hit && hit.length === memberships.length && hit.first === first && hit.last === last) return hit.graph;
  const graph = roleGraph(memberships);
  built.set(memberships, { length: memberships.length, first, last, graph });
  return graph;
}

export interface WalkOptions {
  /** Follow only memberships whose privileges flow without SET ROLE (Membership.inherit). Default: every membership. */
  inheritOnly?: boolean;
  /** Roles every principal reaches directly (e.g. MariaDB PUBLIC), visited right after the start. */
  implicit?: readonly string[];
  /** At most this many roles are visited (a hostile catalog may hold a huge graph). Default 10 000. */
  limit?: number;
}

/** One role reached, with the chain of roles it is reached through (ending in it; [] for the start itself). */
export interface Reached {
  role: string;
  path: string[];
}

/** Every role reachable from `start`, the start first (path []), then breadth-first: each once, by its shortest path. */
export function* walkRoles(
  graph: RoleGraph | readonly Membership[],
  start: string,
  opts: WalkOptions = {},
): Generator<Reached> {
  const g: RoleGraph = Array.isArray(graph) ? graphOf(graph as readonly Membership[]) : (graph as RoleGraph);
  const limit = opts.limit ?? 10_000;
  const seen = new Set<string>([start]);
  const queue: Reached[] = [{ role: start, path: [] }];
  for (const r of opts.implicit ?? []) {
    if (seen.has(r)) continue;
    seen.add(r);
    queue.push({ role: r, path: [r] });
  }
  for (let i = 0; i < queue.length; i++) {
    const cur = queue[i] as Reached;
    yield cur;
    for (const m of g.get(cur.role) ?? []) {
      if (opts.inheritOnly && !m.inherit) continue;
      if (seen.has(m.role) || seen.size > limit) continue;
      seen.add(m.role);
      queue.push({ role: m.role, path: [...cur.path, m.role] });
    }
  }
}

/** Roles reachable from `start` (not the start itself), each with its shortest path, in breadth-first order. */
export function reachableRoles(
  graph: RoleGraph | readonly Membership[],
  start: string,
  opts: WalkOptions = {},
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of walkRoles(graph, start, opts)) if (r.role !== start) out.set(r.role, r.path);
  return out;
}

/** The first role (the start included) that satisfies `stop`, breadth-first, with its path. */
export function findRole(
  graph: RoleGraph | readonly Membership[],
  start: string,
  stop: (role: string) => boolean,
  opts: WalkOptions = {},
): Reached | undefined {
  for (const r of walkRoles(graph, start, opts)) if (stop(r.role)) return r;
  return undefined;
}
