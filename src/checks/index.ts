/** The check registry: every check module, grouped by folder. */
import type { Check } from '../model.js';
import { checks as audit } from './audit/index.js';
import { checks as blobs } from './blobs/index.js';
import { checks as encryption } from './encryption/index.js';
import { checks as grants } from './grants/index.js';
import { checks as jobs } from './jobs/index.js';
import { checks as secrets } from './secrets/index.js';

export const allChecks: Check[] = [...grants, ...encryption, ...audit, ...blobs, ...secrets, ...jobs];
