/**
 * `scan --from-config FILE|DIR`: the JobStore a Quartz application's own configuration names — its
 * dialect, connection, table prefix and service account (the connection string's user) — turned
 * into what `scan` needs. Who connects is always said explicitly: the auditor's own login
 * (`--login USER`, password by the usual means) or the configured credentials
 * (`--use-config-credentials`). Nothing is guessed and nothing configured is silently dropped.
 */
import { auditConfig, type ConfigAudit } from '../config/audit.js';
import { toScanTarget } from '../config/index.js';
import { UserError } from '../errors.js';
import { escapeControl } from '../report/terminal.js';
import { registerSecret } from '../secrets/redact.js';

export interface FromConfigRequest {
  paths: string[];
  /** ASP.NET environment for appsettings.{Environment}.json overlays (default Production). */
  environment?: string;
  /** The auditor's login; the configured user stays the service account. */
  login?: string;
  /** Connect with the user and password the configuration holds. */
  useConfigCredentials?: boolean;
}

export interface FromConfigTarget {
  url: string;
  /** The configured password, when the user asked for the configured credentials. */
  password?: string;
  tablePrefix: string;
  serviceAccount?: string;
  schema?: string;
  /** An ADO.NET connection string for SQL Server (mssql: URL). */
  connectionString?: string;
  /** Where the connection is configured, for the summary line (no secrets). */
  source: string;
  /** The configuration audit of the same files (QA-C findings join the scan's report). */
  audit: ConfigAudit;
  environment: string;
}

export async function resolveFromConfig(req: FromConfigRequest): Promise<FromConfigTarget> {
  if (req.login !== undefined && req.useConfigCredentials) {
    throw new UserError('usage', '--login and --use-config-credentials exclude each other: say who connects');
  }
  const environment = req.environment ?? 'Production';
  const audit = await auditConfig(req.paths, { environment });
  if (audit.files.length === 0) {
    throw new UserError('input', `--from-config: no Quartz configuration files found in ${req.paths.join(', ')}`);
  }
  const t = toScanTarget(audit.facts);
  const source = `${t.file}${t.line !== undefined ? `:${t.line}` : ''} (connection ${JSON.stringify(t.connection)})`;
  const base = {
    tablePrefix: t.tablePrefix,
    ...(t.serviceAccount !== undefined ? { serviceAccount: t.serviceAccount } : {}),
    ...(t.schema !== undefined ? { schema: t.schema } : {}),
    source: escapeControl(source),
    audit,
    environment,
  };
  if (t.dialect === 'sqlite' && t.url) return { ...base, url: t.url };
  if (t.dialect === 'sqlserver') {
    if (!req.useConfigCredentials || t.connectionString === undefined) {
      throw new UserError(
        'usage',
        '--from-config: a SQL Server JobStore is scanned with the configured connection string (--use-config-credentials), or give the auditor connection with --connection-string-env',
      );
    }
    registerSecret(t.password);
    return { ...base, url: 'mssql:', connectionString: t.connectionString };
  }
  if ((t.dialect === 'postgres' || t.dialect === 'mysql') && t.url) {
    if (req.login === undefined && !req.useConfigCredentials) {
      throw new UserError(
        'usage',
        '--from-config: say who connects: --login USER (the auditor, password by PGPASSWORD/MYSQL_PWD or --password-stdin) or --use-config-credentials',
      );
    }
    const u = new URL(t.url);
    if (req.login !== undefined) u.username = encodeURIComponent(req.login);
    const out: FromConfigTarget = { ...base, url: u.toString() };
    if (req.useConfigCredentials && t.password !== undefined) {
      registerSecret(t.password);
      out.password = t.password;
    }
    return out;
  }
  throw new UserError('input', `--from-config: the configured database (${t.dialect}) is not one qrtz-audit scans`);
}
