/**
 * The check catalogue: one record per check id, built from each check's own metadata (src/checks/<family>/<id>.ts)
 * and the config checks' (src/config/checks.ts). `qrtz-audit checks`, the README table (scripts/checks-doc.ts)
 * and the SARIF rules are all built from it; nothing else describes a check.
 */
import { CONFIG_CHECK_META } from '../config/checks.js';
import type { Check, Dialect, Family, Severity } from '../model.js';
import { DIALECTS, evaluatorOf } from '../model.js';
import { allChecks } from './index.js';

/** What the auditing login needs for content, scheduler and updates checks when a check names nothing else. */
const READS_TABLES = 'SELECT on the Quartz tables';

export interface CatalogueEntry {
  id: string;
  family: Family;
  title: string;
  /** Default severity of a failure. */
  severity: Severity;
  mitigation: string;
  /** The engine-neutral remediation template. */
  remediation: string;
  /** Dialects it applies to ([] for config-file checks, which read files, not a database). */
  dialects: Dialect[];
  /** Dialects it applies to where no evaluator exists yet: it reports not-evaluated there, never a pass. */
  notYetEvaluated: Dialect[];
  /** What the auditing login needs on each dialect it applies to. */
  needs: Partial<Record<Dialect, string>>;
  /** Per-engine remediation templates, where an engine part has its own. */
  remediationByDialect: Partial<Record<Dialect, string>>;
  /** Where it runs: a database scan, or config files (`config` family). */
  source: 'database' | 'config files';
}

/** The dialects a check applies to (absent = all). */
function dialectsOf(check: Check): Dialect[] {
  return [...(check.meta.dialects ?? DIALECTS)];
}

function entryOf(check: Check): CatalogueEntry {
  const m = check.meta;
  const dialects = dialectsOf(check);
  // A fact-level check is evaluated where it has an evaluator; a content check (inspectBlob only) wherever
  // meta.evaluatedOn allows (absent: everywhere it applies).
  const factLevel = Boolean(check.evaluate || check.engines);
  const evaluated = (d: Dialect) =>
    factLevel ? evaluatorOf(check, d) !== undefined : !m.evaluatedOn || m.evaluatedOn.includes(d);
  const needs: Partial<Record<Dialect, string>> = {};
  const remediationByDialect: Partial<Record<Dialect, string>> = {};
  for (const d of dialects) {
    const n =
      m.needs?.[d] ??
      (m.family === 'content' || m.family === 'scheduler' || m.family === 'updates' ? READS_TABLES : undefined);
    if (n) needs[d] = n;
    const r = check.engines?.[d]?.remediation;
    if (r) remediationByDialect[d] = r;
  }
  return {
    id: m.id,
    family: m.family,
    title: m.title,
    severity: m.severity,
    mitigation: m.mitigation,
    remediation: m.remediation,
    dialects,
    notYetEvaluated: dialects.filter((d) => !evaluated(d)),
    needs,
    remediationByDialect,
    source: 'database',
  };
}

/** Every check id once, sorted by id: the database checks, then the config-file checks. */
export function catalogue(checks: readonly Check[] = allChecks): CatalogueEntry[] {
  const out: CatalogueEntry[] = checks.map(entryOf);
  for (const m of Object.values(CONFIG_CHECK_META)) {
    out.push({
      id: m.id,
      family: m.family,
      title: m.title,
      severity: m.severity,
      mitigation: m.mitigation,
      remediation: m.remediation,
      dialects: [],
      notYetEvaluated: [],
      needs: {},
      remediationByDialect: {},
      source: 'config files',
    });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/** The catalogue entry of an id, if there is one. */
export function catalogueEntry(
  id: string,
  entries: readonly CatalogueEntry[] = catalogue(),
): CatalogueEntry | undefined {
  return entries.find((e) => e.id === id);
}

/** The entries that apply to a dialect (config-file checks apply to none). */
export function forDialect(entries: readonly CatalogueEntry[], dialect: Dialect): CatalogueEntry[] {
  return entries.filter((e) => e.dialects.includes(dialect));
}

export const CATALOGUE_FORMATS = ['table', 'json', 'markdown'] as const;
export type CatalogueFormat = (typeof CATALOGUE_FORMATS)[number];

function dialectCell(e: CatalogueEntry, dialect?: Dialect): string {
  if (e.source === 'config files') return 'config files';
  if (dialect) return e.notYetEvaluated.includes(dialect) ? `${dialect} (not yet evaluated)` : dialect;
  const all = e.dialects.length === DIALECTS.length && e.notYetEvaluated.length === 0;
  if (all) return 'all';
  return e.dialects.map((d) => (e.notYetEvaluated.includes(d) ? `${d} (not yet evaluated)` : d)).join(', ');
}

function needsCell(e: CatalogueEntry, dialect?: Dialect): string {
  if (e.source === 'config files') return 'read access to the configuration files';
  const ds = dialect ? [dialect] : e.dialects;
  const parts = ds.map((d) => [d, e.needs[d]] as const).filter((x): x is readonly [Dialect, string] => Boolean(x[1]));
  if (!parts.length) return 'nothing beyond connecting';
  if (dialect) return parts[0]?.[1] ?? '';
  const distinct = new Set(parts.map((p) => p[1]));
  if (distinct.size === 1 && parts.length === ds.length) return parts[0]?.[1] ?? '';
  return parts.map(([d, n]) => `${d}: ${n}`).join('; ');
}

/** Markdown table cell: pipes and newlines would break the row. */
function md(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/** The catalogue as text: a table for terminals, JSON, or the Markdown table the README holds. */
export function formatCatalogue(
  entries: readonly CatalogueEntry[],
  format: CatalogueFormat,
  dialect?: Dialect,
): string {
  const list = dialect ? forDialect(entries, dialect) : [...entries];
  if (format === 'json') {
    return `${JSON.stringify(
      list.map((e) => ({
        ...e,
        ...(dialect
          ? { needs: { [dialect]: e.needs[dialect] ?? null }, evaluated: !e.notYetEvaluated.includes(dialect) }
          : {}),
      })),
      null,
      2,
    )}\n`;
  }
  const header = ['id', 'family', 'severity', 'dialects', 'what it finds', 'mitigation served', 'needs'];
  const rows = list.map((e) => [
    e.id,
    e.family,
    e.severity,
    dialectCell(e, dialect),
    e.title,
    e.mitigation,
    needsCell(e, dialect),
  ]);
  if (format === 'markdown') {
    const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
    for (const r of rows) lines.push(`| ${r.map(md).join(' | ')} |`);
    return `${lines.join('\n')}\n`;
  }
  // Terminal: one block per check (the cells are too long for columns).
  const out: string[] = [];
  for (const [id, family, severity, dialects, title, mitigation, needs] of rows) {
    out.push(`${id}  ${severity}  ${family}  ${title}`);
    out.push(`    dialects:   ${dialects}`);
    out.push(`    mitigation: ${mitigation}`);
    out.push(`    needs:      ${needs}`);
  }
  return `${out.join('\n')}\n`;
}
