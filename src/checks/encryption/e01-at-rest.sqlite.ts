/** QA-E01 on SQLite (file encryption, from the header): the evaluation part; the metadata lives in e01-at-rest.ts. */
import type { EnginePart, Facts, FindingDraft } from '../../model.js';

export const e01Sqlite: EnginePart = {
  remediation:
    'Encrypt the database file (SQLCipher via Microsoft.Data.Sqlite with an SQLCipher bundle and a Password, or an encrypted volume), or keep secrets out of JobDataMaps.',
  evaluate(facts: Facts): FindingDraft[] {
    const h = facts.sqlite?.header;
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
