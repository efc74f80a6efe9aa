/** QA-B05 — a blob larger than --max-blob-size: scanned only up to the bound. */
import type { Check } from '../../model.js';
import { MITIGATION } from '../util.js';
import { blobRowObject } from './b04-malformed.js';

export const b05: Check = {
  meta: {
    id: 'QA-B05',
    title: 'Blob larger than the scan bound',
    family: 'content',
    severity: 'low',
    mitigation: MITIGATION.serialization,
    remediation:
      'JobDataMaps should hold small values (names, ids, settings), not documents or binaries. Find out why this row is so large; raise --max-blob-size to scan it whole.',
  },
  inspectBlob(blob, options) {
    const max = options.maxBlobSize;
    if (!(max > 0) || blob.row.size <= max) return [];
    return [
      {
        status: 'fail',
        message: `${blob.row.column} is ${blob.row.size} bytes, larger than --max-blob-size ${max}: only the first ${max} bytes were scanned (format ${blob.decoded.format})`,
        object: blobRowObject(blob),
        evidence: { size: blob.row.size, maxBlobSize: max, format: blob.decoded.format },
      },
    ];
  },
};
