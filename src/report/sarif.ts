/**
 * SARIF 2.1.0 output, for code-scanning dashboards. A database audit has no source files, so results
 * carry logical locations (the table, principal or row) and a partial fingerprint for baselines.
 */
import { type CatalogueEntry, catalogue } from '../checks/catalogue.js';
import type { Dialect, Finding, Severity, Status } from '../model.js';
import { DIALECTS } from '../model.js';
import { redact } from '../secrets/redact.js';
import type { Report } from './report.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};
/** GitHub reads properties.security-severity (0–10) to rank security results. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};
const KIND: Record<Status, string> = {
  fail: 'fail',
  pass: 'pass',
  'not-evaluated': 'open',
  manual: 'review',
  'not-applicable': 'notApplicable',
  info: 'informational',
};

/** One SARIF rule from the catalogue: title, default severity, and the remediation template for this dialect. */
function ruleOf(e: CatalogueEntry, dialect: Dialect | undefined) {
  return {
    id: e.id,
    name: e.id.replace(/-/g, ''),
    shortDescription: { text: e.title },
    help: { text: (dialect && e.remediationByDialect[dialect]) || e.remediation },
    defaultConfiguration: { level: LEVEL[e.severity] },
    properties: { family: e.family, mitigation: e.mitigation, tags: ['security', e.family] },
  };
}

/** A rule for an id the catalogue does not hold (a check outside the registry, e.g. in tests): from its first
 *  finding that carries a remediation. */
function ruleOfFinding(f: Finding) {
  return {
    id: f.check,
    name: f.check.replace(/-/g, ''),
    shortDescription: { text: f.title },
    help: { text: f.remediation },
    defaultConfiguration: { level: LEVEL[f.severity] },
    properties: { family: f.family, mitigation: f.mitigation, tags: ['security', f.family] },
  };
}

export function formatSarif(report: Report): string {
  // Rules come from the catalogue (one record per id), never from whichever finding comes first.
  const entries = new Map(catalogue().map((e) => [e.id, e]));
  const dialect = (DIALECTS as readonly string[]).includes(report.target.dialect)
    ? (report.target.dialect as Dialect)
    : undefined;
  const unknown = new Map<string, Finding>();
  for (const f of report.findings)
    if (!entries.has(f.check) && (!unknown.has(f.check) || (!unknown.get(f.check)?.remediation && f.remediation)))
      unknown.set(f.check, f);
  const ruleIds = [...new Set(report.findings.map((f) => f.check))].sort();
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            rules: ruleIds.map((id) => {
              const e = entries.get(id);
              return e ? ruleOf(e, dialect) : ruleOfFinding(unknown.get(id) as Finding);
            }),
          },
        },
        invocations: [
          {
            // An incomplete audit (a check at or above --fail-on not evaluated) did not fully execute.
            executionSuccessful: !report.summary.incomplete,
            startTimeUtc: report.startedAt || undefined,
            ...(report.summary.incomplete
              ? {
                  toolExecutionNotifications: [
                    {
                      level: 'error',
                      descriptor: { id: 'incomplete' },
                      message: {
                        text: `incomplete audit: ${report.summary.incompleteChecks.join(', ')} could not be evaluated (at or above fail-on ${report.summary.failOn})`,
                      },
                    },
                    ...report.unreadable
                      .filter((u) => u.table)
                      .map((u) => ({
                        level: 'warning',
                        descriptor: { id: `unreadable/${u.cause ?? 'other'}` },
                        message: { text: `not read: ${u.table}: ${u.reason}` },
                        properties: { table: u.table, cause: u.cause ?? 'other' },
                      })),
                  ],
                }
              : {}),
          },
        ],
        properties: { target: report.target, summary: report.summary },
        results: report.findings.map((f) => ({
          ruleId: f.check,
          ruleIndex: ruleIds.indexOf(f.check),
          kind: KIND[f.status],
          level: f.status === 'fail' ? LEVEL[f.severity] : 'none',
          message: { text: f.message },
          locations: [
            {
              logicalLocations: [
                {
                  name: f.object.name,
                  fullyQualifiedName: `${report.target.dialect}://${report.target.database}/${f.object.name}`,
                  kind: f.object.kind,
                },
              ],
            },
          ],
          partialFingerprints: { 'qrtzAudit/v1': f.fingerprint },
          properties: {
            severity: f.severity,
            status: f.status,
            'security-severity': SECURITY_SEVERITY[f.severity],
            remediation: f.remediation,
            ...(f.evidence ? { evidence: f.evidence } : {}),
            // Safe display forms (control/bidi characters visible) where the exact values differ.
            ...(f.display ? { display: f.display } : {}),
            ...(f.object.display ? { objectDisplay: f.object.display } : {}),
          },
        })),
      },
    ],
  };
  return `${redact(JSON.stringify(sarif, null, 2))}\n`;
}
