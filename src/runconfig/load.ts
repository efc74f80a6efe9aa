/**
 * Reads and validates a config file: YAML through `yaml`'s parseDocument (with a LineCounter, so every
 * zod issue path maps back to a line and column), then the strict zod schema. A mistake is one line,
 * exit 2: `qrtz-audit.yml:7:5: targets[1].thresholds.lockTimeout: expected a duration such as 2000, 2s or 1.5min`.
 */
import { readFileSync } from 'node:fs';
import { type Document, isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { catalogue } from '../checks/catalogue.js';
import { pathText, position } from '../compliance/ignore-file.js';
import { UserError } from '../errors.js';
import { escapeControl } from '../report/terminal.js';
import { keysExpectedAt, type RunConfig, runConfigSchema } from './schema.js';

/** A config file, validated, and where it came from (relative paths in it are taken from its directory). */
export interface LoadedRunConfig {
  path: string;
  config: RunConfig;
}

/** The line of an unknown key itself (not of the object that holds it). */
function keyPosition(doc: Document, lc: LineCounter, path: readonly PropertyKey[], key: string): string | undefined {
  const parent = path.length ? doc.getIn(path as unknown[], true) : doc.contents;
  const items = (parent as { items?: { key?: unknown }[] } | undefined)?.items;
  for (const item of items ?? []) {
    const k = item.key;
    if (isNode(k) && k.range && String((k as { value?: unknown }).value) === key) {
      const p = lc.linePos(k.range[0]);
      return `${p.line}:${p.col}`;
    }
  }
  return undefined;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

function issueText(issue: z.core.$ZodIssue, data: unknown): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown key ${issue.keys.join(', ')} (expected ${keysExpectedAt(issue.path).join(', ')})`;
    case 'invalid_type':
      return valueAt(data, issue.path) === undefined
        ? `missing (expected ${issue.expected})`
        : `expected ${issue.expected}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'array' ? `expected at least ${issue.minimum} item(s)` : `expected ${issue.message}`;
    case 'too_big':
      return `expected at most ${String(issue.maximum)}`;
    case 'invalid_key':
      return `invalid key: ${issue.issues[0] ? issueText(issue.issues[0], undefined).replace(/^Invalid string: .*/, 'another format') : issue.message}`;
    case 'invalid_format':
      return `expected ${issue.message.replace(/^Invalid string: must match pattern .*/, 'another format')}`;
    default:
      return issue.message;
  }
}

/** A severity override naming a check the catalogue does not have (the schema only checks the id's shape). */
function unknownCheckIssue(c: RunConfig): z.core.$ZodIssue | undefined {
  const ids = new Set(catalogue().map((e) => e.id));
  const at: [PropertyKey[], RunConfig['severityOverrides']][] = [
    [[], c.severityOverrides],
    ...c.targets.map((t, i): [PropertyKey[], RunConfig['severityOverrides']] => [['targets', i], t.severityOverrides]),
  ];
  for (const [path, overrides] of at)
    for (const id of Object.keys(overrides ?? {}))
      if (!ids.has(id))
        return {
          code: 'custom',
          path: [...path, 'severityOverrides', id],
          message: 'no check has this id (qrtz-audit checks lists them)',
          input: id,
        } as z.core.$ZodIssue;
  return undefined;
}

/** Parses and validates config text; `file` names it in errors (and is escaped there). */
export function parseRunConfig(text: string, file: string): RunConfig {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: true, uniqueKeys: true });
  const shown = escapeControl(file, false);
  const err = doc.errors[0];
  if (err) {
    const p = err.linePos?.[0];
    throw new UserError(
      'input',
      `${shown}:${p ? `${p.line}:${p.col}` : '1:1'}: not valid YAML: ${escapeControl((err.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, ''), false)}`,
    );
  }
  const data = doc.toJS() ?? {};
  const parsed = runConfigSchema.safeParse(data);
  const issue = parsed.success ? unknownCheckIssue(parsed.data) : (parsed.error.issues[0] as z.core.$ZodIssue);
  if (parsed.success && !issue) return parsed.data;
  if (!issue) throw new Error('unreachable');
  const path = issue.path;
  const where =
    (issue.code === 'unrecognized_keys' && keyPosition(doc, lc, path, String(issue.keys[0]))) ||
    position(doc, lc, path);
  throw new UserError(
    'input',
    `${shown}:${where}: ${path.length ? pathText(path) : '(top level)'}: ${escapeControl(issueText(issue, data), false)}`,
  );
}

/** Reads the config file `path` (one line, exit 2, when it cannot be read or is invalid). */
export function loadRunConfig(path: string): LoadedRunConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError('input', `cannot read config file ${escapeControl(path, false)}${code ? ` (${code})` : ''}`);
  }
  return { path, config: parseRunConfig(text, path) };
}
