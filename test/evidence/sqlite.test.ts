/**
 * Issue #13 part 6 on a real SQLite JobStore: `scan --evidence` then `evaluate` reproduces the online JSON
 * report exactly — here with 2,100 rows holding the same planted password, so row findings spill past the
 * in-memory bound and their order must survive the round trip — suppressions and a baseline apply offline,
 * and a wrong, corrupt or newer evidence file is one line and exit 2.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPILL_AFTER } from '../../src/spill.js';
import { makeStore } from '../integration/sqlite/helpers.js';
import { runCli } from '../support/cli.js';
import { makeSameSecretStore, PLANTED_PASSWORD } from '../support/same-secret.js';
import { complianceOffline, type RoundTrip, roundTrip } from './round-trip.js';

const ROWS = 2100;
let dir: string;
let db: string;
let rt: RoundTrip;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qrtz-evidence-sqlite-'));
  db = join(dir, 'store.db');
  makeSameSecretStore(db, ROWS);
  rt = await roundTrip(dir, [db], [PLANTED_PASSWORD]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite: evidence and offline evaluation', () => {
  it('evaluate reproduces the online report exactly, past the in-memory bound', () => {
    const s01 = rt.online.findings.filter((f) => f.check === 'QA-S01' && f.status === 'fail');
    expect(s01).toHaveLength(ROWS);
    expect(ROWS).toBeGreaterThan(SPILL_AFTER);
    expect(rt.offline.findings.map((f) => f.fingerprint)).toEqual(rt.online.findings.map((f) => f.fingerprint));
    const ev = JSON.parse(rt.evidenceText) as { spilledFindings: unknown[]; contentFindings: unknown[] };
    expect(ev.spilledFindings.length).toBeGreaterThan(0);
  });

  it("the other formats of evaluate match the scan's (SARIF results)", async () => {
    const online = await runCli(['convert', join(dir, 'online.json'), '--format', 'sarif']);
    const offline = await runCli(['evaluate', rt.evidencePath, '--format', 'sarif']);
    const results = (t: string) => JSON.parse(t).runs[0].results;
    expect(results(offline.stdout)).toEqual(results(online.stdout));
  });

  it('suppressions and a baseline apply offline', async () => {
    await complianceOffline(dir, rt);
  });

  it('current options apply offline: an attestation given to evaluate changes fact-level findings, not row findings', async () => {
    const run = await runCli([
      'evaluate',
      rt.evidencePath,
      '--attest',
      'at-rest=LUKS on the data volume, SEC-12',
      '--format',
      'json',
    ]);
    const r = JSON.parse(run.stdout) as typeof rt.online;
    const e01 = r.findings.filter((f) => f.check === 'QA-E01');
    const before = rt.online.findings.filter((f) => f.check === 'QA-E01');
    expect(before.some((f) => f.status !== 'pass')).toBe(true);
    expect(e01.map((f) => f.status)).toContain('pass');
    expect(JSON.stringify(e01)).toContain('SEC-12');
    // Row findings are the recorded ones, untouched.
    const rows = (x: typeof r) => x.findings.filter((f) => f.object.kind === 'row');
    expect(rows(r)).toEqual(rows(rt.online));
  });

  it('a wrong, corrupt, invalid or newer evidence file: one line, exit 2', async () => {
    const cases: [string, string, RegExp][] = [
      ['report.json', readFileSync(join(dir, 'online.json'), 'utf8'), /not a qrtz-audit evidence file/],
      ['truncated.json', rt.evidenceText.slice(0, 5000), /not JSON/],
      [
        'newer.json',
        rt.evidenceText.replace('"version":1,', '"version":2,'),
        /evidence version 2; this qrtz-audit .* reads version 1 \(the file is from a newer qrtz-audit/,
      ],
      [
        'invalid.json',
        rt.evidenceText.replace('"grants":[', '"grants":{"x":[').replace('"effective":', '"x":1},"effective":'),
        /not a valid qrtz-audit evidence file: facts\.grants: /,
      ],
    ];
    for (const [name, text, expected] of cases) {
      const path = join(dir, name);
      writeFileSync(path, text);
      const run = await runCli(['evaluate', path]);
      expect(run.code, name).toBe(2);
      expect(run.stderr, name).toMatch(expected);
      expect(run.stderr.trim().split('\n'), name).toHaveLength(1);
      expect(run.stdout, name).toBe('');
    }
    const missing = await runCli(['evaluate', join(dir, 'absent.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read the evidence file/);
  });

  it("scan --from-config: the configuration files' findings travel in the evidence too", async () => {
    const app = join(dir, 'app');
    mkdirSync(join(app, 'App_Data'), { recursive: true });
    makeStore(join(app, 'App_Data', 'quartz.db'));
    const jobSecret = 'Cfg-Job-Secret-9f8e7d6c';
    writeFileSync(
      join(app, 'appsettings.json'),
      JSON.stringify({
        ConnectionStrings: { Quartz: 'Data Source=App_Data/quartz.db' },
        Quartz: {
          'quartz.jobStore.type': 'Quartz.Impl.AdoJobStore.JobStoreTX, Quartz',
          'quartz.jobStore.driverDelegateType': 'Quartz.Impl.AdoJobStore.SQLiteDelegate, Quartz',
          'quartz.jobStore.dataSource': 'default',
          'quartz.dataSource.default.provider': 'SQLite-Microsoft',
          'quartz.dataSource.default.connectionStringName': 'Quartz',
          'quartz.plugin.xml.type': 'Quartz.Plugin.Xml.XMLSchedulingDataProcessorPlugin, Quartz.Plugins',
          'quartz.plugin.xml.fileNames': 'quartz_jobs.xml',
        },
      }),
    );
    writeFileSync(
      join(app, 'quartz_jobs.xml'),
      `<?xml version="1.0" encoding="UTF-8"?>
<job-scheduling-data xmlns="http://quartznet.sourceforge.net/JobSchedulingData" version="2.0"><schedule><job>
<name>mailer</name><group>ops</group><job-type>Contoso.Jobs.Mailer, Contoso</job-type>
<job-data-map><entry><key>smtpPassword</key><value>${jobSecret}</value></entry></job-data-map>
</job></schedule></job-scheduling-data>
`,
    );
    const sub = join(dir, 'from-config');
    mkdirSync(sub);
    const cfg = await roundTrip(sub, ['--from-config', app], [jobSecret]);
    expect(cfg.online.target.configFiles?.count).toBeGreaterThanOrEqual(2);
    expect(cfg.offline.findings.some((f) => f.family === 'config' && f.status === 'fail')).toBe(true);
    expect(cfg.offline.inventory.files).toEqual(cfg.online.inventory.files);
  });

  it('--evidence into a directory that does not exist is a usage error before anything is read', async () => {
    const run = await runCli(['scan', db, '--evidence', join(dir, 'nope', 'ev.json'), '--format', 'json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--evidence .*does not exist/);
    expect(run.stdout).toBe('');
  });
});
