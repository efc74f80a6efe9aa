/**
 * Baselines (issue #13 part 3): `qrtz-audit baseline create` records the fingerprints (with check, object
 * and severity) of a scan's failing findings; `scan --baseline FILE` then marks the failing findings it
 * knows (`baseline: "known"`: listed, not counted) so only new fingerprints fail the build, and lists the
 * entries that no longer occur. Pure, but for reading the file.
 *
 * An entry is remediated only when its check ran and did not fail on it; when the check did not run
 * (--only/--skip) or could not be evaluated, the entry is unverified, never remediated.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UserError } from '../errors.js';
import type { Finding } from '../model.js';
import { SEVERITIES } from '../model.js';
import { type Report, summarize } from '../report/report.js';
import { escapeControl } from '../report/terminal.js';
import { allFindings, withTransform } from '../spill.js';
import { pathText } from './ignore-file.js';
import type { BaselineEntry } from './summary.js';

export const BASELINE_KIND = 'qrtz-audit-baseline';
/** Bumped on any incompatible change of the baseline file. */
export const BASELINE_VERSION = 1;

const entrySchema = z
  .object({
    fingerprint: z.string().regex(/^[0-9a-f]{16}$/, 'a 16-hex-digit finding fingerprint'),
    check: z.string().min(1),
    object: z.string(),
    severity: z.enum(SEVERITIES as [string, ...string[]]),
  })
  .strip();

export const baselineSchema = z.object({
  kind: z.literal(BASELINE_KIND),
  version: z.literal(BASELINE_VERSION),
  createdAt: z.string(),
  tool: z.object({ name: z.string(), version: z.string() }),
  target: z.object({
    dialect: z.string(),
    database: z.string(),
    schema: z.string(),
    tablePrefix: z.string(),
    server: z.string(),
  }),
  entries: z.array(entrySchema),
});
export type Baseline = z.infer<typeof baselineSchema>;

/** The baseline of a report: its failing findings (suppressed ones included: an expiry must not surprise). */
export function createBaseline(report: Report, createdAt = new Date().toISOString()): Baseline {
  const seen = new Set<string>();
  const entries: BaselineEntry[] = [];
  for (const f of allFindings(report)) {
    if (f.status !== 'fail' || seen.has(f.fingerprint)) continue;
    seen.add(f.fingerprint);
    entries.push({ fingerprint: f.fingerprint, check: f.check, object: f.object.name, severity: f.severity });
  }
  entries.sort((a, b) => a.check.localeCompare(b.check) || a.object.localeCompare(b.object));
  const t = report.target;
  return {
    kind: BASELINE_KIND,
    version: BASELINE_VERSION,
    createdAt,
    tool: report.tool,
    target: {
      dialect: t.dialect,
      database: t.database,
      schema: t.schema,
      tablePrefix: t.tablePrefix,
      server: t.server,
    },
    entries,
  };
}

export function formatBaseline(b: Baseline): string {
  return `${JSON.stringify(b, null, 2)}\n`;
}

/** Reads and validates a baseline file; a mistake is one line naming the file, the path and what was expected. */
export function readBaseline(file: string): Baseline {
  const shown = escapeControl(file, false);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UserError('input', `cannot read baseline ${shown}: ${escapeControl((err as Error).message, false)}`);
  }
  const parsed = baselineSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    throw new UserError(
      'input',
      `${shown}: not a qrtz-audit baseline (version ${BASELINE_VERSION}): ${issue.path.length ? `${pathText(issue.path)}: ` : ''}${escapeControl(issue.message, false)} (create one with \`qrtz-audit baseline create\`)`,
    );
  }
  return parsed.data;
}

/** Marks the failing findings the baseline knows, recomputes the summary and says what is new and remediated. */
export function applyBaseline(report: Report, baseline: Baseline, source: string): Report {
  const known = new Map(baseline.entries.map((e) => [e.fingerprint, e]));
  const failingNow = new Set<string>();
  let knownCount = 0;
  let newCount = 0;
  // Checks that ran and were evaluated (a pass, a fail or an inventory line), so their silence means fixed.
  const evaluated = new Set<string>();
  const notEvaluated = new Set<string>();
  for (const f of allFindings(report)) {
    if (f.status === 'not-evaluated') notEvaluated.add(f.check);
    else evaluated.add(f.check);
    if (f.status !== 'fail') continue;
    failingNow.add(f.fingerprint);
    if (known.has(f.fingerprint)) knownCount++;
    else if (!f.suppressed) newCount++;
  }
  const markKnown = (f: Finding): Finding =>
    f.status === 'fail' && known.has(f.fingerprint) ? { ...f, baseline: 'known' } : f;
  const findings = report.findings.map(markKnown);
  const remediated: BaselineEntry[] = [];
  const unverified: BaselineEntry[] = [];
  for (const e of baseline.entries) {
    if (failingNow.has(e.fingerprint)) continue;
    const entry = {
      fingerprint: e.fingerprint,
      check: e.check,
      object: e.object,
      severity: e.severity as BaselineEntry['severity'],
    };
    if (evaluated.has(e.check) && !notEvaluated.has(e.check)) remediated.push(entry);
    else unverified.push(entry);
  }
  const next = withTransform(report, { ...report, findings }, markKnown);
  next.summary = summarize(allFindings(next), report.summary.failOn, report.summary.allowIncomplete);
  next.compliance = {
    ...report.compliance,
    baseline: {
      source,
      createdAt: baseline.createdAt,
      entries: baseline.entries.length,
      known: knownCount,
      new: newCount,
      remediated,
      unverified,
    },
  };
  return next;
}
