/** Checks of this folder, in report order. Add a check: one file here plus one line below. */
import type { Check } from '../../model.js';

export const checks: Check[] = [];
