/**
 * `qrtz-audit config <file|dir…>` through the CLI: every file kind issue #15 lists is read; every config
 * check fails on the risky fixtures and none on the hardened ones; the report — in every format, with a
 * 'files' target, not a database — carries no planted secret; exit codes are the scan's; broken input is one
 * line naming the file and line (exit 2); a saved JSON report converts like a scan's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report.js';
import { githubSarifProblems, sarifSchemaProblems } from '../report/sarif-github.js';
import { parseReport, runCli } from '../support/cli.js';
import { FIXTURE_SECRETS, FIXTURES, stage, write } from './helpers.js';

const RISKY = [
  'netfx-risky',
  'aspnet-risky',
  'java-risky',
  'java-logging-risky',
  'java-build-risky',
  'netfx-log4net',
  'webconfig-encrypted',
];
const HARDENED = [
  'aspnet-hardened',
  'java-hardened',
  'java-logging-hardened',
  'java-build-hardened',
  'webconfig-encrypted',
];
const FORMATS = 'table,json,sarif,junit,html,markdown';

function allText(dir: string): string {
  return readdirSync(dir)
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
}

describe('qrtz-audit config: risky application folders', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let out: string;
  let run: Awaited<ReturnType<typeof runCli>>;
  let report: Report;
  beforeAll(async () => {
    ({ dir, cleanup } = await stage(RISKY, 0o644));
    await chmod(join(dir, 'netfx-risky', 'quartz_jobs.xml'), 0o666); // QA-C09: the XML plugin rescans it
    out = join(dir, 'reports');
    run = await runCli([
      'config',
      ...RISKY.map((n) => join(dir, n)),
      '--format',
      FORMATS,
      '--output-dir',
      out,
      '--verbose',
    ]);
    report = JSON.parse(readFileSync(join(out, 'qrtz-audit.json'), 'utf8')) as Report;
  });
  afterAll(() => cleanup());

  it('exits 1 and writes every format, the summary line on stderr', () => {
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/failed .* exit 1 \(fail-on high\) — reports written to .*qrtz-audit\.json/);
    expect(readdirSync(out).sort()).toEqual([
      'qrtz-audit-target.json',
      'qrtz-audit.html',
      'qrtz-audit.json',
      'qrtz-audit.junit.xml',
      'qrtz-audit.md',
      'qrtz-audit.sarif',
      'qrtz-audit.txt',
    ]);
  });

  it('reads every file kind the issue lists, and the Java logging and build files', () => {
    const kinds = new Set(report.inventory.files?.map((f) => f.kind));
    for (const k of [
      'quartz-config',
      'app-config',
      'appsettings',
      'deps-json',
      'runtimeconfig',
      'job-xml',
      'nlog',
      'log4net',
      'quartz-properties',
      'jar',
      'log4j2',
      'log4j-properties',
      'logback',
      'maven',
      'gradle',
      'gradle-lock',
    ])
      expect(kinds, k).toContain(k);
    const names = report.inventory.files?.map((f) => f.path.split('/').pop()) ?? [];
    for (const n of ['App.config', 'Web.config', 'appsettings.Production.json', 'quartz_jobs.xml', 'jobs.xml'])
      expect(names).toContain(n);
    // Serilog sections of appsettings, log4net.config and the App.config <log4net> section are judged
    const c10 = report.findings
      .filter((f) => f.check === 'QA-C10' && f.status === 'fail')
      .map((f) => f.evidence?.framework);
    for (const fw of ['serilog', 'nlog', 'log4net', 'log4j2', 'log4j', 'logback']) expect(c10, fw).toContain(fw);
  });

  it("the target is the files, not a database; config findings are objects of kind 'file'", () => {
    expect(report.target).toMatchObject({
      kind: 'files',
      dialect: 'files',
      server: 'configuration files',
      database: '',
      tablePrefix: '',
      configFiles: { count: report.inventory.files?.length, environment: 'Production' },
    });
    const fails = report.findings.filter((f) => f.status === 'fail');
    expect(fails.every((f) => f.family === 'config' && f.object.kind === 'file')).toBe(true);
    expect(report.inventory.tables).toEqual({ present: [], missing: [] });
  });

  it('every config check but the inventory (QA-C12) fails', () => {
    const failed = new Set(report.findings.filter((f) => f.status === 'fail').map((f) => f.check));
    for (let i = 1; i <= 11; i++) expect(failed).toContain(`QA-C${String(i).padStart(2, '0')}`);
    expect(report.findings.filter((f) => f.check === 'QA-C12').every((f) => f.status === 'info')).toBe(true);
  });

  it('no secret from a configuration file in stdout, stderr or any output file', () => {
    const text = run.stdout + run.stderr + allText(out);
    for (const s of FIXTURE_SECRETS) expect(text).not.toContain(s);
  });

  it('each format names the files: table header, JUnit suite, Markdown heading, HTML title, SARIF valid', () => {
    expect(readFileSync(join(out, 'qrtz-audit.txt'), 'utf8')).toMatch(
      /^qrtz-audit \S+ — configuration files .*\(\d+ read, environment Production\) read as /,
    );
    expect(readFileSync(join(out, 'qrtz-audit.junit.xml'), 'utf8')).toMatch(/<testsuite name="qrtz-audit config /);
    expect(readFileSync(join(out, 'qrtz-audit.md'), 'utf8')).toMatch(/^## qrtz-audit: FAIL: configuration files /);
    expect(readFileSync(join(out, 'qrtz-audit.html'), 'utf8')).toMatch(
      /<title>qrtz-audit report: configuration files<\/title>/,
    );
    const sarif = JSON.parse(readFileSync(join(out, 'qrtz-audit.sarif'), 'utf8'));
    expect(githubSarifProblems(sarif)).toEqual([]);
    expect(sarifSchemaProblems(sarif)).toEqual([]);
    expect(JSON.parse(readFileSync(join(out, 'qrtz-audit-target.json'), 'utf8')).target.kind).toBe('files');
  });

  it('a saved report converts to exactly the bytes the command wrote', async () => {
    const saved = join(out, 'qrtz-audit.json');
    for (const [format, ext] of [
      ['sarif', 'sarif'],
      ['junit', 'junit.xml'],
      ['markdown', 'md'],
      ['html', 'html'],
    ] as const) {
      const r = await runCli(['convert', saved, '--format', format]);
      expect([r.code, r.stdout]).toEqual([0, readFileSync(join(out, `qrtz-audit.${ext}`), 'utf8')]);
    }
  });
});

describe('qrtz-audit config: hardened application folders', () => {
  it('exits 0, no failing finding; the checks with inputs pass', async () => {
    const { dir, cleanup } = await stage(HARDENED, 0o600);
    try {
      const run = await runCli([
        'config',
        ...HARDENED.map((n) => join(dir, n)),
        '--format',
        'json',
        '--service-user',
        String(process.getuid?.() ?? 0),
      ]);
      const report = parseReport(run);
      expect(report.findings.filter((f) => f.status === 'fail')).toEqual([]);
      expect(run.code).toBe(0);
      const passed = new Set(report.findings.filter((f) => f.status === 'pass').map((f) => f.check));
      for (const id of ['QA-C01', 'QA-C02', 'QA-C03', 'QA-C05', 'QA-C06', 'QA-C07', 'QA-C08', 'QA-C10', 'QA-C11'])
        expect(passed, id).toContain(id);
    } finally {
      await cleanup();
    }
  });
});

describe('qrtz-audit config: input errors and options', () => {
  it('a broken file is one line naming the file and line, exit 2, no report', async () => {
    const p = join(FIXTURES, 'broken', 'appsettings.json');
    const r = await runCli(['config', p, '--format', 'json']);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(`qrtz-audit: ${p}:4: malformed JSON: CommaExpected\n`);
  });

  it('a missing path, an unknown service user, a folder without configuration: exit 2, one line', async () => {
    const { dir, cleanup } = await stage([]);
    try {
      const missing = await runCli(['config', join(dir, 'nope')]);
      expect([missing.code, missing.stderr]).toEqual([
        2,
        `qrtz-audit: ${join(dir, 'nope')}: no such file or directory\n`,
      ]);
      await write(join(dir, 'README.md'), 'not configuration');
      const empty = await runCli(['config', dir]);
      expect([empty.code, empty.stderr.trim().split('\n').length]).toEqual([2, 1]);
      expect(empty.stderr).toMatch(/no Quartz, \.NET, Java or logging configuration files found in /);
      const who = await runCli(['config', join(FIXTURES, 'java-hardened'), '--service-user', 'no-such-account-here']);
      expect([who.code, who.stderr]).toEqual([
        2,
        'qrtz-audit: --service-user: no local account "no-such-account-here" (give a name from /etc/passwd or a uid)\n',
      ]);
      const several = await runCli(['config', join(FIXTURES, 'java-hardened'), '--format', 'json,sarif']);
      expect(several.code).toBe(2);
    } finally {
      await cleanup();
    }
  });

  it('a plugin job file that is not there: QA-C09 not evaluated (high) makes the audit incomplete, exit 4; --allow-incomplete 0', async () => {
    const { dir, cleanup } = await stage([]);
    try {
      await write(
        join(dir, 'quartz.config'),
        [
          '# Quartz.NET quartz.config',
          'quartz.jobStore.type = Quartz.Simpl.RAMJobStore, Quartz',
          'quartz.plugin.xml.type = Quartz.Plugin.Xml.XMLSchedulingDataProcessorPlugin, Quartz.Plugins',
          'quartz.plugin.xml.fileNames = ~/jobs/quartz_jobs.xml',
          '',
        ].join('\n'),
      );
      const r = await runCli(['config', dir, '--format', 'json']);
      const report = parseReport(r);
      expect([r.code, report.summary.incomplete, report.summary.incompleteChecks]).toEqual([4, true, ['QA-C09']]);
      expect((await runCli(['config', dir, '--format', 'json', '--allow-incomplete'])).code).toBe(0);
    } finally {
      await cleanup();
    }
  });

  it('a file too large to read is listed in the report as not read, never silently dropped', async () => {
    const { dir, cleanup } = await stage(['java-hardened'], 0o600);
    try {
      await write(join(dir, 'appsettings.json'), `{ "Padding": "${'x'.repeat(6 * 1024 * 1024)}" }`);
      const r = parseReport(await runCli(['config', dir, '--format', 'json']));
      expect(r.unreadable).toEqual([
        {
          what: `config file ${join(dir, 'appsettings.json')}`,
          reason: 'not read: larger than 5242880 bytes',
          cause: 'other',
        },
      ]);
      expect(r.inventory.files?.some((f) => f.path.endsWith('appsettings.json'))).toBe(false);
    } finally {
      await cleanup();
    }
  });

  it('SARIF points a config result at its own file and line when the file is under the working directory', async () => {
    // the repository's own fixtures are under the working directory of the test run
    const r = await runCli(['config', join(FIXTURES, 'java-risky'), '--format', 'sarif']);
    const sarif = JSON.parse(r.stdout);
    expect(githubSarifProblems(sarif)).toEqual([]);
    const locs = sarif.runs[0].results.map(
      (x: {
        ruleId: string;
        locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
      }) =>
        `${x.ruleId} ${x.locations[0]?.physicalLocation.artifactLocation.uri}:${x.locations[0]?.physicalLocation.region.startLine}`,
    );
    const props = relative(process.cwd(), join(FIXTURES, 'java-risky', 'quartz.properties'));
    expect(locs).toContain(`QA-C03 ${props}:6`);
    expect(locs).toContain(`QA-C05 ${props}:28`);
    // a relative path given on the command line gives the same location
    const rel = await runCli(['config', relative(process.cwd(), join(FIXTURES, 'java-risky')), '--format', 'sarif']);
    expect(rel.stdout).toContain(`"uri": "${props}"`);
  });

  it('--fail-on medium counts medium findings; --config-environment picks the overlay', async () => {
    const { dir, cleanup } = await stage(['aspnet-risky'], 0o600);
    try {
      const prod = parseReport(await runCli(['config', dir, '--format', 'json']));
      const dev = parseReport(await runCli(['config', dir, '--format', 'json', '--config-environment', 'Development']));
      const c01 = (r: Report) => r.findings.filter((f) => f.check === 'QA-C01').map((f) => f.status);
      expect([c01(prod), c01(dev)]).toEqual([['fail'], ['pass']]);
      expect(dev.target.configFiles?.environment).toBe('Development');
      const medium = await runCli(['config', join(dir, 'aspnet-risky', 'NLog.config'), '--format', 'json']);
      expect(medium.code).toBe(0); // QA-C10 is medium: below the default fail-on
      expect(
        (await runCli(['config', join(dir, 'aspnet-risky', 'NLog.config'), '--format', 'json', '--fail-on', 'medium']))
          .code,
      ).toBe(1);
    } finally {
      await cleanup();
    }
  });
});
