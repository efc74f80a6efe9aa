/**
 * Which principal is the Quartz service account. Adapters call this once they have read principals
 * and effective privileges, before the reads that depend on the account (its grants, search_path…).
 *
 * - `--service-account NAME`: that principal; a name no principal has is a usage error (exit 2) with
 *   close matches, never a silent run of not-evaluated checks.
 * - otherwise the connected login when it holds the DML Quartz needs (it is the scheduler's login);
 * - otherwise the one non-owner, non-superuser login that holds it (inferred, and said so);
 * - otherwise a usage error listing the candidates.
 */
import { UserError } from './errors.js';
import type { EffectivePrivilege, Principal } from './model.js';

/** What Quartz's own statements need on every Quartz table. */
export const QUARTZ_DML = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] as const;

export interface ServiceAccountInput {
  /** --service-account as given. */
  explicit?: string;
  connectedAs: string;
  principals: Principal[];
  /** Effective privileges on the Quartz tables (principal, logical table, privilege). */
  effective: EffectivePrivilege[];
  /** Logical names of the Quartz tables present. */
  tables: string[];
  /** Owners of the Quartz tables (and of their schema/database where the engine has one). */
  owners: string[];
  /** False when principals or effective privileges could not be read: then no inference is tried. */
  complete: boolean;
  /** Compares principal names (MySQL accounts are 'user'@'host'; names may be case-insensitive). */
  same?: (a: string, b: string) => boolean;
}

export interface ServiceAccountChoice {
  name: string;
  source: 'option' | 'connected-login' | 'inferred';
}

function holdsQuartzDml(name: string, input: ServiceAccountInput, same: (a: string, b: string) => boolean): boolean {
  if (input.tables.length === 0) return false;
  return input.tables.every((t) =>
    QUARTZ_DML.every((p) => input.effective.some((e) => e.table === t && e.privilege === p && same(e.principal, name))),
  );
}

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] as number;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] as number;
      prev[j] = Math.min(up + 1, (prev[j - 1] as number) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length] as number;
}

export function closeMatches(name: string, candidates: string[], most = 3): string[] {
  const lower = name.toLowerCase();
  return candidates
    .map((c) => ({ c, d: distance(lower, c.toLowerCase()) }))
    .filter(({ c, d }) => d <= Math.max(2, Math.floor(name.length / 3)) || c.toLowerCase().includes(lower))
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c))
    .slice(0, most)
    .map(({ c }) => c);
}

export function chooseServiceAccount(input: ServiceAccountInput): ServiceAccountChoice {
  const same = input.same ?? ((a: string, b: string) => a === b);
  const names = input.principals.filter((p) => p.kind !== 'public').map((p) => p.name);
  if (input.explicit !== undefined) {
    if (input.complete && names.length > 0 && !names.some((n) => same(n, input.explicit as string))) {
      const near = closeMatches(input.explicit, names);
      throw new UserError(
        'usage',
        `--service-account: no principal named ${JSON.stringify(input.explicit)} exists${
          near.length ? ` (close matches: ${near.map((n) => JSON.stringify(n)).join(', ')})` : ''
        }`,
      );
    }
    return { name: input.explicit, source: 'option' };
  }
  if (!input.complete || holdsQuartzDml(input.connectedAs, input, same)) {
    return { name: input.connectedAs, source: 'connected-login' };
  }
  const isOwner = (n: string) => input.owners.some((o) => same(o, n));
  const candidates = input.principals.filter(
    (p) =>
      p.canLogin &&
      p.kind !== 'public' &&
      !p.attributes.includes('superuser') &&
      !isOwner(p.name) &&
      !same(p.name, input.connectedAs) &&
      holdsQuartzDml(p.name, input, same),
  );
  if (candidates.length === 1) return { name: (candidates[0] as Principal).name, source: 'inferred' };
  const listed = candidates.length
    ? `candidates: ${candidates.map((c) => JSON.stringify(c.name)).join(', ')}`
    : 'no login other than the owner holds SELECT, INSERT, UPDATE and DELETE on every Quartz table';
  throw new UserError(
    'usage',
    `the connected login ${JSON.stringify(input.connectedAs)} holds no INSERT/UPDATE/DELETE on the Quartz tables, so it is not the scheduler's login; name the Quartz service account with --service-account (${listed})`,
  );
}
