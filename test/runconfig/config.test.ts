/**
 * The config file (issue #13 part 4): every mistake is one line `file:line:col: path: what was expected`,
 * an inline password is refused without being repeated, the starter file `init` writes parses and
 * validates, flags given on the command line win over the file, and passwordFile is refused when its
 * group or others can read it.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import type { Report } from '../../src/report/report.js';
import { loadRunConfig, parseRunConfig } from '../../src/runconfig/load.js';
import { planTargets, readPasswordRef } from '../../src/runconfig/merge.js';
import { STARTER_CONFIG } from '../../src/runconfig/starter.js';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'qrtz-runconfig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const errorOf = (text: string, file = 'qrtz-audit.yml'): string => {
  try {
    parseRunConfig(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).not.toContain('\n');
    return (err as Error).message;
  }
  throw new Error('no error');
};

describe('config file: one line naming file, line, path and what was expected', () => {
  it.each([
    [
      'an unknown key in a target, at the key’s own line',
      'targets:\n  - name: a\n    url: postgres://x@h/db\n    shema: quartz\n',
      /^qrtz-audit\.yml:4:5: targets\[0\]: unknown key shema \(expected name, url, .*schema/,
    ],
    [
      'an unknown top-level key',
      'targets:\n  - name: a\n    url: a.db\nfail_on: high\n',
      /^qrtz-audit\.yml:4:1: \(top level\): unknown key fail_on/,
    ],
    [
      'a wrong duration',
      'targets:\n  - name: a\n    url: a.db\nthresholds:\n  lockTimeout: soon\n',
      /^qrtz-audit\.yml:5:16: thresholds\.lockTimeout: expected a duration such as 2000, 2s or 1\.5min$/,
    ],
    [
      'a wrong severity',
      'failOn: severe\ntargets:\n  - name: a\n    url: a.db\n',
      /^qrtz-audit\.yml:1:9: failOn: expected one of critical, high, medium, low$/,
    ],
    ['no target', 'targets: []\n', /^qrtz-audit\.yml:1:10: targets: expected at least 1 item/],
    ['a missing targets key', 'failOn: high\n', /^qrtz-audit\.yml:1:1: targets: missing \(expected array\)$/],
    [
      'a target without a database',
      'targets:\n  - name: a\n',
      /^qrtz-audit\.yml:2:5: targets\[0\]: a target needs exactly one of url/,
    ],
    [
      'sqlite without path',
      'targets:\n  - name: a\n    dialect: sqlite\n',
      /^qrtz-audit\.yml:2:5: targets\[0\]\.path: missing/,
    ],
    [
      'a duplicate target name (ignoring case)',
      'targets:\n  - name: a\n    url: a.db\n  - name: A\n    url: b.db\n',
      /^qrtz-audit\.yml:4:11: targets\[1\]\.name: duplicate target name/,
    ],
    [
      'a target name with a slash',
      'targets:\n  - name: ../x\n    url: a.db\n',
      /^qrtz-audit\.yml:2:11: targets\[0\]\.name: expected a name of letters/,
    ],
    [
      'a severity override of a check that does not exist',
      'targets:\n  - name: a\n    url: a.db\nseverityOverrides:\n  QA-Z99: low\n',
      /^qrtz-audit\.yml:5:11: severityOverrides\.QA-Z99: no check has this id/,
    ],
    [
      'a suppression without reason (the ignore file’s schema)',
      'targets:\n  - name: a\n    url: a.db\nsuppressions:\n  - check: QA-S01\n    object: x\n',
      /^qrtz-audit\.yml:5:5: suppressions\[0\]\.reason: missing/,
    ],
    ['invalid YAML', 'targets:\n  - name: a\n  url: [\n', /^qrtz-audit\.yml:\d+:\d+: not valid YAML: /],
    [
      'a duplicate key',
      'targets:\n  - name: a\n    url: a.db\n    url: b.db\n',
      /^qrtz-audit\.yml:4:5: not valid YAML: Map keys must be unique/,
    ],
  ])('%s', (_what, text, expected) => {
    expect(errorOf(text)).toMatch(expected);
  });

  it('a password key or a password inside a URL or connection string is refused, the value never repeated', () => {
    const cases = [
      'targets:\n  - name: a\n    url: postgres://x@h/db\n    password: Hunter2-secret\n',
      'targets:\n  - name: a\n    url: postgres://x:Hunter2-secret@h/db\n',
      'targets:\n  - name: a\n    url: "jdbc:postgresql://h/db?user=x&password=Hunter2-secret"\n',
      'targets:\n  - name: a\n    url: "Server=h;Database=q;User Id=x;Password=Hunter2-secret"\n',
      'targets:\n  - name: a\n    url: "host=h dbname=q password=Hunter2-secret"\n',
      'password: Hunter2-secret\ntargets:\n  - name: a\n    url: a.db\n',
    ];
    for (const text of cases) {
      const msg = errorOf(text);
      expect(msg).toMatch(/password.*passwordEnv: VAR.*passwordFile: PATH.*~\/\.pgpass/);
      expect(msg).not.toContain('Hunter2');
    }
  });

  it('the file name is shown with control characters made visible', () => {
    expect(errorOf('targets: []\n', 'evil\u001b[2J.yml')).toMatch(/^evil\\x1b\[2J\.yml:1:10/);
  });
});

describe('qrtz-audit init', () => {
  it('the starter file parses and validates, with three targets of three dialects', () => {
    const c = parseRunConfig(STARTER_CONFIG, 'starter.yml');
    expect(c.targets.map((t) => t.name)).toEqual(['billing', 'reports', 'local-demo']);
    expect(c.outputs?.formats).toEqual(['json', 'sarif', 'markdown']);
  });

  it('writes the file, refuses to overwrite it without --force (exit 2), overwrites with it', async () => {
    const file = join(dir, 'init.yml');
    const first = await runCli(['init', '-o', file]);
    expect(first.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(STARTER_CONFIG);
    expect(loadRunConfig(file).config.targets).toHaveLength(3);
    writeFileSync(file, 'mine\n');
    const again = await runCli(['init', '-o', file]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists: give --force to overwrite it/);
    expect(readFileSync(file, 'utf8')).toBe('mine\n');
    expect((await runCli(['init', '-o', file, '--force'])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(STARTER_CONFIG);
  });
});

describe('precedence and references', () => {
  const file = join(dir, 'prec.yml');
  writeFileSync(
    file,
    [
      'failOn: medium',
      'schema: quartz',
      'allowPrincipals: [dba]',
      'thresholds: { lockTimeout: 5s, maxBlobSize: 1000 }',
      'targets:',
      '  - name: a',
      '    dialect: sqlite',
      '    path: sub/a.db',
      '  - name: b',
      '    dialect: postgres',
      '    host: db.internal',
      '    port: 5433',
      '    database: quartz',
      '    user: auditor',
      '    failOn: critical',
      '    thresholds: { lockTimeout: 1s }',
      '    passwordFile: secrets/b',
      '    baseline: baselines/b.json',
      'outputs: { formats: [json, sarif], dir: out }',
    ].join('\n'),
  );
  const cliDefaults = {
    tablePrefix: 'QRTZ_',
    allowPrincipal: [],
    failOn: 'high' as const,
    statementTimeout: '30000',
    lockTimeout: '2000',
    connectTimeout: '10000',
    maxBlobSize: '16777216',
    allowType: [],
    attest: [],
    allowJobNamespace: [],
    misfireThreshold: '60',
    checkinStale: '10',
    longRunning: '240',
  };

  it('defaults < the file < its target < flags given on the command line', () => {
    const [a, b] = planTargets(loadRunConfig(file), { ...cliDefaults, explicitOptions: [] });
    expect(a?.url).toBe(`sqlite:${join(dir, 'sub/a.db')}`);
    expect(a?.options).toMatchObject({
      failOn: 'medium',
      schema: 'quartz',
      lockTimeout: '5s',
      maxBlobSize: '1000',
      allowPrincipal: ['dba'],
    });
    expect(a?.options.outputDir).toBe(join(dir, 'out'));
    expect(b?.url).toBe('postgres://auditor@db.internal:5433/quartz');
    expect(b?.options).toMatchObject({ failOn: 'critical', lockTimeout: '1s', statementTimeout: '30000' });
    expect(b?.passwordRef).toEqual({ file: join(dir, 'secrets/b') });
    expect(b?.options.baseline).toBe(join(dir, 'baselines/b.json'));
    expect(a?.options.baseline).toBeUndefined();
    const [, b2] = planTargets(loadRunConfig(file), {
      ...cliDefaults,
      failOn: 'low',
      lockTimeout: '3s',
      allowPrincipal: ['ops'],
      explicitOptions: ['failOn', 'lockTimeout', 'allowPrincipal'],
    });
    expect(b2?.options).toMatchObject({ failOn: 'low', lockTimeout: '3s', allowPrincipal: ['ops'], schema: 'quartz' });
  });

  it('passwordEnv: a variable not set is one line naming it', () => {
    expect(() => readPasswordRef({ env: 'QRTZ_TEST_UNSET_VAR' }, {})).toThrow(
      /passwordEnv: environment variable QRTZ_TEST_UNSET_VAR is not set/,
    );
    expect(readPasswordRef({ env: 'P' }, { P: 'from-env' })).toBe('from-env');
  });

  it.skipIf(process.platform === 'win32')(
    'passwordFile: refused when group or others can read it; read when 0600',
    () => {
      const pw = join(dir, 'pw');
      writeFileSync(pw, 'File-Secret-42\n');
      chmodSync(pw, 0o644);
      let msg = '';
      try {
        readPasswordRef({ file: pw });
      } catch (err) {
        msg = (err as Error).message;
      }
      expect(msg).toMatch(/passwordFile .*pw: readable or writable by its group or others \(mode 0644\); chmod 600 it/);
      expect(msg).not.toContain('File-Secret-42');
      chmodSync(pw, 0o600);
      expect(readPasswordRef({ file: pw })).toBe('File-Secret-42');
      expect(() => readPasswordRef({ file: join(dir, 'missing') })).toThrow(
        /passwordFile .*missing: cannot read it \(ENOENT\)/,
      );
    },
  );

  it('scan: --concurrency, --shard and --target need --config; a URL and --config together are a usage error', async () => {
    for (const argv of [
      ['scan', 'x.db', '--shard', '0/2'],
      ['scan', 'x.db', '--concurrency', '3'],
      ['scan', 'x.db', '--target', 'a'],
      ['scan', 'x.db', '--config', file],
      ['scan', '--config', file, '--target', 'nope'],
      ['scan', '--config', file, '--shard', '2/2'],
      ['scan', '--config', file, '--concurrency', '0'],
      ['scan', '--config', join(dir, 'absent.yml')],
    ]) {
      const run = await runCli(argv);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n'), run.stderr).toHaveLength(1);
    }
  });
});

describe('a one-target config file on a real SQLite store (the demo)', () => {
  it('is scanned as `scan URL` is; severityOverrides change severities and the exit code; its suppressions apply', async () => {
    const { seedDemoStore } = await import('../../src/demo/seed.js');
    const db = join(dir, 'demo.db');
    seedDemoStore(db);
    const plain = join(dir, 'plain.yml');
    writeFileSync(plain, 'targets:\n  - name: demo\n    dialect: sqlite\n    path: demo.db\n');
    const base = await runCli(['scan', '--config', plain, '--format', 'json']);
    const direct = await runCli(['scan', db, '--format', 'json']);
    expect(base.code).toBe(1);
    expect(direct.code).toBe(1);
    const before = JSON.parse(base.stdout) as Report;
    const key = (r: Report) => r.findings.map((f) => `${f.check} ${f.status} ${f.severity} ${f.object.name}`).sort();
    expect(key(before)).toEqual(key(JSON.parse(direct.stdout) as Report));
    const high = [
      ...new Set(
        before.findings
          .filter((f) => f.status === 'fail' && ['critical', 'high'].includes(f.severity))
          .map((f) => f.check),
      ),
    ];
    expect(high.length).toBeGreaterThan(2);
    const [suppressed, ...lowered] = high as [string, ...string[]];
    const tuned = join(dir, 'tuned.yml');
    writeFileSync(
      tuned,
      [
        'targets:',
        '  - name: demo',
        '    dialect: sqlite',
        '    path: demo.db',
        'failOn: high',
        'severityOverrides:',
        ...lowered.map((c) => `  ${c}: low`),
        'suppressions:',
        `  - check: ${suppressed}`,
        '    object: "*"',
        '    reason: accepted for the test',
      ].join('\n'),
    );
    const after = await runCli(['scan', '--config', tuned, '--format', 'json']);
    expect(after.code, after.stderr).toBe(0);
    const r = JSON.parse(after.stdout) as Report;
    for (const f of r.findings.filter((x) => lowered.includes(x.check) && x.status === 'fail')) {
      expect(f.severity).toBe('low');
      expect(String(f.evidence?.severityOverride)).toMatch(/^(critical|high) → low \(config .*tuned\.yml\)$/);
    }
    const marked = r.findings.filter((x) => x.check === suppressed && x.status === 'fail');
    expect(marked.length).toBeGreaterThan(0);
    for (const f of marked) expect(f.suppressed?.source).toMatch(/^config .*tuned\.yml#1$/);
    // The command line wins over the file's failOn: high.
    expect((await runCli(['scan', '--config', tuned, '--format', 'json', '--fail-on', 'low'])).code).toBe(1);
  });
});

describe('mistakes shared by every target are the run’s usage error, not one failure per target', () => {
  it('a bad ignore file, a missing baseline, a bad flag value: exit 2, one line, nothing connected', async () => {
    const file = join(dir, 'two.yml');
    writeFileSync(
      file,
      'targets:\n  - name: a\n    url: postgres://x@127.0.0.1:1/q\n  - name: b\n    url: postgres://x@127.0.0.1:1/r\n',
    );
    const badIgnore = join(dir, 'bad-ignore.yml');
    writeFileSync(badIgnore, 'suppressions:\n  - check: QA-S01\n    object: x\n');
    for (const extra of [
      ['--ignore-file', badIgnore],
      ['--baseline', join(dir, 'no-baseline.json')],
      ['--lock-timeout', 'soon'],
      ['--login', 'auditor'],
    ]) {
      const run = await runCli(['scan', '--config', file, '--format', 'json', ...extra]);
      expect(run.code, extra.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n'), run.stderr).toHaveLength(1);
      expect(run.stderr).not.toContain('target failed');
    }
  });
});

describe('--evidence with a config file', () => {
  it('one target: the evidence file is written and evaluates to the same exit code; a fleet refuses it (exit 2)', async () => {
    const { seedDemoStore } = await import('../../src/demo/seed.js');
    seedDemoStore(join(dir, 'ev.db'));
    const one = join(dir, 'ev-one.yml');
    writeFileSync(one, 'targets:\n  - name: demo\n    dialect: sqlite\n    path: ev.db\n');
    const ev = join(dir, 'ev.json');
    const run = await runCli(['scan', '--config', one, '--format', 'json', '--evidence', ev]);
    expect(run.code, run.stderr).toBe(1);
    const evaluated = await runCli(['evaluate', ev, '--format', 'json']);
    expect(evaluated.code, evaluated.stderr).toBe(1);
    const count = (t: string) => (JSON.parse(t) as Report).findings.length;
    expect(count(evaluated.stdout)).toBe(count(run.stdout));
    const two = join(dir, 'ev-two.yml');
    writeFileSync(
      two,
      'targets:\n  - name: a\n    dialect: sqlite\n    path: ev.db\n  - name: b\n    dialect: sqlite\n    path: ev.db\n',
    );
    const fleet = await runCli(['scan', '--config', two, '--format', 'json', '--evidence', join(dir, 'ev2.json')]);
    expect(fleet.code).toBe(2);
    expect(fleet.stderr).toMatch(
      /--evidence holds one target’s facts: with a fleet, give --target NAME --evidence FILE/,
    );
  });
});
