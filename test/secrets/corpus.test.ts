import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scanBlob } from '../../src/checks/content/secrets-scan.js';
import { decodeBlob } from '../../src/decode/index.js';
import { loadCorpus, loadHeldout } from './corpus/load.js';
import { scoreItems } from './corpus/score.js';

const { positives, negatives } = loadCorpus();

describe('labeled corpus', () => {
  it('has at least 10 true positives per detector and at least 300 negatives', () => {
    const per = new Map<string, number>();
    for (const p of positives) per.set(p.expect?.detector ?? '', (per.get(p.expect?.detector ?? '') ?? 0) + 1);
    expect(per.size).toBeGreaterThanOrEqual(21);
    for (const [d, n] of per) expect(n, d).toBeGreaterThanOrEqual(10);
    expect(negatives.length).toBeGreaterThanOrEqual(300);
    expect(negatives.every((n) => n.expect === null)).toBe(true);
  });

  it('expands markers deterministically (no «…» left, same strings every load)', () => {
    for (const it of [...positives, ...negatives]) expect(it.value).not.toMatch(/«|»/);
    expect(loadCorpus().positives.map((p) => p.value)).toEqual(positives.map((p) => p.value));
  });

  it('recall is 100% and precision at least 98%, overall and per detector', () => {
    const s = scoreItems([...positives, ...negatives]);
    expect(s.misses).toEqual([]);
    expect(s.overall.recall).toBe(1);
    expect(s.overall.precision).toBeGreaterThanOrEqual(0.98);
    for (const d of s.perDetector) {
      expect(d.recall, d.detector).toBe(1);
      // per detector: at most one false alarm on the whole corpus
      expect(d.fp, d.detector).toBeLessThanOrEqual(1);
    }
  });
});

describe('held-out items', () => {
  const heldout = loadHeldout();
  it('recall 100% and precision at least 98% on items written after tuning', () => {
    expect(heldout.filter((h) => h.expect).length).toBeGreaterThanOrEqual(30);
    const s = scoreItems(heldout);
    expect(s.misses).toEqual([]);
    expect(s.overall.precision).toBeGreaterThanOrEqual(0.98);
  });
});

const vectors = new URL('../../../shared/vectors/', import.meta.url);
const haveVectors = existsSync(vectors);
if (!haveVectors) console.warn(`skipping real-vector secret tests: ${vectors.pathname} not found`);

describe.skipIf(!haveVectors)('real Quartz blobs (../shared/vectors) hold no secrets', () => {
  const files: string[] = [];
  if (haveVectors)
    for (const d of ['quartznet', 'java-quartz']) {
      const dir = new URL(`${d}/`, vectors);
      if (existsSync(dir))
        for (const f of readdirSync(dir)) if (f.endsWith('.ser')) files.push(new URL(f, dir).pathname);
    }
  it.each(files)('%s', (file) => {
    const decoded = decodeBlob(readFileSync(file));
    const hits = scanBlob({
      row: {
        table: 'JOB_DETAILS',
        tableName: 'qrtz_job_details',
        column: 'JOB_DATA',
        key: { sched: 's', group: 'g', name: 'n' },
        size: 0,
      },
      decoded,
    });
    expect(hits.map((h) => `${h.hit.detector}@${h.hit.path.join('/')}`)).toEqual([]);
  });
});
