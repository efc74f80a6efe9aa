/** QA-E01 — encryption at rest of the Quartz tables (PostgreSQL: Percona pg_tde, else manual evidence). */
import type { Check, FindingDraft } from '../../model.js';
import { databaseObject, MITIGATION } from '../util.js';

export const e01: Check = {
  meta: {
    id: 'QA-E01',
    title: 'Quartz tables are not encrypted at rest',
    family: 'encryption',
    severity: 'high',
    mitigation: MITIGATION.encryption,
    remediation:
      'Encrypt the data at rest: Percona pg_tde (ALTER TABLE … SET ACCESS METHOD tde_heap) or volume/filesystem encryption; then record the evidence with --attest at-rest="…".',
    dialects: ['postgres'],
  },
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
