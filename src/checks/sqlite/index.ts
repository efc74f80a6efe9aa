/** Checks of this folder, in report order. Add a check: one file here plus one line below. */
import type { Check } from '../../model.js';
import { a01Sqlite, e01Sqlite } from './e01-a01.js';
import { f01 } from './f01-file-permissions.js';

export const checks: Check[] = [f01, e01Sqlite, a01Sqlite];
