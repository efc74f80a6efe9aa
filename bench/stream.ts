/**
 * Blob streaming through knex against the bare driver, in the same run: `npm run bench:stream` (also
 * a step of `npm run bench`). For PostgreSQL and MariaDB it builds a throwaway store of BENCH_ROWS
 * JobDataMap-sized blobs (default 100,000 of 300 B–4 KB, made server-side), reads it the way the
 * adapters do — PostgreSQL: one read-only REPEATABLE READ transaction, DECLARE … NO SCROLL CURSOR over
 * queries/postgres/blobs.sql, FETCH FORWARD 256 per batch; MariaDB: keyset batches cut by bytes
 * (blob_sizes.sql, then blob_job_details.sql) — once through the bare driver and once through the
 * knex connection layer (src/dialects/connection.ts), alternating, BENCH_ROUNDS (5) times each, and
 * prints the best rows/s and the median client CPU of each, and the knex overhead. Target: within 5%. It drops what it made.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2';
import pg from 'pg';
import {
  cursorBatches,
  openConnection,
  pinConnection,
  postgresStartupOptions,
  readOnlySnapshot,
  runFile,
  runSql,
} from '../src/dialects/connection.js';
import { BLOB_BATCH_BYTES, keysetAfter, rowsWithin, SIZE_BATCH_ROWS } from '../src/dialects/mysql/index.js';
import { parsePostgresUrl } from '../src/dialects/postgres/index.js';
import { loadQuery } from '../src/queries.js';
import { sharedMariadb } from '../test/support/mariadb-server.js';
import { acquirePostgres } from '../test/support/pg-server.js';
import { benchArgs } from './args.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));
const MAX_BLOB = 16 * 1024 * 1024;
const SESSION = { statementTimeoutMs: 60_000, lockTimeoutMs: 5_000, applicationName: 'qrtz-audit-bench' };
const onlyArg = benchArgs(
  { only: { type: 'string' } },
  'usage: npm run bench:stream -- [--only postgres|mariadb]   (BENCH_ROWS, default 100000; BENCH_ROUNDS, default 5)',
).only;
if (onlyArg !== undefined && onlyArg !== 'postgres' && onlyArg !== 'mariadb') {
  console.error('--only must be postgres or mariadb');
  process.exit(2);
}

interface Pass {
  rows: number;
  bytes: number;
  /** Wall time of the pass. */
  ms: number;
  /** CPU time this process spent (user + system): what the client layer costs, less noisy than wall time. */
  cpuMs: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

async function timed(fn: () => Promise<{ rows: number; bytes: number }>): Promise<Pass> {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const r = await fn();
  const c = process.cpuUsage(c0);
  return { ...r, ms: Number(process.hrtime.bigint() - t0) / 1e6, cpuMs: (c.user + c.system) / 1000 };
}

/**
 * Best of the rounds (the least disturbed by other work on the machine) for wall-clock rows/s, and
 * the median client CPU per pass: the overhead figure is the worse of the two.
 */
function report(db: string, bare: Pass[], viaKnex: Pass[]): boolean {
  const rate = (p: Pass) => (p.rows / p.ms) * 1000;
  const b = Math.max(...bare.map(rate));
  const k = Math.max(...viaKnex.map(rate));
  const bc = median(bare.map((p) => p.cpuMs));
  const kc = median(viaKnex.map((p) => p.cpuMs));
  const mb = (bare[0]?.bytes ?? 0) / 1e6;
  const wall = (b / k - 1) * 100;
  const cpu = (kc / bc - 1) * 100;
  const overhead = Math.max(wall, cpu);
  const ok = overhead <= 5;
  const walls = (ps: Pass[]) => ps.map((p) => p.ms.toFixed(0)).join(', ');
  console.log(
    `${db}: ${bare[0]?.rows ?? 0} rows, ${mb.toFixed(0)} MB of blobs, ${ROUNDS} rounds each, alternating` +
      `\n  bare driver  best ${b.toFixed(0).padStart(7)} rows/s, client CPU ${bc.toFixed(0)} ms/pass (wall ${walls(bare)} ms)` +
      `\n  knex         best ${k.toFixed(0).padStart(7)} rows/s, client CPU ${kc.toFixed(0)} ms/pass (wall ${walls(viaKnex)} ms)` +
      `\n  knex overhead: ${wall.toFixed(1)}% wall, ${cpu.toFixed(1)}% client CPU ${ok ? '(within 5%)' : '(OVER 5%)'}`,
  );
  return ok;
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

const PG_BATCH = 256;
const PG_INLINE = Math.floor((16 * 1024 * 1024) / PG_BATCH);

function pgBlobsSql(): string {
  const weight = '(COALESCE(pg_catalog.octet_length("job_data")::pg_catalog.int8, 0))';
  return loadQuery('postgres', 'blobs', {
    TABLE: '"public"."qrtz_job_details"',
    COLUMN: '"job_data"',
    GROUP: '"job_group"::pg_catalog.text',
    NAME: '"job_name"',
    WEIGHT: weight,
    EXTRA: 'NULL::pg_catalog.text AS no_extra',
  });
}

async function benchPostgres(): Promise<boolean | undefined> {
  const got = await acquirePostgres();
  if ('skip' in got) {
    console.log(`postgres: SKIPPED (${got.skip})`);
    return undefined;
  }
  const server = got;
  const db = `qa_bench_stream_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = async (sql: string, database = 'postgres') => {
    const c = new pg.Client({ connectionString: server.adminUrl(database) });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  try {
    await admin(`CREATE DATABASE ${db}`);
    await admin(
      `CREATE TABLE qrtz_job_details (sched_name varchar(120), job_name varchar(200), job_group varchar(200),
         job_data bytea, PRIMARY KEY (sched_name, job_name, job_group));
       ALTER TABLE qrtz_job_details ALTER COLUMN job_data SET STORAGE EXTERNAL;
       INSERT INTO qrtz_job_details
         SELECT 'S', 'job' || g, 'grp',
                substring(decode(repeat(md5(g::text), 250), 'hex') from 1 for 300 + (g * 7919) % 3797)
         FROM generate_series(1, ${ROWS}) g;`,
      db,
    );
    await admin('VACUUM ANALYZE qrtz_job_details', db);
    const { config } = parsePostgresUrl(server.adminUrl(db), {});
    const driver: pg.ClientConfig = { ...config, ssl: false };
    const sql = pgBlobsSql();
    const params = [MAX_BLOB, PG_INLINE];

    const bare = async () => {
      const c = new pg.Client({
        ...driver,
        application_name: SESSION.applicationName,
        options: postgresStartupOptions(SESSION),
      });
      await c.connect();
      let rows = 0;
      let bytes = 0;
      try {
        await c.query('SET search_path = pg_catalog, pg_temp');
        await c.query('SET row_security = off');
        await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        await c.query('SAVEPOINT qa_1');
        await c.query(`DECLARE qrtz_blobs NO SCROLL CURSOR FOR ${sql}`, params);
        for (;;) {
          const res = await c.query(`FETCH FORWARD ${PG_BATCH} FROM qrtz_blobs`);
          for (const r of res.rows) {
            rows++;
            bytes += (r.data as Buffer).length;
          }
          if (res.rows.length < PG_BATCH) break;
        }
        await c.query('CLOSE qrtz_blobs');
        await c.query('RELEASE SAVEPOINT qa_1');
        await c.query('ROLLBACK');
      } finally {
        await c.end();
      }
      return { rows, bytes };
    };

    const viaKnex = async () => {
      const conn = openConnection({ dialect: 'postgres', driver }, SESSION, { max: 1 });
      let rows = 0;
      let bytes = 0;
      try {
        const trx = await readOnlySnapshot(conn.knex);
        try {
          await runSql(trx, 'postgres', 'SAVEPOINT qa_1');
          for await (const batch of cursorBatches(trx, sql, params, PG_BATCH)) {
            for (const r of batch) {
              rows++;
              bytes += (r.data as Buffer).length;
            }
          }
          await runSql(trx, 'postgres', 'RELEASE SAVEPOINT qa_1');
        } finally {
          await trx.rollback().catch(() => {});
        }
      } finally {
        await conn.destroy();
      }
      return { rows, bytes };
    };

    await bare(); // warm the cache: both paths then read from shared buffers / the OS cache
    const b: Pass[] = [];
    const k: Pass[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      // Alternate the order so a drift in machine load does not favour one path.
      if (i % 2) {
        k.push(await timed(viaKnex));
        b.push(await timed(bare));
      } else {
        b.push(await timed(bare));
        k.push(await timed(viaKnex));
      }
    }
    if (b.some((p) => p.rows !== ROWS) || k.some((p) => p.rows !== ROWS)) throw new Error('row count mismatch');
    return report('postgres', b, k);
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => {});
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// MariaDB (shared service 127.0.0.1:3306 root; a throwaway database on it)

const KEYS = ['SCHED_NAME', 'JOB_NAME', 'JOB_GROUP'];

type Query = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/** The MySQL adapter's blob loop (src/dialects/mysql/index.ts blobRows), over any statement runner. */
async function keysetRead(query: Query, table: string): Promise<{ rows: number; bytes: number }> {
  let last: unknown[] | undefined;
  let lookahead = 16;
  let rows = 0;
  let bytes = 0;
  for (;;) {
    const { after, params: afterParams } = last ? keysetAfter(KEYS, last) : { after: 'TRUE', params: [] };
    const sizes = await query(
      loadQuery('mysql', 'blob_sizes', { table, keys: KEYS.join(', '), size: 'LENGTH(JOB_DATA)', after }),
      [MAX_BLOB, ...afterParams, lookahead],
    );
    if (sizes.length === 0) break;
    const take = rowsWithin(
      sizes.map((r) => Number(r.SZ ?? 0)),
      BLOB_BATCH_BYTES,
    );
    lookahead =
      take === sizes.length
        ? Math.min(lookahead * 4, SIZE_BATCH_ROWS)
        : Math.max(2, Math.min(take * 2, SIZE_BATCH_ROWS));
    const got = await query(loadQuery('mysql', 'blob_job_details', { table, after }), [MAX_BLOB, ...afterParams, take]);
    for (const r of got) {
      rows++;
      bytes += (r.BYTES as Buffer).length;
    }
    const end = got[got.length - 1];
    if (!end || got.length < take) break;
    last = KEYS.map((k) => end[k]);
  }
  return { rows, bytes };
}

async function benchMariadb(): Promise<boolean | undefined> {
  const probe = await sharedMariadb();
  if (!probe.ok) {
    console.log(`mariadb: SKIPPED (${probe.reason})`);
    return undefined;
  }
  const db = `qa_bench_stream_${process.pid}_${randomBytes(3).toString('hex')}`;
  const driver: mysql.ConnectionOptions = { host: '127.0.0.1', port: 3306, user: 'root', database: db };
  const admin = mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' }).promise();
  const table = `\`${db}\`.\`QRTZ_JOB_DETAILS\``;
  try {
    await admin.query(`CREATE DATABASE \`${db}\``);
    await admin.query(
      `CREATE TABLE ${table} (SCHED_NAME VARCHAR(120) NOT NULL, JOB_NAME VARCHAR(200) NOT NULL,
         JOB_GROUP VARCHAR(200) NOT NULL, JOB_CLASS_NAME VARCHAR(250), DESCRIPTION VARCHAR(250), JOB_DATA LONGBLOB,
         PRIMARY KEY (SCHED_NAME, JOB_NAME, JOB_GROUP)) ENGINE=InnoDB`,
    );
    for (let from = 1; from <= ROWS; from += 20_000) {
      const to = Math.min(ROWS, from + 19_999);
      await admin.query(
        `INSERT INTO ${table} SELECT 'S', CONCAT('job', seq), 'grp', 'Bench.Job', NULL,
           SUBSTRING(REPEAT(UNHEX(MD5(seq)), 250), 1, 300 + (seq * 7919) % 3797) FROM \`${db}\`.seq_${from}_to_${to}`,
      );
    }

    const bare = async () => {
      const c = mysql.createConnection({
        ...driver,
        supportBigNumbers: true,
        bigNumberStrings: true,
        dateStrings: true,
        charset: 'utf8mb4_general_ci',
      });
      const run: Query = (sql, values) =>
        new Promise((resolve, reject) =>
          c.query({ sql, values }, (err, rows) => (err ? reject(err) : resolve(rows as Record<string, unknown>[]))),
        );
      try {
        await run(loadQuery('mysql', 'server'), []);
        await run(loadQuery('mysql', 'session_mariadb'), [SESSION.statementTimeoutMs / 1000, 5, 5]);
        return await keysetRead(run, table);
      } finally {
        await new Promise<void>((r) => c.end(() => r()));
      }
    };

    // As the MySQL adapter reads: one connection from the target's knex pool, pinned for the session.
    const viaKnex = async () => {
      const conn = openConnection({ dialect: 'mysql', driver }, SESSION, { max: 1 });
      try {
        const pinned = await pinConnection(conn);
        try {
          return await keysetRead((sql, params) => pinned.run(sql, params), table);
        } finally {
          await pinned.release();
        }
      } finally {
        await conn.destroy();
      }
    };

    // Sanity: the knex session took the limits (as the adapter's would).
    const check = openConnection({ dialect: 'mysql', driver }, SESSION, { max: 1 });
    const [ro] = await runFile(check.knex, 'mysql', 'server');
    await check.destroy();
    if (!ro) throw new Error('no server row');

    await bare();
    const b: Pass[] = [];
    const k: Pass[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      if (i % 2) {
        k.push(await timed(viaKnex));
        b.push(await timed(bare));
      } else {
        b.push(await timed(bare));
        k.push(await timed(viaKnex));
      }
    }
    if (b.some((p) => p.rows !== ROWS) || k.some((p) => p.rows !== ROWS)) throw new Error('row count mismatch');
    return report('mariadb', b, k);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS \`${db}\``).catch(() => {});
    await admin.end();
  }
}

const results: (boolean | undefined)[] = [];
if (!onlyArg || onlyArg === 'postgres') results.push(await benchPostgres());
if (!onlyArg || onlyArg === 'mariadb') results.push(await benchMariadb());
// Over 5% is reported, not failed: the README records the figure and the exception (issue #11).
process.exit(results.includes(false) && process.env.BENCH_STRICT === '1' ? 1 : 0);
