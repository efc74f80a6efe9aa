/** `qrtz-audit scan <url>`: connect, collect facts, stream blobs, run checks, print the report. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { applyCompliance, loadCompliance } from '../compliance/index.js';
import type { SuppressionEntry } from '../compliance/schema.js';
import type { ConnectOptions } from '../dialect.js';
import { adapterFor } from '../dialects/index.js';
import { DIALECT_CHOICES, resolveTarget } from '../dialects/target.js';
import { collectScan } from '../engine.js';
import { UserError } from '../errors.js';
import { checkEvidencePath, collectedCheckOptions, type Evidence, writeEvidence } from '../evidence/evidence.js';
import { judgeEvidence } from '../evidence/judge.js';
import { parseShard, type Shard } from '../fleet/shard.js';
import type { CheckOptions, Family } from '../model.js';
import { DEFAULT_CHECK_OPTIONS, FAMILIES, FAMILY_ALIASES, checkOptions as withDefaults } from '../model.js';
import { checkOutputOptions, emitReport, printSummaryAfterStdout } from '../report/output.js';
import { prepareFinding, type Report } from '../report/report.js';
import { escapeControl } from '../report/terminal.js';
import { DEFAULT_CONCURRENCY, runConfiguredScan } from '../runconfig/run.js';
import { MAX_WORKERS } from '../scan/workers.js';
import { registerSecret, setFingerprintKey } from '../secrets/redact.js';
import { disposeReport } from '../spill.js';
import { resolveFromConfig } from './from-config.js';
import { type Io, readStdin } from './io.js';
import { createProgress } from './progress.js';
import { addReportOptions, outputOptionsFrom, type ReportCliOptions } from './report-options.js';

export interface ScanCliOptions extends ReportCliOptions {
  schema?: string;
  tablePrefix: string;
  serviceAccount?: string;
  allowPrincipal: string[];
  only?: string;
  skip?: string;
  statementTimeout: string;
  lockTimeout: string;
  connectTimeout: string;
  maxBlobSize: string;
  allowType: string[];
  attest: string[];
  allowJobNamespace: string[];
  misfireThreshold: string;
  checkinStale: string;
  longRunning: string;
  fingerprintKeyEnv?: string;
  sqlcipherKeyEnv?: string;
  sqliteImmutable?: boolean;
  connectionString?: string;
  connectionStringEnv?: string;
  /** --dialect: which database an ADO.NET connection string is for. */
  dialect?: string;
  /** false with --no-my-cnf. */
  myCnf?: boolean;
  fromConfig?: string[];
  configEnvironment?: string;
  login?: string;
  useConfigCredentials?: boolean;
  /** Set by the command when --table-prefix was given (not its default), so --from-config does not override it. */
  tablePrefixGiven?: boolean;
  passwordStdin?: boolean;
  verbose?: boolean;
  /** --quiet: no progress on a terminal and no summary line on stderr (warnings and errors still print). */
  quiet?: boolean;
  color?: boolean;
  /** --ignore-file (else .qrtz-audit-ignore.yml in the current directory, when present). */
  ignoreFile?: string;
  /** --baseline FILE: only findings whose fingerprints are not in it fail. */
  baseline?: string;
  /** Inline suppression entries (a config file's `suppressions:`), applied after the ignore file's. */
  suppressions?: SuppressionEntry[];
  suppressionsSource?: string;
  /** --evidence FILE: also write the collected facts and content findings for `qrtz-audit evaluate`. */
  evidence?: string;
  /** The password itself (the library API; the CLI reads it with --password-stdin). */
  password?: string;
  /** --workers N: worker threads that decode and check blob rows (0/1: the main thread only). */
  workers?: string;
  /** --config FILE: targets and settings from a config file (src/runconfig); flags given override it. */
  config?: string;
  /** --concurrency N: targets of a fleet audited at once. */
  concurrency?: number;
  /** --shard I/N: this job's part of a fleet's targets. */
  shard?: Shard;
  /** --target NAME: only these targets of the config file. */
  target?: string[];
  /** The options given on the command line (not defaults): they win over the config file. */
  explicitOptions?: string[];
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** Options every scanning command (scan, demo) shares. */
export function addScanOptions(cmd: Command): Command {
  cmd
    .option('--schema <name>', 'schema (PostgreSQL) or database (MySQL) holding the Quartz tables')
    .option('--table-prefix <prefix>', 'Quartz table prefix, matched case-insensitively', 'QRTZ_')
    .option('--service-account <name>', 'principal Quartz runs as (default: the connected login)')
    .option('--allow-principal <name>', 'principal expected to have access (repeatable)', collect, [])
    .option('--only <families>', `run only these check families (comma-separated: ${familyHelp()})`)
    .option('--skip <families>', 'skip these check families (comma-separated)');
  return addReportOptions(cmd, {
    shortOutput: true,
    allowIncompleteHelp:
      'exit 0 instead of 4 when a check at or above --fail-on could not be evaluated (findings still exit 1)',
  })
    .option(
      '--statement-timeout <duration>',
      'server-side timeout of each round trip: milliseconds, or with a unit (ms, s, min, h)',
      '30000',
    )
    .option('--lock-timeout <duration>', 'lock wait timeout: milliseconds, or with a unit (ms, s, min, h)', '2000')
    .option('--connect-timeout <duration>', 'connection timeout: milliseconds, or with a unit (ms, s, min, h)', '10000')
    .option(
      '--max-blob-size <bytes>',
      `read at most this many bytes of each blob (QA-B05 flags larger ones; at most ${MAX_BLOB_SIZE_LIMIT} = 1 GiB)`,
      String(DEFAULT_CHECK_OPTIONS.maxBlobSize),
    )
    .option(
      '--allow-type <glob>',
      'type name (glob with *) allowed in blobs beyond the built-in allowlist (repeatable)',
      collect,
      [],
    )
    .option(
      '--allow-job-namespace <prefix>',
      'job class namespace that is expected (repeatable): QA-J04 then fails on the others',
      collect,
      [],
    )
    .option(
      '--misfire-threshold <minutes>',
      'QA-H02: a next fire time this far in the past is a misfire',
      String(DEFAULT_CHECK_OPTIONS.misfireThresholdMinutes),
    )
    .option(
      '--long-running <minutes>',
      'QA-H04: a fired trigger executing longer than this',
      String(DEFAULT_CHECK_OPTIONS.longRunningMinutes),
    )
    .option(
      '--checkin-stale <minutes>',
      'QA-H03: a cluster node silent this long (when its check-in interval is unknown)',
      String(DEFAULT_CHECK_OPTIONS.checkinStaleMinutes),
    )
    .option(
      '--fingerprint-key-env <VAR>',
      'stable secret fingerprints keyed by this environment variable (for baselines)',
    )
    .option('--sqlcipher-key-env <VAR>', 'SQLite: environment variable holding the SQLCipher key, where supported')
    .option(
      '--sqlite-immutable',
      'SQLite: read a private in-memory snapshot of the file (for WAL-mode files whose -wal/-shm are absent or not writable); nothing is created beside it, commits still only in the -wal are not seen, and a concurrent writer can make the read inconsistent',
    )
    .option(
      '--connection-string-env <VAR>',
      'environment variable holding a connection string: JDBC URL, ADO.NET (Npgsql, MySqlConnector/MySql.Data, SqlClient) or libpq keywords',
    )
    .option(
      '--connection-string <string>',
      'a connection string as --connection-string-env takes (prefer the -env form: no password in ps)',
    )
    .option(
      '--dialect <db>',
      `which database an ADO.NET connection string is for when its keys do not say (${DIALECT_CHOICES})`,
    )
    .option('--no-my-cnf', 'MySQL/MariaDB: do not read ~/.my.cnf (also QRTZ_AUDIT_NO_MY_CNF=1)')
    .option(
      '--attest <claim>',
      'evidence for what SQL cannot show, e.g. at-rest="LUKS on /var/lib/postgresql" (repeatable)',
      collect,
      [],
    )
    .option(
      '--workers <n>',
      `worker threads that decode and check blob rows while the database is read (0 or 1: none; at most ${MAX_WORKERS})`,
    )
    .option('--verbose', 'list passing checks too')
    .option('--quiet', 'no progress display and no summary line on stderr (warnings and errors still print)')
    .option('--no-color', 'no colors (NO_COLOR is respected too)');
}

/** --concurrency: 1 to 64 targets at once. */
export function parseConcurrency(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 64)
    throw new InvalidArgumentError(`expected a whole number from 1 to 64, got ${JSON.stringify(value)}`);
  return n;
}

/** The one documented maximum of --max-blob-size: 1 GiB (a Buffer, never a string, holds each blob). */
export const MAX_BLOB_SIZE_LIMIT = 1024 * 1024 * 1024;

/** Largest timeout every engine accepts (PostgreSQL's statement_timeout is a 32-bit integer of ms). */
export const MAX_TIMEOUT_MS = 2147483647;

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000 };

/** A timeout as PostgreSQL writes it: a plain number is milliseconds; units ms, s, min, h (e.g. 1s, 1.5min). */
export function parseDuration(name: string, value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h)?\s*$/i.exec(value);
  const unit = (m?.[2] ?? 'ms').toLowerCase();
  const ms = m ? Number(m[1]) * (DURATION_UNITS[unit] as number) : Number.NaN;
  if (!Number.isFinite(ms) || ms < 1 || !Number.isInteger(Math.round(ms))) {
    throw new UserError(
      'usage',
      `${name} must be a positive duration: milliseconds (2000) or with a unit (ms, s, min, h, e.g. 2s), got ${JSON.stringify(value)}`,
    );
  }
  if (ms > MAX_TIMEOUT_MS) {
    throw new UserError(
      'usage',
      `${name} must be at most ${MAX_TIMEOUT_MS} ms (about 24 days), got ${JSON.stringify(value)}`,
    );
  }
  return Math.round(ms);
}

/** --max-blob-size: a positive whole number of bytes up to 1 GiB, checked before connecting. */
export function parseMaxBlobSize(value: string): number {
  const n = positiveInt('--max-blob-size', value);
  if (n > MAX_BLOB_SIZE_LIMIT) {
    throw new UserError('usage', `--max-blob-size must be at most ${MAX_BLOB_SIZE_LIMIT} (1 GiB), got ${value}`);
  }
  return n;
}

/** --workers: a whole number from 0 to MAX_WORKERS (0 and 1 both mean the main thread only). */
export function parseWorkers(value: string | undefined): number {
  if (value === undefined) return 1;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0 || n > MAX_WORKERS)
    throw new UserError(
      'usage',
      `--workers must be a whole number from 0 to ${MAX_WORKERS}, got ${JSON.stringify(value)}`,
    );
  return n;
}

function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new UserError('usage', `${name} must be a positive whole number, got ${JSON.stringify(value)}`);
  return n;
}

/** The families and aliases --only / --skip accept, as the help and errors print them. */
export function familyHelp(): string {
  const aliases = Object.entries(FAMILY_ALIASES).map(([a, fs]) => `${a} = ${fs.join('+')}`);
  return `${FAMILIES.join(', ')}; alias ${aliases.join('; ')}`;
}

export function parseFamilies(only?: string, skip?: string): Set<Family> {
  const parse = (s: string, flag: string) => {
    const list = s
      .split(',')
      .map((x) => x.trim().toLowerCase())
      .filter(Boolean)
      .flatMap((x): Family[] => {
        const alias = Object.hasOwn(FAMILY_ALIASES, x) ? FAMILY_ALIASES[x] : undefined;
        if (alias) return [...alias];
        if (!(FAMILIES as readonly string[]).includes(x)) {
          throw new UserError('usage', `${flag}: unknown check family ${x} (families: ${familyHelp()})`);
        }
        return [x as Family];
      });
    // An empty list is a mistake (an unset shell variable), never "everything".
    if (!list.length) throw new UserError('usage', `${flag}: no check family given (families: ${familyHelp()})`);
    return list;
  };
  const set = new Set<Family>(only !== undefined ? parse(only, '--only') : FAMILIES);
  if (skip !== undefined) for (const f of parse(skip, '--skip')) set.delete(f);
  if (!set.size) throw new UserError('usage', '--only/--skip leave no check family to run');
  return set;
}

export function parseAttestations(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const m = /^([a-z][a-z0-9-]*)=(.+)$/is.exec(item);
    if (!m) throw new UserError('usage', `--attest expects key=evidence, e.g. at-rest="LUKS on the data volume"`);
    out[(m[1] as string).toLowerCase()] = (m[2] as string).replace(/^"(.*)"$/s, '$1');
  }
  return out;
}

export function connectOptionsFrom(url: string, o: ScanCliOptions, password?: string): ConnectOptions {
  return {
    url,
    ...(password !== undefined ? { password } : {}),
    ...(o.schema !== undefined ? { schema: o.schema } : {}),
    tablePrefix: o.tablePrefix,
    ...(o.serviceAccount !== undefined ? { serviceAccount: o.serviceAccount } : {}),
    allowPrincipals: o.allowPrincipal,
    families: parseFamilies(o.only, o.skip),
    statementTimeoutMs: parseDuration('--statement-timeout', o.statementTimeout),
    lockTimeoutMs: parseDuration('--lock-timeout', o.lockTimeout),
    connectTimeoutMs: parseDuration('--connect-timeout', o.connectTimeout),
    maxBlobSize: parseMaxBlobSize(o.maxBlobSize),
    attestations: parseAttestations(o.attest),
    ...(o.sqlcipherKeyEnv ||
    o.sqliteImmutable ||
    o.connectionString !== undefined ||
    o.connectionStringEnv ||
    o.myCnf === false
      ? {
          extra: Object.fromEntries(
            Object.entries({
              sqlcipherKeyEnv: o.sqlcipherKeyEnv,
              sqliteImmutable: o.sqliteImmutable ? '1' : undefined,
              noMyCnf: o.myCnf === false ? '1' : undefined,
              connectionString: o.connectionString,
              connectionStringEnv: o.connectionStringEnv,
            }).filter((e): e is [string, string] => e[1] !== undefined),
          ),
        }
      : {}),
  };
}

/** A positive-integer option, or its default from DEFAULT_CHECK_OPTIONS when not given. */
function optionalPositiveInt(
  flag: string,
  value: string | undefined,
  key: 'misfireThresholdMinutes' | 'longRunningMinutes' | 'checkinStaleMinutes',
): number {
  return value === undefined ? DEFAULT_CHECK_OPTIONS[key] : positiveInt(flag, value);
}

export function checkOptionsFrom(o: ScanCliOptions, maxBlobSize: number): CheckOptions {
  return {
    allowTypes: o.allowType,
    maxBlobSize,
    allowJobNamespaces: o.allowJobNamespace ?? [],
    misfireThresholdMinutes: optionalPositiveInt('--misfire-threshold', o.misfireThreshold, 'misfireThresholdMinutes'),
    longRunningMinutes: optionalPositiveInt('--long-running', o.longRunning, 'longRunningMinutes'),
    checkinStaleMinutes: optionalPositiveInt('--checkin-stale', o.checkinStale, 'checkinStaleMinutes'),
  };
}

/** Runs a scan and writes the report (suppressions and baseline applied); returns the exit code. */
export async function runScanCommand(urlArg: string | undefined, given: ScanCliOptions, io: Io): Promise<number> {
  if (given.config !== undefined) return runConfiguredScan(urlArg, given, io);
  for (const [flag, v] of [
    ['--concurrency', given.concurrency],
    ['--shard', given.shard],
    ['--target', given.target?.length ? given.target : undefined],
  ] as const)
    if (v !== undefined) throw new UserError('usage', `${flag} goes with --config (a fleet's targets)`);
  checkOutputOptions(outputOptionsFrom(given));
  if (given.evidence !== undefined) checkEvidencePath(given.evidence);
  const compliance = loadCompliance(given);
  const evidence = await collectEvidence(urlArg, given, io);
  let scanned: Report;
  try {
    if (given.evidence !== undefined) writeEvidence(given.evidence, evidence);
    scanned = judgeEvidence(evidence, { failOn: given.failOn, allowIncomplete: given.allowIncomplete ?? false });
  } catch (err) {
    evidence.spill?.remove();
    throw err;
  }
  try {
    const report = applyCompliance(scanned, compliance, (l) => io.stderr(`${l}\n`));
    const output = {
      ...outputOptionsFrom(given),
      color: given.color !== false,
      verbose: given.verbose ?? false,
      alwaysSummary: true,
      quiet: given.quiet ?? false,
    };
    emitReport(report, output, io);
    await printSummaryAfterStdout(report, output, io);
    return report.summary.exitCode;
  } finally {
    disposeReport(scanned);
  }
}

/** Connects, scans and builds the report (shared by scan and baseline create). */
export async function scanReport(urlArg: string | undefined, given: ScanCliOptions, io: Io): Promise<Report> {
  const evidence = await collectEvidence(urlArg, given, io);
  return judgeEvidence(evidence, { failOn: given.failOn, allowIncomplete: given.allowIncomplete ?? false });
}

/** Connects and collects the facts and content findings; the fact-level checks are judged later (judgeEvidence). */
export async function collectEvidence(urlArg: string | undefined, given: ScanCliOptions, io: Io): Promise<Evidence> {
  let o = given;
  let url = urlArg;
  let configPassword: string | undefined;
  let config: Awaited<ReturnType<typeof resolveFromConfig>> | undefined;
  if (o.fromConfig?.length) {
    if (url !== undefined) throw new UserError('usage', 'give either a database URL or --from-config, not both');
    const t = await resolveFromConfig({
      paths: o.fromConfig,
      ...(o.configEnvironment !== undefined ? { environment: o.configEnvironment } : {}),
      ...(o.login !== undefined ? { login: o.login } : {}),
      ...(o.useConfigCredentials ? { useConfigCredentials: true } : {}),
    });
    url = t.url;
    configPassword = t.password;
    config = t;
    o = {
      ...o,
      ...(o.tablePrefixGiven ? {} : { tablePrefix: t.tablePrefix }),
      ...(o.serviceAccount === undefined && t.serviceAccount !== undefined ? { serviceAccount: t.serviceAccount } : {}),
      ...(o.schema === undefined && t.schema !== undefined ? { schema: t.schema } : {}),
      ...(t.connectionString !== undefined ? { connectionString: t.connectionString } : {}),
    };
    io.stderr(`qrtz-audit: JobStore from ${t.source}\n`);
  } else if (o.login !== undefined || o.useConfigCredentials || o.configEnvironment !== undefined) {
    throw new UserError('usage', '--login, --use-config-credentials and --config-environment go with --from-config');
  }
  const urlHadPassword = url !== undefined && registerUrlPassword(url);
  // JDBC URLs, ADO.NET and libpq keyword strings become the URL (and password) the adapters take.
  const cs = connectionStringValue(o);
  const target = resolveTarget({
    ...(url !== undefined ? { url } : {}),
    ...(cs !== undefined ? { connectionString: cs } : {}),
    ...(o.dialect !== undefined ? { dialect: o.dialect } : {}),
  });
  url = target.url;
  const { connectionStringEnv: _env, ...rest } = o;
  o = {
    ...rest,
    ...(target.connectionString !== undefined ? { connectionString: target.connectionString } : {}),
    ...(o.schema === undefined && target.schema !== undefined ? { schema: target.schema } : {}),
  };
  if (target.connectionString === undefined) delete o.connectionString;
  if (target.password !== undefined && configPassword === undefined) configPassword = target.password;
  const argHadPassword = urlHadPassword || (cs === undefined && target.password !== undefined);
  if (argHadPassword && urlArg !== undefined) io.stderr(`${URL_PASSWORD_WARNING}\n`);
  if (target.noEffect.length && o.verbose) {
    io.stderr(
      `qrtz-audit: connection options without effect on the audit: ${escapeControl(target.noEffect.join(', '), false)}\n`,
    );
  }
  // Passwords the drivers read from the environment are covered by the redaction net too.
  for (const v of ['PGPASSWORD', 'MYSQL_PWD']) registerSecret(process.env[v]);
  // Every option is validated before anything is read or connected.
  const checkOptions = checkOptionsFrom(o, parseMaxBlobSize(o.maxBlobSize));
  const workers = parseWorkers(o.workers);
  const validated = connectOptionsFrom(url, o);
  let password: string | undefined;
  if (o.passwordStdin) {
    password = (await readStdin(io)).replace(/\r?\n$/, '');
    if (!password) throw new UserError('usage', '--password-stdin: no password on standard input');
    registerSecret(password);
  } else if (o.password !== undefined) {
    password = o.password;
    registerSecret(password);
  }
  if (o.fingerprintKeyEnv) {
    const key = process.env[o.fingerprintKeyEnv];
    if (!key)
      throw new UserError('usage', `--fingerprint-key-env: environment variable ${o.fingerprintKeyEnv} is not set`);
    registerSecret(key);
    setFingerprintKey(key);
  }
  const chosen = password ?? configPassword;
  const options = chosen !== undefined ? { ...validated, password: chosen } : validated;
  const adapter = await adapterFor(options);
  // On a terminal (and without --quiet): phase lines and a progress bar on stderr (src/commands/progress.ts).
  const progress = createProgress(io, o.quiet);
  progress?.note('connecting…');
  try {
    await adapter.connect();
  } catch (err) {
    // A failed login must not keep a half-open client (and the process) alive until the server drops it.
    await adapter.close().catch(() => {});
    throw err;
  }
  let result: Awaited<ReturnType<typeof collectScan>>;
  try {
    result = await collectScan(adapter, {
      families: options.families,
      checkOptions,
      prepareSpilled: prepareFinding,
      workers,
      ...(progress ? { progress } : {}),
    });
    // The fact-level checks are judged next (judgeEvidence), after the session is closed.
    progress?.phase?.('checks');
  } finally {
    progress?.stop();
    await adapter.close();
  }
  // --from-config: the configuration's own findings (QA-C…, objects of kind 'file') join the same report
  // (judgeEvidence), unless --only/--skip leave the config family out; files discovery skipped are listed as not read.
  if (config) result.facts.unreadable.push(...config.audit.unreadable);
  return {
    ...result,
    families: [...options.families],
    checkOptions: collectedCheckOptions(withDefaults(checkOptions)),
    ...(config
      ? {
          config: {
            configFiles: {
              paths: o.fromConfig ?? [],
              count: config.audit.files.length,
              environment: config.environment,
            },
            files: config.audit.files,
            findings: config.audit.findings,
          },
        }
      : {}),
  };
}

/** --connection-string, or the value of the variable --connection-string-env names (one of them). */
export function connectionStringValue(
  o: Pick<ScanCliOptions, 'connectionString' | 'connectionStringEnv'>,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (o.connectionStringEnv !== undefined) {
    if (o.connectionString !== undefined) {
      throw new UserError('usage', 'give --connection-string or --connection-string-env, not both');
    }
    const value = env[o.connectionStringEnv];
    if (value === undefined || value.trim() === '') {
      throw new UserError('usage', `--connection-string-env: environment variable ${o.connectionStringEnv} is not set`);
    }
    return value;
  }
  return o.connectionString;
}

/** The one line printed when the command line's URL carries a password (constant text: nothing to escape). */
export const URL_PASSWORD_WARNING = escapeControl(
  'qrtz-audit: warning: the password in the URL is visible to other local users (ps, /proc/<pid>/cmdline) and stays in shell history; give it with PGPASSWORD / MYSQL_PWD or --password-stdin instead',
  false,
);

/**
 * A password written into the URL is registered for redaction before anything can print it.
 * Returns whether the URL held one (the caller warns that the process list shows it).
 */
export function registerUrlPassword(url: string): boolean {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s:]*:([^@/\s]*)@/i.exec(url);
  if (m?.[1]) {
    registerSecret(m[1]);
    try {
      registerSecret(decodeURIComponent(m[1]));
    } catch {
      /* not percent-encoded */
    }
    return true;
  }
  return false;
}

export function registerScan(program: Command, io: Io, setExit: (code: number) => void): void {
  const cmd = program
    .command('scan')
    .description('audit a Quartz JobStore database (read-only)')
    .argument(
      '[url]',
      'postgres://user@host:5432/db, mysql://…, mariadb://…, mssql://…, sqlite:PATH or a .db/.sqlite path; also a JDBC URL, an ADO.NET string or libpq keywords (host=… dbname=…, service=NAME); or --from-config',
    )
    .option('--password-stdin', 'read the password from standard input')
    .option(
      '--from-config <file|dir>',
      "scan the JobStore a Quartz application's configuration names (quartz.config, App.config, appsettings.json, quartz.properties…; repeatable)",
      collect,
      [],
    )
    .option(
      '--config-environment <name>',
      'with --from-config: ASP.NET environment for appsettings overlays',
      undefined,
    )
    .option(
      '--login <user>',
      'with --from-config: connect as this auditor login (the configured user stays the service account)',
    )
    .option(
      '--use-config-credentials',
      'with --from-config: connect with the user and password the configuration holds',
    )
    .option('--ignore-file <file>', 'suppressions (default: .qrtz-audit-ignore.yml in the current directory, if any)')
    .option('--baseline <file>', 'fail only on findings whose fingerprints are not in this baseline (baseline create)')
    .option(
      '--evidence <file>',
      'also write the collected facts and content findings (secrets redacted, mode 0600) for qrtz-audit evaluate',
    )
    .option(
      '--config <file>',
      'targets and settings from a config file (qrtz-audit init writes one); flags given here override its values',
    )
    .addOption(
      new Option(
        '--concurrency <n>',
        `with --config: targets audited at once (default ${DEFAULT_CONCURRENCY})`,
      ).argParser(parseConcurrency),
    )
    .addOption(
      new Option(
        '--shard <I/N>',
        "with --config: audit only shard I of N (0-based; sha256 of each target's name mod N)",
      ).argParser(parseShard),
    )
    .option('--target <name>', 'with --config: only this target of the file (repeatable)', collect, []);
  addScanOptions(cmd).action(async (url: string | undefined, o: ScanCliOptions, command: Command) => {
    const tablePrefixGiven = command.getOptionValueSource('tablePrefix') !== 'default';
    const explicitOptions = Object.keys(o).filter((k) => {
      const src = command.getOptionValueSource(k);
      return src !== undefined && src !== 'default';
    });
    setExit(await runScanCommand(url, { ...o, tablePrefixGiven, explicitOptions }, io));
  });
}
