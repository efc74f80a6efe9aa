/** QA-J03: path-like JobDataMap values with traversal, system locations, UNC shares or file: URLs. */
import type { Check, FindingDraft, ScannedBlob } from '../../model.js';
import { keyWords, stringValues, valueFinding } from '../job-util.js';

/** Key word parts that mark a value as a file-system path (FileScanJob FILE_NAME, DirectoryScanJob DIRECTORY_NAME(S),
 *  NativeJob workingDirectory, and custom keys like outputPath, exportDir, logFolder). */
const PATH_WORDS = new Set([
  'path',
  'paths',
  'filepath',
  'filename',
  'file',
  'files',
  'dir',
  'dirs',
  'directory',
  'directories',
  'folder',
  'folders',
  'location',
  'workingdirectory',
]);

export function isPathKey(key: string): boolean {
  return keyWords(key).some((w) => PATH_WORDS.has(w));
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
    for (const v of stringValues(blob)) {
      const pathKey = isPathKey(v.key);
      // Without a path-like key only the unambiguous forms (file: URLs, UNC shares) count.
      if (!pathKey && !/^\s*(file:|\\\\)/i.test(v.value)) continue;
      const signals = pathSignals(v.value, pathKey);
      if (!signals.length) continue;
      out.push(valueFinding(blob, v, signals));
    }
    return out;
  },
};
