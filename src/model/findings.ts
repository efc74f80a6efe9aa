/** Findings and checks: what checks say, the catalogue metadata every check id carries, and the options. */

import type { SuppressionMark } from '../compliance/schema.js';
import type { Dialect } from './common.js';
import type { ScannedBlob } from './decoding.js';
import type { Facts } from './facts.js';

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
/** fail: a problem; pass: checked and fine; not-evaluated: could not read its inputs (never a pass);
 *  manual: needs evidence SQL cannot give; not-applicable: concept does not exist on this engine;
 *  info: inventory, never fails a build. */
export type Status = 'fail' | 'pass' | 'not-evaluated' | 'manual' | 'not-applicable' | 'info';

export interface FindingObject {
  kind: 'table' | 'schema' | 'database' | 'principal' | 'row' | 'server' | 'session' | 'file' | 'setting';
  /** Human-readable identification, e.g. 'public.qrtz_job_details', 'role quartz_app', 'DEFAULT.nightly/backup'. */
  name: string;
  schema?: string;
  table?: string;
  principal?: string;
  rowKey?: string;
  /** Safe display form of `name` (control, ESC and bidi characters made visible); only when it differs (JSON/SARIF). */
  display?: string;
}

export interface Finding {
  check: string;
  severity: Severity;
  status: Status;
  title: string;
  message: string;
  object: FindingObject;
  /** Redacted evidence: small scalars only; never a raw secret. */
  evidence?: Record<string, string | number | boolean | null>;
  remediation: string;
  mitigation: string;
  family: Family;
  /** Stable: same check on the same object → same fingerprint across runs. */
  fingerprint: string;
  /** Safe display forms (control, ESC and bidi characters made visible) of the fields that differ from them;
   *  set by the report for JSON/SARIF, which keep the exact values. */
  display?: { message?: string; remediation?: string; evidence?: Record<string, string> };
  /** Accepted by a suppression entry (src/compliance/suppress.ts): listed, never counted toward the exit code. */
  suppressed?: SuppressionMark;
  /** 'known': its fingerprint is in the --baseline file (src/compliance/baseline.ts): listed, not counted. */
  baseline?: 'known';
}

/** A finding a suppression or the baseline accepted: it stays in every machine format but fails nothing. */
export function isAccepted(f: Pick<Finding, 'suppressed' | 'baseline'>): boolean {
  return f.suppressed !== undefined || f.baseline !== undefined;
}

/**
 * Check families, selectable with --only / --skip. grants: who can read, write or administer the Quartz data
 * (SQLite's file permissions, QA-F01, included: they are its only access control); encryption: at rest and in
 * transit; audit: logging of changes and connections; content: what blobs and text columns hold (QA-B, QA-S,
 * QA-J); scheduler: scheduler health from the Quartz tables (QA-H); updates: versions past their support
 * (QA-U); config: Quartz configuration files (QA-C, src/config).
 */
export const FAMILIES = ['grants', 'encryption', 'audit', 'content', 'scheduler', 'updates', 'config'] as const;
export type Family = (typeof FAMILIES)[number];
/** Names --only / --skip accept besides the families: `blobs` is what it covered before 0.2 (table contents). */
export const FAMILY_ALIASES: Readonly<Record<string, readonly Family[]>> = {
  blobs: ['content', 'scheduler', 'updates'],
};
/** Families whose checks read the Quartz tables' contents (blob rows, scheduler state, schema columns). */
export const CONTENT_FAMILIES: readonly Family[] = ['content', 'scheduler', 'updates'];
/** True when an adapter must read table contents (scheduler state, schema columns, blob rows) for these families. */
export function readsTableContents(families: ReadonlySet<Family>): boolean {
  return CONTENT_FAMILIES.some((f) => families.has(f));
}

export interface CheckMeta {
  /** Stable id users baseline and suppress by, e.g. QA-G01. One metadata record per id (test/checks/catalogue.test.ts). */
  id: string;
  title: string;
  family: Family;
  /** Default severity of a failure (individual findings may carry another, documented severity). */
  severity: Severity;
  /** The mitigation this check serves (seed mitigation plan wording). */
  mitigation: string;
  /** Generic remediation text; findings may carry a more exact one (e.g. the REVOKE statement). */
  remediation: string;
  /** Dialects it applies to; absent = every dialect. */
  dialects?: readonly Dialect[];
  /**
   * Dialects where its one `evaluate` is right; absent = every dialect it applies to. An engine part (`engines`)
   * wins on its own dialect. On a dialect it applies to but is not evaluated on, the check reports
   * not-evaluated ("not yet evaluated on …"), never a pass.
   */
  evaluatedOn?: readonly Dialect[];
  /** What the auditing login needs on each dialect to evaluate it (privilege, role or file access); absent = nothing beyond connecting. */
  needs?: Partial<Record<Dialect, string>>;
}

/** What a check returns before the engine fills in title/family/mitigation/fingerprint defaults. */
export interface FindingDraft {
  status: Status;
  severity?: Severity;
  message: string;
  object: FindingObject;
  evidence?: Record<string, string | number | boolean | null>;
  remediation?: string;
  /** Extra discriminator for the fingerprint (e.g. privilege name) beyond object.name. */
  discriminator?: string;
}

/** The knobs checks read. Every default lives in DEFAULT_CHECK_OPTIONS and nowhere else. */
export interface CheckOptions {
  /** Type globs users allow beyond the built-in allowlist (--allow-type). Default: none. */
  allowTypes: string[];
  /** Bytes read per blob (--max-blob-size); QA-B04/B05 judge blobs cut at it. */
  maxBlobSize: number;
  /** Job class namespaces users allow (--allow-job-namespace, QA-J04). Default: none (inventory only). */
  allowJobNamespaces: string[];
  /** QA-H02: a next fire time this many minutes in the past is a misfire (--misfire-threshold). Default 60. */
  misfireThresholdMinutes: number;
  /** QA-H04: a fired trigger executing longer than this is reported (--long-running). Default 240. */
  longRunningMinutes: number;
  /** QA-H03: a node whose check-in is older than this (when its interval is unknown) is stale (--checkin-stale). Default 10. */
  checkinStaleMinutes: number;
  /** The clock for end-of-life judgements (QA-U01/U02), Unix ms; absent = now. Tests pin it. */
  now?: number;
}

/** The one place each check option's default is written (the CLI's defaults are read from here). */
export const DEFAULT_CHECK_OPTIONS: Readonly<CheckOptions> = Object.freeze({
  allowTypes: [],
  maxBlobSize: 16 * 1024 * 1024,
  allowJobNamespaces: [],
  misfireThresholdMinutes: 60,
  longRunningMinutes: 240,
  checkinStaleMinutes: 10,
});

/** Check options from the defaults and what a caller sets (arrays are copied, never shared). */
export function checkOptions(over: Partial<CheckOptions> = {}): CheckOptions {
  return {
    ...DEFAULT_CHECK_OPTIONS,
    allowTypes: [...DEFAULT_CHECK_OPTIONS.allowTypes],
    allowJobNamespaces: [...DEFAULT_CHECK_OPTIONS.allowJobNamespaces],
    ...over,
  };
}

/** Judges facts. Pure: no I/O. */
export type Evaluator = (facts: Facts, options: CheckOptions) => FindingDraft[];

/** One engine's part of a check whose engines truly differ (a sibling file named after the id). */
export interface EnginePart {
  /** The remediation template on this engine, when it differs from the check's engine-neutral one. */
  remediation?: string;
  /** Judge the facts of this engine. Pure: no I/O. */
  evaluate(facts: Facts, options: CheckOptions): FindingDraft[];
}

/**
 * One check id: its metadata and its evaluation, in one home (src/checks/<family>/<id>.ts): one `evaluate`
 * over normalised facts, `engines` — the per-engine parts (sibling files named after the id) where engines
 * truly differ — or both: a part wins on its engine, `evaluate` serves the others ({@link evaluatorOf}). A
 * content check has `inspectBlob`, which sees one decoded blob and the options, never database facts (the
 * config auditor runs it on job data from files).
 */
export interface Check {
  meta: CheckMeta;
  /** Judge the facts, on every dialect in meta.evaluatedOn (absent: every dialect) without an engine part. */
  evaluate?: Evaluator;
  /** Per-engine parts; a dialect without one here falls back to `evaluate`, else reports not-evaluated. */
  engines?: Partial<Record<Dialect, EnginePart>>;
  /** Judge one decoded blob. Pure: no I/O, no facts. Called once per streamed row. */
  inspectBlob?(blob: ScannedBlob, options: CheckOptions): FindingDraft[];
}

/**
 * What evaluates a check on one dialect — the one rule the engine and the catalogue share: the check's engine
 * part for that dialect; else its `evaluate` where meta.evaluatedOn allows it (absent = every dialect); else
 * nothing (the check then reports "not yet evaluated" there, never a pass). Whether it applies to the dialect at
 * all is meta.dialects' business.
 */
export function evaluatorOf(check: Check, dialect: Dialect): EnginePart | undefined {
  const part = check.engines?.[dialect];
  if (part) return part;
  const evaluate = check.evaluate;
  if (!evaluate) return undefined;
  if (check.meta.evaluatedOn && !check.meta.evaluatedOn.includes(dialect)) return undefined;
  return { evaluate };
}
