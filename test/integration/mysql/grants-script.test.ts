/**
 * `qrtz-audit grants-script --dialect mariadb` (issue #14 part 10), applied to the shared MariaDB: a
 * service account with too much is cut to exactly SELECT, INSERT, UPDATE, DELETE on each Quartz
 * table; the auditor login the script creates runs a full audit with no grant failure for the
 * service account, and the only not-evaluated checks are the ones the script names as left out.
 */
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDITOR_LEAVES_OUT, grantsScript } from '../../../src/grants-script.js';
import { parseReport, runCli } from '../../support/cli.js';
import { dbRequired, sharedMariadb } from '../../support/mariadb-server.js';
import { insertRows, secretRows } from '../../support/rel-store.js';
import { createQuartzDb, uniq } from './helpers.js';

const shared = await sharedMariadb();
if (!shared.ok) {
  if (dbRequired()) throw new Error(`QRTZ_REQUIRE_DB is set but ${shared.reason}`);
  console.warn(`[skip] mysql/grants-script: ${shared.reason}`);
}
const HOST = process.env.QRTZ_MYSQL_HOST ?? '127.0.0.1';
const PORT = Number(process.env.QRTZ_MYSQL_PORT ?? 3306);

describe.skipIf(!shared.ok)('grants-script on MariaDB', () => {
  const id = uniq();
  const db = `qa_${id}_gs`;
  const svc = `qa_${id}_svc`;
  const SVC = `'${svc}'@'10.0.0.%'`;
  const auditor = `qa_${id}_aud`;
  let root: mysql.Connection;

  beforeAll(async () => {
    root = await mysql.createConnection({ host: HOST, port: PORT, user: 'root', multipleStatements: true });
    await createQuartzDb(root, db);
    await root.query('CREATE USER ?@? IDENTIFIED BY ?', [svc, '10.0.0.%', `Svc-${id}-pw`]);
    await root.query(`GRANT ALL PRIVILEGES ON \`${db}\`.* TO ?@? WITH GRANT OPTION`, [svc, '10.0.0.%']);
    await insertRows('mysql', (sql, params) => root.query(sql, params), secretRows(), `${db}.QRTZ_`);
  });
  afterAll(async () => {
    await root.query(`DROP DATABASE IF EXISTS \`${db}\``);
    await root.query('DROP USER IF EXISTS ?@?', [svc, '10.0.0.%']);
    await root.query('DROP USER IF EXISTS ?@?', [auditor, '%']);
    await root.end();
  });

  it('both parts apply cleanly; the audit as the auditor has no grant failure; not-evaluated only where the script says', async () => {
    const run = await runCli([
      'grants-script',
      '--dialect',
      'mariadb',
      '--schema',
      db,
      '--user',
      SVC,
      '--auditor',
      auditor,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(grantsScript({ dialect: 'mariadb', schema: db, user: SVC, auditor }));
    await root.query(run.stdout);
    const [g] = await root.query(`SHOW GRANTS FOR ${SVC}`);
    const lines = (g as Record<string, string>[]).map((r) => Object.values(r)[0] as string);
    expect(
      lines.filter((l) => !/^GRANT USAGE ON \*\.\*/.test(l)).map((l) => l.replace(/`[^`]*`\.`/, '`db`.`')),
    ).toEqual(
      expect.arrayContaining([
        `GRANT SELECT, INSERT, UPDATE, DELETE ON \`db\`.\`QRTZ_LOCKS\` TO \`${svc}\`@\`10.0.0.%\``,
      ]),
    );
    expect(lines.map((l) => l.replace(/ ON .*? TO /, ' TO ')).join('\n')).not.toMatch(
      /ALL PRIVILEGES|GRANT OPTION|CREATE|DROP|ALTER|INDEX|TRIGGER/,
    );
    expect(lines.filter((l) => /SELECT, INSERT, UPDATE, DELETE ON/.test(l))).toHaveLength(11);
    await root.query("SET PASSWORD FOR ?@? = PASSWORD('Aud-pw-1')", [auditor, '%']);
    const out = await runCli(
      [
        'scan',
        `mariadb://${auditor}@${HOST}:${PORT}/${db}?sslmode=disabled`,
        '--password-stdin',
        '--no-my-cnf',
        '--service-account',
        SVC,
        '--allow-principal',
        `'${auditor}'@'%'`,
        '--format',
        'json',
        '--fail-on',
        'critical',
      ],
      'Aud-pw-1\n',
    );
    const report = parseReport(out);
    expect(report.target.user).toBe(`'${auditor}'@'%'`);
    // No grant check fails for the service account. (The shared test server's own password-less root
    // accounts are QA-G12 failures of that server, not of the script: they are the only other ones.)
    const grantFails = report.findings.filter((f) => f.status === 'fail' && f.check.startsWith('QA-G'));
    expect(grantFails.filter((f) => !/^account 'root'@'(localhost|127\.0\.0\.1|::1|%)'$/.test(f.object.name))).toEqual(
      [],
    );
    expect(grantFails.every((f) => f.check === 'QA-G12')).toBe(true);
    const notEvaluated = [
      ...new Set(report.findings.filter((f) => f.status === 'not-evaluated').map((f) => f.check)),
    ].sort();
    expect(notEvaluated).toEqual(AUDITOR_LEAVES_OUT.mariadb.map((l) => l.check).sort());
  });
});
