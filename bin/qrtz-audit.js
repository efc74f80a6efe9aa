#!/usr/bin/env node
// Runs the compiled CLI (npm run build); falls back to tsx from a source checkout. In a checkout, a
// build older than any source file is stale and is not used (it would silently run old code).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';

// V8's allocation-site pretenuring misjudges the blob scan: once a decoder's object literals are seen surviving a
// scavenge it allocates them in old space, where they die young but hold the young objects they point to through
// every scavenge until the next full GC. Measured on a content pass of 40,000 rows (issue #16; README "Measured"):
// 28–31 MB promoted instead of 70–80 MB (628–656 MB in half the PostgreSQL runs), 3–6 full GCs instead of 4–11,
// 7–30% less client CPU, lower peak RSS; same findings. Set before any audit code runs; worker threads share it.
v8.setFlagsFromString('--no-allocation-site-pretenuring');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'src', 'cli.js');
const sources = join(root, 'src');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const t = entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}

const useBuild = existsSync(built) && (!existsSync(sources) || statSync(built).mtimeMs >= newestSource(sources));
process.env.QRTZ_AUDIT_BIN = '1';
if (useBuild) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(sources, 'cli.ts')).href);
}
