/**
 * The SQL Server adapter over the knex connection layer, without a server: knex's own mssql client is
 * used as it is, over a fake tedious connection (test/support/fake-tedious.ts) that records every
 * request (batch or sp_executesql, text, typed parameters) and answers with fixture rows shaped as the
 * catalog returns them. What is checked is what the adapter builds and sends: the tedious configuration
 * (encrypt, trustServerCertificate, read-only intent, application name, request timeout), a pool of one
 * connection per target, the SET statements of afterCreate sent as a batch of their own before the first
 * audit statement, the query files run with their named inputs bound as typed parameters, and the
 * connection closed afterwards. A real server is the container suite's (container.test.ts).
 */
import knexFactory from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectOptions } from '../../../src/dialect.js';
import { knexConfig, mssqlNamedToKnex, openConnection, runSql, toKnexRaw } from '../../../src/dialects/connection.js';
import { connectionLost, parseConnectionStringTarget } from '../../../src/dialects/mssql/connection.js';
import { createMssqlAdapter, mssqlConnectionSettings } from '../../../src/dialects/mssql/index.js';
import { type BlobRow, FAMILIES } from '../../../src/model.js';
import { ROWS } from '../../fixtures/mssql/catalog-rows.js';
import { fakeTedious, fileOf, RESET } from '../../support/fake-tedious.js';

type AfterCreate = (conn: unknown, done: (err: Error | null) => void) => void;

const options = (extra: Partial<ConnectOptions> = {}): ConnectOptions => ({
  url: 'mssql://quartz_login:Fake-Pw-31@db.example:1433/quartz?encrypt=true&trustServerCertificate=true&ApplicationIntent=ReadOnly',
  tablePrefix: 'QRTZ_',
  allowPrincipals: [],
  families: new Set(FAMILIES),
  statementTimeoutMs: 12_000,
  lockTimeoutMs: 1_500,
  connectTimeoutMs: 4_000,
  maxBlobSize: 1024,
  attestations: {},
  ...extra,
});

describe('the knex configuration the SQL Server adapter builds', () => {
  it('client mssql, a pool of one per target, tedious options as the connection string asked', () => {
    const target = parseConnectionStringTarget(
      'Server=tcp:db.example,1444;Initial Catalog=quartz;User Id=quartz_login;Password=Cs-Pw-9;Encrypt=Strict;TrustServerCertificate=False;Application Name=nightly-audit;ApplicationIntent=ReadOnly;HostNameInCertificate=db.internal',
      { statementTimeoutMs: 9_000, connectTimeoutMs: 3_000 },
    );
    const s = mssqlConnectionSettings(target, 2_500);
    expect(s.pool).toMatchObject({ max: 1 });
    expect(s.session).toEqual({ statementTimeoutMs: 9_000, lockTimeoutMs: 2_500, applicationName: 'nightly-audit' });
    const cfg = knexConfig(s.target, s.session, s.pool);
    expect(cfg.client).toBe('mssql');
    const pool = cfg.pool as { min: number; max: number; afterCreate: unknown };
    expect(pool).toMatchObject({ min: 0, max: 1 });
    expect(typeof pool.afterCreate).toBe('function');
    expect(cfg.connection).toMatchObject({
      server: 'db.example',
      port: 1444,
      database: 'quartz',
      user: 'quartz_login',
      password: 'Cs-Pw-9',
      connectionTimeout: 3_000,
      requestTimeout: 9_000,
      options: {
        encrypt: 'strict',
        trustServerCertificate: false,
        appName: 'nightly-audit',
        readOnlyIntent: true,
        serverName: 'db.internal',
        abortTransactionOnError: true,
      },
    });
  });

  it('afterCreate sends LOCK_TIMEOUT, DEADLOCK_PRIORITY LOW and READ COMMITTED as one batch, and a failure refuses the connection', async () => {
    const target = parseConnectionStringTarget('Server=db;User Id=u;Password=p', {});
    const s = mssqlConnectionSettings(target, 1_234);
    const afterCreate = (knexConfig(s.target, s.session, s.pool).pool as { afterCreate: AfterCreate }).afterCreate;
    const batches: string[] = [];
    const conn = {
      execSqlBatch(req: { sqlTextOrProcedure: string; callback(err?: Error): void }) {
        batches.push(req.sqlTextOrProcedure);
        setImmediate(() => req.callback(batches.length > 1 ? new Error('permission denied') : undefined));
      },
    };
    const first = await new Promise<Error | null>((r) => afterCreate(conn, (err: Error | null) => r(err)));
    expect(first).toBeNull();
    const statements = (batches[0] ?? '')
      .split('\n')
      .filter((l) => !l.startsWith('--'))
      .join(' ')
      .replace(/\s*;\s*/g, '; ')
      .trim();
    expect(statements).toBe(
      'SET LOCK_TIMEOUT 1234; SET DEADLOCK_PRIORITY LOW; SET TRANSACTION ISOLATION LEVEL READ COMMITTED',
    );
    const second = await new Promise<Error | null>((r) => afterCreate(conn, (err: Error | null) => r(err)));
    expect(second?.message).toBe('permission denied');
  });
  it("each target's knex client has its own request queue (knex 3 shares one on the prototype)", async () => {
    const s = mssqlConnectionSettings(parseConnectionStringTarget('Server=db;User Id=u;Password=p', {}), 1_000);
    const a = openConnection(s.target, s.session, s.pool);
    const b = openConnection(s.target, s.session, s.pool);
    const queue = (c: typeof a) => (c.knex.client as { requestQueue: unknown[] }).requestQueue;
    expect(Object.hasOwn(a.knex.client, 'requestQueue')).toBe(true);
    expect(queue(a)).not.toBe(queue(b));
    await Promise.all([a.destroy(), b.destroy()]);
  });
});

describe('named inputs → knex bindings (SQL Server)', () => {
  it('each use of @name becomes one ?, @@ functions, comments, literals and [names] stay as they are', () => {
    const sql = [
      "-- @k3 unused here; what? (k1 = 'x')",
      "SELECT @k1 AS a, N'@k2 ?' AS lit, [col@k1?]] x] AS q, @@SPID AS spid /* @max /* nested @k2 */ ? */",
      'WHERE @first = 1 OR k > @K1 AND @k2 IS NOT NULL',
    ].join('\n');
    const q = mssqlNamedToKnex(sql, { first: true, k1: 'a', k2: 'b' });
    expect(q.bindings).toEqual(['a', true, 'a', 'b']);
    expect(q.sql).toBe(
      [
        "-- @k3 unused here; what\\? (k1 = 'x')",
        "SELECT ? AS a, N'@k2 \\?' AS lit, [col@k1\\?]] x] AS q, @@SPID AS spid /* @max /* nested @k2 */ \\? */",
        'WHERE ? = 1 OR k > ? AND ? IS NOT NULL',
      ].join('\n'),
    );
  });

  it('an input without a value, or a value no statement uses, is an error (never a NULL or a dropped input)', () => {
    expect(() => mssqlNamedToKnex('SELECT @a, @b', { a: 1 })).toThrow(/@b has no value/);
    expect(() => mssqlNamedToKnex('SELECT @a', { a: 1, z: 2 })).toThrow(/never used.*@z/);
    expect(() => toKnexRaw('mssql', 'SELECT @a', [1])).toThrow(/named inputs/);
    expect(() => toKnexRaw('postgres', 'SELECT $1', { a: 1 })).toThrow(/positional/);
  });

  it("knex's mssql client sends them as typed sp_executesql parameters: nvarchar, bit, int", async () => {
    const fake = fakeTedious(() => [{ one: 1 }]);
    const target = parseConnectionStringTarget('Server=db;User Id=u;Password=p', {});
    const s = mssqlConnectionSettings(target, 1_000);
    const db = knexFactory(knexConfig(s.target, s.session, s.pool));
    try {
      const rows = await runSql(db, 'mssql', "SELECT 1 AS one WHERE @first = 1 OR @k1 > N'?' OR LEN(@k1) < @max", {
        first: false,
        k1: "x'); DROP TABLE t; --",
        max: 4096,
      });
      expect(rows).toEqual([{ one: 1 }]);
      const q = fake.sent.find((x) => x.kind === 'execSql');
      expect(q?.sql).toBe("SELECT 1 AS one WHERE @p0 = 1 OR @p1 > N'?' OR LEN(@p2) < @p3");
      expect(q?.params).toEqual([
        { name: 'p0', type: 'Bit', value: false },
        { name: 'p1', type: 'NVarChar', value: "x'); DROP TABLE t; --" },
        { name: 'p2', type: 'NVarChar', value: "x'); DROP TABLE t; --" },
        { name: 'p3', type: 'Int', value: 4096 },
      ]);
    } finally {
      await db.destroy();
      fake.restore();
    }
  });
});

describe('the SQL Server adapter through knex (fake tedious connection, fixture rows)', () => {
  let fake: ReturnType<typeof fakeTedious>;
  const jobs = [
    {
      SCHED_NAME: 'S',
      JOB_NAME: 'j1',
      JOB_GROUP: 'g',
      JOB_CLASS_NAME: 'Acme.Job, Acme',
      size: 3,
      bytes: Buffer.from('abc'),
    },
  ];
  beforeEach(() => {
    fake = fakeTedious((file, s) => {
      if (file === 'blob-job-details') return s.params.find((p) => p.type === 'Bit')?.value === true ? jobs : [];
      if (file.startsWith('blob-')) return [];
      if (file === 'server-audits') return Object.assign(new Error('VIEW SERVER STATE denied'), { number: 297 });
      return ROWS[file] ?? [];
    });
  });
  afterEach(() => fake.restore());

  it('one hardened connection for the whole audit; files run with typed named inputs; closed at the end', async () => {
    const adapter = createMssqlAdapter(options());
    expect(adapter.capabilities).toEqual({ viaConnectionLayer: true });
    await adapter.connect();
    const facts = await adapter.collectFacts();
    const blobs: BlobRow[] = [];
    for await (const b of adapter.blobRows()) blobs.push(b);
    await adapter.close();

    expect(fake.opened()).toBe(1);
    expect(fake.closed()).toBe(1);
    expect(fake.configs[0]).toMatchObject({
      server: 'db.example',
      options: {
        database: 'quartz',
        port: 1433,
        encrypt: true,
        trustServerCertificate: true,
        readOnlyIntent: true,
        appName: 'qrtz-audit',
        requestTimeout: 12_000,
        connectTimeout: 4_000,
      },
      authentication: { type: 'default', options: { userName: 'quartz_login' } },
    });
    // afterCreate's batch comes first, then only sp_executesql statements.
    expect(fake.sent[0]?.kind).toBe('batch');
    expect(fake.sent[0]?.sql).toMatch(/SET LOCK_TIMEOUT 1500\s*;[\s\S]*SET DEADLOCK_PRIORITY LOW/);
    expect(fake.sent.slice(1).every((s) => s.kind === 'execSql')).toBe(true);
    expect(fileOf(fake.sent[1]?.sql ?? '')).toBe('server');

    const objects = fake.sent.find((s) => fileOf(s.sql) === 'quartz-objects');
    expect(objects?.sql).toContain('WHERE UPPER(o.name) IN (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10)');
    expect(objects?.params.map((p) => `${p.type}:${String(p.value)}`)).toContain('NVarChar:QRTZ_JOB_DETAILS');
    expect(objects?.sql).toMatch(/^-- set-isolation-read-committed\.sql/);

    // Content reads under SNAPSHOT (the fixture database allows it), with @first bit, keys nvarchar, @max int.
    const blob = fake.sent.find((s) => fileOf(s.sql) === 'blob-job-details');
    expect(blob?.sql).toMatch(/SET TRANSACTION ISOLATION LEVEL SNAPSHOT\s*;/);
    expect(blob?.sql).toContain('SUBSTRING(j.JOB_DATA, 1, @p0)');
    // @max, @first, @k1, @k1, @k2, @k2, @k3 in the order the file uses them (first batch: empty keys).
    expect(blob?.params.map((p) => [p.type, p.value])).toEqual([
      ['Int', 1024],
      ['Bit', true],
      ['NVarChar', ''],
      ['NVarChar', ''],
      ['NVarChar', ''],
      ['NVarChar', ''],
      ['NVarChar', ''],
    ]);
    const calendars = fake.sent.find((s) => fileOf(s.sql) === 'blob-calendars');
    expect(calendars?.params.map((p) => p.type)).toEqual(['Int', 'Bit', 'NVarChar', 'NVarChar', 'NVarChar']);

    expect(blobs.map((b) => [b.table, b.key.name, b.size])).toEqual([['JOB_DETAILS', 'j1', 3]]);
    expect(facts.dialect).toBe('mssql');
    expect(facts.tables.map((t) => t.logical)).toContain('JOB_DETAILS');
    expect(facts.unreadable).toContainEqual(
      expect.objectContaining({
        what: 'mssql.server-audits.error',
        reason: 'VIEW SERVER STATE denied',
        cause: 'privilege',
      }),
    );
    expect(JSON.stringify(fake.sent)).not.toContain('Fake-Pw-31');
  });
});

describe('a connection lost mid-statement (the session killed, the server gone)', () => {
  it('fails the statement with the socket error, and the pool closes it without waiting for an end that never comes', async () => {
    const fake = fakeTedious(() => RESET);
    const s = mssqlConnectionSettings(parseConnectionStringTarget('Server=db;User Id=u;Password=p', {}), 1_000);
    const conn = openConnection(s.target, s.session, s.pool);
    const pool = conn.knex.client.pool as unknown as { on(event: string, cb: (...args: unknown[]) => void): void };
    const destroyed: string[] = [];
    pool.on('destroySuccess', () => destroyed.push('success'));
    pool.on('destroyFail', (_id, _resource, err) => destroyed.push(`fail: ${(err as Error).message}`));
    try {
      const err = await runSql(conn.knex, 'mssql', 'SELECT 1 AS one', {}).then(
        () => undefined,
        (e: Error & { code?: string }) => e,
      );
      expect(err?.code).toBe('ECONNRESET');
      expect(connectionLost(err)).toBe(true);
      expect(fake.open()).toBe(0);
      // tedious emits 'end' once, when the connection is lost; knex's destroy must not wait for another one
      // (tarn would give up after its destroy timeout and report destroyFail)
      await conn.destroy();
      expect(destroyed).toEqual(['success']);
      expect(fake.opened()).toBe(1);
    } finally {
      fake.restore();
    }
  });
});
