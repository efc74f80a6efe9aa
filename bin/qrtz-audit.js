#!/usr/bin/env node
// Runs the compiled CLI (npm run build); falls back to tsx from a source checkout.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'src', 'cli.js');
if (existsSync(built)) {
  process.env.QRTZ_AUDIT_BIN = '1';
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  process.env.QRTZ_AUDIT_BIN = '1';
  await import(pathToFileURL(join(root, 'src', 'cli.ts')).href);
}
