/**
 * The three syntaxes configuration files use, each parsed by a maintained library (fast-xml-parser,
 * jsonc-parser) or by the small Java .properties grammar, into plain values with line numbers. Parse
 * errors throw ConfigParseError naming the file and line. XML: DOCTYPE internal subsets (entity
 * declarations) are refused before parsing; no external entity is ever fetched.
 */

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { ConfigParseError, type ConfigValue, lineIndex } from './model.js';

// ---------------------------------------------------------------------------------------------
// XML

export interface XmlElement {
  /** Local name (namespace prefix removed), as written. */
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: XmlElement[];
  line?: number;
}

const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

export function parseXml(text: string, file: string): XmlElement {
  const body = text.replace(/^\uFEFF/, '');
  const ent = /<!DOCTYPE[^>[]*\[|<!ENTITY/i.exec(body);
  if (ent) throw new ConfigParseError(file, lineIndex(body)(ent.index), 'DOCTYPE with entity declarations is not read');
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw new ConfigParseError(file, valid.err.line, `malformed XML: ${valid.err.msg}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    captureMetaData: true,
    alwaysCreateTextNode: true,
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    isArray: (_n: string, _j: unknown, _leaf: boolean, attr: boolean) => !attr,
  });
  let raw: Record<string, unknown>;
  try {
    raw = parser.parse(body) as Record<string, unknown>;
  } catch (e) {
    throw new ConfigParseError(file, undefined, `malformed XML: ${(e as Error).message}`);
  }
  const line = lineIndex(body);
  const convert = (name: string, node: Record<string | symbol, unknown>): XmlElement => {
    const el: XmlElement = { name, attrs: {}, text: '', children: [] };
    const meta = node[META] as { startIndex?: number } | undefined;
    if (meta?.startIndex !== undefined) el.line = line(meta.startIndex);
    for (const [k, v] of Object.entries(node)) {
      if (k === '#text') el.text = String(v ?? '');
      else if (k.startsWith('@_')) el.attrs[k.slice(2)] = String(v);
      else if (Array.isArray(v))
        for (const c of v) {
          el.children.push(
            typeof c === 'object' && c !== null
              ? convert(k, c as Record<string | symbol, unknown>)
              : { name: k, attrs: {}, text: String(c ?? ''), children: [] },
          );
        }
    }
    return el;
  };
  const roots = Object.entries(raw).filter(([k]) => !k.startsWith('?') && !k.startsWith('#'));
  const first = roots[0];
  if (!first || !Array.isArray(first[1]) || first[1].length === 0)
    throw new ConfigParseError(file, 1, 'no root element');
  return convert(first[0], first[1][0] as Record<string | symbol, unknown>);
}

/** Children with this local name (case-insensitive). */
export function kids(el: XmlElement | undefined, name: string): XmlElement[] {
  if (!el) return [];
  const n = name.toLowerCase();
  return el.children.filter((c) => c.name.toLowerCase() === n);
}

export function kid(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return kids(el, name)[0];
}

/** Attribute by name, case-insensitive. */
export function attr(el: XmlElement | undefined, name: string): string | undefined {
  if (!el) return undefined;
  const n = name.toLowerCase();
  for (const [k, v] of Object.entries(el.attrs)) if (k.toLowerCase() === n) return v;
  return undefined;
}

/** Text of a child element (trimmed), case-insensitive. */
export function childText(el: XmlElement | undefined, name: string): string | undefined {
  const c = kid(el, name);
  return c ? c.text.trim() : undefined;
}

/** Every element in the tree (depth-first), bounded. */
export function* walkXml(el: XmlElement, max = 100_000): Generator<XmlElement> {
  const stack = [el];
  let n = 0;
  while (stack.length > 0 && n++ < max) {
    const e = stack.pop() as XmlElement;
    yield e;
    for (let i = e.children.length - 1; i >= 0; i--) stack.push(e.children[i] as XmlElement);
  }
}

// ---------------------------------------------------------------------------------------------
// JSON (appsettings, deps.json, runtimeconfig.json): comments and trailing commas allowed

export function parseJsonTree(text: string, file: string): { root: Node; line: (offset: number) => number } {
  const body = text.replace(/^\uFEFF/, '');
  const errors: ParseError[] = [];
  let root: Node | undefined;
  try {
    root = parseTree(body, errors, { allowTrailingComma: true, disallowComments: false });
  } catch (e) {
    if (e instanceof RangeError) throw new ConfigParseError(file, undefined, 'malformed JSON: nested too deeply');
    throw e;
  }
  const line = lineIndex(body);
  const err = errors[0];
  if (err) throw new ConfigParseError(file, line(err.offset), `malformed JSON: ${printParseErrorCode(err.error)}`);
  if (root?.type !== 'object') throw new ConfigParseError(file, 1, 'malformed JSON: the top level is not an object');
  return { root, line };
}

/** Normalise an ASP.NET configuration key: `__` and `:` both separate sections. */
export function normaliseKey(key: string): string {
  return key.replace(/__/g, ':');
}

/**
 * Flatten a JSON configuration file the way Microsoft.Extensions.Configuration does: nested objects
 * and arrays become `Section:Sub:0:Key` paths; leaf values become strings (null → '').
 */
export function flattenJson(root: Node, file: string, line: (o: number) => number, maxLeaves = 100_000): ConfigValue[] {
  const out: ConfigValue[] = [];
  const visit = (node: Node, prefix: string, depth: number): void => {
    if (out.length >= maxLeaves || depth > 64) return;
    if (node.type === 'object') {
      for (const prop of node.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (!k || !v) continue;
        const key = normaliseKey(String(k.value));
        visit(v, prefix ? `${prefix}:${key}` : key, depth + 1);
      }
    } else if (node.type === 'array') {
      (node.children ?? []).forEach((c, i) => {
        visit(c, `${prefix}:${i}`, depth + 1);
      });
    } else {
      out.push({ key: prefix, value: node.value === null ? '' : String(node.value), file, line: line(node.offset) });
    }
  };
  visit(root, '', 0);
  return out;
}

// ---------------------------------------------------------------------------------------------
// .properties (Java quartz.properties; Quartz.NET quartz.config uses the same key = value shape)

/**
 * Parse Java-properties text: `key = value`, `key: value`, `key value`; `#`/`!` comments; trailing
 * `\` continues a line; `\uXXXX`, `\t`, `\n` escapes. `strict` (quartz.config): a line must hold `=` or `:`.
 */
export function parseProperties(text: string, file: string, strict = false): ConfigValue[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const out: ConfigValue[] = [];
  for (let i = 0; i < lines.length; i++) {
    const startLine = i + 1;
    let logical = (lines[i] as string).replace(/^[ \t\f]+/, '');
    if (logical === '' || logical.startsWith('#') || logical.startsWith('!')) continue;
    while (/(^|[^\\])(\\\\)*\\$/.test(logical) && i + 1 < lines.length) {
      logical = logical.slice(0, -1) + (lines[++i] as string).replace(/^[ \t\f]+/, '');
    }
    // key ends at the first unescaped =, : or whitespace
    let k = 0;
    while (k < logical.length) {
      const c = logical[k] as string;
      if (c === '\\') {
        k += 2;
        continue;
      }
      if (c === '=' || c === ':' || c === ' ' || c === '\t' || c === '\f') break;
      k++;
    }
    const rawKey = logical.slice(0, k);
    let rest = logical.slice(k).replace(/^[ \t\f]+/, '');
    const hadSep = rest.startsWith('=') || rest.startsWith(':');
    if (hadSep) rest = rest.slice(1).replace(/^[ \t\f]+/, '');
    if (strict && !hadSep)
      throw new ConfigParseError(file, startLine, `expected "key = value", found "${shorten(rawKey)}"`);
    out.push({
      key: unescapeProps(rawKey, file, startLine),
      value: unescapeProps(rest, file, startLine).trimEnd(),
      file,
      line: startLine,
    });
  }
  return out;
}

function shorten(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: escaping control characters is the point
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > 40 ? `${clean.slice(0, 37)}…` : clean;
}

function unescapeProps(s: string, file: string, line: number): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = s[++i];
    if (n === undefined) break;
    if (n === 'u') {
      const hex = s.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new ConfigParseError(file, line, 'malformed \\uXXXX escape');
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 4;
    } else out += n === 't' ? '\t' : n === 'n' ? '\n' : n === 'r' ? '\r' : n === 'f' ? '\f' : n;
  }
  return out;
}
