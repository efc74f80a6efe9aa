/** Helpers shared by the MySQL-family checks (pure). */
import { unreadable } from '../facts.js';
import type { Facts, FindingDraft, FindingObject, Grant } from '../model.js';
import { reachableRoles } from '../role-graph.js';

export const MYSQL_FAMILY: ('mysql' | 'mariadb')[] = ['mysql', 'mariadb'];

/** 'user'@'host' → { user, host }; bare names (MariaDB roles, PUBLIC) have no host. */
export function splitName(name: string): { user: string; host?: string } {
  const m = /^'(.*)'@'(.*)'$/.exec(name);
  return m ? { user: m[1] ?? '', host: m[2] ?? '' } : { user: name };
}

/** SQL account literal for remediation text: 'user'@'host' or 'role'. */
export function accountObject(name: string): FindingObject {
  return { kind: 'principal', name: name === 'PUBLIC' ? 'PUBLIC' : `account ${name}`, principal: name };
}

export function serverObject(facts: Facts): FindingObject {
  return { kind: 'server', name: `${facts.server.product} ${facts.server.version}` };
}

/** Roles an account holds, transitively (every granted role: the account can SET ROLE it). */
export function rolesHeld(facts: Facts, account: string): string[] {
  return [...reachableRoles(facts.memberships, account).keys()];
}

/** Positions of each grantee's grants in a grants array, built once per array (grantsOf() runs for every
 *  principal: filtering every grant each time was quadratic, seconds at 10,000 accounts). Rebuilt when
 *  the array's length or its first or last element changed. */
const grantIndex = new WeakMap<
  readonly Grant[],
  { length: number; first?: Grant; last?: Grant; at: Map<string, number[]> }
>();
function positionsByGrantee(grants: readonly Grant[]): Map<string, number[]> {
  const first = grants[0];
  const last = grants[grants.length - 1];
  const hit = grantIndex.get(grants);
  if (hit && hit.length === grants.length && hit.first === first && hit.last === last) return hit.at;
  const at = new Map<string, number[]>();
  grants.forEach((g, i) => {
    const list = at.get(g.grantee);
    if (list) list.push(i);
    else at.set(g.grantee, [i]);
  });
  grantIndex.set(grants, { length: grants.length, first, last, at });
  return at;
}

/** Grants that apply to an account: its own, its roles' (with the role as path) and PUBLIC's, in the
 *  order of facts.grants. */
export function grantsOf(facts: Facts, account: string): { grant: Grant; via: string }[] {
  const holders = new Map<string, string>([[account, 'direct']]);
  for (const r of rolesHeld(facts, account)) holders.set(r, `role ${r}`);
  if (account !== 'PUBLIC') holders.set('PUBLIC', 'PUBLIC');
  const at = positionsByGrantee(facts.grants);
  const positions: number[] = [];
  for (const h of holders.keys()) for (const i of at.get(h) ?? []) positions.push(i);
  positions.sort((a, b) => a - b);
  return positions.map((i) => {
    const grant = facts.grants[i] as Grant;
    return { grant, via: holders.get(grant.grantee) ?? '' };
  });
}

/**
 * Not-evaluated draft when the service account's grants are unknown: it is not the connected account and
 * the grant tables were not readable.
 */
export function serviceAccountUnknown(facts: Facts, obj: FindingObject): FindingDraft | undefined {
  const u = unreadable(facts, 'grants.others') ?? unreadable(facts, 'effective-privileges');
  if (u && facts.serviceAccount !== facts.connectedAs) {
    return {
      status: 'not-evaluated',
      message: `cannot see the grants of ${facts.serviceAccount} as ${facts.connectedAs}: ${u.reason}`,
      object: obj,
      evidence: { needs: u.needs ?? null },
    };
  }
  return undefined;
}

/** Not-evaluated draft when only the connected account's own grants are known. */
export function othersUnknown(facts: Facts, obj: FindingObject, what: string): FindingDraft | undefined {
  const u = unreadable(facts, 'grants.others');
  if (!u) return undefined;
  return {
    status: 'not-evaluated',
    message: `${what}: only the grants of ${facts.connectedAs} are visible`,
    object: obj,
    evidence: { needs: u.needs ?? null },
    discriminator: 'others',
  };
}

export function isOn(v: string | null | undefined): boolean {
  return v !== null && v !== undefined && /^(on|1|yes|true|force|forced_on|forced_on_strict)$/i.test(v.trim());
}

export function list(items: string[], max = 6): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} … (+${items.length - max} more)`;
}
