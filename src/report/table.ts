/** Human output: findings grouped by status and severity, colored when allowed, one summary line. */
import pc from 'picocolors';
import type { Finding, Severity } from '../model.js';
import { SEVERITIES } from '../model.js';
import { redact } from '../secrets/redact.js';
import { complianceSections } from './compliance.js';
import { type FindingItem, groupFindings, groupHeadline, groupRows } from './group.js';
import { activeFindings, type Report, serviceAccountText, targetText } from './report.js';
import { escapeControl } from './terminal.js';
import { wrapLines } from './wrap.js';

export interface TableOptions {
  color: boolean;
  /** List passing checks one by one (default: counted in the summary only). */
  verbose?: boolean;
  /** Wrap lines to this many columns (the terminal's width; src/report/output.ts decides); absent: no wrapping. */
  width?: number;
}

const safe = (s: string) => escapeControl(redact(s));

export function formatTable(report: Report, opts: TableOptions): string {
  const c = pc.createColors(opts.color);
  const sevColor: Record<Severity, (s: string) => string> = {
    critical: (s) => c.bold(c.red(s)),
    high: c.red,
    medium: c.yellow,
    low: c.cyan,
    info: c.dim,
  };
  const lines: string[] = [];
  const t = report.target;
  if (t.kind === 'files') {
    lines.push(
      c.bold(`qrtz-audit ${report.tool.version}`) +
        ` — ${safe(targetText(t))} read as ${safe(t.user)}${t.serviceAccount ? ` (service user ${safe(t.serviceAccount)})` : ''}`,
    );
  } else
    lines.push(
      c.bold(`qrtz-audit ${report.tool.version}`) +
        ` — ${safe(t.server)} ${safe(t.database)}${t.schema ? `.${safe(t.schema)}` : ''} prefix ${safe(t.tablePrefix)}` +
        ` as ${safe(t.user)} (${safe(serviceAccountText(t))})`,
    );
  const tables = report.inventory.tables;
  if (t.kind === 'files') {
    lines.push(c.dim(`files: ${report.inventory.files?.length ?? 0} read`));
  } else
    lines.push(
      c.dim(
        `tables: ${tables.present.length} found${tables.missing.length ? `, missing: ${tables.missing.join(', ')}` : ''}` +
          (report.inventory.blobs
            ? `; blobs: ${report.inventory.blobs.rows} rows, ${report.inventory.blobs.bytes} bytes`
            : ''),
      ),
    );
  if (t.kind !== 'files' && t.configFiles) lines.push(c.dim(`config: ${safe(targetText({ ...t, kind: 'files' }))}`));
  const findings = activeFindings(report);
  const fails = findings.filter((f) => f.status === 'fail');
  for (const sev of SEVERITIES) {
    const group = fails.filter((f) => f.severity === sev);
    if (!group.length) continue;
    const items = groupFindings(group);
    const grouped = items.length < group.length ? `, ${items.length} items` : '';
    lines.push('', sevColor[sev](c.bold(`${sev.toUpperCase()} (${group.length}${grouped})`)));
    for (const item of items) lines.push(...itemLines(item, sevColor[sev], c));
  }
  const section = (title: string, list: Finding[]) => {
    if (!list.length) return;
    lines.push('', c.bold(`${title} (${list.length})`));
    for (const item of groupFindings(list)) lines.push(...itemLines(item, c.magenta, c, false));
  };
  section(
    'NOT EVALUATED',
    findings.filter((f) => f.status === 'not-evaluated'),
  );
  section(
    'MANUAL',
    findings.filter((f) => f.status === 'manual'),
  );
  section(
    'INFO',
    findings.filter((f) => f.status === 'info'),
  );
  if (report.summary.incomplete) {
    lines.push(
      '',
      c.bold(
        c.magenta(
          `INCOMPLETE: ${report.summary.incompleteChecks.join(', ')} could not be evaluated (at or above fail-on ${report.summary.failOn})`,
        ),
      ),
    );
    for (const u of report.unreadable.filter((x) => x.table)) {
      lines.push(c.dim(`  not read: ${safe(u.table ?? '')} (${safe(u.cause ?? 'other')}): ${safe(u.reason)}`));
    }
  }
  for (const sec of complianceSections(report)) {
    lines.push('', c.bold(safe(sec.title)));
    for (const l of sec.lines) lines.push(`  ${safe(l)}`);
  }
  if (opts.verbose) {
    section(
      'PASSED',
      findings.filter((f) => f.status === 'pass'),
    );
    section(
      'NOT APPLICABLE',
      findings.filter((f) => f.status === 'not-applicable'),
    );
  }
  lines.push('', summaryLine(report, opts.color));
  return `${(
    opts.width
      ? wrapLines(
          lines.flatMap((l) => l.split('\n')),
          opts.width,
        )
      : lines
  ).join('\n')}\n`;
}

/** One finding, or a group of row findings: its headline, the first rows, then the first finding's details. */
function itemLines(
  item: FindingItem,
  color: (s: string) => string,
  c: ReturnType<typeof pc.createColors>,
  withRemediation = true,
): string[] {
  if (item.kind === 'one') return findingLines(item.finding, color, c, withRemediation);
  const first = item.first[0] as Finding;
  const out = [`  ${color(item.check)}  ${c.bold(safe(groupHeadline(item)))}`];
  out.push(c.dim(`      ${safe(groupRows(item))}`));
  out.push(
    ...findingLines(first, color, c, withRemediation).map((l, i) => (i === 0 ? c.dim(`      e.g. ${l.trim()}`) : l)),
  );
  return out;
}

function findingLines(
  f: Finding,
  color: (s: string) => string,
  c: ReturnType<typeof pc.createColors>,
  withRemediation = true,
): string[] {
  const out = [`  ${color(f.check)}  ${c.bold(safe(f.object.name))}  ${safe(f.message)}`];
  if (f.evidence && Object.keys(f.evidence).length) {
    out.push(
      c.dim(
        `      evidence: ${Object.entries(f.evidence)
          .map(([k, v]) => `${safe(k)}=${safe(String(v))}`)
          .join(' ')}`,
      ),
    );
  }
  if (withRemediation && f.remediation) {
    const rem = f.remediation.split('\n');
    out.push(c.dim(`      fix: ${safe(rem[0] ?? '')}`));
    for (const r of rem.slice(1)) out.push(c.dim(`           ${safe(r)}`));
  }
  return out;
}

/** ", 2000 suppressed, 3 known (baseline)" when compliance accepted findings (older reports: nothing). */
function accepted(s: Report['summary']): string {
  return `${s.suppressed ? `, ${s.suppressed} suppressed` : ''}${s.baselined ? `, ${s.baselined} known (baseline)` : ''}`;
}

export function summaryLine(report: Report, color = false): string {
  const c = pc.createColors(color);
  const s = report.summary;
  const sev = SEVERITIES.filter((x) => s.failedBySeverity[x] > 0)
    .map((x) => `${s.failedBySeverity[x]} ${x}`)
    .join(', ');
  const incomplete = s.incomplete
    ? `; INCOMPLETE: ${s.incompleteChecks.length} check(s) at or above ${s.failOn} not evaluated${s.allowIncomplete ? ' (allowed)' : ''}`
    : '';
  const inferred =
    report.target.serviceAccountSource === 'inferred'
      ? `; ${escapeControl(redact(serviceAccountText(report.target)))}`
      : '';
  const text =
    `${s.byStatus.fail} failed${sev ? ` (${sev})` : ''}, ${s.byStatus['not-evaluated']} not evaluated, ` +
    `${s.byStatus.manual} manual, ${s.byStatus.pass} passed, ${s.byStatus.info} info${accepted(s)}${incomplete}${inferred} — ` +
    `exit ${s.exitCode} (fail-on ${s.failOn})`;
  return s.exitCode ? c.red(c.bold(text)) : c.green(text);
}
