/**
 * The scan engine: adapter → facts → blob stream → decoders → checks → findings.
 * Checks are pure; this is the only place that connects them to I/O.
 */

import { forgetLastBlob } from './checks/content/secrets-scan.js';
import { allChecks } from './checks/index.js';
import { forgetShortStrings } from './decode/index.js';
import type { Adapter } from './dialect.js';
import { UserError } from './errors.js';
import type {
  BlobInventory,
  Check,
  CheckOptions,
  Dialect,
  Facts,
  Family,
  Finding,
  FindingDraft,
  ScannedBlob,
  Severity,
  Unreadable,
} from './model.js';
import { checkOptions, DIALECT_NAMES, evaluatorOf, readsTableContents, SEVERITIES } from './model.js';
import { DecodeCache } from './scan/decode-cache.js';
import { finalize, type InventoryPart, inspectResolved } from './scan/inspect.js';
import { ScanPool } from './scan/workers.js';
import { FindingSpill, SPILL_AFTER } from './spill.js';

// The per-row part of a scan (also what a scan worker runs): src/scan/inspect.ts.
export {
  finalize,
  fingerprintOf,
  type InventoryPart,
  inspectBlobWith,
  inventoryPartOf,
  rowKey,
  rowName,
} from './scan/inspect.js';

/** Blob rows between two turns of the event loop during a scan (see runScan). */
const YIELD_EVERY_ROWS = 1000;

export interface ScanOptions {
  families: Set<Family>;
  /** Options the checks read; what is not given takes its default (DEFAULT_CHECK_OPTIONS). */
  checkOptions: Partial<CheckOptions>;
  checks?: Check[];
  /** Applied to row findings before they spill to disk (the report's redaction; src/spill.ts). */
  prepareSpilled?: (f: Finding) => Finding;
  /** Called after every streamed blob row (progress display). */
  onBlob?: (rows: number, bytes: number) => void;
  /** Progress display hooks (src/commands/progress.ts); with it the blob rows are counted first. */
  progress?: ScanProgress;
  /** Worker threads that decode and check the blob rows (--workers); 0 or 1 (the default): this thread. */
  workers?: number;
  /** The worker module (tests only: one that crashes); default src/scan/worker.ts. */
  workerEntry?: URL;
}

/** What a progress display hears from a scan; every hook optional, none may throw. */
export interface ScanProgress {
  /** A phase starts: 'catalog' (facts), 'count' (blob rows), 'blobs', 'checks'. */
  phase?(name: 'catalog' | 'count' | 'blobs' | 'checks'): void;
  /** The blob stream starts; total from the adapter's countBlobRows (undefined: not known). */
  blobsStart?(total: number | undefined): void;
  /** One blob row was streamed, of this many bytes (its full size in the database). */
  blob?(bytes: number): void;
  /** The blob stream ended (read to the end, or cut by an unreadable table). */
  blobsEnd?(): void;
}

/**
 * What a scan collected before the fact-level checks judge it (issue #13 part 6): the facts (blob inventory
 * included) and the content findings of the blob stream — the row findings kept in memory, in row order,
 * then each blob check's pass or not-evaluated — with the rest of the row findings in `spill`.
 */
export interface Collected {
  facts: Facts;
  contentFindings: Finding[];
  spill?: FindingSpill;
  /** The adapter's count of blob rows before streaming (only counted for a progress display). */
  blobRowsTotal?: number;
  startedAt: string;
  durationMs: number;
}

export interface ScanResult {
  facts: Facts;
  /** Every finding, but for the row findings past SPILL_AFTER: those are in `spill` (src/spill.ts). */
  findings: Finding[];
  spill?: FindingSpill;
  /** The adapter's count of blob rows before streaming (only counted for a progress display). */
  blobRowsTotal?: number;
  startedAt: string;
  durationMs: number;
}

/** The check applies to this dialect (meta.dialects; absent = every dialect) and its family is selected. */
export function applies(check: Check, dialect: Dialect, families: ReadonlySet<Family>): boolean {
  if (!families.has(check.meta.family)) return false;
  return !check.meta.dialects || check.meta.dialects.includes(dialect);
}

/** The dialects a check is evaluated on: its engine part there, else its evaluate (see evaluatorOf). */
export function evaluatedOn(check: Check, dialect: Dialect): boolean {
  return evaluatorOf(check, dialect) !== undefined;
}

/** The not-evaluated finding of a check that applies to a dialect but has no evaluator for it yet. */
function notYetEvaluated(check: Check, facts: Facts): FindingDraft {
  const needs = check.meta.needs?.[facts.dialect];
  return {
    status: 'not-evaluated',
    message: `not yet evaluated on ${DIALECT_NAMES[facts.dialect]}`,
    object: { kind: 'database', name: facts.target.database || facts.dialect },
    ...(needs ? { evidence: { needs } } : {}),
    discriminator: 'not-yet-evaluated',
  };
}

/**
 * The drafts of one check on these facts, through its engine part (or its one evaluator); not-evaluated when
 * the check has no evaluator for the dialect. Unlike evaluateFacts it does not filter by family or catch.
 */
export function evaluateCheck(check: Check, facts: Facts, options: Partial<CheckOptions> = {}): FindingDraft[] {
  const evaluator = evaluatorOf(check, facts.dialect);
  if (!evaluator) return [notYetEvaluated(check, facts)];
  return evaluator.evaluate(facts, checkOptions(options));
}

/** Runs every fact-level check. A check that throws is reported as not-evaluated, never as a pass. */
export function evaluateFacts(
  facts: Facts,
  checks: Check[],
  families: ReadonlySet<Family>,
  options: Partial<CheckOptions> = {},
): Finding[] {
  const opts = checkOptions(options);
  const out: Finding[] = [];
  for (const check of checks) {
    if ((!check.evaluate && !check.engines) || !applies(check, facts.dialect, families)) continue;
    const part = check.engines?.[facts.dialect];
    const evaluator = evaluatorOf(check, facts.dialect);
    if (!evaluator) {
      out.push(finalize(check, notYetEvaluated(check, facts)));
      continue;
    }
    let drafts: FindingDraft[];
    try {
      drafts = evaluator.evaluate(facts, opts);
    } catch (err) {
      drafts = [
        {
          status: 'not-evaluated',
          message: `check failed internally: ${(err as Error)?.message ?? String(err)}`,
          object: { kind: 'database', name: facts.target.database || facts.dialect },
        },
      ];
    }
    for (const d of drafts) out.push(finalize(check, d, part));
  }
  return out;
}

/** A map keyed by names from the database or blobs: no prototype, so a key like "__proto__" is just a key. */
function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

export function emptyInventory(): BlobInventory {
  return { byColumn: dict(), rows: 0, bytes: 0, types: dict(), typesByFormat: dict(), quartzVersions: dict() };
}

/**
 * Most distinct names (types, job classes, Quartz versions) one inventory map keeps: garbage or hostile
 * blobs can hold a new name in every row, and memory must stay flat whatever the row count. Names past
 * the limit are still counted (`droppedNames`), and the checks still see every blob's own types.
 */
export const MAX_INVENTORY_NAMES = 2000;
const inventorySizes = new WeakMap<Record<string, number>, number>();

/** Counts `key` in `map` unless it is a new key and the map already holds MAX_INVENTORY_NAMES names. */
function bump(inv: BlobInventory, map: Record<string, number>, key: string): void {
  const n = map[key];
  if (n !== undefined) {
    map[key] = n + 1;
    return;
  }
  const size = inventorySizes.get(map) ?? Object.keys(map).length;
  if (size >= MAX_INVENTORY_NAMES) {
    inv.droppedNames = (inv.droppedNames ?? 0) + 1;
    return;
  }
  map[key] = 1;
  inventorySizes.set(map, size + 1);
}

/** Adds one decoded blob to the inventory (rows and bytes per column and format, type counts). */
export function addToInventory(
  inv: BlobInventory,
  blob: ScannedBlob | { row: ScannedBlob['row']; decoded: InventoryPart },
): void {
  const col = `${blob.row.tableName}.${blob.row.column}`;
  const byFormat = inv.byColumn[col] ?? dict();
  inv.byColumn[col] = byFormat;
  const f = blob.decoded.format;
  const cell = byFormat[f] ?? { rows: 0, bytes: 0 };
  byFormat[f] = cell;
  cell.rows++;
  cell.bytes += blob.row.size;
  inv.rows++;
  inv.bytes += blob.row.size;
  const seen = new Set<string>();
  for (const t of blob.decoded.types) {
    if (seen.has(t.name)) continue;
    seen.add(t.name);
    bump(inv, inv.types, t.name);
    const byFormat = inv.typesByFormat[f] ?? dict();
    inv.typesByFormat[f] = byFormat;
    bump(inv, byFormat, t.name);
  }
  if (blob.row.table === 'JOB_DETAILS' && blob.row.jobClassName) {
    const classes = inv.jobClasses ?? dict();
    inv.jobClasses = classes;
    bump(inv, classes, blob.row.jobClassName);
  }
  const versions = inv.quartzVersions ?? dict();
  inv.quartzVersions = versions;
  for (const v of new Set(blob.decoded.quartzVersions ?? [])) bump(inv, versions, v);
}

/** Runs a whole scan on a connected adapter: collects (collectScan), then judges the facts (judge). */
export async function runScan(adapter: Adapter, opts: ScanOptions): Promise<ScanResult> {
  const collected = await collectScan(adapter, opts);
  const { contentFindings: _content, ...rest } = collected;
  opts.progress?.phase?.('checks');
  return {
    ...rest,
    findings: judge(collected, opts.checks ?? allChecks, opts.families, opts.checkOptions),
  };
}

/**
 * The findings of collected facts: the content findings as collected (row checks are not run again) and
 * every fact-level check run now, with these options; sorted as the report lists them.
 */
export function judge(
  collected: Pick<Collected, 'facts' | 'contentFindings'>,
  checks: Check[],
  families: ReadonlySet<Family>,
  options: Partial<CheckOptions> = {},
): Finding[] {
  return sortFindings([...collected.contentFindings, ...evaluateFacts(collected.facts, checks, families, options)]);
}

/** Reads facts and streams the blobs (running the row checks on each); the fact-level checks are not run. */
export async function collectScan(adapter: Adapter, opts: ScanOptions): Promise<Collected> {
  const started = Date.now();
  const checks = opts.checks ?? allChecks;
  const progress = opts.progress;
  progress?.phase?.('catalog');
  const facts = await adapter.collectFacts();
  const findings: Finding[] = [];
  let spill: FindingSpill | undefined;
  let blobRowsTotal: number | undefined;

  if (readsTableContents(opts.families)) {
    if (progress && adapter.countBlobRows) {
      progress.phase?.('count');
      blobRowsTotal = await adapter.countBlobRows();
    }
    progress?.phase?.('blobs');
    progress?.blobsStart?.(blobRowsTotal);
    const inventory = emptyInventory();
    // Every row finding is kept (issue #13 part 1: nothing lost): the first SPILL_AFTER in memory, the rest in
    // a temp file (src/spill.ts); human formats group them (src/report/group.ts).
    /** Checks that failed on at least one row. */
    const failed = new Set<string>();
    let kept = 0;
    const blobChecks = checks.filter((c) => c.inspectBlob && applies(c, facts.dialect, opts.families));
    const resolvedOptions = checkOptions(opts.checkOptions);
    /** Tables (or the whole stream) whose rows could not be read: the adapter's sink and mid-stream errors. */
    const unreadTables: Unreadable[] = [];
    const onUnreadable = (u: Unreadable) => {
      unreadTables.push(u);
      facts.unreadable.push(u);
    };
    // Byte-identical blobs are decoded once (src/scan/decode-cache.ts); every row is still checked.
    const decodeCache = new DecodeCache();
    /** One row's results, merged in row order whichever thread decoded and checked it. */
    const mergeRow = (row: ScannedBlob['row'], part: InventoryPart, rowFindings: Finding[]) => {
      // Rows without a blob column (SIMPROP_TRIGGERS' text properties) are not blob inventory.
      if (row.table !== 'SIMPROP_TRIGGERS') addToInventory(inventory, { row, decoded: part });
      for (const f of rowFindings) {
        failed.add(f.check);
        if (kept++ < SPILL_AFTER) findings.push(f);
        else {
          spill ??= new FindingSpill(opts.prepareSpilled);
          spill.add(f);
        }
      }
      opts.onBlob?.(inventory.rows, inventory.bytes);
      progress?.blob?.(row.size);
    };
    // --workers N (issue #16 part 3): decode and check in worker threads while this thread fetches. Only the
    // built-in checks can run there (a worker loads them by id); a caller's own checks keep the in-thread path.
    const pool =
      (opts.workers ?? 1) > 1 && blobChecks.length > 0 && blobChecks.every((c) => allChecks.includes(c))
        ? new ScanPool(
            opts.workers ?? 1,
            blobChecks,
            opts.families,
            opts.checkOptions,
            (rows, results) => {
              for (let i = 0; i < rows.length; i++) {
                const r = results[i];
                if (r) mergeRow(rows[i] as ScannedBlob['row'], r.part, r.findings);
              }
            },
            opts.workerEntry,
          )
        : undefined;
    let pulled = 0;
    try {
      try {
        for await (const row of adapter.blobRows(onUnreadable)) {
          if (pool) await pool.push(row);
          else {
            const { bytes, ...rest } = row;
            const decoded = decodeCache.decode(bytes);
            const scanned: ScannedBlob = { row: rest, decoded };
            mergeRow(rest, decoded, inspectResolved(scanned, blobChecks, resolvedOptions));
          }
          // A synchronous source (SQLite) keeps this loop inside one microtask drain, so process.nextTick work
          // (zlib's clean-up after a failed gunzipSync, among others) would wait for the end of the scan and pile
          // up per row: a million gzip-garbage rows ran a 64 MB heap out (issue #17 part 5). Let it run.
          if (++pulled % YIELD_EVERY_ROWS === 0) await new Promise<void>((r) => setImmediate(r));
        }
      } finally {
        // The rows read are evaluated whatever ended the stream: wait for the batches still in the workers.
        // A crashed worker throws here (an internal error, exit 3); the workers are ended either way.
        try {
          await pool?.finish();
        } finally {
          await pool?.close();
          // Values of this store's blobs kept between blobs for speed (the short-string table, the secret
          // scan's last blob) do not outlive its scan.
          forgetShortStrings();
          forgetLastBlob();
        }
      }
    } catch (err) {
      // A privilege error, a lock/statement timeout or a connection lost mid-stream (the session killed,
      // the server stopped) ends the stream, not the audit: what was read is evaluated and reported, the
      // rest is not-evaluated (issue #17 part 4). Anything else (a bug) ends the run.
      if (
        !(err instanceof UserError) ||
        (err.kind !== 'privilege' && err.kind !== 'timeout' && err.kind !== 'connection')
      )
        throw err;
      onUnreadable({
        what: 'blobs.stream',
        reason: err.kind === 'connection' ? `connection lost mid-scan: ${err.message}` : err.message,
        needs:
          err.kind === 'privilege'
            ? 'SELECT on the Quartz tables'
            : err.kind === 'connection'
              ? 'a connection that stays up for the whole scan (run it again)'
              : 'a retry when the tables are not locked, or a higher --lock-timeout / --statement-timeout',
        cause:
          err.kind === 'privilege'
            ? 'privilege'
            : err.kind === 'connection'
              ? 'other'
              : /\block/i.test(err.message)
                ? 'lock-timeout'
                : /\bstatement/i.test(err.message)
                  ? 'statement-timeout'
                  : 'other',
      });
    }
    progress?.blobsEnd?.();
    if (unreadTables.length) inventory.unreadable = summarizeUnreadable(unreadTables);
    facts.blobInventory = inventory;
    const dbObject = { kind: 'database' as const, name: facts.target.database || facts.dialect };
    for (const check of blobChecks) {
      if (inventory.unreadable) {
        // A partial read still evaluates what was read: findings from other tables stay; only the
        // pass becomes not-evaluated, naming what could not be read.
        findings.push(
          finalize(check, {
            status: 'not-evaluated',
            message: `${failed.has(check.meta.id) ? 'rows read were evaluated, but ' : ''}${inventory.unreadable.reason}`,
            object: dbObject,
            evidence: {
              needs: inventory.unreadable.needs ?? null,
              tables: unreadTables.map((u) => u.table ?? u.what).join(','),
              rowsRead: inventory.rows,
            },
            discriminator: 'unreadable',
          }),
        );
      } else if (!failed.has(check.meta.id)) {
        findings.push(
          finalize(check, {
            status: 'pass',
            message: `${inventory.rows} blob rows inspected, none affected`,
            object: dbObject,
          }),
        );
      }
    }
  }

  return {
    facts,
    contentFindings: findings,
    ...(spill ? { spill } : {}),
    ...(blobRowsTotal !== undefined ? { blobRowsTotal } : {}),
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
  };
}

/** One Unreadable for the blob inventory naming every table (or stream) that could not be read. */
export function summarizeUnreadable(list: Unreadable[]): Unreadable {
  const names = [...new Set(list.map((u) => u.table ?? u.what))];
  const causes = [...new Set(list.map((u) => u.cause ?? 'other'))];
  const first = list[0] as Unreadable;
  const u: Unreadable = {
    what: 'blob rows',
    reason: `could not read the rows of ${names.join(', ')} (${causes.join(', ')}): ${first.reason}${list.length > 1 ? ` (+${list.length - 1} more)` : ''}`,
    cause: first.cause ?? 'other',
  };
  const needs = [...new Set(list.map((x) => x.needs).filter((x): x is string => Boolean(x)))];
  if (needs.length) u.needs = needs.join('; ');
  if (first.table) u.table = first.table;
  return u;
}

const STATUS_ORDER = ['fail', 'not-evaluated', 'manual', 'info', 'pass', 'not-applicable'];

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) ||
      SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
      a.check.localeCompare(b.check) ||
      a.object.name.localeCompare(b.object.name),
  );
}

/** True when a finding fails the build at the given threshold. */
export function failsAt(f: Finding, threshold: Severity): boolean {
  return f.status === 'fail' && SEVERITIES.indexOf(f.severity) <= SEVERITIES.indexOf(threshold);
}
