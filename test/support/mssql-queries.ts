/**
 * queries/mssql files as the adapter sends them, for tests that check what a SQL Server would return: the file
 * filled with sample placeholder values, and the output column names of its (first) SELECT as node-sql-parser's
 * transactsql grammar reads them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nodeSqlParser from 'node-sql-parser';

const qdir = join(import.meta.dirname, '..', '..', 'queries', 'mssql');

/** A query file's text as the adapter fills it (placeholders with sample values). */
export function filled(sql: string): string {
  return sql
    .replaceAll('{{table}}', '[dbo].[QRTZ_JOB_DETAILS]')
    .replaceAll('{{rows}}', '100')
    .replaceAll('{{ms}}', '2000')
    .replace(/\{\{([A-Z_]+)\}\}/g, '[dbo].[QRTZ_$1]');
}

/** Output column names of a query file's (first) SELECT, in order. */
export function selectList(name: string): string[] {
  const sql = filled(readFileSync(join(qdir, `${name}.sql`), 'utf8')).replaceAll('@@SPID', '@spid');
  const ast = new nodeSqlParser.Parser().astify(sql, { database: 'transactsql' });
  const first = (Array.isArray(ast) ? ast[0] : ast) as {
    columns: { as?: string | null; expr: { column?: unknown } }[];
  };
  return first.columns.map((c) => {
    if (c.as) return c.as;
    const col = c.expr.column as string | { expr: { value: string } };
    return typeof col === 'string' ? col : col.expr.value;
  });
}
