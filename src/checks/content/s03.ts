import type { Check } from '../../model.js';
import { MITIGATION } from '../util.js';
import { draftsFor, REMEDIATION } from './secrets-scan.js';

/** QA-S03: a high-entropy string with secret-like context (key hint, context word, bare token). */
export const s03: Check = {
  meta: {
    id: 'QA-S03',
    title: 'High-entropy value that may be a secret',
    family: 'content',
    severity: 'medium',
    mitigation: MITIGATION.secrets,
    remediation: `${REMEDIATION} If the value is not a secret, suppress this finding by its fingerprint.`,
  },
  inspectBlob(blob) {
    return draftsFor(blob, 'QA-S03');
  },
};
