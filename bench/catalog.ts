/**
 * Catalog checks on a large cluster: `npx tsx bench/catalog.ts [--roles N] [--engine postgres|mariadb]`
 * (default 10,000 roles on PostgreSQL; a step of `npm run bench`). On a throwaway server of its own
 * (PostgreSQL: initdb in a temp dir; MariaDB: mariadb-install-db; each on a free port: roles are
 * cluster-wide, so no shared server is touched) it builds a Quartz store and N login roles with a unique
 * prefix — every role a member of one of 100 group roles, every 5th role granted SELECT on a Quartz
 * table, every 10th role DML on another, every 50th a default privilege (PostgreSQL) — then runs every
 * non-content family (grants, encryption, audit, scheduler, updates, config) through the real adapter
 * and engine three times and prints the wall time of each run and the findings. Target: under 3 s.
 * BENCH_LOG_SLOW=<ms> lists the statements the server found slower than that. The server is stopped and
 * its data directory removed at the end, every role with it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Adapter } from '../src/dialects/adapter.js';
import { createMysqlAdapter } from '../src/dialects/mysql/index.js';
import { createPostgresAdapter } from '../src/dialects/postgres/index.js';
import { runScan } from '../src/engine.js';
import { checkOptions, FAMILIES, type Family } from '../src/model.js';
import { createQuartzDb as createMysqlQuartzDb } from '../test/integration/mysql/helpers.js';
import { startMariadb, throwawayUnavailable } from '../test/support/mariadb-server.js';
import { createQuartzDb } from '../test/support/pg-quartz.js';
import { adminSql, startThrowawayPostgres } from '../test/support/pg-server.js';
import { benchArgs, positiveInt } from './args.js';

const USAGE = 'usage: bench/catalog.ts [--roles N] [--engine postgres|mariadb]';
const opts = benchArgs({ roles: { type: 'string' }, engine: { type: 'string' } }, USAGE);
const ROLES = positiveInt(opts.roles ?? (process.env.BENCH_ROLES || undefined), 10_000, '--roles');
const ENGINE = opts.engine ?? 'postgres';
if (!['postgres', 'mariadb'].includes(ENGINE)) {
  console.error('--engine must be postgres or mariadb');
  process.exit(2);
}
const families = new Set<Family>(FAMILIES.filter((f) => f !== 'content'));
const slow = process.env.BENCH_LOG_SLOW;

/** Three scans through the real adapter and engine, timed. */
async function runs(make: () => Adapter, log: () => string): Promise<void> {
  for (let run = 1; run <= 3; run++) {
    const adapter = make();
    const s = performance.now();
    const c0 = process.cpuUsage();
    let result: Awaited<ReturnType<typeof runScan>>;
    try {
      await adapter.connect();
      result = await runScan(adapter, { families, checkOptions: checkOptions({}) });
    } catch (err) {
      const tail = log().trim().split('\n').slice(-8).join('\n  ');
      console.log(
        `run ${run}: FAILED after ${((performance.now() - s) / 1000).toFixed(1)} s: ${(err as Error).message}\n  server log:\n  ${tail}`,
      );
      continue;
    } finally {
      await adapter.close().catch(() => {});
    }
    const ms = performance.now() - s;
    const cpu = process.cpuUsage(c0);
    const fails = result.findings.filter((f) => f.status === 'fail').length;
    console.log(
      `run ${run}: ${(ms / 1000).toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s client CPU, ${result.findings.length} findings (${fails} fail) ${ms < 3000 ? '(under 3 s)' : '(OVER 3 s)'}`,
    );
  }
}

const options = (url: string) => ({
  url,
  tablePrefix: 'QRTZ_',
  allowPrincipals: [],
  families,
  statementTimeoutMs: 60_000,
  lockTimeoutMs: 2000,
  connectTimeoutMs: 10_000,
  maxBlobSize: 16 << 20,
  attestations: {},
});

if (ENGINE === 'mariadb') {
  const why = throwawayUnavailable();
  if (why) {
    console.log(`catalog bench SKIPPED: no throwaway MariaDB (${why})`);
    process.exit(0);
  }
  const server = await startMariadb((dir) =>
    slow
      ? ['slow_query_log=ON', `slow_query_log_file=${join(dir, 'slow.log')}`, `long_query_time=${Number(slow) / 1000}`]
      : [],
  );
  const p = `qa_bc_${process.pid}_`;
  const exec = (sql: string) => `SET @s = ${sql}; PREPARE st FROM @s; EXECUTE st; DEALLOCATE PREPARE st;`;
  try {
    const c = await server.admin();
    await createMysqlQuartzDb(c, 'quartz');
    const t0 = Date.now();
    await c.query(`CREATE PROCEDURE quartz.bench_roles(n INT)
      BEGIN
        DECLARE i INT DEFAULT 0;
        WHILE i < 100 DO
          ${exec(`CONCAT('CREATE ROLE ${p}grp', i)`)}
          SET i = i + 1;
        END WHILE;
        SET i = 1;
        WHILE i <= n DO
          ${exec(`CONCAT('CREATE USER ''${p}u', i, '''@''%''')`)}
          ${exec(`CONCAT('GRANT ${p}grp', i MOD 100, ' TO ''${p}u', i, '''@''%''')`)}
          IF i MOD 5 = 0 THEN
            ${exec(`CONCAT('GRANT SELECT ON quartz.QRTZ_JOB_DETAILS TO ''${p}u', i, '''@''%''')`)}
          END IF;
          IF i MOD 10 = 0 THEN
            ${exec(`CONCAT('GRANT INSERT, UPDATE, DELETE ON quartz.QRTZ_TRIGGERS TO ''${p}u', i, '''@''%''')`)}
          END IF;
          SET i = i + 1;
        END WHILE;
      END`);
    await c.query(`CALL quartz.bench_roles(${ROLES})`);
    await c.query('DROP PROCEDURE quartz.bench_roles');
    await c.end();
    console.log(`catalog bench (MariaDB): ${ROLES} users (+100 roles) with grants made in ${Date.now() - t0} ms`);
    const slowLog = () => {
      try {
        return readFileSync(join(server.dir, 'slow.log'), 'utf8');
      } catch {
        return '';
      }
    };
    await runs(() => createMysqlAdapter(options(server.url('quartz'))), slowLog);
    if (slow) {
      const entries = slowLog()
        .split(/^# Time: .*$|^# User@Host: .*$/m)
        .map((e) => e.trim())
        .filter((e) => /Query_time: /.test(e));
      console.log(`statements over ${slow} ms: ${entries.length}`);
      for (const e of entries) {
        const t = /Query_time: ([\d.]+)/.exec(e)?.[1];
        const sql = e
          .split('\n')
          .filter((l) => !l.startsWith('#') && !/^SET timestamp=|^use /.test(l))
          .join(' ');
        console.log(`  ${(Number(t) * 1000).toFixed(0)} ms ${sql.replace(/\s+/g, ' ').slice(0, 200)}`);
      }
    }
  } finally {
    await server.stop();
  }
  process.exit(0);
}

let server: Awaited<ReturnType<typeof startThrowawayPostgres>>;
try {
  // BENCH_LOG_SLOW=ms: the server logs statements slower than that; printed after the runs.
  server = await startThrowawayPostgres(slow ? { conf: [`log_min_duration_statement = ${Number(slow)}`] } : {});
} catch (err) {
  console.log(`catalog bench SKIPPED: no throwaway PostgreSQL (${(err as Error).message.split('\n')[0]})`);
  process.exit(0);
}
const pgServer = server;
const db = 'qa_bench_catalog';
const p = `qa_bc_${process.pid}_`;
try {
  await createQuartzDb(server, db, 'public', `${p}owner`);
  const t0 = Date.now();
  await adminSql(
    server,
    db,
    `DO $$ BEGIN
       FOR g IN 0..99 LOOP EXECUTE format('CREATE ROLE %I NOLOGIN', '${p}grp' || g); END LOOP;
       FOR r IN 1..${ROLES} LOOP
         EXECUTE format('CREATE ROLE %I LOGIN IN ROLE %I', '${p}u' || r, '${p}grp' || (r % 100));
         IF r % 5 = 0 THEN EXECUTE format('GRANT SELECT ON qrtz_job_details TO %I', '${p}u' || r); END IF;
         IF r % 10 = 0 THEN EXECUTE format('GRANT INSERT, UPDATE, DELETE ON qrtz_triggers TO %I', '${p}u' || r); END IF;
         IF r % 50 = 0 THEN EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I GRANT SELECT ON TABLES TO %I', '${p}owner', '${p}u' || r); END IF;
       END LOOP;
     END $$`,
  );
  console.log(`catalog bench: ${ROLES} roles (+100 groups) with grants made in ${Date.now() - t0} ms`);
  await runs(
    () => createPostgresAdapter(options(pgServer.adminUrl(db))),
    () => pgServer.log(),
  );
  if (slow) {
    const lines = server
      .log()
      .split('\n')
      .filter((l) => /duration: /.test(l));
    console.log(`statements over ${slow} ms: ${lines.length}`);
    for (const l of lines)
      console.log(
        `  ${l
          .replace(/^.*duration: /, '')
          .replace(/\s+/g, ' ')
          .slice(0, 220)}`,
      );
  }
} finally {
  await server.stop();
}
