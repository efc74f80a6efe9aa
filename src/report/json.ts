/** JSON output: the versioned report object (see report.ts and the README's "JSON output"). */
import { redact } from '../secrets/redact.js';
import { allFindings } from '../spill.js';
import type { Report } from './report.js';

export function formatJson(report: Report): string {
  return `${redact(JSON.stringify(report, null, 2))}\n`;
}

const MARK = '\u0000qrtz-audit-findings\u0000';

/**
 * The same JSON as formatJson, written in chunks: the report around its findings, then every finding (the
 * in-memory ones, then those spilled to disk, src/spill.ts) one at a time, each redacted. Memory holds one
 * finding at a time, not the report's text.
 */
export function writeJsonStreaming(report: Report, write: (chunk: string) => void): void {
  const text = JSON.stringify({ ...report, findings: [MARK] }, null, 2);
  const quoted = JSON.stringify(MARK);
  const at = text.indexOf(quoted);
  const head = text.slice(0, at).replace(/\s*$/, '');
  const tail = text.slice(at + quoted.length).replace(/^\s*/, '');
  write(redact(head));
  let first = true;
  // Whole findings are batched (about 256 KB) so each redact() call sees complete values.
  let batch = '';
  for (const f of allFindings(report)) {
    batch += `${first ? '' : ','}\n    ${JSON.stringify(f, null, 2).replace(/\n/g, '\n    ')}`;
    first = false;
    if (batch.length > 1 << 18) {
      write(redact(batch));
      batch = '';
    }
  }
  write(redact(`${batch}${first ? '' : '\n  '}${tail}\n`));
}
