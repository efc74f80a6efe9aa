/**
 * Judging collected evidence: the one path from what a scan collected to its report, online (`scan`, the
 * library's `audit`) and offline (`evaluate`), so both give the same findings. Fact-level checks run here
 * with the current rules and options; content (row) findings are the collected ones.
 */
import { allChecks } from '../checks/index.js';
import { judge, sortFindings } from '../engine.js';
import type { Check, CheckOptions, Severity } from '../model.js';
import { buildReport, type Report } from '../report/report.js';
import type { Evidence } from './evidence.js';

export interface JudgeOptions {
  failOn: Severity;
  allowIncomplete?: boolean;
  /** Options of the fact-level checks; what is not given is the collection's (Evidence.checkOptions). */
  checkOptions?: Partial<CheckOptions>;
  /** Claims added to (or replacing) the collection's --attest ones, e.g. { 'at-rest': 'LUKS, SEC-12' }. */
  attestations?: Record<string, string>;
  checks?: Check[];
}

/**
 * The report of collected evidence (not yet marked by suppressions or a baseline: src/compliance). End-of-
 * life judgements use the collection's start as "now", so the same evidence gives the same findings later.
 */
export function judgeEvidence(ev: Evidence, o: JudgeOptions): Report {
  const families = new Set(ev.families);
  const facts =
    o.attestations && Object.keys(o.attestations).length
      ? { ...ev.facts, attestations: { ...ev.facts.attestations, ...o.attestations } }
      : ev.facts;
  const options: Partial<CheckOptions> = {
    ...ev.checkOptions,
    now: Date.parse(ev.startedAt),
    ...o.checkOptions,
  };
  let findings = judge({ facts, contentFindings: ev.contentFindings }, o.checks ?? allChecks, families, options);
  // The configuration's own findings (QA-C…, objects of kind 'file') join the report unless the config
  // family was left out.
  if (ev.config && families.has('config')) findings = sortFindings([...findings, ...ev.config.findings]);
  return buildReport(facts, findings, o.failOn, ev.startedAt, ev.durationMs, {
    allowIncomplete: o.allowIncomplete ?? false,
    ...(ev.spill ? { spill: ev.spill } : {}),
    ...(ev.config ? { configFiles: ev.config.configFiles, files: ev.config.files } : {}),
  });
}
