/** QA-B08 — bytes after the end of a serialized stream (after NRBF MessageEnd, after the last Java object). */
import type { Check } from '../../model.js';
import { MITIGATION } from '../util.js';
import { blobRowObject } from './b04-malformed.js';

export const b08: Check = {
  meta: {
    id: 'QA-B08',
    title: 'Data hidden after the end of a serialized blob',
    family: 'content',
    severity: 'low',
    mitigation: MITIGATION.serialization,
    remediation:
      "The scheduler stops reading at the end of the stream, so these bytes are never used: nothing Quartz writes leaves them there. Inspect the row with `qrtz-audit inspect-blob` (hex from SELECT encode(job_data, 'hex')) to see what was appended and by whom, then re-save the job from a trusted source.",
  },
  inspectBlob(blob) {
    const t = blob.decoded.trailing;
    if (!t) return [];
    // Hex of bytes from the database is safe to print (no control characters reach a terminal).
    const preview = /^[0-9a-f]*…?$/.test(t.preview) ? t.preview : '';
    return [
      {
        status: 'fail',
        message: `${blob.decoded.format} blob has ${t.length} byte${t.length === 1 ? '' : 's'} after the end of the stream (offset ${t.offset}${t.within ? ' of the gzip-inflated content' : ''}: ${preview}); a deserializer never reads them, so they are data hidden after the payload (searched for secrets and nested payloads like the rest)`,
        object: blobRowObject(blob),
        evidence: {
          format: blob.decoded.format,
          offset: t.offset,
          length: t.length,
          preview,
          size: blob.row.size,
          ...(t.within ? { within: t.within } : {}),
        },
      },
    ];
  },
};
