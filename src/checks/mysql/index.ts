/** Checks of this folder, in report order. Add a check: one file here plus one line below.
 *  MySQL/MariaDB modules share their ids with the PostgreSQL ones of the same concept (dialects: mysql, mariadb);
 *  QA-G05/G07/G08/T01 are cross-dialect and live in ../grants. */
import type { Check } from '../../model.js';
import { a01, a03 } from './audit.js';
import { e01, e02 } from './encryption.js';
import { g01, g02, g03, g04, g10 } from './grants.js';

export const checks: Check[] = [g01, g02, g03, g04, g10, e01, e02, a01, a03];
