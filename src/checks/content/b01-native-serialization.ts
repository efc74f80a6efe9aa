/**
 * QA-B01 — BinaryFormatter (MS-NRBF) payloads in the JobStore (QA-B07 shares `present`). Fact-level: it judges the
 * inventory totals per column (facts.blobInventory) the scan built, not one blob; inspect-blob has no inventory.
 */
import type { BlobFormat, Check, Facts, FindingDraft } from '../../model.js';
import { MITIGATION } from '../util.js';

/** Fails per column holding blobs of `format` (from the blob inventory the scan built). */
export function present(facts: Facts, format: BlobFormat, what: string): FindingDraft[] {
  const inv = facts.blobInventory;
  if (!inv) return [];
  const obj = { kind: 'database' as const, name: facts.target.database || facts.dialect };
  if (inv.unreadable)
    return [{ status: 'not-evaluated', message: `blob rows could not be read: ${inv.unreadable.reason}`, object: obj }];
  const out: FindingDraft[] = [];
  const types = Object.entries(inv.typesByFormat[format] ?? {})
    .sort((a, b) => b[1] - a[1])
    .map(([t]) => t);
  for (const [col, formats] of Object.entries(inv.byColumn)) {
    const c = formats[format];
    if (!c) continue;
    out.push({
      status: 'fail',
      message: `${col}: ${c.rows} rows hold ${what} (${c.bytes} bytes); whoever can write this column chooses what the scheduler deserializes${types.length ? `. Types seen: ${types.slice(0, 8).join(', ')}${types.length > 8 ? ` … (+${types.length - 8})` : ''}` : ''}`,
      object: { kind: 'table', name: col },
      evidence: { rows: c.rows, bytes: c.bytes, types: types.length },
      discriminator: col,
    });
  }
  if (!out.length) out.push({ status: 'pass', message: `no ${what} in ${inv.rows} blob rows`, object: obj });
  return out;
}

export const b01: Check = {
  meta: {
    id: 'QA-B01',
    title: 'BinaryFormatter (MS-NRBF) payloads in the JobStore',
    family: 'content',
    severity: 'high',
    mitigation: MITIGATION.serialization,
    remediation:
      'Switch Quartz.NET to its JSON serializer (quartz.serializer.type = stj or newtonsoft) and migrate the stored JobDataMaps; BinaryFormatter is removed from .NET 9 and unsafe on any input an attacker can write.',
  },
  evaluate: (facts) => present(facts, 'nrbf', 'BinaryFormatter (MS-NRBF) payloads'),
};
