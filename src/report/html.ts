/**
 * The HTML report for auditors: one self-contained file (no external resource; a Content-Security-Policy of
 * `default-src 'none'` allows only its inline style and its one inline script, by hash). A header with the
 * target, host, server version, login, time and tool version; failures by severity and family as an inline SVG
 * chart (and the same counts as a table); a findings table that a small script makes sortable and filterable
 * (without the script it is a plain, complete table: the controls stay hidden); per-finding detail with the
 * remediation; what could not be evaluated; the inventory. Passes are neutral: no severity colour, no
 * remediation. All text is redacted, escaped, and control/bidi characters are made visible.
 *
 * Filters and the sort column can be given in the address:
 * report.html#q=text&severity=high&status=fail&family=grants&sort=check (severity, status, check, object).
 */
import { createHash } from 'node:crypto';
import type { Finding, Severity, Status } from '../model.js';
import { FAMILIES, SEVERITIES } from '../model.js';
import { redact } from '../secrets/redact.js';
import { complianceSections } from './compliance.js';
import { type FindingItem, groupFindings, groupHeadline, groupRows } from './group.js';
import { activeFindings, type Report, serviceAccountText, targetText } from './report.js';
import { summaryLine } from './table.js';
import { escapeControl } from './terminal.js';
import { escapeXml } from './xml.js';

/** Redacted, control/bidi characters made visible (newlines kept where the text is preformatted), escaped. */
const h = (s: string, keepNewlines = false) => escapeXml(escapeControl(redact(s), keepNewlines));

const SEVERITY_COLOR: Record<Severity, string> = {
  critical: '#8b0000',
  high: '#cf222e',
  medium: '#bf8700',
  low: '#0969da',
  info: '#6e7781',
};
const STATUS_ORDER: Status[] = ['fail', 'not-evaluated', 'manual', 'info', 'pass', 'not-applicable'];

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1f24;max-width:1400px}h1{font-size:1.4rem;margin:0 0 .5rem}
h2{font-size:1.1rem;margin:1.5rem 0 .5rem}dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:0}
dl.meta dt{color:#57606a}dl.meta dd{margin:0}.verdict{font-weight:600;padding:.5rem .75rem;border-radius:6px;margin:1rem 0}
.verdict.fail{background:#ffebe9;border:1px solid #cf222e}.verdict.ok{background:#dafbe1;border:1px solid #1a7f37}
.verdict.incomplete{background:#fff8c5;border:1px solid #bf8700}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border:1px solid #d0d7de;padding:.35rem .5rem;vertical-align:top;text-align:left}
th{background:#f6f8fa}th button{font:inherit;font-weight:600;border:0;background:none;cursor:pointer;padding:0}
td.n{text-align:right;font-variant-numeric:tabular-nums}.badge{display:inline-block;padding:0 .4rem;border-radius:4px;font-size:12px;font-weight:600;text-transform:uppercase;white-space:nowrap}
.badge.critical{color:#fff;background:#8b0000}.badge.high{color:#fff;background:#cf222e}.badge.medium{background:#f5c542}
.badge.low{background:#b6e3ff}.badge.info,.badge.neutral{background:#eaeef2;color:#424a53;font-weight:400}
tr.st-pass,tr.st-not-applicable{color:#57606a}code,pre{font:12px ui-monospace,monospace;white-space:pre-wrap;word-break:break-word;margin:0}
.muted{color:#57606a}.filters{display:flex;gap:.5rem;flex-wrap:wrap;margin:.5rem 0}.filters input{min-width:16rem}
details summary{cursor:pointer;color:#0969da}svg text{font:12px system-ui,sans-serif}`;

/** The one inline script: sorting and filtering. Written without template substitutions (its hash is in the CSP). */
const SCRIPT = `(function(){
var table=document.getElementById('findings');if(!table)return;
var body=table.tBodies[0];var rows=Array.prototype.slice.call(body.rows);
var form=document.getElementById('filters');form.hidden=false;
var q=document.getElementById('f-q'),sev=document.getElementById('f-severity'),st=document.getElementById('f-status'),fam=document.getElementById('f-family');
var shown=document.getElementById('f-count');
function apply(){var text=q.value.toLowerCase(),n=0;rows.forEach(function(r){
var ok=(!sev.value||r.dataset.severity===sev.value)&&(!st.value||r.dataset.status===st.value)&&(!fam.value||r.dataset.family===fam.value)&&(!text||r.textContent.toLowerCase().indexOf(text)>=0);
r.hidden=!ok;if(ok)n++;});shown.textContent=n+' of '+rows.length+' shown';}
var params=new URLSearchParams(location.hash.slice(1));
if(params.get('q'))q.value=params.get('q');
[['severity',sev],['status',st],['family',fam]].forEach(function(p){var v=params.get(p[0]);if(v)p[1].value=v;});
[q,sev,st,fam].forEach(function(el){el.addEventListener('input',apply);});
Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,i){var key=th.dataset.sort;if(!key)return;
var b=document.createElement('button');b.type='button';b.textContent=th.textContent;th.textContent='';th.appendChild(b);
b.addEventListener('click',function(){var dir=th.getAttribute('aria-sort')==='ascending'?-1:1;
Array.prototype.forEach.call(table.tHead.rows[0].cells,function(c){c.removeAttribute('aria-sort');});
th.setAttribute('aria-sort',dir===1?'ascending':'descending');
rows.sort(function(a,c){var x=a.dataset[key],y=c.dataset[key];return (x<y?-1:x>y?1:0)*dir;});
rows.forEach(function(r){body.appendChild(r);});});
if(params.get('sort')===key.slice(1))b.click();});
apply();
})();`;

export const HTML_SCRIPT_HASH = `sha256-${createHash('sha256').update(SCRIPT).digest('base64')}`;
const CSP = `default-src 'none'; style-src 'unsafe-inline'; script-src '${HTML_SCRIPT_HASH}'; base-uri 'none'; form-action 'none'`;

/** Failures by family (rows) and severity (stacked segments), drawn as horizontal bars. */
function chart(report: Report): string {
  const fails = report.findings.filter((f) => f.status === 'fail');
  const families = FAMILIES.filter((fam) => report.findings.some((f) => f.family === fam));
  if (!families.length) return '';
  const max = Math.max(1, ...families.map((fam) => fails.filter((f) => f.family === fam).length));
  const rowH = 22;
  const labelW = 90;
  const barW = 420;
  const legendY = families.length * rowH + 12;
  const parts: string[] = [];
  families.forEach((fam, i) => {
    const y = i * rowH;
    parts.push(`<text x="0" y="${y + 15}">${h(fam)}</text>`);
    let x = labelW;
    for (const sev of SEVERITIES) {
      const n = fails.filter((f) => f.family === fam && f.severity === sev).length;
      if (!n) continue;
      const w = Math.max(2, Math.round((n / max) * barW));
      parts.push(
        `<rect x="${x}" y="${y + 3}" width="${w}" height="${rowH - 6}" fill="${SEVERITY_COLOR[sev]}"><title>${h(`${fam}: ${n} ${sev}`)}</title></rect>`,
      );
      x += w;
    }
    const total = fails.filter((f) => f.family === fam).length;
    parts.push(`<text x="${x + 6}" y="${y + 15}">${total}</text>`);
  });
  let lx = labelW;
  for (const sev of SEVERITIES) {
    parts.push(`<rect x="${lx}" y="${legendY}" width="10" height="10" fill="${SEVERITY_COLOR[sev]}"/>`);
    parts.push(`<text x="${lx + 14}" y="${legendY + 9}">${sev}</text>`);
    lx += 80;
  }
  const height = legendY + 16;
  return `<svg role="img" aria-labelledby="chart-title" width="${labelW + barW + 60}" height="${height}" viewBox="0 0 ${labelW + barW + 60} ${height}" xmlns="http://www.w3.org/2000/svg"><title id="chart-title">Failed findings by family and severity</title>${parts.join('')}</svg>`;
}

/** The same counts as a table (readable without SVG, and by screen readers). */
function countsTable(report: Report): string {
  const families = FAMILIES.filter((fam) => report.findings.some((f) => f.family === fam));
  if (!families.length) return '';
  const fails = report.findings.filter((f) => f.status === 'fail');
  const head = `<tr><th>failed</th>${families.map((f) => `<th>${h(f)}</th>`).join('')}<th>total</th></tr>`;
  const rows = SEVERITIES.map(
    (sev) =>
      `<tr><td><span class="badge ${sev}">${sev}</span></td>${families
        .map((fam) => `<td class="n">${fails.filter((f) => f.family === fam && f.severity === sev).length}</td>`)
        .join('')}<td class="n">${report.summary.failedBySeverity[sev]}</td></tr>`,
  );
  const statusRows = STATUS_ORDER.filter((s) => s !== 'fail').map(
    (st) =>
      `<tr class="muted"><td>${h(st)}</td>${families
        .map((fam) => `<td class="n">${report.findings.filter((f) => f.family === fam && f.status === st).length}</td>`)
        .join('')}<td class="n">${report.summary.byStatus[st]}</td></tr>`,
  );
  return `<table class="counts"><thead>${head}</thead><tbody>${[...rows, ...statusRows].join('')}</tbody></table>`;
}

/** A grouped item is the row of its first finding, its object the group's headline and its rows listed. */
function itemRow(item: FindingItem, index: number): string {
  if (item.kind === 'one') return findingRow(item.finding, index);
  return findingRow(item.first[0] as Finding, index, { object: groupHeadline(item), rows: groupRows(item) });
}

function findingRow(f: Finding, index: number, group?: { object: string; rows: string }): string {
  const failing = f.status === 'fail';
  const sevRank = SEVERITIES.indexOf(f.severity);
  const statusRank = STATUS_ORDER.indexOf(f.status);
  const evidence = f.evidence
    ? `<br><span class="muted">${Object.entries(f.evidence)
        .map(([k, v]) => `${h(k)}=${h(String(v))}`)
        .join(' ')}</span>`
    : '';
  const detail =
    f.remediation && f.status !== 'pass'
      ? `<details><summary>remediation</summary><pre>${h(f.remediation, true)}</pre><p class="muted">${h(f.mitigation)}<br>fingerprint ${h(f.fingerprint)}</p></details>`
      : `<span class="muted">${h(f.mitigation)}</span>`;
  // Sort keys: status then severity by rank (zero-padded), text columns as lower-case text.
  return `<tr class="st-${f.status}" data-severity="${f.severity}" data-status="${f.status}" data-family="${f.family}" data-kstatus="${statusRank}${sevRank}${String(index).padStart(6, '0')}" data-kseverity="${sevRank}${statusRank}${String(index).padStart(6, '0')}" data-kcheck="${h(f.check.toLowerCase())}" data-kobject="${h(f.object.name.toLowerCase())}">
<td><span class="badge ${failing ? f.severity : 'neutral'}">${h(f.severity)}</span></td><td>${h(f.status)}</td><td><code>${h(f.check)}</code><br><span class="muted">${h(f.title)}</span><br><span class="muted">${h(f.family)}</span></td>
<td>${h(group?.object ?? f.object.name)}${group ? `<br><span class="muted">${h(group.rows)}</span>` : ''}</td><td>${group ? `<span class="muted">e.g. ${h(f.object.name)}:</span> ` : ''}${h(f.message)}${evidence}</td><td>${detail}</td></tr>`;
}

function findingsTable(report: Report): string {
  const sorted = [...report.findings].sort(
    (a, b) =>
      STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) ||
      SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
      a.check.localeCompare(b.check),
  );
  const options = (values: readonly string[]) => values.map((v) => `<option>${h(v)}</option>`).join('');
  const filters = `<form class="filters" id="filters" hidden>
<input id="f-q" type="search" placeholder="filter: check, object, text" aria-label="filter text">
<select id="f-severity" aria-label="severity"><option value="">any severity</option>${options(SEVERITIES)}</select>
<select id="f-status" aria-label="status"><option value="">any status</option>${options(STATUS_ORDER)}</select>
<select id="f-family" aria-label="family"><option value="">any family</option>${options(FAMILIES)}</select>
<span id="f-count" class="muted" aria-live="polite"></span></form>`;
  return `${filters}
<table id="findings"><thead><tr><th data-sort="kseverity">severity</th><th data-sort="kstatus">status</th><th data-sort="kcheck">check</th><th data-sort="kobject">object</th><th>finding</th><th>detail</th></tr></thead><tbody>
${groupFindings(sorted).map(itemRow).join('\n')}
</tbody></table>`;
}

function notEvaluated(report: Report): string {
  const list = report.findings.filter((f) => f.status === 'not-evaluated');
  const unreadable = report.unreadable;
  if (!list.length && !unreadable.length) return '<p class="muted">Every check that ran could read its inputs.</p>';
  const items = list.map(
    (f) => `<li><code>${h(f.check)}</code> (${h(f.severity)}) ${h(f.object.name)}: ${h(f.message)}</li>`,
  );
  const reads = unreadable.map(
    (u) =>
      `<li>${h(u.table ?? u.what)}${u.cause ? ` <span class="muted">(${h(u.cause)})</span>` : ''}: ${h(u.reason)}${u.needs ? ` <span class="muted">needs ${h(u.needs)}</span>` : ''}</li>`,
  );
  return `${
    report.summary.incomplete
      ? `<p><strong>Incomplete audit:</strong> ${h(report.summary.incompleteChecks.join(', '))} could not be evaluated (at or above fail-on ${h(report.summary.failOn)}).</p>`
      : ''
  }${items.length ? `<h3>Checks</h3><ul>${items.join('')}</ul>` : ''}${reads.length ? `<h3>Not read</h3><ul>${reads.join('')}</ul>` : ''}`;
}

function inventory(report: Report): string {
  const t = report.inventory.tables;
  const b = report.inventory.blobs;
  const types = b?.types ? Object.entries(b.types).sort((x, y) => y[1] - x[1]) : [];
  const files = report.inventory.files ?? [];
  const filesHtml = files.length
    ? `<dl class="meta"><dt>configuration files read</dt><dd>${files.map((f) => `${h(f.path)} <span class="muted">(${h(f.kind)})</span>`).join('<br>')}</dd></dl>`
    : '';
  if (report.target.kind === 'files') return filesHtml || '<p class="muted">no configuration file read</p>';
  return `${filesHtml}<dl class="meta"><dt>tables found</dt><dd>${t.present.length ? h(t.present.join(', ')) : '<span class="muted">none</span>'}</dd>
<dt>tables missing</dt><dd>${t.missing.length ? h(t.missing.join(', ')) : '<span class="muted">none</span>'}</dd>
${b ? `<dt>blobs</dt><dd>${b.rows} rows, ${b.bytes} bytes</dd>` : ''}
${types.length ? `<dt>types in blobs</dt><dd>${types.map(([k, n]) => `${h(k)} (${n})`).join(', ')}</dd>` : ''}</dl>`;
}

export function formatHtml(report: Report): string {
  const t = report.target;
  const s = report.summary;
  const verdictClass = s.exitCode === 1 ? 'fail' : s.exitCode === 4 ? 'incomplete' : 'ok';
  const verdict = s.exitCode === 1 ? 'FAIL' : s.exitCode === 4 ? 'INCOMPLETE' : 'PASS';
  const files = t.kind === 'files';
  const meta: [string, string][] = files
    ? [
        ['target', targetText(t)],
        ['read as', t.user],
        ...(t.serviceAccount ? [['service user', t.serviceAccount] as [string, string]] : []),
        ['started', report.startedAt],
        ['duration', `${(report.durationMs / 1000).toFixed(1)} s`],
        ['fail-on', s.failOn],
        ['tool', `${report.tool.name} ${report.tool.version}`],
      ]
    : [
        ['target', `${t.dialect} ${t.database}${t.schema ? `.${t.schema}` : ''}, prefix ${t.tablePrefix}`],
        ...(t.configFiles ? [['configuration', targetText({ ...t, kind: 'files' })] as [string, string]] : []),
        ['host', t.host ?? '(local file)'],
        ['server', t.server],
        ['login', t.user],
        ['service account', serviceAccountText(t).replace(/^service account /, '')],
        ['started', report.startedAt],
        ['duration', `${(report.durationMs / 1000).toFixed(1)} s`],
        ['fail-on', s.failOn],
        ['tool', `${report.tool.name} ${report.tool.version}`],
      ];
  // Suppressed and baseline-known findings fail nothing: counted in their own sections, not in the table.
  const active: Report = { ...report, findings: activeFindings(report) };
  const body = [
    `<header><h1>qrtz-audit report: ${files ? h(targetText(t)) : `${h(t.server)} ${h(t.database)}${t.schema ? `.${h(t.schema)}` : ''}`}</h1>`,
    `<dl class="meta">${meta.map(([k, v]) => `<dt>${h(k)}</dt><dd>${h(v)}</dd>`).join('')}</dl></header>`,
    `<p class="verdict ${verdictClass}">${verdict}: ${h(summaryLine(report, false))}</p>`,
    `<section><h2>Failed findings by severity and family</h2>${chart(active)}${countsTable(active)}</section>`,
    ...complianceSections(report).map(
      (sec) =>
        `<section><h2>${h(sec.title)}</h2><ul>${sec.lines.map((l) => `<li>${h(l)}</li>`).join('')}</ul></section>`,
    ),
    `<section><h2>Findings (${active.findings.length})</h2>${findingsTable(active)}</section>`,
    `<section><h2>Not evaluated</h2>${notEvaluated(active)}</section>`,
    `<section><h2>Inventory</h2>${inventory(report)}</section>`,
  ].join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>qrtz-audit report: ${h(files ? 'configuration files' : t.database)}</title><style>${CSS}</style></head>
<body>
${body}
<script>${SCRIPT}</script>
</body></html>
`;
}
