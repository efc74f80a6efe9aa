/** Checks of this folder, in report order. Add a check: one file here plus one line below. */
import type { Check } from '../../model.js';
import { s01 } from './s01.js';
import { s02 } from './s02.js';
import { s03 } from './s03.js';

export const checks: Check[] = [s01, s02, s03];
