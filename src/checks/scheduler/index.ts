/** Scheduler health checks (QA-H), in report order. Add a check: one file here plus one line below. */
import type { Check } from '../../model.js';
import { h01, h02, h03, h04, h05 } from './h01-h05.js';

export const checks: Check[] = [h01, h02, h03, h04, h05];
