/** Update hygiene: QA-U01 (the Quartz version that wrote the store) and QA-U02 (database server end of support),
 *  from the dated table data/eol.json. */
import type { Check, CheckOptions, Facts, FindingDraft } from '../../model.js';
import { loadData } from '../../queries.js';
import { withMssqlPart } from '../util.mssql.js';
import { u02Mssql } from './u01-u02.mssql.js';
import { databaseObject, safeText } from './util.js';

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
  'postgresql' | 'mysql' | 'mariadb' | 'sqlserver' | 'quartznet' | 'quartz-java',
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

function nowOf(options: CheckOptions): number {
  return options.now ?? Date.now();
}

/** 'PostgreSQL 16.4 (Debian…)' → '16.4'; MariaDB's '5.5.5-10.11.6-MariaDB' → '10.11.6'. */
export function serverVersion(raw: string): string | undefined {
  const maria = /5\.5\.5-(\d+\.\d+(?:\.\d+)?)/.exec(raw);
  if (maria?.[1]) return maria[1];
  return /(\d+\.\d+(?:\.\d+)?)/.exec(raw)?.[1] ?? /(\d+)/.exec(raw)?.[1];
}

export const u02: Check = {
  meta: {
    id: 'QA-U02',
    title: 'Database server version past its vendor end of support',
    family: 'updates',
    severity: 'medium',
    mitigation: 'Keep Quartz and its dependencies updated',
    remediation: 'Upgrade the database server to a supported major version (see the vendor support policy).',
    needs: {
      postgres: 'nothing beyond connecting (server_version)',
      mysql: 'nothing beyond connecting (VERSION())',
      mariadb: 'nothing beyond connecting (VERSION())',
      sqlite: 'nothing (not applicable: a library)',
      mssql: 'nothing beyond connecting (SERVERPROPERTY)',
    },
  },
  // SQL Server: its own part (u01-u02.mssql.ts); the other engines share the evaluate below.
  engines: withMssqlPart(() => u02, ['postgres', 'mysql', 'mariadb', 'sqlite'], u02Mssql),
  evaluate(facts: Facts, options: CheckOptions): FindingDraft[] {
    const object = { kind: 'server' as const, name: `${facts.server.product} ${facts.server.version}`.trim() };
    if (facts.dialect === 'sqlite') {
      return [
        {
          status: 'not-applicable',
          message: 'SQLite is a library linked into the application, not a server: update it with the application',
          object,
        },
      ];
    }
    const table = eolTable();
    const raw = facts.server.version;
    const version = raw && raw !== 'unknown' ? serverVersion(raw) : undefined;
    if (!version) {
      return [{ status: 'not-evaluated', message: 'the server version was not readable', object }];
    }
    const maria = facts.dialect === 'mariadb' || /mariadb/i.test(`${facts.server.product} ${raw}`);
    const key = facts.dialect === 'postgres' ? 'postgresql' : maria ? 'mariadb' : 'mysql';
    const name = key === 'postgresql' ? 'PostgreSQL' : maria ? 'MariaDB' : 'MySQL';
    // PostgreSQL 10+ lines are the major alone.
    const v = key === 'postgresql' && Number.parseInt(version, 10) >= 10 ? version : version;
    const s = supportOf(table[key], v, nowOf(options), table.asOf);
    const evidence = { version: safeText(raw, 120), table: `data/eol.json (${table.asOf})`, source: table[key].source };
    if (s.state === 'eol') {
      return [
        {
          status: 'fail',
          message: `${name} ${version} is past end of support: ${s.why}${s.line?.note ? ` (${s.line.note})` : ''}`,
          object,
          evidence: { ...evidence, line: s.line?.line ?? null, eol: s.line?.eol ?? null },
        },
      ];
    }
    if (s.state === 'unknown') {
      return [{ status: 'info', message: `${name} ${version}: support not known (${s.why})`, object, evidence }];
    }
    return [
      {
        status: 'pass',
        message: `${name} ${version} is supported${s.line.eol ? ` until ${s.line.eol}` : ''}${s.line.note ? ` (${s.line.note})` : ''}`,
        object,
        evidence: { ...evidence, line: s.line.line, eol: s.line.eol ?? null },
      },
    ];
  },
};

interface Inference {
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

export const u01: Check = {
  meta: {
    id: 'QA-U01',
    title: 'Quartz version that wrote the store is end of life',
    family: 'updates',
    severity: 'medium',
    mitigation: 'Keep Quartz and its dependencies updated',
    remediation:
      'Upgrade Quartz to a supported line (Quartz.NET 3.x/4.x, Java Quartz 2.3.2+), run the schema migrations, and re-save old job rows so no blob written by the old version remains.',
  },
  evaluate(facts: Facts, options: CheckOptions): FindingDraft[] {
    const table = eolTable();
    const object = databaseObject(facts);
    const inferred = inferQuartzVersions(facts);
    if (!inferred.length) {
      if (!facts.blobInventory && !facts.quartzSchemaColumns) {
        return [{ status: 'not-evaluated', message: 'neither blobs nor schema columns were read', object }];
      }
      const blobsUnread = facts.blobInventory?.unreadable;
      if (blobsUnread) {
        return [
          {
            status: 'not-evaluated',
            message: `no Quartz version could be inferred: blob rows could not be read (${blobsUnread.reason})`,
            object,
            evidence: { needs: blobsUnread.needs ?? null },
          },
        ];
      }
      return [
        {
          status: 'info',
          message:
            'no Quartz version could be inferred (no assembly-qualified names in blobs, no version-specific classes or schema columns)',
          object,
        },
      ];
    }
    const out: FindingDraft[] = [];
    for (const eco of ['quartznet', 'quartz-java'] as const) {
      const list = inferred.filter((i) => i.ecosystem === eco);
      if (!list.length) continue;
      const product = table[eco];
      const label = eco === 'quartznet' ? 'Quartz.NET' : 'Java Quartz';
      // The newest writer decides what runs now; older rows are reported alongside.
      const newest = [...list].sort((a, b) => compareVersions(b.version, a.version))[0];
      const oldest = [...list].sort((a, b) => compareVersions(a.version, b.version))[0];
      if (!newest || !oldest) continue;
      const s = supportOf(product, newest.version, nowOf(options), table.asOf);
      const inferredFrom = list.map((i) => i.from).join('; ');
      const evidence = {
        ecosystem: label,
        newest: newest.version,
        oldest: oldest.version,
        inferredFrom: safeText(inferredFrom, 500),
        table: `data/eol.json (${table.asOf})`,
      };
      if (s.state === 'eol') {
        out.push({
          status: 'fail',
          message: `the store was written by ${label} ${newest.exact ? newest.version : `${newest.version}.x`} (${s.why}; oldest supported line ${product.oldestSupported}); inferred from ${inferredFrom}`,
          object,
          evidence,
          discriminator: eco,
        });
      } else {
        // A pass never carries an action: rows an end-of-life version wrote are their own failure.
        // Rows that could not be read may hold an older writer: then it is no pass.
        const unread = facts.blobInventory?.unreadable;
        out.push({
          status: s.state === 'supported' ? (unread ? 'not-evaluated' : 'pass') : 'info',
          message: `${label} ${newest.version}${newest.exact ? '' : '+'} ${s.state === 'supported' ? 'is a supported line' : `: ${s.why}`}; inferred from ${inferredFrom}${unread ? `; not every row was read (${unread.reason}), so older writers cannot be ruled out` : ''}`,
          object,
          evidence,
          discriminator: eco,
        });
        const old = list.filter(
          (i) => i.rows !== undefined && supportOf(product, i.version, nowOf(options), table.asOf).state === 'eol',
        );
        const rows = old.reduce((n, i) => n + (i.rows ?? 0), 0);
        if (old.length) {
          const versions = [...new Set(old.map((i) => i.version))].sort(compareVersions);
          const why = supportOf(product, versions[0] as string, nowOf(options), table.asOf);
          out.push({
            status: 'fail',
            // Lower than an end-of-life running version: the scheduler is current, old rows remain.
            severity: 'low',
            message: `${rows} blob row(s) were written by end-of-life ${label} ${versions.join(', ')} (${why.state === 'eol' ? why.why : 'end of life'}); the running version is ${newest.version}${newest.exact ? '' : '+'}, but these rows still carry the old version's serialized types`,
            object,
            evidence: { ecosystem: label, rows, versions: versions.join(','), table: `data/eol.json (${table.asOf})` },
            remediation: `Re-save (or delete and re-schedule) the jobs and triggers whose blobs were written by ${label} ${versions.join(', ')}, so that no row written by an end-of-life version remains.`,
            discriminator: `${eco}-eol-rows`,
          });
        }
      }
    }
    return out;
  },
};
