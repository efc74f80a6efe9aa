/** A self-contained HTML report (no scripts, no external resources): summary, then findings by severity. */
import type { Finding } from '../model.js';
import { SEVERITIES } from '../model.js';
import { redact } from '../secrets/redact.js';
import { type Report, serviceAccountText } from './report.js';
import { summaryLine } from './table.js';
import { escapeControl } from './terminal.js';
import { escapeXml } from './xml.js';

/** Redacted, control/bidi characters made visible (newlines kept where the text is preformatted), XML-escaped. */
const h = (s: string, keepNewlines = false) => escapeXml(escapeControl(redact(s), keepNewlines));

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1f24}h1{font-size:1.4rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}th,td{border:1px solid #d0d7de;padding:.35rem .5rem;vertical-align:top;text-align:left}
th{background:#f6f8fa}.sev{font-weight:600;text-transform:uppercase}.critical{color:#fff;background:#8b0000}.high{color:#fff;background:#cf222e}
.medium{background:#f5c542}.low{background:#b6e3ff}.info{background:#eaeef2}code,pre{font:12px ui-monospace,monospace;white-space:pre-wrap;margin:0}
.muted{color:#57606a}`;

function rows(list: Finding[]): string {
  return list
    .map(
      (
        f,
      ) => `<tr><td><span class="sev ${f.severity}">&nbsp;${h(f.severity)}&nbsp;</span></td><td><code>${h(f.check)}</code><br><span class="muted">${h(f.title)}</span></td>
<td>${h(f.object.name)}</td><td>${h(f.message)}${
        f.evidence
          ? `<br><span class="muted">${Object.entries(f.evidence)
              .map(([k, v]) => `${h(k)}=${h(String(v))}`)
              .join(' ')}</span>`
          : ''
      }</td><td><pre>${h(f.remediation, true)}</pre></td></tr>`,
    )
    .join('\n');
}

function section(title: string, list: Finding[]): string {
  if (!list.length) return '';
  return `<h2>${h(title)} (${list.length})</h2>
<table><thead><tr><th>severity</th><th>check</th><th>object</th><th>finding</th><th>remediation</th></tr></thead><tbody>
${rows(list)}
</tbody></table>`;
}

export function formatHtml(report: Report): string {
  const t = report.target;
  const fails = SEVERITIES.flatMap((s) => report.findings.filter((f) => f.status === 'fail' && f.severity === s));
  const body = [
    `<h1>qrtz-audit ${h(report.tool.version)}: ${h(t.server)} ${h(t.database)}${t.schema ? `.${h(t.schema)}` : ''}</h1>`,
    `<p>prefix <code>${h(t.tablePrefix)}</code>, connected as <code>${h(t.user)}</code>, ${h(serviceAccountText(t))}, started ${h(report.startedAt)}</p>`,
    `<p><strong>${h(summaryLine(report, false))}</strong></p>`,
    report.summary.incomplete
      ? `<p><strong>Incomplete audit:</strong> ${h(report.summary.incompleteChecks.join(', '))} could not be evaluated (at or above fail-on ${h(report.summary.failOn)}).</p>`
      : '',
    section('Failed', fails),
    section(
      'Not evaluated',
      report.findings.filter((f) => f.status === 'not-evaluated'),
    ),
    section(
      'Manual',
      report.findings.filter((f) => f.status === 'manual'),
    ),
    section(
      'Info',
      report.findings.filter((f) => f.status === 'info'),
    ),
    section(
      'Passed',
      report.findings.filter((f) => f.status === 'pass'),
    ),
    section(
      'Not applicable',
      report.findings.filter((f) => f.status === 'not-applicable'),
    ),
  ].join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>qrtz-audit report: ${h(t.database)}</title><style>${CSS}</style></head>
<body>
${body}
</body></html>
`;
}
