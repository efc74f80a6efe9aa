/**
 * JUnit XML, for CI test dashboards: one test suite per check family, one test case per finding.
 * fail → <failure>, not-evaluated/manual/not-applicable → <skipped>, pass and info → passed.
 */
import { FAMILIES } from '../model.js';
import { redact } from '../secrets/redact.js';
import type { Report } from './report.js';
import { escapeControl } from './terminal.js';
import { escapeXml } from './xml.js';

export function formatJunit(report: Report): string {
  const x = (s: string, keepNewlines = false) => escapeXml(escapeControl(redact(s), keepNewlines));
  const extra = report.summary.incomplete ? 1 : 0;
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const fails = report.findings.filter((f) => f.status === 'fail').length;
  const skips = report.findings.filter((f) => ['not-evaluated', 'manual', 'not-applicable'].includes(f.status)).length;
  lines.push(
    `<testsuites name="qrtz-audit" tests="${report.findings.length + extra}" failures="${fails + extra}" skipped="${skips}" time="${(report.durationMs / 1000).toFixed(3)}">`,
  );
  if (report.summary.incomplete) {
    // The audit could not see everything: one failing test case says so (CI pages show it).
    lines.push('  <testsuite name="incomplete" tests="1" failures="1" skipped="0" errors="0">');
    lines.push(
      `    <testcase classname="qrtz-audit.incomplete" name="audit complete at fail-on ${x(report.summary.failOn)}"><failure message="incomplete audit" type="incomplete">${x(`could not be evaluated: ${report.summary.incompleteChecks.join(', ')}`)}</failure></testcase>`,
    );
    lines.push('  </testsuite>');
  }
  for (const family of FAMILIES) {
    const list = report.findings.filter((f) => f.family === family);
    if (!list.length) continue;
    const ff = list.filter((f) => f.status === 'fail').length;
    const fs = list.filter((f) => ['not-evaluated', 'manual', 'not-applicable'].includes(f.status)).length;
    lines.push(`  <testsuite name="${x(family)}" tests="${list.length}" failures="${ff}" skipped="${fs}" errors="0">`);
    for (const f of list) {
      lines.push(
        `    <testcase classname="${x(`qrtz-audit.${f.family}.${f.check}`)}" name="${x(`${f.check} ${f.object.name}`)}">`,
      );
      if (f.status === 'fail') {
        lines.push(
          `      <failure message="${x(`[${f.severity}] ${f.title}`)}" type="${x(f.severity)}">${x(`${escapeControl(f.message)}\nfix: ${f.remediation}\nfingerprint: ${f.fingerprint}`, true)}</failure>`,
        );
      } else if (f.status !== 'pass' && f.status !== 'info') {
        lines.push(`      <skipped message="${x(`${f.status}: ${f.message}`)}"/>`);
      } else {
        lines.push(`      <system-out>${x(`${f.status}: ${f.message}`)}</system-out>`);
      }
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
