/** `qrtz-audit checks [--format table|json|markdown] [--dialect D]`: the check catalogue (src/checks/catalogue.ts). */
import { type Command, Option } from 'commander';
import { CATALOGUE_FORMATS, type CatalogueFormat, catalogue, formatCatalogue } from '../checks/catalogue.js';
import { UserError } from '../errors.js';
import type { Dialect } from '../model.js';
import { DIALECTS } from '../model.js';
import type { Io } from './io.js';

export interface ChecksCliOptions {
  format: string;
  dialect?: string;
}

/** Prints the catalogue; returns the exit code (0, or throws UserError on a bad option). */
export function runChecksCommand(o: ChecksCliOptions, io: Io): number {
  if (!(CATALOGUE_FORMATS as readonly string[]).includes(o.format))
    throw new UserError('usage', `--format: unknown format ${o.format} (formats: ${CATALOGUE_FORMATS.join(', ')})`);
  let dialect: Dialect | undefined;
  if (o.dialect !== undefined) {
    const d = o.dialect.trim().toLowerCase();
    if (!(DIALECTS as readonly string[]).includes(d))
      throw new UserError('usage', `--dialect: unknown dialect ${o.dialect} (dialects: ${DIALECTS.join(', ')})`);
    dialect = d as Dialect;
  }
  io.stdout(formatCatalogue(catalogue(), o.format as CatalogueFormat, dialect));
  return 0;
}

export function registerChecks(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('checks')
    .description(
      'list every check: id, family, default severity, dialects, mitigation served and what the audit login needs on each dialect',
    )
    .addOption(new Option('--format <format>', `output format (${CATALOGUE_FORMATS.join(', ')})`).default('table'))
    .addOption(
      new Option('--dialect <dialect>', `only the checks that apply to this database (${DIALECTS.join(', ')})`),
    )
    .action((o: ChecksCliOptions) => {
      setExit(runChecksCommand(o, io));
    });
}
