/** Checks of this folder, in report order. Add a check: one file here plus one line below. */
import type { Check } from '../../model.js';
import { h01, h02, h03, h04, h05 } from './h01-h05.js';
import { j01 } from './j01.js';
import { j02 } from './j02.js';
import { j03 } from './j03.js';
import { j04 } from './j04.js';
import { j05 } from './j05.js';
import { u01, u02 } from './u01-u02.js';

export const checks: Check[] = [j01, j02, j03, j04, j05, h01, h02, h03, h04, h05, u01, u02];
