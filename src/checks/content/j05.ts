/** QA-J05: SendMailJob-style jobs carrying SMTP credentials in their JobDataMap (the values are QA-S01's). */
import type { Check, FindingDraft, ScannedBlob } from '../../model.js';
import { entryValue, hasEntry, jobClassBase, rowObject, safeText } from '../job-util.js';

export const MAIL_JOBS = new Set(['Quartz.Job.SendMailJob', 'org.quartz.jobs.ee.mail.SendMailJob']);
/** Keys the mail jobs read credentials from (Quartz.NET smtp_*, Java username/password and mail.smtp.*). */
const CREDENTIAL_KEYS = [
  'smtp_password',
  'smtp_username',
  'password',
  'username',
  'mail.smtp.password',
  'mail.smtp.user',
];

export const j05: Check = {
  meta: {
    id: 'QA-J05',
    title: 'Mail job with SMTP credentials in its JobDataMap',
    family: 'content',
    severity: 'medium',
    mitigation: 'Keep secrets out of JobDataMaps',
    remediation:
      'Move the SMTP credentials to the application secret store (or a relay that needs none) and have a custom mail job read them there; rotate the password, since it sat in plaintext in the JobStore.',
  },
  inspectBlob(blob: ScannedBlob): FindingDraft[] {
    const cls = jobClassBase(blob.row.jobClassName);
    const mailJob = blob.row.table === 'JOB_DETAILS' && MAIL_JOBS.has(cls);
    if (!mailJob && !mayHoldSmtpKey(blob)) return [];
    // Trigger JobDataMaps merge over the job's at execution, and any job may hold smtp_password.
    const keys = CREDENTIAL_KEYS.filter(
      (k) => (mailJob || k.startsWith('smtp_') || k.startsWith('mail.smtp.')) && hasEntry(blob, k),
    );
    const withValue = keys.filter((k) => (entryValue(blob, k) ?? '').length > 0 || !/password/.test(k));
    if (!keys.some((k) => /password/.test(k) && withValue.includes(k))) return [];
    return [
      {
        status: 'fail',
        message: `${mailJob ? cls : 'JobDataMap'} holds SMTP credentials (keys ${keys.join(', ')}); the values are reported by QA-S01 and never printed`,
        object: rowObject(blob),
        evidence: {
          keys: keys.join(','),
          smtpHost: safeText(entryValue(blob, 'smtp_host') ?? '', 120) || null,
          jobClass: blob.row.jobClassName ? safeText(blob.row.jobClassName) : null,
          secretCheck: 'QA-S01',
        },
      },
    ];
  },
};

/**
 * False when no entry's key can lower-case to an smtp_* or mail.smtp.* credential key, the only keys counted
 * without a mail job class: most blobs hold none, and this says so without lower-casing every key. Those keys
 * are 13, 14 or 18 characters long with '_' or '.' at index 4. Exact: a key whose lower case is all ASCII has
 * the length of its lower case (the one character that lower-cases to two, U+0130, gives a combining dot), and
 * only '_' and '.' lower-case to '_' and '.'.
 */
function mayHoldSmtpKey(blob: ScannedBlob): boolean {
  for (const e of blob.decoded.entries) {
    const last = e.path[e.path.length - 1];
    if (last === undefined) continue;
    const n = last.length;
    if (n !== 13 && n !== 14 && n !== 18) continue;
    const c = last.charCodeAt(4);
    if (c === 0x5f || c === 0x2e) return true;
  }
  return false;
}
