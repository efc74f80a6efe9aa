/** Checks of this folder, in report order. Add a check: one file here plus one line below. */
import type { Check } from '../../model.js';
import { a01 } from './a01-audit-log.js';
import { a02 } from './a02-connection-logging.js';
import { a03 } from './a03-statement-logging.js';

export const checks: Check[] = [a01, a02, a03];
