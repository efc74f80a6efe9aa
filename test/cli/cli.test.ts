/**
 * CLI behaviour users meet first (#10 parts 2, 4, 5) and the escaping of every stderr line (#9 part 6).
 * In-process runs of main(); the adapter factory is wrapped so a test can make a real SQLite adapter
 * report an unreadable table, or an adapter fail in a given way, without a server.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Command } from 'commander';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { allChecks } from '../../src/checks/index.js';
import { registerConfig } from '../../src/commands/config.js';
import { registerDemo } from '../../src/commands/demo.js';
import { registerGrantsScript } from '../../src/commands/grants-script.js';
import { registerInit } from '../../src/commands/init.js';
import { registerInspectBlob } from '../../src/commands/inspect-blob.js';
import type { Io } from '../../src/commands/io.js';
import { registerScan, URL_PASSWORD_WARNING } from '../../src/commands/scan.js';
import { quartzSqliteSchema } from '../../src/demo/schema.js';
import type { Adapter } from '../../src/dialect.js';
import { noTablesError } from '../../src/dialects/shared/discovery.js';
import { UserError } from '../../src/errors.js';
import type { Unreadable } from '../../src/model.js';
import type { Report } from '../../src/report/report.js';
import { redact } from '../../src/secrets/redact.js';
import { runCli } from '../support/cli.js';

const hooks = vi.hoisted(() => ({
  wrap: undefined as undefined | ((a: Adapter) => Adapter),
  connectError: undefined as undefined | Error,
  closed: 0,
}));

vi.mock('../../src/dialects/index.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/dialects/index.js')>();
  return {
    ...orig,
    adapterFor: async (o: Parameters<typeof orig.adapterFor>[0]) => {
      if (hooks.connectError) {
        const err = hooks.connectError;
        return {
          dialect: 'postgres',
          connect: async () => {
            throw err;
          },
          close: async () => {
            hooks.closed++;
          },
          collectFacts: async () => {
            throw err;
          },
          blobRows: async function* () {},
        } satisfies Adapter;
      }
      const a = await orig.adapterFor(o);
      return hooks.wrap ? hooks.wrap(a) : a;
    },
  };
});

const dir = mkdtempSync(join(tmpdir(), 'qrtz-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  hooks.wrap = undefined;
  hooks.connectError = undefined;
  hooks.closed = 0;
});

/** A small, clean Quartz.NET SQLite store: one job with a harmless JSON JobDataMap, one trigger. */
function cleanStore(name: string): string {
  const path = join(dir, name);
  const db = new Database(path);
  db.exec(quartzSqliteSchema());
  db.prepare("INSERT INTO QRTZ_JOB_DETAILS VALUES ('S','job','G',NULL,'Contoso.Jobs.Report, Contoso',1,0,0,0,?)").run(
    Buffer.from(JSON.stringify({ report: 'daily' })),
  );
  db.close();
  return path;
}

const lines = (s: string) => s.split('\n').filter(Boolean);
/** No raw ESC, BEL, C1 or bidi control in text. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point of the test
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('CLI: usage', () => {
  it('no arguments: help on stderr, exit 2; --help: stdout, exit 0', async () => {
    const none = await runCli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: qrtz-audit');
    expect(none.stdout).toBe('');
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: qrtz-audit');
    expect((await runCli(['nosuchcommand'])).code).toBe(2);
  });

  it('--only "" is a usage error, never "run everything"', async () => {
    const r = await runCli(['scan', cleanStore('only.db'), '--only', '']);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual([
      'qrtz-audit: --only: no check family given (families: grants, encryption, audit, content, scheduler, updates, config; alias blobs = content+scheduler+updates)',
    ]);
    expect((await runCli(['scan', cleanStore('skip.db'), '--skip', ' , '])).code).toBe(2);
  });

  it('--max-blob-size above 1 GiB: exit 2, one line, before connecting', async () => {
    const r = await runCli(['scan', 'sqlite:/nonexistent/never.db', '--max-blob-size', '2147483648']);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual(['qrtz-audit: --max-blob-size must be at most 1073741824 (1 GiB), got 2147483648']);
    const ok = await runCli(['scan', 'sqlite:/nonexistent/never.db', '--max-blob-size', '1073741824']);
    expect(ok.stderr).toContain('no such SQLite file'); // accepted, then the file is missing
  });

  it('--fail-on in any case and timeouts with units are accepted; bad durations are usage errors', async () => {
    const path = cleanStore('units.db');
    const r = await runCli([
      'scan',
      path,
      '--format',
      'json',
      '--fail-on',
      'High',
      '--lock-timeout',
      '1s',
      '--statement-timeout',
      '1.5min',
      '--connect-timeout',
      '2000',
    ]);
    // Nothing but the run summary line (issue #14 part 6).
    expect(r.stderr).toMatch(/^qrtz-audit: [^\n]* — exit \d \(fail-on high\)\n$/);
    expect((JSON.parse(r.stdout) as Report).summary.failOn).toBe('high');
    for (const bad of ['1x', '-1', '0', '1 day', '99999999999']) {
      const b = await runCli(['scan', path, '--lock-timeout', bad]);
      expect(b.code, bad).toBe(2);
      expect(lines(b.stderr), bad).toHaveLength(1);
      expect(b.stderr).toContain('--lock-timeout');
    }
    expect((await runCli(['scan', path, '--fail-on', 'severe'])).code).toBe(2);
  });
});

describe('CLI: environment passwords', () => {
  it('PGPASSWORD and MYSQL_PWD join the redaction net before anything connects', async () => {
    const pg = 'Env-Pg-Pw-7q2w9e';
    const my = 'Env-My-Pw-4r8t1y';
    expect(redact(`x ${pg} ${my}`)).toBe(`x ${pg} ${my}`);
    vi.stubEnv('PGPASSWORD', pg);
    vi.stubEnv('MYSQL_PWD', my);
    try {
      const run = await runCli(['scan', 'postgres://nobody@127.0.0.1:1/x', '--connect-timeout', '2s']);
      expect(run.code).toBe(2);
    } finally {
      vi.unstubAllEnvs();
    }
    expect(redact(`x ${pg} ${my}`)).toBe('x [REDACTED] [REDACTED]');
  });
});

describe('CLI: errors', () => {
  it('an internal error exits 3 with one line, the stack only with --debug', async () => {
    const path = cleanStore('internal.db');
    hooks.wrap = (a) => ({
      ...a,
      dialect: a.dialect,
      connect: () => a.connect(),
      close: () => a.close(),
      blobRows: (cb) => a.blobRows(cb),
      collectFacts: async () => {
        const e = new RangeError('Invalid string length') as RangeError & { code?: string };
        e.code = 'ERR_STRING_TOO_LONG';
        throw e;
      },
    });
    const r = await runCli(['scan', path]);
    expect(r.code).toBe(3);
    expect(lines(r.stderr)).toEqual([
      'qrtz-audit: internal error: ERR_STRING_TOO_LONG: Invalid string length (run with --debug for details)',
    ]);
    const d = await runCli(['scan', path, '--debug']);
    expect(d.code).toBe(3);
    expect(d.stderr).toMatch(/\n\s+at /);
  });

  it('names from the database reach stderr with ESC and bidi controls made visible', async () => {
    hooks.connectError = noTablesError('database "jobs"', 'QRTZ_', [
      { schema: 'evil\u001b]0;owned\u0007\u001b[2J', prefix: 'qrtz\u202e_' },
    ]);
    const r = await runCli(['scan', 'postgres://auditor@127.0.0.1:1/jobs']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(RAW);
    expect(r.stderr).toContain('Quartz-looking tables found at: evil\\x1b]0;owned\\x07\\x1b[2J.qrtz\\u202e_');
    expect(lines(r.stderr)).toHaveLength(1);
    hooks.connectError = new UserError('auth', 'password authentication failed for user "a\u001b[31m\u2066b"');
    const a = await runCli(['scan', 'postgres://auditor@127.0.0.1:1/jobs']);
    expect(a.stderr).not.toMatch(RAW);
    expect(a.stderr).toContain('a\\x1b[31m\\u2066b');
  });

  it('a password that is a common word does not blank that word in errors', async () => {
    hooks.connectError = new UserError('auth', 'login failed (wrong user, host or password)');
    const r = await runCli(['scan', 'postgres://auditor:host@127.0.0.1:1/jobs']);
    // the password in the URL draws its one warning line first (issue #17 part 6)
    expect(lines(r.stderr)).toEqual([URL_PASSWORD_WARNING, 'qrtz-audit: login failed (wrong user, host or password)']);
    expect(hooks.closed).toBe(1); // the failed client is closed, never left to hang the process
  });
});

describe('CLI: incomplete audit end to end (SQLite)', () => {
  /** The real SQLite adapter, except that QRTZ_TRIGGERS is reported unreadable (as on a lock timeout). */
  const lockTriggers = (a: Adapter): Adapter => ({
    dialect: a.dialect,
    connect: () => a.connect(),
    close: () => a.close(),
    collectFacts: () => a.collectFacts(),
    async *blobRows(onUnreadable?: (u: Unreadable) => void) {
      let told = false;
      for await (const row of a.blobRows(onUnreadable)) {
        if (row.table === 'TRIGGERS') {
          if (!told)
            onUnreadable?.({
              what: 'blobs.TRIGGERS',
              reason: 'database is locked',
              table: row.tableName,
              cause: 'lock-timeout',
            });
          told = true;
          continue;
        }
        yield row;
      }
      if (!told)
        onUnreadable?.({
          what: 'blobs.TRIGGERS',
          reason: 'database is locked',
          table: 'QRTZ_TRIGGERS',
          cause: 'lock-timeout',
        });
    },
  });

  it('exits 4, writes the report in every format saying it is incomplete; --allow-incomplete exits 0', async () => {
    const path = cleanStore('incomplete.db');
    hooks.wrap = lockTriggers;
    const out = join(dir, 'r.json');
    const r = await runCli([
      'scan',
      path,
      '--only',
      'blobs',
      '--fail-on',
      'critical',
      '--format',
      'json',
      '--output',
      out,
    ]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('INCOMPLETE');
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    expect(report.summary.exitCode).toBe(4);
    expect(report.summary.incomplete).toBe(true);
    expect(report.summary.incompleteChecks).toContain('QA-B02');
    expect(report.unreadable.map((u) => u.table)).toContain('QRTZ_TRIGGERS');
    const b02 = report.findings.find((f) => f.check === 'QA-B02');
    expect(b02?.status).toBe('not-evaluated');
    expect(b02?.message).toContain('QRTZ_TRIGGERS');
    expect(report.inventory.blobs?.rows).toBe(1); // the job row was still read and evaluated
    for (const format of ['sarif', 'junit', 'html', 'table']) {
      const f = await runCli(['scan', path, '--only', 'blobs', '--fail-on', 'critical', '--format', format]);
      expect(f.code, format).toBe(4);
      expect(f.stdout, format).toMatch(/incomplete/i);
    }
    const allowed = await runCli(['scan', path, '--only', 'blobs', '--fail-on', 'critical', '--allow-incomplete']);
    expect(allowed.code).toBe(0);
    expect((JSON.parse(allowed.stdout) as Report).summary.incomplete).toBe(true);
  });
});

describe('every --option named in a check text, a remediation or the README exists', () => {
  it('no text names an option the CLI does not have', () => {
    // Every option of every command, as the CLI registers them.
    const program = new Command('qrtz-audit');
    const io = { stdout: () => {}, stderr: () => {} } as unknown as Io;
    registerScan(program, io, () => {});
    registerDemo(program, io, () => {});
    registerInspectBlob(program, io, () => {});
    registerGrantsScript(program, io, () => {});
    registerConfig(program, io, () => {});
    registerInit(program, io, () => {});
    const known = new Set([
      ...program.commands.flatMap((c) => c.options.map((o) => o.long as string)),
      '--debug',
      '--help',
      '--version',
      '--keep',
      '--hex',
      '--base64',
      '--max-depth',
      '--no-color',
      '--dialect', // qrtz-audit checks --dialect
    ]);
    const texts: [string, string][] = [];
    for (const c of allChecks) {
      texts.push([`${c.meta.id} title`, c.meta.title], [`${c.meta.id} remediation`, c.meta.remediation]);
    }
    // Every source file: finding messages and remediations are built there.
    const root = new URL('../../', import.meta.url);
    for (const top of ['src']) {
      for (const f of readdirSync(new URL(top, root), { recursive: true }) as string[]) {
        if (f.endsWith('.ts')) texts.push([`${top}/${f}`, readFileSync(new URL(`${top}/${f}`, root), 'utf8')]);
      }
    }
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    // Options of other tools the texts mention (the mysql client, docker, npm, the fuzz script).
    const foreign = new Set([
      '--ssl-mode',
      '--wait',
      '--minutes',
      '--seed',
      '--rows',
      '--json',
      '--cpu-prof',
      '--max-semi-space-size',
      // node / V8 flags of the GC measurements (README "Measured").
      '--trace-gc-nvp',
      '--no-allocation-site-pretenuring',
      '--heap-growing-percent', // V8's, set while a --workers pool runs (src/scan/workers.ts)
      '--single-threaded', // node's, and valgrind's --tool, for the cachegrind counts (README "Measured")
      '--tool',
      '--trace-gc',
      '--roles', // bench/catalog.ts, with --engine
      '--passes', // bench/store.ts, with --dist
      '--dist',
      '--check', // scripts/decode-golden.ts, with --write and --list
      '--write',
      '--list',
      '--engine',
      // docker run / npm prune (README "Container image and GitHub Action"), the SARIF multitool.
      '--rm',
      '--read-only',
      '--tmpfs',
      '--network',
      '--user',
      '--omit',
      '--rule-kind',
    ]);
    for (const [where, text] of [...texts, ['README', readme] as [string, string]]) {
      for (const m of text.matchAll(/(?<![\w-])(--[a-z][a-z0-9-]+)/g)) {
        const flag = m[1] as string;
        if (foreign.has(flag)) continue;
        expect(known, `${where} names ${flag}`).toContain(flag);
      }
    }
  });
});
