/**
 * Fleet scans (issue #13 part 5) on real databases: one config file with a PostgreSQL JobStore (a throwaway
 * server, or QRTZ_TEST_PG_URL), a MariaDB one on the shared service reached as an auditor whose password comes
 * from `passwordEnv`, a SQLite demo store and a PostgreSQL target on a refused port. The unreachable target is
 * reported as failed with a one-line reason while the others are audited; the merged report (JSON, SARIF,
 * JUnit, Prometheus, Markdown, HTML, table) and one directory per target are written; the password appears
 * nowhere; no more than --concurrency targets run at once. Databases and accounts have unique names and are
 * dropped afterwards; the audit itself only reads.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Command } from 'commander';
import { XMLParser } from 'fast-xml-parser';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Io } from '../../../src/commands/io.js';
import { addScanOptions, type ScanCliOptions, scanReport } from '../../../src/commands/scan.js';
import { seedDemoStore } from '../../../src/demo/seed.js';
import type { FleetReport } from '../../../src/fleet/report.js';
import { runConfiguredScan } from '../../../src/runconfig/run.js';
import { runCli } from '../../support/cli.js';
import { dbRequired, sharedMariadb } from '../../support/mariadb-server.js';
import { createQuartzDb as createPgQuartz, dropAll } from '../../support/pg-quartz.js';
import { acquirePostgres, adminSql, freePort, type PgServer } from '../../support/pg-server.js';
import { createQuartzDb as createMyQuartz, uniq } from '../mysql/helpers.js';

const got = await acquirePostgres();
const pg = 'skip' in got ? undefined : (got as PgServer);
if (!pg) console.warn(`SKIPPED (fleet): ${(got as { skip: string }).skip}`);
const maria = await sharedMariadb();
if (!maria.ok) {
  if (dbRequired()) throw new Error(`QRTZ_REQUIRE_DB is set but ${maria.reason}`);
  console.warn(`SKIPPED (fleet): ${maria.reason}`);
}
const MY_HOST = process.env.QRTZ_MYSQL_HOST ?? '127.0.0.1';
const MY_PORT = Number(process.env.QRTZ_MYSQL_PORT ?? 3306);
const MULTITOOL = join(import.meta.dirname, '../../../node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool');

describe.skipIf(!pg || !maria.ok)('fleet: PostgreSQL + MariaDB + SQLite + an unreachable target', () => {
  const s = pg as PgServer;
  const id = uniq();
  const P = `qf${id}`;
  const PG_DB = `${P}_store`;
  const PG_ROLES = [`${P}_owner`, `${P}_app`];
  const MY_DB = `${P}_my`;
  const MY_AUD = `${P}_aud`;
  const MY_SVC = `${P}_svc`;
  const PASSWORD = `Fleet-Pw-${id}-Zq9`;
  const PW_VAR = `QRTZ_FLEET_PW_${id}`;
  let root: mysql.Connection;
  let dir: string;
  let config: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qrtz-fleet-'));
    await dropAll(s, [PG_DB], PG_ROLES);
    await adminSql(s, 'postgres', `CREATE ROLE ${P}_app LOGIN`);
    await createPgQuartz(s, PG_DB, 'quartz', `${P}_owner`);
    await adminSql(
      s,
      PG_DB,
      `GRANT USAGE ON SCHEMA quartz TO ${P}_app; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA quartz TO ${P}_app;`,
    );
    root = await mysql.createConnection({ host: MY_HOST, port: MY_PORT, user: 'root' });
    await createMyQuartz(root, MY_DB);
    await root.query(`CREATE USER '${MY_SVC}'@'%' IDENTIFIED BY 'Svc-${id}-x'`);
    await root.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON \`${MY_DB}\`.* TO '${MY_SVC}'@'%'`);
    await root.query(`CREATE USER '${MY_AUD}'@'%' IDENTIFIED BY '${PASSWORD}'`);
    await root.query(`GRANT SELECT ON *.* TO '${MY_AUD}'@'%'`);
    seedDemoStore(join(dir, 'demo.db'));
    const refused = await freePort();
    config = join(dir, 'fleet.yml');
    writeFileSync(
      config,
      [
        'targets:',
        '  - name: pg',
        `    url: postgres://postgres@127.0.0.1:${s.port}/${PG_DB}?sslmode=disable`,
        '    schema: quartz',
        `    serviceAccount: ${P}_app`,
        '  - name: maria',
        '    dialect: mariadb',
        `    host: ${MY_HOST}`,
        `    port: ${MY_PORT}`,
        `    database: ${MY_DB}`,
        `    user: ${MY_AUD}`,
        `    passwordEnv: ${PW_VAR}`,
        `    serviceAccount: "${MY_SVC}@%"`,
        '  - name: sqlite',
        '    dialect: sqlite',
        '    path: demo.db',
        '  - name: down',
        `    url: postgres://auditor@127.0.0.1:${refused}/quartz?sslmode=disable`,
        'thresholds:',
        '  connectTimeout: 5s',
      ].join('\n'),
    );
    process.env[PW_VAR] = PASSWORD;
  });
  afterAll(async () => {
    delete process.env[PW_VAR];
    await dropAll(s, [PG_DB], PG_ROLES).catch(() => {});
    if (root) {
      for (const u of [MY_AUD, MY_SVC]) await root.query(`DROP USER IF EXISTS '${u}'@'%'`).catch(() => {});
      await root.query(`DROP DATABASE IF EXISTS \`${MY_DB}\``).catch(() => {});
      await root.end();
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
    await s.stop();
  });

  it('audits the reachable targets, reports the unreachable one as failed, writes the merged report and one directory per target', async () => {
    const out = join(dir, 'out');
    const run = await runCli([
      'scan',
      '--config',
      config,
      '--format',
      'json,sarif,junit,prometheus,markdown,html,table',
      '--output-dir',
      out,
    ]);
    // The SQLite demo store has high findings: 1 (findings) wins over 5 (a target failed).
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/qrtz-audit: \[down\] target failed: .*refused/);
    expect(run.stderr).toMatch(/fleet: 4 target\(s\): 3 audited \(\d incomplete\), 1 failed/);

    const fleet = JSON.parse(readFileSync(join(out, 'qrtz-audit.json'), 'utf8')) as FleetReport;
    expect(fleet.kind).toBe('qrtz-audit-fleet');
    expect(fleet.summary).toMatchObject({ targets: 4, audited: 3, failed: 1, exitCode: 1 });
    const by = Object.fromEntries(fleet.targets.map((t) => [t.name, t]));
    expect(by.down).toMatchObject({ status: 'failed', exitCode: 2 });
    expect(by.down?.reason).toMatch(/refused/);
    expect(by.down?.reason).not.toContain('\n');
    expect(by.pg?.report?.target).toMatchObject({
      dialect: 'postgres',
      database: PG_DB,
      schema: 'quartz',
      serviceAccount: `${P}_app`,
    });
    // The MariaDB login worked with the password passwordEnv named (the auditor, not root).
    expect(by.maria?.report?.target.dialect).toBe('mariadb');
    expect(by.maria?.report?.target.user).toContain(MY_AUD);
    expect(by.sqlite?.report?.target.dialect).toBe('sqlite');
    for (const name of ['pg', 'maria', 'sqlite']) {
      const t = by[name];
      expect(['audited', 'incomplete']).toContain(t?.status);
      // Each per-target file is that target's own single-scan report, with the same findings.
      const own = JSON.parse(readFileSync(join(out, 'targets', name, 'qrtz-audit.json'), 'utf8'));
      expect(own.findings.length).toBe(t?.report?.findings.length);
      expect(own.findings.length).toBeGreaterThan(5);
      for (const f of ['qrtz-audit.sarif', 'qrtz-audit-target.json', 'qrtz-audit.junit.xml', 'qrtz-audit.prom'])
        expect(existsSync(join(out, 'targets', name, f)), `${name}/${f}`).toBe(true);
    }
    expect(existsSync(join(out, 'targets', 'down'))).toBe(false);

    // convert and diff read one target's report: the merged one is named as such.
    for (const argv of [
      ['convert', join(out, 'qrtz-audit.json'), '--format', 'table'],
      ['diff', join(out, 'qrtz-audit.json'), join(out, 'targets', 'pg', 'qrtz-audit.json')],
    ]) {
      const r = await runCli(argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/a merged fleet report; give one target's own report/);
    }
    expect(
      (await runCli(['convert', join(out, 'targets', 'pg', 'qrtz-audit.json'), '--format', 'markdown'])).code,
    ).toBe(0);

    const sarif = JSON.parse(readFileSync(join(out, 'qrtz-audit.sarif'), 'utf8'));
    expect(sarif.runs.map((r: { automationDetails: { id: string } }) => r.automationDetails.id)).toEqual([
      'qrtz-audit/pg/',
      'qrtz-audit/maria/',
      'qrtz-audit/sqlite/',
      'qrtz-audit/down/',
    ]);
    expect(sarif.runs[3].invocations[0].executionSuccessful).toBe(false);
    expect(sarif.runs[3].invocations[0].toolExecutionNotifications[0].message.text).toMatch(/refused/);
    const sqliteRun = sarif.runs[2];
    expect(sqliteRun.results.length).toBeGreaterThan(0);
    expect(JSON.stringify(sqliteRun)).toContain('targets/sqlite/qrtz-audit-target.json');
    expect(JSON.stringify(sqliteRun)).not.toMatch(/"uri": "qrtz-audit-target\.json"/);

    const junit = new XMLParser({ ignoreAttributes: false }).parse(
      readFileSync(join(out, 'qrtz-audit.junit.xml'), 'utf8'),
    );
    const suites = [junit.testsuites.testsuite].flat();
    expect(
      suites.map((x: Record<string, string>) =>
        String(x['@_name'])
          .replace(/:.*$/s, '')
          .replace(/^qrtz-audit target /, ''),
      ),
    ).toEqual(['pg', 'maria', 'sqlite', 'down']);
    expect(suites[3].testcase.error['@_message']).toMatch(/refused/);
    expect(Number(junit.testsuites['@_errors'])).toBeGreaterThanOrEqual(1);

    const prom = readFileSync(join(out, 'qrtz-audit.prom'), 'utf8');
    expect(prom).toMatch(/^qrtz_audit_targets_audited 3$/m);
    expect(prom).toMatch(/^qrtz_audit_targets_failed 1$/m);
    expect(prom).toMatch(/^qrtz_audit_target_up\{target="down"\} 0$/m);
    expect(prom).toMatch(/^qrtz_audit_findings\{target="maria",dialect="mariadb",/m);
    for (const m of prom.matchAll(/^# HELP (\S+)/gm))
      expect(prom.split('\n').filter((l) => l.startsWith(`# HELP ${m[1]} `))).toHaveLength(1);

    const md = readFileSync(join(out, 'qrtz-audit.md'), 'utf8');
    expect(md).toMatch(/^\| down \| failed \| 2 \| — \| .*refused/m);
    expect(md).toContain('## Target sqlite');

    // The password is nowhere: not in any file written, not on stdout or stderr.
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d)) {
        const p = join(d, e);
        if (statSync(p).isDirectory()) walk(p);
        else files.push(p);
      }
    };
    walk(out);
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) expect(readFileSync(f, 'utf8'), f).not.toContain(PASSWORD);
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);

    if (existsSync(MULTITOOL)) {
      const log = join(dir, 'validation.sarif');
      execFileSync(MULTITOOL, ['validate', join(out, 'qrtz-audit.sarif'), '-o', log], { stdio: 'pipe' });
      const problems = JSON.parse(readFileSync(log, 'utf8')).runs[0].results.filter(
        (r: { level?: string }) => r.level === 'error',
      );
      expect(problems).toEqual([]);
    } else console.warn('SKIPPED (fleet SARIF validation): no Sarif.Multitool binary');
  });

  it('with no target failing at fail-on, a failed target decides the exit code: 5 (over 4 and 0)', async () => {
    const run = await runCli([
      'scan',
      '--config',
      config,
      '--target',
      'pg',
      '--target',
      'down',
      '--only',
      'grants',
      '--fail-on',
      'critical',
      '--format',
      'json',
    ]);
    const r = JSON.parse(run.stdout) as FleetReport;
    expect(r.targets.map((t) => [t.name, t.status === 'failed'])).toEqual([
      ['pg', false],
      ['down', true],
    ]);
    expect([0, 4]).toContain(r.targets[0]?.exitCode);
    expect(run.code, run.stderr).toBe(5);
    expect(r.summary.exitCode).toBe(5);
  });

  it('no more than --concurrency targets run at once (and with 2, two do)', async () => {
    // 2 first: the first run also pays the cold start (module loading); its time is not the comparison.
    for (const n of [2, 1, 2]) {
      let running = 0;
      let peak = 0;
      const counted: typeof scanReport = async (url, o, io) => {
        running++;
        peak = Math.max(peak, running);
        try {
          return await scanReport(url, o, io);
        } finally {
          running--;
        }
      };
      const cmd = addScanOptions(new Command()).exitOverride();
      cmd.parse(['--format', 'json'], { from: 'user' });
      const opts = {
        ...(cmd.opts() as ScanCliOptions),
        config,
        concurrency: n,
        explicitOptions: ['format', 'concurrency'],
      };
      let stdout = '';
      const io: Io = {
        stdout: (t) => {
          stdout += t;
        },
        stderr: () => {},
        stdin: Readable.from([]),
        stdoutIsTTY: false,
        colorAllowed: false,
        stderrColor: false,
      };
      const code = await runConfiguredScan(undefined, opts, io, counted);
      expect(code).toBe(1);
      const r = JSON.parse(stdout) as FleetReport;
      expect(r.summary).toMatchObject({ targets: 4, audited: 3, failed: 1 });
      expect(r.concurrency).toBe(n);
      console.log(
        `fleet of 4 (PostgreSQL, MariaDB, SQLite, refused port) at --concurrency ${n}: ${r.durationMs} ms; ${r.targets.map((t) => `${t.name} ${t.durationMs} ms`).join(', ')}`,
      );
      expect(peak, `--concurrency ${n}`).toBe(n);
    }
  });

  it('--shard: the shards of the file partition its targets (union = all, disjoint)', async () => {
    const names: string[][] = [];
    for (let i = 0; i < 3; i++) {
      const run = await runCli([
        'scan',
        '--config',
        config,
        '--shard',
        `${i}/3`,
        '--only',
        'grants',
        '--format',
        'json',
      ]);
      expect([0, 1, 4, 5]).toContain(run.code);
      const r = JSON.parse(run.stdout) as FleetReport;
      expect(r.shard).toEqual({ index: i, count: 3 });
      names.push(r.targets.map((t) => t.name));
    }
    const all = names.flat();
    expect(all.sort()).toEqual(['down', 'maria', 'pg', 'sqlite']);
    expect(new Set(all).size).toBe(4);
  });

  it('a failure reason built from hostile text (ESC, BEL, bidi in a schema name) reaches no output raw', async () => {
    const hostile = join(dir, 'hostile.yml');
    writeFileSync(
      hostile,
      [
        'targets:',
        '  - name: evil',
        `    url: postgres://postgres@127.0.0.1:${s.port}/${PG_DB}?sslmode=disable`,
        '    schema: "q\\e]8;;http://x.example\\a\\e[2Jz\\u202Eq"',
        '  - name: sqlite',
        '    dialect: sqlite',
        '    path: demo.db',
      ].join('\n'),
    );
    const out = join(dir, 'hostile-out');
    const run = await runCli([
      'scan',
      '--config',
      hostile,
      '--format',
      'json,sarif,junit,prometheus,markdown,html,table',
      '--output-dir',
      out,
    ]);
    expect(run.stderr).toMatch(/\[evil\] target failed: .*\\x1b/);
    const texts = [
      run.stdout,
      run.stderr,
      ...readdirSync(out)
        .filter((f) => f.startsWith('qrtz-audit.'))
        .map((f) => readFileSync(join(out, f), 'utf8')),
    ];
    expect(texts.length).toBe(9);
    for (const text of texts) for (const ch of ['\u001b', '\u0007', '\u202e']) expect(text).not.toContain(ch);
    const fleet = JSON.parse(readFileSync(join(out, 'qrtz-audit.json'), 'utf8')) as FleetReport;
    expect(fleet.targets[0]).toMatchObject({ name: 'evil', status: 'failed' });
  });
});
