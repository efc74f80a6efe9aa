/** Loads the SQL files in queries/<dialect>/ — every statement the tool runs is one of them. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'queries')) && existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('qrtz-audit: cannot find the queries/ folder beside package.json');
}

/** Root folder of the package (holds queries/, data/). */
export const packageRoot = findRoot();

const cache = new Map<string, string>();

/** The text of queries/<dialect>/<name>.sql, header comment included (the server ignores it). */
export function loadQuery(dialect: string, name: string, substitutions: Record<string, string> = {}): string {
  const file = join(packageRoot, 'queries', dialect, `${name}.sql`);
  let sql = cache.get(file);
  if (sql === undefined) {
    sql = readFileSync(file, 'utf8');
    cache.set(file, sql);
  }
  for (const [key, value] of Object.entries(substitutions)) sql = sql.split(`{{${key}}}`).join(value);
  return sql;
}

/** Reads a JSON data file from data/. */
export function loadData<T>(name: string): T {
  return JSON.parse(readFileSync(join(packageRoot, 'data', name), 'utf8')) as T;
}
