/**
 * Guarded reads, the same for every adapter: a catalog read that fails for a missing privilege, a
 * lock or statement timeout (or anything the dialect says the audit survives) becomes an
 * `Unreadable` fact with its cause — never a silent empty answer and never the end of the audit.
 * Only what the dialect calls fatal (a lost session) ends it, mapped to one clear line.
 */
import type { Unreadable } from '../../model.js';

/** How one dialect tells failures apart. */
export interface ReadPolicy {
  /** Runs the read in isolation (PostgreSQL: a savepoint, so a failure does not abort the transaction). Default: as is. */
  isolate?<T>(fn: () => Promise<T>): Promise<T>;
  /** The error to throw instead of recording the failure (a lost session), or undefined to record it. */
  fatal(err: unknown): unknown;
  /** Why it failed, for Unreadable.cause (undefined: no cause recorded). */
  cause(err: unknown): Unreadable['cause'] | undefined;
  /** The real table name the failure is about, when the message names one. */
  table?(err: unknown, cause: Unreadable['cause'] | undefined): string | undefined;
}

/** A guarded read: true when it ran, false when it was recorded as unreadable. */
export type Guarded = (what: string, fn: () => Promise<void>, needs?: string) => Promise<boolean>;

/** Makes the guarded-read function of one facts collection, recording failures in `unreadable`. */
export function guardedReads(unreadable: Unreadable[], policy: ReadPolicy): Guarded {
  return async (what, fn, needs) => {
    try {
      if (policy.isolate) await policy.isolate(fn);
      else await fn();
      return true;
    } catch (err) {
      const fatal = policy.fatal(err);
      if (fatal !== undefined) throw fatal;
      const cause = policy.cause(err);
      const table = policy.table?.(err, cause);
      unreadable.push({
        what,
        reason: String((err as { message?: unknown })?.message ?? err),
        ...(needs ? { needs } : {}),
        ...(cause ? { cause } : {}),
        ...(table ? { table } : {}),
      });
      return false;
    }
  };
}
