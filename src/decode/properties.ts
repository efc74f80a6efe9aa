/**
 * Java/.NET properties text (Java Quartz `useProperties=true`: java.util.Properties.store output).
 * Implements the Properties.load grammar: natural lines (\n, \r, \r\n), leading whitespace,
 * `#`/`!` comments, backslash line continuation, key terminated by an unescaped `=`, `:` or
 * whitespace, escapes \t \n \r \f \uXXXX and \x → x. Text is UTF-8 when it decodes as such,
 * else ISO-8859-1 (what Properties.store writes). A malformed \u escape (Properties.load throws)
 * makes the blob malformed, keeping the entries read before it.
 */
import type { TreeNode } from '../model.js';
import { type FormatResult, type Limits, MAX_TEXT_BYTES } from './types.js';

const MAX_ENTRIES = 100_000;

function decodeText(b: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
  }
}

class BadEscape extends Error {
  constructor(readonly at: number) {
    super('malformed \\uXXXX escape');
  }
}

/** Unescape a key or value (Properties.loadConvert). `at` = offset for error reporting. */
function unescapeProp(s: string, at: number): string {
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
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new BadEscape(at + i - 1);
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 4;
    } else if (n === 't') out += '\t';
    else if (n === 'n') out += '\n';
    else if (n === 'r') out += '\r';
    else if (n === 'f') out += '\f';
    else out += n;
  }
  return out;
}

function endsWithOddBackslashes(s: string): boolean {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && s[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

export function parseProperties(bytes: Uint8Array, limits: Limits): FormatResult {
  const res: FormatResult = { format: 'properties', types: [], entries: [], strings: [], byteArrays: [] };
  const children: TreeNode[] = [];
  res.tree = { label: 'properties', type: 'java.util.Properties', offset: 0, children };
  try {
    let text: string;
    const maxText = limits.maxTextBytes ?? MAX_TEXT_BYTES;
    if (bytes.length > maxText) {
      // Cut at the last line break before the bound; entries before it are read and checked.
      let cut = maxText;
      while (cut > 0 && bytes[cut - 1] !== 0x0a && bytes[cut - 1] !== 0x0d) cut--;
      text = decodeText(bytes.subarray(0, cut || maxText));
      res.limited = `text>${maxText}`;
    } else text = decodeText(bytes);
    // Natural lines with their start offsets (character offsets; bytes for ISO-8859-1 text).
    const lines: string[] = [];
    const starts: number[] = [];
    const sep = /\r\n|\r|\n/g;
    let from = 0;
    for (let m = sep.exec(text); m; m = sep.exec(text)) {
      lines.push(text.slice(from, m.index));
      starts.push(from);
      from = m.index + m[0].length;
    }
    if (from < text.length) {
      lines.push(text.slice(from));
      starts.push(from);
    }
    let offset = 0;
    let i = 0;
    let count = 0;
    while (i < lines.length) {
      if ((++count & 1023) === 0 && Date.now() > limits.deadline) {
        res.limited = 'time';
        res.malformed = { offset, reason: 'time budget exceeded' };
        break;
      }
      const lineStart = starts[i] as number;
      offset = lineStart;
      let line = (lines[i] as string).replace(/^[ \t\f]+/, '');
      const lead = (lines[i] as string).length - line.length;
      i++;
      if (line === '') continue;
      if (line.startsWith('#') || line.startsWith('!')) {
        const comment = line.slice(1).trim();
        if (comment !== '') res.strings.push({ path: ['#comment'], value: comment });
        continue;
      }
      // Continuations: parts joined once (repeated concatenation + slice would be quadratic on hostile input).
      if (endsWithOddBackslashes(line)) {
        const parts: string[] = [];
        let part = line;
        while (endsWithOddBackslashes(part)) {
          parts.push(part.slice(0, -1));
          if (i >= lines.length) {
            part = '';
            break;
          }
          part = (lines[i] as string).replace(/^[ \t\f]+/, '');
          i++;
        }
        parts.push(part);
        line = parts.join('');
      }
      // Key ends at the first unescaped '=', ':' or whitespace.
      const n = line.length;
      let k = 0;
      while (k < n) {
        const c = line.charCodeAt(k);
        if (c === 0x5c) k += 2;
        else if (c === 0x3d || c === 0x3a || c === 0x20 || c === 0x09 || c === 0x0c) break;
        else k++;
      }
      const rawKey = line.slice(0, Math.min(k, n));
      let v = k;
      const blank = (i: number) => {
        const c = line.charCodeAt(i);
        return c === 0x20 || c === 0x09 || c === 0x0c;
      };
      while (v < n && blank(v)) v++;
      if (v < n && (line.charCodeAt(v) === 0x3d || line.charCodeAt(v) === 0x3a)) v++;
      while (v < n && blank(v)) v++;
      const key = unescapeProp(rawKey, lineStart + lead);
      let value = unescapeProp(line.slice(v), lineStart + lead + v);
      if (value.length > limits.maxStringLength) value = value.slice(0, limits.maxStringLength);
      if (res.entries.length >= MAX_ENTRIES) {
        res.limited = `entries>${MAX_ENTRIES}`;
        break;
      }
      res.entries.push({ path: [key], value, valueType: 'java.lang.String' });
      res.strings.push({ path: [key], value });
      children.push({ label: key, type: 'string', value, offset: lineStart + lead });
    }
    res.quartzObject = 'JobDataMap';
  } catch (e) {
    if (e instanceof BadEscape) res.malformed = { offset: e.at, reason: 'malformed \\uXXXX escape' };
    else
      res.malformed = { offset: 0, reason: `properties parse failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  return res;
}
