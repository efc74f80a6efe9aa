/**
 * A read-only proof for T-SQL batches (issue #17, SQL Server): a batch passes only when, with comments, string
 * literals and [quoted identifiers] blanked, every statement is one of the SETs the adapter documents
 * (LOCK_TIMEOUT, DEADLOCK_PRIORITY LOW, SNAPSHOT / READ COMMITTED isolation) or a SELECT (optionally behind a
 * CTE) that names no writing, code-running, session-changing or locking keyword, and that node-sql-parser's
 * transactsql grammar parses as a select.
 */
import nodeSqlParser from 'node-sql-parser';

const { Parser } = nodeSqlParser;

/** The SET statements the adapter is documented to send (README, src/dialects/mssql/index.ts), nothing else. */
const DOCUMENTED_SETS = [
  /^SET LOCK_TIMEOUT \d+$/i,
  /^SET DEADLOCK_PRIORITY LOW$/i,
  /^SET TRANSACTION ISOLATION LEVEL (SNAPSHOT|READ COMMITTED)$/i,
];
/** Anything that writes, runs code, changes the session or takes locks beyond a plain read. */
const FORBIDDEN =
  /\b(INSERT|UPDATE|DELETE|MERGE|CREATE|ALTER|DROP|TRUNCATE|EXEC|EXECUTE|GRANT|REVOKE|DENY|INTO|BULK|OPENROWSET|OPENQUERY|OPENDATASOURCE|OPENXML|DBCC|BACKUP|RESTORE|KILL|SHUTDOWN|RECONFIGURE|WAITFOR|USE|DECLARE|BEGIN|COMMIT|ROLLBACK|SAVE|CHECKPOINT|WRITETEXT|UPDATETEXT|UPDLOCK|XLOCK|HOLDLOCK|TABLOCK|TABLOCKX|PAGLOCK|ROWLOCK|NOLOCK|READUNCOMMITTED|SERIALIZABLE|sp_\w+|xp_\w+)\b/i;

/** Statements of a T-SQL batch with comments, string literals and [quoted identifiers] blanked. */
export function tsqlStatements(batch: string): string[] {
  let out = '';
  for (let i = 0; i < batch.length; ) {
    const c = batch[i] as string;
    const two = batch.slice(i, i + 2);
    if (two === '--') {
      const end = batch.indexOf('\n', i);
      i = end < 0 ? batch.length : end;
    } else if (two === '/*') {
      // T-SQL block comments nest
      let depth = 0;
      do {
        if (batch.startsWith('/*', i)) {
          depth++;
          i += 2;
        } else if (batch.startsWith('*/', i)) {
          depth--;
          i += 2;
        } else i++;
      } while (depth > 0 && i < batch.length);
      out += ' ';
    } else if (c === "'" || c === '[' || c === '"') {
      const close = c === '[' ? ']' : c;
      i++;
      for (;;) {
        if (i >= batch.length) throw new Error('unterminated literal or identifier');
        if (batch[i] === close) {
          if (batch[i + 1] === close) i += 2;
          else break;
        } else i++;
      }
      i++;
      out += c === "'" ? "''" : '[x]';
    } else {
      out += c;
      i++;
    }
  }
  return out
    .split(';')
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

/** Why a batch is not a read-only batch ('' when it is): documented SETs, then SELECTs the grammar accepts. */
export function readOnlyViolation(batch: string): string {
  let statements: string[];
  try {
    statements = tsqlStatements(batch);
  } catch (err) {
    return (err as Error).message;
  }
  const parser = new Parser();
  for (const s of statements) {
    if (DOCUMENTED_SETS.some((re) => re.test(s))) continue;
    if (/^SET\b/i.test(s)) return `undocumented SET: ${s}`;
    const bad = FORBIDDEN.exec(s);
    if (bad) return `${bad[0]} in: ${s.slice(0, 120)}`;
    if (!/^(SELECT|WITH)\b/i.test(s)) return `not a SELECT: ${s.slice(0, 120)}`;
    let ast: unknown;
    try {
      ast = parser.astify(s.replaceAll('@@SPID', '@spid'), { database: 'transactsql' });
    } catch (err) {
      return `does not parse as T-SQL (${(err as Error).message.slice(0, 80)}): ${s.slice(0, 120)}`;
    }
    for (const a of Array.isArray(ast) ? ast : [ast])
      if ((a as { type?: string }).type !== 'select') return `parsed as ${(a as { type?: string }).type}: ${s}`;
  }
  return '';
}
