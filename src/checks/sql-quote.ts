/**
 * The one place remediation SQL quotes names from the audited database. One function per dialect:
 * PostgreSQL quote_ident semantics, MySQL/MariaDB backticks and 'user'@'host' account literals,
 * SQL Server brackets. A name that cannot be pasted safely (control characters, NUL, bidi or
 * zero-width controls, line separators) throws UnsafeNameError; `safeRemediation` turns that into a
 * remediation that says so, as one SQL comment line, instead of SQL.
 */
import { escapeControl, isUnsafeCodePoint } from '../report/terminal.js';

export class UnsafeNameError extends Error {
  readonly unsafeName: string;
  /** Why it cannot be pasted, as the end of a sentence about the name. */
  readonly why: string;
  constructor(name: string, why = 'holds control, bidi or line-separator characters that cannot be pasted safely') {
    super(`name ${JSON.stringify(escapeControl(name))} ${why}`);
    this.name = 'UnsafeNameError';
    this.unsafeName = name;
    this.why = why;
  }
}

/** Why a name cannot be pasted into SQL, or undefined when it can. */
export function unsafeNameReason(name: string): string | undefined {
  for (const ch of name) {
    const c = ch.codePointAt(0) as number;
    if (isUnsafeCodePoint(c)) return `it holds U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return undefined;
}

function assertSafe(name: string): void {
  if (name === '' || unsafeNameReason(name) !== undefined) throw new UnsafeNameError(name);
}

/** PostgreSQL keywords quote_ident quotes (every category but unreserved; from pg_get_keywords()). */
const PG_KEYWORDS = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization between bigint binary bit boolean both case cast ' +
    'char character check coalesce collate collation column concurrently constraint create cross current_catalog ' +
    'current_date current_role current_schema current_time current_timestamp current_user dec decimal default deferrable ' +
    'desc distinct do else end except exists extract false fetch float for foreign freeze from full grant greatest group ' +
    'grouping having ilike in initially inner inout int integer intersect interval into is isnull join json json_array ' +
    'json_arrayagg json_exists json_object json_objectagg json_query json_scalar json_serialize json_table json_value ' +
    'lateral leading least left like limit localtime localtimestamp merge_action national natural nchar none normalize ' +
    'not notnull null nullif numeric offset on only or order out outer overlaps overlay placing position precision ' +
    'primary real references returning right row select session_user setof similar smallint some substring symmetric ' +
    'system_user table tablesample then time timestamp to trailing treat trim true union unique user using values ' +
    'varchar variadic verbose when where window with xmlattributes xmlconcat xmlelement xmlexists xmlforest ' +
    'xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable'
  ).split(' '),
);

/** PostgreSQL identifier with quote_ident semantics: bare when lower-case simple and not a keyword. */
export function pgQuoteIdent(name: string): string {
  assertSafe(name);
  if (/^[a-z_][a-z0-9_]*$/.test(name) && !PG_KEYWORDS.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** A PostgreSQL role in GRANT/REVOKE: PUBLIC is the keyword, anything else an identifier. */
export function pgRole(name: string): string {
  return name === 'PUBLIC' ? 'PUBLIC' : pgQuoteIdent(name);
}

/** MySQL/MariaDB identifier: always backticks, a backtick doubled. */
export function mysqlQuoteIdent(name: string): string {
  assertSafe(name);
  // MySQL identifiers cannot hold supplementary characters; such a name is not one MySQL made.
  for (const ch of name) if ((ch.codePointAt(0) as number) > 0xffff) throw new UnsafeNameError(name);
  return `\`${name.replace(/`/g, '``')}\``;
}

/** One part of a MySQL account name: 'text' with '' doubling; backticks when it holds a backslash
 *  (whose meaning in a string literal depends on NO_BACKSLASH_ESCAPES). */
function mysqlAccountPart(part: string): string {
  if (part.includes('\\')) return mysqlQuoteIdent(part);
  assertSafe(part);
  for (const ch of part) if ((ch.codePointAt(0) as number) > 0xffff) throw new UnsafeNameError(part);
  return `'${part.replace(/'/g, "''")}'`;
}

/** How many ways a canonical 'user'@'host' name splits into user and host ('@' between quotes, overlaps counted). */
export function accountSplitPoints(name: string): number {
  let n = 0;
  for (let i = 1; i + 3 <= name.length - 1; i++) if (name.startsWith("'@'", i)) n++;
  return n;
}

/** MySQL/MariaDB account or role from the canonical principal name ('user'@'host', a bare role or PUBLIC). */
export function mysqlAccount(name: string): string {
  if (name === 'PUBLIC') return 'PUBLIC';
  const m = /^'(.*)'@'(.*)'$/s.exec(name);
  if (!m) return mysqlAccountPart(name);
  // 'user'@'host' with raw quotes is ambiguous when '@' stands in it more than once ('a'@'b'@'c' is
  // user a'@'b or host b'@'c): no statement is given for a name that cannot be split for certain.
  if (accountSplitPoints(name) > 1)
    throw new UnsafeNameError(name, "has more than one '@' between quotes, so its user and host cannot be told apart");
  return `${mysqlAccountPart(m[1] ?? '')}@${mysqlAccountPart(m[2] ?? '')}`;
}

/** SQL Server identifier: brackets, a closing bracket doubled. */
export function mssqlQuoteIdent(name: string): string {
  assertSafe(name);
  return `[${name.replace(/]/g, ']]')}]`;
}

/** A POSIX shell word for remediation commands (file paths, account names): single quotes, ' as '\\''.
 *  Quoting does not stop a word starting with - from being read as an option: put -- before operands. */
export function shellQuote(word: string): string {
  assertSafe(word);
  if (/^[A-Za-z0-9_./:@%+=,-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, "'\\''")}'`;
}

/**
 * Runs a remediation builder; when a name in it cannot be pasted safely, returns one SQL comment
 * line saying so (with the name in its escaped display form) instead of SQL.
 */
export function safeRemediation(build: () => string): string {
  try {
    return build();
  } catch (err) {
    if (!(err instanceof UnsafeNameError)) throw err;
    return (
      `-- no SQL given: the name ${escapeControl(JSON.stringify(err.unsafeName))} ${err.why}; ` +
      'check who created it, then rename or drop it by hand.'
    );
  }
}
