/**
 * Precision, recall and throughput of the secret detectors on the labeled corpus
 * (test/secrets/corpus), side by side with secretlint (@secretlint/core + preset-recommend 11.x)
 * on the same strings, plus the throughput of redact().
 *
 *   npx tsx scripts/secrets-quality.ts [--json]
 *
 * secretlint is loaded dynamically: from the project's node_modules, or from
 * $SECRETLINT_PATH/node_modules when that is set (a scratch install). When absent the script
 * says so and prints our figures only.
 *
 * What secretlint sees per item: the JobDataMap entry as one JSON line {"key": "value"}
 * (how Json.NET-serialized JobStores hold it), or the bare text for descriptions and strings.
 * An item counts as found by secretlint when it reports any message on it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { detectSecrets } from '../src/secrets/detect.js';
import { clearRegisteredSecrets, redact, registerSecret } from '../src/secrets/redact.js';
import { type CorpusItem, Gen, loadCorpus, loadHeldout } from '../test/secrets/corpus/load.js';
import { type DetectorScore, ourDetectors, scoreItems } from '../test/secrets/corpus/score.js';

const asJson = process.argv.includes('--json');
const { positives, negatives } = loadCorpus();
const items = [...positives, ...negatives];

function textOf(it: CorpusItem): string {
  if (it.key === '') return it.value;
  const key = it.key ?? it.path[it.path.length - 1] ?? 'value';
  return JSON.stringify({ [key]: it.value });
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function timeIt(fn: () => void, minMs = 300): { runs: number; ms: number } {
  fn(); // warm-up
  let runs = 0;
  const t0 = performance.now();
  let ms = 0;
  do {
    fn();
    runs++;
    ms = performance.now() - t0;
  } while (ms < minMs);
  return { runs, ms };
}

// ---------------------------------------------------------------------------------------------
// Ours
const ours = scoreItems(items);
const bytes = items.reduce((n, it) => n + Buffer.byteLength(textOf(it)), 0);
const oursTime = timeIt(() => {
  for (const it of items)
    detectSecrets(
      it.key !== undefined ? { path: it.path, key: it.key, value: it.value } : { path: it.path, value: it.value },
    );
});
const oursPerItemUs = (oursTime.ms * 1000) / (oursTime.runs * items.length);
const oursMBs = (bytes * oursTime.runs) / 1e6 / (oursTime.ms / 1000);
// bulk: the whole corpus as one free text of about 1 MB (same text secretlint gets in its bulk run)
const bulkText = (() => {
  const all = items.map(textOf).join('\n');
  return all.repeat(Math.max(1, Math.ceil(1e6 / all.length))).slice(0, 1_000_000);
})();
const bulkTime = timeIt(() => detectSecrets({ path: ['bulk'], key: '', value: bulkText }), 1000);
const oursBulkMBs = (bulkText.length * bulkTime.runs) / 1e6 / (bulkTime.ms / 1000);

// ---------------------------------------------------------------------------------------------
// secretlint
interface SecretlintResult {
  perDetector: Map<string, { positives: number; found: number }>;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  perItemUs: number;
  MBs: number;
  bigMBs?: number;
  version: string;
}

async function importFrom(pkg: string): Promise<Record<string, unknown>> {
  const base = process.env.SECRETLINT_PATH;
  if (base) {
    const dir = join(base, 'node_modules', pkg);
    const pj = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      exports?: Record<string, unknown>;
      module?: string;
      main?: string;
    };
    const dot = pj.exports?.['.'] as { import?: { default?: string } | string; default?: string } | string | undefined;
    const entry =
      (typeof dot === 'string' ? dot : undefined) ??
      (typeof dot === 'object' && typeof dot.import === 'object' ? dot.import.default : undefined) ??
      (typeof dot === 'object' && typeof dot.import === 'string' ? dot.import : undefined) ??
      (typeof dot === 'object' ? dot.default : undefined) ??
      pj.module ??
      pj.main ??
      'index.js';
    return (await import(pathToFileURL(join(dir, entry)).href)) as Record<string, unknown>;
  }
  return (await import(pkg)) as Record<string, unknown>;
}

function versionOf(pkg: string): string {
  const base = process.env.SECRETLINT_PATH ?? process.cwd();
  const p = join(base, 'node_modules', pkg, 'package.json');
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as { version: string }).version : '?';
}

type LintSource = (args: {
  source: { content: string; filePath: string; contentType: 'text' };
  options: { config: { rules: unknown[] }; maskSecrets?: boolean; noPhysicFilePath?: boolean };
}) => Promise<{ messages: unknown[] }>;

async function runSecretlint(): Promise<SecretlintResult | string> {
  let core: Record<string, unknown>;
  let preset: Record<string, unknown>;
  try {
    core = await importFrom('@secretlint/core');
    preset = await importFrom('@secretlint/secretlint-rule-preset-recommend');
  } catch {
    return 'secretlint not installed (npm i -D secretlint@11 @secretlint/secretlint-rule-preset-recommend@11)';
  }
  const lintSource = core.lintSource as LintSource;
  const config = {
    rules: [
      {
        id: '@secretlint/secretlint-rule-preset-recommend',
        rule: preset.creator,
        // the AWS rule reports access key ids only with enableIDScanRule
        rules: [{ id: '@secretlint/secretlint-rule-aws', options: { enableIDScanRule: true } }],
      },
    ],
  };
  const lint = (content: string) =>
    lintSource({
      source: { content, filePath: '/jobdata.json', contentType: 'text' },
      options: { config, maskSecrets: true, noPhysicFilePath: true },
    });
  const perDetector = new Map<string, { positives: number; found: number }>();
  let tp = 0;
  let fp = 0;
  let fn = 0;
  await lint('warm-up');
  const t0 = performance.now();
  const flagged: boolean[] = [];
  for (const it of items) flagged.push((await lint(textOf(it))).messages.length > 0);
  const ms = performance.now() - t0;
  items.forEach((it, i) => {
    const f = flagged[i] === true;
    if (it.expect) {
      const d = perDetector.get(it.expect.detector) ?? { positives: 0, found: 0 };
      perDetector.set(it.expect.detector, d);
      d.positives++;
      if (f) {
        d.found++;
        tp++;
      } else fn++;
    } else if (f) fp++;
  });
  // bulk throughput: the whole corpus as one text, repeated to about 1 MB
  const all = items.map(textOf).join('\n');
  const big = all.repeat(Math.max(1, Math.ceil(1e6 / all.length)));
  const tb = performance.now();
  await lint(big);
  const bigMs = performance.now() - tb;
  return {
    perDetector,
    tp,
    fp,
    fn,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp / (tp + fn),
    perItemUs: (ms * 1000) / items.length,
    MBs: bytes / 1e6 / (ms / 1000),
    bigMBs: Buffer.byteLength(big) / 1e6 / (bigMs / 1000),
    version: versionOf('@secretlint/core'),
  };
}

// Item-level figures for ours too (an item is found when the expected detector fired; a negative
// with any hit is a false alarm), comparable with secretlint's item-level figures.
function itemLevel(): { precision: number; recall: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const it of items) {
    const found = ourDetectors(it);
    if (it.expect) {
      if (found.includes(it.expect.detector)) tp++;
      else fn++;
    } else if (found.length > 0) fp++;
  }
  return { precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp / (tp + fn) };
}

// ---------------------------------------------------------------------------------------------
// redact() throughput
function redactBench(): { secrets: number; textKB: number; MBs: number; patternOnlyMBs: number } {
  const g = new Gen('redact-bench');
  const A62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  clearRegisteredSecrets();
  const patternText = items.map(textOf).join('\n');
  const pt = timeIt(() => redact(patternText));
  const secrets: string[] = [];
  for (let i = 0; i < 5000; i++) secrets.push(g.mixed(A62, 10 + (i % 30)));
  for (const s of secrets) registerSecret(s);
  const lines: string[] = [];
  for (let i = 0; i < 4000; i++)
    lines.push(
      `row ${i}: JobDataMap key path billing › password holds ${i % 50 === 0 ? secrets[i] : 'a value'} (length 14)`,
    );
  const text = lines.join('\n');
  const t = timeIt(() => redact(text));
  clearRegisteredSecrets();
  return {
    secrets: secrets.length,
    textKB: Math.round(text.length / 1024),
    MBs: (text.length * t.runs) / 1e6 / (t.ms / 1000),
    patternOnlyMBs: (patternText.length * pt.runs) / 1e6 / (pt.ms / 1000),
  };
}

const heldout = scoreItems(loadHeldout());
const sl = await runSecretlint();
const il = itemLevel();
const rb = redactBench();

if (asJson) {
  console.log(
    JSON.stringify(
      {
        corpus: { positives: positives.length, negatives: negatives.length, bytes },
        ours: {
          perDetector: ours.perDetector,
          overall: ours.overall,
          itemLevel: il,
          perItemUs: oursPerItemUs,
          MBs: oursMBs,
        },
        secretlint: typeof sl === 'string' ? sl : { ...sl, perDetector: Object.fromEntries(sl.perDetector) },
        redact: rb,
        heldout: heldout.overall,
      },
      null,
      2,
    ),
  );
} else {
  console.log(`Corpus: ${positives.length} positives, ${negatives.length} negatives, ${(bytes / 1024).toFixed(1)} KiB`);
  console.log('');
  const slPer = typeof sl === 'string' ? undefined : sl.perDetector;
  const head = `${'detector'.padEnd(28)} ${'pos'.padStart(4)} ${'TP'.padStart(4)} ${'FP'.padStart(4)} ${'recall'.padStart(7)} ${'prec.'.padStart(7)}   ${'secretlint recall'.padStart(17)}`;
  console.log(head);
  console.log('-'.repeat(head.length));
  const row = (d: DetectorScore) => {
    const s = slPer?.get(d.detector);
    const slr = s ? `${pct(s.found / s.positives)} (${s.found}/${s.positives})` : slPer ? '—' : 'n/a';
    console.log(
      `${d.detector.padEnd(28)} ${String(d.positives).padStart(4)} ${String(d.tp).padStart(4)} ${String(d.fp).padStart(4)} ${pct(d.recall).padStart(7)} ${pct(d.precision).padStart(7)}   ${slr.padStart(17)}`,
    );
  };
  for (const d of ours.perDetector) row(d);
  console.log('-'.repeat(head.length));
  row(ours.overall);
  console.log('');
  console.log('                         recall   precision   per item    throughput (corpus items)');
  console.log(
    `qrtz-audit detectors    ${pct(il.recall).padStart(7)}   ${pct(il.precision).padStart(9)}   ${oursPerItemUs.toFixed(1).padStart(6)} µs   ${oursMBs.toFixed(1)} MB/s (one call per item); ${oursBulkMBs.toFixed(1)} MB/s on one ~1 MB text`,
  );
  if (typeof sl === 'string') console.log(`secretlint              ${sl}`);
  else
    console.log(
      `secretlint ${sl.version.padEnd(12)} ${pct(sl.recall).padStart(7)}   ${pct(sl.precision).padStart(9)}   ${sl.perItemUs.toFixed(1).padStart(6)} µs   ${sl.MBs.toFixed(2)} MB/s (one call per item); ${sl.bigMBs?.toFixed(1)} MB/s on one ~1 MB text`,
    );
  if (typeof sl !== 'string')
    console.log(`  secretlint: ${sl.tp} found, ${sl.fn} missed, ${sl.fp} false alarms on negatives`);
  console.log('');
  console.log(
    `redact(): ${rb.MBs.toFixed(1)} MB/s with ${rb.secrets} registered secrets on a ${rb.textKB} KiB report; ${rb.patternOnlyMBs.toFixed(1)} MB/s pattern scrubbing only (no registered secrets, corpus text)`,
  );
  console.log(
    `held-out set (${heldout.overall.positives} positives, written after tuning; first measurement before any fix: recall 100%, precision 96.8% = 30/31): recall ${pct(heldout.overall.recall)}, precision ${pct(heldout.overall.precision)}`,
  );
  if (ours.misses.length) console.log(`misses: ${ours.misses.join(', ')}`);
  if (ours.falseAlarms.length)
    console.log(`false alarms: ${ours.falseAlarms.map((f) => `${f.id}→${f.detector}`).join(', ')}`);
}
