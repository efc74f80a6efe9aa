import type { Check } from '../../model.js';
import { MITIGATION } from '../util.js';
import { draftsFor, REMEDIATION } from './secrets-scan.js';

/** QA-S02: a value has the shape of a credential (cloud keys, tokens, JWTs, private keys,
 *  connection-string and URL passwords, basic-auth headers). Critical for private keys and cloud
 *  credentials. */
export const s02: Check = {
  meta: {
    id: 'QA-S02',
    title: 'Credential-shaped value stored in the JobStore',
    family: 'content',
    severity: 'high',
    mitigation: MITIGATION.secrets,
    remediation: REMEDIATION,
  },
  inspectBlob(blob) {
    return draftsFor(blob, 'QA-S02');
  },
};
