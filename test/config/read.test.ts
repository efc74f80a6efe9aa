import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConnection } from '../../src/config/connection.js';
import { ConfigParseError, discoverConfigFiles, readConfig } from '../../src/config/index.js';
import { parseProperties } from '../../src/config/syntax.js';
import { UserError } from '../../src/errors.js';
import { redact } from '../../src/secrets/redact.js';
import { FIXTURE_SECRETS, FIXTURES, factsOf, stage, write } from './helpers.js';

describe('discoverConfigFiles', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await stage(['aspnet-risky', 'java-risky']));
    // build output and dependencies are skipped; a symlink loop ends
    for (const skip of ['node_modules', 'bin', 'obj']) {
      await mkdir(join(dir, skip, 'x'), { recursive: true });
      await writeFile(join(dir, skip, 'x', 'appsettings.json'), '{}');
    }
    await symlink(dir, join(dir, 'aspnet-risky', 'loop'));
    await writeFile(join(dir, 'README.md'), 'not config');
  });
  afterAll(() => cleanup());

  it('finds each kind by name, skips node_modules/bin/obj, survives a symlink loop', async () => {
    const files = await discoverConfigFiles([dir]);
    const rel = files.map((f) => `${f.kind}:${f.path.slice(dir.length + 1)}`).sort();
    expect(rel).toEqual([
      'appsettings:aspnet-risky/appsettings.Development.json',
      'appsettings:aspnet-risky/appsettings.Production.json',
      'appsettings:aspnet-risky/appsettings.json',
      'deps-json:aspnet-risky/Billing.Web.deps.json',
      'jar:java-risky/quartz-2.3.0.jar',
      'job-xml:java-risky/jobs.xml',
      'nlog:aspnet-risky/NLog.config',
      'quartz-properties:java-risky/quartz.properties',
      'runtimeconfig:aspnet-risky/Billing.Web.runtimeconfig.json',
    ]);
    expect(files.find((f) => f.path.endsWith('appsettings.Production.json'))?.environment).toBe('Production');
    expect(files[0]?.mode).toBe(0o600);
  });

  it('caps file count and size, and says so', async () => {
    const notes = { skipped: [] as { path: string; reason: string }[], limited: undefined as string | undefined };
    const files = await discoverConfigFiles([dir], { maxFiles: 2, maxFileSize: 300 }, notes);
    expect(files.length).toBeLessThanOrEqual(2);
    expect(notes.skipped.some((s) => s.path.endsWith('quartz.properties'))).toBe(true);
    expect(notes.limited).toMatch(/more than 2 configuration files/);
  });

  it('missing paths and unknown explicit files are one-line usage errors (exit 2)', async () => {
    await expect(discoverConfigFiles([join(dir, 'nope')])).rejects.toThrow(/nope: no such file or directory/);
    const err = await discoverConfigFiles([join(dir, 'README.md')]).catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.exitCode).toBe(2);
  });

  it('classifies an oddly named explicit file by content', async () => {
    const p = join(dir, 'scheduler-settings.txt');
    await writeFile(p, '# Quartz.NET\nquartz.jobStore.type = Quartz.Simpl.RAMJobStore, Quartz\n');
    const [f] = await discoverConfigFiles([p]);
    expect(f?.kind).toBe('quartz-config');
  });
});

describe('readConfig: precedence, overlays, key conventions', () => {
  it('App.config <quartz> wins and quartz.config is ignored altogether (as Quartz.NET does)', async () => {
    const facts = await factsOf([join(FIXTURES, 'netfx-risky')]);
    const s = facts.dotnet;
    expect(s?.serializer?.value).toBe('binary');
    expect(s?.properties['quartz.scheduler.instancename']?.value).toBe('BillingScheduler');
    expect(s?.jobStore).toMatchObject({ kind: 'persistent', dataSource: 'default', tablePrefix: 'QRTZ_' });
    expect(s?.jobStore.delegate).toMatch(/SqlServerDelegate/);
    // quartz.config values are all shadowed, with their lines
    const shadowed = s?.shadowed.filter((v) => v.file.endsWith('quartz.config')).map((v) => `${v.key}@${v.line}`);
    expect(shadowed).toEqual(['quartz.scheduler.instanceName@2', 'quartz.serializer.type@3', 'quartz.jobStore.type@4']);
    const c = facts.connections.find((x) => x.name === 'QuartzDb');
    expect(c).toMatchObject({ user: 'quartz_svc', host: 'sql01.corp.example', port: 1433, database: 'Quartz' });
    expect(c).toMatchObject({
      line: 27,
      provider: 'System.Data.SqlClient',
      dialect: 'sqlserver',
      password: 'plaintext',
    });
    const plugin = s?.plugins[0];
    expect(plugin).toMatchObject({ xmlLoader: true, scanInterval: 10, fileNames: ['~/quartz_jobs.xml'] });
    expect(plugin?.resolvedFiles[0]).toBe(join(FIXTURES, 'netfx-risky', 'quartz_jobs.xml'));
  });

  it('appsettings: nested and flat Quartz keys, Production overlay by default, other overlays not applied', async () => {
    const prod = await factsOf([join(FIXTURES, 'aspnet-risky')]);
    expect(prod.environment).toBe('Production');
    expect(prod.dotnet?.jobStore.tablePrefix).toBe('app_qrtz_');
    // the nested Quartz:quartz:jobStore:tablePrefix value is shadowed by the overlay
    expect(prod.dotnet?.shadowed.map((v) => [v.key, v.value])).toContainEqual(['quartz.jobStore.tablePrefix', 'qrtz_']);
    expect(prod.dotnet?.serializer).toMatchObject({ value: 'binary', line: 4 });
    expect(prod.loggers.some((l) => l.framework === 'microsoft' && l.level === 'trace')).toBe(false);

    const dev = await factsOf([join(FIXTURES, 'aspnet-risky')], 'development');
    expect(dev.dotnet?.serializer?.value).toBe('json');
    expect(dev.dotnet?.jobStore.tablePrefix).toBe('qrtz_');
    expect(dev.loggers).toContainEqual(
      expect.objectContaining({ framework: 'microsoft', logger: 'Default', level: 'trace' }),
    );
  });

  it('appsettings: ConnectionStrings (with line), data source link, odd casing, references, packages, loggers', async () => {
    const facts = await factsOf([join(FIXTURES, 'aspnet-risky')]);
    const q = facts.connections.find((c) => c.name === 'Quartz');
    expect(q).toMatchObject({ line: 11, dialect: 'postgres', host: 'pg.internal', port: 5433, user: 'quartz_svc' });
    expect(q?.insecureTransport).toEqual(['ssl mode=Disable']);
    const rep = facts.connections.find((c) => c.name === 'Reporting');
    expect(rep).toMatchObject({ password: 'reference', passwordReference: '$' + '{REPORTING_DB_PASSWORD}' });
    expect(facts.packages.map((p) => `${p.name}@${p.version}`)).toEqual(
      expect.arrayContaining(['Quartz@3.8.1', 'Newtonsoft.Json@12.0.3', 'Microsoft.NETCore.App@6.0.0']),
    );
    expect(facts.packages.some((p) => p.name === 'Billing.Web')).toBe(false); // projects are not packages
    expect(facts.loggers).toContainEqual(
      expect.objectContaining({ framework: 'nlog', logger: 'Quartz*', level: 'trace', line: 7 }),
    );
    expect(facts.loggers).toContainEqual(
      expect.objectContaining({ framework: 'serilog', logger: 'Quartz', level: 'debug' }),
    );
    expect(facts.endpoints[0]).toMatchObject({ name: 'SilkierQuartz', authentication: 'disabled' });
    expect(facts.endpoints[0]?.httpUrls).toEqual(['http://0.0.0.0:5000']);

    const hard = await factsOf([join(FIXTURES, 'aspnet-hardened')]);
    expect(hard.dotnet?.jobStore.kind).toBe('persistent'); // "QUARTZ.JOBSTORE.TYPE"
    expect(hard.dotnet?.jobStore.useProperties).toBe(true);
  });

  it('encrypted sections are recognised; Java properties with continuation lines', async () => {
    const enc = await factsOf([join(FIXTURES, 'webconfig-encrypted')]);
    expect(enc.encryptedSections).toEqual([
      expect.objectContaining({
        section: 'connectionStrings',
        provider: 'RsaProtectedConfigurationProvider',
        line: 13,
      }),
    ]);
    expect(enc.connections[0]).toMatchObject({ format: 'encrypted', password: 'encrypted' });

    const java = await factsOf([join(FIXTURES, 'java-risky')]);
    const c = java.connections.find((x) => x.name === 'myDS');
    expect(c).toMatchObject({ format: 'jdbc', dialect: 'postgres', user: 'quartz', host: 'pg.internal', port: 5432 });
    expect(c?.secretValue).toBe('J4va-Pr0ps-Secret');
    expect(java.java?.exporters.map((e) => `${e.kind}:${e.port ?? ''}`)).toEqual(['java-rmi:1099', 'jmx:']);
    expect(java.packages).toContainEqual(
      expect.objectContaining({ name: 'org.quartz-scheduler:quartz', version: '2.3.0' }),
    );
    expect(java.jobs[0]).toMatchObject({ name: 'cleanup', group: 'ops', jobType: 'org.quartz.jobs.NativeJob' });
  });

  it('facts hold no connection secret: masked in properties, hidden (non-enumerable) on connections', async () => {
    const facts = await readConfig(
      await discoverConfigFiles(['netfx-risky', 'aspnet-risky', 'java-risky'].map((d) => join(FIXTURES, d))),
    );
    const text = JSON.stringify(facts);
    for (const s of FIXTURE_SECRETS.slice(0, 3)) expect(text).not.toContain(s);
    // job-data-map values are facts for the content checks (like blob contents): the redaction path masks them
    // once the checks have registered them
    expect(facts.java?.properties['org.quartz.datasource.myds.password']?.value).toBe('[REDACTED]');
    expect(redact('J4va-Pr0ps-Secret')).toBe('[REDACTED]');
  });
});

describe('broken files: one clear error naming the file and line', () => {
  const cases: [string, number, RegExp][] = [
    ['quartz.config', 3, /expected "key = value"/],
    ['appsettings.json', 4, /malformed JSON: CommaExpected/],
    ['App.config', 5, /malformed XML: Expected closing tag 'add'/],
    ['quartz_jobs.xml', 2, /DOCTYPE with entity declarations is not read/],
    ['conn.config', 4, /connection string "Bad" is malformed/],
  ];
  for (const [name, line, re] of cases) {
    it(name, async () => {
      const p = join(FIXTURES, 'broken', name);
      const err = await readConfig(await discoverConfigFiles([p])).catch((e) => e);
      expect(err).toBeInstanceOf(ConfigParseError);
      expect(err.exitCode).toBe(2);
      expect(err.file).toBe(p);
      expect(err.line).toBe(line);
      expect(err.message).toMatch(re);
      expect(err.message.startsWith(`${p}:${line}: `)).toBe(true);
      expect(err.message).not.toContain('Unterminated-Secret-Value');
    });
  }
});

describe('syntax and connection strings', () => {
  it('parses Java properties: separators, comments, continuations, escapes', () => {
    const v = parseProperties('! comment\na=1\nb : 2\nc 3\nd = x\\\n    y\ne = caf\\u00e9\\tz\n', 'f');
    expect(v.map((x) => [x.key, x.value, x.line])).toEqual([
      ['a', '1', 2],
      ['b', '2', 3],
      ['c', '3', 4],
      ['d', 'xy', 5],
      ['e', 'café\tz', 7],
    ]);
    expect(() => parseProperties('a = \\u12', 'f')).toThrow(/f:1: malformed/);
  });

  it('reads every provider shape', () => {
    const loc = { file: 'f', line: 1 };
    expect(
      parseConnection('Server=db;Database=q;User Id=sa;Password=p@ss-123;SslMode=None', 'm', loc, 'MySqlConnector'),
    ).toMatchObject({ dialect: 'mysql', user: 'sa', password: 'plaintext', insecureTransport: ['sslmode=None'] });
    expect(parseConnection('Data Source=/var/lib/app/quartz.db;', 's', loc, 'SQLite-Microsoft')).toMatchObject({
      dialect: 'sqlite',
      dataFile: '/var/lib/app/quartz.db',
      password: 'integrated',
    });
    expect(parseConnection('Server=.;Database=q;Integrated Security=SSPI', 'w', loc)).toMatchObject({
      password: 'integrated',
    });
    expect(
      parseConnection(
        'Server=db;User Id=u;Password=@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/q)',
        'k',
        loc,
      ),
    ).toMatchObject({ password: 'reference' });
    expect(
      parseConnection(
        'jdbc:sqlserver://sql:1433;databaseName=quartz;encrypt=false;trustServerCertificate=true',
        'j',
        loc,
      ),
    ).toMatchObject({
      dialect: 'sqlserver',
      host: 'sql',
      port: 1433,
      database: 'quartz',
      insecureTransport: ['encrypt=false', 'trustServerCertificate=true'],
    });
    expect(parseConnection('jdbc:mysql://u:pw%21xY9z@h:3307/q?useSSL=false', 'j', loc)).toMatchObject({
      dialect: 'mysql',
      user: 'u',
      port: 3307,
      password: 'plaintext',
      insecureTransport: ['useSSL=false'],
    });
    expect(parseConnection('jdbc:sqlite:/data/quartz.sqlite', 'j', loc)).toMatchObject({
      dialect: 'sqlite',
      dataFile: '/data/quartz.sqlite',
    });
    expect(redact('pw!xY9z')).toBe('[REDACTED]');
  });
});

describe('ASP.NET key conventions and inline data source strings', () => {
  it('reads `__` and `:` separated keys, inline quartz.dataSource.X.connectionString (masked in facts), nested Serilog sinks', async () => {
    const { dir, cleanup } = await stage([]);
    try {
      await write(
        join(dir, 'appsettings.json'),
        JSON.stringify({
          Quartz__quartz: { 'serializer.type': 'binary' },
          'Quartz:quartz.jobStore.type': 'Quartz.Impl.AdoJobStore.JobStoreTX, Quartz',
          Quartz: {
            'quartz.jobStore.dataSource': 'main',
            'quartz.dataSource.main.provider': 'MySqlConnector',
            'quartz.dataSource.main.connectionString':
              'Server=my;Database=q;Uid=qz;Pwd=Inline-My-Secret-1;SslMode=None',
          },
          Serilog: {
            WriteTo: [{ Name: 'Async', Args: { configure: [{ Name: 'File', Args: { path: '/var/log/q.log' } }] } }],
          },
        }),
      );
      const facts = await factsOf([dir]);
      expect(facts.dotnet?.serializer?.value).toBe('binary');
      expect(facts.dotnet?.jobStore.kind).toBe('persistent');
      const c = facts.connections.find((x) => x.name === 'main');
      expect(c).toMatchObject({
        dialect: 'mysql',
        user: 'qz',
        password: 'plaintext',
        insecureTransport: ['sslmode=None'],
      });
      expect(JSON.stringify(facts)).not.toContain('Inline-My-Secret-1');
      expect(facts.logFiles.map((l) => l.path)).toEqual(['/var/log/q.log']);
    } finally {
      await cleanup();
    }
  });
});

describe('hostile shapes', () => {
  it('deeply nested JSON and XML end in a parse error, not a crash', async () => {
    const { dir, cleanup } = await stage([]);
    try {
      const j = await write(join(dir, 'appsettings.json'), `{"a":${'['.repeat(200_000)}${']'.repeat(200_000)}}`);
      await expect(readConfig(await discoverConfigFiles([j]))).rejects.toThrow(
        /appsettings\.json: malformed JSON: nested too deeply/,
      );
      const x = await write(join(dir, 'quartz_jobs.xml'), `<a>${'<b>'.repeat(100_000)}${'</b>'.repeat(100_000)}</a>`);
      await expect(readConfig(await discoverConfigFiles([x]))).rejects.toBeInstanceOf(ConfigParseError);
    } finally {
      await cleanup();
    }
  });

  it('control characters and escape sequences in names reach findings escaped', async () => {
    const { dir, cleanup } = await stage([]);
    try {
      // XML drops control-character references; JSON keeps \u001b: a Serilog override named with an escape sequence
      await write(
        join(dir, 'appsettings.json'),
        '{"Serilog":{"MinimumLevel":{"Override":{"Quartz\\u001b[31mEVIL\\u001b[0m":"Verbose"}}}}',
      );
      const { evaluateConfig } = await import('../../src/config/index.js');
      const drafts = evaluateConfig(await factsOf([dir]), { only: ['QA-C10'] });
      expect(drafts[0]?.status).toBe('fail');
      expect(JSON.stringify(drafts)).not.toContain('\u001b');
      expect(drafts[0]?.message).toContain('Quartz\\x1b[31mEVIL');
    } finally {
      await cleanup();
    }
  });
});
