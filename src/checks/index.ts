/** The check registry: every check module, one folder per family (src/checks/<family>/index.ts). */
import type { Check } from '../model.js';
import { checks as audit } from './audit/index.js';
import { checks as content } from './content/index.js';
import { checks as encryption } from './encryption/index.js';
import { checks as grants } from './grants/index.js';
import { checks as scheduler } from './scheduler/index.js';
import { checks as updates } from './updates/index.js';

export const allChecks: Check[] = [...grants, ...encryption, ...audit, ...content, ...scheduler, ...updates];
