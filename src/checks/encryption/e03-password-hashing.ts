/** QA-E03 — password_encryption is md5 (PostgreSQL). */
import type { Check } from '../../model.js';
import { MITIGATION } from '../util.js';

export const e03: Check = {
  meta: {
    id: 'QA-E03',
    title: 'Passwords are hashed with MD5',
    family: 'encryption',
    severity: 'medium',
    mitigation: MITIGATION.encryption,
    remediation:
      "ALTER SYSTEM SET password_encryption = 'scram-sha-256'; then reset the Quartz role's password so it is stored as SCRAM.",
    dialects: ['postgres'],
    needs: {
      postgres: 'nothing beyond connecting (password_encryption)',
    },
  },
  evaluate(facts) {
    const obj = { kind: 'setting' as const, name: 'password_encryption' };
    const v = facts.settings.password_encryption;
    if (v === undefined || v === null)
      return [{ status: 'not-evaluated', message: 'password_encryption could not be read', object: obj }];
    if (v === 'md5') {
      return [
        {
          status: 'fail',
          message: 'password_encryption = md5: new passwords are stored as MD5 hashes (deprecated, replayable)',
          object: obj,
          evidence: { password_encryption: v },
        },
      ];
    }
    return [{ status: 'pass', message: `password_encryption = ${v}`, object: obj }];
  },
};
