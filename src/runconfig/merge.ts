/**
 * A config file and the command line become one ScanCliOptions per target. Precedence, lowest first: the
 * flags' built-in defaults, the file's top-level settings, the target's own settings, then the flags given
 * on the command line (a repeatable flag given there replaces the file's list, it does not extend it).
 * Relative paths in the file (a SQLite path, passwordFile, ignoreFile, baseline, outputs.dir) are taken from
 * the file's directory.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { ScanCliOptions } from '../commands/scan.js';
import { UserError } from '../errors.js';
import type { Severity } from '../model.js';
import type { OutputFormat } from '../report/index.js';
import { escapeControl } from '../report/terminal.js';
import { registerSecret } from '../secrets/redact.js';
import type { LoadedRunConfig } from './load.js';
import type { RunConfig, TargetConfig } from './schema.js';

/** One target, ready for the per-target scan path. */
export interface TargetPlan {
  name: string;
  /** The URL argument (a URL, JDBC URL, libpq keywords, ADO.NET string or path); absent with connectionStringEnv. */
  url?: string;
  options: ScanCliOptions;
  /** Where the password comes from (read when the target runs, so a missing one fails only that target). */
  passwordRef?: { env: string } | { file: string };
  /** Check id → severity, applied to the report's findings. */
  severityOverrides: Record<string, Severity>;
}

type Settings = Omit<RunConfig, 'targets' | 'version' | 'password'> | TargetConfig;

function fromDir(base: string, p: string): string {
  return isAbsolute(p) ? p : resolve(base, p);
}

/** The options a block of settings (top level or one target) sets. */
function settingsOptions(s: Settings, base: string): Partial<ScanCliOptions> {
  const o: Partial<ScanCliOptions> = {};
  if (s.schema !== undefined) o.schema = s.schema;
  if (s.tablePrefix !== undefined) {
    o.tablePrefix = s.tablePrefix;
    o.tablePrefixGiven = true;
  }
  if (s.serviceAccount !== undefined) o.serviceAccount = s.serviceAccount;
  if (s.allowPrincipals) o.allowPrincipal = s.allowPrincipals;
  if (s.allowTypes) o.allowType = s.allowTypes;
  if (s.allowJobNamespaces) o.allowJobNamespace = s.allowJobNamespaces;
  if (s.only) o.only = s.only.join(',');
  if (s.skip) o.skip = s.skip.join(',');
  const t = s.thresholds;
  if (t?.statementTimeout !== undefined) o.statementTimeout = String(t.statementTimeout);
  if (t?.lockTimeout !== undefined) o.lockTimeout = String(t.lockTimeout);
  if (t?.connectTimeout !== undefined) o.connectTimeout = String(t.connectTimeout);
  if (t?.maxBlobSize !== undefined) o.maxBlobSize = String(t.maxBlobSize);
  if (t?.misfireThreshold !== undefined) o.misfireThreshold = String(t.misfireThreshold);
  if (t?.longRunning !== undefined) o.longRunning = String(t.longRunning);
  if (t?.checkinStale !== undefined) o.checkinStale = String(t.checkinStale);
  if (s.failOn !== undefined) o.failOn = s.failOn as Severity;
  if (s.allowIncomplete !== undefined) o.allowIncomplete = s.allowIncomplete;
  if (s.sqliteImmutable !== undefined) o.sqliteImmutable = s.sqliteImmutable;
  if (s.sqlcipherKeyEnv !== undefined) o.sqlcipherKeyEnv = s.sqlcipherKeyEnv;
  if (s.myCnf !== undefined) o.myCnf = s.myCnf;
  if (s.ignoreFile !== undefined) o.ignoreFile = fromDir(base, s.ignoreFile);
  if (s.baseline !== undefined) o.baseline = fromDir(base, s.baseline);
  if ('fingerprintKeyEnv' in s && s.fingerprintKeyEnv !== undefined) o.fingerprintKeyEnv = s.fingerprintKeyEnv;
  if ('outputs' in s && s.outputs?.formats) o.format = s.outputs.formats as OutputFormat[];
  if ('outputs' in s && s.outputs?.dir !== undefined) o.outputDir = fromDir(base, s.outputs.dir);
  return o;
}

const hostPart = (h: string) => (h.includes(':') && !h.startsWith('[') ? `[${h}]` : h);

/** The URL a target's parts make (never with a password: those go by reference). */
export function targetUrl(t: TargetConfig, base: string): string | undefined {
  if (t.url !== undefined) {
    const u = t.url.trim();
    if (/^sqlite:/i.test(u)) {
      const p = u.replace(/^sqlite:(\/\/)?/i, '');
      return p === ':memory:' ? u : `sqlite:${fromDir(base, p)}`;
    }
    if (!/^[a-z][a-z0-9+.-]*:/i.test(u) && /\.(db|sqlite3?)$/i.test(u) && !u.includes('=')) return fromDir(base, u);
    return u;
  }
  if (t.connectionStringEnv !== undefined) return undefined;
  if (t.dialect === 'sqlite') return `sqlite:${fromDir(base, t.path as string)}`;
  const scheme = t.dialect === 'postgres' ? 'postgres' : t.dialect;
  const user = t.user !== undefined ? `${encodeURIComponent(t.user)}@` : '';
  const port = t.port !== undefined ? `:${t.port}` : '';
  const db = t.database !== undefined ? `/${encodeURIComponent(t.database)}` : '';
  return `${scheme}://${user}${hostPart(t.host as string)}${port}${db}`;
}

/** The options the command line gave explicitly (not their defaults): they win over the file. */
function explicitOptions(cli: ScanCliOptions): Partial<ScanCliOptions> {
  const out: Record<string, unknown> = {};
  for (const k of cli.explicitOptions ?? []) {
    const v = (cli as unknown as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = v;
  }
  if (cli.explicitOptions?.includes('tablePrefix')) out.tablePrefixGiven = true;
  return out as Partial<ScanCliOptions>;
}

/** Every target of the file with its options: defaults < file (top level) < target < command line. */
export function planTargets(loaded: LoadedRunConfig, cli: ScanCliOptions): TargetPlan[] {
  const base = dirname(resolve(loaded.path));
  const c = loaded.config;
  const top = settingsOptions(c, base);
  const explicit = explicitOptions(cli);
  // --output on the command line replaces the file's output directory (they cannot be combined).
  if (explicit.output !== undefined) delete top.outputDir;
  return c.targets.map((t) => {
    const options: ScanCliOptions = {
      ...cli,
      ...top,
      ...settingsOptions(t, base),
      ...(t.connectionStringEnv !== undefined ? { connectionStringEnv: t.connectionStringEnv } : {}),
      ...(t.dialect !== undefined && t.dialect !== 'sqlite' && t.url !== undefined ? { dialect: t.dialect } : {}),
      ...(t.dialect !== undefined && t.dialect !== 'sqlite' && t.connectionStringEnv !== undefined
        ? { dialect: t.dialect }
        : {}),
      ...explicit,
      suppressionsSource: `config ${loaded.path}`,
      ...(c.suppressions?.length ? { suppressions: c.suppressions } : {}),
    };
    const url = targetUrl(t, base);
    const passwordRef =
      t.passwordEnv !== undefined
        ? { env: t.passwordEnv }
        : t.passwordFile !== undefined
          ? { file: fromDir(base, t.passwordFile) }
          : undefined;
    return {
      name: t.name,
      ...(url !== undefined ? { url } : {}),
      options,
      ...(passwordRef ? { passwordRef } : {}),
      severityOverrides: { ...(c.severityOverrides ?? {}), ...(t.severityOverrides ?? {}) } as Record<string, Severity>,
    };
  });
}

/**
 * The password a target names by reference, registered for redaction. A variable that is not set, a file
 * that is missing, not a regular file, or readable by its group or others (libpq refuses such a ~/.pgpass
 * too) is one line naming the variable or file, never the password.
 */
export function readPasswordRef(
  ref: TargetPlan['passwordRef'],
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (!ref) return undefined;
  let password: string;
  if ('env' in ref) {
    const v = env[ref.env];
    if (v === undefined || v === '')
      throw new UserError('usage', `passwordEnv: environment variable ${ref.env} is not set`);
    password = v;
  } else {
    const shown = escapeControl(ref.file, false);
    // stat follows a symbolic link (Kubernetes mounts Secret keys as links): the file it reaches is judged.
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(ref.file);
    } catch (err) {
      throw new UserError(
        'input',
        `passwordFile ${shown}: cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    if (!st.isFile()) throw new UserError('input', `passwordFile ${shown}: not a regular file`);
    if (process.platform !== 'win32' && st.mode & 0o077)
      throw new UserError(
        'input',
        `passwordFile ${shown}: readable or writable by its group or others (mode 0${(st.mode & 0o777).toString(8)}); chmod 600 it (libpq refuses such a ~/.pgpass too)`,
      );
    try {
      password = readFileSync(ref.file, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      throw new UserError(
        'input',
        `passwordFile ${shown}: cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    if (!password) throw new UserError('input', `passwordFile ${shown}: empty`);
  }
  registerSecret(password);
  return password;
}
