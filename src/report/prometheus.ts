/**
 * `--format prometheus`: the node_exporter textfile collector format (Prometheus text exposition 0.0.4), for
 * alerting on scheduled audits (issue #13 part 7). Write it with `--output DIR/qrtz_audit.prom.tmp` and
 * rename it to `qrtz_audit.prom` (the collector must never read a half-written file; README).
 *
 * Every sample carries the audited target (`dialect`, `database`, `schema`, and `host` when known) so one
 * collector directory can hold the files of many targets. Label values are escaped as the format requires
 * (backslash, double quote, line feed) after redaction and with control characters made visible.
 */
import { SEVERITIES } from '../model.js';
import { redact } from '../secrets/redact.js';
import type { Report } from './report.js';
import { escapeControl } from './terminal.js';

/** A label value as the exposition format requires: `\` → `\\`, `"` → `\"`, line feed → `\n`. */
export function escapeLabelValue(value: string): string {
  return escapeControl(redact(value), false).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labels(pairs: Record<string, string>): string {
  const body = Object.entries(pairs)
    .map(([k, v]) => `${k}="${escapeLabelValue(v)}"`)
    .join(',');
  return body ? `{${body}}` : '';
}

export function formatPrometheus(report: Report): string {
  const t = report.target;
  const target: Record<string, string> = {
    dialect: t.dialect,
    ...(t.host ? { host: t.host } : {}),
    database: t.database,
    schema: t.schema,
  };
  const out: string[] = [];
  const metric = (name: string, type: 'gauge', help: string, samples: [Record<string, string>, number][]) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [l, v] of samples) out.push(`${name}${labels({ ...target, ...l })} ${v}`);
  };
  // Findings by check, severity and status; suppressed and baseline-known ones in their own metrics.
  const count = (pick: (f: Report['findings'][number]) => boolean) => {
    const m = new Map<string, { check: string; severity: string; status: string; n: number }>();
    for (const f of report.findings) {
      if (!pick(f)) continue;
      const k = `${f.check}\u0000${f.severity}\u0000${f.status}`;
      const e = m.get(k) ?? { check: f.check, severity: f.severity, status: f.status, n: 0 };
      e.n++;
      m.set(k, e);
    }
    return [...m.values()]
      .sort(
        (a, b) =>
          a.check.localeCompare(b.check) || a.severity.localeCompare(b.severity) || a.status.localeCompare(b.status),
      )
      .map((e): [Record<string, string>, number] => [{ check: e.check, severity: e.severity, status: e.status }, e.n]);
  };
  metric(
    'qrtz_audit_findings',
    'gauge',
    'Findings of the last audit by check, severity and status (neither suppressed nor known to the baseline).',
    count((f) => !f.suppressed && !f.baseline),
  );
  metric(
    'qrtz_audit_findings_suppressed',
    'gauge',
    'Findings of the last audit a suppression entry accepted, by check, severity and status.',
    count((f) => Boolean(f.suppressed)),
  );
  metric(
    'qrtz_audit_findings_baselined',
    'gauge',
    'Failing findings of the last audit the --baseline file knows, by check, severity and status.',
    count((f) => !f.suppressed && Boolean(f.baseline)),
  );
  const s = report.summary;
  metric(
    'qrtz_audit_failed_findings',
    'gauge',
    'Failing findings of the last audit by severity (not suppressed, not known to the baseline).',
    SEVERITIES.map((sev): [Record<string, string>, number] => [{ severity: sev }, s.failedBySeverity[sev]]),
  );
  metric('qrtz_audit_targets_audited', 'gauge', 'Targets audited by the last run.', [[{}, 1]]);
  metric('qrtz_audit_targets_failed', 'gauge', 'Targets of the last run that could not be audited.', [[{}, 0]]);
  metric(
    'qrtz_audit_targets_incomplete',
    'gauge',
    'Targets of the last run where a check at or above fail-on could not be evaluated.',
    [[{}, s.incomplete ? 1 : 0]],
  );
  metric('qrtz_audit_exit_code', 'gauge', 'Exit code of the last run (0 ok, 1 findings, 4 incomplete).', [
    [{ fail_on: s.failOn }, s.exitCode],
  ]);
  metric('qrtz_audit_duration_seconds', 'gauge', 'Duration of the last audit in seconds.', [
    [{}, report.durationMs / 1000],
  ]);
  // A report exists only when the audit ran to its end; an incomplete one is not a success.
  const finished = Date.parse(report.startedAt) + report.durationMs;
  if (!s.incomplete && Number.isFinite(finished)) {
    metric(
      'qrtz_audit_last_success_timestamp_seconds',
      'gauge',
      'When the last complete audit finished (Unix seconds).',
      [[{}, Math.round(finished / 1000)]],
    );
  }
  return `${out.join('\n')}\n`;
}
