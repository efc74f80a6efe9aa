/** Checks of this folder, in report order. Add a check: one file here plus one line below. */
import type { Check } from '../../model.js';
import { e01 } from './e01-at-rest.js';
import { e02 } from './e02-in-transit.js';
import { e03 } from './e03-password-hashing.js';

export const checks: Check[] = [e01, e02, e03];
