/** JSON output: the versioned report object (see report.ts and the README's "JSON output"). */
import { redact } from '../secrets/redact.js';
import type { Report } from './report.js';

export function formatJson(report: Report): string {
  return `${redact(JSON.stringify(report, null, 2))}\n`;
}
