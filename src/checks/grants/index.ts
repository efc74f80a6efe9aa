/** Checks of this folder, in report order. Add a check: one file here plus one line below. */
import type { Check } from '../../model.js';
import { g01 } from './g01-role-attributes.js';
import { g02 } from './g02-predefined-roles.js';
import { g03 } from './g03-extra-table-privileges.js';
import { g04 } from './g04-public.js';
import { g05 } from './g05-unexpected-access.js';
import { g06 } from './g06-ownership.js';
import { g07 } from './g07-foreign-privileges.js';
import { g08 } from './g08-missing-privileges.js';
import { g09 } from './g09-default-privileges.js';
import { t01 } from './t01-tamper.js';

export const checks: Check[] = [g01, g02, g03, g04, g05, g06, g07, g08, g09, t01];
