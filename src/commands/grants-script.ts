/** `qrtz-audit grants-script`: prints the least-privilege script for the Quartz service account and the auditor (src/grants-script.ts). */
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { GRANTS_DIALECTS, type GrantsDialect, grantsScript } from '../grants-script.js';
import { escapeControl } from '../report/terminal.js';
import type { Io } from './io.js';

export interface GrantsCliOptions {
  dialect: string;
  schema?: string;
  prefix: string;
  user: string;
  auditor?: string;
  auditorLogin?: string;
}

const ALIASES: Record<string, GrantsDialect> = { postgresql: 'postgres', sqlserver: 'mssql' };

export function runGrantsScriptCommand(o: GrantsCliOptions, io: Io): number {
  const d = o.dialect.trim().toLowerCase();
  const dialect = (ALIASES[d] ?? d) as GrantsDialect;
  if (!(GRANTS_DIALECTS as readonly string[]).includes(dialect)) {
    throw new UserError('usage', `--dialect: unknown database ${o.dialect} (${GRANTS_DIALECTS.join(', ')})`);
  }
  const script = grantsScript({
    dialect,
    user: o.user,
    prefix: o.prefix,
    ...(o.schema !== undefined ? { schema: o.schema } : {}),
    ...(o.auditor !== undefined ? { auditor: o.auditor } : {}),
    ...(o.auditorLogin !== undefined ? { auditorLogin: o.auditorLogin } : {}),
  });
  // Names were refused unless safe to paste; the terminal escape is a second net.
  io.stdout(escapeControl(script, true));
  return 0;
}

export function registerGrantsScript(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('grants-script')
    .description(
      'print the least-privilege script for the Quartz service account (and, with --auditor, the auditor login), for a DBA to review and run',
    )
    .requiredOption('--dialect <db>', `database: ${GRANTS_DIALECTS.join(', ')}`)
    .requiredOption(
      '--user <name>',
      "the Quartz service account (MySQL: user or 'user'@'host'; SQLite: the system user)",
    )
    .option(
      '--schema <name>',
      'schema (PostgreSQL: public, SQL Server: dbo), database (MySQL/MariaDB, required) or file (SQLite)',
    )
    .option('--prefix <prefix>', 'Quartz table prefix', 'QRTZ_')
    .option('--auditor <name>', 'also create the auditor login with the least the checks need')
    .option('--auditor-login <login>', 'SQL Server: the auditor’s server login when it differs from --auditor')
    .action((o: GrantsCliOptions) => {
      setExit(runGrantsScriptCommand(o, io));
    });
}
