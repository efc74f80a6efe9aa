/** `qrtz-audit scan <url>`: connect, collect facts, stream blobs, run checks, print the report. */
import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { adapterFor } from '../../dialects/index.js';
import type { ConnectOptions } from '../dialect.js';
import { runScan } from '../engine.js';
import { UserError } from '../errors.js';
import type { CheckOptions, Family, Severity } from '../model.js';
import { FAMILIES, SEVERITIES } from '../model.js';
import { FORMATS, formatReport, type OutputFormat } from '../report/index.js';
import { buildReport } from '../report/report.js';
import { summaryLine } from '../report/table.js';
import { registerSecret, setFingerprintKey } from '../secrets/redact.js';
import { type Io, readStdin } from './io.js';

export interface ScanCliOptions {
  schema?: string;
  tablePrefix: string;
  serviceAccount?: string;
  allowPrincipal: string[];
  only?: string;
  skip?: string;
  format?: OutputFormat;
  output?: string;
  failOn: Severity;
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
  connectionString?: string;
  connectionStringEnv?: string;
  passwordStdin?: boolean;
  verbose?: boolean;
  color?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** Options every scanning command (scan, demo) shares. */
export function addScanOptions(cmd: Command): Command {
  return cmd
    .option('--schema <name>', 'schema (PostgreSQL) or database (MySQL) holding the Quartz tables')
    .option('--table-prefix <prefix>', 'Quartz table prefix, matched case-insensitively', 'QRTZ_')
    .option('--service-account <name>', 'principal Quartz runs as (default: the connected login)')
    .option('--allow-principal <name>', 'principal expected to have access (repeatable)', collect, [])
    .option('--only <families>', `run only these check families (comma-separated: ${FAMILIES.join(', ')})`)
    .option('--skip <families>', 'skip these check families (comma-separated)')
    .addOption(
      new Option('--format <format>', 'output format (default: table on a terminal, json otherwise)').choices(FORMATS),
    )
    .option('--output <file>', 'write the report to a file (a summary line still goes to stderr)')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a failing finding is at or above this severity')
        .choices(SEVERITIES.filter((s) => s !== 'info'))
        .default('high'),
    )
    .option('--statement-timeout <ms>', 'server-side statement timeout in milliseconds', '30000')
    .option('--lock-timeout <ms>', 'lock wait timeout in milliseconds', '2000')
    .option('--connect-timeout <ms>', 'connection timeout in milliseconds', '10000')
    .option(
      '--max-blob-size <bytes>',
      'read at most this many bytes of each blob (QA-B05 flags larger ones)',
      String(16 * 1024 * 1024),
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
    .option('--misfire-threshold <minutes>', 'QA-H02: a next fire time this far in the past is a misfire', '60')
    .option('--long-running <minutes>', 'QA-H04: a fired trigger executing longer than this', '240')
    .option(
      '--checkin-stale <minutes>',
      'QA-H03: a cluster node silent this long (when its check-in interval is unknown)',
      '10',
    )
    .option(
      '--fingerprint-key-env <VAR>',
      'stable secret fingerprints keyed by this environment variable (for baselines)',
    )
    .option('--sqlcipher-key-env <VAR>', 'SQLite: environment variable holding the SQLCipher key, where supported')
    .option(
      '--connection-string-env <VAR>',
      'SQL Server: environment variable holding an ADO.NET connection string (URL: mssql:)',
    )
    .option(
      '--connection-string <string>',
      'SQL Server: ADO.NET connection string (prefer --connection-string-env: no password in ps)',
    )
    .option(
      '--attest <claim>',
      'evidence for what SQL cannot show, e.g. at-rest="LUKS on /var/lib/postgresql" (repeatable)',
      collect,
      [],
    )
    .option('--verbose', 'list passing checks too')
    .option('--no-color', 'no colors (NO_COLOR is respected too)');
}

function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new UserError('usage', `${name} must be a positive whole number, got ${value}`);
  return n;
}

export function parseFamilies(only?: string, skip?: string): Set<Family> {
  const parse = (s: string, flag: string) =>
    s
      .split(',')
      .map((x) => x.trim().toLowerCase())
      .filter(Boolean)
      .map((x) => {
        if (!(FAMILIES as readonly string[]).includes(x)) {
          throw new UserError('usage', `${flag}: unknown check family ${x} (families: ${FAMILIES.join(', ')})`);
        }
        return x as Family;
      });
  const set = new Set<Family>(only ? parse(only, '--only') : FAMILIES);
  if (skip) for (const f of parse(skip, '--skip')) set.delete(f);
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
    statementTimeoutMs: positiveInt('--statement-timeout', o.statementTimeout),
    lockTimeoutMs: positiveInt('--lock-timeout', o.lockTimeout),
    connectTimeoutMs: positiveInt('--connect-timeout', o.connectTimeout),
    maxBlobSize: positiveInt('--max-blob-size', o.maxBlobSize),
    attestations: parseAttestations(o.attest),
    ...(o.sqlcipherKeyEnv || o.connectionString !== undefined || o.connectionStringEnv
      ? {
          extra: Object.fromEntries(
            Object.entries({
              sqlcipherKeyEnv: o.sqlcipherKeyEnv,
              connectionString: o.connectionString,
              connectionStringEnv: o.connectionStringEnv,
            }).filter((e): e is [string, string] => e[1] !== undefined),
          ),
        }
      : {}),
  };
}

export function checkOptionsFrom(o: ScanCliOptions, maxBlobSize: number): CheckOptions {
  return {
    allowTypes: o.allowType,
    maxBlobSize,
    allowJobNamespaces: o.allowJobNamespace ?? [],
    misfireThresholdMinutes: positiveInt('--misfire-threshold', o.misfireThreshold ?? '60'),
    longRunningMinutes: positiveInt('--long-running', o.longRunning ?? '240'),
    checkinStaleMinutes: positiveInt('--checkin-stale', o.checkinStale ?? '10'),
  };
}

/** Runs a scan and writes the report; returns the exit code. */
export async function runScanCommand(url: string, o: ScanCliOptions, io: Io): Promise<number> {
  registerUrlPassword(url);
  let password: string | undefined;
  if (o.passwordStdin) {
    password = (await readStdin(io)).replace(/\r?\n$/, '');
    if (!password) throw new UserError('usage', '--password-stdin: no password on standard input');
    registerSecret(password);
  }
  if (o.fingerprintKeyEnv) {
    const key = process.env[o.fingerprintKeyEnv];
    if (!key)
      throw new UserError('usage', `--fingerprint-key-env: environment variable ${o.fingerprintKeyEnv} is not set`);
    registerSecret(key);
    setFingerprintKey(key);
  }
  const options = connectOptionsFrom(url, o, password);
  const adapter = await adapterFor(options);
  await adapter.connect();
  let result: Awaited<ReturnType<typeof runScan>>;
  try {
    result = await runScan(adapter, {
      families: options.families,
      checkOptions: checkOptionsFrom(o, options.maxBlobSize),
    });
  } finally {
    await adapter.close();
  }
  const report = buildReport(result.facts, result.findings, o.failOn, result.startedAt, result.durationMs);
  const format: OutputFormat = o.format ?? (io.stdoutIsTTY ? 'table' : 'json');
  const color = o.color !== false && io.colorAllowed;
  const text = formatReport(report, format, { color: o.output ? false : color, verbose: o.verbose ?? false });
  if (o.output) {
    try {
      writeFileSync(o.output, text);
    } catch (err) {
      throw new UserError('input', `cannot write ${o.output}: ${(err as Error).message}`);
    }
    io.stderr(`${summaryLine(report, io.stderrColor)} — report written to ${o.output}\n`);
  } else {
    io.stdout(text);
  }
  return report.summary.exitCode;
}

/** A password written into the URL is registered for redaction before anything can print it. */
export function registerUrlPassword(url: string): void {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s:]*:([^@/\s]*)@/i.exec(url);
  if (m?.[1]) {
    registerSecret(m[1]);
    try {
      registerSecret(decodeURIComponent(m[1]));
    } catch {
      /* not percent-encoded */
    }
  }
}

export function registerScan(program: Command, io: Io, setExit: (code: number) => void): void {
  const cmd = program
    .command('scan')
    .description('audit a Quartz JobStore database (read-only)')
    .argument('<url>', 'postgres://user@host:5432/db, mysql://…, mariadb://…, sqlite:PATH or a .db/.sqlite path')
    .option('--password-stdin', 'read the password from standard input');
  addScanOptions(cmd).action(async (url: string, o: ScanCliOptions) => {
    setExit(await runScanCommand(url, o, io));
  });
}
