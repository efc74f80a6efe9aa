/**
 * `qrtz-audit diff old.json new.json` (issue #13 part 3): what changed between two JSON reports, by
 * finding fingerprint. Only findings that ask for action are compared (fail, not-evaluated, manual): a pass
 * or an inventory line disappearing is not news.
 *
 * - new: a fingerprint in the new report that the old one did not have (among those statuses);
 * - resolved: a fingerprint the old report had that the new one has not;
 * - changed: the same fingerprint with another severity, status or message.
 *
 * `worsened` is what a build fails on: a new failing finding, or a changed one that now fails or fails at a
 * higher severity, at or above the threshold, and neither suppressed nor known to a baseline in the new report.
 */

import { z } from 'zod';
import { UserError } from '../errors.js';
import { fleetReportMistake } from '../fleet/report.js';
import { REPORT_MAX_BYTES, readBoundedJson } from '../fs-bounded.js';
import type { Finding, Severity } from '../model.js';
import { isAccepted, SEVERITIES } from '../model.js';
import type { Report } from '../report/report.js';
import { escapeControl } from '../report/terminal.js';
import { pathText } from './ignore-file.js';

const ACTIONABLE = new Set<string>(['fail', 'not-evaluated', 'manual']);

/** The parts of a JSON report the diff reads (any report of schemaVersion 1 has them). */
const reportSchema = z.object({
  schemaVersion: z.literal(1),
  startedAt: z.string(),
  target: z.object({ dialect: z.string(), database: z.string(), schema: z.string() }).loose(),
  findings: z.array(
    z
      .object({
        check: z.string(),
        severity: z.enum(SEVERITIES as [string, ...string[]]),
        status: z.string(),
        title: z.string(),
        message: z.string(),
        object: z.object({ name: z.string() }).loose(),
        fingerprint: z.string(),
      })
      .loose(),
  ),
});

export interface DiffFinding {
  fingerprint: string;
  check: string;
  title: string;
  object: string;
  severity: Severity;
  status: Finding['status'];
  message: string;
  /** Suppressed or known to a baseline in that report. */
  accepted?: boolean;
}

export interface ReportDiff {
  old: { startedAt: string; target: string };
  new: { startedAt: string; target: string };
  added: DiffFinding[];
  resolved: DiffFinding[];
  changed: { before: DiffFinding; after: DiffFinding; fields: ('severity' | 'status' | 'message')[] }[];
  failOn: Severity;
  /** New or worse failing findings at or above failOn that no suppression or baseline accepts. */
  worsened: number;
}

function entry(f: Finding): DiffFinding {
  return {
    fingerprint: f.fingerprint,
    check: f.check,
    title: f.title,
    object: f.object.name,
    severity: f.severity,
    status: f.status,
    message: f.message,
    ...(isAccepted(f) ? { accepted: true } : {}),
  };
}

function byFingerprint(findings: Finding[]): Map<string, DiffFinding> {
  const m = new Map<string, DiffFinding>();
  for (const f of findings) if (ACTIONABLE.has(f.status) && !m.has(f.fingerprint)) m.set(f.fingerprint, entry(f));
  return m;
}

const rank = (s: Severity) => SEVERITIES.indexOf(s);
const targetText = (r: Report) =>
  `${r.target.dialect} ${r.target.host ? `${r.target.host}/` : ''}${r.target.database}${r.target.schema ? `.${r.target.schema}` : ''}`;

export function diffReports(oldReport: Report, newReport: Report, failOn: Severity = 'high'): ReportDiff {
  const before = byFingerprint(oldReport.findings);
  const after = byFingerprint(newReport.findings);
  const added: DiffFinding[] = [];
  const changed: ReportDiff['changed'] = [];
  let worsened = 0;
  const counts = (f: DiffFinding) => f.status === 'fail' && !f.accepted && rank(f.severity) <= rank(failOn);
  for (const [fp, a] of after) {
    const b = before.get(fp);
    if (!b) {
      added.push(a);
      if (counts(a)) worsened++;
      continue;
    }
    const fields = (['severity', 'status', 'message'] as const).filter((k) => a[k] !== b[k]);
    if (!fields.length) continue;
    changed.push({ before: b, after: a, fields });
    if (counts(a) && (b.status !== 'fail' || rank(a.severity) < rank(b.severity))) worsened++;
  }
  const resolved = [...before].filter(([fp]) => !after.has(fp)).map(([, b]) => b);
  const order = (x: DiffFinding, y: DiffFinding) =>
    rank(x.severity) - rank(y.severity) || x.check.localeCompare(y.check) || x.object.localeCompare(y.object);
  return {
    old: { startedAt: oldReport.startedAt, target: targetText(oldReport) },
    new: { startedAt: newReport.startedAt, target: targetText(newReport) },
    added: added.sort(order),
    resolved: resolved.sort(order),
    changed: changed.sort((x, y) => order(x.after, y.after)),
    failOn,
    worsened,
  };
}

/** Reads a JSON report for `diff`; a mistake is one line naming the file and what was expected. */
export function readJsonReport(file: string): Report {
  const { doc: data, shown } = readBoundedJson(file, {
    maxBytes: REPORT_MAX_BYTES,
    what: 'a qrtz-audit JSON report',
    label: 'report ',
    reads: 'diff reads two --format json reports',
  });
  const fleet = fleetReportMistake(data, shown);
  if (fleet) throw new UserError('input', fleet);
  const parsed = reportSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    throw new UserError(
      'input',
      `${shown}: not a qrtz-audit JSON report (schemaVersion 1): ${issue.path.length ? `${pathText(issue.path)}: ` : ''}${escapeControl(issue.message, false)}`,
    );
  }
  return data as Report;
}
