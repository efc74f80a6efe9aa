/**
 * Finds the configuration files of a Quartz application: given files are classified (by name, then by
 * content for unusual names); given directories are walked. Bounded: entry, file, depth and size caps;
 * symbolic links to directories are followed once (real paths remembered, so loops end); build output
 * and dependency folders (node_modules, bin, obj, .git) are skipped below a given directory.
 */
import { lstat, open, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { UserError } from '../errors.js';
import type { ConfigFile, ConfigKind } from './model.js';

export interface DiscoverOptions {
  /** Largest file read (bytes); larger files are skipped and reported in `skipped`. Default 5 MiB. */
  maxFileSize?: number;
  /** Most configuration files returned. Default 500. */
  maxFiles?: number;
  /** Most directory entries visited. Default 50,000. */
  maxEntries?: number;
  /** Deepest directory level walked below a given directory. Default 12. */
  maxDepth?: number;
}

export const DISCOVERY_DEFAULTS = { maxFileSize: 5 * 1024 * 1024, maxFiles: 500, maxEntries: 50_000, maxDepth: 12 };

/** Directory names never walked into (unless given explicitly). */
export const SKIPPED_DIRS = new Set(['node_modules', 'bin', 'obj', '.git', '.svn', '.hg', '.vs', '.idea']);

/** Files seen but not returned (too large, unreadable), and bounds hit. */
export interface DiscoveryNotes {
  skipped: { path: string; reason: string }[];
  limited?: string;
}

/** Classify a file by its name alone. */
export function kindFromName(path: string): { kind: ConfigKind; environment?: string } | undefined {
  const n = basename(path).toLowerCase();
  if (n === 'quartz.config') return { kind: 'quartz-config' };
  if (n === 'app.config' || n === 'web.config' || /\.(exe|dll)\.config$/.test(n)) return { kind: 'app-config' };
  if (n === 'appsettings.json') return { kind: 'appsettings' };
  const env = /^appsettings\.(.+)\.json$/i.exec(basename(path));
  if (env) return { kind: 'appsettings', environment: env[1] as string };
  if (n.endsWith('.deps.json')) return { kind: 'deps-json' };
  if (n.endsWith('.runtimeconfig.json')) return { kind: 'runtimeconfig' };
  if (n === 'nlog.config' || n === 'nlog.xml') return { kind: 'nlog' };
  if (n === 'log4net.config' || n === 'log4net.xml') return { kind: 'log4net' };
  // Java logging and builds (Quartz/job loggers, Quartz versions)
  if (n === 'log4j2.xml' || /^log4j2-[\w.-]+\.xml$/.test(n)) return { kind: 'log4j2' };
  if (n === 'log4j.xml') return { kind: 'log4j' };
  if (n === 'log4j.properties' || n === 'log4j2.properties' || /^log4j2-[\w.-]+\.properties$/.test(n))
    return { kind: 'log4j-properties' };
  if (n === 'logback.xml' || /^logback-[\w.-]+\.xml$/.test(n)) return { kind: 'logback' };
  if (n === 'pom.xml') return { kind: 'maven' };
  if (n === 'build.gradle' || n === 'build.gradle.kts') return { kind: 'gradle' };
  if (n === 'gradle.lockfile' || (n.endsWith('.lockfile') && /[\\/]dependency-locks[\\/]/.test(path)))
    return { kind: 'gradle-lock' };
  if (n === 'quartz.properties' || (n.includes('quartz') && n.endsWith('.properties')))
    return { kind: 'quartz-properties' };
  if (n === 'jobs.xml' || (n.includes('quartz') && n.includes('job') && n.endsWith('.xml'))) return { kind: 'job-xml' };
  if (/^quartz(-all|-core|-jobs)?-\d+(\.\d+)+.*\.jar$/.test(n)) return { kind: 'jar' };
  return undefined;
}

/** Classify an explicitly given file with an unusual name by its first bytes. */
function kindFromContent(path: string, head: string): { kind: ConfigKind } | undefined {
  const t = head.replace(/^\uFEFF/, '').trimStart();
  if (t.startsWith('<')) {
    if (/<job-scheduling-data\b/.test(t)) return { kind: 'job-xml' };
    if (/<nlog\b/.test(t)) return { kind: 'nlog' };
    if (/<log4net\b/.test(t)) return { kind: 'log4net' };
    if (/<project\b[^>]*maven\.apache\.org/.test(t)) return { kind: 'maven' };
    if (/<Configuration\b/.test(t)) return { kind: 'log4j2' };
    if (/<log4j:configuration\b/.test(t)) return { kind: 'log4j' };
    if (/<configuration\b/.test(t) && /ch\.qos\.logback|<root\s+level=/i.test(t)) return { kind: 'logback' };
    if (/<configuration\b/.test(t)) return { kind: 'app-config' };
    return undefined;
  }
  if (t.startsWith('{')) {
    if (/"runtimeTarget"\s*:/.test(t)) return { kind: 'deps-json' };
    if (/"runtimeOptions"\s*:/.test(t)) return { kind: 'runtimeconfig' };
    return { kind: 'appsettings' };
  }
  if (/^\s*(#|!)?\s*org\.quartz\./m.test(t)) return { kind: 'quartz-properties' };
  if (/^\s*(log4j\.rootLogger|rootLogger\.level|logger\.[\w-]+\.name)\s*[=:]/m.test(t))
    return { kind: 'log4j-properties' };
  if (/^\s*(#\s*)?quartz\./m.test(t)) return { kind: 'quartz-config' };
  if (path.toLowerCase().endsWith('.properties')) return { kind: 'quartz-properties' };
  return undefined;
}

async function readHead(path: string, bytes = 4096): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
}

function describe(path: string, kind: ConfigKind, st: import('node:fs').Stats, environment?: string): ConfigFile {
  const f: ConfigFile = { path, kind, size: st.size };
  if (environment !== undefined) f.environment = environment;
  if (process.platform !== 'win32') {
    f.mode = st.mode & 0o7777;
    f.uid = st.uid;
    f.gid = st.gid;
  }
  return f;
}

/**
 * Find the configuration files under the given paths. A missing path is a usage error (exit 2). An
 * explicitly given file whose kind cannot be told is a usage error too; files found while walking are
 * only returned when their name says what they are.
 */
export async function discoverConfigFiles(
  paths: string[],
  options: DiscoverOptions = {},
  notes: DiscoveryNotes = { skipped: [] },
): Promise<ConfigFile[]> {
  const o = { ...DISCOVERY_DEFAULTS, ...options };
  const out: ConfigFile[] = [];
  const seenFiles = new Set<string>();
  const seenDirs = new Set<string>();
  let entries = 0;

  const add = async (path: string, st: import('node:fs').Stats, explicit: boolean): Promise<void> => {
    let k = kindFromName(path);
    if (!k && explicit && st.size <= o.maxFileSize) k = kindFromContent(path, await readHead(path));
    if (!k) {
      if (explicit) throw new UserError('input', `${path}: not a Quartz, .NET or logging configuration file`);
      return;
    }
    const real = await realpath(path);
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    if (k.kind !== 'jar' && st.size > o.maxFileSize) {
      notes.skipped.push({ path, reason: `larger than ${o.maxFileSize} bytes` });
      return;
    }
    if (out.length >= o.maxFiles) {
      notes.limited ??= `more than ${o.maxFiles} configuration files: the rest were not read`;
      return;
    }
    out.push(describe(path, k.kind, st, k.environment));
  };

  const walk = async (dir: string, depth: number): Promise<void> => {
    const real = await realpath(dir);
    if (seenDirs.has(real)) return;
    seenDirs.add(real);
    if (depth > o.maxDepth) {
      notes.limited ??= `directories deeper than ${o.maxDepth} levels were not walked`;
      return;
    }
    let names: string[];
    try {
      names = (await readdir(dir)).sort();
    } catch (e) {
      notes.skipped.push({ path: dir, reason: (e as NodeJS.ErrnoException).code ?? 'unreadable' });
      return;
    }
    for (const name of names) {
      if (++entries > o.maxEntries) {
        notes.limited ??= `more than ${o.maxEntries} directory entries: the rest were not walked`;
        return;
      }
      const p = join(dir, name);
      let st: import('node:fs').Stats;
      try {
        st = await lstat(p);
        if (st.isSymbolicLink()) st = await stat(p);
      } catch {
        notes.skipped.push({ path: p, reason: 'dangling or unreadable link' });
        continue;
      }
      if (st.isDirectory()) {
        if (!SKIPPED_DIRS.has(name.toLowerCase())) await walk(p, depth + 1);
      } else if (st.isFile()) {
        await add(p, st, false);
      }
    }
  };

  for (const p of paths) {
    let st: import('node:fs').Stats;
    try {
      st = await stat(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UserError('input', `${p}: ${code === 'ENOENT' ? 'no such file or directory' : (code ?? 'unreadable')}`);
    }
    if (st.isDirectory()) await walk(p, 0);
    else if (st.isFile()) await add(p, st, true);
    else throw new UserError('input', `${p}: not a regular file or directory`);
  }
  return out;
}

/** uid of a local account name (from /etc/passwd), for QA-C07's owner comparison; undefined when unknown. */
export async function uidOfUser(name: string, passwdFile = '/etc/passwd'): Promise<number | undefined> {
  if (/^\d+$/.test(name)) return Number(name);
  let text: string;
  try {
    text = await readFile(passwdFile, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const [user, , uid] = line.split(':');
    if (user === name && uid !== undefined && /^\d+$/.test(uid)) return Number(uid);
  }
  return undefined;
}
