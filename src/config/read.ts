/**
 * readConfig(): parse discovered files into one ConfigFacts. Precedence of Quartz.NET properties, lowest
 * first: quartz.config (ignored by Quartz altogether when an App.config/Web.config has a <quartz>
 * section), the App.config <quartz> section, appsettings.json's `Quartz` section, then the
 * appsettings.{Environment}.json overlay of the chosen environment (default Production, ASP.NET's own
 * default). Overlays of other environments are not applied. Java quartz.properties files are read as a
 * separate (java) scheduler.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { REDACTED, redact, registerSecret } from '../secrets/redact.js';
import { parseConnection, parseJdbcUrl, passwordReference } from './connection.js';
import { DISCOVERY_DEFAULTS } from './discover.js';
import {
  readGradle,
  readGradleLock,
  readLog4j2,
  readLog4jProperties,
  readLog4jXml,
  readLogback,
  readPom,
} from './java.js';
import { lineOf, logger } from './levels.js';
import {
  type ConfigFacts,
  type ConfigFile,
  ConfigParseError,
  type ConfigValue,
  type ConnectionFact,
  type DataSourceFact,
  type EndpointFact,
  type ExporterFact,
  type FileStat,
  type JobDefinitionFact,
  type JobStoreFact,
  type PackageFact,
  type PluginFact,
  type QuartzSettings,
} from './model.js';
import {
  attr,
  childText,
  flattenJson,
  kid,
  kids,
  parseJsonTree,
  parseProperties,
  parseXml,
  walkXml,
  type XmlElement,
} from './syntax.js';

export interface ReadOptions {
  /** ASP.NET environment whose appsettings overlay applies (default: Production). */
  environment?: string;
}

/** Dashboards and HTTP APIs recognised by package name (lower case prefix → display name). */
export const ENDPOINT_PACKAGES: { prefix: string; name: string }[] = [
  { prefix: 'quartz.dashboard', name: 'Quartz.NET dashboard' },
  { prefix: 'quartz.aspnetcore.httpapi', name: 'Quartz.NET HTTP API' },
  { prefix: 'quartz.httpapi', name: 'Quartz.NET HTTP API' },
  { prefix: 'quartz.http', name: 'Quartz.NET HTTP API' },
  { prefix: 'crystalquartz', name: 'CrystalQuartz' },
  { prefix: 'silkierquartz', name: 'SilkierQuartz' },
  { prefix: 'quartzmin', name: 'Quartzmin' },
  { prefix: 'quartznetwebconsole', name: 'QuartzNetWebConsole' },
  { prefix: 'quartz-manager', name: 'Quartz Manager' },
  { prefix: 'quartz.api', name: 'Quartz.API (self-hosted admin API)' },
  { prefix: 'quartzapicore', name: 'QuartzApiCore admin UI' },
  { prefix: 'dot.quartzdashboard', name: 'Dot.QuartzDashboard' },
  { prefix: 'n8.quartzdashboard', name: 'N8.QuartzDashboard' },
];

/** Other packages whose name says they serve a Quartz UI or admin API. */
const ENDPOINT_LIKE = /quartz.*(dashboard|admin|webconsole|webui|manager|httpapi)|(dashboard|admin).*quartz/i;

interface Raw {
  quartzConfig: ConfigValue[][];
  appConfigQuartz: ConfigValue[][];
  appsettingsBase: ConfigValue[][];
  appsettingsEnv: ConfigValue[][];
  javaProps: ConfigValue[][];
  /** The merged appsettings `Quartz` section (set by readAppsettings). */
  appsettingsQuartz: ConfigValue[][];
}

export async function readConfig(files: ConfigFile[], options: ReadOptions = {}): Promise<ConfigFacts> {
  const environment = options.environment ?? 'Production';
  const facts: ConfigFacts = {
    files: [...files],
    environment,
    connections: [],
    packages: [],
    loggers: [],
    logFiles: [],
    jobs: [],
    encryptedSections: [],
    endpoints: [],
    listenUrls: [],
    appSettings: [],
    stats: Object.create(null) as ConfigFacts['stats'],
  };
  const raw: Raw = {
    quartzConfig: [],
    appConfigQuartz: [],
    appsettingsBase: [],
    appsettingsEnv: [],
    javaProps: [],
    appsettingsQuartz: [],
  };
  const jobFilesRead = new Set<string>();
  for (const f of files) {
    if (f.kind === 'jar') {
      readJar(f, facts);
      continue;
    }
    const text = await readFile(f.path, 'utf8');
    switch (f.kind) {
      case 'quartz-config':
        raw.quartzConfig.push(parseProperties(text, f.path, true));
        break;
      case 'quartz-properties':
        raw.javaProps.push(parseProperties(text, f.path));
        break;
      case 'app-config':
        readAppConfig(text, f.path, facts, raw);
        break;
      case 'appsettings': {
        if (f.environment !== undefined && f.environment.toLowerCase() !== environment.toLowerCase()) {
          parseJsonTree(text, f.path); // still validated
          break;
        }
        const { root, line } = parseJsonTree(text, f.path);
        const flat = flattenJson(root, f.path, line);
        (f.environment === undefined ? raw.appsettingsBase : raw.appsettingsEnv).push(flat);
        break;
      }
      case 'deps-json':
        readDeps(text, f.path, facts);
        break;
      case 'runtimeconfig':
        readRuntimeConfig(text, f.path, facts);
        break;
      case 'job-xml':
        jobFilesRead.add(resolve(f.path));
        readJobXml(text, f.path, facts);
        break;
      case 'nlog':
        readNLog(parseXml(text, f.path), f.path, facts);
        break;
      case 'log4net':
        readLog4net(parseXml(text, f.path), f.path, facts);
        break;
      case 'log4j2':
        readLog4j2(text, f.path, facts);
        break;
      case 'log4j':
        readLog4jXml(text, f.path, facts);
        break;
      case 'log4j-properties':
        readLog4jProperties(text, f.path, facts);
        break;
      case 'logback':
        readLogback(text, f.path, facts);
        break;
      case 'maven':
        readPom(text, f.path, facts);
        break;
      case 'gradle':
        readGradle(text, f.path, facts);
        break;
      case 'gradle-lock':
        readGradleLock(text, f.path, facts);
        break;
    }
  }
  // appsettings: base then environment overlay, key by key (case-insensitive, like IConfiguration)
  const appsettings = mergeFlat([...raw.appsettingsBase, ...raw.appsettingsEnv]);
  readAppsettings(appsettings, facts, raw);

  // Quartz.NET: quartz.config is ignored when an App.config <quartz> section exists
  const dotnetLayers: ConfigValue[][] = [];
  const ignored: ConfigValue[] = [];
  if (raw.appConfigQuartz.length > 0) for (const l of raw.quartzConfig) ignored.push(...l);
  else dotnetLayers.push(...raw.quartzConfig);
  dotnetLayers.push(...raw.appConfigQuartz, ...raw.appsettingsQuartz);
  if (dotnetLayers.some((l) => l.length > 0) || ignored.length > 0)
    facts.dotnet = buildSettings('dotnet', dotnetLayers, ignored, facts);
  if (raw.javaProps.length > 0) facts.java = buildSettings('java', raw.javaProps, [], facts);

  linkDataSources(facts);
  findEndpoints(facts);
  // XML plugin job files referenced by the configuration and not discovered: read them too
  for (const s of [facts.dotnet, facts.java]) {
    for (const p of s?.plugins ?? []) {
      for (const jf of p.resolvedFiles) {
        if (jobFilesRead.has(jf)) continue;
        jobFilesRead.add(jf);
        let text: string;
        try {
          // only regular files within the discovery size cap (a configuration may name /dev/zero)
          const st = await stat(jf);
          if (!st.isFile() || st.size > DISCOVERY_DEFAULTS.maxFileSize) continue;
          text = await readFile(jf, 'utf8');
        } catch {
          continue; // a missing plugin file is judged by the checks, not an error here
        }
        readJobXml(text, jf, facts);
      }
    }
  }
  // stat what the configuration points to (the checks stay pure)
  for (const lf of facts.logFiles) {
    // NLog ${basedir} is the application folder; other layout renderers make the name not a literal path
    const path = lf.path.replace(/\$\{basedir\}/gi, dirname(lf.file));
    if (/\$\{|%[A-Za-z_]+%|\{[A-Za-z]+\}/.test(path)) continue;
    lf.resolved = isAbsolute(path) ? path : resolve(dirname(lf.file), path);
  }
  const targets = [
    ...facts.logFiles.flatMap((l) => (l.resolved ? [l.resolved] : [])),
    ...[facts.dotnet, facts.java].flatMap((s) => s?.plugins.flatMap((p) => p.resolvedFiles) ?? []),
  ];
  for (const t of targets.slice(0, 1000)) {
    if (facts.stats[t]) continue;
    facts.stats[t] = await statFile(t);
  }
  return facts;
}

async function statFile(path: string): Promise<FileStat> {
  const out: FileStat = { exists: false };
  try {
    const st = await stat(path);
    out.exists = st.isFile();
    if (process.platform !== 'win32') {
      out.mode = st.mode & 0o7777;
      out.uid = st.uid;
      out.gid = st.gid;
    }
  } catch {
    // missing
  }
  try {
    const d = await stat(dirname(path));
    if (process.platform !== 'win32') out.dirMode = d.mode & 0o7777;
  } catch {
    // missing folder
  }
  return out;
}

/** Merge flattened layers (later wins), keys compared case-insensitively. */
function mergeFlat(layers: ConfigValue[][]): ConfigValue[] {
  const m = new Map<string, ConfigValue>();
  for (const l of layers) for (const v of l) m.set(v.key.toLowerCase(), v);
  return [...m.values()];
}

function readJar(f: ConfigFile, facts: ConfigFacts): void {
  const m = /quartz(-all|-core|-jobs)?-(\d+(?:\.\d+)+[\w.-]*?)\.jar$/i.exec(basename(f.path));
  if (m)
    facts.packages.push({
      name: m[1]?.toLowerCase() === '-jobs' ? 'org.quartz-scheduler:quartz-jobs' : 'org.quartz-scheduler:quartz',
      version: m[2] as string,
      source: 'jar',
      file: f.path,
    });
}

// ---------------------------------------------------------------------------------------------
// App.config / Web.config

function readAppConfig(text: string, file: string, facts: ConfigFacts, raw: Raw): void {
  const root = parseXml(text, file);
  if (root.name.toLowerCase() !== 'configuration')
    throw new ConfigParseError(file, root.line, 'expected a <configuration> root');
  for (const section of root.children) {
    const provider = attr(section, 'configProtectionProvider');
    if (provider !== undefined) {
      const e = { section: section.name, provider, file } as ConfigFacts['encryptedSections'][number];
      if (section.line !== undefined) e.line = section.line;
      facts.encryptedSections.push(e);
    }
  }
  const quartz = kid(root, 'quartz');
  if (quartz) {
    const layer: ConfigValue[] = [];
    for (const add of kids(quartz, 'add')) {
      const key = attr(add, 'key');
      if (key === undefined) continue;
      layer.push({ key, value: attr(add, 'value') ?? '', file, ...(add.line !== undefined ? { line: add.line } : {}) });
    }
    raw.appConfigQuartz.push(layer);
  }
  const cs = kid(root, 'connectionStrings');
  if (cs) {
    const provider = attr(cs, 'configProtectionProvider');
    if (provider !== undefined) {
      const fact = {
        name: '(encrypted connectionStrings)',
        file,
        format: 'encrypted',
        password: 'encrypted',
        insecureTransport: [],
        protectedBy: provider,
      } as ConnectionFact;
      if (cs.line !== undefined) fact.line = cs.line;
      facts.connections.push(fact);
    } else {
      for (const add of kids(cs, 'add')) {
        const name = attr(add, 'name') ?? '(unnamed)';
        const value = attr(add, 'connectionString');
        if (value === undefined) continue;
        facts.connections.push(connection(value, name, file, add.line, attr(add, 'providerName')));
      }
    }
  }
  const nlog = kid(root, 'nlog');
  if (nlog) readNLog(nlog, file, facts);
  const log4net = kid(root, 'log4net');
  if (log4net) readLog4net(log4net, file, facts);
}

function connection(
  value: string,
  name: string,
  file: string,
  line: number | undefined,
  provider?: string,
): ConnectionFact {
  try {
    return parseConnection(value, name, line !== undefined ? { file, line } : { file }, provider);
  } catch {
    // never echo the connection string: it may hold the password
    throw new ConfigParseError(
      file,
      line,
      `connection string "${name}" is malformed (unbalanced quotes or a part without "=")`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// appsettings.json (flattened, merged)

function readAppsettings(flat: ConfigValue[], facts: ConfigFacts, raw: Raw): void {
  const quartz: ConfigValue[] = [];
  for (const v of flat) {
    const lk = v.key.toLowerCase();
    const parts = v.key.split(':');
    const head = (parts[0] ?? '').toLowerCase();
    if (head === 'quartz' && parts.length > 1) {
      let key = parts.slice(1).join('.');
      if (!/^quartz\./i.test(key)) key = `quartz.${key}`;
      quartz.push({ ...v, key });
    } else if (head === 'connectionstrings' && parts.length === 2) {
      facts.connections.push(connection(v.value, parts[1] as string, v.file, v.line));
    } else if (head === 'serilog') {
      const m = /^serilog:minimumlevel(?::(default|override:(.+)))?$/i.exec(v.key);
      if (m) facts.loggers.push(logger('serilog', m[2] ?? '(default)', v.value, v));
      if (/^serilog:writeto:(?:[^:]+:)+args:(path|pathformat)$/i.test(v.key))
        facts.logFiles.push({ framework: 'serilog', path: v.value, file: v.file, ...lineOf(v) });
    } else if (head === 'logging') {
      const m = /^logging:(?:[^:]+:)?loglevel:(.+)$/i.exec(v.key);
      if (m) facts.loggers.push(logger('microsoft', m[1] as string, v.value, v));
    } else if (lk === 'urls' || /^kestrel:endpoints:[^:]+:url$/.test(lk)) {
      for (const u of v.value.split(';')) if (u.trim()) facts.listenUrls.push({ ...v, value: u.trim() });
    }
    // dashboard settings: keep only boolean-looking switches about authentication/HTTPS
    if (/silkier|crystal|quartzmin|dashboard|httpapi/i.test(head) || /quartz:(dashboard|httpapi)/i.test(lk)) {
      if (/^(true|false)$/i.test(v.value.trim())) facts.appSettings.push(v);
    }
  }
  raw.appsettingsQuartz = [quartz];
}

// ---------------------------------------------------------------------------------------------
// Logging files

function readNLog(root: XmlElement, file: string, facts: ConfigFacts): void {
  for (const el of walkXml(root)) {
    const n = el.name.toLowerCase();
    if (n === 'target' || n === 'wrapper-target') {
      const fn = attr(el, 'fileName');
      if (fn) facts.logFiles.push({ framework: 'nlog', path: fn, file, ...lineOf(el) });
    } else if (n === 'logger') {
      const name = attr(el, 'name') ?? '*';
      const lv = attr(el, 'minlevel') ?? attr(el, 'level') ?? attr(el, 'levels')?.split(',')[0];
      if (lv) facts.loggers.push(logger('nlog', name, lv, { file, ...lineOf(el) }));
    }
  }
}

function readLog4net(root: XmlElement, file: string, facts: ConfigFacts): void {
  for (const app of kids(root, 'appender')) {
    const f = kid(app, 'file');
    const path = attr(f, 'value');
    if (path) facts.logFiles.push({ framework: 'log4net', path, file, ...lineOf(f ?? app) });
  }
  const r = kid(root, 'root');
  const rl = attr(kid(r, 'level'), 'value');
  if (rl) facts.loggers.push(logger('log4net', '(root)', rl, { file, ...lineOf(kid(r, 'level') ?? {}) }));
  for (const l of [...kids(root, 'logger'), ...kids(root, 'category')]) {
    const lv = attr(kid(l, 'level'), 'value') ?? attr(kid(l, 'priority'), 'value');
    if (lv) facts.loggers.push(logger('log4net', attr(l, 'name') ?? '(unnamed)', lv, { file, ...lineOf(l) }));
  }
}

// ---------------------------------------------------------------------------------------------
// deps.json / runtimeconfig.json

function readDeps(text: string, file: string, facts: ConfigFacts): void {
  const { root, line } = parseJsonTree(text, file);
  const libs = root.children?.find((p) => p.children?.[0]?.value === 'libraries')?.children?.[1];
  for (const prop of libs?.children ?? []) {
    const k = prop.children?.[0];
    if (!k || typeof k.value !== 'string') continue;
    const i = k.value.lastIndexOf('/');
    if (i <= 0) continue;
    const entry = prop.children?.[1];
    const typeProp = entry?.children?.find((p) => p.children?.[0]?.value === 'type');
    if (typeProp?.children?.[1]?.value === 'project') continue;
    facts.packages.push({
      name: k.value.slice(0, i),
      version: k.value.slice(i + 1),
      source: 'deps-json',
      file,
      line: line(k.offset),
    });
  }
}

function readRuntimeConfig(text: string, file: string, facts: ConfigFacts): void {
  const { root, line } = parseJsonTree(text, file);
  const flat = flattenJson(root, file, line);
  const byPrefix = new Map<string, { name?: string; version?: string; line?: number }>();
  for (const v of flat) {
    const m = /^runtimeOptions:(framework|frameworks:\d+|includedFrameworks:\d+):(name|version)$/i.exec(v.key);
    if (!m) continue;
    const e = byPrefix.get(m[1] as string) ?? {};
    if ((m[2] as string).toLowerCase() === 'name') e.name = v.value;
    else e.version = v.value;
    e.line ??= v.line;
    byPrefix.set(m[1] as string, e);
  }
  for (const e of byPrefix.values()) {
    if (!e.name || !e.version) continue;
    const p: PackageFact = { name: e.name, version: e.version, source: 'runtimeconfig', framework: true, file };
    if (e.line !== undefined) p.line = e.line;
    facts.packages.push(p);
  }
}

// ---------------------------------------------------------------------------------------------
// Job definition files (Quartz.NET quartz_jobs.xml and Java jobs.xml share the job-scheduling-data schema)

const MAX_ENTRIES_PER_FILE = 100_000;

function readJobXml(text: string, file: string, facts: ConfigFacts): void {
  const root = parseXml(text, file);
  if (root.name.toLowerCase() !== 'job-scheduling-data')
    throw new ConfigParseError(file, root.line, 'expected a <job-scheduling-data> root');
  let budget = MAX_ENTRIES_PER_FILE;
  const mapEntries = (map: XmlElement | undefined, prefix: string[]) => {
    const out: JobDefinitionFact['entries'] = [];
    for (const e of kids(map, 'entry')) {
      if (budget-- <= 0) break;
      const key = childText(e, 'key') ?? '';
      const valueEl = kid(e, 'value');
      out.push({ path: [...prefix, key], value: valueEl?.text ?? '', file, ...lineOf(valueEl ?? e) });
    }
    return out;
  };
  const byName = new Map<string, JobDefinitionFact>();
  for (const schedule of kids(root, 'schedule')) {
    for (const job of kids(schedule, 'job')) {
      const j: JobDefinitionFact = {
        name: childText(job, 'name') ?? '',
        jobType: childText(job, 'job-type') ?? childText(job, 'job-class') ?? '',
        entries: mapEntries(kid(job, 'job-data-map'), []),
        file,
        ...lineOf(job),
      };
      const group = childText(job, 'group');
      if (group !== undefined) j.group = group;
      const durable = childText(job, 'durability') ?? childText(job, 'durable');
      if (durable !== undefined) j.durable = /^true$/i.test(durable);
      facts.jobs.push(j);
      byName.set(`${group ?? ''}\u0000${j.name}`, j);
    }
    for (const trig of kids(schedule, 'trigger')) {
      for (const t of trig.children) {
        const entries = mapEntries(kid(t, 'job-data-map'), [`(trigger ${childText(t, 'name') ?? ''})`]);
        if (entries.length === 0) continue;
        const key = `${childText(t, 'job-group') ?? ''}\u0000${childText(t, 'job-name') ?? ''}`;
        const j = byName.get(key);
        if (j) j.entries.push(...entries);
        else facts.jobs.push({ name: childText(t, 'job-name') ?? '', jobType: '', entries, file, ...lineOf(t) });
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Quartz properties → settings

function buildSettings(
  platform: 'dotnet' | 'java',
  layers: ConfigValue[][],
  ignored: ConfigValue[],
  facts: ConfigFacts,
): QuartzSettings {
  const properties: Record<string, ConfigValue> = Object.create(null);
  const shadowed: ConfigValue[] = [...ignored];
  const sources: string[] = [];
  for (const layer of layers) {
    for (const v of layer) {
      if (!sources.includes(v.file)) sources.push(v.file);
      // Java properties keys are case-sensitive; Quartz.NET's are not. Lower-case both for lookups.
      const k = v.key.toLowerCase();
      const prev = properties[k];
      if (prev) shadowed.push(prev);
      properties[k] = v;
    }
  }
  const p = (k: string) => properties[k.toLowerCase()];
  const ns = platform === 'dotnet' ? 'quartz' : 'org.quartz';
  const storeKey = platform === 'dotnet' ? `${ns}.jobstore.type` : `${ns}.jobstore.class`;
  const store = p(storeKey);
  const js: JobStoreFact = {
    kind: 'unset',
    tablePrefix: p(`${ns}.jobstore.tableprefix`)?.value ?? 'QRTZ_',
    tablePrefixSet: p(`${ns}.jobstore.tableprefix`) !== undefined,
    file: store?.file ?? sources[sources.length - 1] ?? '',
    ...lineOf(store ?? {}),
  };
  if (store) {
    js.type = store.value;
    js.kind = /RAMJobStore/i.test(store.value)
      ? 'ram'
      : /JobStoreTX|JobStoreCMT|AdoJobStore|JobStoreSupport|jdbcjobstore/i.test(store.value)
        ? 'persistent'
        : 'other';
  }
  const delegate = p(
    platform === 'dotnet' ? `${ns}.jobstore.driverdelegatetype` : `${ns}.jobstore.driverdelegateclass`,
  );
  if (delegate) js.delegate = delegate.value;
  const ds = p(`${ns}.jobstore.datasource`);
  if (ds) js.dataSource = ds.value;
  const up = p(`${ns}.jobstore.useproperties`);
  if (up) js.useProperties = /^true$/i.test(up.value.trim());
  const cl = p(`${ns}.jobstore.isclustered`) ?? p(`${ns}.jobstore.clustered`);
  if (cl) js.clustered = /^true$/i.test(cl.value.trim());

  // data sources: quartz.dataSource.NAME.* / org.quartz.dataSource.NAME.*
  const dsProps = new Map<string, Map<string, ConfigValue>>();
  for (const [k, v] of Object.entries(properties)) {
    const m = new RegExp(`^${ns.replace('.', '\\.')}\\.datasource\\.([^.]+)\\.(.+)$`).exec(k);
    if (!m) continue;
    const name = v.key.split('.')[platform === 'dotnet' ? 2 : 3] ?? (m[1] as string);
    const entry = dsProps.get(name) ?? new Map<string, ConfigValue>();
    entry.set(m[2] as string, v);
    dsProps.set(name, entry);
  }
  const dataSources: DataSourceFact[] = [];
  for (const [name, props] of dsProps) {
    const first = [...props.values()][0] as ConfigValue;
    const d: DataSourceFact = { name, file: first.file, ...lineOf(first) };
    const provider = props.get('provider') ?? props.get('driver');
    if (provider) d.provider = provider.value;
    const csName = props.get('connectionstringname');
    if (csName) d.connectionStringName = csName.value;
    const cs = props.get('connectionstring');
    const url = props.get('url');
    const user = props.get('user');
    const password = props.get('password');
    let fact: ConnectionFact | undefined;
    if (cs) fact = connection(cs.value, name, cs.file, cs.line, provider?.value);
    else if (url || password) {
      const loc = url ?? password ?? first;
      try {
        fact = parseJdbcUrl(
          url?.value ?? '',
          name,
          { file: loc.file, ...lineOf(loc) },
          {
            ...(user ? { user: user.value } : {}),
            ...(password ? { password: password.value } : {}),
            ...(provider ? { driver: provider.value } : {}),
          },
        );
      } catch (e) {
        throw new ConfigParseError(loc.file, loc.line, `data source "${name}" URL is malformed (${(e as Error).name})`);
      }
      if (password && !url && password.line !== undefined) fact.line = password.line;
    }
    if (fact) {
      facts.connections.push(fact);
      d.connection = name;
    }
    dataSources.push(d);
  }

  // remote management
  const exporters: ExporterFact[] = [];
  if (platform === 'dotnet') {
    const t = p('quartz.scheduler.exporter.type');
    if (t) {
      const e: ExporterFact = { kind: 'dotnet-remoting', type: t.value, file: t.file, ...lineOf(t) };
      const port = p('quartz.scheduler.exporter.port');
      if (port) e.port = port.value;
      const bind = p('quartz.scheduler.exporter.bindname');
      if (bind) e.bindName = bind.value;
      const ch = p('quartz.scheduler.exporter.channeltype');
      if (ch) e.channelType = ch.value;
      const rej = p('quartz.scheduler.exporter.rejectremoterequests');
      if (rej) e.rejectRemoteRequests = /^true$/i.test(rej.value.trim());
      exporters.push(e);
    }
    const proxy = p('quartz.scheduler.proxy');
    if (proxy && /^true$/i.test(proxy.value.trim())) {
      const e: ExporterFact = { kind: 'dotnet-proxy', file: proxy.file, ...lineOf(proxy) };
      const addr = p('quartz.scheduler.proxy.address');
      if (addr) e.host = addr.value;
      exporters.push(e);
    }
  } else {
    const exp = p('org.quartz.scheduler.rmi.export');
    if (exp && /^true$/i.test(exp.value.trim())) {
      const e: ExporterFact = { kind: 'java-rmi', file: exp.file, ...lineOf(exp) };
      e.port = p('org.quartz.scheduler.rmi.registryport')?.value ?? '1099';
      const host = p('org.quartz.scheduler.rmi.registryhost');
      if (host) e.host = host.value;
      const bind = p('org.quartz.scheduler.rmi.bindname');
      if (bind) e.bindName = bind.value;
      const sp = p('org.quartz.scheduler.rmi.serverport');
      if (sp) e.channelType = `server port ${sp.value}`;
      exporters.push(e);
    }
    const proxy = p('org.quartz.scheduler.rmi.proxy');
    if (proxy && /^true$/i.test(proxy.value.trim())) {
      const e: ExporterFact = { kind: 'java-rmi-proxy', file: proxy.file, ...lineOf(proxy) };
      const host = p('org.quartz.scheduler.rmi.registryhost');
      if (host) e.host = host.value;
      e.port = p('org.quartz.scheduler.rmi.registryport')?.value ?? '1099';
      exporters.push(e);
    }
    const jmx = p('org.quartz.scheduler.jmx.export');
    if (jmx && /^true$/i.test(jmx.value.trim())) {
      const e: ExporterFact = { kind: 'jmx', file: jmx.file, ...lineOf(jmx) };
      const on = p('org.quartz.scheduler.jmx.objectname');
      if (on) e.bindName = on.value;
      exporters.push(e);
    }
  }

  // plugins
  const plugins: PluginFact[] = [];
  const typeSuffix = platform === 'dotnet' ? 'type' : 'class';
  for (const [k, v] of Object.entries(properties)) {
    const m = new RegExp(`^${ns.replace('.', '\\.')}\\.plugin\\.([^.]+)\\.${typeSuffix}$`).exec(k);
    if (!m) continue;
    const base = k.slice(0, -typeSuffix.length);
    const name = v.key.split('.').slice(-2)[0] ?? (m[1] as string);
    const fileNames = (p(`${base}filenames`)?.value ?? p(`${base}filename`)?.value ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const dir = dirname(v.file);
    const plugin: PluginFact = {
      name,
      type: v.value,
      fileNames,
      resolvedFiles: fileNames.map((f) => {
        const clean = f.replace(/^~[\\/]/, '').replace(/^file:(\/\/)?/i, '');
        return isAbsolute(clean) ? clean : resolve(dir, clean);
      }),
      xmlLoader: /XMLSchedulingDataProcessorPlugin|JobInitializationPlugin/i.test(v.value),
      file: v.file,
      ...lineOf(v),
    };
    const si = p(`${base}scaninterval`);
    if (si && /^\d+$/.test(si.value.trim())) plugin.scanInterval = Number(si.value.trim());
    plugins.push(plugin);
  }

  // facts keep no secret: data source passwords, connection strings and URLs are registered and masked
  for (const v of [...Object.values(properties), ...shadowed]) scrub(v);

  const s: QuartzSettings = { platform, properties, shadowed, sources, jobStore: js, dataSources, exporters, plugins };
  if (platform === 'dotnet') {
    const ser = p('quartz.serializer.type');
    if (ser) s.serializer = ser;
  }
  return s;
}

/** Register and mask the secret part of a data source property (password, connection string, URL). */
function scrub(v: ConfigValue): void {
  if (/\.password$/i.test(v.key)) {
    if (v.value && passwordReference(v.value) === undefined) {
      registerSecret(v.value);
      v.value = REDACTED;
    }
  } else if (/\.(connectionstring|url)$/i.test(v.key) && v.value) {
    try {
      parseConnection(v.value, v.key, v);
    } catch {
      // malformed: masked below by the known patterns only
    }
    v.value = redact(v.value);
  }
}

/** Data sources naming a connection string (connectionStringName) lend it their provider. */
function linkDataSources(facts: ConfigFacts): void {
  // A connection string read before its provider was known is read again with it (SQLite's Data Source is a
  // file, not a host).
  const withProvider = (c: ConnectionFact, provider: string): void => {
    const i = facts.connections.indexOf(c);
    if (c.format === 'ado' && c.raw !== undefined && i >= 0) {
      facts.connections[i] = parseConnection(c.raw, c.name, { file: c.file, ...lineOf(c) }, provider);
    } else {
      c.provider = provider;
      c.dialect ??= dialectFromProvider(provider);
    }
  };
  for (const s of [facts.dotnet, facts.java]) {
    for (const d of s?.dataSources ?? []) {
      if (!d.connectionStringName) continue;
      const c = facts.connections.find((x) => x.name.toLowerCase() === d.connectionStringName?.toLowerCase());
      if (!c) continue;
      d.connection = c.name;
      if (!c.provider && d.provider) withProvider(c, d.provider);
    }
  }
  // still unknown: a delegate names the engine (SQLiteDelegate, PostgreSQLDelegate…)
  for (const s of [facts.dotnet, facts.java]) {
    if (!s?.jobStore.delegate || !s.jobStore.dataSource) continue;
    const d = s.dataSources.find((x) => x.name.toLowerCase() === s.jobStore.dataSource?.toLowerCase());
    const c = d?.connection ? facts.connections.find((x) => x.name === d.connection) : undefined;
    if (c && !c.provider && dialectFromProvider(s.jobStore.delegate.replace(/StdAdoDelegate|StdJDBCDelegate/i, '')))
      withProvider(c, s.jobStore.delegate.split(',')[0]?.split('.').pop() ?? s.jobStore.delegate);
  }
}

function dialectFromProvider(p: string): ConnectionFact['dialect'] | undefined {
  const n = p.toLowerCase();
  if (n.includes('sqlite')) return 'sqlite';
  if (/npgsql|postgres/.test(n)) return 'postgres';
  if (/mysql|mariadb/.test(n)) return 'mysql';
  if (/sqlserver|sqlclient|mssql/.test(n)) return 'sqlserver';
  if (/oracle/.test(n)) return 'oracle';
  return undefined;
}

function findEndpoints(facts: ConfigFacts): void {
  const seen = new Set<string>();
  const http = facts.listenUrls.filter((u) => /^http:\/\//i.test(u.value)).map((u) => u.value);
  for (const pkg of facts.packages) {
    const lower = pkg.name.toLowerCase();
    const known =
      ENDPOINT_PACKAGES.find((e) => lower === e.prefix || lower.startsWith(`${e.prefix}.`)) ??
      (ENDPOINT_LIKE.test(pkg.name) ? { prefix: lower, name: pkg.name } : undefined);
    if (!known || seen.has(known.name)) continue;
    seen.add(known.name);
    const settings = facts.appSettings.filter((v) => /auth/i.test(v.key));
    const e: EndpointFact = {
      name: known.name,
      package: pkg.name,
      version: pkg.version,
      authentication:
        settings.length === 0
          ? 'unknown'
          : settings.some((v) => /^false$/i.test(v.value.trim()))
            ? 'disabled'
            : 'enabled',
      httpUrls: http,
      file: pkg.file,
      ...lineOf(pkg),
    };
    facts.endpoints.push(e);
  }
  // dashboard settings without a package in deps.json (framework apps, trimmed publish): still an endpoint
  const sections = new Map<string, ConfigValue[]>();
  for (const v of facts.appSettings) {
    const head = v.key.split(':')[0] ?? '';
    const list = sections.get(head.toLowerCase()) ?? [];
    list.push(v);
    sections.set(head.toLowerCase(), list);
  }
  for (const [head, values] of sections) {
    if (
      head === 'quartz' ||
      [...seen].some((n) =>
        n
          .toLowerCase()
          .replace(/[^a-z]/g, '')
          .startsWith(head),
      )
    )
      continue;
    const auth = values.filter((v) => /auth/i.test(v.key));
    const first = values[0] as ConfigValue;
    facts.endpoints.push({
      name: first.key.split(':')[0] ?? head,
      authentication:
        auth.length === 0 ? 'unknown' : auth.some((v) => /^false$/i.test(v.value.trim())) ? 'disabled' : 'enabled',
      httpUrls: http,
      file: first.file,
      ...lineOf(first),
    });
  }
}
