/** MySQL/MariaDB encryption checks: QA-E01 (tables and logs at rest), QA-E02 (in transit). */
import { unreadable } from '../../facts.js';
import type { Check, Facts, FindingDraft } from '../../model.js';
import { MITIGATION } from '../util.js';
import { isOn, MYSQL_FAMILY, serverObject } from './util.js';

const KEY_PLUGINS =
  /^(file_key_management|aws_key_management|hashicorp_key_management|keyring_.*|component_keyring_.*)$/i;

function keyManagement(facts: Facts): string[] {
  return facts.extensions.filter((e) => KEY_PLUGINS.test(e));
}

/** Log-type stores that keep JobDataMap bytes, with the variable that encrypts each. */
function logSettings(facts: Facts): { name: string; variable: string; what: string; applies: boolean }[] {
  const binlogOn = isOn(facts.settings.log_bin);
  if (facts.dialect === 'mariadb') {
    return [
      { name: 'redo log', variable: 'innodb_encrypt_log', what: 'InnoDB redo log', applies: true },
      { name: 'binary log', variable: 'encrypt_binlog', what: 'binary and relay logs', applies: binlogOn },
      {
        name: 'temporary files',
        variable: 'encrypt_tmp_files',
        what: 'temporary files (filesort, binlog cache)',
        applies: true,
      },
    ];
  }
  return [
    { name: 'binary log', variable: 'binlog_encryption', what: 'binary and relay logs', applies: binlogOn },
    { name: 'redo log', variable: 'innodb_redo_log_encrypt', what: 'InnoDB redo log', applies: true },
    { name: 'undo log', variable: 'innodb_undo_log_encrypt', what: 'InnoDB undo tablespaces', applies: true },
  ];
}

export const e01: Check = {
  meta: {
    id: 'QA-E01',
    title: 'Quartz tables or logs are not encrypted at rest',
    family: 'encryption',
    severity: 'high',
    mitigation: MITIGATION.encryption,
    remediation:
      "MariaDB: load a key management plugin (file_key_management, hashicorp_key_management, aws_key_management), set innodb_encrypt_tables=ON, innodb_encrypt_log=ON, encrypt_binlog=ON, encrypt_tmp_files=ON. MySQL: install a keyring component, ALTER TABLE … ENCRYPTION='Y' (default_table_encryption=ON for new tables), binlog_encryption=ON, innodb_redo_log_encrypt=ON, innodb_undo_log_encrypt=ON.",
    dialects: MYSQL_FAMILY,
  },
  evaluate(facts) {
    const out: FindingDraft[] = [];
    const keys = keyManagement(facts);
    const attested = facts.attestations['at-rest'];
    const keyText = keys.length ? `key management: ${keys.join(', ')}` : 'no key management plugin or keyring loaded';
    const ts = unreadable(facts, 'tablespaces');
    for (const t of facts.tableEncryption) {
      const obj = { kind: 'table' as const, name: t.table, table: t.table };
      if (t.encrypted === true) {
        out.push({
          status: 'pass',
          message: `${t.table} is encrypted by InnoDB (${t.detail ?? ''}; ${keyText})`,
          object: obj,
          evidence: { detail: t.detail ?? null, keyManagement: keys.join(',') || null },
          discriminator: t.table,
        });
      } else if (t.encrypted === false && attested) {
        out.push({
          status: 'pass',
          message: `${t.table} is not encrypted by InnoDB; at-rest encryption attested by the user: ${attested}`,
          object: obj,
          evidence: { detail: t.detail ?? null, attestation: attested },
          discriminator: t.table,
        });
      } else if (t.encrypted === false) {
        out.push({
          status: 'fail',
          severity: 'high',
          message: `${t.table} is stored unencrypted (${t.detail ?? ''}; ${keyText}): JobDataMaps and their secrets are readable from the data files and backups`,
          object: obj,
          evidence: { detail: t.detail ?? null, keyManagement: keys.join(',') || null },
          remediation:
            facts.dialect === 'mariadb'
              ? 'Load a key management plugin and set innodb_encrypt_tables=ON (with innodb_encryption_threads > 0) or ALTER TABLE … ENCRYPTED=YES'
              : `ALTER TABLE ${t.table} ENCRYPTION='Y'; (needs a keyring component)`,
          discriminator: t.table,
        });
      } else {
        out.push({
          status: 'not-evaluated',
          message: `cannot tell whether ${t.table} is encrypted (${t.detail ?? 'unknown'})`,
          object: obj,
          evidence: { needs: ts?.needs ?? 'PROCESS' },
          discriminator: t.table,
        });
      }
    }
    for (const l of logSettings(facts)) {
      if (!l.applies) continue;
      const obj = { kind: 'setting' as const, name: l.variable };
      const v = facts.settings[l.variable];
      if (v === undefined || v === null) {
        out.push({
          status: 'not-evaluated',
          message: `${l.variable} is not known on this server: cannot tell whether the ${l.what} is encrypted`,
          object: obj,
          discriminator: l.variable,
        });
      } else if (isOn(v)) {
        out.push({
          status: 'pass',
          message: `${l.what} encrypted (${l.variable}=${v})`,
          object: obj,
          discriminator: l.variable,
        });
      } else {
        out.push({
          status: 'fail',
          severity: 'medium',
          message: `${l.what} not encrypted (${l.variable}=${v}): every JobDataMap Quartz writes passes through it in plaintext${attested ? ` (attestation on file: ${attested})` : ''}`,
          object: obj,
          evidence: { [l.variable]: v },
          remediation:
            facts.dialect === 'mariadb'
              ? `set ${l.variable}=ON in the server configuration (needs a key management plugin) and restart`
              : `SET PERSIST_ONLY ${l.variable}=ON (needs a keyring component), then restart if the variable is not dynamic`,
          discriminator: l.variable,
        });
      }
    }
    if (!facts.tableEncryption.length && !out.length) {
      out.push({ status: 'not-evaluated', message: 'no table encryption state was read', object: serverObject(facts) });
    }
    return out;
  },
};

export const e02: Check = {
  meta: {
    id: 'QA-E02',
    title: 'Connections to the JobStore are not required to use TLS',
    family: 'encryption',
    severity: 'medium',
    mitigation: MITIGATION.encryption,
    remediation:
      'Configure server certificates (ssl_cert/ssl_key), set require_secure_transport=ON, tls_version=TLSv1.2,TLSv1.3, and connect Quartz with SslMode=VerifyFull (or VerifyCA).',
    dialects: MYSQL_FAMILY,
  },
  evaluate(facts) {
    const obj = serverObject(facts);
    const s = facts.settings;
    const out: FindingDraft[] = [];
    const haveSsl = s.have_ssl ?? s.have_openssl;
    const offers = haveSsl === undefined || haveSsl === null ? facts.session.tls === true : /^yes$/i.test(haveSsl);
    if (!offers && facts.session.tls !== true) {
      out.push({
        status: 'fail',
        severity: 'high',
        message: `the server offers no TLS (have_ssl=${haveSsl ?? 'unknown'}): job data, JobDataMap secrets and the service account's password exchange travel in plaintext`,
        object: obj,
        evidence: { have_ssl: haveSsl ?? null },
        discriminator: 'have_ssl',
      });
    }
    const rst = s.require_secure_transport;
    if (rst === undefined || rst === null) {
      out.push({
        status: 'not-evaluated',
        message: 'require_secure_transport is not known on this server',
        object: { kind: 'setting', name: 'require_secure_transport' },
        discriminator: 'require_secure_transport',
      });
    } else if (!isOn(rst)) {
      out.push({
        status: 'fail',
        severity: 'medium',
        message: 'require_secure_transport=OFF: clients (the Quartz application included) may connect without TLS',
        object: { kind: 'setting', name: 'require_secure_transport' },
        evidence: { require_secure_transport: rst },
        remediation:
          'SET PERSIST require_secure_transport=ON; (MariaDB: require_secure_transport=ON in the server configuration)',
        discriminator: 'require_secure_transport',
      });
    }
    const tls = (s.tls_version ?? '').split(',').map((v) => v.trim());
    const old = tls.filter((v) => /^TLSv1(\.[01])?$/i.test(v));
    if (old.length) {
      out.push({
        status: 'fail',
        severity: 'low',
        message: `the server still accepts ${old.join(', ')} (tls_version=${s.tls_version})`,
        object: { kind: 'setting', name: 'tls_version' },
        evidence: { tls_version: s.tls_version ?? null },
        remediation: 'tls_version=TLSv1.2,TLSv1.3',
        discriminator: 'tls_version',
      });
    }
    const sess = facts.session;
    const sessText = sess.tls
      ? `this audit session uses ${sess.tlsVersion ?? 'TLS'} ${sess.cipher ?? ''}`.trim()
      : sess.viaSocket
        ? 'this audit session uses a local socket'
        : 'this audit session is NOT encrypted';
    if (!out.some((f) => f.status === 'fail')) {
      out.push({
        status: 'pass',
        message: `TLS is offered and required (require_secure_transport=${rst}); ${sessText}`,
        object: obj,
        evidence: { tls: sess.tls, tlsVersion: sess.tlsVersion ?? null },
      });
    } else {
      out.push({
        status: 'info',
        message: sessText,
        object: { kind: 'session', name: 'audit session' },
        evidence: { tls: sess.tls, tlsVersion: sess.tlsVersion ?? null, cipher: sess.cipher ?? null },
        discriminator: 'session',
      });
    }
    return out;
  },
};
