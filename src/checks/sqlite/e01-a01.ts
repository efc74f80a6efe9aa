/** SQLite-specific QA-E01 (file encryption, from the header) and QA-A01 (no audit facility). */
import type { Check, Facts, FindingDraft } from '../../model.js';

interface HeaderFact {
  magic: boolean;
  plaintext: boolean;
  reservedBytes: number | null;
  detail: string;
}

export const e01Sqlite: Check = {
  meta: {
    id: 'QA-E01',
    title: 'JobStore data encrypted at rest',
    family: 'encryption',
    severity: 'high',
    mitigation: 'Encrypt JobStore data at rest and in transit',
    remediation:
      'Encrypt the database file (SQLCipher via Microsoft.Data.Sqlite with an SQLCipher bundle and a Password, or an encrypted volume), or keep secrets out of JobDataMaps.',
    dialects: ['sqlite'],
  },
  evaluate(facts: Facts): FindingDraft[] {
    const h = facts.extra.sqliteHeader as HeaderFact | undefined;
    const object = { kind: 'file' as const, name: facts.target.database || 'sqlite' };
    if (!h) return [{ status: 'not-evaluated', message: 'the file header was not read', object }];
    if (!h.plaintext) {
      return [
        {
          status: 'pass',
          message: `the database file is encrypted: ${h.detail}`,
          object,
          evidence: { magic: h.magic, reservedBytes: h.reservedBytes },
        },
      ];
    }
    const attested = facts.attestations['at-rest'];
    if (attested) {
      return [
        {
          status: 'pass',
          message: `the file is plaintext SQLite, and at-rest encryption is attested: ${attested}`,
          object,
          evidence: { attestation: attested },
        },
      ];
    }
    return [
      {
        status: 'fail',
        message:
          'the database file is plaintext SQLite ("SQLite format 3" header): anyone with a copy (backup, disk, container image) reads every JobDataMap',
        object,
        evidence: { magic: true, reservedBytes: h.reservedBytes },
      },
    ];
  },
};

export const a01Sqlite: Check = {
  meta: {
    id: 'QA-A01',
    title: 'Audit log of changes to the Quartz tables',
    family: 'audit',
    severity: 'medium',
    mitigation: 'Audit and monitor changes to the JobStore',
    remediation:
      'SQLite has no audit log: watch the file with OS auditing (auditd -w <file> -p wa, fanotify, Windows SACL) and log scheduler changes in the application.',
    dialects: ['sqlite'],
  },
  evaluate(facts: Facts): FindingDraft[] {
    return [
      {
        status: 'not-applicable',
        message:
          'SQLite has no audit facility; use OS file auditing (e.g. auditd -w <db file> -p wa, fanotify) and application logging of scheduler changes',
        object: { kind: 'file', name: facts.target.database || 'sqlite' },
      },
    ];
  },
};
