import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { a01 } from '../../../src/checks/audit/a01-audit-log.js';
import { e01 } from '../../../src/checks/encryption/e01-at-rest.js';
import { f01 } from '../../../src/checks/grants/f01-file-permissions.js';
import { h01, h02, h03, h04, h05 } from '../../../src/checks/scheduler/index.js';
import { u01 } from '../../../src/checks/updates/index.js';
import { createSqliteAdapter, isStockTrigger, sqlitePathFromUrl } from '../../../src/dialects/sqlite/index.js';
import { evaluateCheck, runScan } from '../../../src/engine.js';
import { UserError } from '../../../src/errors.js';
import type { BlobRow, Facts } from '../../../src/model.js';
import { checkOptions } from '../../../src/model.js';
import { simulatedAbsent } from '../../support/mariadb-server.js';
import { connectOptions, MIN, makeStore, tempDir } from './helpers.js';

const opts = checkOptions({ maxBlobSize: 1 << 20 });
const dirs: string[] = [];
function store(o: Parameters<typeof makeStore>[1] = {}, name = 'quartz.db'): { dir: string; path: string } {
  const dir = tempDir();
  dirs.push(dir);
  chmodSync(dir, 0o700);
  const path = join(dir, name);
  makeStore(path, o);
  chmodSync(path, 0o600);
  return { dir, path };
}
afterAll(() => {
  for (const d of dirs) execFileSync('rm', ['-rf', d]);
});

async function scanFacts(url: string, over: Record<string, unknown> = {}): Promise<{ facts: Facts; rows: BlobRow[] }> {
  const a = createSqliteAdapter(connectOptions(url, over));
  await a.connect();
  try {
    const facts = await a.collectFacts();
    const rows: BlobRow[] = [];
    try {
      for await (const r of a.blobRows()) rows.push(r);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
    }
    return { facts, rows };
  } finally {
    await a.close();
  }
}

describe('SQLite URLs', () => {
  it('accepts sqlite:PATH, sqlite://PATH, sqlite:///ABS and bare paths', () => {
    expect(sqlitePathFromUrl('sqlite:/var/x.db')).toBe('/var/x.db');
    expect(sqlitePathFromUrl('sqlite:///var/x.db')).toBe('/var/x.db');
    expect(sqlitePathFromUrl('sqlite://data/x.db')).toBe(join(process.cwd(), 'data/x.db'));
    expect(sqlitePathFromUrl('/var/a%20b.sqlite')).toBe('/var/a%20b.sqlite');
    expect(sqlitePathFromUrl('sqlite:/var/a%20b.sqlite')).toBe('/var/a b.sqlite');
    expect(() => sqlitePathFromUrl('sqlite:')).toThrow(UserError);
  });
  it('a missing file is a one-line UserError', async () => {
    const a = createSqliteAdapter(connectOptions('/nonexistent/dir/q.db'));
    await expect(a.connect()).rejects.toThrow(/no such SQLite file/);
  });
  it('a file without Quartz tables lists Quartz-looking prefixes', async () => {
    const { path } = store({ prefix: 'SCHED_' });
    await expect(createSqliteAdapter(connectOptions(path)).connect()).rejects.toThrow(/SCHED_/);
  });
});

describe('SQLite adapter on a Quartz.NET store', () => {
  it('discovers the 11 tables, ignores the 4 stock triggers, reads blobs read-only', async () => {
    const { path } = store();
    const before = createHash('sha256').update(readFileSync(path)).digest('hex');
    const mtime = statSync(path).mtimeMs;
    const { facts, rows } = await scanFacts(`sqlite:${path}`);
    expect(facts.tables).toHaveLength(11);
    expect(facts.missingTables).toEqual([]);
    expect(facts.tamper).toEqual([]);
    expect(facts.server.product).toBe('SQLite');
    expect(facts.sqlite?.header.plaintext).toBe(true);
    const jobs = rows.filter((r) => r.table === 'JOB_DETAILS');
    expect(jobs.map((r) => r.key.name).sort()).toEqual(['clean', 'native', 'nodata']);
    const native = jobs.find((r) => r.key.name === 'native');
    expect(native?.jobClassName).toBe('Quartz.Job.NativeJob, Quartz.Jobs');
    expect(native?.description).toBe('nightly export');
    expect(native?.bytes?.toString()).toContain('curl');
    expect(jobs.find((r) => r.key.name === 'nodata')?.bytes).toBeNull();
    expect(rows.filter((r) => r.table === 'TRIGGERS')).toHaveLength(4);
    // nothing written: same bytes, same mtime, no journal left behind
    expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(before);
    expect(statSync(path).mtimeMs).toBe(mtime);
    expect(existsSync(`${path}-journal`)).toBe(false);
  });

  it('bounds blob bytes by maxBlobSize and reports the full size', async () => {
    const { path } = store();
    const { rows } = await scanFacts(path, { maxBlobSize: 8 });
    const native = rows.find((r) => r.key.name === 'native');
    expect(native?.bytes?.length).toBe(8);
    expect(native?.size).toBeGreaterThan(40);
  });

  it('reads SIMPROP_TRIGGERS string properties as text columns (no blob, not in the inventory)', async () => {
    const { path } = store({
      extraSql:
        "INSERT INTO QRTZ_SIMPROP_TRIGGERS (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP, STR_PROP_1, STR_PROP_3) VALUES ('Sched', 'late', 'DEFAULT', 'every 5 minutes', 'x');",
    });
    const { rows } = await scanFacts(path);
    const sp = rows.filter((r) => r.table === 'SIMPROP_TRIGGERS');
    expect(sp.map((r) => [r.key, r.column, r.bytes, r.textColumns])).toEqual([
      [
        { sched: 'Sched', group: 'DEFAULT', name: 'late' },
        'STR_PROP',
        null,
        { STR_PROP_1: 'every 5 minutes', STR_PROP_2: null, STR_PROP_3: 'x' },
      ],
    ]);
  });

  it('reads scheduler state in .NET ticks and drives H01–H05', async () => {
    const { path } = store();
    const { facts } = await scanFacts(path);
    const s = facts.scheduler;
    expect(s?.timeUnit).toBe('dotnet-ticks');
    expect(s?.timeUnitEvidence).toContain('START_TIME');
    expect(Math.abs((s?.nowMs ?? 0) - Date.now())).toBeLessThan(5 * MIN);
    expect(s?.errorTriggers.rows.map((t) => t.name)).toEqual(['broken']);
    expect(s?.triggerStates).toEqual({ ERROR: 1, WAITING: 2, PAUSED: 1 });
    expect(evaluateCheck(h01, facts, opts)?.map((d) => d.status)).toEqual(['fail']);
    expect(evaluateCheck(h02, facts, opts)?.map((d) => d.object.rowKey)).toEqual(['Sched/DEFAULT.late']);
    expect(evaluateCheck(h03, facts, opts)?.map((d) => d.object.rowKey)).toEqual(['Sched/node-a']);
    expect(evaluateCheck(h04, facts, opts)?.map((d) => d.discriminator)).toEqual(['node-a-1']);
    expect(evaluateCheck(h05, facts, opts)?.map((d) => d.status)).toEqual(['info', 'info']);
    expect(facts.quartzSchemaColumns).toContain('TRIGGERS.PREFERRED_NODE');
    expect(evaluateCheck(u01, facts, opts)?.[0]?.message).toContain('3.19');
  });

  it('detects Java Quartz Unix-millisecond times', async () => {
    const { path } = store({ unit: 'ms' });
    const { facts } = await scanFacts(path);
    expect(facts.scheduler?.timeUnit).toBe('unix-ms');
    expect(evaluateCheck(h02, facts, opts)?.[0]?.evidence?.overdueMinutes).toBe(180);
  });

  it('matches the prefix case-insensitively and reports real names', async () => {
    const { path } = store({ prefix: 'qrtz_' });
    const { facts } = await scanFacts(path);
    expect(facts.tables.map((t) => t.name)).toContain('qrtz_JOB_DETAILS');
    expect(facts.tamper).toEqual([]);
  });

  it('reports non-stock triggers and stock-named triggers with a changed body as tamper', async () => {
    const { path } = store({
      extraSql: `
        CREATE TRIGGER QRTZ_REWRITE AFTER UPDATE ON QRTZ_JOB_DETAILS BEGIN
          UPDATE QRTZ_JOB_DETAILS SET JOB_CLASS_NAME = 'Quartz.Job.NativeJob, Quartz.Jobs' WHERE JOB_NAME = NEW.JOB_NAME;
        END;
        DROP TRIGGER DELETE_CRON_TRIGGER;
        CREATE TRIGGER DELETE_CRON_TRIGGER DELETE ON QRTZ_TRIGGERS BEGIN
          INSERT INTO QRTZ_JOB_DETAILS SELECT * FROM QRTZ_JOB_DETAILS WHERE 0;
        END;
        CREATE TABLE AUDIT_X (a);
        CREATE TRIGGER SIDE AFTER INSERT ON AUDIT_X BEGIN DELETE FROM QRTZ_LOCKS; END;`,
    });
    const { facts } = await scanFacts(path);
    expect(facts.tamper.map((t) => t.name).sort()).toEqual(['DELETE_CRON_TRIGGER', 'QRTZ_REWRITE', 'SIDE']);
  });

  it('recognizes the stock trigger text', () => {
    const stock =
      'CREATE TRIGGER DELETE_SIMPLE_TRIGGER DELETE ON QRTZ_TRIGGERS\nBEGIN\n\tDELETE FROM QRTZ_SIMPLE_TRIGGERS WHERE SCHED_NAME=OLD.SCHED_NAME AND TRIGGER_NAME=OLD.TRIGGER_NAME AND TRIGGER_GROUP=OLD.TRIGGER_GROUP;\nEND';
    expect(isStockTrigger('DELETE_SIMPLE_TRIGGER', stock, 'QRTZ_')).toBe(true);
    expect(isStockTrigger('DELETE_SIMPLE_TRIGGER', stock.replace('SIMPLE_TRIGGERS', 'JOB_DETAILS'), 'QRTZ_')).toBe(
      false,
    );
    expect(isStockTrigger('OTHER', stock, 'QRTZ_')).toBe(false);
  });
});

describe('QA-F01 file permissions on real files', () => {
  async function f01Of(path: string) {
    const { facts } = await scanFacts(path);
    return evaluateCheck(f01, facts, opts) ?? [];
  }
  it('passes 0600 file in a 0700 directory', async () => {
    const { path } = store();
    const d = await f01Of(path);
    expect(d.map((x) => x.status)).toEqual(['pass']);
  });
  it('world-writable is high, world-readable medium, group-writable medium', async () => {
    const { path } = store();
    chmodSync(path, 0o666);
    expect((await f01Of(path)).map((x) => [x.status, x.severity])).toEqual([['fail', 'high']]);
    chmodSync(path, 0o644);
    expect((await f01Of(path)).map((x) => x.severity)).toEqual(['medium']);
    chmodSync(path, 0o620);
    const g = await f01Of(path);
    expect(g.map((x) => x.severity)).toEqual(['medium']);
    expect(g[0]?.message).toContain('group-writable');
  });
  it('quotes a hostile file name in the shell remediation (one command, nothing injected)', async () => {
    const { path } = store({}, "x'; touch pwned; '.db");
    chmodSync(path, 0o666);
    const [f] = await f01Of(path);
    expect(f?.remediation).toContain(`'${path.replace(/'/g, "'\\''")}'`);
    expect(f?.remediation).toMatch(/^chown -- \S+ '/);
  });
  it('checks the sidecars and the directory', async () => {
    const { dir, path } = store();
    writeFileSync(`${path}-wal`, '');
    chmodSync(`${path}-wal`, 0o644);
    chmodSync(dir, 0o777);
    const d = await f01Of(path);
    expect(d.map((x) => [x.discriminator, x.severity]).sort()).toEqual([
      ['directory', 'high'],
      ['wal', 'medium'],
    ]);
    chmodSync(dir, 0o700);
  });
  it.skipIf(process.getuid?.() !== 0)('flags a file owned by another user (needs root to chown)', async () => {
    const { path } = store();
    chownSync(path, 65534, 65534);
    const d = await f01Of(path);
    expect(d[0]?.message).toContain('not by the service account');
  });
});

const requireCipher = (process.env.QRTZ_REQUIRE_DB ?? '').includes('sqlcipher');
const hasCipher = (() => {
  if (simulatedAbsent('sqlcipher')) return false;
  try {
    execFileSync('sqlcipher', ['-version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasCipher && requireCipher) throw new Error('QRTZ_REQUIRE_DB names sqlcipher but the sqlcipher binary is absent');
if (!hasCipher) console.warn('[skip] SQLCipher tests: the sqlcipher binary is absent (apt-get install sqlcipher)');

describe.skipIf(!hasCipher)('SQLCipher-encrypted store', () => {
  it('E01 passes, tables and blobs are not-evaluated with the reason, F01 still runs', async () => {
    const dir = tempDir();
    dirs.push(dir);
    chmodSync(dir, 0o700);
    const path = join(dir, 'enc.db');
    execFileSync('sqlcipher', [path], {
      input:
        "PRAGMA key = 'demo-key-123';\nCREATE TABLE QRTZ_LOCKS (SCHED_NAME TEXT, LOCK_NAME TEXT);\nINSERT INTO QRTZ_LOCKS VALUES ('s','TRIGGER_ACCESS');\n",
    });
    chmodSync(path, 0o644);
    expect(readFileSync(path).subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
    const a = createSqliteAdapter(connectOptions(path, { extra: { sqlcipherKeyEnv: 'QRTZ_KEY' } }));
    await a.connect();
    const result = await runScan(a, {
      families: new Set(['grants', 'encryption', 'audit', 'content', 'scheduler', 'updates']),
      checkOptions: opts,
    });
    await a.close();
    const by = (id: string) => result.findings.filter((f) => f.check === id);
    expect(by('QA-E01').map((f) => f.status)).toEqual(['pass']);
    expect(by('QA-F01').map((f) => f.severity)).toEqual(['medium']);
    expect(by('QA-H01')[0]?.status).toBe('not-evaluated');
    expect(by('QA-H01')[0]?.message).toContain('--sqlcipher-key-env QRTZ_KEY');
    expect(by('QA-J01')[0]?.status).toBe('not-evaluated');
    expect(by('QA-A01')[0]?.status).toBe('not-applicable');
    expect(JSON.stringify(result.findings)).not.toContain('demo-key-123');
  });
});

describe('SQLite audit/encryption checks', () => {
  it('E01 fails plaintext unless attested; A01 is not-applicable', async () => {
    const { path } = store();
    const { facts } = await scanFacts(path);
    expect(evaluateCheck(e01, facts, opts)?.[0]?.status).toBe('fail');
    facts.attestations['at-rest'] = 'LUKS volume, ticket SEC-1';
    expect(evaluateCheck(e01, facts, opts)?.[0]?.status).toBe('pass');
    expect(evaluateCheck(a01, facts, opts)?.[0]?.status).toBe('not-applicable');
  });
});

describe('hostile or damaged files', () => {
  function file(name: string, bytes: Buffer): string {
    const dir = tempDir();
    dirs.push(dir);
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  }
  const magic = Buffer.from('SQLite format 3\u0000', 'latin1');

  it('a non-page-sized file without the magic is not a database', async () => {
    const path = file('x.db', Buffer.alloc(1000, 7));
    await expect(createSqliteAdapter(connectOptions(path)).connect()).rejects.toThrow(/not a SQLite database/);
  });
  it('an empty file is refused', async () => {
    await expect(createSqliteAdapter(connectOptions(file('e.db', Buffer.alloc(0)))).connect()).rejects.toThrow(/empty/);
  });
  it('magic followed by garbage is damaged, not encrypted', async () => {
    const bytes = Buffer.concat([magic, Buffer.alloc(4096 - 16, 0xa5)]);
    bytes[20] = 0; // no reserved bytes: a plain SQLite header whose pages are garbage
    await expect(createSqliteAdapter(connectOptions(file('d.db', bytes))).connect()).rejects.toThrow(
      /damaged|not a SQLite|malformed/i,
    );
  });
  it('magic with reserved bytes per page and unreadable pages reads as SQLCipher plaintext-header mode', async () => {
    const bytes = Buffer.concat([magic, Buffer.alloc(4096 - 16, 0x5a)]);
    bytes.writeUInt16BE(4096, 16);
    bytes[18] = 1;
    bytes[19] = 1;
    bytes[20] = 48;
    const path = file('p.db', bytes);
    const a = createSqliteAdapter(connectOptions(path));
    try {
      await a.connect();
      const facts = await a.collectFacts();
      expect(evaluateCheck(e01, facts, opts)?.[0]?.message).toContain('plaintext header');
    } catch (err) {
      // Some SQLite builds reject the header outright: then it must be a clean one-line error.
      expect(err).toBeInstanceOf(UserError);
    } finally {
      await a.close();
    }
  });
  it('a truncated store fails with a clear error or reads what is there, never an internal error', async () => {
    const { path } = store();
    const full = readFileSync(path);
    writeFileSync(path, full.subarray(0, Math.floor(full.length / 2 / 4096) * 4096 || 4096));
    try {
      const { facts } = await scanFacts(path);
      expect(facts.tables.length).toBeGreaterThan(0);
    } catch (err) {
      expect(err).toBeInstanceOf(UserError);
    }
  });
});
