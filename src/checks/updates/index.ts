/** Version checks (QA-U), one file per id, in report order. Add a check: one file here plus one line below. */
import type { Check } from '../../model.js';
import { u01 } from './u01.js';
import { u02 } from './u02.js';

export { u01, u02 };
export const checks: Check[] = [u01, u02];
