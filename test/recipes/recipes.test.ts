/**
 * The scheduling recipes in docs/recipes/ (issue #13 part 8), tested as far as this machine allows:
 * - every file parses (YAML documents; systemd units as INI, and `systemd-analyze verify` when present);
 * - every qrtz-audit command line in them is parsed by the real commander program (an option the CLI does
 *   not have, or a value its parser refuses, fails the test); the Kubernetes one for each shard index;
 * - the fleet.yml the Kubernetes ConfigMap carries validates; its --shard N is the Job's completions;
 * - the GitHub Actions and GitLab CI jobs' shell steps run against a local throwaway PostgreSQL (psql is
 *   real; `qrtz-audit` runs this checkout; `curl` of the official Quartz.NET schema is served from
 *   test/fixtures/postgres/quartz-schema.sql, the same tables: no network here), and the files the later
 *   steps upload (SARIF, Markdown summary, JUnit) exist and parse.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CommanderError } from 'commander';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { buildProgram } from '../../src/cli.js';
import type { Io } from '../../src/commands/io.js';
import { parseRunConfig } from '../../src/runconfig/load.js';
import { acquirePostgres, adminSql, type PgServer } from '../support/pg-server.js';

const ROOT = join(import.meta.dirname, '..', '..');
const RECIPES = join(ROOT, 'docs', 'recipes');
const read = (f: string) => readFileSync(join(RECIPES, f), 'utf8');
const SCHEMA_URL = 'https://raw.githubusercontent.com/quartznet/quartznet/main/database/tables/tables_postgres.sql';

/** Shell words of a script line: quotes, backslashes, $VAR / ${VAR} from `env`; operators as their own words. */
function shellWords(text: string, env: Record<string, string>): string[] {
  const out: string[] = [];
  let cur: string | undefined;
  const add = (s: string) => {
    cur = (cur ?? '') + s;
  };
  const end = () => {
    if (cur !== undefined) out.push(cur);
    cur = undefined;
  };
  const variable = (i: number): [string, number] => {
    const m = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/.exec(text.slice(i));
    if (!m) {
      if (text[i + 1] === '(') throw new Error(`command substitution is not supported here: ${text.slice(i, i + 20)}`);
      return ['$', i + 1];
    }
    const name = (m[1] ?? m[2]) as string;
    if (!(name in env)) throw new Error(`unknown variable ${name}`);
    return [env[name] as string, i + m[0].length];
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === "'") {
      const j = text.indexOf("'", i + 1);
      add(text.slice(i + 1, j));
      i = j + 1;
    } else if (c === '"') {
      i++;
      add('');
      while (text[i] !== '"') {
        if (i >= text.length) throw new Error('unterminated "');
        if (text[i] === '\\' && /["\\$`]/.test(text[i + 1] ?? '')) {
          add(text[i + 1] as string);
          i += 2;
        } else if (text[i] === '$') {
          const [v, n] = variable(i);
          add(v);
          i = n;
        } else add(text[i++] as string);
      }
      i++;
    } else if (c === '\\') {
      if (text[i + 1] !== '\n') add(text[i + 1] ?? '');
      i += 2;
    } else if (c === '$') {
      const [v, n] = variable(i);
      add(v);
      i = n;
    } else if (/\s/.test(c)) {
      end();
      i++;
    } else if (/[|&;<>]/.test(c)) {
      end();
      const op = /^(\|\||&&|>>|[|&;<>])/.exec(text.slice(i))?.[0] as string;
      out.push(op);
      i += op.length;
    } else add(text[i++] as string);
  }
  end();
  return out;
}

const OPERATORS = new Set(['|', '||', '&&', ';', '&', '>', '>>', '<']);

/** The argv (after the program name) of every qrtz-audit invocation in a shell script. */
function qrtzAuditCommands(script: string, env: Record<string, string>): string[][] {
  const words = shellWords(script, env);
  const found: string[][] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    const atCommand = i === 0 || OPERATORS.has(words[i - 1] as string) || words[i - 1] === 'exec';
    if (!atCommand || !(w === 'qrtz-audit' || w.endsWith('/qrtz-audit'))) continue;
    const args: string[] = [];
    for (let j = i + 1; j < words.length && !OPERATORS.has(words[j] as string); j++) args.push(words[j] as string);
    found.push(args);
  }
  return found;
}

/** Parses argv with the real program, actions disabled; returns the error's message, or undefined. */
function cliRefuses(argv: string[]): string | undefined {
  const io: Io = {
    stdout: () => {},
    stderr: () => {},
    stdin: Readable.from([]),
    stdoutIsTTY: false,
    colorAllowed: false,
    stderrColor: false,
  };
  const program = buildProgram(io, () => {});
  program.configureOutput({ writeOut: () => {}, writeErr: () => {} });
  for (const c of program.commands) {
    c.exitOverride();
    c.configureOutput({ writeOut: () => {}, writeErr: () => {} });
    c.action(() => {});
  }
  try {
    program.parse(argv, { from: 'user' });
    if (!program.commands.some((c) => c.name() === argv[0])) return `no command ${argv[0]}`;
    return undefined;
  } catch (err) {
    if (err instanceof CommanderError) return err.message;
    return String((err as Error).message);
  }
}

/** A systemd unit as sections of key → values. */
function parseUnit(text: string): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  let section: Record<string, string[]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const s = /^\[([A-Za-z]+)\]$/.exec(line);
    if (s) {
      out[s[1] as string] ??= {};
      section = out[s[1] as string];
      continue;
    }
    const kv = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (!kv || !section) throw new Error(`not a unit line: ${line}`);
    const key = kv[1] as string;
    section[key] = [...(section[key] ?? []), kv[2] as string];
  }
  return out;
}

interface GithubStep {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string>;
}
const github = parseYaml(read('github-actions.yml')) as {
  jobs: Record<
    string,
    { env: Record<string, string>; steps: GithubStep[]; services: Record<string, { env: Record<string, string> }> }
  >;
};
const ghJob = Object.values(github.jobs)[0] as (typeof github.jobs)[string];
const gitlab = parseYaml(read('gitlab-ci.yml')) as Record<
  string,
  {
    before_script: string[];
    script: string[];
    variables: Record<string, string>;
    artifacts: { paths: string[]; reports: { junit: string } };
  }
>;
const glJob = gitlab['qrtz-audit'] as (typeof gitlab)[string];
const SAMPLE_ENV = { GITHUB_STEP_SUMMARY: '/tmp/summary.md', JOB_COMPLETION_INDEX: '0' };

describe('recipes: files parse, every qrtz-audit command line is one the CLI accepts', () => {
  it('the control: an option the CLI does not have is refused by the same parse', () => {
    expect(cliRefuses(['scan', 'x.db', '--no-such-option'])).toMatch(/unknown option/);
    expect(cliRefuses(['scan', '--config', 'f.yml', '--shard', '4/4'])).toMatch(/expected I\/N/);
    expect(cliRefuses(['scna', 'x.db'])).toBeDefined();
    expect(cliRefuses(['scan', 'x.db', '--format', 'json'])).toBeUndefined();
  });

  it('GitHub Actions: the job, its service, and its qrtz-audit command', () => {
    expect(ghJob.services.postgres?.env.POSTGRES_DB).toBe('quartz');
    const runs = ghJob.steps.filter((s) => s.run).map((s) => s.run as string);
    const cmds = runs.flatMap((r) => qrtzAuditCommands(r, { ...SAMPLE_ENV, ...ghJob.env }));
    expect(cmds.map((c) => c[0])).toEqual(['scan']);
    for (const c of cmds) expect(cliRefuses(c), c.join(' ')).toBeUndefined();
    const upload = ghJob.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'));
    expect(upload?.with?.sarif_file).toBe('qrtz-audit-reports/qrtz-audit.sarif');
    expect(upload?.if).toBe('always()');
    expect(runs.join('\n')).toContain('>> "$GITHUB_STEP_SUMMARY"');
  });

  it('GitLab CI: the job and its qrtz-audit command', () => {
    const cmds = [...glJob.before_script, ...glJob.script].flatMap((l) => qrtzAuditCommands(l, { ...glJob.variables }));
    expect(cmds.map((c) => c[0])).toEqual(['scan']);
    for (const c of cmds) expect(cliRefuses(c), c.join(' ')).toBeUndefined();
    expect(glJob.artifacts.reports.junit).toBe('qrtz-audit-reports/qrtz-audit.junit.xml');
  });

  it('Kubernetes: an Indexed CronJob whose --shard N is its completions, for every index; its fleet.yml validates', () => {
    const docs = parseAllDocuments(read('kubernetes-cronjob.yaml'));
    for (const d of docs) expect(d.errors).toEqual([]);
    const [cm, cron] = docs.map((d) => d.toJS()) as [
      { kind: string; data: Record<string, string> },
      {
        kind: string;
        spec: {
          jobTemplate: {
            spec: Record<string, unknown> & {
              template: { spec: { containers: { command: string[]; args: string[] }[] } };
            };
          };
        };
      },
    ];
    expect(cm.kind).toBe('ConfigMap');
    const fleet = parseRunConfig(cm.data['fleet.yml'] as string, 'kubernetes-cronjob.yaml#fleet.yml');
    expect(fleet.targets.length).toBeGreaterThan(1);
    for (const t of fleet.targets) expect(t.passwordEnv).toMatch(/^[A-Z_]+$/);
    expect(cron.kind).toBe('CronJob');
    const job = cron.spec.jobTemplate.spec;
    expect(job.completionMode).toBe('Indexed');
    const container = job.template.spec.containers[0] as { command: string[]; args: string[] };
    expect(container.command).toEqual(['/bin/sh', '-c']);
    const script = container.args.join(' ');
    const completions = job.completions as number;
    for (let index = 0; index < completions; index++) {
      const cmds = qrtzAuditCommands(script, { JOB_COMPLETION_INDEX: String(index) });
      expect(cmds).toHaveLength(1);
      const argv = cmds[0] as string[];
      expect(argv[argv.indexOf('--shard') + 1]).toBe(`${index}/${completions}`);
      expect(cliRefuses(argv), argv.join(' ')).toBeUndefined();
    }
  });

  it('systemd: service and timer parse, ExecStart is a command the CLI accepts; systemd-analyze verify is clean', () => {
    const service = parseUnit(read('qrtz-audit.service'));
    const timer = parseUnit(read('qrtz-audit.timer'));
    expect(service.Service?.Type).toEqual(['oneshot']);
    expect(timer.Timer?.OnCalendar).toHaveLength(1);
    expect(timer.Install?.WantedBy).toEqual(['timers.target']);
    const exec = service.Service?.ExecStart ?? [];
    expect(exec).toHaveLength(1);
    const cmds = qrtzAuditCommands(exec[0] as string, {});
    expect(cmds).toHaveLength(1);
    expect(cliRefuses(cmds[0] as string[])).toBeUndefined();
    // Exit codes that are results, not failures: 1 findings, 4 incomplete, 5 a target failed.
    expect(service.Service?.SuccessExitStatus).toEqual(['1 4 5']);
    const analyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p));
    if (!analyze) {
      console.warn('SKIPPED (systemd-analyze verify): systemd-analyze is not installed');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'qrtz-units-'));
    try {
      // The binary path must exist for verify: a stand-in executable in its place.
      const bin = join(dir, 'qrtz-audit');
      writeFileSync(bin, '#!/bin/sh\nexit 0\n');
      chmodSync(bin, 0o755);
      writeFileSync(
        join(dir, 'qrtz-audit.service'),
        read('qrtz-audit.service').replaceAll('/usr/local/bin/qrtz-audit', bin),
      );
      writeFileSync(join(dir, 'qrtz-audit.timer'), read('qrtz-audit.timer'));
      const r = spawnSync(analyze, ['verify', join(dir, 'qrtz-audit.service'), join(dir, 'qrtz-audit.timer')], {
        encoding: 'utf8',
      });
      expect(`${r.stdout}${r.stderr}`.trim()).toBe('');
      expect(r.status).toBe(0);
      const cal = spawnSync(analyze, ['calendar', timer.Timer?.OnCalendar?.[0] as string], { encoding: 'utf8' });
      expect(cal.status, cal.stderr).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const PSQL = ['/usr/bin/psql', '/usr/local/bin/psql'].find((p) => existsSync(p));
const got = PSQL ? await acquirePostgres({ fresh: true }) : { skip: 'psql is not installed' };
const server = 'skip' in got ? undefined : (got as PgServer);
if (!server) console.warn(`SKIPPED (recipes against PostgreSQL): ${(got as { skip: string }).skip}`);

describe.skipIf(!server)('recipes: the CI jobs’ steps against a local PostgreSQL', () => {
  const s = server as PgServer;
  let dir: string;
  let shims: string;
  let db = '';

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'qrtz-recipes-'));
    shims = join(dir, 'bin');
    mkdirSync(shims);
    writeFileSync(
      join(shims, 'qrtz-audit'),
      `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'bin', 'qrtz-audit.js')}" "$@"\n`,
    );
    const fixture = join(dir, 'tables_postgres.sql');
    copyFileSync(join(ROOT, 'test', 'fixtures', 'postgres', 'quartz-schema.sql'), fixture);
    // No network here: the official schema's URL is served from the fixture (the same tables); any other URL fails.
    writeFileSync(
      join(shims, 'curl'),
      `#!/bin/sh\nfor a in "$@"; do [ "$a" = "${SCHEMA_URL}" ] && exec cat "${fixture}"; done\necho "curl stand-in: unexpected URL" >&2\nexit 22\n`,
    );
    chmodSync(join(shims, 'qrtz-audit'), 0o755);
    chmodSync(join(shims, 'curl'), 0o755);
  });
  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await s.stop();
  });

  /** Runs one shell step as the CI runner would (bash -e -o pipefail) in `cwd`; returns its exit code and output. */
  const step = (script: string, cwd: string, env: Record<string, string>) => {
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
      cwd,
      encoding: 'utf8',
      env: {
        ...process.env,
        ...env,
        PATH: `${shims}:${process.env.PATH}`,
        PGHOST: '127.0.0.1',
        PGPORT: String(s.port),
        PGUSER: 'postgres',
        PGDATABASE: db,
        PGSSLMODE: 'disable',
      },
      timeout: 180_000,
    });
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
  };
  const freshDb = async (name: string) => {
    db = name;
    await adminSql(s, 'postgres', `DROP DATABASE IF EXISTS ${name}`);
    await adminSql(s, 'postgres', `CREATE DATABASE ${name}`);
    await adminSql(s, 'postgres', `DROP ROLE IF EXISTS quartz_app`);
  };
  const cleanup = async () => {
    await adminSql(s, 'postgres', `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await adminSql(s, 'postgres', `DROP ROLE IF EXISTS quartz_app`);
  };

  it('GitHub Actions: schema, scan, step summary and the SARIF the upload step sends', async () => {
    await freshDb(`qr_gh_${process.pid}`);
    try {
      const work = join(dir, 'gh');
      mkdirSync(work);
      const summary = join(dir, 'gh-summary.md');
      writeFileSync(summary, '');
      let failed = false;
      const codes: Record<string, number | null> = {};
      for (const st of ghJob.steps) {
        if (!st.run || st.run.includes('npm install')) continue; // actions and the install: the shims stand in
        if (failed && st.if !== 'always()') continue;
        const r = step(st.run, work, { ...ghJob.env, GITHUB_STEP_SUMMARY: summary });
        codes[st.name ?? st.run] = r.code;
        if (st.name === 'Quartz schema and the service account') expect(r.code, r.out).toBe(0);
        if (r.code !== 0) failed = true;
      }
      const scanCode = codes['Audit the JobStore'];
      expect([0, 1, 4], JSON.stringify(codes)).toContain(scanCode);
      expect(codes['Step summary']).toBe(0);
      expect(readFileSync(summary, 'utf8')).toMatch(/^## qrtz-audit: (PASS|FAIL|INCOMPLETE): PostgreSQL/m);
      const sarif = JSON.parse(readFileSync(join(work, 'qrtz-audit-reports', 'qrtz-audit.sarif'), 'utf8'));
      expect(sarif.version).toBe('2.1.0');
      expect(sarif.runs[0].properties.target.serviceAccount).toBe('quartz_app');
      expect(sarif.runs[0].properties.target.database).toBe(db);
      const json = JSON.parse(readFileSync(join(work, 'qrtz-audit-reports', 'qrtz-audit.json'), 'utf8'));
      expect(json.summary.exitCode).toBe(scanCode);
      expect(json.inventory.tables.present.length).toBe(11);
    } finally {
      await cleanup();
    }
  });

  it('GitLab CI: before_script (without the installs) and script, then the JUnit report and artifacts', async () => {
    await freshDb(`qr_gl_${process.pid}`);
    try {
      const work = join(dir, 'gl');
      mkdirSync(work);
      const lines = [...glJob.before_script.filter((l) => !/^(apt-get|npm install)/.test(l)), ...glJob.script];
      expect(lines.length).toBe(glJob.script.length);
      const codes: (number | null)[] = [];
      for (const l of lines) {
        const r = step(l, work, { ...glJob.variables });
        codes.push(r.code);
        if (r.code !== 0 && !l.startsWith('qrtz-audit')) throw new Error(`${l}: ${r.out}`);
      }
      expect([0, 1, 4]).toContain(codes.at(-1));
      const junit = new XMLParser({ ignoreAttributes: false }).parse(
        readFileSync(join(work, glJob.artifacts.reports.junit), 'utf8'),
      );
      expect(Number(junit.testsuites['@_tests'])).toBeGreaterThan(10);
      for (const p of glJob.artifacts.paths) expect(existsSync(join(work, p))).toBe(true);
      expect(
        execFileSync('ls', [join(work, 'qrtz-audit-reports')], { encoding: 'utf8' })
          .split('\n')
          .filter(Boolean)
          .sort(),
      ).toEqual([
        'qrtz-audit-target.json',
        'qrtz-audit.json',
        'qrtz-audit.junit.xml',
        'qrtz-audit.md',
        'qrtz-audit.sarif',
      ]);
    } finally {
      await cleanup();
    }
  });
});
