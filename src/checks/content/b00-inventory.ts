/**
 * QA-B00 — inventory of blob rows and bytes per table/column and detected format (info). Fact-level: it judges the
 * totals the scan built over every streamed row (facts.blobInventory), so it runs after the stream; one blob on its
 * own (inspect-blob, the config auditor) has no inventory and is judged by the content checks' inspectBlob only.
 */
import type { Check, FindingDraft } from '../../model.js';
import { databaseObject, MITIGATION } from '../util.js';

export const b00: Check = {
  meta: {
    id: 'QA-B00',
    title: 'Blob inventory',
    family: 'content',
    severity: 'info',
    mitigation: MITIGATION.serialization,
    remediation: 'None: inventory.',
  },
  evaluate(facts) {
    const inv = facts.blobInventory;
    const obj = databaseObject(facts);
    if (!inv) return [];
    // What was read is still inventoried; what could not be read is said beside it.
    const unread: FindingDraft[] = inv.unreadable
      ? [
          {
            status: 'not-evaluated',
            message: `blob rows could not be read: ${inv.unreadable.reason}`,
            object: obj,
            evidence: { needs: inv.unreadable.needs ?? null },
            discriminator: 'unreadable',
          },
        ]
      : [];
    const out: FindingDraft[] = Object.entries(inv.byColumn).map(([col, formats]) => {
      const parts = Object.entries(formats)
        .sort((a, b) => b[1].rows - a[1].rows)
        .map(([f, c]) => `${f}: ${c.rows} rows, ${c.bytes} bytes`);
      const rows = Object.values(formats).reduce((n, c) => n + c.rows, 0);
      return {
        status: 'info' as const,
        message: `${col}: ${rows} rows — ${parts.join('; ')}`,
        object: { kind: 'table' as const, name: col },
        evidence: Object.fromEntries(Object.entries(formats).map(([f, c]) => [f, c.rows])),
        discriminator: col,
      };
    });
    if (!out.length && !unread.length)
      out.push({
        status: 'info',
        message: 'no blob rows',
        object: { kind: 'table', name: 'blobs' },
        evidence: {},
        discriminator: 'none',
      });
    return [...unread, ...out];
  },
};
