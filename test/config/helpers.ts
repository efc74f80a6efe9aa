import { chmod, cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { discoverConfigFiles, readConfig } from '../../src/config/index.js';
import type { ConfigFacts } from '../../src/config/model.js';

export const FIXTURES = resolve(import.meta.dirname, '../fixtures/config');

/** The plaintext secrets written in the risky fixtures: none may appear in any finding. */
export const FIXTURE_SECRETS = [
  'Qz-Pl41n;T3xt', // App.config SqlClient password (quoted, holds ';')
  'Npg-S3cret-Value', // appsettings.json Npgsql password
  'J4va-Pr0ps-Secret', // quartz.properties password (continued line)
  'Mailer-Pa55word-2026', // quartz_jobs.xml job-data-map
  'ghp_abcdefghijklmnopqrstuvwxyz0123456789', // jobs.xml job-data-map GitHub token
];

/** Every file below `dir` at `mode`, every folder 0755. */
async function chmodTree(dir: string, mode: number): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      await chmod(p, 0o755);
      await chmodTree(p, mode);
    } else await chmod(p, mode);
  }
}

/** Copy fixture folders into a fresh temp folder (one sub-folder each), every file at `mode`. */
export async function stage(names: string[], mode = 0o600): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'qrtz-cfg-'));
  for (const n of names) {
    await cp(join(FIXTURES, n), join(dir, n), { recursive: true });
    await chmodTree(join(dir, n), mode);
  }
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function factsOf(paths: string[], environment?: string): Promise<ConfigFacts> {
  return readConfig(await discoverConfigFiles(paths), environment ? { environment } : {});
}

export async function write(path: string, text: string, mode = 0o600): Promise<string> {
  await writeFile(path, text);
  await chmod(path, mode);
  return path;
}
