/** `npm run bench`: every benchmark in turn (decoders, full scan on PostgreSQL, knex vs bare-driver streaming, secrets quality). */
import { spawnSync } from 'node:child_process';

const steps: [string, string[]][] = [
  ['decoders', ['bench/decode.ts']],
  ['scan (PostgreSQL)', ['bench/scan.ts']],
  ['blob streaming, knex vs bare driver (PostgreSQL, MariaDB)', ['bench/stream.ts']],
  ['secrets quality', ['scripts/secrets-quality.ts']],
];
let failed = 0;
for (const [name, args] of steps) {
  console.log(`\n== ${name}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', ...args], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
