/**
 * Markdown for a pull-request comment or a CI step summary ($GITHUB_STEP_SUMMARY): the result, a summary table
 * of failures by severity and family, then the findings grouped by severity with their remediation.
 *
 * Every piece of database text is escaped: Markdown punctuation and | ` < > & become literal (backslash or
 * entity), control, ESC and bidi characters are made visible, and remediation goes in a fence longer than any
 * backtick run it holds. The findings are cut (with a note) so the whole fits a GitHub comment (65,536
 * characters); the full report is the JSON/SARIF/HTML beside it.
 */
import type { Finding } from '../model.js';
import { FAMILIES, SEVERITIES } from '../model.js';
import { redact } from '../secrets/redact.js';
import { complianceSections } from './compliance.js';
import { type FindingItem, groupFindings, groupHeadline, groupRows } from './group.js';
import { activeFindings, type Report, serviceAccountText, targetText } from './report.js';
import { summaryLine } from './table.js';
import { escapeControl } from './terminal.js';

/** GitHub's largest comment body is 65,536 characters; stay well under it. */
export const MARKDOWN_MAX_CHARS = 60_000;

const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Inline text from the database (or anything else): literal in GitHub-flavoured Markdown, on one line.
 * Escaped: the inline syntax (\\ ` * _ [ ] | ~), HTML (< > & as entities), autolinks (`://`, `www.`),
 * GitHub @mentions and #references (the sign in a code span: a hostile role name must not notify anyone),
 * and, with lineStart (the text begins a line), a construct it would open there (heading, list, setext underline).
 */
export function mdEscape(text: string, lineStart = false): string {
  const inline = escapeControl(redact(text))
    .replace(/[\\`*_[\]<>&|~]/g, (c) => ENTITY[c] ?? `\\${c}`)
    .replace(/@(?=[\w-])/g, '<code>@</code>')
    .replace(/#(?=\d)/g, '<code>#</code>')
    .replace(/:\/\//g, ':&#47;&#47;')
    .replace(/\b(www)\./gi, '$1&#46;');
  return lineStart ? inline.replace(/^(\s*)([#+\-=])/, '$1\\$2').replace(/^(\s*\d+)([.)])/, '$1\\$2') : inline;
}

/** A fenced block that its content cannot close: the fence is longer than any backtick run inside. */
export function mdFence(text: string, info = ''): string {
  const body = escapeControl(redact(text), true);
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${body}\n${fence}`;
}

function findingBlock(f: Finding): string {
  const lines = [
    `- **${mdEscape(f.check)}** ${mdEscape(f.title)}: ${mdEscape(f.object.name)}  `,
    `  ${mdEscape(f.message, true)}`,
  ];
  if (f.evidence && Object.keys(f.evidence).length) {
    lines.push(
      `  <br>evidence: ${Object.entries(f.evidence)
        .map(([k, v]) => `${mdEscape(k)}\\=${mdEscape(String(v))}`)
        .join(', ')}`,
    );
  }
  if (f.remediation) {
    lines.push('', '  <details><summary>Remediation</summary>', '');
    lines.push(
      ...mdFence(f.remediation)
        .split('\n')
        .map((l) => `  ${l}`),
    );
    lines.push('', '  </details>');
  }
  return lines.join('\n');
}

/** One finding, or a group of row findings (same secret, or same check and object pattern) with its count. */
function itemBlock(item: FindingItem): string {
  if (item.kind === 'one') return findingBlock(item.finding);
  const first = item.first[0] as Finding;
  const block = findingBlock(first).split('\n');
  block[0] = `- **${mdEscape(item.check)}** ${mdEscape(first.title)}: ${mdEscape(groupHeadline(item))}  `;
  block.splice(1, 0, `  ${mdEscape(groupRows(item))}  `, `  e.g. ${mdEscape(first.object.name)}:`);
  return block.join('\n');
}

export function formatMarkdown(report: Report, maxChars = MARKDOWN_MAX_CHARS): string {
  const t = report.target;
  const s = report.summary;
  const head: string[] = [];
  const verdict = s.exitCode === 1 ? 'FAIL' : s.exitCode === 4 ? 'INCOMPLETE' : 'PASS';
  if (t.kind === 'files')
    head.push(
      `## qrtz-audit: ${verdict}: ${mdEscape(targetText(t))}`,
      '',
      `read as ${mdEscape(t.user)}${t.serviceAccount ? `, service user ${mdEscape(t.serviceAccount)}` : ''}; started ${mdEscape(report.startedAt)}; qrtz\\-audit ${mdEscape(report.tool.version)}`,
      '',
    );
  else
    head.push(
      `## qrtz-audit: ${verdict}: ${mdEscape(t.server)} ${mdEscape(t.database)}${t.schema ? `\\.${mdEscape(t.schema)}` : ''}`,
      '',
      `${t.host ? `host ${mdEscape(t.host)}, ` : ''}prefix ${mdEscape(t.tablePrefix)}, connected as ${mdEscape(t.user)}, ${mdEscape(serviceAccountText(t))}${t.configFiles ? `; ${mdEscape(targetText({ ...t, kind: 'files' }))}` : ''}; started ${mdEscape(report.startedAt)}; qrtz\\-audit ${mdEscape(report.tool.version)}`,
      '',
    );
  head.push(`**${mdEscape(summaryLine(report, false))}**`, '');
  // Failures by severity (rows) and family (columns): only the families that ran.
  const findings = activeFindings(report);
  const families = FAMILIES.filter((fam) => findings.some((f) => f.family === fam));
  const fails = findings.filter((f) => f.status === 'fail');
  if (families.length) {
    head.push(`| failed | ${families.join(' | ')} | total |`, `|---|${families.map(() => '---:|').join('')}---:|`);
    for (const sev of SEVERITIES) {
      const row = families.map((fam) => fails.filter((f) => f.severity === sev && f.family === fam).length);
      head.push(`| ${sev} | ${row.join(' | ')} | ${s.failedBySeverity[sev]} |`);
    }
    const statuses = ['pass', 'not-evaluated', 'manual', 'not-applicable', 'info'] as const;
    for (const st of statuses) {
      const row = families.map((fam) => findings.filter((f) => f.status === st && f.family === fam).length);
      head.push(`| *${st}* | ${row.join(' | ')} | ${s.byStatus[st]} |`);
    }
    head.push('');
  }
  if (s.incomplete) {
    head.push(
      `> **Incomplete audit:** ${mdEscape(s.incompleteChecks.join(', '))} could not be evaluated (at or above fail\\-on ${s.failOn}).`,
      '',
    );
  }
  const blocks: string[] = [];
  for (const sev of SEVERITIES) {
    const group = fails.filter((f) => f.severity === sev);
    if (!group.length) continue;
    const items = groupFindings(group);
    const grouped = items.length < group.length ? `, ${items.length} items` : '';
    blocks.push(`### ${sev.toUpperCase()} (${group.length}${grouped})`, '', ...items.map(itemBlock), '');
  }
  const notEvaluated = findings.filter((f) => f.status === 'not-evaluated');
  if (notEvaluated.length) {
    blocks.push(
      `### Not evaluated (${notEvaluated.length})`,
      '',
      ...notEvaluated.map(
        (f) => `- **${mdEscape(f.check)}** (${f.severity}) ${mdEscape(f.object.name)}: ${mdEscape(f.message)}`,
      ),
      '',
    );
  }
  const manual = findings.filter((f) => f.status === 'manual');
  if (manual.length) {
    blocks.push(
      `### Manual review (${manual.length})`,
      '',
      ...manual.map((f) => `- **${mdEscape(f.check)}** ${mdEscape(f.object.name)}: ${mdEscape(f.message)}`),
      '',
    );
  }
  // Suppressions and baseline first: they are short, and a cut must never hide them.
  blocks.unshift(
    ...complianceSections(report).flatMap((sec) => [
      `### ${mdEscape(sec.title)}`,
      '',
      ...sec.lines.map((l) => `- ${mdEscape(l)}`),
      '',
    ]),
  );
  let out = `${head.join('\n')}\n`;
  let shown = 0;
  const body: string[] = [];
  for (const b of blocks) {
    if (out.length + body.join('\n').length + b.length + 200 > maxChars) break;
    body.push(b);
    shown++;
  }
  out += body.join('\n');
  if (shown < blocks.length) {
    const cut = blocks.slice(shown).filter((b) => b.startsWith('- ')).length;
    out += `\n\n_${cut} more findings not shown (a comment holds at most ${maxChars} characters here): see the full report (JSON, SARIF or HTML)._\n`;
  }
  return `${out.replace(/\n+$/, '')}\n`;
}
