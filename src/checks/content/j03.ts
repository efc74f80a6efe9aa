/** QA-J03: path-like JobDataMap values with traversal, system locations, UNC shares or file: URLs. */
import type { Check, FindingDraft, ScannedBlob } from '../../model.js';
import { jobStringValues, KEY_PATH, keyClass, startsFileLike, valueFinding } from '../job-util.js';

/** A word of the key is a path word (PATH_WORDS in job-util.ts). */
export function isPathKey(key: string): boolean {
  return (keyClass(key) & KEY_PATH) !== 0;
}

export interface PathSignal {
  kind: 'traversal' | 'system-location' | 'unc-share' | 'file-url';
  detail: string;
}

const SYSTEM_UNIX =
  /^\/(etc|root|proc|sys|boot|dev|bin|sbin|lib|lib64|usr\/(s?bin|lib)|var\/(run|spool\/cron)|run)(\/|$)/i;
const SYSTEM_WINDOWS = /^[a-z]:[\\/](windows|winnt)([\\/]|$)|%(systemroot|windir|systemdrive)%|^[a-z]:[\\/]?$/i;

/** Signals for one path value (pure; exported for tests). `;`-separated lists (DIRECTORY_NAMES) are split. */
export function pathSignals(value: string, pathKey: boolean): PathSignal[] {
  const out: PathSignal[] = [];
  const add = (s: PathSignal) => {
    if (!out.some((o) => o.kind === s.kind)) out.push(s);
  };
  for (const raw of value.slice(0, 8192).split(';').slice(0, 64)) {
    const p = raw.trim().replace(/^["']|["']$/g, '');
    if (!p) continue;
    if (/^file:/i.test(p)) add({ kind: 'file-url', detail: 'file: URL' });
    if (/^(\\\\|\/\/)[^\\/\s]+[\\/][^\\/\s]+/.test(p) && !/^\/\/[^/]*:/.test(p)) {
      add({ kind: 'unc-share', detail: 'UNC network share (Windows may send NTLM credentials to the host)' });
    }
    if (!pathKey) continue;
    if (/(^|[\\/])\.\.([\\/]|$)/.test(p) || /%2e%2e/i.test(p)) add({ kind: 'traversal', detail: '".." traversal' });
    const unixLike = p.replace(/^file:\/\/(localhost)?/i, '');
    if (SYSTEM_UNIX.test(unixLike) || SYSTEM_WINDOWS.test(p)) {
      add({ kind: 'system-location', detail: 'system location' });
    }
  }
  return out;
}

export const j03: Check = {
  meta: {
    id: 'QA-J03',
    title: 'Path-like JobDataMap value points outside expected locations',
    family: 'content',
    severity: 'medium',
    mitigation: 'Keep file paths out of JobDataMaps; detect tampering with job data',
    remediation:
      'Confirm the path is intended; keep scan/working directories in application configuration, validate them against an allowed root in the job, and restrict write access to the Quartz tables.',
  },
  inspectBlob(blob: ScannedBlob): FindingDraft[] {
    const out: FindingDraft[] = [];
    // jobStringValues holds every value under a path-like key or starting like a file: URL or UNC path.
    for (const v of jobStringValues(blob)) {
      const pathKey = isPathKey(v.key);
      // Without a path-like key only the unambiguous forms (file: URLs, UNC shares) count.
      if (!pathKey && !startsFileLike(v.value)) continue;
      const signals = pathSignals(v.value, pathKey);
      if (!signals.length) continue;
      out.push(valueFinding(blob, v, signals));
    }
    return out;
  },
};
