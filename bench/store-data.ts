/**
 * The realistic store of the benchmarks (bench/store.ts loads it, bench/secrets.ts scans its strings):
 * distinct JobDataMaps per row, deterministic for a row number. ~70% Quartz.NET BinaryFormatter
 * JobDataMaps of 300 B–4 KB, ~10% Json.NET, ~10% Java, ~9% properties text, ~1% holding a secret,
 * one gadget graph per 5,000 jobs; trigger maps mostly NULL.
 */
import { writeJobDataMap as javaJobDataMap } from '../src/fixtures/java-writer.js';
import { writeJobDataMap as nrbfJobDataMap, writeGadgetGraph } from '../src/fixtures/nrbf-writer.js';

/** A small deterministic PRNG (mulberry32): the same store for the same N on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ['endpoint', 'tenantId', 'retries', 'enabled', 'reportName', 'batchSize', 'region', 'owner', 'queue'];

/** JobDataMap entries of job i: n settings, distinct per row. */
export function entries(i: number, n: number, r: () => number): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (let k = 0; k < n; k++) {
    const key = `${KEYS[k % KEYS.length]}${k >= KEYS.length ? k : ''}`;
    const kind = k % 4;
    if (kind === 0) out[key] = `https://svc-${(i * 31 + k) % 997}.example.com/api/v2/items?job=${i}`;
    else if (kind === 1) out[key] = Math.floor(r() * 100_000);
    else if (kind === 2) out[key] = r() < 0.5;
    else out[key] = `value ${k} of job ${i}: ${'abcdefghij'.slice(0, 1 + (k % 10)).repeat(1 + Math.floor(r() * 6))}`;
  }
  return out;
}

/** The JOB_DATA of job i. */
export function jobBlob(i: number): Buffer {
  const r = rng(i + 1);
  const n = 3 + Math.floor(r() * 58); // 3..60 entries: ~300 B – 4 KB
  const e = entries(i, n, r);
  if (i % 100 === 7) e.smtpPassword = `S3cr3t-${i.toString(36)}-pw`; // ~1% hold a secret
  if (i % 5000 === 4999)
    return Buffer.from(
      writeGadgetGraph(
        'System.Windows.Data.ObjectDataProvider',
        'PresentationFramework, Version=4.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35',
        { MethodName: 'Start' },
      ),
    );
  const kind = i % 100;
  if (kind < 70) return Buffer.from(nrbfJobDataMap(e));
  if (kind < 80) return Buffer.from(JSON.stringify({ ...e, options: { $type: 'MyApp.Options, MyApp', Retries: 3 } }));
  if (kind < 90) return Buffer.from(javaJobDataMap(e));
  return Buffer.from(
    `#\n#Tue Dec 01 05:00:00 UTC 2026\n${Object.entries(e)
      .map(([k, v]) => `${k}=${String(v).replace(/[=:]/g, '\\$&')}`)
      .join('\n')}\n`,
  );
}

/** The JOB_DATA of trigger i: NULL, every tenth a small map. */
export function triggerBlob(i: number): Buffer | null {
  if (i % 10 !== 0) return null;
  const r = rng(1_000_000_007 + i);
  return Buffer.from(nrbfJobDataMap(entries(i, 2 + Math.floor(r() * 4), r)));
}
