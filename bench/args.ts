/**
 * The benches' command lines, through node:util's parseArgs in strict mode: an unknown flag, a missing value or
 * a stray word is one line on stderr and exit 2 (a bench that ignored a flag it did not know ran for minutes with
 * a setting nobody asked for), and --help prints the usage and exits 0.
 */
import { parseArgs } from 'node:util';

type Spec = Record<string, { type: 'string' | 'boolean' }>;
type Values<S extends Spec> = { [K in keyof S]?: S[K]['type'] extends 'boolean' ? boolean : string };

/** The store bench's flags (bench/store.ts); `npm run bench` passes its arguments on to it and checks them first. */
export const STORE_OPTIONS = {
  rows: { type: 'string' },
  only: { type: 'string' },
  passes: { type: 'string' },
  workers: { type: 'string' },
  dist: { type: 'boolean' },
  json: { type: 'string' },
} as const satisfies Spec;

export const STORE_USAGE = `usage: npm run bench -- [--rows N] [--only postgres|mariadb] [--passes raw,content,full] [--workers 1,2] [--dist] [--json FILE]
  --rows N         jobs and triggers per database (default 100000, or BENCH_ROWS)
  --only DB        one database: postgres or mariadb
  --passes LIST    the passes to run, of raw, content, full (default all three)
  --workers LIST   the content and full passes once per worker count, 0 to 16 (default 1)
  --dist           run compiled JavaScript (tsc into a temp dir), as an installed package runs
  --json FILE      also write the results as JSON`;

/** Parses argv (without node and the script) against spec; on --help prints usage, on an error one line. */
export function benchArgs<S extends Spec>(spec: S, usage: string, argv = process.argv.slice(2)): Values<S> {
  try {
    const options = { ...spec, help: { type: 'boolean', short: 'h' } } as const;
    const { values } = parseArgs({ args: argv, options, strict: true }) as { values: Record<string, unknown> };
    if (values.help === true) {
      console.log(usage);
      process.exit(0);
    }
    return values as Values<S>;
  } catch (err) {
    console.error(`${(err as Error).message.split('\n')[0]} (--help for the usage)`);
    process.exit(2);
  }
}

/** A positive whole number from a flag or an environment variable, or the default; exit 2 on anything else. */
export function positiveInt(value: string | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    console.error(`${what} must be a positive whole number, not ${JSON.stringify(value)}`);
    process.exit(2);
  }
  return n;
}
