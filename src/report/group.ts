/**
 * Grouping of row-level findings for the human formats (table, Markdown, HTML; issue #13 part 1). Machine
 * formats (JSON, SARIF, JUnit, Prometheus) list or count every finding; a person needs one item to act on:
 *
 * - the same secret (same check, detector and keyed secret fingerprint, `evidence.fingerprint`) in many
 *   rows is one item to rotate, with its row count and the first rows;
 * - other row findings group by check, severity and object pattern (`<table>.<column> *`) with counts.
 *
 * Findings of any other kind (a grant, a setting, a database) stay one item each. Pure: no I/O.
 */
import type { Finding } from '../model.js';

/** Rows named under a grouped item (the rest are counted). */
export const GROUP_SHOWN_ROWS = 3;

export type FindingItem =
  | { kind: 'one'; finding: Finding }
  | {
      kind: 'secret' | 'pattern';
      check: string;
      /** Object pattern the rows share, e.g. `QRTZ_JOB_DETAILS.JOB_DATA *`. */
      pattern: string;
      /** The secret's keyed fingerprint (kind 'secret'). */
      secret?: string;
      count: number;
      /** The first GROUP_SHOWN_ROWS findings, in report order. */
      first: Finding[];
    };

/** `<table>.<column> *` for a row finding named `<table>.<column> <row key>`. */
export function objectPattern(f: Finding): string {
  const key = f.object.rowKey;
  const name = f.object.name;
  if (key !== undefined && name.endsWith(` ${key}`)) return `${name.slice(0, name.length - key.length)}*`;
  return name;
}

function groupKey(f: Finding): { key: string; kind: 'secret' | 'pattern'; secret?: string } | undefined {
  if (f.object.kind !== 'row') return undefined;
  const secret = f.evidence?.fingerprint;
  if (typeof secret === 'string' && secret) {
    return {
      key: `s\u0000${f.check}\u0000${String(f.evidence?.detector ?? '')}\u0000${secret}`,
      kind: 'secret',
      secret,
    };
  }
  return { key: `p\u0000${f.check}\u0000${f.severity}\u0000${f.status}\u0000${objectPattern(f)}`, kind: 'pattern' };
}

/** Items in order of first appearance; a group of at most `shown` findings stays those findings. */
export function groupFindings(list: readonly Finding[], shown = GROUP_SHOWN_ROWS): FindingItem[] {
  const items: FindingItem[] = [];
  const groups = new Map<string, Extract<FindingItem, { kind: 'secret' | 'pattern' }>>();
  for (const f of list) {
    const g = groupKey(f);
    if (!g) {
      items.push({ kind: 'one', finding: f });
      continue;
    }
    const item = groups.get(g.key);
    if (item) {
      item.count++;
      if (item.first.length < shown) item.first.push(f);
      continue;
    }
    const created: Extract<FindingItem, { kind: 'secret' | 'pattern' }> = {
      kind: g.kind,
      check: f.check,
      pattern: objectPattern(f),
      ...(g.secret ? { secret: g.secret } : {}),
      count: 1,
      first: [f],
    };
    groups.set(g.key, created);
    items.push(created);
  }
  // A group with nothing to hide (no more rows than it would name) stays its findings, one by one.
  return items.flatMap((i): FindingItem[] =>
    i.kind !== 'one' && i.count <= shown ? i.first.map((finding) => ({ kind: 'one', finding })) : [i],
  );
}

/** The headline of a grouped item, e.g. "same secret (fingerprint 1a2b…) in 2000 rows of QRTZ_JOB_DETAILS.JOB_DATA *". */
export function groupHeadline(item: Extract<FindingItem, { kind: 'secret' | 'pattern' }>): string {
  return item.kind === 'secret'
    ? `same secret (fingerprint ${item.secret}) in ${item.count} rows of ${item.pattern}`
    : `${item.count} rows of ${item.pattern}`;
}

/** "first rows: a, b, c (+N more)". */
export function groupRows(item: Extract<FindingItem, { kind: 'secret' | 'pattern' }>): string {
  const keys = item.first.map((f) => f.object.rowKey ?? f.object.name);
  const more = item.count - item.first.length;
  return `first rows: ${keys.join(', ')}${more > 0 ? ` (+${more} more)` : ''}`;
}
