/** Every function the MySQL/MariaDB queries call is a built-in, called unqualified: never a stored function. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBuiltinFunction } from '../../../src/dialects/mysql/builtins.js';
import { mapShadowRoutines } from '../../../src/dialects/mysql/map.js';

const dir = join(import.meta.dirname, '../../../queries/mysql');
/** Words followed by "(" that are SQL syntax, not function calls. */
const SYNTAX = new Set(['AND', 'OR', 'NOT', 'ON', 'FROM', 'JOIN', 'WHERE', 'AS', 'USING', 'OVER', 'BY', 'SELECT']);

function calls(sql: string): { name: string; qualified: boolean }[] {
  const text = sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/'(?:[^'\\]|\\.|'')*'/g, "''")
    .replace(/\{\{[^}]*\}\}/g, 'x');
  const out: { name: string; qualified: boolean }[] = [];
  for (const m of text.matchAll(/([.`]?)([A-Za-z_][A-Za-z0-9_]*)\s*\(/g)) {
    const name = m[2] as string;
    if (SYNTAX.has(name.toUpperCase())) continue;
    out.push({ name, qualified: m[1] !== '' });
  }
  return out;
}

describe('queries/mysql call only built-in functions', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql'));
  it('finds the queries', () => {
    expect(files.length).toBeGreaterThan(20);
  });
  for (const f of files) {
    it(f, () => {
      const sql = readFileSync(join(dir, f), 'utf8');
      for (const c of calls(sql)) {
        expect(c.qualified, `${f}: ${c.name}( is schema-qualified`).toBe(false);
        expect(isBuiltinFunction(c.name), `${f}: ${c.name}( is not a known built-in`).toBe(true);
      }
    });
  }
  it('the call finder sees qualified and unknown calls', () => {
    expect(calls('SELECT qrtz.lower(x), my_func(y), UPPER(z) FROM t')).toEqual([
      { name: 'lower', qualified: true },
      { name: 'my_func', qualified: false },
      { name: 'UPPER', qualified: false },
    ]);
  });
});

describe('mapShadowRoutines', () => {
  it('names the routine, its definer and what it shadows', () => {
    const [t] = mapShadowRoutines([
      { ROUTINE_NAME: 'lower', ROUTINE_TYPE: 'FUNCTION', DEFINER: 'app@%', SECURITY_TYPE: 'DEFINER' },
    ]);
    expect(t).toMatchObject({ kind: 'shadow-function', name: 'lower', owner: 'app@%' });
    expect(t?.detail).toContain('built-in LOWER');
  });
});
