/**
 * The report every formatter is fed: one versioned object built from the scan result, redacted once
 * here (formatters redact again whatever they add). JSON output is exactly this object.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { failsAt } from '../engine.js';
import type { BlobInventory, Facts, Finding, Severity, Status, Unreadable } from '../model.js';
import { SEVERITIES } from '../model.js';
import { packageRoot } from '../queries.js';
import { redactDeep } from '../secrets/redact.js';

/** Bumped on any incompatible change of the JSON shape. */
export const REPORT_SCHEMA_VERSION = 1;

export interface Report {
  schemaVersion: number;
  tool: { name: string; version: string };
  target: {
    dialect: string;
    database: string;
    schema: string;
    tablePrefix: string;
    user: string;
    host?: string;
    server: string;
    serviceAccount: string;
  };
  startedAt: string;
  durationMs: number;
  summary: {
    failOn: Severity;
    exitCode: number;
    total: number;
    byStatus: Record<Status, number>;
    failedBySeverity: Record<Severity, number>;
  };
  findings: Finding[];
  inventory: {
    tables: { present: string[]; missing: string[] };
    blobs: BlobInventory | null;
  };
  /** What the audit could not read, and what would let it. */
  unreadable: Unreadable[];
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

export function buildReport(
  facts: Facts,
  findings: Finding[],
  failOn: Severity,
  startedAt: string,
  durationMs: number,
): Report {
  const byStatus = { fail: 0, pass: 0, 'not-evaluated': 0, manual: 0, 'not-applicable': 0, info: 0 } as Record<
    Status,
    number
  >;
  const failedBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) {
    byStatus[f.status]++;
    if (f.status === 'fail') failedBySeverity[f.severity]++;
  }
  const exitCode = findings.some((f) => failsAt(f, failOn)) ? 1 : 0;
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'qrtz-audit', version: toolVersion() },
    target: {
      dialect: facts.dialect,
      database: facts.target.database,
      schema: facts.target.schema,
      tablePrefix: facts.target.tablePrefix,
      user: facts.target.user,
      ...(facts.target.host ? { host: facts.target.host } : {}),
      server: `${facts.server.product} ${facts.server.version}`,
      serviceAccount: facts.serviceAccount,
    },
    startedAt,
    durationMs,
    summary: { failOn, exitCode, total: findings.length, byStatus, failedBySeverity },
    findings,
    inventory: {
      tables: { present: facts.tables.map((t) => t.name), missing: facts.missingTables },
      blobs: facts.blobInventory ?? null,
    },
    unreadable: facts.unreadable,
  };
  return redactDeep(report);
}
