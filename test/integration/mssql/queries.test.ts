/**
 * Every queries/mssql/*.sql parsed by a T-SQL grammar (node-sql-parser, transactsql mode), and every
 * catalog-view column it names checked against the columns Microsoft documents for that view
 * (test/fixtures/mssql/catalog-columns.json, with the page each list came from); Quartz table columns are
 * checked against the official schema (test/fixtures/mssql/tables_sqlServer.sql).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import nodeSqlParser from 'node-sql-parser';
import { describe, expect, it } from 'vitest';

const { Parser } = nodeSqlParser;
const root = join(import.meta.dirname, '..', '..', '..');
const dir = join(root, 'queries', 'mssql');
const files = readdirSync(dir).filter((f) => f.endsWith('.sql'));
const catalog = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'mssql', 'catalog-columns.json'), 'utf8')) as {
  views: Record<string, { url: string; columns: string[] }>;
};
const schemaSql = readFileSync(join(root, 'test', 'fixtures', 'mssql', 'tables_sqlServer.sql'), 'utf8');
/** Columns of every Quartz table in the official script, upper case. */
const quartzColumns = new Set(
  [...schemaSql.matchAll(/^\s+\[([A-Z_0-9]+)\] \[[a-z]+\]/gm)].map((m) => (m[1] as string).toUpperCase()),
);

/**
 * Documented exceptions, each a textual substitution before parsing (never a skipped file):
 * - `{{table}}`, `{{rows}}`, `{{ms}}`: placeholders the adapter fills with a bracket-quoted name or a
 *   validated integer; the test fills them with sample values.
 * - `@@SPID`: node-sql-parser 5 has no rule for the @@SPID system function; parsed as a variable.
 * - `{{TRIGGERS}}`…: scheduler-*.sql placeholders the shared scheduler reader fills with the quoted real table
 *   name; the test fills them with the stock [dbo].[QRTZ_…] name, so their columns are checked against the schema.
 */
function prepare(sql: string): string {
  return sql
    .replaceAll('{{table}}', '[dbo].[QRTZ_JOB_DETAILS]')
    .replaceAll('{{rows}}', '100')
    .replaceAll('{{ms}}', '2000')
    .replaceAll('@@SPID', '@spid')
    .replace(/\{\{([A-Z_]+)\}\}/g, '[dbo].[QRTZ_$1]');
}

/** Aliases of table-valued functions, which the parser cannot resolve to a name. */
const FUNCTION_ALIASES: Record<string, string> = { f: 'fn_my_permissions' };

describe('queries/mssql', () => {
  it('exist, each with a header naming what it reads and the permission it needs', () => {
    expect(files.length).toBeGreaterThanOrEqual(35);
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      expect(text.startsWith(`-- ${f}:`), f).toBe(true);
      expect(/^-- .*Reads: /m.test(text), `${f} says what it reads`).toBe(true);
      expect(/Permission: /.test(text), `${f} says which permission it needs`).toBe(true);
    }
  });

  it.each(files)('%s parses as T-SQL and names only documented columns', (f) => {
    const sql = prepare(readFileSync(join(dir, f), 'utf8'));
    const parser = new Parser();
    expect(() => parser.astify(sql, { database: 'transactsql' })).not.toThrow();
    const columns = parser.columnList(sql, { database: 'transactsql' });
    for (const entry of columns) {
      const [, table, column] = entry.split('::') as [string, string, string];
      if (table === 'null' || column.startsWith('@') || column === '(.*)') continue;
      const view = catalog.views[FUNCTION_ALIASES[table] ?? table];
      if (view) {
        expect(view.columns, `${f}: ${table}.${column} (documented at ${view.url})`).toContain(column);
      } else if (/^QRTZ_/i.test(table)) {
        expect(quartzColumns.has(column.toUpperCase()), `${f}: Quartz column ${column}`).toBe(true);
      } else {
        throw new Error(`${f}: column ${column} of ${table}, which has no documented column list`);
      }
    }
  });

  it('the column check can fail: an undocumented column is caught', () => {
    const parser = new Parser();
    const cols = parser.columnList('SELECT d.is_trustworthy, d.name FROM sys.databases AS d', {
      database: 'transactsql',
    });
    const documented = catalog.views.databases?.columns ?? [];
    expect(cols.map((c) => c.split('::')[2]).filter((c) => !documented.includes(c as string))).toEqual([
      'is_trustworthy',
    ]);
  });

  it('no statement reads password_hash, uses NOLOCK / READ UNCOMMITTED or xp_instance_regread', () => {
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8')
        .replace(/^--.*$/gm, '')
        .replace(/N?'[^']*'/g, "''");
      expect(text, f).not.toMatch(/password_hash|NOLOCK|READ UNCOMMITTED|xp_instance_regread|xp_regread/i);
      expect(text, f).not.toMatch(/\b(INSERT|UPDATE|DELETE|MERGE|CREATE|ALTER|DROP|EXEC|EXECUTE|GRANT)\b/i);
    }
  });

  it('Quartz tables are matched by exact name, never LIKE', () => {
    const q = readFileSync(join(dir, 'quartz-objects.sql'), 'utf8').replace(/^--.*$/gm, '');
    expect(q).not.toMatch(/LIKE/i);
    expect(q).toMatch(/UPPER\(o\.name\) IN \(@t0/);
  });
});

describe('queries the adapter runs', () => {
  it('every facts query exists, and each one that needs a permission names it for not-evaluated messages', async () => {
    const { FACT_QUERIES } = await import('../../../src/dialects/mssql/index.js');
    const { NEEDS } = await import('../../../src/dialects/mssql/map.js');
    const permissionless = new Set([
      'capabilities',
      'database',
      'databases-encrypted',
      'session',
      'my-server-permissions',
    ]);
    for (const q of [...FACT_QUERIES, 'tde', 'tde-2016']) {
      expect(files, q).toContain(`${q}.sql`);
      if (!permissionless.has(q)) expect(NEEDS[q], q).toBeTruthy();
    }
  });
});
