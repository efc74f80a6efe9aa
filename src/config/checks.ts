/**
 * The `config` family (issue #15 part 1): one metadata record and one pure evaluator per id, over
 * ConfigFacts. No I/O here (readConfig stats what the checks need). Secrets: every plaintext value found
 * is registered with registerSecret() and never placed in a message or evidence; evidence carries its
 * length and keyed fingerprint only.
 */
import { INVOKER_JOBS, NATIVE_JOBS } from '../checks/content/j01.js';
import { commandSignals, isCommandKey } from '../checks/content/j02.js';
import { isPathKey, pathSignals } from '../checks/content/j03.js';
import { jobClassBase, safeText } from '../checks/job-util.js';
import { compareVersions, eolTable } from '../checks/updates/eol.js';
import type { FindingDraft, FindingObject, Severity } from '../model.js';
import { loadData } from '../queries.js';
import { detectSecrets } from '../secrets/detect.js';
import { registerSecret } from '../secrets/redact.js';
import type { ConfigFacts, ConfigFile, JobDefinitionFact, Location, PackageFact, QuartzSettings } from './model.js';

export interface ConfigCheckMeta {
  /** QA-C01…QA-C12. */
  id: string;
  title: string;
  family: 'config';
  severity: Severity;
  mitigation: string;
  remediation: string;
}

export interface ConfigCheckOptions {
  /** "Today" for end-of-life comparisons (default: now). */
  asOf?: Date;
  /** uid of the account the application runs as; files owned by another non-root uid fail QA-C07. */
  serviceUid?: number;
}

/** A finding draft with the id of the check that made it (the catalogue fills title/family/mitigation). */
export interface ConfigFindingDraft extends FindingDraft {
  check: string;
  severity: Severity;
}

export interface ConfigCheck {
  meta: ConfigCheckMeta;
  evaluate(facts: ConfigFacts, options: ConfigCheckOptions): FindingDraft[];
}

// ---------------------------------------------------------------------------------------------
// helpers

function where(loc: Location): string {
  return `${safeText(loc.file, 300)}${loc.line !== undefined ? `:${loc.line}` : ''}`;
}

/** The file (and line, and what in it) a finding is about: an object of kind 'file' in every report. */
function fileObject(loc: Location, what?: string): FindingObject {
  return { kind: 'file', name: what ? `${where(loc)} ${safeText(what, 160)}` : where(loc) };
}

function locEvidence(loc: Location): Record<string, string | number | null> {
  return { file: safeText(loc.file, 300), line: loc.line ?? null };
}

function settingsOf(facts: ConfigFacts): QuartzSettings[] {
  return [facts.dotnet, facts.java].filter((s): s is QuartzSettings => s !== undefined);
}

function pkg(facts: ConfigFacts, name: string): PackageFact | undefined {
  const n = name.toLowerCase();
  return facts.packages.find((p) => p.name.toLowerCase() === n);
}

function modeText(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}

function pass(message: string, object: FindingObject): FindingDraft {
  return { status: 'pass', message, object };
}

// ---------------------------------------------------------------------------------------------
// QA-C01 binary serializer

const c01: ConfigCheck = {
  meta: {
    id: 'QA-C01',
    title: 'Quartz.NET persists JobDataMaps with the binary (BinaryFormatter) serializer',
    family: 'config',
    severity: 'high',
    mitigation: 'Secure serialization',
    remediation:
      'Set quartz.serializer.type = json (Quartz.NET 3.x: Quartz.Serialization.Json / SystemTextJson) and quartz.jobStore.useProperties = true; migrate existing binary JOB_DATA rows; upgrade from 1.x/2.x, where BinaryFormatter is the only serializer.',
  },
  evaluate(facts) {
    const s = facts.dotnet;
    if (!s) return [];
    const ser = s.serializer;
    const version = pkg(facts, 'Quartz')?.version;
    if (ser && /^binary$|BinaryObjectSerializer/i.test(ser.value.trim())) {
      return [
        {
          status: 'fail',
          message: `${where(ser)}: quartz.serializer.type = ${safeText(ser.value, 120)}: every JobDataMap is stored with BinaryFormatter, so whoever can write QRTZ_ tables can run code in the scheduler`,
          object: fileObject(ser, 'quartz.serializer.type'),
          evidence: { ...locEvidence(ser), serializer: safeText(ser.value, 120), quartzVersion: version ?? null },
        },
      ];
    }
    if (ser)
      return [pass(`quartz.serializer.type = ${safeText(ser.value, 120)}`, fileObject(ser, 'quartz.serializer.type'))];
    if (s.jobStore.kind !== 'persistent') return [];
    const before = loadData<{ quartznetBinaryDefault: { before: string } }>('config-versions.json')
      .quartznetBinaryDefault.before;
    const loc = s.jobStore;
    if (version && compareVersions(version, before) < 0) {
      return [
        {
          status: 'fail',
          message: `${where(loc)}: persistent job store with Quartz.NET ${safeText(version, 40)}, where BinaryFormatter is the only serializer`,
          object: fileObject(loc, 'quartz.serializer.type'),
          evidence: { ...locEvidence(loc), serializer: null, quartzVersion: safeText(version, 40) },
        },
      ];
    }
    return [
      {
        status: 'manual',
        message: `${where(loc)}: persistent job store without quartz.serializer.type${version ? ` (Quartz.NET ${safeText(version, 40)} requires it: it is set in code)` : ' and no Quartz.NET version known (before 3.0 binary is the only serializer)'}; check which serializer the code configures`,
        object: fileObject(loc, 'quartz.serializer.type'),
        evidence: { ...locEvidence(loc), serializer: null, quartzVersion: version ? safeText(version, 40) : null },
      },
    ];
  },
};

// ---------------------------------------------------------------------------------------------
// QA-C02 Java useProperties=false with a JDBC store

const c02: ConfigCheck = {
  meta: {
    id: 'QA-C02',
    title: 'Java Quartz JDBC store serializes JobDataMap objects (useProperties is false)',
    family: 'config',
    severity: 'medium',
    mitigation: 'Secure serialization',
    remediation:
      'Set org.quartz.jobStore.useProperties = true so JobDataMaps hold strings only and no Java object serialization is involved; convert existing jobs whose data holds non-string values.',
  },
  evaluate(facts) {
    const s = facts.java;
    if (s?.jobStore.kind !== 'persistent') return [];
    const up = s.properties['org.quartz.jobstore.useproperties'];
    if (s.jobStore.useProperties === true && up) return [pass('useProperties = true', fileObject(up, up.key))];
    const loc = up ?? s.jobStore;
    return [
      {
        status: 'fail',
        message: `${where(loc)}: ${up ? `org.quartz.jobStore.useProperties = ${safeText(up.value, 40)}` : 'org.quartz.jobStore.useProperties is not set (default false)'} with ${safeText(s.jobStore.type ?? 'a JDBC job store', 120)}: JobDataMaps are stored as serialized Java objects`,
        object: fileObject(loc, 'org.quartz.jobStore.useProperties'),
        evidence: { ...locEvidence(loc), useProperties: up ? safeText(up.value, 40) : null },
      },
    ];
  },
};

// ---------------------------------------------------------------------------------------------
// QA-C03 remote management

const c03: ConfigCheck = {
  meta: {
    id: 'QA-C03',
    title: 'Scheduler exported for remote management (.NET Remoting, Java RMI, JMX)',
    family: 'config',
    severity: 'high',
    mitigation: 'Restrict remote access',
    remediation:
      'Remove quartz.scheduler.exporter.* (Quartz.NET) or set org.quartz.scheduler.rmi.export = false and org.quartz.scheduler.jmx.export = false (Java); if remote control is required, bind to localhost (rejectRemoteRequests = true), firewall the port and put an authenticated API in front.',
  },
  evaluate(facts) {
    const out: FindingDraft[] = [];
    for (const s of settingsOf(facts)) {
      for (const e of s.exporters) {
        const port = e.port ? safeText(e.port, 20) : null;
        const ev = {
          ...locEvidence(e),
          kind: e.kind,
          type: e.type ? safeText(e.type, 160) : null,
          port,
          host: e.host ? safeText(e.host, 160) : null,
          bindName: e.bindName ? safeText(e.bindName, 120) : null,
          channelType: e.channelType ? safeText(e.channelType, 60) : null,
          rejectRemoteRequests: e.rejectRemoteRequests ?? null,
        };
        if (e.kind === 'dotnet-proxy' || e.kind === 'java-rmi-proxy') {
          out.push({
            status: 'info',
            severity: 'info',
            message: `${where(e)}: this application controls a remote scheduler${e.host ? ` at ${safeText(e.host, 160)}` : ''}${e.kind === 'java-rmi-proxy' && port ? ` (RMI registry port ${port})` : ''}: that scheduler exports remote management`,
            object: fileObject(e, e.kind),
            evidence: ev,
          });
          continue;
        }
        const what =
          e.kind === 'dotnet-remoting'
            ? `Quartz.NET remoting exporter (${safeText(e.channelType ?? 'tcp', 40)} channel${port ? `, port ${port}` : ''}${e.bindName ? `, bound as "${safeText(e.bindName, 80)}"` : ''})`
            : e.kind === 'java-rmi'
              ? `Java RMI export (registry ${e.host ? `${safeText(e.host, 120)}:` : 'port '}${port ?? '1099'}${e.bindName ? `, bound as "${safeText(e.bindName, 80)}"` : ''})`
              : `JMX export of the scheduler MBean${e.bindName ? ` (${safeText(e.bindName, 120)})` : ''}`;
        const localOnly = e.rejectRemoteRequests === true;
        out.push({
          status: 'fail',
          severity: localOnly || e.kind === 'jmx' ? 'medium' : 'high',
          message: `${where(e)}: ${what} lets clients schedule, pause and delete jobs${localOnly ? ' (rejectRemoteRequests = true: local callers only)' : ' from the network'}${e.kind === 'jmx' ? '' : `; ${e.kind === 'java-rmi' ? 'RMI' : '.NET Remoting'} deserializes what it receives`}`,
          object: fileObject(e, e.kind),
          evidence: ev,
          discriminator: e.kind,
        });
      }
    }
    if (out.length === 0 && settingsOf(facts).length > 0)
      out.push(pass('no remoting, RMI or JMX export configured', { kind: 'setting', name: 'scheduler exporters' }));
    return out;
  },
};

// ---------------------------------------------------------------------------------------------
// QA-C04 exposed endpoints

const c04: ConfigCheck = {
  meta: {
    id: 'QA-C04',
    title: 'Scheduler dashboard or HTTP API deployed',
    family: 'config',
    severity: 'medium',
    mitigation: 'Minimize exposed scheduler endpoints',
    remediation:
      'Remove dashboards and HTTP APIs from production builds, or require authentication (an authorization policy on the endpoint) and HTTPS, and restrict the route to an administrative network.',
  },
  evaluate(facts) {
    const out: FindingDraft[] = [];
    for (const e of facts.endpoints) {
      const ev = {
        ...locEvidence(e),
        package: e.package ? safeText(e.package, 120) : null,
        version: e.version ? safeText(e.version, 40) : null,
        authentication: e.authentication,
        httpUrls: e.httpUrls.length > 0 ? safeText(e.httpUrls.join(' '), 300) : null,
      };
      const problems: string[] = [];
      if (e.authentication === 'disabled') problems.push('authentication is switched off in configuration');
      if (e.httpUrls.length > 0)
        problems.push(`the application listens on plain HTTP (${safeText(e.httpUrls.join(', '), 200)})`);
      if (problems.length > 0) {
        out.push({
          status: 'fail',
          message: `${where(e)}: ${e.name} (${safeText(e.package ?? '', 120)} ${safeText(e.version ?? '', 40)}) is deployed and ${problems.join('; ')}`,
          object: fileObject(e, e.name),
          evidence: ev,
          discriminator: e.name,
        });
      } else {
        out.push({
          status: 'manual',
          message: `${where(e)}: ${e.name} (${safeText(e.package ?? '', 120)} ${safeText(e.version ?? '', 40)}) is deployed; configuration does not show whether its route requires authentication${e.authentication === 'enabled' ? ' (an authentication switch is on)' : ''} and HTTPS: check the endpoint mapping`,
          object: fileObject(e, e.name),
          evidence: ev,
          discriminator: e.name,
        });
      }
    }
    return out;
  },
};

// ---------------------------------------------------------------------------------------------
// QA-C05 plaintext passwords

const c05: ConfigCheck = {
  meta: {
    id: 'QA-C05',
    title: 'Plaintext password in a connection string or data source property',
    family: 'config',
    severity: 'high',
    mitigation: 'Secure configuration files',
    remediation:
      'Move the password out of the file: environment variables, .NET user secrets / Azure Key Vault (@Microsoft.KeyVault(...)), an encrypted <connectionStrings> section (aspnet_regiis -pe), Integrated Security, or a JNDI data source; rotate the password, it has been stored in plaintext.',
  },
  evaluate(facts) {
    const out: FindingDraft[] = [];
    for (const c of facts.connections) {
      if (c.password !== 'plaintext') continue;
      if (c.secretValue) registerSecret(c.secretValue);
      out.push({
        status: 'fail',
        message: `${where(c)}: connection "${safeText(c.name, 120)}"${c.user ? ` (user ${safeText(c.user, 80)})` : ''} holds its password in plaintext`,
        object: fileObject(c, `connection ${c.name}`),
        evidence: {
          ...locEvidence(c),
          connection: safeText(c.name, 120),
          user: c.user ? safeText(c.user, 80) : null,
          provider: c.provider ? safeText(c.provider, 120) : null,
          passwordLength: c.secretValue?.length ?? null,
        },
        discriminator: c.name,
      });
    }
    if (out.length === 0 && facts.connections.length > 0)
      out.push(
        pass(
          `${facts.connections.length} connection(s): no plaintext password (${[...new Set(facts.connections.map((c) => c.password))].join(', ')})`,
          { kind: 'setting', name: 'connection strings' },
        ),
      );
    return out;
  },
};

// ---------------------------------------------------------------------------------------------
// QA-C06 transport security

const c06: ConfigCheck = {
  meta: {
    id: 'QA-C06',
    title: 'Connection string disables transport security',
    family: 'config',
    severity: 'medium',
    mitigation: 'Secure configuration files',
    remediation:
      'Require encryption and verify the server certificate: SqlClient Encrypt=True (or Strict) with TrustServerCertificate=False; Npgsql SSL Mode=VerifyFull; MySqlConnector SslMode=VerifyFull; JDBC sslmode=verify-full / sslMode=VERIFY_IDENTITY / encrypt=true;trustServerCertificate=false.',
  },
  evaluate(facts) {
    const out: FindingDraft[] = [];
    for (const c of facts.connections) {
      if (c.insecureTransport.length === 0) continue;
      out.push({
        status: 'fail',
        message: `${where(c)}: connection "${safeText(c.name, 120)}" sets ${safeText(c.insecureTransport.join(', '), 200)}: credentials and job data cross the network unprotected or to an unverified server`,
        object: fileObject(c, `connection ${c.name}`),
        evidence: {
          ...locEvidence(c),
          connection: safeText(c.name, 120),
          settings: safeText(c.insecureTransport.join('; '), 200),
        },
        discriminator: c.name,
      });
    }
    const networked = facts.connections.filter((c) => c.dialect !== 'sqlite' && c.format !== 'encrypted');
    if (out.length === 0 && networked.length > 0)
      out.push(
        pass('no connection string turns transport security off', { kind: 'setting', name: 'connection strings' }),
      );
    return out;
  },
};

// ---------------------------------------------------------------------------------------------
// QA-C07 file permissions and owners

const c07: ConfigCheck = {
  meta: {
    id: 'QA-C07',
    title: 'Configuration, job-definition or log file open to other users',
    family: 'config',
    severity: 'medium',
    mitigation: 'Secure configuration files',
    remediation:
      'chmod 600 the configuration, job and log files (the log shipper reads through an ACL, not group/other bits), chown them to the service account (or root), and keep their folder unwritable by others; on Windows restrict the ACL to the service account and administrators.',
  },
  evaluate(facts, options) {
    const out: FindingDraft[] = [];
    const withSecrets = new Set(facts.connections.filter((c) => c.password === 'plaintext').map((c) => c.file));
    const check = (path: string, kind: string, mode: number | undefined, uid: number | undefined) => {
      if (mode === undefined) return;
      const problems: string[] = [];
      let severity: Severity = 'medium';
      if (mode & 0o022) {
        problems.push(`writable by ${mode & 0o002 ? 'every user' : 'its group'}`);
        severity = 'high';
      }
      if (mode & 0o044) {
        problems.push(`readable by ${mode & 0o004 ? 'every user' : 'its group'}`);
        if (withSecrets.has(path)) severity = 'high';
      }
      if (options.serviceUid !== undefined && uid !== undefined && uid !== options.serviceUid && uid !== 0) {
        problems.push(`owned by uid ${uid}, not the service account (uid ${options.serviceUid})`);
      }
      if (problems.length === 0) return;
      out.push({
        status: 'fail',
        severity,
        message: `${safeText(path, 300)} (${kind}, mode ${modeText(mode)}) is ${problems.join(', ')}${withSecrets.has(path) ? '; it holds a plaintext password' : ''}`,
        object: { kind: 'file', name: safeText(path, 300) },
        evidence: { file: safeText(path, 300), kind, mode: modeText(mode), uid: uid ?? null },
      });
    };
    let checked = 0;
    for (const f of facts.files as ConfigFile[]) {
      // build and dependency manifests hold no secret and are not read at run time
      if (['jar', 'deps-json', 'runtimeconfig', 'maven', 'gradle', 'gradle-lock'].includes(f.kind)) continue;
      if (f.mode !== undefined) checked++;
      check(f.path, f.kind, f.mode, f.uid);
    }
    const seen = new Set(facts.files.map((f) => f.path));
    for (const s of settingsOf(facts))
      for (const p of s.plugins)
        for (const f of p.resolvedFiles) {
          const st = facts.stats[f];
          if (!st?.exists || seen.has(f)) continue;
          seen.add(f);
          checked++;
          check(f, 'job-xml (plugin file)', st.mode, st.uid);
        }
    for (const l of facts.logFiles) {
      const st = l.resolved ? facts.stats[l.resolved] : undefined;
      if (!st?.exists || !l.resolved) continue;
      checked++;
      check(l.resolved, `${l.framework} log file`, st.mode, st.uid);
    }
    if (out.length === 0 && checked > 0)
      out.push(
        pass(`${checked} file(s): not readable or writable by others`, { kind: 'file', name: 'configuration files' }),
      );
    return out;
  },
};

// ---------------------------------------------------------------------------------------------
// QA-C08 job-definition files: the content checks on job-data-map entries

/** Run the secret detectors and the J checks' signals over one job definition. Pure except registerSecret. */
export function jobDefinitionFindings(job: JobDefinitionFact): FindingDraft[] {
  const out: FindingDraft[] = [];
  const jobName = `${job.group ? `${job.group}.` : ''}${job.name}`;
  const object = fileObject(job, `job ${jobName}`);
  const cls = jobClassBase(job.jobType);
  if (NATIVE_JOBS.has(cls) || INVOKER_JOBS[cls]) {
    const cmd = job.entries.find((e) => e.path[e.path.length - 1]?.toLowerCase() === 'command');
    out.push({
      status: 'fail',
      severity: 'high',
      message: `${where(job)}: job ${safeText(jobName, 160)} is a ${safeText(cls, 120)}: ${NATIVE_JOBS.has(cls) ? `it runs the OS command in its job-data-map${cmd ? `: ${safeText(String(cmd.value), 200)}` : ''}` : INVOKER_JOBS[cls]} (QA-J01)`,
      object,
      evidence: { ...locEvidence(job), contentCheck: 'QA-J01', jobClass: safeText(cls, 160) },
      discriminator: `${jobName}\u0000J01`,
    });
  }
  for (const e of job.entries) {
    if (typeof e.value !== 'string' && typeof e.value !== 'number') continue;
    const value = String(e.value);
    const key = e.path[e.path.length - 1] ?? '';
    const shownKey = safeText(e.path.join(' › '), 160);
    for (const hit of detectSecrets({ path: e.path, value })) {
      registerSecret(hit.secretValue);
      out.push({
        status: 'fail',
        severity: hit.severity,
        message: `${where(e)}: job ${safeText(jobName, 160)} job-data-map entry ${shownKey} holds ${hit.label} (${hit.length} characters${hit.weak ? ', weak' : ''}) in plaintext (${hit.check})`,
        object,
        evidence: {
          ...locEvidence(e),
          contentCheck: hit.check,
          detector: hit.detector,
          key: shownKey,
          length: hit.length,
          fingerprint: hit.fingerprint,
        },
        discriminator: `${jobName}\u0000${e.path.join('.')}\u0000${hit.detector}`,
      });
    }
    if (isCommandKey(key)) {
      const signals = commandSignals(value);
      if (signals.length > 0)
        out.push({
          status: 'fail',
          severity: 'high',
          message: `${where(e)}: job ${safeText(jobName, 160)} entry ${shownKey}: ${signals.map((s) => s.detail).join('; ')}: ${safeText(value)} (QA-J02)`,
          object,
          evidence: {
            ...locEvidence(e),
            contentCheck: 'QA-J02',
            key: shownKey,
            signals: signals.map((s) => s.kind).join(','),
          },
          discriminator: `${jobName}\u0000${e.path.join('.')}\u0000J02`,
        });
    }
    const ps = pathSignals(value, isPathKey(key));
    if (ps.length > 0)
      out.push({
        status: 'fail',
        severity: 'medium',
        message: `${where(e)}: job ${safeText(jobName, 160)} entry ${shownKey}: ${ps.map((s) => s.detail).join('; ')}: ${safeText(value)} (QA-J03)`,
        object,
        evidence: {
          ...locEvidence(e),
          contentCheck: 'QA-J03',
          key: shownKey,
          signals: ps.map((s) => s.kind).join(','),
        },
        discriminator: `${jobName}\u0000${e.path.join('.')}\u0000J03`,
      });
  }
  return out;
}

const c08: ConfigCheck = {
  meta: {
    id: 'QA-C08',
    title: 'Job definition file holds secrets, OS commands or risky paths in a job-data-map',
    family: 'config',
    severity: 'high',
    mitigation: 'Secure configuration files',
    remediation:
      'Keep secrets out of job-data-map entries (resolve them from a secret store when the job runs), replace command jobs with job classes whose command is fixed in code, and keep job files readable only by the service account.',
  },
  evaluate(facts) {
    const out = facts.jobs.flatMap((j) => jobDefinitionFindings(j));
    if (out.length === 0 && facts.jobs.length > 0)
      out.push(
        pass(`${facts.jobs.length} job definition(s): nothing found`, { kind: 'file', name: 'job definitions' }),
      );
    return out;
  },
};

// ---------------------------------------------------------------------------------------------
// QA-C09 XML plugin reading job files others can write

const c09: ConfigCheck = {
  meta: {
    id: 'QA-C09',
    title: 'XML scheduling plugin loads job files other users can write',
    family: 'config',
    severity: 'high',
    mitigation: 'Secure configuration files',
    remediation:
      'Make the job files and their folder writable only by the deployment account (chmod 644 or 600, folder 755), and set scanInterval = 0 so the scheduler reads them at start only.',
  },
  evaluate(facts) {
    const out: FindingDraft[] = [];
    for (const s of settingsOf(facts)) {
      for (const p of s.plugins) {
        if (!p.xmlLoader) continue;
        const reloads = (p.scanInterval ?? 0) > 0;
        for (const f of p.resolvedFiles) {
          const st = facts.stats[f];
          const ev = { ...locEvidence(p), jobFile: safeText(f, 300), scanInterval: p.scanInterval ?? 0 };
          if (!st?.exists) {
            out.push({
              status: 'not-evaluated',
              message: `${where(p)}: plugin ${safeText(p.name, 80)} reads ${safeText(f, 300)}, which was not found here`,
              object: fileObject(p, `plugin ${p.name}`),
              evidence: ev,
              discriminator: f,
            });
            continue;
          }
          const fileW = st.mode !== undefined && (st.mode & 0o022) !== 0;
          const dirW = st.dirMode !== undefined && (st.dirMode & 0o022) !== 0 && (st.dirMode & 0o1000) === 0;
          if (!fileW && !dirW) continue;
          out.push({
            status: 'fail',
            severity: reloads ? 'high' : 'medium',
            message: `${where(p)}: plugin ${safeText(p.name, 80)} ${reloads ? `rescans ${safeText(f, 300)} every ${p.scanInterval} s` : `reads ${safeText(f, 300)} at start`}, and ${fileW ? `the file (mode ${modeText(st.mode as number)})` : `its folder (mode ${modeText(st.dirMode as number)})`} is writable by other users: they can add jobs (a NativeJob runs any command)`,
            object: fileObject(p, `plugin ${p.name}`),
            evidence: {
              ...ev,
              mode: st.mode !== undefined ? modeText(st.mode) : null,
              dirMode: st.dirMode !== undefined ? modeText(st.dirMode) : null,
            },
            discriminator: f,
          });
        }
      }
    }
    return out;
  },
};

// ---------------------------------------------------------------------------------------------
// QA-C10 logging

const QUARTZ_LOGGER = /^(\*|quartz.*|org\.quartz.*|\(root\)|\(default\)|default|root|.*job.*)$/i;

const c10: ConfigCheck = {
  meta: {
    id: 'QA-C10',
    title: 'Logging may record job data (Quartz or job loggers at Debug/Trace, log files readable by others)',
    family: 'config',
    severity: 'medium',
    mitigation: 'Secure logging',
    remediation:
      'Log Quartz and job namespaces at Information or above in production, never log JobDataMap contents, and keep log files readable only by the service account (and the log shipper).',
  },
  evaluate(facts) {
    const out: FindingDraft[] = [];
    for (const l of facts.loggers) {
      if (l.level !== 'trace' && l.level !== 'debug') continue;
      if (!QUARTZ_LOGGER.test(l.logger)) continue;
      out.push({
        status: 'fail',
        message: `${where(l)}: ${l.framework} logger ${safeText(l.logger, 120)} at ${l.level}: Quartz and job code log job keys and data at this level`,
        object: fileObject(l, `logger ${l.logger}`),
        evidence: { ...locEvidence(l), framework: l.framework, logger: safeText(l.logger, 120), level: l.level },
        discriminator: `${l.framework}\u0000${l.logger}`,
      });
    }
    for (const lf of facts.logFiles) {
      const st = lf.resolved ? facts.stats[lf.resolved] : undefined;
      if (!st?.exists || st.mode === undefined || !(st.mode & 0o004)) continue;
      out.push({
        status: 'fail',
        message: `${safeText(lf.resolved ?? lf.path, 300)} (${lf.framework} log file, mode ${modeText(st.mode)}) is readable by every user`,
        object: { kind: 'file', name: safeText(lf.resolved ?? lf.path, 300) },
        evidence: { ...locEvidence(lf), logFile: safeText(lf.resolved ?? lf.path, 300), mode: modeText(st.mode) },
        discriminator: lf.resolved ?? lf.path,
      });
    }
    if (out.length === 0 && (facts.loggers.length > 0 || facts.logFiles.length > 0))
      out.push(
        pass('no Quartz/job logger below Information; no world-readable log file', {
          kind: 'setting',
          name: 'logging',
        }),
      );
    return out;
  },
};

// ---------------------------------------------------------------------------------------------
// QA-C11 versions

interface VersionsTable {
  asOf: string;
  dotnetRuntime: { source: string; frameworks: string[]; lines: { line: string; eol: string }[] };
  advisories: { package: string; id: string; severity: Severity; summary: string; affected: [string, string][] }[];
}

function inRange(v: string, [from, to]: [string, string]): boolean {
  return compareVersions(v, from) >= 0 && compareVersions(v, to) < 0;
}

const c11: ConfigCheck = {
  meta: {
    id: 'QA-C11',
    title: 'Quartz, its serializers or the .NET runtime are out of support or have known advisories',
    family: 'config',
    severity: 'high',
    mitigation: 'Update Quartz and its dependencies',
    remediation:
      'Upgrade to a supported Quartz line (Quartz.NET 3.x/4.x, Java Quartz 2.3.2 or later), Newtonsoft.Json 13.0.1 or later, a patched System.Text.Json, and a supported .NET runtime; rebuild and redeploy.',
  },
  evaluate(facts, options) {
    const out: FindingDraft[] = [];
    const table = loadData<VersionsTable>('config-versions.json');
    const eol = eolTable();
    const today = (options.asOf ?? new Date()).toISOString().slice(0, 10);
    const tableRef = `data/config-versions.json (${table.asOf})`;
    let seen = 0;
    for (const p of facts.packages) {
      const name = p.name.toLowerCase();
      const version = p.version.replace(/[-+].*$/, '');
      const ev = (extra: Record<string, string | number | null>) => ({
        ...locEvidence(p),
        package: safeText(p.name, 120),
        version: safeText(p.version, 40),
        ...extra,
      });
      const obj = fileObject(p, `${p.name} ${p.version}`);
      for (const a of table.advisories) {
        if (a.package.toLowerCase() !== name) continue;
        seen++;
        if (!a.affected.some((r) => inRange(version, r))) continue;
        out.push({
          status: 'fail',
          severity: a.severity,
          message: `${where(p)}: ${safeText(p.name, 120)} ${safeText(p.version, 40)} is affected by ${a.id} (${a.summary})`,
          object: obj,
          evidence: ev({
            advisory: a.id,
            fixedIn: a.affected.find((r) => inRange(version, r))?.[1] ?? null,
            table: tableRef,
          }),
          discriminator: a.id,
        });
      }
      let lineInfo: { product: string; supported: boolean; eol?: string; note?: string } | undefined;
      if (name === 'quartz' || name === 'org.quartz-scheduler:quartz') {
        seen++;
        const product = name === 'quartz' ? eol.quartznet : eol['quartz-java'];
        const parts = version.split('.');
        const line =
          product.lines.find((l) => l.line === `${parts[0]}.${parts[1]}`) ??
          product.lines.find((l) => l.line === parts[0]);
        if (line)
          lineInfo = {
            product: name === 'quartz' ? 'Quartz.NET' : 'Java Quartz',
            supported: line.eol ? line.eol >= today : line.supported !== false,
            ...(line.note ? { note: line.note } : {}),
          };
      } else if (p.framework && table.dotnetRuntime.frameworks.some((f) => f.toLowerCase() === name)) {
        seen++;
        const [maj, min] = version.split('.');
        const line = table.dotnetRuntime.lines.find((l) => l.line === `${maj}.${min ?? 0}`);
        if (line) lineInfo = { product: p.name, supported: line.eol >= today, eol: line.eol };
      }
      if (lineInfo && !lineInfo.supported) {
        out.push({
          status: 'fail',
          severity: 'medium',
          message: `${where(p)}: ${lineInfo.product} ${safeText(p.version, 40)} is out of support${lineInfo.eol ? ` since ${lineInfo.eol}` : ''}${lineInfo.note ? ` (${lineInfo.note})` : ''}: it no longer receives security fixes`,
          object: obj,
          evidence: ev({
            endOfSupport: lineInfo.eol ?? null,
            table: lineInfo.eol ? tableRef : `data/eol.json (${eol.asOf})`,
          }),
          discriminator: 'eol',
        });
      }
    }
    if (out.length === 0 && seen > 0)
      out.push(
        pass(`${seen} version fact(s): supported, no known advisory`, { kind: 'setting', name: 'package versions' }),
      );
    return out;
  },
};

// ---------------------------------------------------------------------------------------------
// QA-C12 job store type (inventory)

const c12: ConfigCheck = {
  meta: {
    id: 'QA-C12',
    title: 'Job store in use (inventory for the database audit)',
    family: 'config',
    severity: 'info',
    mitigation: 'Secure the JobStore database',
    remediation:
      'Audit the JobStore database this configuration names: qrtz-audit scan --from-config <file|dir> (--login USER or --use-config-credentials).',
  },
  evaluate(facts) {
    const out: FindingDraft[] = [];
    for (const s of settingsOf(facts)) {
      const js = s.jobStore;
      const platform = s.platform === 'dotnet' ? 'Quartz.NET' : 'Java Quartz';
      const ev = {
        ...locEvidence(js),
        platform: s.platform,
        jobStore: js.type ? safeText(js.type, 160) : null,
        delegate: js.delegate ? safeText(js.delegate, 160) : null,
        dataSource: js.dataSource ? safeText(js.dataSource, 120) : null,
        tablePrefix: safeText(js.tablePrefix, 60),
      };
      const msg =
        js.kind === 'ram'
          ? `${platform} uses RAMJobStore: nothing is persisted, no database to audit`
          : js.kind === 'unset'
            ? `${platform}: no job store configured in files (Quartz defaults to RAMJobStore unless code configures a persistent store)`
            : `${platform} uses ${safeText(js.type ?? '', 160)}${js.delegate ? ` with ${safeText(js.delegate, 160)}` : ''}, data source ${safeText(js.dataSource ?? '(none)', 120)}, table prefix ${safeText(js.tablePrefix, 60)}${js.tablePrefixSet ? '' : ' (default)'}`;
      out.push({
        status: 'info',
        severity: 'info',
        message: msg,
        object: fileObject(js, `${s.platform} job store`),
        evidence: ev,
        discriminator: s.platform,
      });
    }
    return out;
  },
};

/** Every config check, in id order. */
export const CONFIG_CHECKS: readonly ConfigCheck[] = [c01, c02, c03, c04, c05, c06, c07, c08, c09, c10, c11, c12];

/** Metadata records by id (one per id). */
export const CONFIG_CHECK_META: Readonly<Record<string, ConfigCheckMeta>> = Object.fromEntries(
  CONFIG_CHECKS.map((c) => [c.meta.id, c.meta]),
);

/** Run every config check (or those in `only`) over the facts. */
export function evaluateConfig(
  facts: ConfigFacts,
  options: ConfigCheckOptions & { only?: string[] } = {},
): ConfigFindingDraft[] {
  const out: ConfigFindingDraft[] = [];
  for (const c of CONFIG_CHECKS) {
    if (options.only && !options.only.includes(c.meta.id)) continue;
    for (const d of c.evaluate(facts, options))
      out.push({ ...d, check: c.meta.id, severity: d.severity ?? (d.status === 'info' ? 'info' : c.meta.severity) });
  }
  return out;
}
