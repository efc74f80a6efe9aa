/**
 * One scan worker thread (src/scan/workers.ts): decodes the rows of each batch and runs the content checks
 * on them exactly as the in-thread path does (same DecodeCache, same inspectBlobWith, same options), with the
 * main thread's fingerprint key and registered secrets, and sends back plain findings, each row's inventory
 * part and the secrets the checks registered. It reads no database and writes nothing.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checks as contentChecks } from '../checks/content/index.js';
import type { Family, ScannedBlob } from '../model.js';
import { onSecretRegistered, registerSecret, setFingerprintKey } from '../secrets/redact.js';
import { CACHE_MAX_BLOB_BYTES, DecodeCache } from './decode-cache.js';
import { inspectBlobWith, inventoryPartOf } from './inspect.js';
import type { FromWorker, RowResult, ToWorker, WorkerInit } from './workers.js';

const init = workerData as WorkerInit;
const port = parentPort;
if (!port) throw new Error('src/scan/worker.ts runs only as a worker thread');

setFingerprintKey(Buffer.from(init.fingerprintKey));
for (const s of init.secrets) registerSecret(s);
let learned: string[] = [];
let listening = true;
onSecretRegistered((v) => {
  if (listening) learned.push(v);
});
// Only the checks with inspectBlob run here, and those are the content checks; an id not among them is a bug
// (the worker would silently skip a check), so it stops the worker, and with it the scan.
const byId = new Map(contentChecks.map((c) => [c.meta.id, c]));
const checks = init.checkIds.map((id) => {
  const c = byId.get(id);
  if (!c) throw new Error(`scan worker: no content check ${id}`);
  return c;
});
const families = new Set<Family>(init.families);
const cache = new DecodeCache();

port.on('message', (m: ToWorker) => {
  if (m.type === 'secrets') {
    // Found by another worker: known here too (messages redact them), not echoed back.
    listening = false;
    for (const s of m.secrets) registerSecret(s);
    listening = true;
    return;
  }
  try {
    const results: RowResult[] = [];
    let at = 0;
    for (let i = 0; i < m.rows.length; i++) {
      const len = m.lengths[i] ?? -1;
      // Small blobs get their own copy: the decode cache may keep a result (and views into its bytes) long
      // after this batch, and must not pin the whole batch buffer.
      const bytes =
        len < 0
          ? null
          : len <= CACHE_MAX_BLOB_BYTES
            ? Buffer.from(new Uint8Array(m.buffer, at, len))
            : Buffer.from(m.buffer, at, len);
      if (len > 0) at += len;
      const row = m.rows[i] as ScannedBlob['row'];
      const decoded = cache.decode(bytes);
      const findings = inspectBlobWith({ row, decoded }, checks, families, init.options);
      results.push({ part: inventoryPartOf(decoded), findings });
    }
    // The batch's buffer goes back to the main thread (transferred: freed here now, reused there); nothing
    // kept here views it (the decode cache keeps copies of its own, small blobs were copied above).
    const reply: FromWorker = { type: 'result', seq: m.seq, results, secrets: learned, buffer: m.buffer };
    learned = [];
    port.postMessage(reply, [m.buffer]);
  } catch (err) {
    const reply: FromWorker = { type: 'error', seq: m.seq, message: (err as Error)?.message ?? String(err) };
    port.postMessage(reply);
  }
});
