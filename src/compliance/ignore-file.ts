/**
 * `.qrtz-audit-ignore.yml` (issue #13 part 2): read from the current directory, or the file --ignore-file
 * names. A mistake is one line naming the file, the line, the path and what was expected, e.g.
 * `.qrtz-audit-ignore.yml:7:7: suppressions[1].reason: a reason is mandatory`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Document, isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { UserError } from '../errors.js';
import { escapeControl } from '../report/terminal.js';
import { ignoreFileSchema, type SuppressionEntry } from './schema.js';

/** The file found in the current directory when --ignore-file is not given. */
export const IGNORE_FILE_NAME = '.qrtz-audit-ignore.yml';

/** `suppressions[1].reason` */
export function pathText(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

/** Line and column of the deepest node of `path` the document has (a missing key points at its parent). */
export function position(doc: Document, lc: LineCounter, path: readonly PropertyKey[]): string {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) {
      const p = lc.linePos(node.range[0]);
      return `${p.line}:${p.col}`;
    }
  }
  return '1:1';
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

function issueText(issue: z.core.$ZodIssue, data: unknown): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown key ${issue.keys.join(', ')} (expected check, object, fingerprint, reason, expires, owner)`;
  if (issue.code === 'invalid_type')
    return valueAt(data, issue.path) === undefined
      ? `missing (expected ${issue.expected})`
      : `expected ${issue.expected}`;
  return issue.message;
}

/** Parses and validates ignore-file text; `file` names it in errors. */
export function parseIgnoreFile(text: string, file: string): SuppressionEntry[] {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const shown = escapeControl(file, false);
  const err = doc.errors[0];
  if (err) {
    const p = err.linePos?.[0];
    throw new UserError(
      'input',
      `${shown}:${p ? `${p.line}:${p.col}` : '1:1'}: not valid YAML: ${err.message.split('\n')[0]}`,
    );
  }
  const data = doc.toJS() ?? {};
  const parsed = ignoreFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    const path = issue.path;
    throw new UserError(
      'input',
      `${shown}:${position(doc, lc, path)}: ${path.length ? pathText(path) : '(top level)'}: ${escapeControl(issueText(issue, data), false)}`,
    );
  }
  return parsed.data.suppressions;
}

/**
 * The entries of the ignore file: `explicit` (--ignore-file; must exist), else IGNORE_FILE_NAME in `cwd`
 * when it exists, else none. Returns the path read (for marks and messages) with the entries.
 */
export function readIgnoreFile(
  explicit: string | undefined,
  cwd = process.cwd(),
): { path: string; entries: SuppressionEntry[] } | undefined {
  const path = explicit ?? (existsSync(resolve(cwd, IGNORE_FILE_NAME)) ? IGNORE_FILE_NAME : undefined);
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
  } catch (err) {
    throw new UserError('input', `cannot read ignore file ${escapeControl(path, false)}: ${(err as Error).message}`);
  }
  return { path, entries: parseIgnoreFile(text, path) };
}
