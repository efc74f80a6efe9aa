/**
 * Scan throughput against the raw fetch on a realistic JobStore: `npm run bench -- --rows 1000000`
 * (or `npx tsx bench/store.ts --rows N [--only postgres|mariadb] [--passes raw,content,full] [--dist] [--json FILE]`).
 *
 * Builds, on a throwaway PostgreSQL (initdb, or QRTZ_TEST_PG_URL) and a throwaway database on the shared
 * MariaDB, a store of N jobs and N triggers with distinct blobs: ~70% Quartz.NET BinaryFormatter
 * JobDataMaps of 300 B–4 KB, ~10% Json.NET, ~10% Java, ~9% properties, ~1% holding a secret and one
 * gadget per 5,000 jobs; trigger JobDataMaps are mostly empty (NULL), every tenth holds a small map.
 * Loaded fast: COPY FROM STDIN through psql for PostgreSQL, multi-row INSERTs for MariaDB.
 *
 * Then, side by side in one run, each in a process of its own (bench/store-phase.ts):
 *   raw      the adapter's blob stream (same driver, queries and batches), no decoding, no check
 *   copy     PostgreSQL only: psql's binary COPY of the same column (the floor of any client)
 *   content  runScan with the content families (every content check)
 *   full     runScan with every family
 * rows/s, MB/s, ratio to the raw fetch, client CPU, peak RSS, time to the first finding — and the
 * auditor's effect on the database, sampled every 250 ms during each pass: locks its session holds
 * (pg_locks; InnoDB transactions), sessions waiting on a lock, the latency of a scheduler-like
 * statement (SELECT … FOR UPDATE on QRTZ_LOCKS + UPDATE of one trigger, as Quartz acquires
 * triggers) against its latency with no scan running, and the server CPU the pass cost (PostgreSQL: the
 * scanning backend's /proc/<pid>/stat; MariaDB: the whole mariadbd process, shared with other clients).
 * Everything it made is dropped at the end.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { sharedMariadb } from '../test/support/mariadb-server.js';
import { createQuartzDb, dropAll } from '../test/support/pg-quartz.js';
import { acquirePostgres, pgBinDir } from '../test/support/pg-server.js';
import { benchArgs, positiveInt, STORE_OPTIONS, STORE_USAGE } from './args.js';
import { jobBlob, triggerBlob } from './store-data.js';

const opts = benchArgs(STORE_OPTIONS, STORE_USAGE);
const ROWS = positiveInt(opts.rows ?? (process.env.BENCH_ROWS || undefined), 100_000, '--rows');
const ONLY = opts.only;
if (ONLY !== undefined && ONLY !== 'postgres' && ONLY !== 'mariadb') {
  console.error('--only must be postgres or mariadb');
  process.exit(2);
}
/**
 * --dist: the passes run compiled JavaScript (tsc into a temp dir), as an installed package runs, instead of the
 * sources through tsx — whose transpiled modules and source maps add about 57 MB to every pass's RSS.
 */
const DIST = opts.dist === true;
const JSON_OUT = opts.json;
/** --workers 1,2: the content and full passes once per worker count (scan --workers; issue #16 part 3). */
const WORKERS = (opts.workers ?? '1').split(',').map((w) => (/^\d+$/.test(w) ? Number(w) : Number.NaN));
if (WORKERS.some((w) => !Number.isInteger(w) || w < 0 || w > 16)) {
  console.error('--workers must be a comma-separated list of whole numbers from 0 to 16');
  process.exit(2);
}
/** --passes raw,content: only these passes (default raw,content,full; a 1,000,000-row run takes long). */
const KINDS = (opts.passes ?? 'raw,content,full').split(',');
if (KINDS.some((k) => !['raw', 'content', 'full'].includes(k))) {
  console.error('--passes must be a comma-separated list of raw, content, full');
  process.exit(2);
}
/** The passes: raw, then content and full for every worker count (named content/w2 past one worker). */
const PASSES: [string, number][] = [
  ['raw', 1],
  ...WORKERS.flatMap((w): [string, number][] => [
    ['content', w],
    ['full', w],
  ]),
].filter(([k]) => KINDS.includes(k as string)) as [string, number][];

// ---------------------------------------------------------------------------------------------
// The store: bench/store-data.ts

const SCHED = 'Bench';

// ---------------------------------------------------------------------------------------------
// Measurement

interface PhaseResult {
  phase: string;
  rows: number;
  bytes: number;
  ms: number;
  cpuMs: number;
  peakRssMb: number;
  firstFindingMs: number | null;
  findings: number;
}

interface Impact {
  samples: number;
  /** Most locks the audit session held at once, and their modes. */
  maxLocks: number;
  lockModes: string[];
  /** Samples in which another session waited on a lock. */
  lockWaitSamples: number;
  /** Wait events of the audit session seen (PostgreSQL) / processlist states (MariaDB). */
  waits: string[];
  /** Server CPU the pass cost, ms. */
  serverCpuMs: number | null;
  /** Scheduler-like statement latency during the pass, ms. */
  probeMaxMs: number;
  probeAvgMs: number;
}

interface Sampler {
  sample(): Promise<void>;
  /** The scheduler-like statement, timed. */
  probe(): Promise<number>;
  finish(): Impact;
  reset(): void;
}

const TICK = 100; // clock ticks per second of /proc/<pid>/stat (Linux USER_HZ)
function procCpuMs(pid: number): number | undefined {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return ((Number(rest[11]) + Number(rest[12])) * 1000) / TICK;
  } catch {
    return undefined;
  }
}

/** The compiled tree for --dist: src/ and bench/store-phase.ts, with package.json, queries/ and node_modules beside. */
let distDir: string | undefined;
if (DIST) {
  const root = join(import.meta.dirname, '..');
  distDir = mkdtempSync(join(tmpdir(), 'qrtz-bench-dist-'));
  writeFileSync(
    join(distDir, 'tsconfig.json'),
    JSON.stringify({
      extends: join(root, 'tsconfig.json'),
      compilerOptions: { outDir: distDir, rootDir: root, declaration: false },
      include: [join(root, 'src/**/*.ts'), join(root, 'bench/store-phase.ts')],
    }),
  );
  copyFileSync(join(root, 'package.json'), join(distDir, 'package.json'));
  // What an installed package holds beside dist/ (package.json "files"): the queries and data/ (the gadget catalogue).
  symlinkSync(join(root, 'queries'), join(distDir, 'queries'));
  symlinkSync(join(root, 'data'), join(distDir, 'data'));
  symlinkSync(join(root, 'node_modules'), join(distDir, 'node_modules'));
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', distDir], {
    stdio: 'inherit',
  });
  if (tsc.status !== 0) {
    console.error('--dist: the TypeScript build failed');
    process.exit(1);
  }
  const dir = distDir;
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
}

async function runPhase(script: string[], sampler: Sampler): Promise<{ result: PhaseResult; impact: Impact }> {
  sampler.reset();
  // BENCH_CPU_PROF=DIR: each pass writes a V8 CPU profile into DIR (node --cpu-prof), to see where a pass's
  // time goes; BENCH_NODE_ARGS: more node flags for the passes (e.g. --trace-gc, to stderr).
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
  for (const a of (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/)) if (a) prof.push(a);
  const args = distDir
    ? [...prof, join(distDir, script[0] as string).replace(/\.ts$/, '.js'), ...script.slice(1)]
    : [...prof, '--import', 'tsx', ...script];
  const child: ChildProcess = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  const done = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  let running = true;
  void done.then(() => {
    running = false;
  });
  const probes: number[] = [];
  while (running) {
    await sampler.sample().catch(() => {});
    probes.push(await sampler.probe());
    await new Promise((r) => setTimeout(r, 250));
  }
  const code = await done;
  if (code !== 0) throw new Error(`${script.join(' ')} exited with ${code}`);
  const line = out.trim().split('\n').pop() ?? '{}';
  const impact = sampler.finish();
  if (probes.length) {
    impact.probeMaxMs = Math.max(...probes);
    impact.probeAvgMs = probes.reduce((a, b) => a + b, 0) / probes.length;
  }
  return { result: JSON.parse(line) as PhaseResult, impact };
}

interface DbReport {
  db: string;
  rows: number;
  loadMs: number;
  idleProbeMs: number;
  phases: { result: PhaseResult; impact: Impact }[];
}

function printReport(r: DbReport): void {
  const raw = r.phases.find((p) => p.result.phase === 'raw')?.result;
  console.log(
    `\n${r.db}: ${r.rows} jobs + ${r.rows} triggers, loaded in ${(r.loadMs / 1000).toFixed(1)} s; scheduler probe with no scan: ${r.idleProbeMs.toFixed(1)} ms`,
  );
  console.log(
    'pass      blob rows     MB   wall s     rows/s    MB/s  ×raw  client CPU s  peak RSS  1st finding  srv CPU s  locks (max, modes)        lock waits  probe avg/max ms',
  );
  for (const { result: p, impact: i } of r.phases) {
    const s = p.ms / 1000;
    const ratio = raw && raw.ms > 0 ? (p.ms / raw.ms).toFixed(2) : '-';
    console.log(
      `${p.phase.padEnd(8)} ${String(p.rows).padStart(10)} ${(p.bytes / 1e6).toFixed(0).padStart(6)} ${s.toFixed(1).padStart(8)} ${Math.round(
        p.rows / s,
      )
        .toString()
        .padStart(
          10,
        )} ${(p.bytes / 1e6 / s).toFixed(1).padStart(7)} ${ratio.padStart(5)} ${(p.cpuMs / 1000).toFixed(1).padStart(13)} ${`${p.peakRssMb} MB`.padStart(9)} ${(p.firstFindingMs === null ? '-' : `${(p.firstFindingMs / 1000).toFixed(2)} s`).padStart(12)} ${(i.serverCpuMs === null ? '-' : (i.serverCpuMs / 1000).toFixed(1)).padStart(10)}  ${`${i.maxLocks} ${i.lockModes.join(',') || '-'}`.padEnd(25)} ${String(i.lockWaitSamples).padStart(10)}  ${i.probeAvgMs.toFixed(1)}/${i.probeMaxMs.toFixed(1)}`,
    );
    if (i.waits.length) console.log(`         audit session states/waits seen: ${i.waits.join(', ')}`);
  }
}

function emptyImpact(): Impact {
  return {
    samples: 0,
    maxLocks: 0,
    lockModes: [],
    lockWaitSamples: 0,
    waits: [],
    serverCpuMs: null,
    probeMaxMs: 0,
    probeAvgMs: 0,
  };
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

const PG_JOB_COLS =
  'sched_name, job_name, job_group, description, job_class_name, is_durable, is_nonconcurrent, is_update_data, requests_recovery, job_data';
const PG_TRIGGER_COLS =
  'sched_name, trigger_name, trigger_group, job_name, job_group, next_fire_time, priority, trigger_state, trigger_type, start_time, job_data';

function copyText(v: Buffer | string | number | boolean | null): string {
  if (v === null) return '\\N';
  if (Buffer.isBuffer(v)) return `\\\\x${v.toString('hex')}`;
  if (typeof v === 'boolean') return v ? 't' : 'f';
  return String(v).replace(/[\\\t\n\r]/g, (c) =>
    c === '\t' ? '\\t' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\\\',
  );
}

async function psqlCopyIn(psql: string, url: string, table: string, cols: string, lines: () => Iterable<string>) {
  const child = spawn(psql, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', `COPY ${table} (${cols}) FROM STDIN`, url], {
    stdio: ['pipe', 'inherit', 'inherit'],
  });
  const done = new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  const stdin = child.stdin as NonNullable<typeof child.stdin>;
  let chunk = '';
  for (const l of lines()) {
    chunk += l;
    if (chunk.length > 1 << 20) {
      if (!stdin.write(chunk)) await new Promise((r) => stdin.once('drain', r));
      chunk = '';
    }
  }
  stdin.end(chunk);
  if ((await done) !== 0) throw new Error(`COPY into ${table} failed`);
}

async function benchPostgres(): Promise<DbReport | undefined> {
  const got = await acquirePostgres();
  if ('skip' in got) {
    console.log(`postgres: SKIPPED (${got.skip})`);
    return undefined;
  }
  const server = got;
  const bin = pgBinDir();
  const psql = bin ? join(bin, 'psql') : 'psql';
  const tag = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const db = `qa_bench_store_${tag}`;
  const owner = `qa_bench_owner_${tag}`;
  const url = server.adminUrl(db);
  const admin = new pg.Client({ connectionString: url });
  try {
    await createQuartzDb(server, db, 'public', owner);
    const t0 = Date.now();
    await psqlCopyIn(psql, url, 'qrtz_job_details', PG_JOB_COLS, function* () {
      for (let i = 0; i < ROWS; i++)
        yield `${[SCHED, `job${i}`, `grp${i % 50}`, null, 'Bench.Jobs.NoOpJob, Bench', true, false, false, false, jobBlob(i)].map(copyText).join('\t')}\n`;
    });
    await psqlCopyIn(psql, url, 'qrtz_triggers', PG_TRIGGER_COLS, function* () {
      for (let i = 0; i < ROWS; i++)
        yield `${[SCHED, `t${i}`, `grp${i % 50}`, `job${i}`, `grp${i % 50}`, 1_800_000_000_000 + i, 5, 'WAITING', 'SIMPLE', 1_700_000_000_000, triggerBlob(i)].map(copyText).join('\t')}\n`;
    });
    await admin.connect();
    await admin.query(`INSERT INTO qrtz_locks VALUES ('${SCHED}', 'TRIGGER_ACCESS')`);
    await admin.query('VACUUM ANALYZE');
    const loadMs = Date.now() - t0;

    // Sampling: the audit session(s) of this database, their locks and waits, other sessions waiting.
    const probeClient = new pg.Client({ connectionString: url });
    await probeClient.connect();
    let impact = emptyImpact();
    const cpu = new Map<number, { first: number; last: number }>();
    const modes = new Set<string>();
    const waits = new Set<string>();
    const sampler: Sampler = {
      reset() {
        impact = emptyImpact();
        cpu.clear();
        modes.clear();
        waits.clear();
      },
      async sample() {
        const r = await admin.query(
          `SELECT a.pid, a.state, a.wait_event_type, a.wait_event,
                  (SELECT count(*) FROM pg_locks l WHERE l.pid = a.pid)::int AS locks,
                  (SELECT string_agg(DISTINCT l.mode, ',') FROM pg_locks l WHERE l.pid = a.pid) AS modes,
                  (SELECT count(*) FROM pg_stat_activity w WHERE w.datname = $1 AND w.wait_event_type = 'Lock')::int AS lockwaits
           FROM pg_stat_activity a WHERE a.datname = $1 AND a.application_name LIKE 'qrtz-audit%'`,
          [db],
        );
        impact.samples++;
        for (const row of r.rows) {
          impact.maxLocks = Math.max(impact.maxLocks, row.locks);
          for (const m of String(row.modes ?? '').split(',')) if (m) modes.add(m);
          waits.add(`${row.state}${row.wait_event ? `:${row.wait_event_type}/${row.wait_event}` : ''}`);
          if (row.lockwaits > 0) impact.lockWaitSamples++;
          const c = procCpuMs(row.pid);
          if (c !== undefined) {
            const e = cpu.get(row.pid);
            if (e) e.last = c;
            else cpu.set(row.pid, { first: c, last: c });
          }
        }
      },
      async probe() {
        const p0 = performance.now();
        await probeClient.query('BEGIN');
        await probeClient.query(
          `SELECT * FROM qrtz_locks WHERE sched_name = '${SCHED}' AND lock_name = 'TRIGGER_ACCESS' FOR UPDATE`,
        );
        await probeClient.query(
          `UPDATE qrtz_triggers SET trigger_state = 'WAITING' WHERE sched_name = '${SCHED}' AND trigger_name = 't1' AND trigger_group = 'grp1'`,
        );
        await probeClient.query('COMMIT');
        return performance.now() - p0;
      },
      finish() {
        impact.lockModes = [...modes].sort();
        impact.waits = [...waits].sort();
        // A backend's CPU from its first sample (it may already have worked a little) to its last.
        impact.serverCpuMs = [...cpu.values()].reduce((a, c) => a + c.last, 0) || null;
        return impact;
      },
    };
    const idle: number[] = [];
    for (let i = 0; i < 10; i++) idle.push(await sampler.probe());
    const phases: DbReport['phases'] = [];
    for (const [phase, w] of PASSES)
      phases.push(await runPhase(['bench/store-phase.ts', 'postgres', url, phase, String(w)], sampler));
    // psql's binary COPY of the same column: the floor of any client.
    {
      // Counted as it streams: buffering it (spawnSync's maxBuffer) cut a 1,000,000-row COPY short at 1 GiB.
      const c0 = Date.now();
      const copy = spawn(
        psql,
        [
          '-X',
          '-q',
          '-v',
          'ON_ERROR_STOP=1',
          '-c',
          'COPY (SELECT job_data FROM qrtz_job_details UNION ALL SELECT job_data FROM qrtz_triggers) TO STDOUT WITH (FORMAT binary)',
          url,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let copied = 0;
      copy.stdout?.on('data', (d: Buffer) => {
        copied += d.length;
      });
      const status = await new Promise<number>((resolve) => copy.on('close', (code) => resolve(code ?? 1)));
      if (status !== 0) throw new Error(`psql COPY exited with ${status}`);
      const ms = Date.now() - c0;
      phases.splice(1, 0, {
        result: {
          phase: 'copy',
          rows: 2 * ROWS,
          bytes: copied,
          ms,
          cpuMs: 0,
          peakRssMb: 0,
          firstFindingMs: null,
          findings: 0,
        },
        impact: emptyImpact(),
      });
    }
    await probeClient.end();
    return { db: 'postgres', rows: ROWS, loadMs, idleProbeMs: idle.reduce((a, b) => a + b, 0) / idle.length, phases };
  } finally {
    await admin.end().catch(() => {});
    await dropAll(server, [db], [owner]).catch((e) => console.error(`cleanup: ${(e as Error).message}`));
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// MariaDB (the shared server; a throwaway database on it)

async function benchMariadb(): Promise<DbReport | undefined> {
  const probe = await sharedMariadb();
  if (!probe.ok) {
    console.log(`mariadb: SKIPPED (${probe.reason})`);
    return undefined;
  }
  const db = `qa_bench_store_${process.pid}_${randomBytes(3).toString('hex')}`;
  const conn = { host: '127.0.0.1', port: 3306, user: 'root' };
  const admin = await mysql.createConnection({ ...conn, multipleStatements: true });
  try {
    await admin.query(`CREATE DATABASE \`${db}\``);
    await admin.query(`USE \`${db}\``);
    const schema = readFileSync(join(import.meta.dirname, '..', 'docker', 'mysql', '01-schema.sql'), 'utf8');
    await admin.query(schema);
    const t0 = Date.now();
    const BATCH = 500;
    for (let from = 0; from < ROWS; from += BATCH) {
      const n = Math.min(BATCH, ROWS - from);
      const vals: unknown[] = [];
      for (let i = from; i < from + n; i++)
        vals.push(SCHED, `job${i}`, `grp${i % 50}`, 'Bench.Jobs.NoOpJob, Bench', 1, 0, 0, 0, jobBlob(i));
      await admin.query(
        `INSERT INTO QRTZ_JOB_DETAILS (SCHED_NAME, JOB_NAME, JOB_GROUP, JOB_CLASS_NAME, IS_DURABLE, IS_NONCONCURRENT, IS_UPDATE_DATA, REQUESTS_RECOVERY, JOB_DATA) VALUES ${Array(n).fill('(?,?,?,?,?,?,?,?,?)').join(',')}`,
        vals,
      );
    }
    for (let from = 0; from < ROWS; from += BATCH) {
      const n = Math.min(BATCH, ROWS - from);
      const vals: unknown[] = [];
      for (let i = from; i < from + n; i++)
        vals.push(
          SCHED,
          `t${i}`,
          `grp${i % 50}`,
          `job${i}`,
          `grp${i % 50}`,
          1_800_000_000_000 + i,
          5,
          'WAITING',
          'SIMPLE',
          1_700_000_000_000,
          triggerBlob(i),
        );
      await admin.query(
        `INSERT INTO QRTZ_TRIGGERS (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP, JOB_NAME, JOB_GROUP, NEXT_FIRE_TIME, PRIORITY, TRIGGER_STATE, TRIGGER_TYPE, START_TIME, JOB_DATA) VALUES ${Array(n).fill('(?,?,?,?,?,?,?,?,?,?,?)').join(',')}`,
        vals,
      );
    }
    await admin.query(`INSERT INTO QRTZ_LOCKS VALUES ('${SCHED}', 'TRIGGER_ACCESS')`);
    await admin.query('ANALYZE TABLE QRTZ_JOB_DETAILS, QRTZ_TRIGGERS');
    const loadMs = Date.now() - t0;

    const [pf] = (await admin.query('SELECT @@pid_file AS f')) as unknown as [{ f: string }[]];
    const pidFile = pf[0]?.f ?? '';
    const serverPid = pidFile && existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : undefined;
    const probeConn = await mysql.createConnection({ ...conn, database: db });
    let impact = emptyImpact();
    let cpu0: number | undefined;
    const states = new Set<string>();
    const sampler: Sampler = {
      reset() {
        impact = emptyImpact();
        states.clear();
        cpu0 = serverPid ? procCpuMs(serverPid) : undefined;
      },
      async sample() {
        const [pl] = (await admin.query(
          `SELECT p.ID, p.COMMAND, p.STATE, t.trx_rows_locked AS rl, t.trx_lock_structs AS ls
           FROM information_schema.PROCESSLIST p LEFT JOIN information_schema.INNODB_TRX t ON t.trx_mysql_thread_id = p.ID
           WHERE p.DB = ? AND p.ID <> CONNECTION_ID() AND p.ID <> ?`,
          [db, probeConn.threadId],
        )) as unknown as [{ COMMAND: string; STATE: string; rl: number | null; ls: number | null }[]];
        const [w] = (await admin.query(
          'SELECT COUNT(*) AS n FROM information_schema.INNODB_LOCK_WAITS',
        )) as unknown as [{ n: number }[]];
        impact.samples++;
        if (Number(w[0]?.n ?? 0) > 0) impact.lockWaitSamples++;
        for (const p of pl) {
          states.add(`${p.COMMAND}${p.STATE ? `:${p.STATE}` : ''}`);
          impact.maxLocks = Math.max(impact.maxLocks, Number(p.rl ?? 0));
          if (p.ls) impact.lockModes = [`${p.ls} InnoDB lock structs`];
        }
      },
      async probe() {
        const p0 = performance.now();
        await probeConn.query('BEGIN');
        await probeConn.query(
          `SELECT * FROM QRTZ_LOCKS WHERE SCHED_NAME = '${SCHED}' AND LOCK_NAME = 'TRIGGER_ACCESS' FOR UPDATE`,
        );
        await probeConn.query(
          `UPDATE QRTZ_TRIGGERS SET TRIGGER_STATE = 'WAITING' WHERE SCHED_NAME = '${SCHED}' AND TRIGGER_NAME = 't1' AND TRIGGER_GROUP = 'grp1'`,
        );
        await probeConn.query('COMMIT');
        return performance.now() - p0;
      },
      finish() {
        impact.waits = [...states].sort();
        const c1 = serverPid ? procCpuMs(serverPid) : undefined;
        impact.serverCpuMs = cpu0 !== undefined && c1 !== undefined ? c1 - cpu0 : null;
        return impact;
      },
    };
    const idle: number[] = [];
    for (let i = 0; i < 10; i++) idle.push(await sampler.probe());
    const phases: DbReport['phases'] = [];
    const url = `mysql://root@127.0.0.1:3306/${db}`;
    for (const [phase, w] of PASSES)
      phases.push(await runPhase(['bench/store-phase.ts', 'mysql', url, phase, String(w)], sampler));
    await probeConn.end();
    return { db: 'mariadb', rows: ROWS, loadMs, idleProbeMs: idle.reduce((a, b) => a + b, 0) / idle.length, phases };
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS \`${db}\``).catch(() => {});
    await admin.end();
  }
}

console.log(
  `store bench: ${ROWS} jobs + ${ROWS} triggers per database, Node ${process.version}, load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
);
const reports: DbReport[] = [];
for (const [name, fn] of [
  ['postgres', benchPostgres],
  ['mariadb', benchMariadb],
] as const) {
  if (ONLY && ONLY !== name) continue;
  const r = await fn();
  if (r) {
    printReport(r);
    reports.push(r);
  }
}
if (JSON_OUT)
  writeFileSync(JSON_OUT, `${JSON.stringify({ date: new Date().toISOString(), rows: ROWS, reports }, null, 2)}\n`);
