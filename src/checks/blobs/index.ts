/** Checks of this folder, in report order. Add a check: one file here plus one line below. */
import type { Check } from '../../model.js';
import { b00 } from './b00-inventory.js';
import { b01, b07 } from './b01-native-serialization.js';
import { b02 } from './b02-gadget.js';
import { b03 } from './b03-type-allowlist.js';
import { b04 } from './b04-malformed.js';
import { b05 } from './b05-oversize.js';
import { b06 } from './b06-json-typenames.js';
import { b08 } from './b08-trailing.js';

export const checks: Check[] = [b00, b01, b07, b02, b03, b04, b05, b06, b08];
