/**
 * Java application files beside quartz.properties: logging configuration (log4j2.xml, log4j.xml,
 * log4j.properties / log4j2.properties, logback.xml) — which loggers run at DEBUG/TRACE and which files they
 * write — and the Quartz version a build declares (Maven pom.xml, Gradle build.gradle / build.gradle.kts,
 * gradle.lockfile). Files are parsed, never evaluated: `${…}` substitutions are resolved from the same file's
 * own properties only (a value that stays unresolved is not a literal path or version and is left out).
 */
import { lineOf, logger } from './levels.js';
import { type ConfigFacts, type LoggerFact, lineIndex, type PackageFact } from './model.js';
import { attr, childText, kid, kids, parseProperties, parseXml, walkXml, type XmlElement } from './syntax.js';

/** Most packages read from one build file (a generated lockfile can list thousands). */
const MAX_PACKAGES_PER_FILE = 5000;

/** `${name}` / `${name:-default}` / `${sys:name:-default}` from the file's own properties. */
export function substitute(value: string, props: Map<string, string>): string {
  let out = value;
  for (let round = 0; round < 5 && out.includes('${'); round++) {
    out = out.replace(/\$\{([^{}]+)\}/g, (whole, expr: string) => {
      const [ref = '', def] = expr.split(':-');
      const name = ref.replace(/^(sys|env|ctx|main|bundle|lower|upper|spring|date|web|jndi|java):/, '');
      const v = props.get(name) ?? props.get(ref);
      if (v !== undefined) return v;
      if (def !== undefined) return def;
      return whole;
    });
  }
  return out;
}

function pushLogger(
  facts: ConfigFacts,
  fw: LoggerFact['framework'],
  name: string,
  level: string,
  file: string,
  el?: XmlElement | { line?: number },
): void {
  if (!level || level.includes('${')) return;
  facts.loggers.push(logger(fw, name, level, { file, ...lineOf(el ?? {}) }));
}

function pushLogFile(facts: ConfigFacts, fw: LoggerFact['framework'], path: string, file: string, line?: number): void {
  if (!path) return;
  facts.logFiles.push({ framework: fw, path, file, ...(line !== undefined ? { line } : {}) });
}

// ---------------------------------------------------------------------------------------------
// log4j2.xml

export function readLog4j2(text: string, file: string, facts: ConfigFacts): void {
  const root = parseXml(text, file);
  const props = new Map<string, string>();
  for (const el of walkXml(root)) {
    if (el.name.toLowerCase() === 'property') {
      const n = attr(el, 'name');
      const v = attr(el, 'value') ?? el.text.trim();
      if (n) props.set(n, v);
    }
  }
  for (const el of walkXml(root)) {
    const n = el.name.toLowerCase();
    if (n === 'logger' || n === 'asynclogger') {
      pushLogger(
        facts,
        'log4j2',
        attr(el, 'name') ?? '(unnamed)',
        substitute(attr(el, 'level') ?? '', props),
        file,
        el,
      );
    } else if (n === 'root' || n === 'asyncroot') {
      pushLogger(facts, 'log4j2', '(root)', substitute(attr(el, 'level') ?? '', props), file, el);
    } else {
      const fn = attr(el, 'fileName');
      if (fn) pushLogFile(facts, 'log4j2', substitute(fn, props), file, el.line);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// logback.xml

export function readLogback(text: string, file: string, facts: ConfigFacts): void {
  const root = parseXml(text, file);
  const props = new Map<string, string>();
  for (const el of walkXml(root)) {
    const n = el.name.toLowerCase();
    if (n === 'property' || n === 'variable') {
      const k = attr(el, 'name');
      const v = attr(el, 'value');
      if (k && v !== undefined) props.set(k, v);
    }
  }
  for (const el of walkXml(root)) {
    const n = el.name.toLowerCase();
    const level = attr(el, 'level') ?? attr(kid(el, 'level'), 'value') ?? '';
    if (n === 'logger')
      pushLogger(facts, 'logback', attr(el, 'name') ?? '(unnamed)', substitute(level, props), file, el);
    else if (n === 'root') pushLogger(facts, 'logback', '(root)', substitute(level, props), file, el);
    else if (n === 'appender') {
      const f = kid(el, 'file');
      if (f?.text.trim()) pushLogFile(facts, 'logback', substitute(f.text.trim(), props), file, f.line);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// log4j.xml (log4j 1.x)

export function readLog4jXml(text: string, file: string, facts: ConfigFacts): void {
  const root = parseXml(text, file);
  for (const el of walkXml(root)) {
    const n = el.name.toLowerCase();
    const level = () => attr(kid(el, 'level'), 'value') ?? attr(kid(el, 'priority'), 'value') ?? '';
    if (n === 'logger' || n === 'category')
      pushLogger(facts, 'log4j', attr(el, 'name') ?? '(unnamed)', level(), file, el);
    else if (n === 'root') pushLogger(facts, 'log4j', '(root)', level(), file, el);
    else if (n === 'appender') {
      for (const p of kids(el, 'param')) {
        if (/^file$/i.test(attr(p, 'name') ?? '')) pushLogFile(facts, 'log4j', attr(p, 'value') ?? '', file, p.line);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// log4j.properties (1.x) and log4j2.properties

export function readLog4jProperties(text: string, file: string, facts: ConfigFacts): void {
  const values = parseProperties(text, file);
  const props = new Map<string, string>();
  for (const v of values) {
    const m = /^property\.(.+)$/.exec(v.key);
    if (m) props.set(m[1] as string, v.value);
  }
  // log4j2: logger.<id>.name + logger.<id>.level
  const named = new Map<string, { name?: string; level?: string; line?: number }>();
  for (const v of values) {
    const value = substitute(v.value, props);
    const first = value.split(',')[0]?.trim() ?? '';
    const legacy = /^log4j\.(?:logger|category)\.(.+)$/.exec(v.key);
    const named2 = /^logger\.([^.]+)\.(name|level)$/.exec(v.key);
    if (/^log4j\.(rootLogger|rootCategory)$/.test(v.key)) pushLogger(facts, 'log4j', '(root)', first, file, v);
    else if (legacy) pushLogger(facts, 'log4j', legacy[1] as string, first, file, v);
    else if (/^log4j\.appender\.[^.]+\.File$/i.test(v.key)) pushLogFile(facts, 'log4j', value, file, v.line);
    else if (v.key === 'rootLogger.level' || v.key === 'rootLogger')
      pushLogger(facts, 'log4j2', '(root)', first, file, v);
    else if (named2) {
      const e = named.get(named2[1] as string) ?? {};
      if (named2[2] === 'name') e.name = value;
      else {
        e.level = value;
        if (v.line !== undefined) e.line = v.line;
      }
      named.set(named2[1] as string, e);
    } else if (/^appender\.[^.]+\.fileName$/.test(v.key)) pushLogFile(facts, 'log4j2', value, file, v.line);
  }
  for (const e of named.values()) if (e.name && e.level) pushLogger(facts, 'log4j2', e.name, e.level, file, e);
}

// ---------------------------------------------------------------------------------------------
// Builds: Maven, Gradle, Gradle lockfiles

function pushPackage(
  facts: ConfigFacts,
  group: string,
  artifact: string,
  version: string,
  source: PackageFact['source'],
  file: string,
  line?: number,
): void {
  const v = version.trim();
  // only a literal version: a property left unresolved, a range or a dynamic version says nothing
  if (!/^\d+(\.\d+)*([.-][\w.-]+)?$/.test(v)) return;
  facts.packages.push({
    name: `${group.trim()}:${artifact.trim()}`,
    version: v,
    source,
    file,
    ...(line !== undefined ? { line } : {}),
  });
}

export function readPom(text: string, file: string, facts: ConfigFacts): void {
  const root = parseXml(text, file);
  const props = new Map<string, string>();
  for (const p of kid(root, 'properties')?.children ?? []) props.set(p.name, p.text.trim());
  const version = childText(root, 'version') ?? childText(kid(root, 'parent'), 'version');
  if (version) {
    props.set('project.version', version);
    props.set('version', version);
  }
  let n = 0;
  for (const el of walkXml(root)) {
    if (el.name.toLowerCase() !== 'dependency' || n >= MAX_PACKAGES_PER_FILE) continue;
    const g = childText(el, 'groupId');
    const a = childText(el, 'artifactId');
    const v = childText(el, 'version');
    if (!g || !a || !v) continue;
    n++;
    pushPackage(
      facts,
      substitute(g, props),
      substitute(a, props),
      substitute(v, props),
      'maven',
      file,
      kid(el, 'version')?.line ?? el.line,
    );
  }
}

/** Strip // and /* *\/ comments outside string literals, keeping line breaks (line numbers stay right). */
function stripComments(text: string): string {
  let out = '';
  let i = 0;
  let quote: string | undefined;
  while (i < text.length) {
    const c = text[i] as string;
    if (quote) {
      out += c;
      if (c === '\\' && i + 1 < text.length) out += text[++i];
      else if (c === quote || c === '\n') quote = undefined;
      i++;
    } else if (c === '"' || c === "'") {
      quote = c;
      out += c;
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

export function readGradle(text: string, file: string, facts: ConfigFacts): void {
  const body = stripComments(text.replace(/^\uFEFF/, ''));
  const line = lineIndex(body);
  // simple assignments: def quartzVersion = '2.3.0', val quartzVersion = "2.3.0", ext.quartzVersion = …, set("x", "1")
  const vars = new Map<string, string>();
  for (const m of body.matchAll(/\b([A-Za-z_][\w.]*)\s*=\s*["']([\w.+-]+)["']/g)) {
    vars.set((m[1] as string).replace(/^(ext|project\.ext)\./, ''), m[2] as string);
  }
  for (const m of body.matchAll(/\bset\(\s*["']([\w.-]+)["']\s*,\s*["']([\w.+-]+)["']\s*\)/g))
    vars.set(m[1] as string, m[2] as string);
  const resolve = (s: string) =>
    s.replace(/\$\{\s*([\w.]+)\s*\}|\$([A-Za-z_]\w*)/g, (whole, a?: string, b?: string) => {
      const name = (a ?? b ?? '').replace(/^(ext|project|rootProject\.ext)\./, '');
      return vars.get(name) ?? whole;
    });
  let n = 0;
  for (const m of body.matchAll(/(["'])([\w.-]+):([\w.-]+):([^"'@\s:]+)(?::[\w.-]+)?(?:@\w+)?\1/g)) {
    if (n++ >= MAX_PACKAGES_PER_FILE) break;
    pushPackage(facts, m[2] as string, m[3] as string, resolve(m[4] as string), 'gradle', file, line(m.index ?? 0));
  }
  const map =
    /\bgroup\s*[:=]\s*["']([\w.-]+)["']\s*,\s*name\s*[:=]\s*["']([\w.-]+)["']\s*,\s*version\s*[:=]\s*["']([^"']+)["']/g;
  for (const m of body.matchAll(map)) {
    if (n++ >= MAX_PACKAGES_PER_FILE) break;
    pushPackage(facts, m[1] as string, m[2] as string, resolve(m[3] as string), 'gradle', file, line(m.index ?? 0));
  }
}

export function readGradleLock(text: string, file: string, facts: ConfigFacts): void {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let n = 0;
  lines.forEach((l, i) => {
    const m = /^([\w.-]+):([\w.-]+):([\w.+-]+)=/.exec(l.trim());
    if (!m || n++ >= MAX_PACKAGES_PER_FILE) return;
    pushPackage(facts, m[1] as string, m[2] as string, m[3] as string, 'gradle', file, i + 1);
  });
}
