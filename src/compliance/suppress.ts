/**
 * Suppressions (issue #13 part 2): accepted findings with a reason, an optional expiry and owner. Pure: the
 * ignore file (src/compliance/ignore-file.ts) and the config file feed entries in; nothing is read here.
 *
 * - An entry matches a finding of its check whose fingerprint equals its `fingerprint` and whose object
 *   name matches its `object` glob (src/compliance/glob.ts); an entry with both needs both.
 * - Only findings that ask for action are suppressed: fail, not-evaluated and manual.
 * - A suppressed finding stays in the report, marked `suppressed: {reason, expires, owner, source}`; the
 *   summary counts it apart and it never decides the exit code.
 * - An entry past its expiry (`expires: 2026-03-31` applies through that day, UTC) no longer applies and is
 *   listed as expired; an entry in force that matched nothing is listed as stale.
 */
import type { Finding } from '../model.js';
import { type Report, summarize } from '../report/report.js';
import { allFindings, withTransform } from '../spill.js';
import { matchesObjectGlob } from './glob.js';
import type { SuppressionEntry, SuppressionMark } from './schema.js';
import type { ComplianceSummary, ListedSuppression } from './summary.js';

const SUPPRESSIBLE = new Set<Finding['status']>(['fail', 'not-evaluated', 'manual']);

export interface SuppressOptions {
  /** The clock (Unix ms or a Date) expiry is judged by. */
  now: number | Date;
  /** Where the entries came from (a file path, or `config FILE`); each mark names `<source>#<entry number>`. */
  source: string;
}

/** The first instant an entry no longer applies: the start of the day after `expires`, UTC. */
export function expiryInstant(expires: string): number {
  return Date.parse(`${expires}T00:00:00Z`) + 86_400_000;
}

export function isExpired(entry: SuppressionEntry, now: number | Date): boolean {
  return entry.expires !== undefined && +now >= expiryInstant(entry.expires);
}

export function entryMatches(entry: SuppressionEntry, f: Finding): boolean {
  if (entry.check !== f.check || !SUPPRESSIBLE.has(f.status)) return false;
  if (entry.fingerprint !== undefined && entry.fingerprint !== f.fingerprint) return false;
  if (entry.object !== undefined && !matchesObjectGlob(f.object.name, entry.object)) return false;
  return true;
}

function listed(entry: SuppressionEntry, source: string): ListedSuppression {
  return {
    check: entry.check,
    ...(entry.object !== undefined ? { object: entry.object } : {}),
    ...(entry.fingerprint !== undefined ? { fingerprint: entry.fingerprint } : {}),
    reason: entry.reason,
    ...(entry.expires !== undefined ? { expires: entry.expires } : {}),
    ...(entry.owner !== undefined ? { owner: entry.owner } : {}),
    source,
  };
}

/**
 * A new report whose findings the entries match are marked suppressed (a finding already suppressed keeps
 * its first mark), with the summary recomputed and `compliance.suppressions` extended (calls add up: the
 * ignore file, then the config file's entries).
 */
export function applySuppressions(report: Report, entries: readonly SuppressionEntry[], opts: SuppressOptions): Report {
  const prev = report.compliance?.suppressions;
  const expired: ListedSuppression[] = [...(prev?.expired ?? [])];
  const stale: ListedSuppression[] = [...(prev?.stale ?? [])];
  const active: { entry: SuppressionEntry; mark: SuppressionMark; used: boolean; source: string }[] = [];
  entries.forEach((entry, i) => {
    const source = `${opts.source}#${i + 1}`;
    if (isExpired(entry, opts.now)) {
      expired.push(listed(entry, source));
      return;
    }
    const mark: SuppressionMark = {
      reason: entry.reason,
      ...(entry.expires !== undefined ? { expires: entry.expires } : {}),
      ...(entry.owner !== undefined ? { owner: entry.owner } : {}),
      source,
    };
    active.push({ entry, mark, used: false, source });
  });
  let applied = prev?.applied ?? 0;
  const markOne = (f: Finding): Finding => {
    if (f.suppressed !== undefined) return f;
    for (const a of active) if (entryMatches(a.entry, f)) return { ...f, suppressed: a.mark };
    return f;
  };
  // One pass over every finding (spilled ones too) for what each entry matched.
  for (const f of allFindings(report)) {
    let hit = false;
    for (const a of active) {
      if (!entryMatches(a.entry, f)) continue;
      a.used = true;
      hit = true;
    }
    if (hit && f.suppressed === undefined) applied++;
  }
  const findings = report.findings.map(markOne);
  for (const a of active) if (!a.used) stale.push(listed(a.entry, a.source));
  const compliance: ComplianceSummary = {
    ...report.compliance,
    suppressions: { entries: (prev?.entries ?? 0) + entries.length, applied, expired, stale },
  };
  const next = withTransform(report, { ...report, findings, compliance }, markOne);
  next.summary = summarize(allFindings(next), report.summary.failOn, report.summary.allowIncomplete);
  return next;
}
