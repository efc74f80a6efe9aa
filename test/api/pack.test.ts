/**
 * Issue #14 part 7: the packed package is a library. `npm pack` (its prepack builds dist/ with the
 * declarations) of a copy of this checkout; the tarball installed into a temp project by `npm install` from
 * the registry (see installTarball for the two concessions, and the fallback without a registry); then
 * `import { audit } from 'qrtz-audit'` in that project audits a
 * SQLite demo store and a PostgreSQL JobStore and returns the findings the packed CLI's JSON holds, and a
 * consumer file type-checks against the installed types (a wrong one does not).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoStore } from '../../src/demo/seed.js';
import type { Finding } from '../../src/model.js';
import type { Report } from '../../src/report/report.js';
import { pgQuartzStore } from '../support/pg-quartz.js';
import { acquirePostgres, type PgServer } from '../support/pg-server.js';
import { PLANTED_PASSWORD } from '../support/same-secret.js';

const ROOT = join(import.meta.dirname, '..', '..');
const NODE_MODULES = realpathSync(join(ROOT, 'node_modules'));
const KEY = 'pack-test-fingerprint-key-0123456789';

const got = await acquirePostgres();
const server = 'skip' in got ? undefined : (got as PgServer);
if (!server) console.warn(`SKIPPED (library API on PostgreSQL): ${(got as { skip: string }).skip}`);
const store = pgQuartzStore('qapi', { db: 'store', logins: ['app'] });
const P = store.prefix;
const DB = store.db;

let tmp: string;
let project: string;
let tarball: string;
let demo: string;
let installedBy: 'npm install' | 'unpacked' = 'unpacked';

/** The CLI of the installed package (its compiled dist/), JSON to stdout. */
function installedCli(args: string[]): { code: number; report: Report; stderr: string } {
  const r = spawnSync(
    process.execPath,
    [join(project, 'node_modules', 'qrtz-audit', 'bin', 'qrtz-audit.js'), ...args],
    {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, QRTZ_PACK_KEY: KEY },
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  return { code: r.status ?? -1, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}

/** A script of the consumer project, run with node. */
function consumer(name: string, code: string, args: string[] = []): { status: number; stdout: string; stderr: string } {
  writeFileSync(join(project, name), code);
  const r = spawnSync(process.execPath, [join(project, name), ...args], {
    cwd: project,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The version this checkout's lockfile holds for a package. */
function lockedVersion(name: string): string {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string }>;
  };
  const v = lock.packages[`node_modules/${name}`]?.version;
  if (!v) throw new Error(`${name} is not in package-lock.json`);
  return v;
}

/**
 * Installs the tarball into the consumer project with npm, from the registry, as a user would; install
 * scripts are off (better-sqlite3 would compile SQLite for minutes with no prebuilt binary reachable here),
 * so its built package is linked from this checkout. mssql is held at the locked version: the newest one
 * asks for an @tediousjs/connection-string the registry here does not have. Without a registry, the tarball
 * is unpacked as npm lays it out and its dependencies linked from the checkout, and the test says so.
 */
function installTarball(nm: string): void {
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({
      name: 'consumer',
      version: '1.0.0',
      private: true,
      type: 'module',
      overrides: { mssql: lockedVersion('mssql') },
    }),
  );
  const r = spawnSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', tarball], {
    cwd: project,
    encoding: 'utf8',
    timeout: 240_000,
  });
  if (r.status === 0) {
    rmSync(join(nm, 'better-sqlite3'), { recursive: true, force: true });
    symlinkSync(join(NODE_MODULES, 'better-sqlite3'), join(nm, 'better-sqlite3'), 'dir');
    installedBy = 'npm install';
    return;
  }
  const why = `${r.error?.message ?? ''} ${r.stderr ?? ''}`.trim().split('\n').slice(-3).join(' | ');
  if (!/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH|ECONNRESET|network/i.test(why))
    throw new Error(`npm install of the packed tarball failed: ${why}`);
  console.warn(`[degraded] npm registry unreachable (${why}); the tarball is unpacked and its dependencies linked`);
  mkdirSync(nm, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', nm]);
  execFileSync('mv', [join(nm, 'package'), join(nm, 'qrtz-audit')]);
  const pkg = JSON.parse(readFileSync(join(nm, 'qrtz-audit', 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  for (const dep of Object.keys(pkg.dependencies)) {
    mkdirSync(dirname(join(nm, dep)), { recursive: true });
    symlinkSync(join(NODE_MODULES, dep), join(nm, dep), 'dir');
  }
  installedBy = 'unpacked';
}

const AUDIT_SCRIPT = `import { audit } from 'qrtz-audit';
const [target, ...rest] = process.argv.slice(2);
const report = await audit({ target, fingerprintKey: ${JSON.stringify(KEY)}, ignoreFile: false, onWarning: () => {}, __EXTRA__ });
process.stdout.write(JSON.stringify(report));
`;

/**
 * Findings as both sides list them, for an exact comparison; the two audits run seconds apart, so the database
 * clock the scheduler checks record (evidence.dbNowUtc) is the one value that may differ.
 */
const comparable = (fs: Finding[]) =>
  fs.map((f) => {
    if (!f.evidence || !('dbNowUtc' in f.evidence)) return JSON.stringify(f);
    const { dbNowUtc: _clock, ...evidence } = f.evidence;
    return JSON.stringify({ ...f, evidence });
  });

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'qrtz-pack-'));
  // A copy of the checkout's package files, so the prepack build never leaves a dist/ in the checkout
  // (bin/ prefers dist/, which would then shadow later source changes).
  const src = join(tmp, 'src-copy');
  mkdirSync(src);
  for (const f of ['package.json', 'tsconfig.json', 'README.md', 'bin', 'src', 'queries', 'data'])
    cpSync(join(ROOT, f), join(src, f), { recursive: true });
  symlinkSync(NODE_MODULES, join(src, 'node_modules'), 'dir');
  const out = join(tmp, 'out');
  mkdirSync(out);
  execFileSync('npm', ['pack', '--pack-destination', out, '--no-fund', '--no-audit'], {
    cwd: src,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tgz = readdirSync(out).find((f) => f.endsWith('.tgz'));
  if (!tgz) throw new Error('npm pack wrote no tarball');
  tarball = join(out, tgz);

  project = join(tmp, 'consumer');
  const nm = join(project, 'node_modules');
  mkdirSync(project, { recursive: true });
  installTarball(nm);
  // tsc in the type-check test resolves the consumer's `types: ['node']` from here.
  if (!existsSync(join(nm, '@types', 'node'))) {
    mkdirSync(join(nm, '@types'), { recursive: true });
    symlinkSync(join(NODE_MODULES, '@types', 'node'), join(nm, '@types', 'node'), 'dir');
  }
  demo = join(tmp, 'demo.db');
  seedDemoStore(demo);
  chmodSync(demo, 0o644);
}, 420_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the packed package', () => {
  it('holds the compiled API with its declarations and the exports map', () => {
    console.log(`the packed tarball was installed by: ${installedBy}`);
    const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
    for (const f of ['package/dist/src/api.js', 'package/dist/src/api.d.ts', 'package/dist/src/cli.js'])
      expect(listing).toContain(f);
    expect(listing.some((f) => f.startsWith('package/test/'))).toBe(false);
    const pkg = JSON.parse(readFileSync(join(project, 'node_modules', 'qrtz-audit', 'package.json'), 'utf8'));
    expect(pkg.exports['.']).toEqual({ types: './dist/src/api.d.ts', default: './dist/src/api.js' });
    expect(existsSync(join(project, 'node_modules', 'qrtz-audit', pkg.types))).toBe(true);
  });

  it('import { audit } from "qrtz-audit" audits a SQLite demo store: the findings of the CLI JSON', () => {
    const run = consumer('audit-sqlite.mjs', AUDIT_SCRIPT.replace('__EXTRA__', ''), [`sqlite:${demo}`]);
    expect(run.status, run.stderr).toBe(0);
    const api = JSON.parse(run.stdout) as Report;
    const cli = installedCli(['scan', `sqlite:${demo}`, '--format', 'json', '--fingerprint-key-env', 'QRTZ_PACK_KEY']);
    expect(cli.code).toBe(1);
    expect(api.summary.exitCode).toBe(cli.code);
    expect(api.findings.length).toBeGreaterThan(10);
    expect(comparable(api.findings)).toEqual(comparable(cli.report.findings));
    expect(api.summary).toEqual(cli.report.summary);
    expect(api.target).toEqual(cli.report.target);
    expect(api.schemaVersion).toBe(cli.report.schemaVersion);
  });

  it('a bad target is a UserError with one clear message (no stack in it)', () => {
    const run = consumer(
      'bad.mjs',
      `import { audit, UserError, EXIT_USAGE } from 'qrtz-audit';
try { await audit({ target: 'nosuchdb://x', onWarning: () => {} }); console.log('no error'); }
catch (e) { console.log(JSON.stringify({ user: e instanceof UserError, code: e.exitCode === EXIT_USAGE, msg: e.message })); }`,
    );
    const out = JSON.parse(run.stdout) as { user: boolean; code: boolean; msg: string };
    expect(out.user).toBe(true);
    expect(out.code).toBe(true);
    expect(out.msg).not.toMatch(/\n/);
  });

  it('a consumer file type-checks against the installed types; a wrong one does not', () => {
    const tsc = join(NODE_MODULES, '.bin', 'tsc');
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
        },
        include: ['consumer.ts'],
      }),
    );
    writeFileSync(
      join(project, 'consumer.ts'),
      `import { audit, collect, evaluate, type Finding, readEvidence, reportFrom, type Report, type Severity, writeEvidence } from 'qrtz-audit';
const report: Report = await audit({ target: 'sqlite:demo.db', failOn: 'medium', only: ['grants', 'content'] });
const first: Finding | undefined = report.findings[0];
const severity: Severity | undefined = first?.severity;
const code: number = report.summary.exitCode;
const evidence = await collect({ target: 'postgres://auditor@db/quartz', schema: 'quartz' });
writeEvidence('evidence.json', evidence);
const again: Report = reportFrom(readEvidence('evidence.json'), { baseline: 'baseline.json' });
const offline: Report = evaluate('evidence.json', { ignoreFile: false });
console.log(severity, code, again.summary.total, offline.findings.length);
`,
    );
    const ok = spawnSync(tsc, ['-p', project], { cwd: project, encoding: 'utf8' });
    expect(ok.stdout + ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    writeFileSync(
      join(project, 'consumer.ts'),
      `import { audit, type Report } from 'qrtz-audit';
const report: Report = await audit({ target: 'sqlite:demo.db', failOn: 'severe' });
const n: string = report.summary.exitCode;
console.log(report.findings[0]?.severity === 'bogus', n);
`,
    );
    const bad = spawnSync(tsc, ['-p', project], { cwd: project, encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    const text = bad.stdout + bad.stderr;
    expect(text).toMatch(/consumer\.ts\(2,.*"severe"/);
    expect(text).toMatch(/consumer\.ts\(3,.*not assignable to type 'string'/);
    expect(text).toMatch(/consumer\.ts\(4,.*"bogus"/);
  });
});

describe.skipIf(!server)('the packed package on PostgreSQL', () => {
  const s = server as PgServer;
  beforeAll(async () => {
    await store.create(
      s,
      `GRANT USAGE ON SCHEMA quartz TO ${P}_app;
       GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA quartz TO ${P}_app, PUBLIC;
       INSERT INTO quartz.qrtz_job_details VALUES ('Sched', 'sync', 'batch', NULL, 'Contoso.Jobs.Sync, Contoso', true, false, false, false,
                convert_to('{"password":"${PLANTED_PASSWORD}","target":"crm"}', 'UTF8'));`,
    );
  });
  afterAll(async () => {
    await store.drop(s);
  });

  it('audit() of a PostgreSQL JobStore returns the findings of the CLI JSON, no secret in them', () => {
    const url = s.adminUrl(DB);
    const run = consumer(
      'audit-pg.mjs',
      AUDIT_SCRIPT.replace('__EXTRA__', `schema: 'quartz', serviceAccount: ${JSON.stringify(`${P}_app`)}`),
      [url],
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).not.toContain(PLANTED_PASSWORD);
    const api = JSON.parse(run.stdout) as Report;
    const cli = installedCli([
      'scan',
      url,
      '--schema',
      'quartz',
      '--service-account',
      `${P}_app`,
      '--format',
      'json',
      '--fingerprint-key-env',
      'QRTZ_PACK_KEY',
    ]);
    expect(cli.code, cli.stderr).toBe(1);
    expect(comparable(api.findings)).toEqual(comparable(cli.report.findings));
    expect(api.findings.some((f) => f.check === 'QA-S01' && f.status === 'fail')).toBe(true);
    expect(api.findings.some((f) => f.check === 'QA-G04' && f.status === 'fail')).toBe(true);
    expect(api.summary).toEqual(cli.report.summary);
  });
});
