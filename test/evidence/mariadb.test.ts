/**
 * Issue #13 part 6 on the shared MariaDB service: `scan --evidence` then `evaluate` (no database) gives the
 * same report — ids, objects, fingerprints, severities, statuses — with suppressions and a baseline applied
 * offline; the evidence file (0600) holds neither the planted blob password nor the auditor's login
 * password. Database and accounts have unique names and are dropped afterwards; the audit only reads.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQuartzDb, uniq } from '../integration/mysql/helpers.js';
import { dbRequired, sharedMariadb } from '../support/mariadb-server.js';
import { PLANTED_PASSWORD, sameSecretBlob } from '../support/same-secret.js';
import { complianceOffline, type RoundTrip, roundTrip } from './round-trip.js';

const shared = await sharedMariadb();
if (!shared.ok) {
  if (dbRequired()) throw new Error(`QRTZ_REQUIRE_DB is set but ${shared.reason}`);
  console.warn(`[skip] mariadb evidence: ${shared.reason}`);
}
const HOST = process.env.QRTZ_MYSQL_HOST ?? '127.0.0.1';
const PORT = Number(process.env.QRTZ_MYSQL_PORT ?? 3306);

describe.skipIf(!shared.ok)('MariaDB: evidence and offline evaluation (shared service)', () => {
  const id = uniq();
  const db = `qa_${id}_ev`;
  const svc = `qa_${id}_svc`;
  const writer = `qa_${id}_w`;
  const auditor = `qa_${id}_aud`;
  const auditorPassword = `Aud1t-${id}-Pw!x`;
  let root: mysql.Connection;
  let dir: string;
  let rt: RoundTrip;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qrtz-mariadb-evidence-'));
    root = await mysql.createConnection({ host: HOST, port: PORT, user: 'root' });
    await createQuartzDb(root, db);
    await root.query(`CREATE USER '${svc}'@'%' IDENTIFIED BY 'Pw-${id}-x'`);
    await root.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${db}.* TO '${svc}'@'%'`);
    await root.query(`CREATE USER '${writer}'@'%' IDENTIFIED BY 'Pw-${id}-y'`);
    await root.query(`GRANT INSERT ON ${db}.QRTZ_JOB_DETAILS TO '${writer}'@'%'`);
    await root.query(`CREATE USER '${auditor}'@'%' IDENTIFIED BY '${auditorPassword}'`);
    await root.query(`GRANT SELECT ON ${db}.* TO '${auditor}'@'%'`);
    await root.query(`GRANT SELECT ON mysql.* TO '${auditor}'@'%'`);
    for (let i = 0; i < 20; i++)
      await root.query(
        `INSERT INTO ${db}.QRTZ_JOB_DETAILS VALUES ('Sched', ?, 'batch', NULL, 'Contoso.Jobs.Sync, Contoso', 1, 0, 0, 0, ?)`,
        [`sync-${String(i).padStart(5, '0')}`, sameSecretBlob()],
      );
    rt = await roundTrip(
      dir,
      [
        `mysql://${auditor}:${encodeURIComponent(auditorPassword)}@${HOST}:${PORT}/${db}`,
        '--service-account',
        `${svc}@%`,
        '--no-my-cnf',
      ],
      [PLANTED_PASSWORD, auditorPassword],
    );
  });
  afterAll(async () => {
    for (const u of [svc, writer, auditor]) await root.query(`DROP USER IF EXISTS '${u}'@'%'`).catch(() => {});
    await root.query(`DROP DATABASE IF EXISTS ${db}`).catch(() => {});
    await root.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('evaluate reproduces the online findings exactly', () => {
    expect(rt.offline.findings.filter((f) => f.check === 'QA-S01' && f.status === 'fail')).toHaveLength(20);
    const aboutWriter = rt.offline.findings.filter((f) => f.status === 'fail' && f.object.name.includes(writer));
    expect(aboutWriter.length).toBeGreaterThan(0);
    expect(rt.offline.summary).toEqual(rt.online.summary);
  });

  it('suppressions and a baseline apply offline', async () => {
    await complianceOffline(dir, rt);
  });
});
