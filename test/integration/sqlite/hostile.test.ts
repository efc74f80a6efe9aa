/**
 * Hostile SQLite JobStores (issue #9 parts 4/7): the adapter opens with SQLite's defensive settings, never creates
 * or changes files beside the database (a WAL-mode file is refused with the way out, or read as an opt-in
 * immutable snapshot), and never reads a view, virtual table or generated column under a Quartz name.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteAdapter, harden } from '../../../src/dialects/sqlite/index.js';
import { UserError } from '../../../src/errors.js';
import type { BlobRow, Facts, Unreadable } from '../../../src/model.js';
import { runCli } from '../../support/cli.js';
import { connectOptions, makeStore, tempDir } from './helpers.js';

const TSX = join(import.meta.dirname, '../../../node_modules/.bin/tsx');

const dirs: string[] = [];
function store(extraSql?: string, wal = false): { dir: string; path: string } {
  const dir = tempDir();
  dirs.push(dir);
  const path = join(dir, 'quartz.db');
  makeStore(path, extraSql ? { extraSql } : {});
  if (wal) {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.close(); // the last connection checkpoints and removes -wal/-shm: a WAL-mode file at rest
  }
  chmodSync(path, 0o600);
  return { dir, path };
}
afterAll(() => {
  for (const d of dirs) execFileSync('rm', ['-rf', d]);
});

async function scan(path: string, extra?: Record<string, string>): Promise<{ facts: Facts; rows: BlobRow[] }> {
  const a = createSqliteAdapter(connectOptions(path, extra ? { extra } : {}));
  await a.connect();
  try {
    const facts = await a.collectFacts();
    const rows: BlobRow[] = [];
    for await (const r of a.blobRows()) rows.push(r);
    return { facts, rows };
  } finally {
    await a.close();
  }
}

describe('SQLite: nothing is created beside the database', () => {
  it('a WAL-mode file without -wal/-shm is refused in one line naming --sqlite-immutable; nothing is created', async () => {
    const { dir, path } = store(undefined, true);
    expect(readdirSync(dir)).toEqual(['quartz.db']);
    const a = createSqliteAdapter(connectOptions(path));
    const err = await a.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    await a.close();
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/is in WAL mode without its -wal\/-shm files/);
    expect((err as Error).message).toContain('--sqlite-immutable');
    expect((err as Error).message).not.toContain('\n');
    expect(readdirSync(dir)).toEqual(['quartz.db']);
  });

  it('--sqlite-immutable reads a WAL-mode file fully and creates nothing beside it', async () => {
    const { dir, path } = store(undefined, true);
    const { facts, rows } = await scan(path, { sqliteImmutable: '1' });
    expect(facts.tables).toHaveLength(11);
    expect(rows.filter((r) => r.table === 'JOB_DETAILS').map((r) => r.key.name)).toEqual(
      expect.arrayContaining(['native', 'clean']),
    );
    expect(facts.scheduler?.triggerStates).toMatchObject({ WAITING: 2 });
    expect(readdirSync(dir)).toEqual(['quartz.db']);
  });

  it('a rollback-journal file is read without creating any file', async () => {
    const { dir, path } = store();
    await scan(path);
    expect(readdirSync(dir)).toEqual(['quartz.db']);
  });
});

describe('SQLite: defensive settings', () => {
  it('harden turns trusted_schema off, query_only and cell_size_check on, no mmap, defensive on', () => {
    const dir = tempDir();
    dirs.push(dir);
    const path = join(dir, 'x.db');
    new Database(path).exec('CREATE TABLE t(x)').close();
    const db = new Database(path, { readonly: true });
    try {
      harden(db);
      expect(db.pragma('trusted_schema', { simple: true })).toBe(0);
      expect(db.pragma('query_only', { simple: true })).toBe(1);
      expect(db.pragma('cell_size_check', { simple: true })).toBe(1);
      expect(db.pragma('mmap_size', { simple: true })).toBe(0);
      // Defensive mode: the schema cannot be made writable.
      expect(() => db.exec('PRAGMA writable_schema = ON; UPDATE sqlite_master SET sql = 1')).toThrow();
      // The SQL load_extension() is not available.
      expect(() => db.prepare("SELECT load_extension('/nonexistent/x')").get()).toThrow(/not authorized/);
    } finally {
      db.close();
    }
  });
});

describe('SQLite: hostile schemas are reported, not read', () => {
  it('a view in place of QRTZ_TRIGGERS is a not-a-table fact and its rows are never read', async () => {
    const { path } = store(
      "ALTER TABLE QRTZ_TRIGGERS RENAME TO QRTZ_TRIGGERS_REAL; CREATE VIEW QRTZ_TRIGGERS AS SELECT *, load_extension('/nonexistent/evil') AS x FROM QRTZ_TRIGGERS_REAL;",
    );
    const { facts, rows } = await scan(path);
    expect(facts.tamper).toContainEqual(
      expect.objectContaining({ kind: 'not-a-table', table: 'QRTZ_TRIGGERS', detail: expect.stringMatching(/^view/) }),
    );
    expect(facts.tables.map((t) => t.name)).not.toContain('QRTZ_TRIGGERS');
    expect(facts.unreadable).toContainEqual(
      expect.objectContaining({ what: 'table.TRIGGERS', table: 'QRTZ_TRIGGERS', cause: 'tamper' }),
    );
    expect(rows.filter((r) => r.table === 'TRIGGERS')).toEqual([]);
    expect(facts.scheduler?.triggerStates ?? {}).toEqual({});
  });

  it('a trigger on a Quartz table calling functions is a trigger fact', async () => {
    const { path } = store(
      "CREATE TRIGGER spy AFTER UPDATE ON QRTZ_JOB_DETAILS BEGIN SELECT load_extension('/nonexistent/evil'); END;",
    );
    const { facts } = await scan(path);
    expect(facts.tamper).toContainEqual(expect.objectContaining({ kind: 'trigger', name: 'spy' }));
  });

  it('a generated column in a Quartz table is reported and the table is not read', async () => {
    const { path } = store(
      "ALTER TABLE QRTZ_CALENDARS RENAME TO OLD_CAL; CREATE TABLE QRTZ_CALENDARS (SCHED_NAME TEXT NOT NULL, CALENDAR_NAME TEXT NOT NULL, RAW BLOB, CALENDAR BLOB GENERATED ALWAYS AS (zeroblob(length(RAW) * 1000)) VIRTUAL, PRIMARY KEY (SCHED_NAME, CALENDAR_NAME)); INSERT INTO QRTZ_CALENDARS (SCHED_NAME, CALENDAR_NAME, RAW) VALUES ('S', 'c', x'00');",
    );
    const { facts, rows } = await scan(path);
    expect(facts.tamper).toContainEqual(
      expect.objectContaining({ kind: 'column-type', table: 'QRTZ_CALENDARS', name: 'QRTZ_CALENDARS.CALENDAR' }),
    );
    expect(rows.filter((r) => r.table === 'CALENDARS')).toEqual([]);
  });
});

describe('SQLite: a locked database costs only what hit the lock', () => {
  it('a writer holding an exclusive lock: reads become unreadable (table, lock-timeout), the audit completes', async () => {
    const { path } = store();
    const a = createSqliteAdapter(connectOptions(path, { lockTimeoutMs: 50 }));
    await a.connect();
    const writer = new Database(path);
    writer.exec('BEGIN EXCLUSIVE');
    try {
      const facts = await a.collectFacts();
      const unreadable: Unreadable[] = [];
      const rows: BlobRow[] = [];
      for await (const r of a.blobRows((u) => unreadable.push(u))) rows.push(r);
      expect(rows).toEqual([]);
      expect(unreadable.map((u) => u.what)).toEqual(
        expect.arrayContaining(['blobs.JOB_DETAILS', 'blobs.TRIGGERS', 'blobs.CALENDARS']),
      );
      expect(unreadable.every((u) => u.cause === 'lock-timeout' && u.table)).toBe(true);
      const sched = facts.scheduler?.unreadable ?? [];
      expect(sched.some((u) => u.table === 'QRTZ_TRIGGERS' && u.cause === 'lock-timeout')).toBe(true);
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
      await a.close();
    }
  });
});

describe('SQLite WAL refusal through the CLI', () => {
  it('scan of a WAL-mode file: exit 2, one line with the way out; --sqlite-immutable scans it; nothing created', async () => {
    const { dir, path } = store(undefined, true);
    const refused = await runCli(['scan', `sqlite:${path}`, '--format', 'json']);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('--sqlite-immutable');
    const ok = await runCli(['scan', `sqlite:${path}`, '--sqlite-immutable', '--format', 'json']);
    expect([0, 1]).toContain(ok.code);
    expect(JSON.parse(ok.stdout).findings.length).toBeGreaterThan(0);
    expect(readdirSync(dir)).toEqual(['quartz.db']);
  });

  const unprivileged = process.getuid?.() === 0 && existsSync('/usr/bin/setpriv') && existsSync(TSX);
  if (!unprivileged) console.warn('[skip] SQLite read-only directory: needs root, setpriv and tsx to run as nobody');
  it.skipIf(!unprivileged)(
    'a WAL-mode file in a directory the auditor cannot write (as nobody): the one line, then an audit with --sqlite-immutable',
    () => {
      const { dir, path } = store(undefined, true);
      chmodSync(path, 0o644);
      chmodSync(dir, 0o755);
      const cli = join(import.meta.dirname, '../../../src/cli.ts');
      const asNobody = (...args: string[]) =>
        spawnSync('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', TSX, cli, ...args], {
          encoding: 'utf8',
          timeout: 60_000,
          env: { ...process.env, HOME: '/tmp' },
        });
      const refused = asNobody('scan', `sqlite:${path}`, '--format', 'json');
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain('--sqlite-immutable');
      const ok = asNobody('scan', `sqlite:${path}`, '--sqlite-immutable', '--format', 'json');
      expect([0, 1]).toContain(ok.status);
      expect(JSON.parse(ok.stdout).findings.length).toBeGreaterThan(0);
      expect(readdirSync(dir)).toEqual(['quartz.db']);
    },
    90_000,
  );
});
