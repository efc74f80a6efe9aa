/** Content checks (what blobs and text columns hold: QA-B, QA-S, QA-J), in report order. Add a check: one file here plus one line below. */
import type { Check } from '../../model.js';
import { b00 } from './b00-inventory.js';
import { b01 } from './b01-native-serialization.js';
import { b02 } from './b02-gadget.js';
import { b03 } from './b03-type-allowlist.js';
import { b04 } from './b04-malformed.js';
import { b05 } from './b05-oversize.js';
import { b06 } from './b06-json-typenames.js';
import { b07 } from './b07-java-serialization.js';
import { b08 } from './b08-trailing.js';
import { j01 } from './j01.js';
import { j02 } from './j02.js';
import { j03 } from './j03.js';
import { j04 } from './j04.js';
import { j05 } from './j05.js';
import { s01 } from './s01.js';
import { s02 } from './s02.js';
import { s03 } from './s03.js';

export const checks: Check[] = [b00, b01, b07, b02, b03, b04, b05, b06, b08, s01, s02, s03, j01, j02, j03, j04, j05];
