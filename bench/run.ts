/**
 * `npm run bench [-- --rows N] [-- --only postgres|mariadb] [-- --json FILE]`: every benchmark in turn (decoders,
 * the store bench — raw fetch vs content vs full scan on PostgreSQL and MariaDB, with the effect on the
 * database —, secret detection, catalog checks at 10,000 roles on PostgreSQL and MariaDB, knex vs bare-driver
 * streaming, secrets quality). The arguments go to the store bench.
 */
import { spawnSync } from 'node:child_process';
import { benchArgs, STORE_OPTIONS, STORE_USAGE } from './args.js';

// The arguments are the store bench's: checked before any step runs (a typo would otherwise show minutes later).
benchArgs(
  STORE_OPTIONS,
  `${STORE_USAGE}\nRuns every benchmark in turn; the arguments go to the store bench (bench/store.ts).`,
);

const steps: [string, string[]][] = [
  ['decoders', ['bench/decode.ts']],
  ['store: raw fetch vs content vs full scan (PostgreSQL, MariaDB)', ['bench/store.ts', ...process.argv.slice(2)]],
  ['secret detection throughput', ['bench/secrets.ts']],
  ['catalog checks with 10,000 roles (throwaway PostgreSQL)', ['bench/catalog.ts']],
  ['catalog checks with 10,000 accounts (throwaway MariaDB)', ['bench/catalog.ts', '--engine', 'mariadb']],
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
