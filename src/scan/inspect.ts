/**
 * The per-row part of a scan: a check's draft made a finding, the content checks run on one decoded blob, and
 * what a blob adds to the inventory. Moved out of src/engine.ts (which re-exports all of it) so that a scan
 * worker (src/scan/worker.ts) loads only this, the content checks and the decoders — not the engine's other
 * checks, reports and spill (issue #16: 4 MB less per idle worker).
 */
import { createHash } from 'node:crypto';
import type {
  Check,
  CheckOptions,
  EnginePart,
  Family,
  Finding,
  FindingDraft,
  ScannedBlob,
  Severity,
} from '../model.js';
import { checkOptions } from '../model.js';

export function fingerprintOf(check: string, objectName: string, discriminator = ''): string {
  return createHash('sha256').update(`${check}\u0000${objectName}\u0000${discriminator}`).digest('hex').slice(0, 16);
}

/** Statuses that never carry the check's generic remediation. */
const ACTIONLESS = new Set<FindingDraft['status']>(['pass', 'info', 'not-applicable']);

/** Completes a check's draft into a finding with the check's metadata (and the engine part's remediation, if any). */
export function finalize(check: Check, draft: FindingDraft, part?: EnginePart): Finding {
  const m = check.meta;
  const generic = part?.remediation ?? m.remediation;
  const severity: Severity = draft.severity ?? m.severity;
  const finding: Finding = {
    check: m.id,
    severity,
    status: draft.status,
    title: m.title,
    message: draft.message,
    object: draft.object,
    // A pass, an inventory line or a not-applicable never carries an action (#10 part 3).
    remediation: draft.remediation ?? (ACTIONLESS.has(draft.status) ? '' : generic),
    mitigation: m.mitigation,
    family: m.family,
    fingerprint: fingerprintOf(m.id, draft.object.name, draft.discriminator),
  };
  if (draft.evidence) finding.evidence = draft.evidence;
  return finding;
}

/**
 * Runs every content check on one decoded blob: no database facts (inspect-blob and the config auditor have
 * none); the scan passes only the checks that apply to its dialect.
 */
export function inspectBlobWith(
  blob: ScannedBlob,
  checks: Check[],
  families: ReadonlySet<Family>,
  options: Partial<CheckOptions> = {},
): Finding[] {
  return inspectResolved(
    blob,
    checks.filter((c) => c.inspectBlob && families.has(c.meta.family)),
    checkOptions(options),
  );
}

/**
 * inspectBlobWith for the scan's loop: the checks already chosen (each with inspectBlob) and the options already
 * completed, once per scan rather than once per row (a fresh options object per row also defeated any check's
 * cache keyed by it).
 */
export function inspectResolved(blob: ScannedBlob, checks: readonly Check[], opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  for (const check of checks) {
    if (!check.inspectBlob) continue;
    let drafts: FindingDraft[];
    try {
      drafts = check.inspectBlob(blob, opts);
    } catch (err) {
      drafts = [
        {
          status: 'not-evaluated',
          message: `check failed internally on this row: ${(err as Error)?.message ?? String(err)}`,
          object: { kind: 'row', name: rowName(blob), table: blob.row.tableName, rowKey: rowKey(blob) },
        },
      ];
    }
    for (const d of drafts) out.push(finalize(check, d));
  }
  return out;
}

export function rowKey(blob: Pick<ScannedBlob, 'row'>): string {
  const k = blob.row.key;
  return `${k.sched}/${k.group !== undefined ? `${k.group}.` : ''}${k.name}`;
}

export function rowName(blob: Pick<ScannedBlob, 'row'>): string {
  return `${blob.row.tableName}.${blob.row.column} ${rowKey(blob)}`;
}

/** What one decoded blob adds to the inventory besides its row: what a scan worker thread sends back (src/scan/workers.ts). */
export type InventoryPart = Pick<ScannedBlob['decoded'], 'format' | 'quartzVersions'> & { types: { name: string }[] };

/** The inventory part of a decoded blob, as plain data (type names only). */
export function inventoryPartOf(decoded: ScannedBlob['decoded']): InventoryPart {
  const part: InventoryPart = { format: decoded.format, types: decoded.types.map((t) => ({ name: t.name })) };
  if (decoded.quartzVersions) part.quartzVersions = decoded.quartzVersions;
  return part;
}
