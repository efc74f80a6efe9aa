/** QA-J02: command-like JobDataMap values with shell metacharacters, download-and-run or encoded PowerShell. */
import type { Check, FindingDraft, ScannedBlob } from '../../model.js';
import { jobClassBase, jobStringValues, KEY_COMMAND, KEY_NATIVE, keyClass, valueFinding } from '../job-util.js';
import { NATIVE_JOBS } from './j01.js';

export interface CommandSignal {
  kind: 'download-and-run' | 'encoded-powershell' | 'pipe-to-shell' | 'lolbin' | 'shell-metacharacters';
  detail: string;
}

const SIGNALS: { kind: CommandSignal['kind']; re: RegExp; detail: string }[] = [
  {
    kind: 'download-and-run',
    re: /\b(curl|wget|fetch)\b[^\n]*\|\s*(sudo\s+)?(\S*\/)?(ba|z|k|da|fi)?sh\b/i,
    detail: 'download piped to a shell',
  },
  {
    kind: 'download-and-run',
    re: /\b(iwr|irm|invoke-webrequest|invoke-restmethod|downloadstring|downloadfile|net\.webclient|start-bitstransfer)\b[^\n]*\b(iex|invoke-expression)\b|\b(iex|invoke-expression)\b[^\n]*\b(iwr|irm|invoke-webrequest|invoke-restmethod|downloadstring|net\.webclient)\b/i,
    detail: 'PowerShell download and Invoke-Expression',
  },
  { kind: 'lolbin', re: /\bcertutil(\.exe)?\b[^\n]*[-/]urlcache\b/i, detail: 'certutil -urlcache download' },
  { kind: 'lolbin', re: /\bbitsadmin(\.exe)?\b[^\n]*[-/](transfer|addfile)\b/i, detail: 'bitsadmin download' },
  {
    kind: 'lolbin',
    re: /\bmshta(\.exe)?\s+(https?:|vbscript:|javascript:)/i,
    detail: 'mshta with a remote or script URL',
  },
  { kind: 'lolbin', re: /\bregsvr32(\.exe)?\b[^\n]*\/i:\s*https?:/i, detail: 'regsvr32 scriptlet from a URL' },
  {
    kind: 'encoded-powershell',
    re: /\b(powershell|pwsh)(\.exe)?\b[^\n]*\s[-/]e(c|n|nc|nco|ncod|ncode|ncoded|ncodedc\w*)?\s+[A-Za-z0-9+/]{12,}={0,2}/i,
    detail: 'PowerShell -EncodedCommand (base64)',
  },
  {
    kind: 'pipe-to-shell',
    re: /\|\s*(sudo\s+)?(\S*\/)?(sh|bash|zsh|ksh|dash|cmd(\.exe)?|powershell(\.exe)?|pwsh|iex|python[0-9.]*|perl|ruby|node)\b/i,
    detail: 'output piped into an interpreter',
  },
  { kind: 'shell-metacharacters', re: /\$\(|`|[;&|<>]|\n/, detail: 'shell metacharacters (; | & $( ` < > or newline)' },
];

export const MAX_COMMAND = 4096;

/** The signals a command-line value carries, strongest first (pure; exported for tests). */
export function commandSignals(input: string): CommandSignal[] {
  // Bounded: the patterns scan to the end of the line, so hostile megabyte values must not reach them whole.
  // Real command lines are far shorter (cmd.exe stops at 8191 characters).
  const value = input.length > MAX_COMMAND ? input.slice(0, MAX_COMMAND) : input;
  const out: CommandSignal[] = [];
  const seen = new Set<string>();
  for (const s of SIGNALS) {
    if (s.re.test(value) && !seen.has(s.detail)) {
      seen.add(s.detail);
      out.push({ kind: s.kind, detail: s.detail });
    }
  }
  return out;
}

/** A word of the key is a command word (COMMAND_WORDS in job-util.ts). */
export function isCommandKey(key: string): boolean {
  return (keyClass(key) & KEY_COMMAND) !== 0;
}

export const j02: Check = {
  meta: {
    id: 'QA-J02',
    title: 'Command-like JobDataMap value with shell metacharacters or download-and-run patterns',
    family: 'content',
    severity: 'high',
    mitigation: 'Keep commands out of JobDataMaps; detect tampering with job data',
    remediation:
      'Treat the row as possibly tampered: confirm who wrote it (application logs, DB audit), remove the command from the JobDataMap and fix the job to take fixed arguments; restrict write access to the Quartz tables.',
  },
  inspectBlob(blob: ScannedBlob): FindingDraft[] {
    const native = blob.row.table === 'JOB_DETAILS' && NATIVE_JOBS.has(jobClassBase(blob.row.jobClassName));
    const out: FindingDraft[] = [];
    // Only values under a command-like key can be reported: jobStringValues holds every one of them.
    for (const v of jobStringValues(blob)) {
      const c = keyClass(v.key);
      const relevant = (c & KEY_COMMAND) !== 0 || (native && (c & KEY_NATIVE) !== 0);
      if (!relevant) continue;
      const signals = commandSignals(v.value);
      if (!signals.length) continue;
      out.push(valueFinding(blob, v, signals));
    }
    return out;
  },
};
