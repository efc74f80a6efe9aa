/**
 * PostgreSQL for tests, in this order: a URL from QRTZ_TEST_PG_URL (an admin login on a server the
 * tests may create databases and roles on), a throwaway server (initdb + postgres in a temp dir on a
 * free port: needed anyway for settings like ssl or pgaudit), testcontainers when a Docker engine
 * answers, else a loud skip — or a failure when QRTZ_REQUIRE_DB names postgres.
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { spawnThrowaway } from './throwaway.js';

export interface PgServer {
  /** Admin URL (superuser, trust auth) without database path. */
  adminUrl(database?: string): string;
  host: string;
  port: number;
  stop(): Promise<void>;
  /** Where it came from, for skip/diagnostic messages. */
  kind: 'env' | 'throwaway' | 'container';
  /** The server's log so far (throwaway servers only; '' otherwise). */
  log(): string;
}

export interface ThrowawayOptions {
  /** Extra postgresql.conf lines. */
  conf?: string[];
  /** Make a self-signed certificate and turn ssl on. */
  ssl?: boolean;
  /** pg_hba.conf lines placed before the trust lines. */
  hba?: string[];
  /** A server of its own even when QRTZ_TEST_PG_URL is set (tests that change roles or read the log). */
  fresh?: boolean;
}

/**
 * Where pgaudit's library is, or why there is none. QRTZ_TEST_NO_PGAUDIT=1 simulates a machine
 * without postgresql-<v>-pgaudit (the tests that need it skip, loudly).
 */
export function pgauditLibrary(): string | { skip: string } {
  if (process.env.QRTZ_TEST_NO_PGAUDIT === '1') return { skip: 'pgaudit treated as absent (QRTZ_TEST_NO_PGAUDIT=1)' };
  const bin = pgBinDir();
  if (!bin) return { skip: 'no PostgreSQL server binaries' };
  const lib = join(bin, '..', 'lib', 'pgaudit.so');
  if (!existsSync(lib))
    return { skip: `pgaudit is not installed (no ${lib}; apt-get install postgresql-<version>-pgaudit)` };
  return lib;
}

/** The openssl binary (self-signed certificates for TLS servers); QRTZ_TEST_NO_OPENSSL=1 simulates none. */
export function opensslBinary(): string | { skip: string } {
  if (process.env.QRTZ_TEST_NO_OPENSSL === '1') return { skip: 'openssl treated as absent (QRTZ_TEST_NO_OPENSSL=1)' };
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(':')) {
    if (dir && existsSync(join(dir, 'openssl'))) return join(dir, 'openssl');
  }
  return { skip: 'openssl is not installed (needed for TLS test servers)' };
}

/**
 * Whether an optional piece (pgaudit, openssl…) is there; when not, says so loudly and returns false —
 * or throws when QRTZ_REQUIRE_DB names postgres (CI installs every piece) or the piece itself.
 */
export function optionalPiece(found: string | { skip: string }, what: string): boolean {
  if (typeof found === 'string') return true;
  if (requireDb('postgres') || requireDb(what)) throw new Error(`QRTZ_REQUIRE_DB requires ${what} but ${found.skip}`);
  console.warn(`SKIPPED (${what}): ${found.skip}`);
  return false;
}

export function requireDb(name: string): boolean {
  return (process.env.QRTZ_REQUIRE_DB ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .includes(name);
}

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

export function pgBinDir(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], 'bin') : undefined;
}

function userIds(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

/** Starts a throwaway PostgreSQL server in a temp dir. Throws with the reason when it cannot. */
export async function startThrowawayPostgres(opts: ThrowawayOptions = {}): Promise<PgServer> {
  const bin = pgBinDir();
  if (!bin) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)');
  const ids = userIds();
  const dir = mkdtempSync(join(tmpdir(), 'qrtz-pg-'));
  const data = join(dir, 'data');
  const sock = join(dir, 'sock');
  execFileSync('mkdir', ['-p', sock]);
  if (ids) {
    chownSync(dir, ids.uid, ids.gid);
    chownSync(sock, ids.uid, ids.gid);
  }
  const asUser = ids ? { uid: ids.uid, gid: ids.gid } : {};
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], {
    ...asUser,
    stdio: 'pipe',
  });
  const port = await freePort();
  const conf = [
    `port = ${port}`,
    "listen_addresses = '127.0.0.1'",
    `unix_socket_directories = '${sock}'`,
    'fsync = off',
    'shared_buffers = 16MB',
    'max_connections = 30',
    ...(opts.conf ?? []),
  ];
  if (opts.ssl) {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=localhost',
        '-days',
        '2',
        '-keyout',
        join(data, 'server.key'),
        '-out',
        join(data, 'server.crt'),
      ],
      { stdio: 'pipe' },
    );
    chmodSync(join(data, 'server.key'), 0o600);
    if (ids) {
      chownSync(join(data, 'server.key'), ids.uid, ids.gid);
      chownSync(join(data, 'server.crt'), ids.uid, ids.gid);
    }
    conf.push('ssl = on');
  }
  appendFileSync(join(data, 'postgresql.conf'), `\n# qrtz-audit test settings\n${conf.join('\n')}\n`);
  const hba = [
    ...(opts.hba ?? []),
    'local all all trust',
    'host all all 127.0.0.1/32 trust',
    'host all all ::1/128 trust',
  ];
  writeFileSync(join(data, 'pg_hba.conf'), `${hba.join('\n')}\n`);
  if (ids) {
    chownSync(join(data, 'postgresql.conf'), ids.uid, ids.gid);
    chownSync(join(data, 'pg_hba.conf'), ids.uid, ids.gid);
  }
  // SIGINT (fast shutdown) reaches it when this worker exits without stop()
  const child: ChildProcess = spawnThrowaway(
    'postgres',
    join(bin, 'postgres'),
    ['-D', data],
    { ...asUser, stdio: ['ignore', 'ignore', 'pipe'] },
    'INT',
    dir,
  );
  let log = '';
  child.stderr?.on('data', (d) => {
    log += String(d);
    if (log.length > 200000) log = log.slice(-200000);
  });
  const adminUrl = (db = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${db}?sslmode=disable`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`throwaway postgres exited: ${log.slice(-2000)}`);
    try {
      const c = new pg.Client({ connectionString: adminUrl() });
      await c.connect();
      await c.end();
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`throwaway postgres did not start: ${log.slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  return {
    kind: 'throwaway',
    host: '127.0.0.1',
    port,
    adminUrl,
    log: () => log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGINT'); // fast shutdown
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The first PostgreSQL the tests can use, or the reason there is none. */
export async function acquirePostgres(opts: ThrowawayOptions = {}): Promise<PgServer | { skip: string }> {
  const env = process.env.QRTZ_TEST_PG_URL;
  const special = Boolean(opts.ssl || opts.conf?.length || opts.hba?.length || opts.fresh);
  if (env && !special) {
    const u = new URL(env);
    return {
      kind: 'env',
      host: u.hostname,
      port: Number(u.port || 5432),
      adminUrl: (db = 'postgres') => {
        const x = new URL(env);
        x.pathname = `/${db}`;
        return x.toString();
      },
      log: () => '',
      stop: async () => {},
    };
  }
  const reasons: string[] = [];
  // QRTZ_TEST_ABSENT=postgres exercises the skip (and QRTZ_REQUIRE_DB failure) paths without uninstalling anything
  const absent = (process.env.QRTZ_TEST_ABSENT ?? '').split(',').some((x) => x.trim().toLowerCase() === 'postgres');
  if (absent) {
    const skip = 'no PostgreSQL for tests (postgres treated as absent: QRTZ_TEST_ABSENT)';
    if (requireDb('postgres')) throw new Error(`QRTZ_REQUIRE_DB includes postgres but ${skip}`);
    console.warn(`SKIPPED: ${skip}`);
    return { skip };
  }
  try {
    return await startThrowawayPostgres(opts);
  } catch (err) {
    reasons.push(`throwaway server: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!special) {
    try {
      const tc = await import('testcontainers');
      await tc.getContainerRuntimeClient();
      const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
      const c = await new PostgreSqlContainer('postgres:16-alpine')
        .withUsername('postgres')
        .withPassword('postgres')
        .start();
      return {
        kind: 'container',
        host: c.getHost(),
        port: c.getPort(),
        adminUrl: (db = 'postgres') =>
          `postgres://postgres:postgres@${c.getHost()}:${c.getPort()}/${db}?sslmode=disable`,
        log: () => '',
        stop: async () => {
          await c.stop();
        },
      };
    } catch (err) {
      reasons.push(`testcontainers: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  const skip = `no PostgreSQL for tests (${reasons.join('; ')})`;
  if (requireDb('postgres')) throw new Error(`QRTZ_REQUIRE_DB includes postgres but ${skip}`);
  console.warn(`SKIPPED: ${skip}`);
  return { skip };
}

/** Runs SQL as admin in a database. */
export async function adminSql(
  server: PgServer,
  db: string,
  sql: string,
  params: unknown[] = [],
): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: server.adminUrl(db) });
  await c.connect();
  try {
    return await c.query(sql, params);
  } finally {
    await c.end();
  }
}
