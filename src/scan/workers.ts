/**
 * Decoding and checking on more than one core (issue #16 part 3, `--workers N`): a small pool of worker
 * threads fed from the blob stream while the main thread fetches. Rows go out in batches — their bytes
 * copied into one ArrayBuffer per batch, which is transferred, not cloned — and every worker runs the same
 * decode (src/scan/decode-cache.ts) and the same content checks (inspectBlobWith) with the same options,
 * fingerprint key and registered secrets (src/scan/worker.ts). Findings come back as plain objects with
 * each row's inventory part and are merged in row order (batch sequence numbers), so the findings, the
 * inventory and the spill are exactly those of the in-thread path.
 *
 * Back-pressure: at most IN_FLIGHT batches per worker; while every worker is full, push() waits and the
 * caller stops pulling rows from the stream, so memory stays bounded whatever the row count. A worker that
 * crashes (or cannot start) ends the scan with one error, every worker is terminated, nothing hangs.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { BlobRow, Check, CheckOptions, Family, Finding } from '../model.js';
import { fingerprintKeyBytes, registeredSecrets, registerSecret } from '../secrets/redact.js';
import type { InventoryPart } from './inspect.js';

/** Most rows in one batch. */
export const BATCH_ROWS = 256;
/** A batch is sent once its bytes reach this (a single bigger blob makes a batch of its own). */
export const BATCH_BYTES = 1024 * 1024;
/** Batches sent to one worker and not yet answered. */
export const IN_FLIGHT = 2;
/** Most worker threads --workers accepts. */
export const MAX_WORKERS = 16;
/**
 * Each worker's young generation (issue #16: peak RSS). V8 gives an isolate semi-spaces of up to 16 MB (a
 * 34 MB new space once grown, in every worker); a worker's live data per row is small (one decoded blob), so
 * 12 MB (4 MB semi-spaces, an 8 MB new space) costs more scavenges but keeps 26 MB less per worker. Not a
 * heap limit: nothing is ever refused for it (what outgrows the young generation is promoted).
 */
export const WORKER_YOUNG_GENERATION_MB = 12;
/**
 * V8's old-generation growing factor while a pool runs (--heap-growing-percent, process-wide: the main thread
 * and the workers). V8 lets a heap with a large limit grow to up to 4× its live size before a full GC; the
 * main thread (15 MB live) then reached 55–80 MB. 50%: a full GC at 1.5× (and at least 8 MB of growth).
 * Set when the first pool starts, back to V8's default (0: its own heuristic) when the last one closes;
 * left alone when the process was started with its own --heap-growing-percent.
 */
export const HEAP_GROWING_PERCENT = 50;

/** What a worker starts with (workerData). */
export interface WorkerInit {
  checkIds: string[];
  families: Family[];
  options: Partial<CheckOptions>;
  secrets: string[];
  fingerprintKey: Uint8Array;
}

export type RowMeta = Omit<BlobRow, 'bytes'>;

/** main → worker */
export type ToWorker =
  | { type: 'batch'; seq: number; rows: RowMeta[]; lengths: number[]; buffer: ArrayBuffer }
  | { type: 'secrets'; secrets: string[] };

export interface RowResult {
  part: InventoryPart;
  findings: Finding[];
}

/** worker → main */
export type FromWorker =
  | { type: 'result'; seq: number; results: RowResult[]; secrets: string[]; buffer: ArrayBuffer }
  | { type: 'error'; seq: number; message: string };

interface Slot {
  worker: Worker;
  inFlight: number;
}

let poolsOpen = 0;
/** The process was started with its own --heap-growing-percent (node and V8 accept '_' for '-' too). */
const ownGrowing = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((a) => {
  const flag = a.replaceAll('_', '-').split('=')[0];
  return flag === '--heap-growing-percent';
});
function poolOpened(): void {
  poolsOpen += 1;
  if (poolsOpen === 1 && !ownGrowing) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
function poolClosed(): void {
  poolsOpen -= 1;
  if (poolsOpen === 0 && !ownGrowing) setFlagsFromString('--heap-growing-percent=0');
}

/** Starts one worker: the compiled worker.js beside this file (dist), else worker.ts through tsx (a source checkout). */
function startWorker(init: WorkerInit, entry?: URL): Worker {
  const resourceLimits = { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB };
  if (entry) return new Worker(entry, { workerData: init, resourceLimits });
  const js = new URL('./worker.js', import.meta.url);
  if (js.protocol === 'file:' && existsSync(fileURLToPath(js)))
    return new Worker(js, { workerData: init, resourceLimits });
  const ts = new URL('./worker.ts', import.meta.url);
  // tsx is a dev dependency: present wherever the sources run (tests, `npm run dev`, bin/ without a build).
  // Resolved with require (its 'require' entry, index.cjs); the ESM entry beside it is the one that registers.
  const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  const mjs = join(dirname(cjs), 'index.mjs');
  const tsxApi = pathToFileURL(existsSync(mjs) ? mjs : cjs).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { (m.register ?? m.default.register)(); return import(${JSON.stringify(ts.href)}); }).catch((e) => { throw e; });`;
  return new Worker(boot, { eval: true, workerData: init, resourceLimits });
}

export class ScanPool {
  private readonly slots: Slot[] = [];
  private rows: RowMeta[] = [];
  private blobs: (Buffer | null)[] = [];
  private batchBytes = 0;
  private nextSeq = 0;
  private nextMerge = 0;
  private readonly sent = new Map<number, RowMeta[]>();
  private readonly done = new Map<number, RowResult[]>();
  /** Batch buffers given back by the workers, for the next batches (at most one per batch in flight). */
  private readonly spare: ArrayBuffer[] = [];
  private failure: Error | undefined;
  private waiters: (() => void)[] = [];
  private closing = false;
  private closed = false;

  constructor(
    size: number,
    checks: Check[],
    families: ReadonlySet<Family>,
    options: Partial<CheckOptions>,
    private readonly onRows: (rows: RowMeta[], results: RowResult[]) => void,
    /** Another worker module (tests: one that crashes); default src/scan/worker.ts. */
    entry?: URL,
  ) {
    const init: WorkerInit = {
      checkIds: checks.map((c) => c.meta.id),
      families: [...families],
      options,
      secrets: registeredSecrets(),
      fingerprintKey: new Uint8Array(fingerprintKeyBytes()),
    };
    for (let i = 0; i < Math.min(size, MAX_WORKERS); i++) {
      const worker = startWorker(init, entry);
      const slot: Slot = { worker, inFlight: 0 };
      worker.on('message', (m: FromWorker) => this.received(slot, m));
      worker.on('error', (err: Error) => this.fail(`a scan worker failed: ${err?.message ?? String(err)}`));
      worker.on('exit', (code) => {
        if (!this.closing) this.fail(`a scan worker stopped unexpectedly (exit code ${code})`);
      });
      this.slots.push(slot);
    }
    poolOpened();
  }

  /** Queues one row; waits (the stream is not pulled meanwhile) while every worker has IN_FLIGHT batches. */
  async push(row: BlobRow): Promise<void> {
    if (this.failure) throw this.failure;
    const { bytes, ...meta } = row;
    this.rows.push(meta);
    this.blobs.push(bytes);
    this.batchBytes += bytes?.length ?? 0;
    if (this.rows.length >= BATCH_ROWS || this.batchBytes >= BATCH_BYTES) await this.send();
  }

  /** Sends what is queued and waits until every batch is merged. */
  async finish(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.rows.length) await this.send();
    while (this.nextMerge < this.nextSeq) await this.event();
  }

  /** Ends every worker (always called, after finish or an error). */
  async close(): Promise<void> {
    this.closing = true;
    // Whoever still waits (a push on a full pool, a finish) hears that the workers are gone.
    this.fail('the scan workers were ended');
    await Promise.all(this.slots.map((s) => s.worker.terminate().catch(() => 0)));
    if (!this.closed) poolClosed();
    this.closed = true;
  }

  private async send(): Promise<void> {
    let slot = this.free();
    while (!slot) {
      await this.event();
      slot = this.free();
    }
    const rows = this.rows;
    const blobs = this.blobs;
    this.rows = [];
    this.blobs = [];
    this.batchBytes = 0;
    const lengths: number[] = [];
    let total = 0;
    for (const b of blobs) total += b?.length ?? 0;
    const buffer = this.bufferFor(total);
    const view = new Uint8Array(buffer);
    let at = 0;
    for (const b of blobs) {
      if (!b) {
        lengths.push(-1);
        continue;
      }
      view.set(b, at);
      at += b.length;
      lengths.push(b.length);
    }
    const seq = this.nextSeq++;
    this.sent.set(seq, rows);
    slot.inFlight++;
    const message: ToWorker = { type: 'batch', seq, rows, lengths, buffer };
    slot.worker.postMessage(message, [buffer]);
  }

  /**
   * A batch buffer of at least `total` bytes: one a worker gave back, else a new one of BATCH_BYTES (or more
   * for a batch with a bigger blob). A worker hands its batch's buffer back with the results (transferred), so
   * it frees nothing itself: a buffer left to a worker's garbage collector outlived the batch until its next
   * full GC (8–9 MB of buffers per worker measured at peak; issue #16).
   */
  private bufferFor(total: number): ArrayBuffer {
    for (let i = this.spare.length - 1; i >= 0; i--) {
      const b = this.spare[i] as ArrayBuffer;
      if (b.byteLength >= total) {
        this.spare.splice(i, 1);
        return b;
      }
    }
    return new ArrayBuffer(Math.max(total, BATCH_BYTES));
  }

  private free(): Slot | undefined {
    let best: Slot | undefined;
    for (const s of this.slots) if (s.inFlight < IN_FLIGHT && (!best || s.inFlight < best.inFlight)) best = s;
    return best;
  }

  /** Resolves at the next message or failure; throws the failure. */
  private async event(): Promise<void> {
    if (this.failure) throw this.failure;
    await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.failure) throw this.failure;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const resolve of w) resolve();
  }

  private fail(message: string): void {
    // The first failure is the one reported (one line); the others are its consequences.
    this.failure ??= new Error(message.split('\n')[0]);
    this.wake();
  }

  private received(slot: Slot, m: FromWorker): void {
    // After close() (a failure ended the scan) nothing more is merged.
    if (this.closing) return;
    if (m.type === 'error') {
      this.fail(`a scan worker failed: ${m.message}`);
      return;
    }
    slot.inFlight--;
    // Only buffers of the usual size are kept (not a 16 MB one made for a single big blob).
    if (m.buffer?.byteLength === BATCH_BYTES && this.spare.length < this.slots.length * IN_FLIGHT)
      this.spare.push(m.buffer);
    // Secrets a worker found: registered here (every output redacts them) and passed to the other workers.
    if (m.secrets.length) {
      for (const s of m.secrets) registerSecret(s);
      const note: ToWorker = { type: 'secrets', secrets: m.secrets };
      for (const other of this.slots) if (other !== slot) other.worker.postMessage(note);
    }
    this.done.set(m.seq, m.results);
    try {
      for (let r = this.done.get(this.nextMerge); r; r = this.done.get(this.nextMerge)) {
        const rows = this.sent.get(this.nextMerge) ?? [];
        this.done.delete(this.nextMerge);
        this.sent.delete(this.nextMerge);
        this.nextMerge++;
        this.onRows(rows, r);
      }
    } catch (err) {
      this.fail(`merging scan results failed: ${(err as Error)?.message ?? String(err)}`);
    }
    this.wake();
  }
}
