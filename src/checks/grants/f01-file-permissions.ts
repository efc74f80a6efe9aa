/** QA-F01 (SQLite): permissions and owners of the database file, its -wal/-shm/-journal sidecars and directory.
 *  SQLite has no grants: whoever can read the file reads every JobDataMap, whoever can write it injects jobs. */
import type { Check, Facts, FindingDraft, Severity, SqliteFileFact } from '../../model.js';
import { safeRemediation, shellQuote } from '../sql-quote.js';

interface Problem {
  severity: Severity;
  what: string;
}

/** The problems of one file's mode bits and owner (pure; exported for tests). */
export function fileProblems(f: SqliteFileFact, okUids: Set<number>): Problem[] {
  if (!f.exists || f.mode === null) return [];
  const m = Number.parseInt(f.mode, 8);
  const out: Problem[] = [];
  const dir = f.role === 'directory';
  if (m & 0o002) {
    out.push({
      severity: 'high',
      what: dir
        ? `world-writable directory${m & 0o1000 ? ' (sticky, but anyone can still plant a -wal/-journal file)' : ': anyone can replace the database or plant a hot journal'}`
        : 'world-writable: any local user can inject jobs',
    });
  }
  if (m & 0o020 && !(m & 0o002)) {
    out.push({
      severity: 'medium',
      what: dir ? 'group-writable directory' : 'group-writable: group members can inject jobs',
    });
  }
  if (!dir && m & 0o004) out.push({ severity: 'medium', what: 'world-readable: any local user can read JobDataMaps' });
  if (!dir && m & 0o040) out.push({ severity: 'low', what: 'group-readable' });
  if (f.uid !== null && !okUids.has(f.uid) && f.uid !== 0) {
    out.push({ severity: 'medium', what: `owned by ${f.owner ?? `uid ${f.uid}`}, not by the service account` });
  }
  return out;
}

const ORDER: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

export const f01: Check = {
  meta: {
    id: 'QA-F01',
    title: 'SQLite database file, sidecars or directory readable or writable by others',
    family: 'grants',
    severity: 'high',
    mitigation: 'Least privilege for the Quartz service account and the JobStore tables',
    remediation:
      'chown the database, its -wal/-shm/-journal files and the directory to the service account; chmod 0600 the files and 0700 the directory.',
    dialects: ['sqlite'],
    needs: {
      sqlite: 'stat access to the database file, its sidecars and directory',
    },
  },
  evaluate(facts: Facts): FindingDraft[] {
    const ff = facts.sqlite?.files;
    const dbObj = { kind: 'file' as const, name: facts.target.database || facts.dialect };
    if (!ff) return [{ status: 'not-evaluated', message: 'file metadata was not read', object: dbObj }];
    const ok = new Set<number>([ff.processUid]);
    if (ff.serviceUid !== null) ok.add(ff.serviceUid);
    const out: FindingDraft[] = [];
    for (const f of ff.files) {
      const object = { kind: 'file' as const, name: f.path };
      if (f.error) {
        out.push({
          status: 'not-evaluated',
          message: `cannot stat the ${f.role} ${f.path}: ${f.error}`,
          object,
          evidence: { needs: 'search (x) permission on the parent directories' },
        });
        continue;
      }
      const problems = fileProblems(f, ok);
      if (!problems.length) continue;
      const worst = problems.map((p) => p.severity).sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b))[0] ?? 'medium';
      const target = f.role === 'directory' ? '0700' : '0600';
      out.push({
        status: 'fail',
        severity: worst,
        message: `${f.role === 'database' ? 'database file' : f.role === 'directory' ? 'directory' : `-${f.role} file`} ${f.path} (mode ${f.mode}, owner ${f.owner ?? f.uid}): ${problems.map((p) => p.what).join('; ')}`,
        object,
        evidence: {
          role: f.role,
          mode: f.mode,
          owner: f.owner ?? (f.uid === null ? null : String(f.uid)),
          symlink: f.symlink,
          serviceAccount: ff.serviceAccount,
        },
        remediation: safeRemediation(() =>
          f.role === 'directory' && Number.parseInt(f.mode ?? '0', 8) & 0o1000
            ? `move the database into a private directory, e.g. install -d -m 0700 -o ${shellQuote(ff.serviceAccount)} -- /var/lib/<app>/quartz, and point the Quartz connection string there`
            : `chown -- ${shellQuote(ff.serviceAccount)} ${shellQuote(f.path)} && chmod -- ${target} ${shellQuote(f.path)}`,
        ),
        discriminator: f.role,
      });
    }
    if (!out.length) {
      const present = ff.files.filter((f) => f.exists).map((f) => `${f.role} ${f.mode}`);
      return [
        {
          status: 'pass',
          message: `database, sidecars and directory are private to the service account (${present.join(', ')})`,
          object: dbObj,
        },
      ];
    }
    return out;
  },
};
