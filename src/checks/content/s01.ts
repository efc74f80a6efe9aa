import type { Check } from '../../model.js';
import { MITIGATION } from '../util.js';
import { draftsFor, REMEDIATION } from './secrets-scan.js';

/** QA-S01: a JobDataMap key that names a secret (password, token, apiKey…) holds a real value. */
export const s01: Check = {
  meta: {
    id: 'QA-S01',
    title: 'Secret stored under a secret-named JobDataMap key',
    family: 'content',
    severity: 'high',
    mitigation: MITIGATION.secrets,
    remediation: REMEDIATION,
  },
  inspectBlob(blob) {
    return draftsFor(blob, 'QA-S01');
  },
};
