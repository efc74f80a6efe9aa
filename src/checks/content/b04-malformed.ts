/** QA-B04 — a blob that could not be parsed completely (malformed, truncated, or past a parse bound). */
import type { Check, FindingObject, ScannedBlob } from '../../model.js';
import { MITIGATION } from '../util.js';

/** Row key text, bounded, with control characters escaped (key parts come from the database). */
export function blobRowKey(blob: ScannedBlob): string {
  const k = blob.row.key;
  const s = `${k.sched}/${k.group !== undefined ? `${k.group}.` : ''}${k.name}`;
  let clean = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    clean += c < 0x20 || (c >= 0x7f && c <= 0x9f) ? `\\x${c.toString(16).padStart(2, '0')}` : ch;
  }
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}

export function blobRowObject(blob: ScannedBlob): FindingObject {
  const rowKey = blobRowKey(blob);
  return { kind: 'row', name: `${blob.row.tableName}.${blob.row.column} ${rowKey}`, table: blob.row.tableName, rowKey };
}

export const b04: Check = {
  meta: {
    id: 'QA-B04',
    title: 'Malformed or truncated blob',
    family: 'content',
    severity: 'low',
    mitigation: MITIGATION.serialization,
    remediation:
      "Inspect the row with `qrtz-audit inspect-blob` (hex from SELECT encode(job_data, 'hex')): a blob the scheduler cannot read is either corrupt or crafted (hand-made exploit chains often break a strict grammar walk); restore it from a trusted source or delete the job.",
  },
  inspectBlob(blob, options) {
    const d = blob.decoded;
    if (!d.malformed && !d.limited) return [];
    const typeCount = d.types.length;
    const where = d.malformed
      ? d.malformed.offset >= 0
        ? `at byte offset ${d.malformed.offset}: ${d.malformed.reason}`
        : d.malformed.reason
      : `a parse bound was hit (${d.limited}): content past it was not read`;
    const cut =
      options.maxBlobSize > 0 && blob.row.size > options.maxBlobSize
        ? ` (only the first ${options.maxBlobSize} of ${blob.row.size} bytes were read, see QA-B05)`
        : '';
    const learned = `${typeCount} type${typeCount === 1 ? '' : 's'} and ${d.entries.length} entr${d.entries.length === 1 ? 'y' : 'ies'} read before it`;
    return [
      {
        status: 'fail',
        message: `${d.format} blob could not be parsed completely ${where}${cut}; ${learned}. It is not reported clean: the types and strings read so far were checked`,
        object: blobRowObject(blob),
        evidence: {
          format: d.format,
          offset: d.malformed?.offset ?? null,
          reason: d.malformed?.reason.slice(0, 200) ?? null,
          limited: d.limited ?? null,
          types: typeCount,
          entries: d.entries.length,
          size: blob.row.size,
        },
      },
    ];
  },
};
