/** `qrtz-audit diff` output: table (terminal), JSON, Markdown. Every text from a report is escaped here. */
import type { DiffFinding, ReportDiff } from '../compliance/diff.js';
import { redact } from '../secrets/redact.js';
import { mdEscape } from './markdown.js';
import { escapeControl } from './terminal.js';

export type DiffFormat = 'table' | 'json' | 'markdown';
export const DIFF_FORMATS: DiffFormat[] = ['table', 'json', 'markdown'];

const safe = (s: string) => escapeControl(redact(s), false);

export function diffSummary(d: ReportDiff): string {
  return `${d.added.length} new, ${d.resolved.length} resolved, ${d.changed.length} changed; ${d.worsened} new or worse failing at or above ${d.failOn}`;
}

function line(f: DiffFinding): string {
  return `${f.check}  [${f.severity} ${f.status}${f.accepted ? ', accepted' : ''}]  ${f.object}  ${f.message}`;
}

export function formatDiffTable(d: ReportDiff): string {
  const out = [
    `qrtz-audit diff — old: ${safe(d.old.target)} ${safe(d.old.startedAt)}; new: ${safe(d.new.target)} ${safe(d.new.startedAt)}`,
  ];
  const section = (title: string, list: string[]) => {
    out.push('', `${title} (${list.length})`);
    for (const l of list) out.push(`  ${safe(l)}`);
  };
  section('NEW', d.added.map(line));
  section('RESOLVED', d.resolved.map(line));
  section(
    'CHANGED',
    d.changed.map(
      (c) =>
        `${c.after.check}  ${c.after.object}  ${c.fields
          .map((k) => `${k}: ${c.before[k]} -> ${c.after[k]}`)
          .join('; ')}`,
    ),
  );
  out.push('', diffSummary(d));
  return `${out.join('\n')}\n`;
}

export function formatDiffJson(d: ReportDiff): string {
  return `${redact(JSON.stringify({ kind: 'qrtz-audit-diff', version: 1, ...d }, null, 2))}\n`;
}

export function formatDiffMarkdown(d: ReportDiff): string {
  const out = [
    `## qrtz-audit diff: ${mdEscape(diffSummary(d))}`,
    '',
    `old: ${mdEscape(d.old.target)} ${mdEscape(d.old.startedAt)}; new: ${mdEscape(d.new.target)} ${mdEscape(d.new.startedAt)}`,
  ];
  const row = (f: DiffFinding) =>
    `- **${mdEscape(f.check)}** (${f.severity}, ${f.status}${f.accepted ? ', accepted' : ''}) ${mdEscape(f.object)}: ${mdEscape(f.message)}`;
  out.push('', `### New (${d.added.length})`, '', ...d.added.map(row));
  out.push('', `### Resolved (${d.resolved.length})`, '', ...d.resolved.map(row));
  out.push(
    '',
    `### Changed (${d.changed.length})`,
    '',
    ...d.changed.map(
      (c) =>
        `- **${mdEscape(c.after.check)}** ${mdEscape(c.after.object)}: ${c.fields
          .map((k) => `${k} ${mdEscape(String(c.before[k]))} → ${mdEscape(String(c.after[k]))}`)
          .join('; ')}`,
    ),
  );
  return `${out.join('\n')}\n`;
}

export function formatDiff(d: ReportDiff, format: DiffFormat): string {
  return format === 'json' ? formatDiffJson(d) : format === 'markdown' ? formatDiffMarkdown(d) : formatDiffTable(d);
}
