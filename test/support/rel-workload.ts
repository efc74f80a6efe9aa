/**
 * A Quartz-like workload for the non-interference tests: each worker does what Quartz's acquire loop
 * does in a clustered JobStore — lock the TRIGGER_ACCESS row (SELECT … FOR UPDATE), pick a WAITING
 * trigger, mark it ACQUIRED, insert a fired-trigger row, commit; then under the lock again delete the
 * fired-trigger row and put the trigger back to WAITING with a later next fire time. Every statement's
 * latency is measured. Bounded by iteration count and time.
 */
import { type Dialect, SCHED, tableName } from './rel-store.js';

export interface WorkerConn {
  query(sql: string, params?: unknown[]): Promise<unknown[]>;
}

export interface WorkloadResult {
  statements: number;
  maxMs: number;
  p99Ms: number;
  /** The slowest statement's SQL (first words), for the report. */
  slowest: string;
  errors: string[];
}

export async function runWorkload(
  dialect: Exclude<Dialect, 'sqlite'>,
  workers: WorkerConn[],
  opts: { untilMs: number; maxIterations: number; schema?: string; triggers: number },
): Promise<WorkloadResult> {
  const q = (logical: string) =>
    dialect === 'postgres' && opts.schema
      ? `${opts.schema}.${tableName(dialect, logical)}`
      : tableName(dialect, logical);
  const p = (i: number) => (dialect === 'postgres' ? `$${i}` : '?');
  const lat: number[] = [];
  let slowest = '';
  let maxMs = 0;
  const errors: string[] = [];
  const timed = async (c: WorkerConn, sql: string, params: unknown[] = []) => {
    const t0 = performance.now();
    const rows = await c.query(sql, params);
    const ms = performance.now() - t0;
    lat.push(ms);
    if (ms > maxMs) {
      maxMs = ms;
      slowest = sql.slice(0, 60);
    }
    return rows;
  };
  const begin = dialect === 'postgres' ? 'BEGIN' : 'START TRANSACTION';
  const loop = async (c: WorkerConn, w: number) => {
    for (let i = 0; i < opts.maxIterations && performance.now() < opts.untilMs; i++) {
      const trig = `w${(w * 7 + i) % opts.triggers}`;
      const entry = `node-${w}-${i}`;
      try {
        await timed(c, begin);
        await timed(c, `SELECT * FROM ${q('LOCKS')} WHERE sched_name = ${p(1)} AND lock_name = ${p(2)} FOR UPDATE`, [
          SCHED,
          'TRIGGER_ACCESS',
        ]);
        await timed(
          c,
          `SELECT trigger_name, next_fire_time FROM ${q('TRIGGERS')} WHERE sched_name = ${p(1)} AND trigger_state = ${p(2)} AND trigger_group = ${p(3)} ORDER BY next_fire_time LIMIT 5`,
          [SCHED, 'WAITING', 'work'],
        );
        await timed(
          c,
          `UPDATE ${q('TRIGGERS')} SET trigger_state = ${p(1)} WHERE sched_name = ${p(2)} AND trigger_name = ${p(3)} AND trigger_group = ${p(4)}`,
          ['ACQUIRED', SCHED, trig, 'work'],
        );
        await timed(
          c,
          `INSERT INTO ${q('FIRED_TRIGGERS')} (sched_name, entry_id, trigger_name, trigger_group, instance_name, fired_time, sched_time, priority, state, job_name, job_group, is_nonconcurrent, requests_recovery) VALUES (${[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13].map(p).join(', ')})`,
          [
            SCHED,
            entry,
            trig,
            'work',
            `node-${w}`,
            Date.now(),
            Date.now(),
            5,
            'ACQUIRED',
            'plain-job',
            'grp',
            false,
            false,
          ],
        );
        await timed(c, 'COMMIT');
        await timed(c, begin);
        await timed(c, `SELECT * FROM ${q('LOCKS')} WHERE sched_name = ${p(1)} AND lock_name = ${p(2)} FOR UPDATE`, [
          SCHED,
          'TRIGGER_ACCESS',
        ]);
        await timed(c, `DELETE FROM ${q('FIRED_TRIGGERS')} WHERE sched_name = ${p(1)} AND entry_id = ${p(2)}`, [
          SCHED,
          entry,
        ]);
        await timed(
          c,
          `UPDATE ${q('TRIGGERS')} SET trigger_state = ${p(1)}, next_fire_time = next_fire_time + 1 WHERE sched_name = ${p(2)} AND trigger_name = ${p(3)} AND trigger_group = ${p(4)}`,
          ['WAITING', SCHED, trig, 'work'],
        );
        await timed(c, 'COMMIT');
      } catch (err) {
        errors.push((err as Error).message);
        await c.query('ROLLBACK').catch(() => {});
      }
    }
  };
  await Promise.all(workers.map((c, w) => loop(c, w)));
  const sorted = [...lat].sort((a, b) => a - b);
  return {
    statements: lat.length,
    maxMs: Math.round(maxMs * 10) / 10,
    p99Ms: Math.round((sorted[Math.floor(sorted.length * 0.99)] ?? 0) * 10) / 10,
    slowest,
    errors,
  };
}
