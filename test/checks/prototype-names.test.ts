/**
 * Names from a hostile database that collide with Object.prototype members ("constructor", "toString",
 * "valueOf", "__proto__") are ordinary names: no check may take them for a known entry of its tables.
 */
import { describe, expect, it } from 'vitest';
import { j01 } from '../../src/checks/content/j01.js';
import { g02 } from '../../src/checks/grants/g02-predefined-roles.js';
import { evaluateCheck } from '../../src/engine.js';
import { emptyFacts } from '../../src/facts.js';
import type { ScannedBlob } from '../../src/model.js';
import { checkOptions } from '../../src/model.js';

const NAMES = ['constructor', 'toString', 'valueOf', '__proto__', 'hasOwnProperty'];
const opts = checkOptions({ maxBlobSize: 1 << 20 });

describe('prototype-named database objects', () => {
  it('QA-G02: membership in a role named like a prototype member is not a dangerous role', () => {
    for (const role of NAMES) {
      const facts = emptyFacts('postgres', {
        serviceAccount: 'app',
        principals: [
          { name: 'app', kind: 'user', canLogin: true, attributes: [] },
          { name: role, kind: 'role', canLogin: false, attributes: [] },
        ],
        memberships: [{ member: 'app', role, inherit: true, admin: false }],
      });
      expect(
        evaluateCheck(g02, facts, opts).map((d) => d.status),
        role,
      ).toEqual(['pass']);
    }
  });

  it('QA-J01: a job class named like a prototype member is not an invoker job', () => {
    for (const cls of NAMES) {
      const blob: ScannedBlob = {
        row: {
          table: 'JOB_DETAILS',
          tableName: 'qrtz_job_details',
          column: 'JOB_DATA',
          key: { sched: 'S', group: 'G', name: 'n' },
          size: 1,
          jobClassName: cls,
        },
        decoded: { format: 'json', nestedFormats: [], types: [], entries: [], strings: [] },
      };
      expect(j01.inspectBlob?.(blob, opts), cls).toEqual([]);
    }
  });
});
