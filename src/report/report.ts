/**
 * The report every formatter is fed: one versioned object built from the scan result, redacted once
 * here (formatters redact again whatever they add). JSON output is exactly this object.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ComplianceSummary } from '../compliance/summary.js';
import { failsAt } from '../engine.js';
import { EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK } from '../errors.js';
import type { BlobInventory, Facts, Finding, Severity, Status, Unreadable } from '../model.js';
import { isAccepted, SEVERITIES } from '../model.js';
import { packageRoot } from '../queries.js';
import { redactDeep } from '../secrets/redact.js';
import { allFindings, attachSpill, type FindingSpill } from '../spill.js';
import { escapeControl, hasUnsafeText } from './terminal.js';

/** Bumped on any incompatible change of the JSON shape. */
export const REPORT_SCHEMA_VERSION = 1;

export interface Report {
  schemaVersion: number;
  tool: { name: string; version: string };
  target: {
    /** 'files': `qrtz-audit config` audited configuration files, no database (dialect 'files', server
     *  'configuration files', database/schema/tablePrefix empty, user the local account that read them,
     *  serviceAccount the --service-user given, if any). Absent: a database. */
    kind?: 'files';
    dialect: string;
    database: string;
    schema: string;
    tablePrefix: string;
    user: string;
    host?: string;
    server: string;
    serviceAccount: string;
    /** How the service account was chosen: --service-account, the connected login, or inferred. */
    serviceAccountSource?: 'option' | 'connected-login' | 'inferred';
    /** The Quartz application's configuration files read (`qrtz-audit config`, `scan --from-config`). */
    configFiles?: ConfigFilesTarget;
    /** Safe display forms of the target fields that differ from them (control/bidi characters visible). */
    display?: Record<string, string>;
  };
  startedAt: string;
  durationMs: number;
  summary: {
    failOn: Severity;
    exitCode: number;
    total: number;
    byStatus: Record<Status, number>;
    failedBySeverity: Record<Severity, number>;
    /** True when a check at or above failOn could not be evaluated (exit 4 unless --allow-incomplete). */
    incomplete: boolean;
    /** The checks at or above failOn that could not be evaluated. */
    incompleteChecks: string[];
    /** --allow-incomplete: an incomplete audit does not change the exit code. */
    allowIncomplete: boolean;
    /** Findings a suppression entry accepted (listed, marked `suppressed`; not in byStatus, never failing). */
    suppressed: number;
    /** Findings the --baseline file knows (listed, marked `baseline: "known"`; not in byStatus, never failing). */
    baselined: number;
  };
  findings: Finding[];
  inventory: {
    tables: { present: string[]; missing: string[] };
    blobs: BlobInventory | null;
    /** Configuration files read, with the kind each was read as (config audits only). */
    files?: { path: string; kind: string }[];
  };
  /** What the audit could not read, and what would let it. */
  unreadable: Unreadable[];
  /** Suppressions (applied, expired, stale) and the baseline (known, new, remediated), when used. */
  compliance?: ComplianceSummary;
}

/** What a configuration audit read: the paths given, how many files were read, the ASP.NET environment. */
export interface ConfigFilesTarget {
  paths: string[];
  count: number;
  environment: string;
}

/** One line naming what was audited: the database, or the configuration files (headers of every format). */
export function targetText(t: Report['target']): string {
  if (t.kind === 'files') {
    const c = t.configFiles;
    return `configuration files ${c ? c.paths.join(', ') : ''} (${c?.count ?? 0} read, environment ${c?.environment ?? ''})`;
  }
  return `${t.server} ${t.database}${t.schema ? `.${t.schema}` : ''} prefix ${t.tablePrefix}`;
}

let cachedVersion: string | undefined;
export function toolVersion(): string {
  if (!cachedVersion) {
    cachedVersion = String(
      (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version,
    );
  }
  return cachedVersion;
}

export interface ReportOptions {
  /** --allow-incomplete: exit 0 instead of 4 when checks at or above failOn could not be evaluated. */
  allowIncomplete?: boolean;
  /** Row findings the engine spilled to disk (src/spill.ts); read back through allFindings(report). */
  spill?: FindingSpill;
}

/** True when a not-evaluated finding is at or above the threshold (the audit is incomplete there). */
export function incompleteAt(f: Finding, threshold: Severity): boolean {
  return (
    f.status === 'not-evaluated' && !isAccepted(f) && SEVERITIES.indexOf(f.severity) <= SEVERITIES.indexOf(threshold)
  );
}

/** Exit code: 1 findings at/above failOn; else 4 when incomplete at/above failOn (unless allowed); else 0. */
export function exitCodeOf(findings: Finding[], failOn: Severity, allowIncomplete = false): number {
  if (findings.some((f) => failsAt(f, failOn) && !isAccepted(f))) return EXIT_FINDINGS;
  if (!allowIncomplete && findings.some((f) => incompleteAt(f, failOn))) return EXIT_INCOMPLETE;
  return EXIT_OK;
}

/** "service account NAME" with how it was chosen when it was inferred (summary line, report target). */
export function serviceAccountText(target: Report['target']): string {
  const name = target.display?.serviceAccount ?? target.serviceAccount;
  return target.serviceAccountSource === 'inferred'
    ? `service account ${name} (inferred: the only login holding Quartz DML)`
    : `service account ${name}`;
}

/** Adds safe display forms where a value holds control, ESC or bidi characters; exact values stay. */
function addDisplayForms(report: Report): void {
  const display: Record<string, string> = {};
  for (const [k, v] of Object.entries(report.target)) {
    if (typeof v === 'string' && hasUnsafeText(v)) display[k] = escapeControl(v);
  }
  if (Object.keys(display).length) report.target.display = display;
  for (const f of report.findings) addFindingDisplay(f);
}

/** A finding's safe display forms (object name, message, remediation, evidence values), in place. */
function addFindingDisplay(f: Finding): Finding {
  if (hasUnsafeText(f.object.name)) f.object.display = escapeControl(f.object.name);
  const d: NonNullable<Finding['display']> = {};
  if (hasUnsafeText(f.message)) d.message = escapeControl(f.message);
  if (escapeControl(f.remediation, true) !== f.remediation) d.remediation = escapeControl(f.remediation, true);
  if (f.evidence) {
    // No prototype: evidence keys come from the database (a job class named "__proto__" stays a key).
    const ev: Record<string, string> = Object.create(null);
    for (const [k, v] of Object.entries(f.evidence)) {
      if (typeof v === 'string' && hasUnsafeText(v)) ev[k] = escapeControl(v);
    }
    if (Object.keys(ev).length) d.evidence = ev;
  }
  if (Object.keys(d).length) f.display = d;
  return f;
}

/** How a spilled finding is read back: redacted and with display forms, as buildReport does in memory. */
export function prepareFinding(f: Finding): Finding {
  return addFindingDisplay(redactDeep(f));
}

/**
 * The summary of these findings: counts by status and failing severity, the exit code and the incomplete
 * checks. Findings a suppression or the baseline accepted are counted apart (`suppressed`, `baselined`) and
 * never fail. Called again whenever compliance marks findings (src/compliance/).
 */
export function summarize(findings: Iterable<Finding>, failOn: Severity, allowIncomplete: boolean): Report['summary'] {
  const byStatus = { fail: 0, pass: 0, 'not-evaluated': 0, manual: 0, 'not-applicable': 0, info: 0 } as Record<
    Status,
    number
  >;
  const failedBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let suppressed = 0;
  let baselined = 0;
  let total = 0;
  let exitFindings = false;
  let anyIncomplete = false;
  const incomplete = new Set<string>();
  for (const f of findings) {
    total++;
    if (failsAt(f, failOn) && !isAccepted(f)) exitFindings = true;
    if (incompleteAt(f, failOn)) {
      anyIncomplete = true;
      incomplete.add(f.check);
    }
    if (f.suppressed) suppressed++;
    else if (f.baseline) baselined++;
    else {
      byStatus[f.status]++;
      if (f.status === 'fail') failedBySeverity[f.severity]++;
    }
  }
  const incompleteChecks = [...incomplete].sort();
  return {
    failOn,
    exitCode: exitFindings ? EXIT_FINDINGS : anyIncomplete && !allowIncomplete ? EXIT_INCOMPLETE : EXIT_OK,
    total,
    byStatus,
    failedBySeverity,
    incomplete: incompleteChecks.length > 0,
    incompleteChecks,
    allowIncomplete,
    suppressed,
    baselined,
  };
}

/** The findings that count: neither suppressed nor known to the baseline (the human formats' main sections). */
export function activeFindings(report: Pick<Report, 'findings'>): Finding[] {
  return report.findings.filter((f) => !isAccepted(f));
}

export function buildReport(
  facts: Facts,
  findings: Finding[],
  failOn: Severity,
  startedAt: string,
  durationMs: number,
  options: ReportOptions & { configFiles?: ConfigFilesTarget; files?: { path: string; kind: string }[] } = {},
): Report {
  return assemble(
    {
      dialect: facts.dialect,
      database: facts.target.database,
      schema: facts.target.schema,
      tablePrefix: facts.target.tablePrefix,
      user: facts.target.user,
      ...(facts.target.host ? { host: facts.target.host } : {}),
      server: `${facts.server.product} ${facts.server.version}`,
      serviceAccount: facts.serviceAccount,
      ...(facts.serviceAccountSource ? { serviceAccountSource: facts.serviceAccountSource } : {}),
      ...(options.configFiles ? { configFiles: options.configFiles } : {}),
    },
    findings,
    failOn,
    startedAt,
    durationMs,
    {
      tables: { present: facts.tables.map((t) => t.name), missing: facts.missingTables },
      blobs: facts.blobInventory ?? null,
      ...(options.files ? { files: options.files } : {}),
    },
    facts.unreadable,
    options,
  );
}

/**
 * The report of a configuration audit (`qrtz-audit config`): the target is the files, not a database —
 * no server, database, schema or prefix; `user` is the local account that read them.
 */
export function buildFilesReport(
  configFiles: ConfigFilesTarget,
  files: { path: string; kind: string }[],
  findings: Finding[],
  failOn: Severity,
  startedAt: string,
  durationMs: number,
  options: ReportOptions & { user: string; serviceAccount?: string; unreadable?: Unreadable[] },
): Report {
  return assemble(
    {
      kind: 'files',
      dialect: 'files',
      database: '',
      schema: '',
      tablePrefix: '',
      user: options.user,
      server: 'configuration files',
      serviceAccount: options.serviceAccount ?? '',
      ...(options.serviceAccount !== undefined ? { serviceAccountSource: 'option' as const } : {}),
      configFiles,
    },
    findings,
    failOn,
    startedAt,
    durationMs,
    { tables: { present: [], missing: [] }, blobs: null, files },
    options.unreadable ?? [],
    options,
  );
}

function assemble(
  target: Report['target'],
  findings: Finding[],
  failOn: Severity,
  startedAt: string,
  durationMs: number,
  inventory: Report['inventory'],
  unreadable: Unreadable[],
  options: ReportOptions,
): Report {
  const allowIncomplete = options.allowIncomplete ?? false;
  const summary = summarize(findings, failOn, allowIncomplete);
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'qrtz-audit', version: toolVersion() },
    target,
    startedAt,
    durationMs,
    summary,
    findings,
    inventory,
    unreadable,
  };
  const redacted = redactDeep(report);
  addDisplayForms(redacted);
  if (!options.spill) return redacted;
  attachSpill(redacted, { spill: options.spill, transforms: options.spill.prepare ? [] : [prepareFinding] });
  redacted.summary = summarize(allFindings(redacted), failOn, allowIncomplete);
  return redacted;
}
