/** Quartz table discovery shared by the adapters: exact, case-insensitive names (never LIKE patterns). */
import { UserError } from '../../errors.js';
import { QUARTZ_TABLES, type QuartzTableName, type TamperObject, type Unreadable } from '../../model.js';
import { escapeControl } from '../../report/terminal.js';

/** Lower-case real names expected for a prefix, with their logical names. */
export function expectedTables(prefix: string): { logical: QuartzTableName; lower: string }[] {
  return QUARTZ_TABLES.map((logical) => ({ logical, lower: `${prefix}${logical}`.toLowerCase() }));
}

/** Logical name for a real table name under a prefix, or undefined. */
export function logicalName(prefix: string, realName: string): QuartzTableName | undefined {
  const lower = realName.toLowerCase();
  return expectedTables(prefix).find((t) => t.lower === lower)?.logical;
}

/** The error when no Quartz table matches: lists the schema.prefix pairs that do look like Quartz tables. */
export function noTablesError(
  where: string,
  prefix: string,
  candidates: { schema: string; prefix: string }[],
): UserError {
  // Names from the database: control, ESC and bidi characters made visible here too (the CLI escapes again).
  const seen = candidates.map((c) => escapeControl(`${c.schema}.${c.prefix}`));
  const hint = seen.length
    ? ` Quartz-looking tables found at: ${seen.join(', ')} (use --schema / --table-prefix).`
    : ' No Quartz-looking tables (a *LOCKS table with SCHED_NAME and LOCK_NAME) are visible to this login.';
  return new UserError('tables', `no Quartz tables with prefix ${prefix} in ${where}.${hint}`);
}

/**
 * The Unreadable of each object found under a Quartz name that is not a plain table (a view, a virtual table, a
 * table with generated columns): reported as tampering, never read.
 */
export function notTablesUnreadable(prefix: string, notTables: readonly TamperObject[]): Unreadable[] {
  return notTables.map((n) => {
    const logical = n.table ? logicalName(prefix, n.table) : undefined;
    return {
      what: `table.${logical ?? n.table}`,
      reason: `not read: ${n.detail}`,
      ...(n.table ? { table: n.table } : {}),
      cause: 'tamper',
    };
  });
}
