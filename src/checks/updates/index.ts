/** Version checks (QA-U), in report order. Add a check: one file here plus one line below. */
import type { Check } from '../../model.js';
import { u01, u02 } from './u01-u02.js';

export const checks: Check[] = [u01, u02];
