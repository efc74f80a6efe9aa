/**
 * An Adapter with no database behind it, for engine tests: PostgreSQL-shaped facts of a store whose every
 * Quartz table is present, and the blob rows given (or the steps: a row, an unreadable table, a thrown error).
 */
import type { Adapter } from '../../src/dialect.js';
import type { UserError } from '../../src/errors.js';
import { emptyFacts } from '../../src/facts.js';
import type { BlobRow, Unreadable } from '../../src/model.js';
import { QUARTZ_TABLES } from '../../src/model.js';

export type FakeStep = { row: BlobRow } | { unreadable: Unreadable } | { throw: UserError | Error };

export function fakeAdapter(steps: Iterable<BlobRow | FakeStep>): Adapter {
  return {
    dialect: 'postgres',
    async connect() {},
    async close() {},
    async collectFacts() {
      return emptyFacts('postgres', {
        server: { product: 'PostgreSQL', version: '15' },
        target: { database: 'jobs', schema: 'quartz', tablePrefix: 'QRTZ_', user: 'auditor' },
        serviceAccount: 'app',
        connectedAs: 'auditor',
        tables: QUARTZ_TABLES.map((t) => ({ logical: t, name: `qrtz_${t.toLowerCase()}`, schema: 'quartz' })),
      });
    },
    async *blobRows(onUnreadable?: (u: Unreadable) => void) {
      for (const s of steps) {
        if ('row' in s) yield s.row;
        else if ('unreadable' in s) onUnreadable?.(s.unreadable);
        else if ('throw' in s) throw s.throw;
        else yield s;
      }
    },
  };
}
