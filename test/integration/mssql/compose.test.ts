/**
 * docker-compose.yml, checked statically (no Docker here): the four databases with their images, init
 * scripts that exist, ports bound to 127.0.0.1, and seeds that are what docker/generate-seed.ts writes.
 * The PostgreSQL and MySQL seeds were also run against real servers when written; the SQL Server one is
 * exercised wherever Docker runs `docker compose up`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..', '..', '..');
interface Service {
  image: string;
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  entrypoint?: string[];
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };
const services = compose.services;

describe('docker-compose.yml', () => {
  it('brings up SQL Server 2022, PostgreSQL 16, MariaDB 11 and MySQL 8.4', () => {
    expect(services.mssql?.image).toBe('mcr.microsoft.com/mssql/server:2022-latest');
    expect(services.postgres?.image).toMatch(/^postgres:16/);
    expect(services.mariadb?.image).toMatch(/^mariadb:11/);
    expect(services.mysql?.image).toBe('mysql:8.4');
    for (const name of ['mssql', 'postgres', 'mariadb', 'mysql']) {
      expect(services[name]?.healthcheck?.test.length, name).toBeGreaterThan(0);
      for (const p of services[name]?.ports ?? []) expect(p, `${name} port`).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it('mounts init scripts that exist: schema first, then the seed', () => {
    const mounts: Record<string, string> = {
      postgres: '/docker-entrypoint-initdb.d',
      mariadb: '/docker-entrypoint-initdb.d',
      mysql: '/docker-entrypoint-initdb.d',
      'mssql-init': '/seed',
    };
    for (const [name, target] of Object.entries(mounts)) {
      const vol = services[name]?.volumes?.find((v) => v.split(':')[1] === target);
      expect(vol, name).toBeDefined();
      const dir = join(root, (vol as string).split(':')[0] as string);
      expect(existsSync(join(dir, '01-schema.sql')), `${name} schema`).toBe(true);
      expect(existsSync(join(dir, '02-seed.sql')), `${name} seed`).toBe(true);
    }
    expect(services['mssql-init']?.depends_on?.mssql?.condition).toBe('service_healthy');
    expect(services['mssql-init']?.entrypoint?.join(' ')).toContain('-i /seed/01-schema.sql -i /seed/02-seed.sql');
    expect(services.postgres?.environment?.POSTGRES_DB).toBe('quartz');
    expect(services.mysql?.environment?.MYSQL_DATABASE).toBe('quartz');
    expect(services.mariadb?.environment?.MARIADB_DATABASE).toBe('quartz');
  });

  it('each seed has a service login, an over-grant, a reader and blobs', () => {
    const seed = (db: string) => readFileSync(join(root, 'docker', db, '02-seed.sql'), 'utf8');
    expect(seed('mssql')).toMatch(/CREATE LOGIN quartz_app .*CHECK_POLICY = OFF/);
    expect(seed('mssql')).toMatch(/ALTER ROLE db_ddladmin ADD MEMBER quartz_app/);
    expect(seed('postgres')).toMatch(/GRANT TRUNCATE, TRIGGER ON qrtz_triggers TO quartz_app/);
    expect(seed('mysql')).toMatch(/GRANT ALTER, DROP, TRIGGER ON quartz\.\* TO 'quartz_app'@'%'/);
    for (const db of ['mssql', 'postgres', 'mysql']) {
      const s = seed(db);
      expect(s.match(/INSERT INTO \S*JOB_DETAILS/gi), db).toHaveLength(5);
      expect(s).toMatch(/BLOB_TRIGGERS/i);
      expect(s).toMatch(/reporting/);
    }
    // NRBF header (0x00 01000000 FFFFFFFF) and Java stream magic (ACED0005) are in every seed
    for (const db of ['mssql', 'postgres', 'mysql']) expect(seed(db)).toMatch(/0001000000FFFFFFFF/);
    for (const db of ['mssql', 'postgres', 'mysql']) expect(seed(db)).toMatch(/ACED0005/);
  });

  it('the committed seeds are what docker/generate-seed.ts writes', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'qrtz-seed-'));
    try {
      execFileSync(process.execPath, ['--import', 'tsx', join(root, 'docker', 'generate-seed.ts')], {
        env: { ...process.env, QRTZ_SEED_OUT: tmp },
        stdio: 'pipe',
      });
      for (const db of ['mssql', 'postgres', 'mysql']) {
        for (const f of ['01-schema.sql', '02-seed.sql']) {
          expect(readFileSync(join(tmp, db, f), 'utf8'), `${db}/${f}`).toBe(
            readFileSync(join(root, 'docker', db, f), 'utf8'),
          );
        }
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);
});
