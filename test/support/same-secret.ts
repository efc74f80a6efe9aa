/**
 * A store holding the same planted password in many rows (issue #13 part 1): the JSON must list every
 * finding, the human formats one grouped item with the count. SQLite here; the PostgreSQL variant inserts
 * the same blobs (`sameSecretBlob`).
 */
import Database from 'better-sqlite3';
import { makeStore } from '../integration/sqlite/helpers.js';

/** The planted password: a real-looking value under a secret-named key (QA-S01). */
export const PLANTED_PASSWORD = 'Pl4nted-Pa55word-2026!';

/** One JSON JobDataMap (Quartz.NET) holding the planted password. */
export function sameSecretBlob(): Buffer {
  return Buffer.from(JSON.stringify({ password: PLANTED_PASSWORD, target: 'crm' }));
}

/** Job names of the planted rows: sync-00000, sync-00001… */
export function plantedJobName(i: number): string {
  return `sync-${String(i).padStart(5, '0')}`;
}

/** A Quartz.NET SQLite store (makeStore's scenario) plus `rows` jobs holding the same password. */
export function makeSameSecretStore(path: string, rows: number): void {
  makeStore(path);
  const db = new Database(path);
  try {
    const ins = db.prepare(
      `INSERT INTO QRTZ_JOB_DETAILS VALUES ('Sched', ?, 'batch', NULL, 'Contoso.Jobs.Sync, Contoso', 1, 0, 0, 0, ?)`,
    );
    const blob = sameSecretBlob();
    db.transaction(() => {
      for (let i = 0; i < rows; i++) ins.run(plantedJobName(i), blob);
    })();
  } finally {
    db.close();
  }
}
