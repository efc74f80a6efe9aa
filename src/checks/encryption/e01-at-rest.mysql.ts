/** QA-E01 on MySQL/MariaDB (InnoDB, log and binlog encryption, keyrings): the evaluation part; the metadata lives in e01-at-rest.ts. */
import { unreadable } from '../../facts.js';
import type { EnginePart, Facts, FindingDraft } from '../../model.js';
import { isOn, serverObject } from '../util-mysql.js';

const KEY_PLUGINS =
  /^(file_key_management|aws_key_management|hashicorp_key_management|keyring_.*|component_keyring_.*)$/i;

function keyManagement(facts: Facts): string[] {
  return facts.extensions.filter((e) => KEY_PLUGINS.test(e));
}

/** Log-type stores that keep JobDataMap bytes, with the variable that encrypts each. */
function logSettings(
  facts: Facts,
  maria: boolean,
): { name: string; variable: string; what: string; applies: boolean }[] {
  const binlogOn = isOn(facts.settings.log_bin);
  if (maria) {
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

/** The part for one flavour of the family: MariaDB and MySQL name their encryption settings differently. */
function mysqlFamilyPart(maria: boolean): EnginePart {
  return {
    remediation:
      "MariaDB: load a key management plugin (file_key_management, hashicorp_key_management, aws_key_management), set innodb_encrypt_tables=ON, innodb_encrypt_log=ON, encrypt_binlog=ON, encrypt_tmp_files=ON. MySQL: install a keyring component, ALTER TABLE … ENCRYPTION='Y' (default_table_encryption=ON for new tables), binlog_encryption=ON, innodb_redo_log_encrypt=ON, innodb_undo_log_encrypt=ON.",
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
            remediation: maria
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
      for (const l of logSettings(facts, maria)) {
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
            remediation: maria
              ? `set ${l.variable}=ON in the server configuration (needs a key management plugin) and restart`
              : `SET PERSIST_ONLY ${l.variable}=ON (needs a keyring component), then restart if the variable is not dynamic`,
            discriminator: l.variable,
          });
        }
      }
      if (!facts.tableEncryption.length && !out.length) {
        out.push({
          status: 'not-evaluated',
          message: 'no table encryption state was read',
          object: serverObject(facts),
        });
      }
      return out;
    },
  };
}

export const e01Mysql = mysqlFamilyPart(false);
export const e01Mariadb = mysqlFamilyPart(true);
