/** Scheduler health checks (QA-H), one file per id, in report order. Add a check: one file here plus one line below. */
import type { Check } from '../../model.js';
import { h01 } from './h01.js';
import { h02 } from './h02.js';
import { h03 } from './h03.js';
import { h04 } from './h04.js';
import { h05 } from './h05.js';

export { h01, h02, h03, h04, h05 };
export const checks: Check[] = [h01, h02, h03, h04, h05];
