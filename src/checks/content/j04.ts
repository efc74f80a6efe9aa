/** QA-J04: job classes outside the allowed namespaces (with --allow-job-namespace), else an inventory. */
import type { Check, CheckOptions, Facts, FindingDraft, ScannedBlob } from '../../model.js';
import { databaseObject, jobClassBase, rowObject, safeText } from '../job-util.js';

/** True when a class is in one of the namespaces ('Contoso.Jobs' or 'Contoso.Jobs.*' allow Contoso.Jobs.X). */
export function inNamespaces(cls: string, namespaces: string[]): boolean {
  return namespaces.some((ns) => {
    const n = ns.replace(/\.\*$/, '').replace(/\.$/, '');
    return cls === n || cls.startsWith(`${n}.`) || cls.startsWith(`${n}+`) || cls.startsWith(`${n}$`);
  });
}

export const j04: Check = {
  meta: {
    id: 'QA-J04',
    title: 'Job class outside the allowed namespaces',
    family: 'content',
    severity: 'medium',
    mitigation: 'Restrict which job types the scheduler can run',
    remediation:
      'Remove or explain jobs whose class is outside the application namespaces; a job class the application never scheduled points to tampering with QRTZ_JOB_DETAILS.',
  },
  inspectBlob(blob: ScannedBlob, options: CheckOptions): FindingDraft[] {
    const allow = options.allowJobNamespaces;
    if (!allow.length || blob.row.table !== 'JOB_DETAILS') return [];
    const cls = jobClassBase(blob.row.jobClassName);
    if (inNamespaces(cls, allow)) return [];
    return [
      {
        status: 'fail',
        message: `job class ${safeText(cls, 160)} is outside the allowed namespaces (${safeText(allow.join(', '), 160)})`,
        object: rowObject(blob),
        evidence: { jobClass: safeText(blob.row.jobClassName ?? '', 250), allowed: safeText(allow.join(','), 250) },
      },
    ];
  },
  /**
   * The inventory (info), fact-level: job classes and their row counts over every streamed row
   * (facts.blobInventory.jobClasses). Without --allow-job-namespace only; the verdict per blob is inspectBlob.
   */
  evaluate(facts: Facts, options: CheckOptions): FindingDraft[] {
    if (options.allowJobNamespaces.length) return [];
    const classes = facts.blobInventory?.jobClasses;
    if (!classes) return [];
    const list = Object.entries(classes).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const evidence: Record<string, number> = {};
    for (const [cls, n] of list.slice(0, 50)) evidence[safeText(jobClassBase(cls), 120)] = n;
    return [
      {
        status: 'info',
        message: list.length
          ? `${list.length} job classes in QRTZ_JOB_DETAILS: ${list
              .slice(0, 20)
              .map(([c, n]) => `${safeText(jobClassBase(c), 120)} (${n})`)
              .join(', ')}${list.length > 20 ? ', …' : ''}; pass --allow-job-namespace to make this a check`
          : 'no jobs in QRTZ_JOB_DETAILS',
        object: databaseObject(facts),
        evidence,
        discriminator: 'inventory',
      },
    ];
  },
};
