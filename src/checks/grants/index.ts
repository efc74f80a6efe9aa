/** Checks of this folder, in report order. Add a check: one file here (its per-engine parts beside it) plus one line below. */
import type { Check } from '../../model.js';
import { f01 } from './f01-file-permissions.js';
import { g01 } from './g01-role-attributes.js';
import { g02 } from './g02-predefined-roles.js';
import { g03 } from './g03-extra-table-privileges.js';
import { g04 } from './g04-public.js';
import { g05 } from './g05-unexpected-access.js';
import { g06 } from './g06-ownership.js';
import { g07 } from './g07-foreign-privileges.js';
import { g08 } from './g08-missing-privileges.js';
import { g09 } from './g09-default-privileges.js';
import { g10 } from './g10-account-host-tls.js';
import { g11 } from './g11-schema-ddl.js';
import { g12 } from './g12-anonymous-accounts.js';
import { g13 } from './g13-login-hygiene.js';
import { t01 } from './t01-tamper.js';

export const checks: Check[] = [g01, g02, g03, g04, g05, g06, g07, g08, g09, g10, g11, g12, g13, f01, t01];
