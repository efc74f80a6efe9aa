/** Checks of this folder, in report order. Add a check: one file here plus one line below. */
import type { Check } from '../../model.js';
import { b00 } from './b00-inventory.js';
import { b01, b07 } from './b01-native-serialization.js';
import { b04 } from './b04-malformed.js';
import { b05 } from './b05-oversize.js';

export const checks: Check[] = [b00, b01, b07, b04, b05];
