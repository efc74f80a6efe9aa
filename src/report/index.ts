/** One formatter per output format, all fed the same report. */
import { formatHtml } from './html.js';
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatMarkdown } from './markdown.js';
import { formatPrometheus } from './prometheus.js';
import type { Report } from './report.js';
import { formatSarif } from './sarif.js';
import { formatTable } from './table.js';

export type OutputFormat = 'table' | 'json' | 'sarif' | 'junit' | 'html' | 'markdown' | 'prometheus';
export const FORMATS: OutputFormat[] = ['table', 'json', 'sarif', 'junit', 'html', 'markdown', 'prometheus'];

/** File name extension of each format in --output-dir (qrtz-audit.<ext>). */
export const FORMAT_EXTENSIONS: Record<OutputFormat, string> = {
  table: 'txt',
  json: 'json',
  sarif: 'sarif',
  junit: 'junit.xml',
  html: 'html',
  markdown: 'md',
  prometheus: 'prom',
};

export function formatReport(
  report: Report,
  format: OutputFormat,
  opts: { color: boolean; verbose?: boolean; width?: number },
): string {
  switch (format) {
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report);
    case 'junit':
      return formatJunit(report);
    case 'html':
      return formatHtml(report);
    case 'markdown':
      return formatMarkdown(report);
    case 'table':
      return formatTable(report, opts);
    case 'prometheus':
      return formatPrometheus(report);
  }
}
