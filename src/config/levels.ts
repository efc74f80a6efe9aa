/** Shared by the configuration readers: a value's line, and log levels normalised across frameworks. */
import type { LoggerFact } from './model.js';

export function lineOf(v: { line?: number }): { line?: number } {
  return v.line !== undefined ? { line: v.line } : {};
}

export const LEVELS: Record<string, string> = {
  verbose: 'trace',
  trace: 'trace',
  all: 'trace',
  finest: 'trace',
  finer: 'trace',
  debug: 'debug',
  fine: 'debug',
  information: 'info',
  info: 'info',
  warning: 'warn',
  warn: 'warn',
  error: 'error',
  fatal: 'fatal',
  critical: 'fatal',
  off: 'off',
  none: 'off',
};

export function logger(
  fw: LoggerFact['framework'],
  name: string,
  level: string,
  loc: { file: string; line?: number },
): LoggerFact {
  return {
    framework: fw,
    logger: name,
    level: LEVELS[level.trim().toLowerCase()] ?? level.trim().toLowerCase(),
    file: loc.file,
    ...lineOf(loc),
  };
}
