/** QA-A01 on SQLite (no audit facility): the evaluation part; the metadata lives in a01-audit-log.ts. */
import type { EnginePart, Facts, FindingDraft } from '../../model.js';

export const a01Sqlite: EnginePart = {
  remediation:
    'SQLite has no audit log: watch the file with OS auditing (auditd -w <file> -p wa, fanotify, Windows SACL) and log scheduler changes in the application.',
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
