/** QA-U01: the Quartz version that wrote the store is end of life (data/eol.json). */
import type { Check, CheckOptions, Facts, FindingDraft } from '../../model.js';
import { databaseObject, safeText } from '../job-util.js';
import { compareVersions, eolTable, inferQuartzVersions, nowOf, supportOf } from './eol.js';

export const u01: Check = {
  meta: {
    id: 'QA-U01',
    title: 'Quartz version that wrote the store is end of life',
    family: 'updates',
    severity: 'medium',
    mitigation: 'Keep Quartz and its dependencies updated',
    remediation:
      'Upgrade Quartz to a supported line (Quartz.NET 3.x/4.x, Java Quartz 2.3.2+), run the schema migrations, and re-save old job rows so no blob written by the old version remains.',
  },
  evaluate(facts: Facts, options: CheckOptions): FindingDraft[] {
    const table = eolTable();
    const object = databaseObject(facts);
    const inferred = inferQuartzVersions(facts);
    if (!inferred.length) {
      if (!facts.blobInventory && !facts.quartzSchemaColumns) {
        return [{ status: 'not-evaluated', message: 'neither blobs nor schema columns were read', object }];
      }
      const blobsUnread = facts.blobInventory?.unreadable;
      if (blobsUnread) {
        return [
          {
            status: 'not-evaluated',
            message: `no Quartz version could be inferred: blob rows could not be read (${blobsUnread.reason})`,
            object,
            evidence: { needs: blobsUnread.needs ?? null },
          },
        ];
      }
      return [
        {
          status: 'info',
          message:
            'no Quartz version could be inferred (no assembly-qualified names in blobs, no version-specific classes or schema columns)',
          object,
        },
      ];
    }
    const out: FindingDraft[] = [];
    for (const eco of ['quartznet', 'quartz-java'] as const) {
      const list = inferred.filter((i) => i.ecosystem === eco);
      if (!list.length) continue;
      const product = table[eco];
      const label = eco === 'quartznet' ? 'Quartz.NET' : 'Java Quartz';
      // The newest writer decides what runs now; older rows are reported alongside.
      const newest = [...list].sort((a, b) => compareVersions(b.version, a.version))[0];
      const oldest = [...list].sort((a, b) => compareVersions(a.version, b.version))[0];
      if (!newest || !oldest) continue;
      const s = supportOf(product, newest.version, nowOf(options), table.asOf);
      const inferredFrom = list.map((i) => i.from).join('; ');
      const evidence = {
        ecosystem: label,
        newest: newest.version,
        oldest: oldest.version,
        inferredFrom: safeText(inferredFrom, 500),
        table: `data/eol.json (${table.asOf})`,
      };
      if (s.state === 'eol') {
        out.push({
          status: 'fail',
          message: `the store was written by ${label} ${newest.exact ? newest.version : `${newest.version}.x`} (${s.why}; oldest supported line ${product.oldestSupported}); inferred from ${inferredFrom}`,
          object,
          evidence,
          discriminator: eco,
        });
      } else {
        // A pass never carries an action: rows an end-of-life version wrote are their own failure.
        // Rows that could not be read may hold an older writer: then it is no pass.
        const unread = facts.blobInventory?.unreadable;
        out.push({
          status: s.state === 'supported' ? (unread ? 'not-evaluated' : 'pass') : 'info',
          message: `${label} ${newest.version}${newest.exact ? '' : '+'} ${s.state === 'supported' ? 'is a supported line' : `: ${s.why}`}; inferred from ${inferredFrom}${unread ? `; not every row was read (${unread.reason}), so older writers cannot be ruled out` : ''}`,
          object,
          evidence,
          discriminator: eco,
        });
        const old = list.filter(
          (i) => i.rows !== undefined && supportOf(product, i.version, nowOf(options), table.asOf).state === 'eol',
        );
        const rows = old.reduce((n, i) => n + (i.rows ?? 0), 0);
        if (old.length) {
          const versions = [...new Set(old.map((i) => i.version))].sort(compareVersions);
          const why = supportOf(product, versions[0] as string, nowOf(options), table.asOf);
          out.push({
            status: 'fail',
            // Lower than an end-of-life running version: the scheduler is current, old rows remain.
            severity: 'low',
            message: `${rows} blob row(s) were written by end-of-life ${label} ${versions.join(', ')} (${why.state === 'eol' ? why.why : 'end of life'}); the running version is ${newest.version}${newest.exact ? '' : '+'}, but these rows still carry the old version's serialized types`,
            object,
            evidence: { ecosystem: label, rows, versions: versions.join(','), table: `data/eol.json (${table.asOf})` },
            remediation: `Re-save (or delete and re-schedule) the jobs and triggers whose blobs were written by ${label} ${versions.join(', ')}, so that no row written by an end-of-life version remains.`,
            discriminator: `${eco}-eol-rows`,
          });
        }
      }
    }
    return out;
  },
};
