import { chmod, chown, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { j01 } from '../../src/checks/content/j01.js';
import { s01 } from '../../src/checks/content/s01.js';
import {
  CONFIG_CHECK_META,
  CONFIG_CHECKS,
  type ConfigFacts,
  type ConfigFindingDraft,
  evaluateConfig,
  jobDefinitionBlobs,
} from '../../src/config/index.js';
import { emptyFacts } from '../../src/facts.js';
import { checkOptions } from '../../src/model.js';
import { redact, redactDeep } from '../../src/secrets/redact.js';
import { FIXTURE_SECRETS, factsOf, stage, write } from './helpers.js';

const ASOF = new Date('2026-11-30T00:00:00Z');

function failing(drafts: ConfigFindingDraft[], id: string): ConfigFindingDraft[] {
  return drafts.filter((d) => d.check === id && d.status === 'fail');
}

describe('config check catalogue', () => {
  it('has one metadata record per id, QA-C01…QA-C12, each complete', () => {
    const ids = CONFIG_CHECKS.map((c) => c.meta.id);
    expect(ids).toEqual(Array.from({ length: 12 }, (_, i) => `QA-C${String(i + 1).padStart(2, '0')}`));
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of CONFIG_CHECKS) {
      expect(CONFIG_CHECK_META[c.meta.id]).toBe(c.meta);
      expect(c.meta.family).toBe('config');
      for (const k of ['title', 'mitigation', 'remediation'] as const) expect(c.meta[k].length).toBeGreaterThan(10);
    }
  });
});

describe('risky configurations: every check fires', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let drafts: ConfigFindingDraft[];
  let facts: ConfigFacts;
  beforeAll(async () => {
    ({ dir, cleanup } = await stage(['netfx-risky', 'aspnet-risky', 'java-risky'], 0o644));
    // the XML plugin's job file is writable by everyone; a Serilog log file readable by everyone
    await chmod(join(dir, 'netfx-risky', 'quartz_jobs.xml'), 0o666);
    await mkdir(join(dir, 'aspnet-risky', 'logs'));
    await write(join(dir, 'aspnet-risky', 'logs', 'web.log'), 'job fired\n', 0o644);
    await write(join(dir, 'aspnet-risky', 'logs', 'jobs.log'), 'job data\n', 0o604); // the NLog target (basedir/logs/jobs.log)
    await chmod(join(dir, 'java-risky', 'jobs.xml'), 0o602); // writable by others, not by the group
    await chown(join(dir, 'java-risky', 'quartz.properties'), 12345, 12345).catch(() => undefined);
    facts = await factsOf([dir]);
    drafts = evaluateConfig(facts, { asOf: ASOF, serviceUid: 4242 });
  });
  afterAll(() => cleanup());

  it('QA-C01 binary serializer (App.config <quartz> over quartz.config; appsettings Production overlay)', () => {
    const f = failing(drafts, 'QA-C01');
    expect(f).toHaveLength(1); // one merged Quartz.NET scheduler: the Production overlay's value wins last
    expect(f[0]?.severity).toBe('high');
    expect(f[0]?.message).toMatch(/appsettings\.Production\.json:4: quartz\.serializer\.type = binary/);
  });

  it('QA-C02 Java useProperties unset with JobStoreTX', () => {
    const [f] = failing(drafts, 'QA-C02');
    expect(f?.severity).toBe('medium');
    expect(f?.message).toMatch(/useProperties is not set \(default false\)/);
  });

  it('QA-C03 remoting exporter, RMI export and JMX, with ports', () => {
    const f = failing(drafts, 'QA-C03');
    expect(f.map((d) => [d.evidence?.kind, d.evidence?.port, d.severity])).toEqual([
      ['dotnet-remoting', '555', 'high'],
      ['java-rmi', '1099', 'high'],
      ['jmx', null, 'medium'],
    ]);
    expect(f[0]?.message).toMatch(/tcp channel, port 555, bound as "QuartzScheduler"/);
  });

  it('QA-C04 dashboard with authentication off and plain HTTP', () => {
    const [f] = failing(drafts, 'QA-C04');
    expect(f?.message).toMatch(
      /SilkierQuartz .* authentication is switched off.*plain HTTP \(http:\/\/0\.0\.0\.0:5000\)/,
    );
  });

  it('QA-C05 plaintext passwords (ADO.NET quoted, Npgsql, Java data source); references pass', () => {
    const f = failing(drafts, 'QA-C05');
    expect(f.map((d) => d.evidence?.connection).sort()).toEqual(['Quartz', 'QuartzDb', 'myDS']);
    expect(f.every((d) => d.severity === 'high')).toBe(true);
  });

  it('QA-C06 transport security off', () => {
    const f = failing(drafts, 'QA-C06');
    expect(f.map((d) => d.evidence?.settings).sort()).toEqual([
      'encrypt=False; trustservercertificate=True',
      'ssl mode=Disable',
      'sslmode=disable',
    ]);
  });

  it('QA-C07 files readable/writable by others, owner other than the service account', () => {
    const f = failing(drafts, 'QA-C07');
    const app = f.find((d) => String(d.evidence?.file).endsWith('App.config'));
    expect(app?.severity).toBe('high'); // world-readable and holds a plaintext password
    const jobs = f.find((d) => String(d.evidence?.file).endsWith('quartz_jobs.xml'));
    expect(jobs?.message).toMatch(/writable by every user/);
    expect(f.some((d) => String(d.evidence?.file).endsWith('web.log'))).toBe(true);
    const javaJobs = f.find((d) => String(d.evidence?.file).endsWith('jobs.xml') && d !== jobs);
    expect([javaJobs?.severity, javaJobs?.evidence?.mode]).toEqual(['high', '0602']);
    expect(javaJobs?.message).toMatch(/mode 0602\) is writable by every user$/);
    const props = f.find((d) => String(d.evidence?.file).endsWith('quartz.properties'));
    expect(props?.message).toMatch(/owned by uid \d+, not the service account \(uid 4242\)/);
  });

  it('QA-C08 job-data-map: NativeJob, command signals, traversal, secrets (S checks)', () => {
    const f = failing(drafts, 'QA-C08');
    const content = f.map(
      (d) => `${d.evidence?.contentCheck}:${String(d.evidence?.file).split('/').pop()}:${d.evidence?.line}`,
    );
    expect(content).toEqual(
      expect.arrayContaining([
        'QA-J01:quartz_jobs.xml:7',
        'QA-J02:quartz_jobs.xml:17',
        'QA-S01:quartz_jobs.xml:21',
        'QA-J03:quartz_jobs.xml:34',
        'QA-J01:jobs.xml:7',
        'QA-J02:jobs.xml:12',
        'QA-S02:jobs.xml:14',
      ]),
    );
  });

  it('QA-C09 XML plugin rescanning a job file others can write', () => {
    const [f] = failing(drafts, 'QA-C09');
    expect(f?.severity).toBe('high');
    expect(f?.message).toMatch(/rescans .*quartz_jobs\.xml every 10 s, and the file \(mode 0666\)/);
  });

  it('QA-C10 Quartz loggers at Debug/Trace and a world-readable log file', () => {
    const f = failing(drafts, 'QA-C10');
    expect(f.map((d) => d.evidence?.logger ?? d.evidence?.logFile)).toEqual(
      expect.arrayContaining([
        '(root)',
        'Quartz*',
        'Quartz',
        expect.stringMatching(/web\.log$/),
        expect.stringMatching(/jobs\.log$/),
      ]),
    );
  });

  it('QA-C11 advisories and end of support from the dated tables', () => {
    const f = failing(drafts, 'QA-C11');
    expect(f.map((d) => d.evidence?.advisory ?? `eol:${d.evidence?.package}`).sort()).toEqual([
      'CVE-2019-13990',
      'CVE-2024-21907',
      'CVE-2024-30105',
      'CVE-2024-43485',
      'eol:Microsoft.AspNetCore.App',
      'eol:Microsoft.NETCore.App',
    ]);
  });

  it('QA-C12 job store inventory (info, never fails)', () => {
    const info = drafts.filter((d) => d.check === 'QA-C12');
    expect(info.map((d) => [d.status, d.evidence?.platform, d.evidence?.tablePrefix])).toEqual([
      ['info', 'dotnet', 'app_qrtz_'],
      ['info', 'java', 'QRTZ_'],
    ]);
  });

  it('no secret from a configuration file appears in any finding', () => {
    const text = JSON.stringify(drafts);
    for (const s of FIXTURE_SECRETS) expect(text).not.toContain(s);
    // and the redaction path knows all of them (facts, logs, errors printed later are masked)
    for (const s of FIXTURE_SECRETS) expect(redact(`x ${s} y`)).toBe('x [REDACTED] y');
    const factsText = JSON.stringify(redactDeep(facts));
    for (const s of FIXTURE_SECRETS) expect(factsText).not.toContain(s);
  });
});

describe('hardened configurations: quiet', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await stage(['aspnet-hardened', 'java-hardened', 'webconfig-encrypted'], 0o600));
  });
  afterAll(() => cleanup());

  it('no check fails; the ones with inputs pass', async () => {
    const facts = await factsOf([dir]);
    const drafts = evaluateConfig(facts, { asOf: ASOF, serviceUid: process.getuid?.() ?? 0 });
    expect(drafts.filter((d) => d.status === 'fail')).toEqual([]);
    const passed = new Set(drafts.filter((d) => d.status === 'pass').map((d) => d.check));
    for (const id of ['QA-C01', 'QA-C02', 'QA-C03', 'QA-C05', 'QA-C06', 'QA-C07', 'QA-C08', 'QA-C10', 'QA-C11'])
      expect(passed, id).toContain(id);
  });

  it('the hardened Java plugin reading a 0644 job file once at start passes; 0666 with scanInterval 0 is medium', async () => {
    const jobs = join(dir, 'java-hardened', 'jobs.xml');
    await chmod(jobs, 0o644);
    expect(failing(evaluateConfig(await factsOf([join(dir, 'java-hardened')]), { asOf: ASOF }), 'QA-C09')).toEqual([]);
    await chmod(jobs, 0o666);
    const [f] = failing(evaluateConfig(await factsOf([join(dir, 'java-hardened')]), { asOf: ASOF }), 'QA-C09');
    expect(f?.severity).toBe('medium');
    expect(f?.message).toMatch(/reads .*jobs\.xml at start/);
    await chmod(jobs, 0o600);
  });
});

describe('serializer unset with a persistent store', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await stage([]));
  });
  afterAll(() => cleanup());

  const deps = (v: string) =>
    JSON.stringify({
      runtimeTarget: { name: '.NETCoreApp,Version=v8.0' },
      libraries: { [`Quartz/${v}`]: { type: 'package' } },
    });

  it('Quartz.NET 2.x: binary is the only serializer (fail); 3.x: set in code (manual); RAM store: nothing', async () => {
    await write(
      join(dir, 'quartz.config'),
      'quartz.jobStore.type = Quartz.Impl.AdoJobStore.JobStoreTX, Quartz\nquartz.jobStore.dataSource = default\n',
    );
    await writeFile(join(dir, 'App.deps.json'), deps('2.6.2'));
    let d = evaluateConfig(await factsOf([dir]), { only: ['QA-C01'] });
    expect(d.map((x) => [x.status, x.severity])).toEqual([['fail', 'high']]);
    expect(d[0]?.message).toMatch(/Quartz\.NET 2\.6\.2, where BinaryFormatter is the only serializer/);
    await writeFile(join(dir, 'App.deps.json'), deps('3.13.0'));
    d = evaluateConfig(await factsOf([dir]), { only: ['QA-C01'] });
    expect(d.map((x) => x.status)).toEqual(['manual']);
    await write(join(dir, 'quartz.config'), 'quartz.jobStore.type = Quartz.Simpl.RAMJobStore, Quartz\n');
    const facts = await factsOf([dir]);
    expect(evaluateConfig(facts, { only: ['QA-C01'] })).toEqual([]);
    expect(evaluateConfig(facts, { only: ['QA-C12'] })[0]?.message).toMatch(/RAMJobStore: nothing is persisted/);
  });
});

describe('job definitions as blobs for the content checks', () => {
  it('the database content checks (QA-J01, QA-S01) judge job-data-map entries from files', async () => {
    const { dir, cleanup } = await stage(['netfx-risky']);
    try {
      const blobs = jobDefinitionBlobs(await factsOf([dir]));
      expect(blobs).toHaveLength(1);
      const blob = blobs[0] as (typeof blobs)[number];
      const opts = checkOptions({ maxBlobSize: 1 << 20 });
      const _facts = emptyFacts('sqlite');
      const j = j01.inspectBlob?.(blob, opts) ?? [];
      expect(j[0]?.message).toMatch(/Quartz\.Job\.NativeJob runs an OS command/);
      expect(j[0]?.object.name).toMatch(/quartz_jobs\.xml:7 \(job file\)\/billing\.nightlyExport/);
      const s = s01.inspectBlob?.(blob, opts) ?? [];
      expect(s.map((x) => x.status)).toEqual(['fail']);
      expect(JSON.stringify(s)).not.toContain('Mailer-Pa55word-2026');
    } finally {
      await cleanup();
    }
  });
});

describe('endpoints from configuration alone, plugin files outside the walked folder, owners by name', () => {
  it('a dashboard section without a package is still an endpoint; authentication on + HTTPS only is manual, not a failure', async () => {
    const { dir, cleanup } = await stage([]);
    try {
      await write(
        join(dir, 'appsettings.json'),
        JSON.stringify({
          CrystalQuartz: { RequireAuthentication: true },
          Kestrel: { Endpoints: { H: { Url: 'https://*:443' } } },
        }),
      );
      const d = evaluateConfig(await factsOf([dir]), { only: ['QA-C04'] });
      expect(d.map((x) => [x.status, x.evidence?.authentication])).toEqual([['manual', 'enabled']]);
      await write(
        join(dir, 'appsettings.json'),
        JSON.stringify({ CrystalQuartz: { RequireAuthentication: false }, Urls: 'http://*:80;https://*:443' }),
      );
      const f = evaluateConfig(await factsOf([dir]), { only: ['QA-C04'] });
      expect(f.map((x) => [x.status, x.evidence?.httpUrls])).toEqual([['fail', 'http://*:80']]);
    } finally {
      await cleanup();
    }
  });

  it('QA-C07 judges the job file a plugin names even when it lives elsewhere; uidOfUser reads /etc/passwd', async () => {
    const { dir, cleanup } = await stage([]);
    try {
      await mkdir(join(dir, 'app'));
      await mkdir(join(dir, 'shared'));
      await write(join(dir, 'shared', 'nightly.xml'), '<job-scheduling-data><schedule/></job-scheduling-data>', 0o646);
      await write(
        join(dir, 'app', 'quartz.config'),
        'quartz.plugin.x.type = Quartz.Plugin.Xml.XMLSchedulingDataProcessorPlugin, Quartz.Plugins\nquartz.plugin.x.fileNames = ../shared/nightly.xml\n',
      );
      const d = evaluateConfig(await factsOf([join(dir, 'app')]), { only: ['QA-C07'] });
      expect(
        d.map((x) => [x.status, String(x.evidence?.file).endsWith('nightly.xml'), x.evidence?.mode]),
      ).toContainEqual(['fail', true, '0646']);
      const { uidOfUser } = await import('../../src/config/index.js');
      await write(join(dir, 'passwd'), 'root:x:0:0::/root:/bin/sh\nquartz:x:1234:1234::/srv:/usr/sbin/nologin\n');
      expect(await uidOfUser('quartz', join(dir, 'passwd'))).toBe(1234);
      expect(await uidOfUser('nobody-here', join(dir, 'passwd'))).toBeUndefined();
    } finally {
      await cleanup();
    }
  });
});
