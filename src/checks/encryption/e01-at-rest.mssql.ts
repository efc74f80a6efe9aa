/**
 * QA-E01 on SQL Server: Transparent Data Encryption of the Quartz database.
 * sys.dm_database_encryption_keys.encryption_state: 3 ENCRYPTED (4 KEY_CHANGE / 6 PROTECTION_CHANGE on an
 * encrypted database) pass; 2 ENCRYPTION_IN_PROGRESS medium (high when the scan is SUSPENDED/ABORTED);
 * 5 DECRYPTION_IN_PROGRESS, 1 UNENCRYPTED or no key high. Without the DMV, sys.databases.is_encrypted = 0 is
 * still a fail (1 means "encrypted or encrypting": not-evaluated naming VIEW SERVER STATE). tempdb is encrypted
 * as soon as any database uses TDE (info). Backups: msdb.dbo.backupset rows without a key_algorithm of a
 * database without TDE are unencrypted copies of JOB_DATA (medium). Always Encrypted columns: info.
 * The metadata lives in e01-at-rest.ts.
 */
import type { EnginePart, FindingDraft } from '../../model.js';
import { mssqlQuoteIdent, safeRemediation } from '../sql-quote.js';
import { isDraft, mssqlDatabase, mssqlOf } from '../util.mssql.js';

const TDE_NEEDS = 'VIEW SERVER STATE (2022: VIEW SERVER SECURITY STATE; Azure SQL Database: VIEW DATABASE STATE)';
const BACKUP_NEEDS = 'SELECT on msdb.dbo.backupset (e.g. membership in msdb db_backupoperator or a grant)';

export const e01Mssql: EnginePart = {
  remediation:
    'Enable TDE: in master CREATE MASTER KEY and CREATE CERTIFICATE (back both up), then in the Quartz database CREATE DATABASE ENCRYPTION KEY WITH ALGORITHM = AES_256 ENCRYPTION BY SERVER CERTIFICATE [cert]; ALTER DATABASE [quartz] SET ENCRYPTION ON; back up WITH ENCRYPTION when TDE is not used.',
  evaluate(facts) {
    const obj = mssqlDatabase(facts);
    const m = mssqlOf(facts, obj);
    if (isDraft(m)) return [m];
    const out: FindingDraft[] = [];
    const db = m.database.name;
    const attested = facts.attestations['at-rest'];
    const enable = safeRemediation(
      () =>
        `USE [master]; CREATE CERTIFICATE [QuartzTdeCert] WITH SUBJECT = 'Quartz TDE'; -- after CREATE MASTER KEY; back up the certificate and key\nUSE ${mssqlQuoteIdent(db)}; CREATE DATABASE ENCRYPTION KEY WITH ALGORITHM = AES_256 ENCRYPTION BY SERVER CERTIFICATE [QuartzTdeCert];\nALTER DATABASE ${mssqlQuoteIdent(db)} SET ENCRYPTION ON;`,
    );
    // Express (4) has no TDE; Standard (2) only from SQL Server 2019.
    const edition = m.version.engineEdition;
    const noTde = edition === 4 || (edition === 2 && m.version.major !== null && m.version.major < 15);
    const editionNote = noTde
      ? ` (this edition, ${m.version.edition}, has no TDE: use volume encryption and record it with --attest at-rest="…")`
      : '';
    let encrypted: boolean | null = null;
    const t = m.tde.database;
    if (t) {
      const scan = t.scanState ? `, scan ${t.scanState}` : '';
      const pct = t.percentComplete !== null && t.inProgress ? ` ${t.percentComplete}% done` : '';
      const evidence = {
        encryption_state: t.state,
        state: t.stateDesc,
        scanState: t.scanState,
        keyAlgorithm: t.keyAlgorithm,
        keyLength: t.keyLength,
        encryptorType: t.encryptorType,
      };
      encrypted = t.encrypted;
      if (t.encrypted) {
        out.push({
          status: 'pass',
          message: `database ${db} is encrypted by TDE (${t.stateDesc}${t.keyAlgorithm ? `, ${t.keyAlgorithm} ${t.keyLength ?? ''}`.trimEnd() : ''}${t.encryptorType ? `, protected by ${t.encryptorType}` : ''}): data files, log and backups`,
          object: obj,
          evidence,
        });
      } else if (t.state === 2) {
        const stalled = /SUSPENDED|ABORTED/i.test(t.scanState ?? '');
        out.push({
          status: 'fail',
          severity: stalled ? 'high' : 'medium',
          message: `TDE encryption of ${db} is in progress (ENCRYPTION_IN_PROGRESS${pct}${scan}): pages not yet encrypted, and backups taken now, hold JOB_DATA in plaintext${stalled ? '; the scan is stalled and will not finish by itself' : ''}`,
          object: obj,
          evidence,
          remediation: stalled
            ? safeRemediation(() => `ALTER DATABASE ${mssqlQuoteIdent(db)} SET ENCRYPTION RESUME;`)
            : 'Wait for the encryption scan to finish (sys.dm_database_encryption_keys.percent_complete), then take a new full backup.',
          discriminator: 'tde',
        });
      } else if (t.state === 5) {
        out.push({
          status: 'fail',
          severity: 'high',
          message: `TDE is being removed from ${db} (DECRYPTION_IN_PROGRESS${pct}${scan}): the data is being written back in plaintext`,
          object: obj,
          evidence,
          remediation: enable,
          discriminator: 'tde',
        });
      } else if (!attested) {
        out.push({
          status: 'fail',
          severity: 'high',
          message: `database ${db} is not encrypted at rest (TDE ${t.stateDesc})${editionNote}: data files, log and backups hold JOB_DATA in plaintext`,
          object: obj,
          evidence,
          remediation: enable,
          discriminator: 'tde',
        });
      }
    } else if (m.tde.isEncrypted === false) {
      encrypted = false;
      if (!attested)
        out.push({
          status: 'fail',
          severity: 'high',
          message: `database ${db} is not encrypted at rest (sys.databases.is_encrypted = 0)${editionNote}`,
          object: obj,
          evidence: { is_encrypted: false },
          remediation: enable,
          discriminator: 'tde',
        });
    } else {
      out.push({
        status: 'not-evaluated',
        message:
          m.tde.isEncrypted === true
            ? `database ${db} is encrypted or being encrypted (sys.databases.is_encrypted = 1), but its TDE state was not visible: request ${TDE_NEEDS}`
            : `the TDE state of ${db} was not visible: request ${TDE_NEEDS}`,
        object: obj,
        evidence: { is_encrypted: m.tde.isEncrypted, needs: TDE_NEEDS },
        discriminator: 'tde',
      });
    }
    if (attested && encrypted === false) {
      out.push({
        status: 'pass',
        message: `TDE is off, but at-rest encryption is attested by the user: ${attested}`,
        object: obj,
        evidence: { attestation: attested },
        discriminator: 'attested',
      });
    }

    // tempdb: encrypted automatically once any database uses TDE.
    if (encrypted === true || t?.inProgress) {
      const tempEncrypted = m.tde.tempdb?.encrypted ?? m.tde.tempdbIsEncrypted;
      out.push({
        status: 'info',
        message:
          tempEncrypted === false
            ? 'tempdb is not (yet) encrypted: SQL Server encrypts it once a database uses TDE; sort and version-store spills of JOB_DATA stay in plaintext until it is'
            : 'tempdb is encrypted too (SQL Server encrypts it as soon as any database uses TDE): spills of JOB_DATA are covered',
        object: { kind: 'database', name: 'tempdb' },
        evidence: { tempdbEncrypted: tempEncrypted ?? null },
        discriminator: 'tempdb',
      });
    }

    // Backups.
    if (m.backups === null) {
      out.push({
        status: 'not-evaluated',
        message: `backup encryption of ${db} was not visible: request ${BACKUP_NEEDS}`,
        object: obj,
        evidence: { needs: BACKUP_NEEDS },
        discriminator: 'backups',
      });
    } else if (m.backups.length) {
      const plain = m.backups.filter((b) => !b.encrypted);
      if (plain.length && encrypted !== true) {
        const last =
          plain
            .map((b) => b.finished)
            .filter(Boolean)
            .sort()
            .at(-1) ?? 'unknown';
        out.push({
          status: 'fail',
          severity: 'medium',
          message: `${plain.length} recent backup(s) of ${db} were written without encryption (latest ${last}) and the database is not TDE-encrypted: the backup files hold JOB_DATA in plaintext`,
          object: obj,
          evidence: { unencryptedBackups: plain.length, latest: last },
          remediation: safeRemediation(
            () =>
              `BACKUP DATABASE ${mssqlQuoteIdent(db)} TO DISK = N'…' WITH ENCRYPTION (ALGORITHM = AES_256, SERVER CERTIFICATE = [BackupCert]);`,
          ),
          discriminator: 'backups',
        });
      }
    }

    // Always Encrypted (client-side) columns: inventory.
    if (m.alwaysEncrypted.length) {
      out.push({
        status: 'info',
        message: `Always Encrypted columns on the Quartz tables: ${m.alwaysEncrypted.map((c) => `${c.table}.${c.column} (${c.encryptionType})`).join(', ')}`,
        object: obj,
        evidence: { columns: m.alwaysEncrypted.length },
        discriminator: 'always-encrypted',
      });
    }
    return out;
  },
};
