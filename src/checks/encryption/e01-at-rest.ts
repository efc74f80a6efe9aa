/** QA-E01 — encryption at rest of the Quartz tables: metadata, the PostgreSQL part (Percona pg_tde, else manual evidence) here, MySQL/MariaDB and SQLite beside it. */
import type { Check, EnginePart, FindingDraft } from '../../model.js';
import { databaseObject, MITIGATION } from '../util.js';
import { e01Mssql } from './e01-at-rest.mssql.js';
import { e01Mariadb, e01Mysql } from './e01-at-rest.mysql.js';
import { e01Sqlite } from './e01-at-rest.sqlite.js';

/** The PostgreSQL part. */
const e01Postgres: EnginePart = {
  remediation:
    'Encrypt the data at rest: Percona pg_tde (ALTER TABLE … SET ACCESS METHOD tde_heap) or volume/filesystem encryption; then record the evidence with --attest at-rest="…".',
  evaluate(facts) {
    const obj = databaseObject(facts);
    const attested = facts.attestations['at-rest'];
    if (facts.extensions.includes('pg_tde') && facts.tableEncryption.length) {
      const out: FindingDraft[] = facts.tableEncryption.map((t) => ({
        status: t.encrypted === true ? 'pass' : t.encrypted === false ? 'fail' : 'not-evaluated',
        message:
          t.encrypted === true
            ? `${t.table} is encrypted by pg_tde (${t.detail})`
            : t.encrypted === false
              ? `${t.table} is not encrypted although pg_tde is installed (${t.detail})`
              : `cannot tell whether ${t.table} is encrypted (${t.detail})`,
        object: { kind: 'table', name: t.table, table: t.table },
        evidence: { detail: t.detail ?? null },
        discriminator: t.table,
      }));
      return out;
    }
    if (attested) {
      return [
        {
          status: 'pass',
          message: `at-rest encryption attested by the user: ${attested}`,
          object: obj,
          evidence: { attestation: attested },
        },
      ];
    }
    return [
      {
        status: 'manual',
        message:
          'PostgreSQL has no built-in table encryption and pg_tde is not installed: at-rest protection is not verifiable from SQL (needs volume/filesystem encryption evidence; pass it with --attest at-rest="…")',
        object: obj,
      },
    ];
  },
};

export const e01: Check = {
  meta: {
    id: 'QA-E01',
    title: 'Quartz tables are not encrypted at rest',
    family: 'encryption',
    severity: 'high',
    mitigation: MITIGATION.encryption,
    remediation:
      'Encrypt the JobStore data at rest (engine encryption, or volume/filesystem encryption recorded with --attest at-rest="…").',
    dialects: ['postgres', 'mysql', 'mariadb', 'sqlite', 'mssql'],
    needs: {
      postgres: 'nothing beyond connecting (table access methods, pg_tde)',
      mysql: 'nothing beyond connecting (information_schema.TABLES, encryption variables)',
      mariadb: 'nothing beyond connecting (information_schema.INNODB_TABLESPACES_ENCRYPTION, encryption variables)',
      sqlite: 'read access to the database file (its header)',
      mssql:
        'VIEW SERVER STATE (2022: VIEW SERVER SECURITY STATE) for sys.dm_database_encryption_keys (else sys.databases.is_encrypted only); SELECT on msdb.dbo.backupset for backup encryption',
    },
  },
  engines: { postgres: e01Postgres, mysql: e01Mysql, mariadb: e01Mariadb, sqlite: e01Sqlite, mssql: e01Mssql },
};
