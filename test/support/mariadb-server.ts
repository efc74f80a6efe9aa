/**
 * Throwaway MariaDB servers for tests: mariadb-install-db into a mkdtemp dir, mariadbd on its own socket and a
 * free port bound to 127.0.0.1, the scenario's options on the command line; stop() sends SIGTERM, waits for the
 * process to exit and removes the directory. Also a probe for the shared service (127.0.0.1:3306 root).
 */
import { type ChildProcess, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { spawnThrowaway } from './throwaway.js';

const run = promisify(execFile);

export const MARIADBD = ['/usr/sbin/mariadbd', '/usr/sbin/mysqld'].find((p) => existsSync(p));
export const INSTALL_DB = ['/usr/bin/mariadb-install-db', '/usr/bin/mysql_install_db'].find((p) => existsSync(p));
export const PLUGIN_DIR = '/usr/lib/mysql/plugin';

/**
 * Optional pieces a test run treats as absent: QRTZ_TEST_ABSENT=mariadbd,docker,sqlcipher,mariadb (comma-separated)
 * makes the support code report them missing, so the skip paths can be exercised without uninstalling anything.
 */
export function simulatedAbsent(piece: 'mariadbd' | 'docker' | 'sqlcipher' | 'mariadb'): boolean {
  return (process.env.QRTZ_TEST_ABSENT ?? '')
    .split(',')
    .map((x) => x.trim().toLowerCase())
    .includes(piece);
}

/** Why throwaway servers cannot run here, or undefined when they can. */
export function throwawayUnavailable(plugins: string[] = []): string | undefined {
  if (simulatedAbsent('mariadbd')) return 'mariadbd treated as absent (QRTZ_TEST_ABSENT)';
  if (!MARIADBD || !INSTALL_DB) return 'mariadbd / mariadb-install-db not installed (apt-get install mariadb-server)';
  for (const p of plugins) {
    if (!existsSync(join(PLUGIN_DIR, `${p}.so`))) return `plugin ${p}.so missing in ${PLUGIN_DIR}`;
  }
  return undefined;
}

/** True when the test must fail instead of skipping (CI sets QRTZ_REQUIRE_DB=mysql,…). */
export function dbRequired(): boolean {
  return /mysql|mariadb/i.test(process.env.QRTZ_REQUIRE_DB ?? '');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface MariadbServer {
  port: number;
  socket: string;
  dir: string;
  /** mysql://root@127.0.0.1:<port>/<db> */
  url(db: string, user?: string, password?: string): string;
  /** A root connection (mysql2/promise). */
  admin(): Promise<mysql.Connection>;
  stop(): Promise<void>;
}

/** Writes a file_key_management key file (`id;hex-key` lines) with fresh random AES-256 keys. */
export function writeKeyFile(dir: string): string {
  const file = join(dir, 'keys.txt');
  writeFileSync(file, `1;${randomBytes(32).toString('hex')}\n2;${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  return file;
}

/**
 * Starts a throwaway mariadbd. `options` are extra server options without the leading `--`, e.g.
 * ['plugin_load_add=server_audit', 'server_audit_logging=ON']; `(dir) => string[]` builds them from the data dir.
 */
export async function startMariadb(options: string[] | ((dir: string) => string[]) = []): Promise<MariadbServer> {
  if (!MARIADBD || !INSTALL_DB) throw new Error('mariadbd not installed');
  const dir = mkdtempSync(join(tmpdir(), 'qrtz-mariadb-'));
  const data = join(dir, 'data');
  const socket = join(dir, 'mysqld.sock');
  const user = process.getuid?.() === 0 ? ['--user=root'] : [];
  // A private tmpdir: concurrent bootstraps sharing /tmp have collided on temporary table names.
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp);
  try {
    await run(INSTALL_DB, [
      '--no-defaults',
      '--auth-root-authentication-method=normal',
      `--datadir=${data}`,
      '--skip-test-db',
      `--tmpdir=${tmp}`,
      ...user,
    ]);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const port = await freePort();
  const extra = (typeof options === 'function' ? options(dir) : options).map((o) => `--${o}`);
  // SIGTERM (normal shutdown) reaches it when this worker exits without stop()
  const child: ChildProcess = spawnThrowaway(
    'mariadb',
    MARIADBD,
    [
      '--no-defaults',
      `--datadir=${data}`,
      `--socket=${socket}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--pid-file=${join(dir, 'mysqld.pid')}`,
      `--log-error=${join(dir, 'error.log')}`,
      '--innodb-buffer-pool-size=32M',
      '--skip-name-resolve',
      `--tmpdir=${tmp}`,
      ...user,
      ...extra,
    ],
    { stdio: 'ignore' },
    'TERM',
    dir,
  );
  let exited = false;
  const exitPromise = new Promise<void>((resolve) => {
    child.on('exit', () => {
      exited = true;
      resolve();
    });
  });
  const server: MariadbServer = {
    port,
    socket,
    dir,
    url: (db, u = 'root', pw) =>
      `mysql://${encodeURIComponent(u)}${pw ? `:${encodeURIComponent(pw)}` : ''}@127.0.0.1:${port}/${db}`,
    admin: () => mysql.createConnection({ host: '127.0.0.1', port, user: 'root', multipleStatements: true }),
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exitPromise;
        clearTimeout(t);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  // Wait until it answers (or died).
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      const log = existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8').slice(-2000) : '';
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`mariadbd exited during startup: ${log}`);
    }
    try {
      const c = await server.admin();
      await c.end();
      return server;
    } catch {
      if (Date.now() > deadline) {
        await server.stop();
        throw new Error('mariadbd did not answer within 60 s');
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** The shared MariaDB service (127.0.0.1:3306, root, empty password), or why it is not reachable. */
export async function sharedMariadb(): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (simulatedAbsent('mariadb')) return { ok: false, reason: 'shared MariaDB treated as absent (QRTZ_TEST_ABSENT)' };
  try {
    const c = await mysql.createConnection({
      host: process.env.QRTZ_MYSQL_HOST ?? '127.0.0.1',
      port: Number(process.env.QRTZ_MYSQL_PORT ?? 3306),
      user: 'root',
      connectTimeout: 3000,
    });
    const [rows] = await c.query('SELECT VERSION() AS v');
    await c.end();
    const v = String((rows as { v: string }[])[0]?.v ?? '');
    if (!/mariadb/i.test(v)) return { ok: false, reason: `127.0.0.1:3306 is not MariaDB (${v})` };
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: `shared MariaDB at 127.0.0.1:3306 (root) not reachable: ${(err as Error).message}` };
  }
}
