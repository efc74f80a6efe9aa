/**
 * The library API of qrtz-audit (issue #14 part 7): `import { audit } from 'qrtz-audit'`.
 *
 * `audit()` returns the same {@link Report} object the CLI's `scan --format json` writes: the same
 * connection handling, checks, redaction, suppressions and baseline (the CLI's scan command is a thin
 * layer over the same functions). `collect()` and `reportFrom()` split it in two — collecting facts from
 * the database, then judging them — which is what `scan --evidence` and `qrtz-audit evaluate` do too
 * (`writeEvidence`, `readEvidence`, `evaluate`).
 *
 * Everything is read-only against the database. Secrets found in blobs and the password given are never
 * in a report: every string passes through the one redaction path.
 *
 * @packageDocumentation
 */
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { Io } from './commands/io.js';
import { collectEvidence, type ScanCliOptions } from './commands/scan.js';
import { readBaseline } from './compliance/baseline.js';
import { pathText } from './compliance/ignore-file.js';
import { applyCompliance, type LoadedCompliance, loadCompliance } from './compliance/index.js';
import { type SuppressionEntry, suppressionEntrySchema } from './compliance/schema.js';
import { UserError } from './errors.js';
import {
  type Evidence,
  readEvidence as readEvidenceFile,
  writeEvidence as writeEvidenceFile,
} from './evidence/evidence.js';
import { judgeEvidence } from './evidence/judge.js';
import type { CheckOptions, Severity } from './model.js';
import { DEFAULT_CHECK_OPTIONS } from './model.js';
import { formatReport as formatAny, type OutputFormat } from './report/index.js';
import type { Report } from './report/report.js';
import { registerSecret, setFingerprintKey } from './secrets/redact.js';
import { allFindings } from './spill.js';

export type { SuppressionEntry, SuppressionMark } from './compliance/schema.js';
export type { UserErrorKind } from './errors.js';
export { EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, UserError } from './errors.js';
export type { CollectedCheckOptions, Evidence } from './evidence/evidence.js';
export { EVIDENCE_FORMAT, EVIDENCE_VERSION } from './evidence/evidence.js';
export type { Dialect, Facts, Family, Finding, FindingObject, Severity, Status, Unreadable } from './model.js';
export { FAMILIES, SEVERITIES } from './model.js';
export type { OutputFormat } from './report/index.js';
export type { Report } from './report/report.js';
export { REPORT_SCHEMA_VERSION } from './report/report.js';

/** Where the audit reads from and as whom: what `qrtz-audit scan` takes as its URL argument and options. */
export interface ConnectionOptions {
  /**
   * The database: `postgres://user@host:5432/db`, `mysql://…`, `mariadb://…`, `mssql://…`, `sqlite:PATH`
   * or a path ending in `.db`/`.sqlite`, a JDBC URL, an ADO.NET string or libpq keywords (`host=… dbname=…`).
   * Omit it with `connectionString` or `fromConfig`.
   */
  target?: string;
  /** A connection string as the application holds it (JDBC, ADO.NET, libpq keywords); `--connection-string`. */
  connectionString?: string;
  /** Which database an ADO.NET string is for when its keys do not say (`postgres`, `mysql`, `mariadb`, `mssql`…). */
  dialect?: string;
  /** The password (else the URL's, the driver's environment, `~/.pgpass`, `~/.my.cnf`). Never printed. */
  password?: string;
  /** MySQL/MariaDB: read `~/.my.cnf` (default true, as the CLI; false is `--no-my-cnf`). */
  readMyCnf?: boolean;
  /** SQLite: environment variable holding a SQLCipher key. */
  sqlcipherKeyEnv?: string;
  /** SQLite: read a private in-memory snapshot (`--sqlite-immutable`). */
  sqliteImmutable?: boolean;
  /** Scan the JobStore these Quartz configuration files/directories name (`--from-config`). */
  fromConfig?: string[];
  /** With `fromConfig`: the ASP.NET environment of appsettings overlays (default Production). */
  configEnvironment?: string;
  /** With `fromConfig`: connect as this auditor login. */
  login?: string;
  /** With `fromConfig`: connect with the credentials the configuration holds. */
  useConfigCredentials?: boolean;
  /** Timeouts in milliseconds, or with a unit as the CLI takes them (`'2s'`, `'1.5min'`). Defaults 30000 / 2000 / 10000. */
  statementTimeout?: number | string;
  lockTimeout?: number | string;
  connectTimeout?: number | string;
}

/** What the audit reads and how the checks judge it: `scan`'s check options. */
export interface CollectOptions extends ConnectionOptions {
  /** Schema (PostgreSQL) or database (MySQL/MariaDB) holding the Quartz tables. */
  schema?: string;
  /** Quartz table prefix (default `QRTZ_`). */
  tablePrefix?: string;
  /** The principal Quartz runs as (default: the connected login when it holds Quartz's DML, else inferred). */
  serviceAccount?: string;
  /** Principals expected to have access (`--allow-principal`). */
  allowPrincipals?: string[];
  /** Check families (or the alias `blobs`) to run; default all. */
  only?: string[];
  /** Check families (or the alias `blobs`) to skip. */
  skip?: string[];
  /** Bytes read per blob (default 16 MiB, at most 1 GiB). */
  maxBlobSize?: number;
  /** Type globs allowed in blobs beyond the built-in allowlist (QA-B03). */
  allowTypes?: string[];
  /** Expected job class namespaces (QA-J04). */
  allowJobNamespaces?: string[];
  /** QA-H02 / QA-H04 / QA-H03 thresholds in minutes (defaults 60 / 240 / 10). */
  misfireThresholdMinutes?: number;
  longRunningMinutes?: number;
  checkinStaleMinutes?: number;
  /** Evidence SQL cannot show, e.g. `{ 'at-rest': 'LUKS on the data volume, SEC-12' }` (`--attest`). */
  attestations?: Record<string, string>;
  /**
   * Key secret fingerprints with this value so they are stable across runs and processes (baselines).
   * It applies to the whole process from this call on. Default: a random key per process.
   */
  fingerprintKey?: string;
  /** Warning lines (expired or stale suppressions, the JobStore a configuration named, a password in a URL).
   *  Default: written to the process's stderr, as the CLI does. */
  onWarning?: (line: string) => void;
}

/** How a report is judged: the threshold, suppressions and baseline (`scan`'s and `evaluate`'s options). */
export interface JudgeOptions {
  /** A failing finding at or above it makes `summary.exitCode` 1 (default `high`). */
  failOn?: Severity;
  /** An incomplete audit keeps exit code 0 (`--allow-incomplete`). */
  allowIncomplete?: boolean;
  /**
   * A suppressions file (`--ignore-file`). Default: `.qrtz-audit-ignore.yml` in the current directory when
   * present, as the CLI; `false` reads none.
   */
  ignoreFile?: string | false;
  /** Suppression entries given inline (applied after the ignore file's). */
  suppressions?: SuppressionEntry[];
  /** A baseline file (`baseline create`): its known fingerprints never fail. */
  baseline?: string;
  /** With `reportFrom`/`evaluate`: attestations added to the collected ones. */
  attestations?: Record<string, string>;
  /** With `reportFrom`/`evaluate`: QA-H thresholds replacing the collected ones. */
  misfireThresholdMinutes?: number;
  longRunningMinutes?: number;
  checkinStaleMinutes?: number;
  /** Warning lines (expired or stale suppressions). Default: the process's stderr. */
  onWarning?: (line: string) => void;
}

/** Everything `audit()` takes: the connection, what to read, and how to judge it. */
export interface AuditOptions extends CollectOptions, Omit<JudgeOptions, 'attestations'> {}

const defaultWarn = (line: string) => {
  process.stderr.write(`${line}\n`);
};

/** The Io the shared scan code writes to: no stdout, warnings line by line, no stdin. */
function apiIo(warn: (line: string) => void): Io {
  let pending = '';
  return {
    stdout: () => {},
    stderr: (text) => {
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const l of lines) warn(l);
    },
    stdin: Readable.from([]),
    stdoutIsTTY: false,
    colorAllowed: false,
    stderrColor: false,
  };
}

const duration = (v: number | string | undefined, fallback: string) => (v === undefined ? fallback : String(v));

/** The CLI's option object for these API options (the same parsing and validation). */
function cliOptions(o: AuditOptions): ScanCliOptions {
  const d = DEFAULT_CHECK_OPTIONS;
  return {
    ...(o.schema !== undefined ? { schema: o.schema } : {}),
    tablePrefix: o.tablePrefix ?? 'QRTZ_',
    tablePrefixGiven: o.tablePrefix !== undefined,
    ...(o.serviceAccount !== undefined ? { serviceAccount: o.serviceAccount } : {}),
    allowPrincipal: o.allowPrincipals ?? [],
    ...(o.only !== undefined ? { only: o.only.join(',') } : {}),
    ...(o.skip !== undefined ? { skip: o.skip.join(',') } : {}),
    failOn: o.failOn ?? 'high',
    ...(o.allowIncomplete ? { allowIncomplete: true } : {}),
    statementTimeout: duration(o.statementTimeout, '30000'),
    lockTimeout: duration(o.lockTimeout, '2000'),
    connectTimeout: duration(o.connectTimeout, '10000'),
    maxBlobSize: String(o.maxBlobSize ?? d.maxBlobSize),
    allowType: o.allowTypes ?? [],
    attest: Object.entries(o.attestations ?? {}).map(([k, v]) => `${k}=${v}`),
    allowJobNamespace: o.allowJobNamespaces ?? [],
    misfireThreshold: String(o.misfireThresholdMinutes ?? d.misfireThresholdMinutes),
    checkinStale: String(o.checkinStaleMinutes ?? d.checkinStaleMinutes),
    longRunning: String(o.longRunningMinutes ?? d.longRunningMinutes),
    ...(o.sqlcipherKeyEnv !== undefined ? { sqlcipherKeyEnv: o.sqlcipherKeyEnv } : {}),
    ...(o.sqliteImmutable ? { sqliteImmutable: true } : {}),
    ...(o.connectionString !== undefined ? { connectionString: o.connectionString } : {}),
    ...(o.dialect !== undefined ? { dialect: o.dialect } : {}),
    ...(o.readMyCnf === false ? { myCnf: false } : {}),
    ...(o.fromConfig?.length ? { fromConfig: o.fromConfig } : {}),
    ...(o.configEnvironment !== undefined ? { configEnvironment: o.configEnvironment } : {}),
    ...(o.login !== undefined ? { login: o.login } : {}),
    ...(o.useConfigCredentials ? { useConfigCredentials: true } : {}),
    ...(o.password !== undefined ? { password: o.password } : {}),
  };
}

/** The suppressions and baseline of these options, read and validated (a mistake is a UserError). */
function judgeCompliance(o: JudgeOptions): LoadedCompliance {
  let suppressions: SuppressionEntry[] | undefined;
  if (o.suppressions?.length) {
    const parsed = z.array(suppressionEntrySchema).safeParse(o.suppressions);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UserError('usage', `suppressions${issue ? pathText(['', ...issue.path]) : ''}: ${issue?.message}`);
    }
    suppressions = parsed.data;
  }
  const input = {
    ...(suppressions ? { suppressions, suppressionsSource: 'audit options' } : {}),
    ...(o.baseline !== undefined ? { baseline: o.baseline } : {}),
  };
  if (o.ignoreFile !== false)
    return loadCompliance({ ...input, ...(o.ignoreFile ? { ignoreFile: o.ignoreFile } : {}) });
  return {
    ...(suppressions ? { inline: { source: 'audit options', entries: suppressions } } : {}),
    ...(o.baseline !== undefined ? { baseline: { path: o.baseline, baseline: readBaseline(o.baseline) } } : {}),
  };
}

/**
 * Connects, reads the facts and streams the blobs (running the row checks on each), without judging the
 * facts: the {@link Evidence} `reportFrom` judges and `writeEvidence` saves. Row findings past 2,000 are
 * kept in a private temp file until `reportFrom` has read them or the process exits.
 *
 * @throws {UserError} on a usage, connection, authentication or permission problem (one line, no secret).
 */
export async function collect(options: CollectOptions): Promise<Evidence> {
  if (options.fingerprintKey !== undefined) {
    if (!options.fingerprintKey) throw new TypeError('fingerprintKey must not be empty');
    registerSecret(options.fingerprintKey);
    setFingerprintKey(options.fingerprintKey);
  }
  return collectEvidence(options.target, cliOptions(options), apiIo(options.onWarning ?? defaultWarn));
}

/**
 * Judges collected evidence — from `collect()` or `readEvidence()` — into the report: every fact-level
 * check runs with the current rules (row findings are the collected ones), then suppressions and the
 * baseline mark what they accept. The returned report holds every finding in `findings`.
 *
 * @throws {UserError} on an invalid ignore file or baseline.
 */
export function reportFrom(evidence: Evidence, options: JudgeOptions = {}): Report {
  const compliance = judgeCompliance(options);
  const checkOptions: Partial<CheckOptions> = {
    ...(options.misfireThresholdMinutes !== undefined
      ? { misfireThresholdMinutes: options.misfireThresholdMinutes }
      : {}),
    ...(options.longRunningMinutes !== undefined ? { longRunningMinutes: options.longRunningMinutes } : {}),
    ...(options.checkinStaleMinutes !== undefined ? { checkinStaleMinutes: options.checkinStaleMinutes } : {}),
  };
  const judged = judgeEvidence(evidence, {
    failOn: options.failOn ?? 'high',
    allowIncomplete: options.allowIncomplete ?? false,
    checkOptions,
    ...(options.attestations ? { attestations: options.attestations } : {}),
  });
  const report = applyCompliance(judged, compliance, options.onWarning ?? defaultWarn);
  return { ...report, findings: [...allFindings(report)] };
}

/**
 * Audits one Quartz JobStore (read-only) and returns the report `qrtz-audit scan --format json` writes:
 * `collect()` then `reportFrom()`. `report.summary.exitCode` is the CLI's exit code (0, 1 or 4).
 *
 * @example
 * ```ts
 * import { audit } from 'qrtz-audit';
 * const report = await audit({ target: 'postgres://auditor@db/quartz', schema: 'quartz' });
 * for (const f of report.findings) if (f.status === 'fail') console.log(f.check, f.severity, f.object.name);
 * ```
 * @throws {UserError} on a usage, connection, authentication or permission problem (one line, no secret).
 */
export async function audit(options: AuditOptions): Promise<Report> {
  // Files are checked before connecting, as the CLI does.
  judgeCompliance(options);
  const evidence = await collect(options);
  try {
    return reportFrom(evidence, options);
  } finally {
    evidence.spill?.remove();
  }
}

/** Writes evidence as `scan --evidence` does: versioned JSON, secrets redacted, file mode 0600. */
export function writeEvidence(path: string, evidence: Evidence): void {
  writeEvidenceFile(path, evidence);
}

/**
 * Reads an evidence file (`scan --evidence`), validated.
 * @throws {UserError} when the file is missing, not JSON, not evidence, invalid or of a newer version.
 */
export function readEvidence(path: string): Evidence {
  return readEvidenceFile(path);
}

/** `qrtz-audit evaluate FILE`: the report of an evidence file, judged now, no database needed. */
export function evaluate(path: string, options: JudgeOptions = {}): Report {
  const evidence = readEvidenceFile(path);
  try {
    return reportFrom(evidence, options);
  } finally {
    evidence.spill?.remove();
  }
}

/** The report in one of the CLI's formats (`table`, `json`, `sarif`, `junit`, `html`, `markdown`, `prometheus`). */
export function formatReport(report: Report, format: OutputFormat, options: { verbose?: boolean } = {}): string {
  return formatAny(report, format, { color: false, verbose: options.verbose ?? false });
}
