/**
 * JUnit XML, for CI test dashboards. One <testsuite> per audited target, named after it (several databases
 * in one pipeline never collide), with the target as <properties>; one <testcase> per finding, each name
 * unique in its suite (check + object, plus a fingerprint where two findings share both).
 *
 * Only what fails the build is a <failure>: a failing finding at or above --fail-on, and an incomplete audit
 * (one test case says so). A failing finding below the threshold passes, and carries its severity in
 * <properties> and its message in <system-out>. not-evaluated, manual and not-applicable are <skipped>.
 */
import { failsAt } from '../engine.js';
import type { Finding } from '../model.js';
import { isAccepted } from '../model.js';
import { redact } from '../secrets/redact.js';
import type { Report } from './report.js';
import { escapeControl } from './terminal.js';
import { escapeXml } from './xml.js';

const x = (s: string, keepNewlines = false) => escapeXml(escapeControl(redact(s), keepNewlines));
const SKIPPED = new Set(['not-evaluated', 'manual', 'not-applicable']);
/** A failure of the build: failing at or above fail-on and not accepted by a suppression or the baseline. */
const counts = (f: Finding, failOn: Report['summary']['failOn']) => failsAt(f, failOn) && !isAccepted(f);

/** The suite name: what was audited, e.g. "qrtz-audit postgres db.internal/quartz.public QRTZ_". */
export function junitSuiteName(report: Report): string {
  const t = report.target;
  if (t.kind === 'files') return `qrtz-audit config ${t.configFiles?.paths.join(' ') ?? ''}`.trimEnd();
  return `qrtz-audit ${t.dialect} ${t.host ? `${t.host}/` : ''}${t.database}${t.schema ? `.${t.schema}` : ''} ${t.tablePrefix}`;
}

/** Unique test names: "check object", and the fingerprint where two findings share check and object. */
function testNames(findings: Finding[]): string[] {
  const base = findings.map((f) => `${f.check} ${f.object.name}`);
  const count = new Map<string, number>();
  for (const b of base) count.set(b, (count.get(b) ?? 0) + 1);
  const seen = new Map<string, number>();
  return base.map((b, i) => {
    let name = (count.get(b) ?? 0) > 1 ? `${b} [${findings[i]?.fingerprint}]` : b;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    if (n > 1) name = `${name} #${n}`;
    return name;
  });
}

function property(name: string, value: string): string {
  return `<property name="${x(name)}" value="${x(value)}"/>`;
}

export function formatJunit(report: Report): string {
  const s = report.summary;
  const t = report.target;
  const extra = s.incomplete ? 1 : 0;
  const failures = report.findings.filter((f) => counts(f, s.failOn)).length + extra;
  const skipped = report.findings.filter((f) => SKIPPED.has(f.status) || isAccepted(f)).length;
  const tests = report.findings.length + extra;
  const time = (report.durationMs / 1000).toFixed(3);
  const suite = junitSuiteName(report);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(
    `<testsuites name="qrtz-audit" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${time}">`,
  );
  lines.push(
    `  <testsuite name="${x(suite)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${time}"${t.host ? ` hostname="${x(t.host)}"` : ''}${report.startedAt ? ` timestamp="${x(report.startedAt.replace(/Z$/, ''))}"` : ''}>`,
  );
  lines.push('    <properties>');
  for (const [k, v] of [
    ['dialect', t.dialect],
    ['server', t.server],
    ['host', t.host ?? ''],
    ['database', t.database],
    ['schema', t.schema],
    ['tablePrefix', t.tablePrefix],
    ['user', t.user],
    ['serviceAccount', t.serviceAccount],
    ['configFiles', t.configFiles ? t.configFiles.paths.join(' ') : ''],
    ['configEnvironment', t.configFiles?.environment ?? ''],
    ['failOn', s.failOn],
    ['exitCode', String(s.exitCode)],
    ['toolVersion', report.tool.version],
  ] as const) {
    if (v) lines.push(`      ${property(k, v)}`);
  }
  lines.push('    </properties>');
  if (s.incomplete) {
    // The audit could not see everything at or above fail-on: one failing test case says so.
    lines.push(
      `    <testcase classname="qrtz-audit.incomplete" name="audit complete at fail-on ${x(s.failOn)}"><failure message="incomplete audit" type="incomplete">${x(`could not be evaluated: ${s.incompleteChecks.join(', ')}`)}</failure></testcase>`,
    );
  }
  const names = testNames(report.findings);
  report.findings.forEach((f, i) => {
    lines.push(
      `    <testcase classname="${x(`qrtz-audit.${f.family}.${f.check}`)}" name="${x(names[i] as string)}" time="0">`,
    );
    if (isAccepted(f)) {
      // Suppressed or known to the baseline: listed as a skipped test with why, never a failure.
      const why = f.suppressed
        ? `suppressed (${f.suppressed.source}): ${f.suppressed.reason}${f.suppressed.owner ? `; owner ${f.suppressed.owner}` : ''}${f.suppressed.expires ? `; expires ${f.suppressed.expires}` : ''}`
        : 'known (baseline)';
      lines.push(`      <skipped message="${x(`${f.status} ${f.severity}, ${why}: ${f.message}`)}"/>`);
    } else if (counts(f, s.failOn)) {
      lines.push(
        `      <failure message="${x(`[${f.severity}] ${f.title}`)}" type="${x(f.severity)}">${x(`${escapeControl(f.message)}\nfix: ${f.remediation}\nfingerprint: ${f.fingerprint}`, true)}</failure>`,
      );
    } else if (SKIPPED.has(f.status)) {
      lines.push(`      <skipped message="${x(`${f.status}: ${f.message}`)}"/>`);
    } else {
      if (f.status === 'fail') {
        // Below --fail-on: not a failure of the build, but never hidden.
        lines.push(
          '      <properties>',
          `        ${property('status', 'fail')}`,
          `        ${property('severity', f.severity)}`,
          `        ${property('belowFailOn', s.failOn)}`,
          `        ${property('fingerprint', f.fingerprint)}`,
          '      </properties>',
        );
        lines.push(
          `      <system-out>${x(`fail (${f.severity}, below fail-on ${s.failOn}): ${escapeControl(f.message)}\nfix: ${f.remediation}`, true)}</system-out>`,
        );
      } else {
        lines.push(`      <system-out>${x(`${f.status}: ${f.message}`)}</system-out>`);
      }
    }
    lines.push('    </testcase>');
  });
  lines.push('  </testsuite>');
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
