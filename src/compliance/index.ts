/**
 * Compliance after a scan (issue #13 parts 2 and 3): the ignore file's and the config's suppressions, then
 * the baseline. Files are read and validated before anything connects (loadCompliance); the report is
 * marked after it is built (applyCompliance). Expired and stale entries are warned about on stderr too.
 */

import type { Report } from '../report/report.js';
import { escapeControl } from '../report/terminal.js';
import { applyBaseline, type Baseline, readBaseline } from './baseline.js';
import { readIgnoreFile } from './ignore-file.js';
import type { SuppressionEntry } from './schema.js';
import type { ListedSuppression } from './summary.js';
import { applySuppressions } from './suppress.js';

export interface ComplianceInput {
  /** --ignore-file (else .qrtz-audit-ignore.yml in the current directory, when present). */
  ignoreFile?: string;
  /** Inline entries (a config file's `suppressions:`) and where they came from. */
  suppressions?: SuppressionEntry[];
  suppressionsSource?: string;
  /** --baseline FILE */
  baseline?: string;
}

export interface LoadedCompliance {
  ignore?: { path: string; entries: SuppressionEntry[] };
  inline?: { source: string; entries: SuppressionEntry[] };
  baseline?: { path: string; baseline: Baseline };
}

/** Reads and validates every file named (one clear line, exit 2, on a mistake). */
export function loadCompliance(o: ComplianceInput, cwd = process.cwd()): LoadedCompliance {
  const out: LoadedCompliance = {};
  const ignore = readIgnoreFile(o.ignoreFile, cwd);
  if (ignore) out.ignore = ignore;
  if (o.suppressions?.length) out.inline = { source: o.suppressionsSource ?? 'config', entries: o.suppressions };
  if (o.baseline !== undefined) out.baseline = { path: o.baseline, baseline: readBaseline(o.baseline) };
  return out;
}

const entryText = (e: ListedSuppression) =>
  `${e.source} (${e.check}${e.object !== undefined ? ` ${e.object}` : ''}${e.fingerprint ? ` ${e.fingerprint}` : ''})`;

/** Marks the report (suppressions, then baseline); warnings (expired, stale) go to `warn`, one line each. */
export function applyCompliance(
  report: Report,
  loaded: LoadedCompliance,
  warn: (line: string) => void,
  now: number = Date.now(),
): Report {
  let r = report;
  if (loaded.ignore) r = applySuppressions(r, loaded.ignore.entries, { now, source: loaded.ignore.path });
  if (loaded.inline) r = applySuppressions(r, loaded.inline.entries, { now, source: loaded.inline.source });
  const s = r.compliance?.suppressions;
  for (const e of s?.expired ?? [])
    warn(
      `qrtz-audit: warning: suppression ${escapeControl(entryText(e), false)} expired on ${e.expires}: it no longer applies`,
    );
  for (const e of s?.stale ?? [])
    warn(
      `qrtz-audit: warning: suppression ${escapeControl(entryText(e), false)} matches no finding (stale): remove it`,
    );
  if (loaded.baseline) r = applyBaseline(r, loaded.baseline.baseline, loaded.baseline.path);
  return r;
}
