/** One formatter per output format, all fed the same report. */
import { formatJson } from './json.js';
import type { Report } from './report.js';
import { formatTable } from './table.js';

export type OutputFormat = 'table' | 'json';
export const FORMATS: OutputFormat[] = ['table', 'json'];

export function formatReport(
  report: Report,
  format: OutputFormat,
  opts: { color: boolean; verbose?: boolean },
): string {
  switch (format) {
    case 'json':
      return formatJson(report);
    case 'table':
      return formatTable(report, opts);
  }
}
