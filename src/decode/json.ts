/**
 * JSON blobs: Quartz.NET Newtonsoft (Json.NET, `$type` with TypeNameHandling.Auto) and
 * System.Text.Json JobDataMaps, calendars and triggers.
 *
 * One parser of our own reads both strict JSON and what Json.NET additionally accepts (single-quoted
 * strings, unquoted property names, comments, trailing commas, NaN/Infinity, `new Date(…)`
 * constructors, undefined): it keeps byte offsets for the tree and duplicate keys (a second `$type`
 * is still a type selector). Whether the text was strict JSON (what JSON.parse accepts) is recorded
 * on the tree root. A text neither grammar accepts is `malformed` (never clean), and a regex scan
 * still records every `$type` value in it. Offsets (tree, malformed) are positions in the decoded
 * text: UTF-16 code units after a BOM, equal to byte offsets for ASCII text.
 */
import type { BlobFormat, MapEntry, MapValue, TreeNode, TypeRef } from '../model.js';
import { defineLazyTree } from './java.js';
import { type FormatResult, type Limits, MAX_TEXT_BYTES } from './types.js';

export type JNode =
  | { t: 'obj'; off: number; members: { key: string; value: JNode }[] }
  | { t: 'arr'; off: number; items: JNode[] }
  | { t: 'str'; off: number; v: string }
  | { t: 'num'; off: number; v: number; raw: string }
  | { t: 'bool'; off: number; v: boolean }
  | { t: 'null'; off: number }
  /** Json.NET-only values: constructors (`new Date(…)`), undefined. */
  | { t: 'raw'; off: number; v: string };

class JsonStop extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
    readonly limit?: string,
  ) {
    super(reason);
  }
}

const MAX_ENTRIES = 100_000;

class Parser {
  i = 0;
  /** Set when Json.NET-only syntax was used. */
  lenient: string | undefined;
  count = 0;
  constructor(
    readonly s: string,
    readonly limits: Limits,
  ) {}

  fail(reason: string): never {
    throw new JsonStop(this.i, reason);
  }
  loose(what: string): void {
    this.lenient ??= what;
  }
  ws(): void {
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.i++;
      else if (c === 0x2f && s[this.i + 1] === '/') {
        this.loose('comment');
        const e = s.indexOf('\n', this.i);
        this.i = e < 0 ? s.length : e + 1;
      } else if (c === 0x2f && s[this.i + 1] === '*') {
        this.loose('comment');
        const e = s.indexOf('*/', this.i + 2);
        if (e < 0) this.fail('unterminated comment');
        this.i = e + 2;
      } else if (c === 0xfeff || c === 0xa0) {
        this.loose('unusual whitespace');
        this.i++;
      } else return;
    }
  }

  /** `onStart` receives an object or array as soon as it is created, before its contents are read,
   *  so a limit or fault inside it keeps what was read (the partial tree stays attached). */
  value(depth: number, onStart?: (n: JNode) => void): JNode {
    if (depth > this.limits.maxDepth)
      throw new JsonStop(this.i, `nesting deeper than ${this.limits.maxDepth}`, `depth>${this.limits.maxDepth}`);
    if (++this.count > this.limits.maxRecords)
      throw new JsonStop(this.i, `more than ${this.limits.maxRecords} values`, `records>${this.limits.maxRecords}`);
    if ((this.count & 1023) === 0 && Date.now() > this.limits.deadline)
      throw new JsonStop(this.i, 'time budget exceeded', 'time');
    this.ws();
    const off = this.i;
    const c = this.s[this.i];
    if (c === '{') return this.object(depth, onStart);
    if (c === '[') return this.array(depth, onStart);
    if (c === '"' || c === "'") return { t: 'str', off, v: this.string() };
    if (c === undefined) this.fail('unexpected end of input');
    if (c === '-' || c === '+' || c === '.' || (c >= '0' && c <= '9')) return this.number();
    const word = /^[A-Za-z_$][\w$]*/.exec(this.s.slice(this.i, this.i + 64))?.[0];
    if (word === 'true' || word === 'false') {
      this.i += word.length;
      return { t: 'bool', off, v: word === 'true' };
    }
    if (word === 'null') {
      this.i += 4;
      return { t: 'null', off };
    }
    if (word === 'NaN' || word === 'Infinity') {
      this.loose(word);
      this.i += word.length;
      return { t: 'num', off, v: word === 'NaN' ? Number.NaN : Number.POSITIVE_INFINITY, raw: word };
    }
    if (word === 'undefined') {
      this.loose('undefined');
      this.i += word.length;
      return { t: 'raw', off, v: 'undefined' };
    }
    if (word === 'new') {
      // Json.NET constructor: new Name(args…)
      this.loose('constructor');
      this.i += 3;
      this.ws();
      const name = /^[A-Za-z_$][\w$.]*/.exec(this.s.slice(this.i, this.i + 256))?.[0];
      if (!name) this.fail('constructor without a name');
      this.i += name.length;
      this.ws();
      if (this.s[this.i] !== '(') this.fail('expected ( after constructor name');
      this.i++;
      const args: string[] = [];
      this.ws();
      while (this.s[this.i] !== ')') {
        const a = this.value(depth + 1);
        args.push(a.t === 'str' ? JSON.stringify(a.v) : a.t === 'num' ? a.raw : a.t);
        this.ws();
        if (this.s[this.i] === ',') {
          this.i++;
          this.ws();
        } else if (this.s[this.i] !== ')') this.fail('expected , or ) in constructor');
      }
      this.i++;
      return { t: 'raw', off, v: `new ${name}(${args.join(', ')})` };
    }
    this.fail(`unexpected character ${JSON.stringify(c)}`);
  }

  number(): JNode {
    const off = this.i;
    const m = /^[+-]?(?:Infinity|0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(
      this.s.slice(this.i, this.i + 400),
    );
    if (!m) this.fail('bad number');
    const raw = m[0];
    if (!/^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(raw)) this.loose('non-standard number');
    this.i += raw.length;
    let v: number;
    if (/Infinity/.test(raw)) v = raw.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    else if (/0[xX]/.test(raw)) v = Number.parseInt(raw, 16);
    else v = Number(raw);
    return { t: 'num', off, v, raw };
  }

  string(): string {
    const q = this.s[this.i];
    if (q === "'") this.loose('single quotes');
    this.i++;
    let out = '';
    let chunk = this.i;
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(this.i);
      if (Number.isNaN(c)) this.fail('unterminated string');
      if (c === q?.charCodeAt(0)) {
        out += s.slice(chunk, this.i);
        this.i++;
        break;
      }
      if (c === 0x5c) {
        out += s.slice(chunk, this.i);
        const e = s[this.i + 1];
        this.i += 2;
        switch (e) {
          case 'n':
            out += '\n';
            break;
          case 't':
            out += '\t';
            break;
          case 'r':
            out += '\r';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case '"':
          case '\\':
          case '/':
            out += e;
            break;
          case 'u': {
            const hex = s.slice(this.i, this.i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('bad \\u escape');
            out += String.fromCharCode(Number.parseInt(hex, 16));
            this.i += 4;
            break;
          }
          case undefined:
            this.fail('unterminated string');
            break;
          default:
            this.loose('non-standard escape');
            out += e;
        }
        chunk = this.i;
        continue;
      }
      if (c < 0x20) this.loose('control character in string');
      this.i++;
    }
    if (out.length > this.limits.maxStringLength) out = out.slice(0, this.limits.maxStringLength);
    return out;
  }

  key(): string {
    this.ws();
    const c = this.s[this.i];
    if (c === '"' || c === "'") return this.string();
    const m = /^[^\s:,{}[\]"'/]+/.exec(this.s.slice(this.i, this.i + 1024));
    if (!m) this.fail('expected a property name');
    this.loose('unquoted property name');
    this.i += m[0].length;
    return m[0];
  }

  object(depth: number, onStart?: (n: JNode) => void): JNode {
    const off = this.i;
    this.i++;
    const members: { key: string; value: JNode }[] = [];
    const node: JNode = { t: 'obj', off, members };
    onStart?.(node);
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return node;
    }
    for (;;) {
      const key = this.key();
      this.ws();
      if (this.s[this.i] !== ':') this.fail('expected :');
      this.i++;
      const vc = this.s[this.i] ?? '';
      if (vc === '{' || vc === '[' || vc === ' ' || vc === '\t' || vc === '\n' || vc === '\r' || vc === '/') {
        const m: { key: string; value: JNode } = { key, value: node };
        let attached = false;
        const v = this.value(depth + 1, (n) => {
          m.value = n;
          members.push(m);
          attached = true;
        });
        if (!attached) members.push({ key, value: v });
      } else members.push({ key, value: this.value(depth + 1) });
      this.ws();
      const c = this.s[this.i];
      if (c === ',') {
        this.i++;
        this.ws();
        if (this.s[this.i] === '}') {
          this.loose('trailing comma');
          this.i++;
          return { t: 'obj', off, members };
        }
        continue;
      }
      if (c === '}') {
        this.i++;
        return { t: 'obj', off, members };
      }
      this.fail('expected , or }');
    }
  }

  array(depth: number, onStart?: (n: JNode) => void): JNode {
    const off = this.i;
    this.i++;
    const items: JNode[] = [];
    const node: JNode = { t: 'arr', off, items };
    onStart?.(node);
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return node;
    }
    const attach = (n: JNode) => {
      items.push(n);
    };
    for (;;) {
      const before = items.length;
      const v = this.value(depth + 1, attach);
      if (items.length === before) items.push(v);
      this.ws();
      const c = this.s[this.i];
      if (c === ',') {
        this.i++;
        this.ws();
        if (this.s[this.i] === ']') {
          this.loose('trailing comma');
          this.i++;
          return { t: 'arr', off, items };
        }
        continue;
      }
      if (c === ']') {
        this.i++;
        return { t: 'arr', off, items };
      }
      this.fail('expected , or ]');
    }
  }
}

/** Parse JSON text leniently (Json.NET grammar). Throws JsonStop-like errors with offset. */
export function parseJsonText(
  text: string,
  limits: Limits,
): { root?: JNode; lenient?: string; error?: { offset: number; reason: string; limit?: string } } {
  const p = new Parser(text, limits);
  let root: JNode | undefined;
  try {
    root = p.value(0, (n) => {
      root = n;
    });
    p.ws();
    if (p.i < text.length) return { root, error: { offset: p.i, reason: 'trailing characters after the JSON value' } };
    return p.lenient ? { root, lenient: p.lenient } : { root };
  } catch (e) {
    if (e instanceof JsonStop) {
      const error: { offset: number; reason: string; limit?: string } = { offset: e.offset, reason: e.reason };
      if (e.limit) error.limit = e.limit;
      // The tree read before the stop stays: its entries and strings are still checked.
      return root ? { root, error } : { error };
    }
    const error = { offset: p.i, reason: e instanceof Error ? e.message : String(e) };
    return root ? { root, error } : { error };
  }
}

/** Plain JS value of a node (for tests and tools). */
export function toPlain(n: JNode): unknown {
  switch (n.t) {
    case 'obj': {
      const o: Record<string, unknown> = {};
      // defineProperty, not assignment: a "__proto__" key from the blob stays an own property (as JSON.parse
      // makes it) instead of replacing the object's prototype.
      for (const m of n.members) {
        Object.defineProperty(o, m.key, {
          value: toPlain(m.value),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return o;
    }
    case 'arr':
      return n.items.map(toPlain);
    case 'null':
      return null;
    default:
      return n.v;
  }
}

// ---------------------------------------------------------------------------------------------
// Type names

/** Split at top-level commas (outside [ ]). */
function splitTop(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts;
}

/** Type refs of an assembly-qualified name "Ns.Type`1[[Arg, Asm]], Assembly", generic arguments included. */
export function dotnetTypeRefs(aqn: string, via: string, depth = 0): TypeRef[] {
  const parts = splitTop(aqn.trim());
  const name = (parts[0] ?? '').trim();
  if (name === '' || depth > 32) return [];
  const ref: TypeRef = { name, ecosystem: 'dotnet', via };
  const asm = parts[1]?.trim();
  if (asm) ref.assembly = parts.slice(1).join(',').trim();
  const out = [ref];
  const b = name.indexOf('[');
  if (b >= 0) {
    // Generic arguments: [[A, AsmA],[B, AsmB]] or [A,B]
    let inner = name.slice(b + 1, name.lastIndexOf(']'));
    if (inner.startsWith('[')) {
      const args: string[] = [];
      let d = 0;
      let st = -1;
      for (let i = 0; i < inner.length; i++) {
        if (inner[i] === '[') {
          if (d === 0) st = i + 1;
          d++;
        } else if (inner[i] === ']') {
          d--;
          if (d === 0 && st >= 0) args.push(inner.slice(st, i));
        }
      }
      for (const a of args) out.push(...dotnetTypeRefs(a, via, depth + 1));
    } else if (inner !== '' && !/^,*$/.test(inner)) {
      inner = inner.trim();
      for (const a of splitTop(inner)) out.push(...dotnetTypeRefs(a, via, depth + 1));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Quartz views

const CALENDAR_RE = /^Quartz\.Impl\.Calendar\.|Calendar$/;

function typeOfObj(n: JNode): string | undefined {
  if (n.t !== 'obj') return undefined;
  const t = n.members.find((m) => m.key === '$type');
  return t && t.value.t === 'str' ? t.value.v : undefined;
}

function scalar(n: JNode): MapValue {
  switch (n.t) {
    case 'str':
      return n.v;
    case 'num':
      return Number.isFinite(n.v) ? n.v : n.raw;
    case 'bool':
      return n.v;
    case 'null':
      return null;
    case 'raw':
      return { type: 'json-constructor', summary: n.v };
    case 'arr':
      return { type: 'array', summary: `${n.items.length} elements` };
    case 'obj': {
      const t = typeOfObj(n);
      return { type: t ? (splitTop(t)[0] ?? t).trim() : 'object', summary: `${n.members.length} members` };
    }
  }
}

function flatten(n: JNode, path: string[], out: MapEntry[], depth: number): void {
  if (out.length >= MAX_ENTRIES) return;
  if (depth > 64) {
    out.push({ path, value: scalar(n) });
    return;
  }
  if (n.t === 'obj') {
    const t = typeOfObj(n);
    if (t) out.push({ path, value: scalar(n), valueType: (splitTop(t)[0] ?? t).trim() });
    const ref = n.members.find((m) => m.key === '$ref');
    if (ref) {
      out.push({ path, value: { type: '$ref', summary: ref.value.t === 'str' ? ref.value.v : '' } });
      return;
    }
    const vals = n.members.find((m) => m.key === '$values');
    if (vals && vals.value.t === 'arr') {
      vals.value.items.forEach((it, i) => {
        flatten(it, [...path, String(i)], out, depth + 1);
      });
      return;
    }
    const members = n.members.filter((m) => !m.key.startsWith('$'));
    if (members.length === 0 && !t) out.push({ path, value: scalar(n) });
    for (const m of members) flatten(m.value, [...path, m.key], out, depth + 1);
    return;
  }
  if (n.t === 'arr') {
    if (n.items.length === 0) out.push({ path, value: scalar(n) });
    n.items.forEach((it, i) => {
      flatten(it, [...path, String(i)], out, depth + 1);
    });
    return;
  }
  const e: MapEntry = { path, value: scalar(n) };
  e.valueType = n.t === 'str' ? 'string' : n.t === 'num' ? 'number' : n.t === 'bool' ? 'boolean' : n.t;
  out.push(e);
}

/** Quartz.NET System.Text.Json JobDataMap shape: an object of scalars or objects of string values, no `$` metadata, no arrays. */
function isStjShape(root: JNode): boolean {
  if (root.t !== 'obj') return false;
  for (const m of root.members) {
    if (m.key.startsWith('$')) return false;
    const v = m.value;
    if (v.t === 'arr' || v.t === 'raw') return false;
    if (
      v.t === 'obj' &&
      !v.members.every((x) => !x.key.startsWith('$') && (x.value.t === 'str' || x.value.t === 'null'))
    )
      return false;
  }
  return true;
}

function buildTree(n: JNode, label: string, count: { n: number }, depth: number): TreeNode {
  count.n++;
  if (count.n > 20_000) return { label, value: '… (tree truncated)' };
  switch (n.t) {
    case 'obj': {
      const t = typeOfObj(n);
      const node: TreeNode = { label, type: t ?? 'object', offset: n.off, children: [] };
      if (depth < 200) for (const m of n.members) node.children?.push(buildTree(m.value, m.key, count, depth + 1));
      return node;
    }
    case 'arr': {
      const node: TreeNode = { label, type: `array[${n.items.length}]`, offset: n.off, children: [] };
      if (depth < 200)
        n.items.forEach((it, i) => {
          node.children?.push(buildTree(it, `[${i}]`, count, depth + 1));
        });
      return node;
    }
    case 'str':
      return { label, type: 'string', value: n.v, offset: n.off };
    case 'num':
      return { label, type: 'number', value: Number.isFinite(n.v) ? n.v : n.raw, offset: n.off };
    case 'bool':
      return { label, type: 'boolean', value: n.v, offset: n.off };
    case 'null':
      return { label, value: null, offset: n.off };
    case 'raw':
      return { label, type: 'json.net', value: n.v, offset: n.off };
  }
}

/** Regex scan for `$type` values (used when the text does not parse). */
export function scanTypeNames(text: string): string[] {
  const out: string[] = [];
  const re = /["']?\$type["']?\s*:\s*(?:"((?:[^"\\]|\\.){1,4096})"|'((?:[^'\\]|\\.){1,4096})')/g;
  for (let m = re.exec(text); m && out.length < 10_000; m = re.exec(text)) out.push((m[1] ?? m[2] ?? '').trim());
  return out;
}

export function parseJson(bytes: Uint8Array, limits: Limits): FormatResult {
  const res: FormatResult = { format: 'json', types: [], entries: [], strings: [], byteArrays: [] };
  let text: string;
  let start = 0;
  const maxText = limits.maxTextBytes ?? MAX_TEXT_BYTES;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  try {
    text = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(start, start + maxText));
  } catch {
    res.malformed = { offset: 0, reason: 'not decodable as UTF-8' };
    return res;
  }
  const seen = new Set<string>();
  const addType = (t: string) => {
    res.jsonTypeNames = true;
    for (const r of dotnetTypeRefs(t, 'json-$type')) {
      const k = `${r.name}|${r.assembly ?? ''}`;
      if (seen.has(k)) continue;
      seen.add(k);
      res.types.push(r);
    }
  };
  const parsed = parseJsonText(text, limits);
  if (bytes.length - start > maxText) {
    // Only the first maxText were decoded: what they hold is checked, the rest is not read.
    res.limited = `text>${maxText}`;
    if (!parsed.error) parsed.error = { offset: maxText, reason: 'text past the size bound was not read' };
  }
  if (parsed.error) {
    res.malformed = { offset: parsed.error.offset + start, reason: `JSON: ${parsed.error.reason}` };
    if (parsed.error.limit) res.limited = parsed.error.limit;
    // Never clean: every $type value in the broken text still counts.
    for (const t of scanTypeNames(text)) {
      addType(t);
      res.strings.push({ path: ['$type'], value: t });
    }
    if (res.jsonTypeNames) res.format = 'json-newtonsoft';
  }
  const root = parsed.root;
  if (!root) return res;
  // Walk: $type names, strings with paths.
  const stack: { n: JNode; path: string[] }[] = [{ n: root, path: [] }];
  let steps = 0;
  while (stack.length > 0) {
    const { n, path } = stack.pop() as { n: JNode; path: string[] };
    if ((++steps & 1023) === 0 && Date.now() > limits.deadline) {
      res.limited ??= 'time';
      break;
    }
    if (n.t === 'str') res.strings.push({ path, value: n.v });
    else if (n.t === 'raw') res.strings.push({ path, value: n.v });
    else if (n.t === 'obj') {
      for (const m of n.members) if (m.key === '$type' && m.value.t === 'str') addType(m.value.v);
      for (let i = n.members.length - 1; i >= 0; i--) {
        const m = n.members[i] as { key: string; value: JNode };
        stack.push({ n: m.value, path: [...path, m.key] });
      }
    } else if (n.t === 'arr')
      for (let i = n.items.length - 1; i >= 0; i--) stack.push({ n: n.items[i] as JNode, path: [...path, `[${i}]`] });
  }
  let format: BlobFormat = 'json';
  if (res.jsonTypeNames) format = 'json-newtonsoft';
  else if (isStjShape(root)) format = 'json-stj';
  res.format = format;
  const lenient = parsed.lenient;
  defineLazyTree(res, () => {
    const tree = buildTree(root, 'root', { n: 0 }, 0);
    if (lenient) tree.label = `root (non-strict JSON, Json.NET syntax: ${lenient})`;
    return tree;
  });
  // Quartz views.
  if (root.t === 'obj') {
    const t = typeOfObj(root);
    const keys = new Set(root.members.map((m) => m.key));
    if (t && CALENDAR_RE.test((splitTop(t)[0] ?? '').trim())) res.quartzObject = 'Calendar';
    else if (keys.has('TriggerType') || (keys.has('JobDataMap') && keys.has('Key'))) {
      res.quartzObject = 'Trigger';
      const jdm = root.members.find((m) => m.key === 'JobDataMap');
      if (jdm) flatten(jdm.value, ['JobDataMap'], res.entries, 1);
    } else {
      res.quartzObject = 'JobDataMap';
      for (const m of root.members) if (!m.key.startsWith('$')) flatten(m.value, [m.key], res.entries, 1);
    }
  }
  return res;
}
