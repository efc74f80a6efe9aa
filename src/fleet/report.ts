/**
 * The merged report of a fleet scan (issue #13 part 5), in every format. Each audited target keeps its own
 * report (written beside it, `targets/<name>/qrtz-audit.<ext>`); the merged one holds them all:
 *
 * - json: `{"kind": "qrtz-audit-fleet", "schemaVersion": 1, summary, targets: [{name, status, exitCode,
 *   reason?, report?}]}` — each audited target's complete report (every finding) under `report`;
 * - sarif: one run per target (each with `automationDetails.id` `qrtz-audit/<name>/`, so code scanning keeps
 *   the targets apart; result locations point at `targets/<name>/qrtz-audit-target.json`); a failed target is
 *   a run with `executionSuccessful: false` and its reason;
 * - junit: every target's suites (named with the target), a failed target a suite with one `<error>`;
 * - table / markdown: the fleet summary, then each target's own report (Markdown cut to fit a comment);
 * - html: the fleet summary and each target's failing findings, linking to the per-target HTML files;
 * - prometheus: every target's samples with a `target` label, the fleet's audited/failed/incomplete counts.
 */
import { EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK, EXIT_TARGET_FAILED } from '../errors.js';
import { isAccepted, SEVERITIES, type Severity } from '../model.js';
import type { OutputFormat } from '../report/index.js';
import { formatJson } from '../report/json.js';
import { formatJunit } from '../report/junit.js';
import { formatMarkdown, MARKDOWN_MAX_CHARS, mdEscape } from '../report/markdown.js';
import { formatPrometheus } from '../report/prometheus.js';
import { type Report, targetText, toolVersion } from '../report/report.js';
import { formatSarif, INFORMATION_URI, TARGET_DESCRIPTOR } from '../report/sarif.js';
import { formatTable, summaryLine } from '../report/table.js';
import { escapeControl } from '../report/terminal.js';
import { escapeXml } from '../report/xml.js';
import { redact } from '../secrets/redact.js';
import type { Shard } from './shard.js';

export const FLEET_SCHEMA_VERSION = 1;

export type TargetStatus = 'audited' | 'incomplete' | 'failed';

export interface FleetTargetResult {
  name: string;
  /** audited: the audit ran to its end; incomplete: it did, but a check at or above fail-on was not evaluated; failed: no report. */
  status: TargetStatus;
  /** The exit code a single `scan` of this target gives (0, 1, 4; 2 or 3 for a failed target). */
  exitCode: number;
  durationMs: number;
  /** Why a failed target failed: one line, redacted, control characters visible. */
  reason?: string;
  /** Where its own report files are, relative to the output directory (when written). */
  dir?: string;
  report?: Report;
}

export interface FleetReport {
  kind: 'qrtz-audit-fleet';
  schemaVersion: number;
  tool: { name: string; version: string };
  config: string;
  shard?: Shard;
  concurrency: number;
  startedAt: string;
  durationMs: number;
  summary: {
    exitCode: number;
    /** Targets in this run (after --shard). */
    targets: number;
    /** Targets whose audit ran to its end (incomplete ones included). */
    audited: number;
    /** Targets that could not be audited (connection, login, missing tables, …): no report. */
    failed: number;
    /** Audited targets where a check at or above their fail-on was not evaluated. */
    incomplete: number;
    /** Audited targets with a failing finding at or above their fail-on. */
    withFindings: number;
    /** Failing findings over every target, by severity (not suppressed, not known to a baseline). */
    failedBySeverity: Record<Severity, number>;
  };
  targets: FleetTargetResult[];
}

/**
 * The fleet's exit code. Precedence: 1 (a target has a failing finding at or above its fail-on) over 5 (a
 * target could not be audited) over 4 (a target's audit is incomplete, unless allowed) over 0.
 */
export function fleetExitCode(targets: readonly FleetTargetResult[]): number {
  if (targets.some((t) => t.status !== 'failed' && t.exitCode === EXIT_FINDINGS)) return EXIT_FINDINGS;
  if (targets.some((t) => t.status === 'failed')) return EXIT_TARGET_FAILED;
  if (targets.some((t) => t.status !== 'failed' && t.exitCode === EXIT_INCOMPLETE)) return EXIT_INCOMPLETE;
  return EXIT_OK;
}

export function buildFleetReport(
  targets: FleetTargetResult[],
  meta: { config: string; shard?: Shard; concurrency: number; startedAt: number; durationMs: number },
): FleetReport {
  const failedBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const t of targets)
    if (t.report) for (const s of SEVERITIES) failedBySeverity[s] += t.report.summary.failedBySeverity[s];
  const audited = targets.filter((t) => t.status !== 'failed');
  return {
    kind: 'qrtz-audit-fleet',
    schemaVersion: FLEET_SCHEMA_VERSION,
    tool: { name: 'qrtz-audit', version: toolVersion() },
    config: meta.config,
    ...(meta.shard ? { shard: meta.shard } : {}),
    concurrency: meta.concurrency,
    startedAt: new Date(meta.startedAt).toISOString(),
    durationMs: meta.durationMs,
    summary: {
      exitCode: fleetExitCode(targets),
      targets: targets.length,
      audited: audited.length,
      failed: targets.length - audited.length,
      incomplete: audited.filter((t) => t.status === 'incomplete').length,
      withFindings: audited.filter((t) => t.exitCode === EXIT_FINDINGS).length,
      failedBySeverity,
    },
    targets,
  };
}

/** "3 targets: 2 audited (1 incomplete), 1 failed; 2 with findings — exit 1" */
export function fleetSummaryLine(r: FleetReport): string {
  const s = r.summary;
  const sev = SEVERITIES.filter((x) => s.failedBySeverity[x] > 0)
    .map((x) => `${s.failedBySeverity[x]} ${x}`)
    .join(', ');
  const shard = r.shard ? ` (shard ${r.shard.index}/${r.shard.count})` : '';
  return `fleet${shard}: ${s.targets} target(s): ${s.audited} audited (${s.incomplete} incomplete), ${s.failed} failed; ${s.withFindings} with findings at or above fail-on${sev ? ` (${sev} failing)` : ''} — exit ${s.exitCode}`;
}

function targetLine(t: FleetTargetResult): string {
  if (t.status === 'failed') return `${t.name}: FAILED (exit ${t.exitCode}): ${t.reason ?? ''}`;
  const r = t.report as Report;
  return `${t.name}: ${escapeControl(redact(targetText(r.target)), false)}: ${summaryLine(r)}`;
}

function formatFleetJson(r: FleetReport): string {
  // Each target's report is the single-scan JSON (redacted there), every finding listed; the envelope is
  // redacted too. Target names are letters, digits, ".", "_" and "-": the placeholder cannot be forged.
  const mark = (name: string) => `@@qrtz-audit-report:${name}@@`;
  const envelope = JSON.stringify(
    { ...r, targets: r.targets.map((t) => ({ ...t, ...(t.report ? { report: mark(t.name) } : {}) })) },
    null,
    2,
  );
  return `${redact(envelope).replace(/"@@qrtz-audit-report:([A-Za-z0-9._-]+)@@"/g, (_m, name: string) => {
    const t = r.targets.find((x) => x.name === name);
    return t?.report ? formatJson(t.report).trimEnd().replace(/\n/g, '\n      ') : 'null';
  })}\n`;
}

/** Every object holding `uri: qrtz-audit-target.json` now points at the target's own descriptor. */
function pointAt(node: unknown, uri: string): void {
  if (Array.isArray(node)) for (const x of node) pointAt(x, uri);
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.uri === TARGET_DESCRIPTOR) o.uri = uri;
    for (const v of Object.values(o)) pointAt(v, uri);
  }
}

function formatFleetSarif(r: FleetReport): string {
  const runs = r.targets.map((t) => {
    const automationDetails = { id: `qrtz-audit/${t.name}/` };
    if (!t.report)
      return {
        tool: { driver: { name: 'qrtz-audit', version: r.tool.version, informationUri: INFORMATION_URI, rules: [] } },
        automationDetails,
        invocations: [
          {
            executionSuccessful: false,
            toolExecutionNotifications: [
              {
                level: 'error',
                descriptor: { id: 'target-failed' },
                message: { text: `target ${t.name} could not be audited: ${t.reason ?? ''}` },
              },
            ],
          },
        ],
        properties: { target: { name: t.name }, exitCode: t.exitCode },
        results: [],
      };
    const run = (JSON.parse(formatSarif(t.report)) as { runs: Record<string, unknown>[] }).runs[0] as Record<
      string,
      unknown
    >;
    pointAt(run, `targets/${t.name}/${TARGET_DESCRIPTOR}`);
    return { ...run, automationDetails, properties: { ...(run.properties as object), name: t.name } };
  });
  return `${redact(
    JSON.stringify({ $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs }, null, 2),
  )}\n`;
}

function formatFleetJunit(r: FleetReport): string {
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  const suites: string[] = [];
  for (const t of r.targets) {
    if (!t.report) {
      tests++;
      errors++;
      const reason = escapeXml(t.reason ?? '');
      suites.push(
        `  <testsuite name="${escapeXml(`qrtz-audit target ${t.name}`)}" tests="1" failures="0" errors="1" skipped="0" time="${(t.durationMs / 1000).toFixed(3)}">`,
        `    <testcase classname="qrtz-audit.fleet" name="${escapeXml(`audit ${t.name}`)}">`,
        `      <error message="${reason}" type="target-failed">${reason}</error>`,
        '    </testcase>',
        '  </testsuite>',
      );
      continue;
    }
    const xml = formatJunit(t.report);
    const head = /<testsuites [^>]*tests="(\d+)" failures="(\d+)" errors="(\d+)" skipped="(\d+)"/.exec(xml);
    tests += Number(head?.[1] ?? 0);
    failures += Number(head?.[2] ?? 0);
    errors += Number(head?.[3] ?? 0);
    skipped += Number(head?.[4] ?? 0);
    const start = xml.indexOf('<testsuite ');
    const end = xml.lastIndexOf('</testsuite>');
    if (start < 0 || end < 0) continue;
    // The suite names say which target they audited.
    suites.push(
      xml
        .slice(start, end + '</testsuite>'.length)
        .replace(/<testsuite name="/g, `<testsuite name="${escapeXml(t.name)}: `),
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="qrtz-audit fleet" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${(r.durationMs / 1000).toFixed(3)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

function formatFleetTable(r: FleetReport, opts: { color: boolean; verbose?: boolean }): string {
  const out = [`qrtz-audit ${fleetSummaryLine(r)}`, ...r.targets.map((t) => `  ${targetLine(t)}`), ''];
  for (const t of r.targets) {
    if (!t.report) continue;
    out.push(`=== target ${t.name} ===`, formatTable(t.report, opts).trimEnd(), '');
  }
  return `${out.join('\n')}\n`;
}

/** Markdown headings one level down, outside fenced blocks (a remediation's `# comment` stays as it is). */
export function demoteHeadings(md: string): string {
  let fence: string | undefined;
  return md
    .split('\n')
    .map((line) => {
      const f = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
      if (f && (fence === undefined || (f[0] === fence[0] && f.length >= fence.length))) {
        fence = fence === undefined ? f : undefined;
        return line;
      }
      return fence === undefined && /^#{1,5} /.test(line) ? `#${line}` : line;
    })
    .join('\n');
}

function formatFleetMarkdown(r: FleetReport): string {
  const s = r.summary;
  const head = [
    `# qrtz-audit fleet: ${s.exitCode === EXIT_OK ? 'PASS' : s.exitCode === EXIT_FINDINGS ? 'FAIL' : s.exitCode === EXIT_TARGET_FAILED ? 'TARGET FAILED' : 'INCOMPLETE'}`,
    '',
    mdEscape(fleetSummaryLine(r)),
    '',
    '| target | status | exit | failing (critical/high/medium/low) | detail |',
    '|---|---|---|---|---|',
    ...r.targets.map((t) => {
      const f = t.report?.summary.failedBySeverity;
      const counts = f ? `${f.critical}/${f.high}/${f.medium}/${f.low}` : '—';
      const detail = t.report ? mdEscape(targetText(t.report.target)) : mdEscape(t.reason ?? '');
      return `| ${mdEscape(t.name)} | ${t.status} | ${t.exitCode} | ${counts} | ${detail} |`;
    }),
    '',
  ].join('\n');
  let body = '';
  const left: string[] = [];
  for (const t of r.targets) {
    if (!t.report) continue;
    // Each target's own Markdown, its headings one level down.
    const section = `\n## Target ${mdEscape(t.name)}\n\n${demoteHeadings(formatMarkdown(t.report))}\n`;
    if (head.length + body.length + section.length > MARKDOWN_MAX_CHARS) left.push(t.name);
    else body += section;
  }
  const note = left.length
    ? `\n> ${left.length} target section(s) left out to fit a comment (${left.map((n) => mdEscape(n)).join(', ')}): see the per-target reports.\n`
    : '';
  return `${head}${body}${note}`;
}

const HTML_ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const h = (s: string) => escapeControl(redact(s), false).replace(/[&<>"']/g, (c) => HTML_ESC[c] as string);

function formatFleetHtml(r: FleetReport): string {
  const s = r.summary;
  const rows = r.targets.map((t) => {
    const f = t.report?.summary.failedBySeverity;
    const link = t.dir && t.report ? ` <a href="${h(`${t.dir}/qrtz-audit.html`)}">report</a>` : '';
    return `<tr class="${t.status}"><td>${h(t.name)}${link}</td><td>${t.status}</td><td>${t.exitCode}</td><td>${f ? `${f.critical}/${f.high}/${f.medium}/${f.low}` : '—'}</td><td>${h(t.report ? targetText(t.report.target) : (t.reason ?? ''))}</td></tr>`;
  });
  const sections = r.targets
    .filter((t) => t.report)
    .map((t) => {
      const rep = t.report as Report;
      const failing = rep.findings.filter((x) => x.status === 'fail' && !isAccepted(x));
      const items = failing
        .slice(0, 500)
        .map(
          (x) =>
            `<tr><td>${h(x.check)}</td><td>${x.severity}</td><td>${h(x.object.display ?? x.object.name)}</td><td>${h(x.display?.message ?? x.message)}</td></tr>`,
        );
      const more = failing.length > 500 ? `<p>${failing.length - 500} more in the target's own report.</p>` : '';
      return `<section><h2>${h(t.name)}</h2><p>${h(summaryLine(rep))}</p>${items.length ? `<table><tr><th>check</th><th>severity</th><th>object</th><th>message</th></tr>${items.join('')}</table>` : '<p>No failing finding.</p>'}${more}</section>`;
    });
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>qrtz-audit fleet report</title>
<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}tr.failed td{background:#fdd}tr.incomplete td{background:#ffd}</style>
</head><body>
<h1>qrtz-audit fleet report</h1>
<p>${h(fleetSummaryLine(r))}</p>
<p>Started ${h(r.startedAt)}, ${(r.durationMs / 1000).toFixed(1)} s, config ${h(r.config)}, exit ${s.exitCode}.</p>
<table><tr><th>target</th><th>status</th><th>exit</th><th>failing (critical/high/medium/low)</th><th>detail</th></tr>
${rows.join('\n')}
</table>
${sections.join('\n')}
</body></html>
`;
}

/** Every target's samples with its `target` label; HELP/TYPE once per metric; the fleet's target counts. */
function formatFleetPrometheus(r: FleetReport): string {
  const FLEET_METRICS = new Set([
    'qrtz_audit_targets_audited',
    'qrtz_audit_targets_failed',
    'qrtz_audit_targets_incomplete',
  ]);
  const meta = new Map<string, string[]>();
  const samples = new Map<string, string[]>();
  for (const t of r.targets) {
    if (!t.report) continue;
    for (const line of formatPrometheus(t.report).split('\n')) {
      if (!line) continue;
      const m = /^# (?:HELP|TYPE) (\S+)/.exec(line);
      const name = m ? (m[1] as string) : (/^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0] as string);
      if (FLEET_METRICS.has(name)) continue;
      if (m) {
        const list = meta.get(name) ?? [];
        if (list.length < 2 && !list.includes(line)) list.push(line);
        meta.set(name, list);
        continue;
      }
      const labelled = line.startsWith(`${name}{`)
        ? line.replace(`${name}{`, `${name}{target="${t.name}",`)
        : line.replace(name, `${name}{target="${t.name}"}`);
      samples.set(name, [...(samples.get(name) ?? []), labelled]);
    }
  }
  const out: string[] = [];
  for (const [name, lines] of meta) out.push(...lines, ...(samples.get(name) ?? []));
  const s = r.summary;
  const gauge = (name: string, help: string, value: number) =>
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${value}`);
  gauge('qrtz_audit_targets_audited', 'Targets audited by the last run.', s.audited);
  gauge('qrtz_audit_targets_failed', 'Targets of the last run that could not be audited.', s.failed);
  gauge(
    'qrtz_audit_targets_incomplete',
    'Targets of the last run where a check at or above fail-on could not be evaluated.',
    s.incomplete,
  );
  out.push(
    '# HELP qrtz_audit_target_up Whether the last run could audit the target (1) or not (0).',
    '# TYPE qrtz_audit_target_up gauge',
    ...r.targets.map((t) => `qrtz_audit_target_up{target="${t.name}"} ${t.status === 'failed' ? 0 : 1}`),
    '# HELP qrtz_audit_fleet_exit_code Exit code of the last fleet run (0 ok, 1 findings, 4 incomplete, 5 a target failed).',
    '# TYPE qrtz_audit_fleet_exit_code gauge',
    `qrtz_audit_fleet_exit_code ${s.exitCode}`,
  );
  return `${out.join('\n')}\n`;
}

export function formatFleetReport(
  r: FleetReport,
  format: OutputFormat,
  opts: { color: boolean; verbose?: boolean },
): string {
  switch (format) {
    case 'json':
      return formatFleetJson(r);
    case 'sarif':
      return formatFleetSarif(r);
    case 'junit':
      return formatFleetJunit(r);
    case 'html':
      return formatFleetHtml(r);
    case 'markdown':
      return formatFleetMarkdown(r);
    case 'table':
      return formatFleetTable(r, opts);
    case 'prometheus':
      return formatFleetPrometheus(r);
  }
}

/** What `convert` and `diff` say when given a merged fleet report (they read one target's report). */
export function fleetReportMistake(doc: unknown, shownPath: string): string | undefined {
  return doc !== null && typeof doc === 'object' && (doc as { kind?: unknown }).kind === 'qrtz-audit-fleet'
    ? `${shownPath}: a merged fleet report; give one target's own report (targets/<name>/qrtz-audit.json beside it)`
    : undefined;
}
