/** Prints the README's check table from the checks' own metadata: `npx tsx scripts/checks-doc.ts`. */
import { allChecks } from '../src/checks/index.js';

const seen = new Map<string, { title: string; family: string; severity: string; dialects: Set<string> }>();
for (const c of allChecks) {
  const m = c.meta;
  const e = seen.get(m.id) ?? { title: m.title, family: m.family, severity: m.severity, dialects: new Set<string>() };
  for (const d of m.dialects ?? ['all']) e.dialects.add(d);
  seen.set(m.id, e);
}
console.log('| id | family | severity | dialects | what it finds |');
console.log('|---|---|---|---|---|');
for (const [id, e] of [...seen].sort((a, b) => a[0].localeCompare(b[0]))) {
  const d = e.dialects.has('all') ? 'all' : [...e.dialects].join(', ');
  console.log(`| ${id} | ${e.family} | ${e.severity} | ${d} | ${e.title} |`);
}
