/** End-of-support data and version helpers shared by QA-U01 and QA-U02 (data/eol.json). */
import type { CheckOptions, Facts } from '../../model.js';
import { loadData } from '../../queries.js';
import { safeText } from '../job-util.js';
export interface EolLine {
  line: string;
  eol?: string;
  supported?: boolean;
  note?: string;
}
export interface EolProduct {
  source: string;
  lines: EolLine[];
  oldestSupported?: string;
  schemaColumns?: { column: string; since: string }[];
}
export type EolTable = { asOf: string } & Record<
  'postgresql' | 'mysql' | 'mariadb' | 'quartznet' | 'quartz-java',
  EolProduct
>;

let cached: EolTable | undefined;
export function eolTable(): EolTable {
  cached ??= loadData<EolTable>('eol.json');
  return cached;
}

/** Numeric compare of dotted versions ('3.17' < '3.8' is false). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

export type Support =
  | { state: 'supported'; line: EolLine }
  | { state: 'eol'; line: EolLine | null; why: string }
  | { state: 'unknown'; why: string };

/** Where a version stands in a product's table on a date (ms). */
export function supportOf(product: EolProduct, version: string, nowMs: number, asOf: string): Support {
  const line = [...product.lines]
    .filter((l) => version === l.line || version.startsWith(`${l.line}.`))
    .sort((a, b) => b.line.length - a.line.length)[0];
  if (line) {
    if (line.eol && Date.parse(line.eol) < nowMs) return { state: 'eol', line, why: `end of support ${line.eol}` };
    if (line.supported === false) return { state: 'eol', line, why: line.note ?? 'no longer supported' };
    return { state: 'supported', line };
  }
  const sorted = [...product.lines].sort((a, b) => compareVersions(a.line, b.line));
  const oldest = sorted[0];
  const newest = sorted[sorted.length - 1];
  if (oldest && compareVersions(version, oldest.line) < 0) {
    return { state: 'eol', line: null, why: `older than every line in the table (oldest listed: ${oldest.line})` };
  }
  if (newest && compareVersions(version, newest.line) > 0) {
    return { state: 'unknown', why: `newer than the table (dated ${asOf}, newest line ${newest.line})` };
  }
  return { state: 'unknown', why: `line not in the table (dated ${asOf})` };
}

export function nowOf(options: CheckOptions): number {
  return options.now ?? Date.now();
}

/** 'PostgreSQL 16.4 (Debian…)' → '16.4'; MariaDB's '5.5.5-10.11.6-MariaDB' → '10.11.6'. */
export function serverVersion(raw: string): string | undefined {
  const maria = /5\.5\.5-(\d+\.\d+(?:\.\d+)?)/.exec(raw);
  if (maria?.[1]) return maria[1];
  return /(\d+\.\d+(?:\.\d+)?)/.exec(raw)?.[1] ?? /(\d+)/.exec(raw)?.[1];
}

export interface Inference {
  ecosystem: 'quartznet' | 'quartz-java';
  version: string;
  /** true: exact (assembly version); false: lower bound (schema column) or line marker. */
  exact: boolean;
  from: string;
  /** Blob rows this inference comes from (assembly names, serialized classes); absent for schema columns. */
  rows?: number;
}

/** What the blobs and the schema say about the Quartz version (pure; exported for tests). */
export function inferQuartzVersions(facts: Facts): Inference[] {
  const out: Inference[] = [];
  const inv = facts.blobInventory;
  for (const [name, rows] of Object.entries(inv?.quartzVersions ?? {})) {
    const m = /^Quartz(?:\.[A-Za-z.]+)?\s*,\s*Version=(\d+(?:\.\d+){1,3})/i.exec(name);
    if (m?.[1]) {
      out.push({
        ecosystem: 'quartznet',
        version: m[1],
        exact: true,
        from: `assembly name '${safeText(name, 120)}' in ${rows} NRBF blobs`,
        rows,
      });
    }
  }
  const types = inv?.types ?? {};
  const c5 = Object.keys(types).find((t) => t.startsWith('C5.'));
  if (c5)
    out.push({
      ecosystem: 'quartznet',
      version: '2',
      exact: false,
      from: `C5 collection type ${c5} (Quartz.NET 2.x only)`,
    });
  const java1 = ['org.quartz.CronTrigger', 'org.quartz.SimpleTrigger', 'org.quartz.JobDetail'].find((t) => t in types);
  if (java1) {
    out.push({
      ecosystem: 'quartz-java',
      version: '1',
      exact: false,
      from: `serialized class ${java1} (a concrete class only in Java Quartz 1.x)`,
      rows: types[java1] ?? 0,
    });
  }
  const java2 = Object.keys(types).find((t) => t.startsWith('org.quartz.impl.triggers.'));
  if (java2 && !java1) {
    out.push({
      ecosystem: 'quartz-java',
      version: '2',
      exact: false,
      from: `serialized class ${java2} (Java Quartz 2.x+)`,
    });
  }
  const cols = new Set((facts.quartzSchemaColumns ?? []).map((c) => c.toUpperCase()));
  let best: { column: string; since: string } | undefined;
  for (const sc of eolTable().quartznet.schemaColumns ?? []) {
    if (cols.has(sc.column) && (!best || compareVersions(sc.since, best.since) > 0)) best = sc;
  }
  if (best) {
    out.push({
      ecosystem: 'quartznet',
      version: best.since,
      exact: false,
      from: `schema column ${best.column} (added in Quartz.NET ${best.since}): at least ${best.since}`,
    });
  }
  return out;
}
