/**
 * The size-bounded read of a JSON file a command takes as input (convert's report, evaluate's evidence):
 * every failure is one UserError line with the path, and what the file or the system said, escaped.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { UserError } from './errors.js';
import { escapeControl } from './report/terminal.js';

/** The largest JSON report convert and diff read (a report of a very large store stays far below it). */
export const REPORT_MAX_BYTES = 256 * 1024 * 1024;

export interface BoundedJsonFile {
  /** The largest file read, in bytes. */
  maxBytes: number;
  /** What the file should be, for "larger than …; not <what>", e.g. 'a qrtz-audit JSON report'. */
  what: string;
  /** How "cannot read <label><path>" names the file: '' or e.g. 'the evidence file '. */
  label: string;
  /** What the command reads, said after "not JSON (…); ", e.g. 'convert reads a --format json report'. */
  reads: string;
}

/**
 * Reads and parses `path` (at most spec.maxBytes). A regular file's size is checked before it is read, on
 * the descriptor that is read; a device or pipe (no size: /dev/zero never ends) stops at the bound.
 */
export function readBoundedJson(path: string, spec: BoundedJsonFile): { doc: unknown; shown: string } {
  const shown = escapeControl(path, false);
  const tooLarge = () => new UserError('input', `${shown}: larger than ${spec.maxBytes} bytes; not ${spec.what}`);
  let text: string;
  try {
    const fd = openSync(path, 'r');
    try {
      const st = fstatSync(fd);
      if (st.isFile()) {
        if (st.size > spec.maxBytes) throw tooLarge();
        text = readFileSync(fd, 'utf8');
      } else {
        const bytes = readAtMost(fd, spec.maxBytes);
        if (!bytes) throw tooLarge();
        text = bytes.toString('utf8');
      }
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError('input', `cannot read ${spec.label}${shown}: ${escapeControl((err as Error).message, false)}`);
  }
  try {
    return { doc: JSON.parse(text), shown };
  } catch (err) {
    throw new UserError('input', `${shown}: not JSON (${escapeControl((err as Error).message, false)}); ${spec.reads}`);
  }
}

/** Up to `max` bytes of a descriptor without a size; undefined when there are more. */
function readAtMost(fd: number, max: number): Buffer | undefined {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, max + 1 - total));
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) return Buffer.concat(chunks, total);
    chunks.push(chunk.subarray(0, n));
    total += n;
    if (total > max) return undefined;
  }
}
