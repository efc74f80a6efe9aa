/**
 * Bounded memory for many findings (issue #13 part 1). The engine keeps the first SPILL_AFTER row findings in
 * memory; the rest go to an NDJSON file in a private temp directory (mkdtemp, 0700; the file 0600), removed
 * when the report is disposed of or, at the latest, when the process exits. Nothing is dropped: every reader
 * goes through allFindings(report), which yields the in-memory findings, then the spilled ones read back
 * line by line with the report's transforms applied (redaction and display forms, then suppression and
 * baseline marks).
 *
 * The JSON formatter streams them (src/report/output.ts); the other formats hold every finding in memory
 * once a report has spilled (output.ts materializes them): SARIF, JUnit, HTML, Markdown, table, Prometheus.
 * Spilled findings follow the sorted in-memory ones in the order their rows were read.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding } from './model.js';

/** Row findings kept in memory before the rest spill to disk. */
export const SPILL_AFTER = 2_000;

const live = new Set<FindingSpill>();
let exitHook = false;

export class FindingSpill {
  readonly dir: string;
  readonly path: string;
  count = 0;
  private fd: number | undefined;
  private buffer = '';

  /**
   * @param prepare applied to each finding before it is written (the report's redaction and display forms,
   *   so reading back costs a JSON.parse only); `prepared` tells the report it was.
   */
  constructor(readonly prepare?: (f: Finding) => Finding) {
    this.dir = mkdtempSync(join(tmpdir(), 'qrtz-audit-spill-'));
    this.path = join(this.dir, 'findings.ndjson');
    this.fd = openSync(this.path, 'w', 0o600);
    live.add(this);
    if (!exitHook) {
      exitHook = true;
      process.on('exit', () => {
        for (const s of live) s.remove();
      });
    }
  }

  add(f: Finding): void {
    if (this.fd === undefined) throw new Error('finding spill already closed');
    this.buffer += `${JSON.stringify(this.prepare ? this.prepare(f) : f)}\n`;
    this.count++;
    if (this.buffer.length > 1 << 16) this.flush();
  }

  private flush(): void {
    if (this.fd !== undefined && this.buffer) writeSync(this.fd, this.buffer);
    this.buffer = '';
  }

  /** Ends writing; reading may start. */
  close(): void {
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  /** The spilled findings, read back in 1 MB chunks. */
  *read(): Generator<Finding> {
    this.close();
    const fd = openSync(this.path, 'r');
    try {
      const chunk = Buffer.alloc(1 << 20);
      let rest = '';
      for (;;) {
        const n = readSync(fd, chunk, 0, chunk.length, null);
        if (n === 0) break;
        const text = rest + chunk.toString('utf8', 0, n);
        const lines = text.split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) if (line) yield JSON.parse(line) as Finding;
      }
      if (rest) yield JSON.parse(rest) as Finding;
    } finally {
      closeSync(fd);
    }
  }

  remove(): void {
    try {
      this.close();
    } catch {
      /* already closed */
    }
    rmSync(this.dir, { recursive: true, force: true });
    live.delete(this);
  }
}

/** A report's spilled findings and what must be applied to each when it is read back. */
export interface SpillView {
  spill: FindingSpill;
  transforms: ((f: Finding) => Finding)[];
}

const views = new WeakMap<object, SpillView>();

/** The spill of a report (kept beside it, never serialized). */
export function spillOf(report: object): SpillView | undefined {
  return views.get(report);
}

/** Attaches a spill to a report (a new report object from a spread must be attached again). */
export function attachSpill<T extends object>(report: T, view: SpillView | undefined): T {
  if (view) views.set(report, view);
  return report;
}

/** The spilled findings of a report, transformed. */
export function* spilledFindings(report: object): Generator<Finding> {
  const v = views.get(report);
  if (!v) return;
  for (let f of v.spill.read()) {
    for (const t of v.transforms) f = t(f);
    yield f;
  }
}

/** Every finding: the in-memory ones, then the spilled ones. */
export function* allFindings(report: { findings: Finding[] }): Generator<Finding> {
  yield* report.findings;
  yield* spilledFindings(report);
}

/** Removes the report's spill file now (also done at process exit). */
export function disposeReport(report: object): void {
  views.get(report)?.spill.remove();
}

/** `next` (a copy of `report` with marked in-memory findings) keeps its spill, read back through `mark` too. */
export function withTransform<T extends object>(report: T, next: T, mark: (f: Finding) => Finding): T {
  const v = views.get(report);
  return v ? attachSpill(next, { spill: v.spill, transforms: [...v.transforms, mark] }) : next;
}
