/**
 * A real MySQL 8.4 through testcontainers, wherever a container engine answers: the official Quartz schema,
 * a least-privileged service account, a writer through a MySQL 8 default role, a dynamic admin privilege.
 * Skips loudly without an engine (getContainerRuntimeClient throws), unless QRTZ_REQUIRE_DB contains 'mysql8'.
 */
import { MySqlContainer, type StartedMySqlContainer } from '@testcontainers/mysql';
import mysql from 'mysql2/promise';
import { getContainerRuntimeClient } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatedAbsent } from '../../support/mariadb-server.js';
import { about, byCheck, createQuartzDb, type ScanOutput, scan } from './helpers.js';

const runtime = simulatedAbsent('docker')
  ? 'no container engine: treated as absent (QRTZ_TEST_ABSENT)'
  : await getContainerRuntimeClient().then(
      () => undefined,
      (err: Error) => `no container engine: ${err.message}`,
    );
if (runtime) {
  if (/mysql8/i.test(process.env.QRTZ_REQUIRE_DB ?? '')) throw new Error(`QRTZ_REQUIRE_DB=mysql8 but ${runtime}`);
  console.warn(`[skip] mysql8-container: ${runtime}`);
}

describe.skipIf(Boolean(runtime))('MySQL 8.4 (testcontainers)', () => {
  let container: StartedMySqlContainer;
  let root: mysql.Connection;
  let out: ScanOutput;
  const rootPw = 'root-Pw-8';
  const url = (user: string, pw: string) =>
    `mysql://${user}:${encodeURIComponent(pw)}@${container.getHost()}:${container.getPort()}/quartz`;

  beforeAll(async () => {
    container = await new MySqlContainer('mysql:8.4').withRootPassword(rootPw).start();
    root = await mysql.createConnection({
      host: container.getHost(),
      port: container.getPort(),
      user: 'root',
      password: rootPw,
    });
    await createQuartzDb(root, 'quartz');
    for (const s of [
      "CREATE USER 'quartz'@'%' IDENTIFIED BY 'Svc-Pw-8' REQUIRE SSL",
      "GRANT SELECT, INSERT, UPDATE, DELETE ON quartz.* TO 'quartz'@'%'",
      "GRANT SYSTEM_VARIABLES_ADMIN ON *.* TO 'quartz'@'%'",
      "CREATE ROLE 'app_rw'",
      "GRANT INSERT, UPDATE ON quartz.QRTZ_TRIGGERS TO 'app_rw'",
      "CREATE USER 'reporting'@'%' IDENTIFIED BY 'Rep-Pw-8'",
      "GRANT 'app_rw' TO 'reporting'@'%'",
      "SET DEFAULT ROLE 'app_rw' TO 'reporting'@'%'",
    ]) {
      await root.query(s);
    }
    out = await scan(url('root', rootPw), { serviceAccount: 'quartz' });
  }, 300_000);

  afterAll(async () => {
    await root?.end();
    await container?.stop();
  });

  it('detects MySQL 8.4 and the eleven tables', () => {
    expect(out.facts.dialect).toBe('mysql');
    expect(out.facts.server.versionNum).toBeGreaterThanOrEqual(80400);
    expect(out.facts.tables).toHaveLength(11);
  });

  it('reads roles from role_edges/default_roles and the writer through the role', () => {
    expect(out.facts.memberships).toContainEqual({
      member: "'reporting'@'%'",
      role: "'app_rw'@'%'",
      admin: false,
      inherit: true,
    });
    const g05 = byCheck(about(out.findings, "'reporting'@'%'"), 'QA-G05', 'fail');
    expect(g05.map((f) => `${f.severity}:${f.evidence?.via}`)).toEqual(["high:'app_rw'@'%'"]);
  });

  it('QA-G01 reports the dynamic privilege from mysql.global_grants; QA-G10 sees REQUIRE SSL', () => {
    const g01 = byCheck(about(out.findings, "'quartz'@'%'"), 'QA-G01', 'fail');
    expect(String(g01[0]?.evidence?.privileges)).toContain('SYSTEM_VARIABLES_ADMIN');
    const g10 = byCheck(about(out.findings, "'quartz'@'%'"), 'QA-G10', 'fail');
    expect(g10.map((f) => f.evidence?.host ?? f.evidence?.requireSsl)).toEqual(['%']);
  });

  it('self-audit without mysql.*: role privileges via SHOW GRANTS … USING, REQUIRE via SHOW CREATE USER', async () => {
    const rep = await scan(url('reporting', 'Rep-Pw-8'), {});
    expect(rep.facts.unreadable.map((u) => u.what)).toContain('grants.others');
    expect(
      rep.facts.effective
        .filter((e) => e.principal === "'reporting'@'%'")
        .map((e) => `${e.table}:${e.privilege}:${e.via.join('>')}`)
        .sort(),
    ).toEqual(["TRIGGERS:INSERT:'app_rw'@'%'", "TRIGGERS:UPDATE:'app_rw'@'%'"]);
    const svc = await scan(url('quartz', 'Svc-Pw-8'), {});
    expect(svc.facts.principals[0]?.attributes).toContain('require-ssl');
    expect(byCheck(svc.findings, 'QA-G10', 'fail').map((f) => f.evidence?.host ?? f.evidence?.requireSsl)).toEqual([
      '%',
    ]);
  });

  it('reads INNODB_TABLESPACES.ENCRYPTION (unencrypted by default) and the TLS session', () => {
    expect(out.facts.tableEncryption).toHaveLength(11);
    expect(out.facts.tableEncryption.every((t) => t.encrypted === false)).toBe(true);
    expect(out.facts.session.tls).toBe(true); // MySQL 8.4 auto-generates certificates
  });
});
