/**
 * Scheduler state (QA-H01…H05) and schema columns (QA-U01), read the same way on every dialect: the adapters
 * pass a function that runs one SQL text, and this module loads queries/<dialect>/scheduler-*.sql, substitutes
 * the quoted real table names and normalizes the rows. Read-only, bounded (LIMIT 1000 plus counts), and a part
 * that cannot be read is recorded in `unreadable`, never silently empty.
 */
import type {
  BoundedRows,
  Dialect,
  Facts,
  QuartzInstant,
  QuartzTable,
  QuartzTableName,
  QuartzTimeUnit,
  SchedulerFacts,
  SchedulerTrigger,
  Unreadable,
} from '../../model.js';
import { loadQuery } from '../../queries.js';

/** Runs one SQL text with positional parameters and returns its rows (column aliases are lower case). */
export type RunQuery = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;
/** The queries/ folder the shared readers load from (MySQL and MariaDB share 'mysql'): any dialect with
 *  scheduler-*.sql and schema-columns.sql files there. */
export type SchedulerDialect = Dialect;

export interface SchedulerReadOptions {
  /** Folder under queries/: e.g. 'postgres', 'mysql' (MySQL and MariaDB) or 'sqlite'. */
  dialect: SchedulerDialect;
  /** Quotes a real table name for this engine, schema-qualified where needed, e.g. "public"."qrtz_triggers". */
  quote: (table: QuartzTable) => string;
  /** What the auditor would need to read a table, for not-evaluated messages (default: SELECT on <table>). */
  needs?: (table: QuartzTable) => string;
}

/** .NET ticks at the Unix epoch (DateTime(1970,1,1).Ticks). */
export const TICKS_AT_UNIX_EPOCH = 621_355_968_000_000_000n;
export const ROW_BOUND = 1000;

/** Decides how a store writes instants from one representative stored value. Ticks for any date after
 *  year 32 are above 1e16; Unix ms between 1973 and 5138 are between 1e11 and 1e14. */
export function detectTimeUnit(raw: string | null | undefined): QuartzTimeUnit {
  if (!raw || !/^-?\d+$/.test(raw.trim())) return 'unknown';
  const v = BigInt(raw.trim());
  if (v >= 10_000_000_000_000_000n) return 'dotnet-ticks';
  if (v >= 100_000_000_000n && v < 100_000_000_000_000n) return 'unix-ms';
  return 'unknown';
}

/** Converts a stored instant to Unix ms under a unit (exact integer arithmetic: ticks exceed 2^53). */
export function toUnixMs(raw: string, unit: QuartzTimeUnit): number | null {
  const t = raw.trim();
  if (!/^-?\d+$/.test(t)) return null;
  const v = BigInt(t);
  if (unit === 'dotnet-ticks') return Number((v - TICKS_AT_UNIX_EPOCH) / 10_000n);
  if (unit === 'unix-ms') return Number(v);
  return null;
}

/** Unix ms → .NET ticks as a decimal string (demo seed data, tests). */
export function unixMsToTicks(ms: number): string {
  return (BigInt(Math.trunc(ms)) * 10_000n + TICKS_AT_UNIX_EPOCH).toString();
}

function str(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return String(v);
}

function rawNum(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = typeof v === 'bigint' ? v.toString() : String(v).trim();
  // A float rendering (e.g. '6.39e17' from a driver that lost precision) is not a usable instant.
  return /^-?\d+$/.test(s) ? s : null;
}

function num(v: unknown): number {
  const r = rawNum(v);
  return r === null ? 0 : Number(r);
}

export async function readSchedulerFacts(
  run: RunQuery,
  tables: QuartzTable[],
  options: SchedulerReadOptions,
): Promise<SchedulerFacts> {
  const unreadable: Unreadable[] = [];
  const byLogical = new Map<QuartzTableName, QuartzTable>(tables.map((t) => [t.logical, t]));
  const needs = options.needs ?? ((t: QuartzTable) => `SELECT on ${t.name}`);

  /** Runs queries/<dialect>/<name>.sql over one table; null (and an unreadable entry) when it cannot. */
  async function query(
    part: string,
    name: string,
    logical: QuartzTableName | null,
  ): Promise<Record<string, unknown>[] | null> {
    const subs: Record<string, string> = {};
    let table: QuartzTable | undefined;
    if (logical) {
      table = byLogical.get(logical);
      if (!table) {
        unreadable.push({ what: `scheduler.${part}`, reason: `table ${logical} is missing` });
        return null;
      }
      subs[logical] = options.quote(table);
    }
    try {
      return await run(loadQuery(options.dialect, name, subs), []);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      unreadable.push({ what: `scheduler.${part}`, reason, ...(table ? { needs: needs(table) } : {}) });
      return null;
    }
  }

  const nowRows = await query('now', 'scheduler-now', null);
  const nowMs = nowRows?.[0] ? num(nowRows[0].now_ms) : Date.now();
  if (!nowRows)
    unreadable[unreadable.length - 1] = {
      what: 'scheduler.now',
      reason: 'database clock not readable; used the local clock',
    };

  const stateRows = await query('triggerStates', 'scheduler-trigger-states', 'TRIGGERS');
  const triggerStates: Record<string, number> = {};
  for (const r of stateRows ?? []) triggerStates[str(r.state)] = (triggerStates[str(r.state)] ?? 0) + num(r.n);

  const sample = await query('timeUnit', 'scheduler-time-sample', 'TRIGGERS');
  const schedRows = await query('schedulerStates', 'scheduler-states', 'SCHEDULER_STATE');
  const execRows = await query('executing', 'scheduler-executing', 'FIRED_TRIGGERS');

  // Unit: the largest trigger START_TIME decides; else a check-in or fired time.
  let timeUnit: QuartzTimeUnit = 'unknown';
  let timeUnitEvidence = 'no stored time values to decide from';
  const candidates: [string, string | null][] = [
    ['TRIGGERS.START_TIME (max)', rawNum(sample?.[0]?.max_start)],
    ['SCHEDULER_STATE.LAST_CHECKIN_TIME', rawNum(schedRows?.[0]?.last_checkin)],
    ['FIRED_TRIGGERS.FIRED_TIME', rawNum(execRows?.[0]?.fired)],
  ];
  for (const [where, raw] of candidates) {
    const unit = detectTimeUnit(raw);
    if (raw && unit !== 'unknown') {
      timeUnit = unit;
      timeUnitEvidence = `${where} = ${raw}: ${unit === 'dotnet-ticks' ? '.NET ticks (Quartz.NET)' : 'Unix milliseconds (Java Quartz)'}`;
      break;
    }
    if (raw) timeUnitEvidence = `${where} = ${raw} fits neither .NET ticks nor Unix milliseconds`;
  }
  const instant = (v: unknown): QuartzInstant | null => {
    const raw = rawNum(v);
    return raw === null ? null : { raw, ms: toUnixMs(raw, timeUnit) };
  };

  const trigger = (r: Record<string, unknown>): SchedulerTrigger => ({
    sched: str(r.sched),
    group: str(r.grp),
    name: str(r.name),
    jobGroup: str(r.job_group),
    jobName: str(r.job_name),
    state: str(r.state),
    nextFire: instant(r.next_fire),
  });
  const bounded = <T>(rows: T[], total: number): BoundedRows<T> => ({ rows, total: Math.max(total, rows.length) });
  const stateCount = (...states: string[]) => states.reduce((n, s) => n + (triggerStates[s] ?? 0), 0);

  const errorRows = await query('errorTriggers', 'scheduler-error-triggers', 'TRIGGERS');
  const nextRows = await query('earliestNextFire', 'scheduler-earliest-next-fire', 'TRIGGERS');
  const pausedRows = await query('pausedOrBlocked', 'scheduler-paused-triggers', 'TRIGGERS');
  const groupRows = await query('pausedGroups', 'scheduler-paused-groups', 'PAUSED_TRIGGER_GRPS');
  const groupCount = groupRows
    ? await query('pausedGroups', 'scheduler-paused-groups-count', 'PAUSED_TRIGGER_GRPS')
    : null;
  const schedCount = schedRows ? await query('schedulerStates', 'scheduler-states-count', 'SCHEDULER_STATE') : null;
  const execCount = execRows ? await query('executing', 'scheduler-executing-count', 'FIRED_TRIGGERS') : null;

  return {
    nowMs,
    timeUnit,
    timeUnitEvidence,
    triggerStates,
    errorTriggers: bounded((errorRows ?? []).map(trigger), stateCount('ERROR')),
    earliestNextFire: bounded((nextRows ?? []).map(trigger), stateCount('WAITING', 'ACQUIRED')),
    pausedOrBlocked: bounded((pausedRows ?? []).map(trigger), stateCount('PAUSED', 'PAUSED_BLOCKED', 'BLOCKED')),
    pausedGroups: bounded(
      (groupRows ?? []).map((r) => ({ sched: str(r.sched), group: str(r.grp) })),
      num(groupCount?.[0]?.n),
    ),
    schedulerStates: bounded(
      (schedRows ?? []).map((r) => ({
        sched: str(r.sched),
        instance: str(r.instance),
        lastCheckin: instant(r.last_checkin) ?? { raw: str(r.last_checkin), ms: null },
        checkinIntervalMs: num(r.checkin_interval),
      })),
      num(schedCount?.[0]?.n),
    ),
    executing: bounded(
      (execRows ?? []).map((r) => ({
        sched: str(r.sched),
        entryId: str(r.entry_id),
        group: str(r.grp),
        name: str(r.name),
        instance: str(r.instance),
        jobGroup: r.job_group == null ? null : str(r.job_group),
        jobName: r.job_name == null ? null : str(r.job_name),
        fired: instant(r.fired) ?? { raw: str(r.fired), ms: null },
      })),
      num(execCount?.[0]?.n),
    ),
    unreadable,
  };
}

/**
 * Upper-case `LOGICAL.COLUMN` names of the Quartz tables (for QA-U01), from queries/<dialect>/schema-columns.sql.
 * `params(table)` gives that file's parameters: by default [schema, realName] (PostgreSQL, MySQL); SQLite's
 * file takes [realName].
 */
export async function readQuartzSchemaColumns(
  run: RunQuery,
  tables: QuartzTable[],
  dialect: SchedulerDialect,
  params: (table: QuartzTable) => unknown[] = (t) => [t.schema, t.name],
): Promise<{ columns: string[]; unreadable: Unreadable[] }> {
  const columns: string[] = [];
  const unreadable: Unreadable[] = [];
  const sql = loadQuery(dialect, 'schema-columns');
  for (const t of tables) {
    try {
      const rows = await run(sql, params(t));
      for (const r of rows) columns.push(`${t.logical}.${str(r.column_name ?? r.COLUMN_NAME).toUpperCase()}`);
    } catch (err) {
      unreadable.push({
        what: `schemaColumns.${t.logical}`,
        reason: err instanceof Error ? err.message : String(err),
        needs: `any privilege on ${t.name}`,
      });
    }
  }
  return { columns: columns.sort(), unreadable };
}

/**
 * Reads scheduler state (QA-H…) and the Quartz schema columns (QA-U01) into facts. Both are table
 * contents, so adapters call this when the blobs family runs; `guarded` records a failed read as
 * unreadable instead of failing the scan.
 */
export async function addContentFacts(
  facts: Facts,
  run: RunQuery,
  opts: SchedulerReadOptions,
  guarded: (what: string, fn: () => Promise<void>) => Promise<unknown>,
): Promise<void> {
  await guarded('scheduler', async () => {
    facts.scheduler = await readSchedulerFacts(run, facts.tables, opts);
  });
  await guarded('schema-columns', async () => {
    const c = await readQuartzSchemaColumns(run, facts.tables, opts.dialect);
    facts.quartzSchemaColumns = c.columns;
    facts.unreadable.push(...c.unreadable);
  });
}
