/**
 * Server configurations on throwaway mariadbd instances (test/support/mariadb-server.ts):
 * (1) file_key_management + innodb_encrypt_tables/log + encrypt_binlog + encrypt_tmp_files → QA-E01 passes per table;
 * (2) server_audit loaded and logging + general_log=ON, without encryption → QA-A01 passes, QA-A03 and QA-E01 fail.
 * Skips loudly when mariadbd or the plugins are missing, unless QRTZ_REQUIRE_DB names mysql/mariadb.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dbRequired,
  type MariadbServer,
  startMariadb,
  throwawayUnavailable,
  writeKeyFile,
} from '../../support/mariadb-server.js';
import { byCheck, createQuartzDb, type ScanOutput, scan } from './helpers.js';

const unavailable = throwawayUnavailable(['file_key_management', 'server_audit']);
if (unavailable) {
  if (dbRequired()) throw new Error(`QRTZ_REQUIRE_DB is set but ${unavailable}`);
  console.warn(`[skip] mariadb-instances: ${unavailable}`);
}

describe.skipIf(Boolean(unavailable))('throwaway MariaDB instances', () => {
  let encrypted: MariadbServer | undefined;
  let audited: MariadbServer | undefined;
  let enc: ScanOutput;
  let aud: ScanOutput;

  beforeAll(async () => {
    // One after the other: two bootstraps at once double the load on a shared 2-core machine.
    encrypted = await startMariadb((dir) => [
      'plugin_load_add=file_key_management',
      `file_key_management_filename=${writeKeyFile(dir)}`,
      'innodb_encrypt_tables=ON',
      'innodb_encrypt_log=ON',
      'innodb_encryption_threads=1',
      `log_bin=${join(dir, 'binlog')}`,
      'encrypt_binlog=ON',
      'encrypt_tmp_files=ON',
    ]);
    audited = await startMariadb((dir) => [
      'plugin_load_add=server_audit',
      'server_audit_logging=ON',
      'server_audit_events=CONNECT,QUERY_DDL,QUERY_DML',
      `server_audit_file_path=${join(dir, 'audit.log')}`,
      'general_log=ON',
      `general_log_file=${join(dir, 'general.log')}`,
    ]);
    for (const s of [encrypted, audited]) {
      const c = await s.admin();
      await createQuartzDb(c, 'quartz');
      await c.end();
    }
    enc = await scan(encrypted.url('quartz'));
    aud = await scan(audited.url('quartz'));
  });

  afterAll(async () => {
    await Promise.all([encrypted?.stop(), audited?.stop()]);
  });

  it('QA-E01 passes for every Quartz table and for redo log, binlog and temporary files when encrypted', () => {
    const tables = byCheck(enc.findings, 'QA-E01').filter((f) => f.object.kind === 'table');
    expect(tables).toHaveLength(11);
    expect(tables.every((f) => f.status === 'pass')).toBe(true);
    expect(String(tables[0]?.evidence?.keyManagement)).toBe('file_key_management');
    expect(enc.facts.tableEncryption.every((t) => t.encrypted === true)).toBe(true);
    const logs = byCheck(enc.findings, 'QA-E01').filter((f) => f.object.kind === 'setting');
    expect(logs.map((f) => `${f.object.name}:${f.status}`).sort()).toEqual([
      'encrypt_binlog:pass',
      'encrypt_tmp_files:pass',
      'innodb_encrypt_log:pass',
    ]);
  });

  it('QA-E01 fails (high) per table on a plain instance, and the redo log and temp files (medium)', () => {
    const tables = byCheck(aud.findings, 'QA-E01').filter((f) => f.object.kind === 'table');
    expect(tables).toHaveLength(11);
    expect(tables.every((f) => f.status === 'fail' && f.severity === 'high')).toBe(true);
    const logs = byCheck(aud.findings, 'QA-E01', 'fail').filter((f) => f.object.kind === 'setting');
    // log_bin is off there: no binary log to encrypt.
    expect(logs.map((f) => `${f.object.name}:${f.severity}`).sort()).toEqual([
      'encrypt_tmp_files:medium',
      'innodb_encrypt_log:medium',
    ]);
  });

  it('QA-A01 passes with server_audit logging DML and DDL; fails without an audit plugin', () => {
    const pass = byCheck(aud.findings, 'QA-A01');
    expect(pass.map((f) => f.status)).toEqual(['pass']);
    expect(pass[0]?.evidence?.server_audit_events).toBe('CONNECT,QUERY_DDL,QUERY_DML');
    const fail = byCheck(enc.findings, 'QA-A01');
    expect(fail.map((f) => `${f.status}:${f.severity}`)).toEqual(['fail:high']);
  });

  it('QA-A01 fails when server_audit excludes the service account or stops logging', async () => {
    const c = await (audited as MariadbServer).admin();
    try {
      await c.query("SET GLOBAL server_audit_excl_users = 'root'");
      const r = await scan((audited as MariadbServer).url('quartz'));
      const [f] = byCheck(r.findings, 'QA-A01');
      expect(f?.status).toBe('fail');
      expect(f?.message).toMatch(/excludes the service account root/);
      await c.query("SET GLOBAL server_audit_excl_users = ''");
      await c.query('SET GLOBAL server_audit_logging = OFF');
      const r2 = await scan((audited as MariadbServer).url('quartz'));
      expect(byCheck(r2.findings, 'QA-A01')[0]?.message).toMatch(/server_audit_logging=OFF/);
    } finally {
      await c.query('SET GLOBAL server_audit_logging = ON').catch(() => {});
      await c.end();
    }
  });

  it('QA-A03 fails (medium) with general_log=ON and passes without', () => {
    expect(byCheck(aud.findings, 'QA-A03').map((f) => `${f.status}:${f.severity}`)).toEqual(['fail:medium']);
    expect(byCheck(enc.findings, 'QA-A03').map((f) => f.status)).toEqual(['pass']);
  });

  it('QA-E02: no TLS configured on the instances → high (no TLS offered) and medium (not required)', () => {
    const fails = byCheck(enc.findings, 'QA-E02', 'fail');
    expect(fails.map((f) => `${f.object.name}:${f.severity}`).sort()).toEqual([
      `${enc.facts.server.product} ${enc.facts.server.version}:high`,
      'require_secure_transport:medium',
    ]);
    expect(enc.facts.session.tls).toBe(false);
  });
});
