/**
 * SARIF 2.1.0 output that GitHub code scanning accepts (README "SARIF and GitHub code scanning").
 *
 * - Rules come from the check catalogue (one record per id): name, short and full description, help text
 *   and Markdown with the remediation, tags and `security-severity` on the rule (where GitHub reads it).
 * - Results only for failing findings: a pass is not an alert (GitHub closes the alert when it disappears).
 * - A database has no source file, and code scanning rejects a result without a physical location whose
 *   artifactLocation.uri is a repository-relative path. Container scanners point at a stable stand-in
 *   (Clair: `Dockerfile`, line 1); we point at a target descriptor, `qrtz-audit-target.json`
 *   (TARGET_DESCRIPTOR), written beside the report when it goes to a file, line 1. The database object
 *   (server/database/schema/table/row key) is the result's logical location.
 * - partialFingerprints: the finding's own (`qrtzAudit/v1`, stable across runs) and one that also names the
 *   target (`qrtzAuditTarget/v1`), so two databases audited into one repository never share an alert.
 * - Checks that could not be evaluated are toolExecutionNotifications, never results.
 * - Config findings (QA-C…) name a real file and line: a file under the working directory (the repository,
 *   in CI) is the result's physical location, as a relative path; any other file falls back to the
 *   descriptor, with the file in the logical location.
 */
import { createHash } from 'node:crypto';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { type CatalogueEntry, catalogue } from '../checks/catalogue.js';
import type { Dialect, Finding, Severity } from '../model.js';
import { DIALECTS } from '../model.js';
import { redact } from '../secrets/redact.js';
import { mdEscape } from './markdown.js';
import { incompleteAt, type Report, targetText } from './report.js';
import { escapeControl } from './terminal.js';

/** The repository-relative artifact every result points at (see the module comment and the README). */
export const TARGET_DESCRIPTOR = 'qrtz-audit-target.json';
/** Where the tool and its checks are documented (SARIF driver.informationUri, rule helpUri). */
export const INFORMATION_URI = 'https://www.npmjs.com/package/qrtz-audit';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};
/** GitHub reads rules[].properties.security-severity (0.1–10; >9 critical, 7–8.9 high, 4–6.9 medium, else low). */
export const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.1',
};

/** Text GitHub shows: redacted, control, ESC and bidi characters made visible. */
const t = (s: string, keepNewlines = false) => escapeControl(redact(s), keepNewlines);

/** A rule name GitHub shows: the title in PascalCase (SARIF: "a valid identifier"), never empty. */
function ruleName(id: string, title: string): string {
  const words = title.match(/[A-Za-z0-9]+/g) ?? [];
  const name = words.map((w) => (w[0] ?? '').toUpperCase() + w.slice(1)).join('');
  return /^[A-Za-z]/.test(name) ? name : `Check${id.replace(/[^A-Za-z0-9]/g, '')}${name}`;
}

interface RuleSource {
  id: string;
  title: string;
  family: string;
  severity: Severity;
  mitigation: string;
  remediation: string;
}

function ruleOf(e: RuleSource) {
  const remediation = e.remediation || 'See the finding message.';
  const full = `${e.title}. Family: ${e.family}. Mitigation served: ${e.mitigation}.`;
  return {
    id: e.id,
    name: ruleName(e.id, e.title),
    shortDescription: { text: t(e.title) },
    fullDescription: { text: t(full) },
    helpUri: INFORMATION_URI,
    help: {
      // The remediation template itself (fullDescription says what the check finds).
      text: t(remediation, true),
      markdown: `**${mdEscape(e.title)}** (${mdEscape(e.id)}, family ${mdEscape(e.family)}, default severity ${e.severity})\n\nMitigation served: ${mdEscape(e.mitigation)}\n\n**Remediation**\n\n\`\`\`\n${t(remediation, true).replace(/`/g, "'")}\n\`\`\`\n`,
    },
    defaultConfiguration: { level: LEVEL[e.severity] },
    properties: {
      tags: ['security', `qrtz-audit/${e.family}`],
      'security-severity': SECURITY_SEVERITY[e.severity],
      precision: 'high',
      'problem.severity': e.severity === 'critical' || e.severity === 'high' ? 'error' : 'warning',
    },
  };
}

function catalogueRule(e: CatalogueEntry, dialect: Dialect | undefined): RuleSource {
  return { ...e, remediation: (dialect && e.remediationByDialect[dialect]) || e.remediation };
}

/** The target's identity (what makes two audited databases different), for the target fingerprint. */
function targetKey(r: Report): string {
  const x = r.target;
  if (x.kind === 'files') return ['files', ...(x.configFiles?.paths ?? [])].join('\u0000');
  return [x.dialect, x.host ?? '', x.database, x.schema, x.tablePrefix].join('\u0000');
}

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** server/database/schema/table/row key, from the most general to the object itself. */
function logicalLocations(r: Report, f: Finding) {
  const x = r.target;
  if (f.family === 'config') {
    return [
      {
        name: f.object.name,
        fullyQualifiedName: `configuration files/${f.object.name}`,
        kind: 'object',
        properties: {
          objectKind: f.object.kind,
          ...(typeof f.evidence?.file === 'string' ? { file: f.evidence.file } : {}),
          ...(typeof f.evidence?.line === 'number' ? { line: f.evidence.line } : {}),
        },
      },
    ];
  }
  const server = x.host ?? x.dialect;
  const chain: { name: string; kind: string }[] = [{ name: server, kind: 'namespace' }];
  if (x.database) chain.push({ name: x.database, kind: 'namespace' });
  if (f.object.schema ?? x.schema) chain.push({ name: f.object.schema ?? x.schema, kind: 'namespace' });
  if (f.object.table) chain.push({ name: f.object.table, kind: 'type' });
  if (f.object.rowKey) chain.push({ name: f.object.rowKey, kind: 'object' });
  const last = chain[chain.length - 1];
  // The object itself when the chain does not already end at it (a principal, a setting, a file; a row or
  // table named by its key/table above is not repeated).
  const endsAtObject =
    (f.object.kind === 'row' && Boolean(f.object.rowKey)) ||
    (f.object.kind === 'table' && Boolean(f.object.table) && !f.object.rowKey) ||
    last?.name === f.object.name;
  if (!endsAtObject) chain.push({ name: f.object.name, kind: 'object' });
  // Exact values, as in the JSON report (the escaping policy: SARIF keeps them; the message and the
  // result's properties.objectDisplay carry the safe display forms).
  return [
    {
      name: f.object.name,
      fullyQualifiedName: chain.map((c) => c.name).join('/'),
      kind: chain[chain.length - 1]?.kind ?? 'object',
      properties: {
        server,
        database: x.database,
        schema: f.object.schema ?? x.schema,
        ...(f.object.table ? { table: f.object.table } : {}),
        ...(f.object.rowKey ? { rowKey: f.object.rowKey } : {}),
        ...(f.object.principal ? { principal: f.object.principal } : {}),
        objectKind: f.object.kind,
      },
    },
  ];
}

/** A config finding's own file and line when the file is under the working directory; else the descriptor. */
function physicalLocation(f: Finding) {
  const file = f.family === 'config' ? f.evidence?.file : undefined;
  if (typeof file === 'string' && file) {
    const rel = relative(process.cwd(), resolve(file));
    if (rel && !rel.startsWith('..') && !isAbsolute(rel)) {
      const line = f.evidence?.line;
      return {
        artifactLocation: { uri: rel.split(sep).map(encodeURIComponent).join('/') },
        region: { startLine: typeof line === 'number' && line > 0 ? line : 1 },
      };
    }
  }
  return { artifactLocation: { uri: TARGET_DESCRIPTOR, index: 0 }, region: { startLine: 1 } };
}

/** The target descriptor written beside a SARIF file (what the results' physical location names). */
export function formatTargetDescriptor(report: Report): string {
  const { display: _display, ...target } = report.target;
  return `${redact(
    JSON.stringify(
      {
        description:
          report.target.kind === 'files'
            ? 'Configuration files audited by qrtz-audit; SARIF results outside the working directory point here (line 1) and name the file logically.'
            : 'Database audited by qrtz-audit; SARIF results point here (line 1) and name the object logically.',
        tool: report.tool,
        target,
        startedAt: report.startedAt,
      },
      null,
      2,
    ),
  )}\n`;
}

export function formatSarif(report: Report): string {
  const entries = new Map(catalogue().map((e) => [e.id, e]));
  const dialect = (DIALECTS as readonly string[]).includes(report.target.dialect)
    ? (report.target.dialect as Dialect)
    : undefined;
  // Rules: every check that ran (from the catalogue; a check outside it, e.g. in tests, from its findings).
  const sources = new Map<string, RuleSource>();
  for (const f of report.findings) {
    const e = entries.get(f.check);
    if (e) sources.set(f.check, catalogueRule(e, dialect));
    else if (!sources.has(f.check) || (!sources.get(f.check)?.remediation && f.remediation))
      sources.set(f.check, {
        id: f.check,
        title: f.title,
        family: f.family,
        severity: f.severity,
        mitigation: f.mitigation,
        remediation: f.remediation,
      });
  }
  const ruleIds = [...sources.keys()].sort();
  const target = sha(targetKey(report));
  const notEvaluated = report.findings.filter((f) => f.status === 'not-evaluated');
  const notifications = [
    ...(report.summary.incomplete
      ? [
          {
            level: 'error',
            descriptor: { id: 'incomplete' },
            message: {
              text: t(
                `incomplete audit: ${report.summary.incompleteChecks.join(', ')} could not be evaluated (at or above fail-on ${report.summary.failOn})`,
              ),
            },
          },
        ]
      : []),
    ...notEvaluated.map((f) => ({
      level: incompleteAt(f, report.summary.failOn) ? 'error' : 'warning',
      descriptor: { id: 'not-evaluated' },
      associatedRule: { id: f.check, index: ruleIds.indexOf(f.check) },
      message: { text: t(`${f.check} not evaluated on ${f.object.name}: ${f.message}`) },
    })),
    ...report.unreadable.map((u) => ({
      level: 'warning',
      descriptor: { id: `unreadable/${u.cause ?? 'other'}` },
      message: {
        text: t(`not read: ${u.table ?? u.what}: ${u.reason}${u.needs ? ` (needs ${u.needs})` : ''}`),
      },
      properties: { what: t(u.what), cause: u.cause ?? 'other', ...(u.table ? { table: t(u.table) } : {}) },
    })),
  ];
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: INFORMATION_URI,
            rules: ruleIds.map((id) => ruleOf(sources.get(id) as RuleSource)),
          },
        },
        invocations: [
          {
            // An incomplete audit (a check at or above --fail-on not evaluated) did not fully execute.
            executionSuccessful: !report.summary.incomplete,
            ...(report.startedAt ? { startTimeUtc: report.startedAt } : {}),
            ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        artifacts: [
          {
            location: { uri: TARGET_DESCRIPTOR },
            description: {
              text: t(
                report.target.kind === 'files'
                  ? targetText(report.target)
                  : `${report.target.server} ${report.target.host ?? ''} ${report.target.database}${report.target.schema ? `.${report.target.schema}` : ''} prefix ${report.target.tablePrefix}`.replace(
                      /\s+/g,
                      ' ',
                    ),
              ),
            },
          },
        ],
        properties: { target: report.target, summary: report.summary },
        results: report.findings
          .filter((f) => f.status === 'fail')
          .map((f) => ({
            ruleId: f.check,
            ruleIndex: ruleIds.indexOf(f.check),
            kind: 'fail',
            level: LEVEL[f.severity],
            message: { text: t(f.display?.message ?? f.message) },
            locations: [
              {
                physicalLocation: physicalLocation(f),
                logicalLocations: logicalLocations(report, f),
              },
            ],
            // An accepted finding stays a result, marked: a suppression is `external` (the ignore or config
            // file) and `accepted`; with --baseline every result says whether it is new or unchanged.
            ...(f.suppressed
              ? {
                  suppressions: [
                    {
                      kind: 'external',
                      status: 'accepted',
                      justification: t(f.suppressed.reason),
                      properties: {
                        source: t(f.suppressed.source),
                        ...(f.suppressed.owner ? { owner: t(f.suppressed.owner) } : {}),
                        ...(f.suppressed.expires ? { expires: f.suppressed.expires } : {}),
                      },
                    },
                  ],
                }
              : {}),
            ...(report.compliance?.baseline ? { baselineState: f.baseline ? 'unchanged' : 'new' } : {}),
            partialFingerprints: {
              'qrtzAudit/v1': f.fingerprint,
              'qrtzAuditTarget/v1': sha(`${target}\u0000${f.fingerprint}`),
            },
            properties: {
              severity: f.severity,
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
