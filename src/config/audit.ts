/**
 * A configuration audit end to end, for `qrtz-audit config` and `scan --from-config`: discover the files,
 * read them, run every config check (QA-C01…C12) and complete the drafts into findings with the catalogue's
 * metadata and stable fingerprints. Files the discovery skipped (too large, unreadable, past a bound) are
 * returned as Unreadable entries, so the report says what was not read.
 */
import { finalize } from '../engine.js';
import type { Check, Finding, FindingDraft, Unreadable } from '../model.js';
import { CONFIG_CHECKS, type ConfigCheckOptions } from './checks.js';
import { type DiscoveryNotes, discoverConfigFiles } from './discover.js';
import type { ConfigFacts } from './model.js';
import { readConfig } from './read.js';

export interface ConfigAudit {
  facts: ConfigFacts;
  findings: Finding[];
  /** Every file read, with the kind it was read as. */
  files: { path: string; kind: string }[];
  /** What discovery skipped or left out (also in `unreadable`). */
  notes: DiscoveryNotes;
  unreadable: Unreadable[];
}

/** Findings of every config check over the facts; a check that throws is not-evaluated, never a pass. */
export function configFindings(facts: ConfigFacts, options: ConfigCheckOptions = {}): Finding[] {
  const out: Finding[] = [];
  for (const c of CONFIG_CHECKS) {
    const check = { meta: c.meta } as Check;
    let drafts: FindingDraft[];
    try {
      drafts = c.evaluate(facts, options);
    } catch (err) {
      drafts = [
        {
          status: 'not-evaluated',
          message: `check failed internally: ${(err as Error)?.message ?? String(err)}`,
          object: { kind: 'file', name: 'configuration files' },
        },
      ];
    }
    for (const d of drafts) out.push(finalize(check, d));
  }
  return out;
}

/** Unreadable entries for what discovery did not read. */
export function discoveryUnreadable(notes: DiscoveryNotes): Unreadable[] {
  const out: Unreadable[] = notes.skipped.map((s) => ({
    what: `config file ${s.path}`,
    reason: `not read: ${s.reason}`,
    cause: 'other' as const,
  }));
  if (notes.limited) out.push({ what: 'config discovery', reason: notes.limited, cause: 'other' });
  return out;
}

/** Discover, read and judge the configuration under `paths`. Throws UserError (exit 2) on bad input. */
export async function auditConfig(
  paths: string[],
  options: ConfigCheckOptions & { environment?: string } = {},
): Promise<ConfigAudit> {
  const notes: DiscoveryNotes = { skipped: [] };
  const found = await discoverConfigFiles(paths, {}, notes);
  const facts = await readConfig(found, options.environment ? { environment: options.environment } : {});
  return {
    facts,
    findings: configFindings(facts, options),
    files: found.map((f) => ({ path: f.path, kind: f.kind })),
    notes,
    unreadable: discoveryUnreadable(notes),
  };
}
