/**
 * A config file's `severityOverrides` (check id → severity): the findings of those checks take the new
 * severity — in memory and as spilled findings are read back — and the summary (exit code, failing counts)
 * is recomputed. Each changed finding says so in its evidence (`severityOverride: "high → low (config FILE)"`).
 */
import type { Finding, Severity } from '../model.js';
import { type Report, summarize } from '../report/report.js';
import { allFindings, withTransform } from '../spill.js';

export function applySeverityOverrides(report: Report, overrides: Record<string, Severity>, source: string): Report {
  if (!Object.keys(overrides).length) return report;
  const change = (f: Finding): Finding => {
    const to = Object.hasOwn(overrides, f.check) ? overrides[f.check] : undefined;
    if (to === undefined || to === f.severity) return f;
    const evidence = Object.assign(Object.create(null), f.evidence ?? {}, {
      severityOverride: `${f.severity} → ${to} (${source})`,
    });
    return { ...f, severity: to, evidence };
  };
  const next = withTransform(report, { ...report, findings: report.findings.map(change) }, change);
  next.summary = summarize(allFindings(next), report.summary.failOn, report.summary.allowIncomplete);
  return next;
}
