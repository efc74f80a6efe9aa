/** Prints the README's check table from the catalogue (src/checks/catalogue.ts): `npx tsx scripts/checks-doc.ts`.
 *  The same text as `qrtz-audit checks --format markdown`; test/docs.test.ts keeps the README equal to it. */
import { catalogue, formatCatalogue } from '../src/checks/catalogue.js';

process.stdout.write(formatCatalogue(catalogue(), 'markdown'));
