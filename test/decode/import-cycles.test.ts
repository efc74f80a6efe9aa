/**
 * No import cycle among the decoder files (src/decode), the model (src/model) or the checks (src/checks).
 * A simple import-graph walk: every relative
 * `import … from`, `import type … from`, `export … from`, side-effect `import '…'` and literal
 * `import('…')` counts (a type-only back edge is still a cycle between the files' jobs). Edges
 * leaving src/decode are followed too, so a cycle that goes out and comes back is also caught.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const DECODE = join(ROOT, 'src', 'decode');

/** Relative module specifiers of one source text (comments removed first). */
function importSpecifiers(source: string): string[] {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of text.matchAll(re)) if (m[1]?.startsWith('.')) out.push(m[1]);
  return out;
}

/** Resolve a relative specifier (NodeNext style: './x.js' names './x.ts') to a file, or undefined. */
function resolveSpecifier(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  const candidates = [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((c) => c.endsWith('.ts') && existsSync(c));
}

/** Import graph reachable from the given files: file → files it imports. */
function importGraph(starts: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const todo = [...starts];
  for (let f = todo.pop(); f !== undefined; f = todo.pop()) {
    if (graph.has(f)) continue;
    const deps = importSpecifiers(readFileSync(f, 'utf8'))
      .map((s) => resolveSpecifier(f, s))
      .filter((d): d is string => d?.startsWith(join(ROOT, 'src')) === true);
    graph.set(f, [...new Set(deps)]);
    todo.push(...deps);
  }
  return graph;
}

/** Every cycle found by a depth-first walk (each as the list of files, first repeated at the end). */
function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'active' | 'done'>();
  const path: string[] = [];
  const visit = (n: string): void => {
    state.set(n, 'active');
    path.push(n);
    for (const d of graph.get(n) ?? []) {
      const s = state.get(d);
      if (s === 'active') cycles.push([...path.slice(path.indexOf(d)), d]);
      else if (s === undefined) visit(d);
    }
    path.pop();
    state.set(n, 'done');
  };
  for (const n of graph.keys()) if (!state.has(n)) visit(n);
  return cycles;
}

describe('src/decode import graph', () => {
  const files = readdirSync(DECODE)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(DECODE, f));
  const graph = importGraph(files);
  const rel = (f: string) => relative(ROOT, f);

  it('the walk sees the decoder imports (it cannot pass on an empty graph)', () => {
    expect(files.length).toBeGreaterThan(5);
    const index = graph.get(join(DECODE, 'index.ts')) ?? [];
    expect(index.map(rel)).toEqual(
      expect.arrayContaining(['src/decode/java.ts', 'src/decode/nrbf.ts', 'src/decode/types.ts']),
    );
    expect((graph.get(join(DECODE, 'views-java.ts')) ?? []).length).toBeGreaterThan(0);
  });

  it('reads every import form, type-only and re-exports included, and finds a cycle', () => {
    const src = [
      "import type { A } from './a.js';",
      "import { b,\n  c } from './b.js';",
      "export { d } from './d.js';",
      "export * from './e.js';",
      "import './f.js';",
      "const g = await import('./g.js');",
      "// import { x } from './commented.js';",
      "/* import { y } from './block.js'; */",
      "import { z } from 'node:fs';",
    ].join('\n');
    expect(importSpecifiers(src).sort()).toEqual(['./a.js', './b.js', './d.js', './e.js', './f.js', './g.js']);
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(findCycles(g)).toEqual([['a', 'b', 'c', 'a']]);
    expect(
      findCycles(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('has no import cycle that involves a src/decode file', () => {
    const cycles = findCycles(graph)
      .filter((c) => c.some((f) => f.startsWith(DECODE)))
      .map((c) => c.map(rel).join(' → '));
    expect(cycles).toEqual([]);
  });
});

/** Every .ts file below a folder. */
function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

for (const area of ['model', 'checks'] as const) {
  describe(`src/${area} import graph`, () => {
    const dir = join(ROOT, 'src', area);
    const files = tsFiles(dir);
    const graph = importGraph(files);
    const rel = (f: string) => relative(ROOT, f);

    it('the walk sees the imports (it cannot pass on an empty graph)', () => {
      expect(files.length).toBeGreaterThan(area === 'model' ? 4 : 40);
      const edges = files.reduce((n, f) => n + (graph.get(f) ?? []).filter((d) => d.startsWith(dir)).length, 0);
      expect(edges).toBeGreaterThan(area === 'model' ? 4 : 40);
    });

    it(`has no import cycle that involves a src/${area} file`, () => {
      const cycles = findCycles(graph)
        .filter((c) => c.some((f) => f.startsWith(dir)))
        .map((c) => c.map(rel).join(' → '));
      expect(cycles).toEqual([]);
    });
  });
}
