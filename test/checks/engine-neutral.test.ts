/**
 * No check names an engine to decide what to do: engines differ only through the parts registered in a check's
 * `engines` (src/checks/<family>/<id>.<engine>.ts), chosen by the engine from the facts' dialect. The scan is a
 * text search over src/checks for a comparison of a dialect with a string, either way round.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allChecks } from '../../src/checks/index.js';
import { type Check, evaluatorOf } from '../../src/model.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CHECKS = join(ROOT, 'src', 'checks');

const BRANCH = [
  /\bdialect\s*[!=]==?\s*['"`]/,
  /['"`](?:postgres|mysql|mariadb|sqlite|mssql)['"`]\s*[!=]==?/,
  /\bcase\s+['"`](?:postgres|mysql|mariadb|sqlite|mssql)['"`]\s*:/,
];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function branches(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => !/^\s*(\/\/|\*|\/\*)/.test(l))
    .filter((l) => BRANCH.some((re) => re.test(l)));
}

describe('checks judge facts, not engine names', () => {
  it('the scan finds a branch on an engine name (it cannot pass on nothing)', () => {
    expect(branches("  if (facts.dialect === 'postgres') {")).toHaveLength(1);
    expect(branches("  const pg = 'mariadb' !== facts.dialect;")).toHaveLength(1);
    expect(branches("    case 'mssql':")).toHaveLength(1);
    expect(branches("  // facts.dialect === 'postgres' in a comment")).toHaveLength(0);
    expect(branches('  name: facts.target.database || facts.dialect,')).toHaveLength(0);
  });

  it('no file under src/checks compares a dialect with an engine name', () => {
    const all = files(CHECKS);
    expect(all.length).toBeGreaterThan(40);
    const found = all.flatMap((f) => branches(readFileSync(f, 'utf8')).map((l) => `${relative(ROOT, f)}: ${l.trim()}`));
    expect(found).toEqual([]);
  });

  it('a part wins on its engine, the check-wide evaluate serves the others, nothing else evaluates', () => {
    const byId = new Map(allChecks.map((c) => [c.meta.id, c]));
    const g03 = byId.get('QA-G03') as Check;
    expect(g03?.evaluate).toBeDefined();
    expect(evaluatorOf(g03, 'mssql')).toBe(g03?.engines?.mssql);
    expect(evaluatorOf(g03, 'postgres')?.evaluate).toBe(g03?.evaluate);
    const g05 = byId.get('QA-G05') as Check;
    expect(g05?.evaluate).toBeUndefined();
    expect(evaluatorOf(g05, 'sqlite')).toBeUndefined();
    const only: Check = { meta: { ...g03.meta, evaluatedOn: ['postgres'] as const }, evaluate: g03.evaluate };
    expect(evaluatorOf(only, 'mysql')).toBeUndefined();
    expect(evaluatorOf(only, 'postgres')).toBeDefined();
  });
});
