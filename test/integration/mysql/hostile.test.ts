/**
 * Hostile MariaDB JobStore (issue #9 part 3/7): a view with side effects in place of a Quartz table, a stored
 * function named like a built-in, a trigger on a Quartz table. The scan must run none of them and report each as a
 * tamper fact (QA-T01 judges them). Uses the shared MariaDB service with its own database; skips loudly without it.
 */
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMysqlAdapter } from '../../../src/dialects/mysql/index.js';
import { dbRequired, sharedMariadb } from '../../support/mariadb-server.js';
import { connectOptions, createQuartzDb, type ScanOutput, scan, uniq } from './helpers.js';

const shared = await sharedMariadb();
if (!shared.ok) {
  if (dbRequired()) throw new Error(`QRTZ_REQUIRE_DB is set but ${shared.reason}`);
  console.warn(`[skip] mysql/hostile: ${shared.reason}`);
}
const HOST = process.env.QRTZ_MYSQL_HOST ?? '127.0.0.1';
const PORT = Number(process.env.QRTZ_MYSQL_PORT ?? 3306);

describe.skipIf(!shared.ok)('hostile MariaDB JobStore', () => {
  const db = `qa_${uniq()}_hostile`;
  let root: mysql.Connection;
  let out: ScanOutput;

  beforeAll(async () => {
    root = await mysql.createConnection({ host: HOST, port: PORT, user: 'root', multipleStatements: false });
    await createQuartzDb(root, db);
    const q = (s: string) => root.query(s);
    await q(`CREATE TABLE \`${db}\`.marker (what VARCHAR(100)) ENGINE=MyISAM`);
    // A function with a side effect (a non-transactional write), run as its definer (root) whenever it is called.
    await q(
      `CREATE DEFINER='root'@'localhost' FUNCTION \`${db}\`.side_effect(x VARCHAR(200)) RETURNS VARCHAR(200) MODIFIES SQL DATA SQL SECURITY DEFINER BEGIN INSERT INTO \`${db}\`.marker VALUES (CONCAT('called:', x)); RETURN x; END`,
    );
    // The real triggers table is renamed; a view calling the function takes its name.
    await q(`RENAME TABLE \`${db}\`.QRTZ_TRIGGERS TO \`${db}\`.QRTZ_TRIGGERS_REAL`);
    await q(
      `CREATE DEFINER='root'@'localhost' VIEW \`${db}\`.QRTZ_TRIGGERS AS SELECT SCHED_NAME, \`${db}\`.side_effect(TRIGGER_NAME) AS TRIGGER_NAME, TRIGGER_GROUP, JOB_NAME, JOB_GROUP, DESCRIPTION, NEXT_FIRE_TIME, PREV_FIRE_TIME, PRIORITY, TRIGGER_STATE, TRIGGER_TYPE, START_TIME, END_TIME, CALENDAR_NAME, MISFIRE_INSTR, JOB_DATA FROM \`${db}\`.QRTZ_TRIGGERS_REAL`,
    );
    await q(
      `INSERT INTO \`${db}\`.QRTZ_JOB_DETAILS VALUES ('S', 'j1', 'G', NULL, 'Contoso.Job, Contoso', 0, 0, 0, 0, NULL)`,
    );
    await q(
      `INSERT INTO \`${db}\`.QRTZ_TRIGGERS_REAL (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP, JOB_NAME, JOB_GROUP, TRIGGER_STATE, TRIGGER_TYPE, START_TIME, NEXT_FIRE_TIME, JOB_DATA) VALUES ('S', 't1', 'G', 'j1', 'G', 'WAITING', 'SIMPLE', 1, 1, 'x')`,
    );
    // A stored function named like a built-in the tool's queries call.
    await q(
      `CREATE DEFINER='root'@'localhost' FUNCTION \`${db}\`.LOWER(x VARCHAR(200)) RETURNS VARCHAR(200) MODIFIES SQL DATA BEGIN INSERT INTO \`${db}\`.marker VALUES ('lower'); RETURN x; END`,
    );
    await q(
      `CREATE DEFINER='root'@'localhost' FUNCTION \`${db}\`.UPPER(x VARCHAR(200)) RETURNS VARCHAR(200) MODIFIES SQL DATA BEGIN INSERT INTO \`${db}\`.marker VALUES ('upper'); RETURN x; END`,
    );
    // A trigger on a Quartz table.
    await q(
      `CREATE DEFINER='root'@'localhost' TRIGGER \`${db}\`.qa_spy BEFORE UPDATE ON \`${db}\`.QRTZ_JOB_DETAILS FOR EACH ROW INSERT INTO \`${db}\`.marker VALUES ('trigger')`,
    );
    out = await scan(`mysql://root@${HOST}:${PORT}/${db}`, {}, true);
  }, 60_000);

  afterAll(async () => {
    await root?.query(`DROP DATABASE IF EXISTS \`${db}\``);
    await root?.end();
  });

  it('runs nothing: the marker table stays empty', async () => {
    const [rows] = await root.query(`SELECT what FROM \`${db}\`.marker`);
    expect(rows).toEqual([]);
  });

  it('reports the view in place of QRTZ_TRIGGERS as not-a-table, with its definer, and never reads it', () => {
    const t = out.facts.tamper.find((x) => x.kind === 'not-a-table');
    expect(t).toMatchObject({ table: 'QRTZ_TRIGGERS', owner: 'root@localhost' });
    expect(t?.detail).toMatch(/VIEW in place of the Quartz table TRIGGERS/);
    expect(out.facts.tables.map((x) => x.name)).not.toContain('QRTZ_TRIGGERS');
    expect(out.blobs.filter((b) => b.table === 'TRIGGERS')).toEqual([]);
    expect(out.blobs.filter((b) => b.table === 'JOB_DETAILS').map((b) => b.key.name)).toEqual(['j1']);
    expect(out.facts.quartzSchemaColumns?.some((c) => c.startsWith('TRIGGERS.'))).toBe(false);
    expect(out.facts.scheduler?.triggerStates ?? {}).toEqual({});
  });

  it('the view is also an Unreadable (cause tamper) naming the table', () => {
    expect(out.facts.unreadable).toContainEqual(
      expect.objectContaining({ what: 'table.TRIGGERS', table: 'QRTZ_TRIGGERS', cause: 'tamper' }),
    );
  });

  it('the audit session is read-only: a write through it fails', async () => {
    const a = createMysqlAdapter(connectOptions(`mysql://root@${HOST}:${PORT}/${db}`));
    await a.connect();
    try {
      await a.collectFacts();
      const run = (a as unknown as { run: (sql: string) => Promise<unknown> }).run.bind(a);
      await expect(run(`INSERT INTO \`${db}\`.marker VALUES ('write')`)).rejects.toThrow(/read.only/i);
    } finally {
      await a.close();
    }
    const [rows] = await root.query(`SELECT what FROM \`${db}\`.marker`);
    expect(rows).toEqual([]);
  });

  it('reports the stored functions named like built-ins', () => {
    const names = out.facts.tamper.filter((x) => x.kind === 'shadow-function').map((x) => x.name.toUpperCase());
    expect(names.sort()).toEqual(['LOWER', 'UPPER']);
    expect(out.facts.tamper.find((x) => x.kind === 'shadow-function')?.owner).toBe('root@localhost');
  });

  it('reports the trigger on QRTZ_JOB_DETAILS with its definer', () => {
    expect(out.facts.tamper.find((x) => x.kind === 'trigger')).toMatchObject({
      name: 'qa_spy',
      table: 'QRTZ_JOB_DETAILS',
      owner: 'root@localhost',
    });
  });

  it('QA-T01 fails on the attack', () => {
    expect(out.findings.filter((f) => f.check === 'QA-T01' && f.status === 'fail').length).toBeGreaterThan(0);
  });

  it('a database whose only Quartz name is a view is reported, not "no Quartz tables"', async () => {
    const only = `qa_${uniq()}_viewonly`;
    await root.query(`CREATE DATABASE \`${only}\``);
    try {
      await root.query(`CREATE VIEW \`${only}\`.QRTZ_LOCKS AS SELECT 'S' AS SCHED_NAME, 'L' AS LOCK_NAME`);
      const o = await scan(`mysql://root@${HOST}:${PORT}/${only}`);
      expect(o.facts.tamper).toEqual([expect.objectContaining({ kind: 'not-a-table', table: 'QRTZ_LOCKS' })]);
      expect(o.facts.unreadable.map((u) => u.what)).not.toContain('tablespaces');
    } finally {
      await root.query(`DROP DATABASE IF EXISTS \`${only}\``);
    }
  });
});
