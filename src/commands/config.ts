/**
 * `qrtz-audit config <file|dir…>`: audit a Quartz application's own configuration files (the `config`
 * family, QA-C01…C12) without a database. Directories are walked for the files (quartz.config,
 * App.config/Web.config, appsettings*.json, *.deps.json, *.runtimeconfig.json, quartz_jobs.xml, NLog.config,
 * log4net.config, quartz.properties, jobs.xml, log4j2.xml, log4j.properties, logback.xml, pom.xml,
 * build.gradle, gradle.lockfile, quartz-x.y.z.jar). The report's target is the files; every format and exit
 * code is the scan's.
 */
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { auditConfig } from '../config/audit.js';
import { uidOfUser } from '../config/discover.js';
import { sortFindings } from '../engine.js';
import { UserError } from '../errors.js';
import { checkOutputOptions, emitReport } from '../report/output.js';
import { buildFilesReport } from '../report/report.js';
import { registerSecret, setFingerprintKey } from '../secrets/redact.js';
import type { Io } from './io.js';
import { addReportOptions, outputOptionsFrom, type ReportCliOptions } from './report-options.js';

export interface ConfigCliOptions extends ReportCliOptions {
  configEnvironment?: string;
  serviceUser?: string;
  fingerprintKeyEnv?: string;
  verbose?: boolean;
  color?: boolean;
}

function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid?.() ?? 'unknown');
  }
}

/** Audits the files and writes the report; returns the exit code. */
export async function runConfigCommand(paths: string[], o: ConfigCliOptions, io: Io): Promise<number> {
  const output = outputOptionsFrom(o);
  checkOutputOptions(output);
  if (o.configEnvironment !== undefined && !/^[\w.-]+$/.test(o.configEnvironment))
    throw new UserError('usage', '--config-environment: a name of letters, digits, ".", "_" or "-" (e.g. Production)');
  let serviceUid: number | undefined;
  if (o.serviceUser !== undefined) {
    serviceUid = await uidOfUser(o.serviceUser);
    if (serviceUid === undefined)
      throw new UserError(
        'usage',
        `--service-user: no local account ${JSON.stringify(o.serviceUser)} (give a name from /etc/passwd or a uid)`,
      );
  }
  if (o.fingerprintKeyEnv) {
    const key = process.env[o.fingerprintKeyEnv];
    if (!key)
      throw new UserError('usage', `--fingerprint-key-env: environment variable ${o.fingerprintKeyEnv} is not set`);
    registerSecret(key);
    setFingerprintKey(key);
  }
  const started = Date.now();
  const environment = o.configEnvironment ?? 'Production';
  const audit = await auditConfig(paths, { environment, ...(serviceUid !== undefined ? { serviceUid } : {}) });
  if (audit.files.length === 0)
    throw new UserError('input', `no Quartz, .NET, Java or logging configuration files found in ${paths.join(', ')}`);
  const report = buildFilesReport(
    { paths, count: audit.files.length, environment },
    audit.files,
    sortFindings(audit.findings),
    o.failOn,
    new Date(started).toISOString(),
    Date.now() - started,
    {
      user: localUser(),
      ...(o.serviceUser !== undefined ? { serviceAccount: o.serviceUser } : {}),
      unreadable: audit.unreadable,
      allowIncomplete: o.allowIncomplete ?? false,
    },
  );
  emitReport(report, { ...output, color: o.color !== false, verbose: o.verbose ?? false }, io);
  return report.summary.exitCode;
}

export function registerConfig(program: Command, io: Io, setExit: (code: number) => void): void {
  const cmd = program
    .command('config')
    .description(
      "audit a Quartz application's configuration files (no database): serializer, remote access, endpoints, passwords, TLS, file permissions, job files, logging, versions",
    )
    .argument('<paths...>', 'configuration files or application folders (walked for the files)');
  addReportOptions(cmd, { shortOutput: false })
    .option(
      '--config-environment <name>',
      'ASP.NET environment whose appsettings.{name}.json overlay applies (default Production)',
    )
    .option(
      '--service-user <name|uid>',
      'local account the application runs as: QA-C07 fails files owned by another (non-root) account',
    )
    .option(
      '--fingerprint-key-env <VAR>',
      'stable secret fingerprints keyed by this environment variable (for baselines)',
    )
    .option('--verbose', 'list passing checks too')
    .option('--no-color', 'no colors (NO_COLOR is respected too)')
    .action(async (paths: string[], o: ConfigCliOptions) => {
      setExit(await runConfigCommand(paths, o, io));
    });
}
