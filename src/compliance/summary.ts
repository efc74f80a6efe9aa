/** What the report says about suppressions and the baseline (`report.compliance`, JSON and every human format). */
import type { Severity } from '../model.js';

/** A suppression entry as the report lists it (expired or stale): the entry and where it came from. */
export interface ListedSuppression {
  check: string;
  object?: string;
  fingerprint?: string;
  reason: string;
  expires?: string;
  owner?: string;
  /** File (or config) and entry number, e.g. `.qrtz-audit-ignore.yml#2`. */
  source: string;
}

/** One failing finding a baseline file records. */
export interface BaselineEntry {
  fingerprint: string;
  check: string;
  object: string;
  severity: Severity;
}

export interface ComplianceSummary {
  suppressions?: {
    /** Entries read (every source). */
    entries: number;
    /** Findings marked suppressed. */
    applied: number;
    /** Entries past their expiry date: they no longer apply. */
    expired: ListedSuppression[];
    /** Entries in force that matched no finding. */
    stale: ListedSuppression[];
  };
  baseline?: {
    /** The baseline file. */
    source: string;
    createdAt: string;
    entries: number;
    /** Failing findings the baseline knows (marked, not counted). */
    known: number;
    /** Failing findings whose fingerprints are not in the baseline (these decide the exit code). */
    new: number;
    /** Baseline entries whose check ran and no longer fails on them. */
    remediated: BaselineEntry[];
    /** Baseline entries whose check did not run or could not be evaluated this time: neither known nor remediated. */
    unverified: BaselineEntry[];
  };
}
