/**
 * Precision and recall of the detectors on the labeled corpus.
 * A hit (item, detector) is a true positive when the item expects that detector, else a false
 * positive. Recall per detector = positives expecting it that it found / positives expecting it.
 */
import { detectSecrets } from '../../../src/secrets/detect.js';
import type { CorpusItem } from './load.js';

export interface DetectorScore {
  detector: string;
  positives: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
}

export interface Score {
  perDetector: DetectorScore[];
  overall: DetectorScore;
  /** Item ids of misses and false alarms, for debugging. */
  misses: string[];
  falseAlarms: { id: string; detector: string }[];
}

export function scoreItems(items: CorpusItem[], detect: (it: CorpusItem) => string[] = ourDetectors): Score {
  const stats = new Map<string, { positives: number; tp: number; fp: number }>();
  const stat = (d: string) => {
    let s = stats.get(d);
    if (!s) {
      s = { positives: 0, tp: 0, fp: 0 };
      stats.set(d, s);
    }
    return s;
  };
  const misses: string[] = [];
  const falseAlarms: { id: string; detector: string }[] = [];
  for (const it of items) {
    const found = new Set(detect(it));
    if (it.expect) {
      const s = stat(it.expect.detector);
      s.positives++;
      if (found.has(it.expect.detector)) s.tp++;
      else misses.push(it.id);
    }
    for (const d of found) {
      if (it.expect?.detector === d) continue;
      stat(d).fp++;
      falseAlarms.push({ id: it.id, detector: d });
    }
  }
  const mk = (detector: string, s: { positives: number; tp: number; fp: number }): DetectorScore => ({
    detector,
    positives: s.positives,
    tp: s.tp,
    fp: s.fp,
    fn: s.positives - s.tp,
    precision: s.tp + s.fp === 0 ? 1 : s.tp / (s.tp + s.fp),
    recall: s.positives === 0 ? 1 : s.tp / s.positives,
  });
  const perDetector = [...stats.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([d, s]) => mk(d, s));
  const total = { positives: 0, tp: 0, fp: 0 };
  for (const s of stats.values()) {
    total.positives += s.positives;
    total.tp += s.tp;
    total.fp += s.fp;
  }
  return { perDetector, overall: mk('overall', total), misses, falseAlarms };
}

/** Detector ids our detectors report for one corpus item. */
export function ourDetectors(it: CorpusItem): string[] {
  const input =
    it.key !== undefined ? { path: it.path, key: it.key, value: it.value } : { path: it.path, value: it.value };
  return detectSecrets(input).map((h) => h.detector);
}
