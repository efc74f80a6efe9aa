/**
 * Progress on a terminal (issue #14 part 6): phase lines on stderr while the catalog is read, then a progress
 * bar (cli-progress) during the blob scan — rows done of the total the adapter counted, MB/s and ETA — and one
 * line when the blobs are done. Nothing at all when stderr is not a terminal or with --quiet: logs get only the
 * summary line (src/report/output.ts). Nothing here prints database text.
 */
import cliProgress from 'cli-progress';
import type { ScanProgress } from '../engine.js';
import { bytesText } from '../report/output.js';
import type { Io } from './io.js';

export interface ProgressDisplay extends ScanProgress {
  /** A phase of the command itself (connecting). */
  note(text: string): void;
  /** Stops the bar if it is running (idempotent; call it on every exit path). */
  stop(): void;
}

const PHASE_TEXT: Record<string, string> = {
  catalog: 'reading the catalog (principals, privileges, settings, tables)',
  count: 'counting blob rows',
  checks: 'evaluating checks',
};

function rate(bytes: number, ms: number): string {
  return ms > 0 ? `${((bytes / 1_000_000) * (1000 / ms)).toFixed(1)} MB/s` : '— MB/s';
}

/** The display for this command line: undefined (nothing to draw) off a terminal or with --quiet. */
export function createProgress(io: Io, quiet: boolean | undefined): ProgressDisplay | undefined {
  const stream = io.progressStream;
  if (quiet || !stream?.isTTY) return undefined;
  const line = (text: string) => io.stderr(`qrtz-audit: ${text}\n`);
  let bar: cliProgress.SingleBar | undefined;
  let rows = 0;
  let bytes = 0;
  let total: number | undefined;
  let started = 0;
  let lastUpdate = 0;
  const finish = (announce: boolean) => {
    if (!bar) return;
    bar.update(rows, { speed: rate(bytes, Date.now() - started) });
    bar.stop();
    bar = undefined;
    if (announce)
      line(
        `blobs: ${rows.toLocaleString('en-US')}${total !== undefined ? ` of ${total.toLocaleString('en-US')}` : ''} rows, ${bytesText(bytes)} in ${((Date.now() - started) / 1000).toFixed(1)} s (${rate(bytes, Date.now() - started)})`,
      );
  };
  return {
    note: line,
    phase(name) {
      const text = PHASE_TEXT[name];
      if (text) line(`${text}…`);
    },
    blobsStart(count) {
      total = count;
      rows = 0;
      bytes = 0;
      started = Date.now();
      const width = stream.columns || 80;
      bar = new cliProgress.SingleBar({
        stream,
        // Known total: a bar, rows of total, MB/s and ETA. Unknown (the count failed): rows and MB/s.
        format:
          total !== undefined
            ? 'qrtz-audit: blobs {bar} {value}/{total} rows | {speed} | ETA {eta_formatted}'
            : 'qrtz-audit: blobs {value} rows | {speed} | {duration_formatted}',
        barsize: Math.max(10, Math.min(30, width - 70)),
        barCompleteChar: '#',
        barIncompleteChar: '.',
        // Lines are cut at the terminal's width: no escape sequence toggles wrapping, nothing to restore if the
        // process is killed; the cursor is never hidden either.
        linewrap: true,
        hideCursor: false,
        clearOnComplete: true,
        fps: 10,
        etaBuffer: 50,
      });
      bar.start(total ?? 0, 0, { speed: rate(0, 0) });
    },
    blob(size) {
      rows++;
      bytes += size;
      const now = Date.now();
      if (bar && now - lastUpdate >= 100) {
        lastUpdate = now;
        bar.update(rows, { speed: rate(bytes, now - started) });
      }
    },
    blobsEnd() {
      finish(true);
    },
    stop() {
      finish(false);
    },
  };
}
