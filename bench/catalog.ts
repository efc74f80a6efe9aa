/**
 * Catalog checks on a large cluster: `npx tsx bench/catalog.ts [--roles N]` (default 10,000; a step of
 * `npm run bench`). On a throwaway PostgreSQL of its own (initdb in a temp dir, free port: roles are
 * cluster-wide, so no shared server is touched) it builds a Quartz store and N roles with a unique
 * prefix — every role a member of one of 100 group roles, every 5th role granted SELECT on a Quartz
 * table, every 10th role DML on another, every 50th a default privilege — then runs every
 * non-content family (grants, encryption, audit, scheduler, updates, config) through the real
 * adapter and engine three times and prints the wall time of each run and the findings. Target: under
 * 3 s. BENCH_LOG_SLOW=<ms> lists the statements the server found slower than that. The server is
 * stopped and removed at the end.
 */
import { createPostgresAdapter } from '../src/dialects/postgres/index.js';
import { runScan } from '../src/engine.js';
import { checkOptions, FAMILIES, type Family } from '../src/model.js';
import { createQuartzDb } from '../test/support/pg-quartz.js';
import { adminSql, startThrowawayPostgres } from '../test/support/pg-server.js';

const i = process.argv.indexOf('--roles');
const ROLES = Number(i > 0 ? process.argv[i + 1] : (process.env.BENCH_ROLES ?? 10_000));

let server: Awaited<ReturnType<typeof startThrowawayPostgres>>;
try {
  // BENCH_LOG_SLOW=ms: the server logs statements slower than that; printed after the runs.
  const slow = process.env.BENCH_LOG_SLOW;
  server = await startThrowawayPostgres(slow ? { conf: [`log_min_duration_statement = ${Number(slow)}`] } : {});
} catch (err) {
  console.log(`catalog bench SKIPPED: no throwaway PostgreSQL (${(err as Error).message.split('\n')[0]})`);
  process.exit(0);
}
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
  const families = new Set<Family>(FAMILIES.filter((f) => f !== 'content'));
  for (let run = 1; run <= 3; run++) {
    const adapter = createPostgresAdapter({
      url: server.adminUrl(db),
      tablePrefix: 'QRTZ_',
      allowPrincipals: [],
      families,
      statementTimeoutMs: 60_000,
      lockTimeoutMs: 2000,
      connectTimeoutMs: 10_000,
      maxBlobSize: 16 << 20,
      attestations: {},
    });
    const s = performance.now();
    const c0 = process.cpuUsage();
    let result: Awaited<ReturnType<typeof runScan>>;
    try {
      await adapter.connect();
      result = await runScan(adapter, { families, checkOptions: checkOptions({}) });
    } catch (err) {
      const tail = server.log().trim().split('\n').slice(-8).join('\n  ');
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
  if (process.env.BENCH_LOG_SLOW) {
    const lines = server
      .log()
      .split('\n')
      .filter((l) => /duration: /.test(l));
    console.log(`statements over ${process.env.BENCH_LOG_SLOW} ms: ${lines.length}`);
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
