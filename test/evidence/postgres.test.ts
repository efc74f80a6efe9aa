/**
 * Issue #13 part 6 on a real PostgreSQL JobStore: `scan --evidence` then `evaluate` (no database) gives the
 * same report — every finding's id, object, fingerprint, severity and status — with suppressions and a
 * baseline applied offline; the evidence file (0600) holds neither the planted blob password nor the
 * connection's. Fixture database and roles have unique names and are dropped afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQuartzDb, dropAll } from '../support/pg-quartz.js';
import { acquirePostgres, adminSql, type PgServer } from '../support/pg-server.js';
import { PLANTED_PASSWORD } from '../support/same-secret.js';
import { complianceOffline, type RoundTrip, roundTrip } from './round-trip.js';

const got = await acquirePostgres();
const server = 'skip' in got ? undefined : (got as PgServer);
if (!server) console.warn(`SKIPPED (PostgreSQL evidence): ${(got as { skip: string }).skip}`);
const P = `qev${process.pid}`;
const DB = `${P}_store`;
const ROLES = [`${P}_owner`, `${P}_app`, `${P}_writer`, `${P}_aud`];
const LOGIN_PASSWORD = `Aud1t-${P}-Pw!x`;

describe.skipIf(!server)('PostgreSQL: evidence and offline evaluation', () => {
  const s = server as PgServer;
  let dir: string;
  let rt: RoundTrip;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qrtz-pg-evidence-'));
    await dropAll(s, [DB], ROLES);
    await adminSql(
      s,
      'postgres',
      `CREATE ROLE ${P}_app LOGIN; CREATE ROLE ${P}_writer LOGIN; CREATE ROLE ${P}_aud LOGIN PASSWORD '${LOGIN_PASSWORD}' IN ROLE pg_read_all_settings, pg_read_all_stats;`,
    );
    await createQuartzDb(s, DB, 'quartz', `${P}_owner`);
    await adminSql(
      s,
      DB,
      `GRANT USAGE ON SCHEMA quartz TO ${P}_app, ${P}_writer, ${P}_aud;
       GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA quartz TO ${P}_app;
       GRANT SELECT ON ALL TABLES IN SCHEMA quartz TO ${P}_aud;
       GRANT INSERT, UPDATE ON quartz.qrtz_job_details TO ${P}_writer;
       INSERT INTO quartz.qrtz_job_details
         SELECT 'Sched', 'sync-' || lpad(i::text, 5, '0'), 'batch', NULL, 'Contoso.Jobs.Sync, Contoso', true, false, false, false,
                convert_to('{"password":"${PLANTED_PASSWORD}","target":"crm"}', 'UTF8')
         FROM generate_series(0, 49) AS i;`,
    );
    // The auditor logs in with a password (in the URL): it must reach neither report nor evidence.
    const url = new URL(s.adminUrl(DB));
    url.username = `${P}_aud`;
    url.password = LOGIN_PASSWORD;
    url.search = 'sslmode=disable';
    rt = await roundTrip(
      dir,
      [url.toString(), '--schema', 'quartz', '--service-account', `${P}_app`],
      [PLANTED_PASSWORD, LOGIN_PASSWORD],
    );
  });
  afterAll(async () => {
    await dropAll(s, [DB], ROLES);
    rmSync(dir, { recursive: true, force: true });
    await s.stop();
  });

  it('evaluate reproduces the online findings exactly (grants, content, encryption, audit, scheduler)', () => {
    const ids = new Set(rt.online.findings.map((f) => f.check));
    for (const id of ['QA-S01', 'QA-G05']) expect(ids).toContain(id);
    const writer = rt.offline.findings.filter((f) => f.status === 'fail' && f.object.name.includes(`${P}_writer`));
    expect(writer.length).toBeGreaterThan(0);
    expect(rt.offline.findings.filter((f) => f.check === 'QA-S01' && f.status === 'fail')).toHaveLength(50);
    expect(rt.offline.summary).toEqual(rt.online.summary);
  });

  it('suppressions and a baseline apply offline', async () => {
    await complianceOffline(dir, rt);
  });
});
