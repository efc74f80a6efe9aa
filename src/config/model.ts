/**
 * Typed, normalized facts about a Quartz application's own configuration (issue #15). Parsers in
 * src/config/* build them from files; evaluators in src/config/checks.ts judge them. Nothing here holds
 * a secret in an enumerable property: raw connection strings sit in non-enumerable `raw` fields (for
 * `scan --from-config` only), and every password is registered with registerSecret() when read.
 */
import { UserError } from '../errors.js';
import type { MapEntry } from '../model.js';

export type ConfigKind =
  | 'quartz-config' // Quartz.NET quartz.config (key = value)
  | 'app-config' // App.config / Web.config / *.exe.config / *.dll.config
  | 'appsettings' // appsettings.json / appsettings.{Environment}.json
  | 'deps-json' // *.deps.json
  | 'runtimeconfig' // *.runtimeconfig.json
  | 'job-xml' // quartz_jobs.xml / jobs.xml (job-scheduling-data)
  | 'nlog' // NLog.config
  | 'log4net' // log4net.config
  | 'quartz-properties' // Java quartz.properties
  | 'log4j2' // Java log4j2.xml (also log4j2-*.xml)
  | 'log4j' // Java log4j 1.x log4j.xml
  | 'log4j-properties' // Java log4j.properties / log4j2.properties
  | 'logback' // Java logback.xml / logback-spring.xml
  | 'maven' // Java pom.xml
  | 'gradle' // Java build.gradle / build.gradle.kts
  | 'gradle-lock' // Java gradle.lockfile
  | 'jar'; // a quartz-x.y.z.jar (version from its name only)

export interface ConfigFile {
  path: string;
  kind: ConfigKind;
  /** appsettings.{Environment}.json: the environment name. */
  environment?: string;
  size: number;
  /** st_mode permission bits (& 0o7777); absent on platforms without them. */
  mode?: number;
  uid?: number;
  gid?: number;
}

/** Where a value came from. */
export interface Location {
  file: string;
  /** 1-based line, when the parser knows it. */
  line?: number;
}

export interface ConfigValue extends Location {
  /** The key as written (e.g. quartz.jobStore.type). */
  key: string;
  value: string;
}

export type TargetDialect = 'sqlserver' | 'postgres' | 'mysql' | 'sqlite' | 'oracle' | 'other';

/** How a connection's password is held. */
export type PasswordState =
  | 'none' // no password key at all (or empty)
  | 'plaintext' // a literal password in the file
  | 'reference' // ${ENV}, %VAR%, Key Vault reference, user secrets, ENC(...)
  | 'integrated' // Integrated Security / trusted connection / no password needed
  | 'encrypted'; // the whole section is encrypted (configProtectionProvider)

export interface ConnectionFact extends Location {
  /** Connection string name, or the data source name (Java `org.quartz.dataSource.NAME`). */
  name: string;
  /** Provider as configured (providerName, quartz.dataSource.X.provider, JDBC driver class). */
  provider?: string;
  dialect?: TargetDialect;
  /** 'ado' (key=value;…), 'jdbc' (jdbc:… URL), 'url' (postgres://…). */
  format: 'ado' | 'jdbc' | 'url' | 'encrypted';
  user?: string;
  host?: string;
  port?: number;
  database?: string;
  /** PostgreSQL schema the connection puts first (Npgsql `Search Path`, JDBC `currentSchema`). */
  schema?: string;
  /** SQLite data source file. */
  dataFile?: string;
  password: PasswordState;
  /** For 'reference': the reference text (an environment variable name, a Key Vault URI), never a secret. */
  passwordReference?: string;
  /** Settings that turn transport security off, as written (key=value), e.g. Encrypt=False. */
  insecureTransport: string[];
  /** Section encrypted with this provider (App.config configProtectionProvider). */
  protectedBy?: string;
  /** The raw connection string / URL (non-enumerable; never serialized). For scan --from-config only. */
  readonly raw?: string;
  /** The plaintext password (non-enumerable; never serialized; registered with registerSecret). */
  readonly secretValue?: string;
}

export interface PluginFact extends Location {
  /** Plugin name (quartz.plugin.NAME.type). */
  name: string;
  type: string;
  /** XML scheduling data plugin: the job files, as written and resolved against the config's folder. */
  fileNames: string[];
  resolvedFiles: string[];
  /** Seconds between rescans; 0/absent = read once at start. */
  scanInterval?: number;
  xmlLoader: boolean;
}

export interface ExporterFact extends Location {
  /** dotnet: quartz.scheduler.exporter.*; java-rmi: org.quartz.scheduler.rmi.*; jmx: …jmx.export. */
  kind: 'dotnet-remoting' | 'java-rmi' | 'java-rmi-proxy' | 'dotnet-proxy' | 'jmx';
  type?: string;
  port?: string;
  host?: string;
  bindName?: string;
  channelType?: string;
  rejectRemoteRequests?: boolean;
}

export interface JobStoreFact extends Location {
  /** ram: RAMJobStore; persistent: AdoJobStore/JobStoreTX/CMT; other: a custom store; unset: not configured
   *  (Quartz defaults to RAMJobStore). */
  kind: 'ram' | 'persistent' | 'other' | 'unset';
  type?: string;
  delegate?: string;
  dataSource?: string;
  /** Table prefix; Quartz's default QRTZ_ when not set. */
  tablePrefix: string;
  tablePrefixSet: boolean;
  /** quartz.jobStore.useProperties / org.quartz.jobStore.useProperties; undefined = default (false). */
  useProperties?: boolean;
  clustered?: boolean;
}

export interface DataSourceFact extends Location {
  name: string;
  provider?: string;
  /** Connection fact name this data source uses (its own or connectionStringName). */
  connection?: string;
  connectionStringName?: string;
}

export interface QuartzSettings {
  platform: 'dotnet' | 'java';
  /** Effective properties, keyed by lower-cased key (Quartz.NET reads them case-insensitively). */
  properties: Record<string, ConfigValue>;
  /** Values a higher-precedence source replaced, or a whole source Quartz ignores (quartz.config when
   *  App.config has a <quartz> section). */
  shadowed: ConfigValue[];
  /** Files the effective properties came from, lowest precedence first. */
  sources: string[];
  jobStore: JobStoreFact;
  /** quartz.serializer.type (dotnet only). */
  serializer?: ConfigValue;
  dataSources: DataSourceFact[];
  exporters: ExporterFact[];
  plugins: PluginFact[];
}

export interface PackageFact extends Location {
  name: string;
  version: string;
  /** deps.json library, runtimeconfig framework, jar file name, Maven/Gradle coordinates. */
  source: 'deps-json' | 'runtimeconfig' | 'jar' | 'maven' | 'gradle';
  /** runtimeconfig frameworks (Microsoft.NETCore.App, Microsoft.AspNetCore.App). */
  framework?: boolean;
}

export interface LoggerFact extends Location {
  framework: 'nlog' | 'log4net' | 'serilog' | 'microsoft' | 'log4j2' | 'log4j' | 'logback';
  /** Logger name pattern (Quartz*, Quartz.Core, root / Default). */
  logger: string;
  /** Normalised: trace, debug, info, warn, error, fatal, off. */
  level: string;
}

export interface LogFileFact extends Location {
  framework: LoggerFact['framework'];
  /** The log file path as configured (may hold layout renderers). */
  path: string;
  /** Resolved against the configuration file's folder, when the path is literal (no layout renderers). */
  resolved?: string;
}

/** What stat() said about a file the configuration points to (log files, XML plugin job files). */
export interface FileStat {
  exists: boolean;
  mode?: number;
  uid?: number;
  gid?: number;
  /** Permission bits of the containing directory. */
  dirMode?: number;
}

/** One job-data-map entry of a job definition file: a MapEntry with its file and line. */
export interface ConfigMapEntry extends MapEntry, Location {}

export interface JobDefinitionFact extends Location {
  name: string;
  group?: string;
  jobType: string;
  durable?: boolean;
  entries: ConfigMapEntry[];
  /** Trigger job-data-map entries are kept with their job. */
}

export interface EncryptedSectionFact extends Location {
  section: string;
  provider: string;
}

/** A dashboard or HTTP API (package or configuration) with what configuration shows about it. */
export interface EndpointFact extends Location {
  name: string;
  package?: string;
  version?: string;
  /** Authentication settings seen in configuration ('unknown' when configuration cannot tell). */
  authentication: 'enabled' | 'disabled' | 'unknown';
  /** Plain-HTTP listening URLs seen (Kestrel endpoints, Urls). */
  httpUrls: string[];
}

export interface ConfigFacts {
  files: ConfigFile[];
  /** ASP.NET environment whose appsettings overlay was applied (default Production). */
  environment: string;
  dotnet?: QuartzSettings;
  java?: QuartzSettings;
  connections: ConnectionFact[];
  packages: PackageFact[];
  loggers: LoggerFact[];
  logFiles: LogFileFact[];
  jobs: JobDefinitionFact[];
  encryptedSections: EncryptedSectionFact[];
  endpoints: EndpointFact[];
  /** Plain-HTTP URLs the app listens on (Kestrel / Urls), for endpoint judgement. */
  listenUrls: ConfigValue[];
  /** Dashboard/HTTP API switches seen in appsettings (boolean values only), for endpoint judgement. */
  appSettings: ConfigValue[];
  /** stat() of the files the configuration points to (resolved log files, plugin job files), by path. */
  stats: Record<string, FileStat>;
}

/** A configuration file that cannot be parsed: one clear line naming the file and line (exit 2). */
export class ConfigParseError extends UserError {
  readonly file: string;
  readonly line?: number;
  constructor(file: string, line: number | undefined, reason: string) {
    super('input', `${file}${line !== undefined ? `:${line}` : ''}: ${reason}`);
    this.name = 'ConfigParseError';
    this.file = file;
    this.line = line;
  }
}

/** 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** A line index for many lookups in one text. */
export function lineIndex(text: string): (offset: number) => number {
  const starts: number[] = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}
