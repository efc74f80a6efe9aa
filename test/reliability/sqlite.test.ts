/**
 * Reliability on SQLite (issue #17 parts 1 and 5), no server needed:
 *  1. full audits (every family, every format) leave the file's bytes and mtime alone and create no
 *     side file (rollback-journal and WAL-mode stores);
 *  5. hostile content — job names, groups, descriptions, JobDataMap keys and values with ANSI/OSC
 *     sequences, control characters, bidi overrides, HTML/script, `]]>`, invalid UTF-8 and 100,000-
 *     character strings; blobs that are huge, deeply nested, exponential, cyclic or lying about their
 *     lengths — come out harmless in table, HTML (loaded in headless Chromium: no script runs), JUnit
 *     (parsed as XML), and exact in JSON and SARIF. The garbage-rows audit (100,000 rows in npm test, a
 *     million on demand) is test/reliability/garbage.test.ts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { quartzSqliteSchema } from '../../src/demo/schema.js';
import type { Report } from '../../src/report/report.js';
import { runCli } from '../support/cli.js';
import { HOSTILE, hostileRows, REL_SECRETS, SCHED, secretRows } from '../support/rel-store.js';
import { firstUnsafe } from '../support/unsafe-text.js';

const FORMATS = ['table', 'json', 'sarif', 'junit', 'html'] as const;
const dir = mkdtempSync(join(tmpdir(), 'qrtz-rel-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function makeDb(path: string, rows: ReturnType<typeof secretRows>, wal = false): void {
  const db = new Database(path);
  try {
    if (wal) db.pragma('journal_mode = WAL');
    db.exec(quartzSqliteSchema('QRTZ_'));
    for (const r of rows) {
      const cols = Object.keys(r.values);
      const vals = cols.map((c) => {
        const v = r.values[c];
        if (typeof v === 'boolean') return v ? 1 : 0;
        if (typeof v === 'string' && /^-?\d{12,}$/.test(v)) return BigInt(v);
        return v;
      });
      db.prepare(`INSERT INTO QRTZ_${r.table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(
        ...vals,
      );
    }
  } finally {
    db.close();
  }
}

const fingerprint = (path: string) => {
  const st = statSync(path);
  return {
    sha256: createHash('sha256').update(readFileSync(path)).digest('hex'),
    mtimeMs: st.mtimeMs,
    size: st.size,
  };
};

describe('reliability on SQLite', () => {
  for (const wal of [false, true]) {
    it(`part 1: full audits in every format leave a ${wal ? 'WAL-mode' : 'rollback-journal'} file's bytes and mtime alone, and create no side file`, async () => {
      const sub = mkdtempSync(join(dir, 'ro-'));
      const path = join(sub, 'quartz.db');
      makeDb(path, secretRows(5), wal);
      const files = readdirSync(sub).sort();
      const before = fingerprint(path);
      const out = mkdtempSync(join(dir, 'out-'));
      const codes: number[] = [];
      if (wal) {
        // a WAL-mode file without its -wal/-shm: refused in one line (reading would create them)…
        const refused = await runCli(['scan', path, '--format', 'json']);
        expect([refused.code, refused.stderr.trim().split('\n').length]).toEqual([2, 1]);
        expect(refused.stderr).toMatch(/--sqlite-immutable/);
        expect(readdirSync(sub).sort()).toEqual(files);
      }
      // …and read from a private snapshot with --sqlite-immutable
      for (const f of FORMATS) {
        const r = await runCli([
          'scan',
          path,
          '--format',
          f,
          '--output',
          join(out, `r.${f}`),
          ...(wal ? ['--sqlite-immutable'] : []),
        ]);
        codes.push(r.code);
      }
      expect(codes).toEqual([1, 1, 1, 1, 1]);
      const rep = JSON.parse(readFileSync(join(out, 'r.json'), 'utf8')) as Report;
      expect(rep.findings.some((x) => x.check === 'QA-S01' && x.status === 'fail')).toBe(true);
      expect(fingerprint(path)).toEqual(before);
      expect(readdirSync(sub).sort()).toEqual(files);
      for (const f of FORMATS) {
        const text = readFileSync(join(out, `r.${f}`), 'utf8');
        for (const [k, v] of Object.entries(REL_SECRETS)) expect(text.includes(v), `${k} in ${f}`).toBe(false);
      }
    });
  }

  describe('part 5: hostile content in every format', () => {
    const path = join(dir, 'hostile.db');
    const out = join(dir, 'hostile-out');
    const texts: Record<string, string> = {};
    const codes: number[] = [];
    const ready = (async () => {
      makeDb(path, hostileRows());
      // invalid UTF-8 in TEXT columns: SQLite stores the bytes as they are
      const db = new Database(path);
      const bad = Buffer.from([
        0x62, 0x61, 0x64, 0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0x1b, 0x5b, 0x33, 0x31, 0x6d,
      ]);
      db.prepare(
        "INSERT INTO QRTZ_JOB_DETAILS VALUES (?, CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), 'Bad.Utf8', 1, 0, 0, 0, ?)",
      ).run(
        SCHED,
        bad,
        bad,
        bad,
        Buffer.concat([Buffer.from('{"password":"'), bad, Buffer.from(`Utf-${'Kj5h'.repeat(3)}"}`)]),
      );
      db.close();
      execFileSync('mkdir', ['-p', out]);
      for (const f of FORMATS) {
        const r = await runCli([
          'scan',
          path,
          '--format',
          f,
          '--output',
          join(out, `r.${f}`),
          '--max-blob-size',
          '1048576',
        ]);
        codes.push(r.code);
        texts[f] = readFileSync(join(out, `r.${f}`), 'utf8');
        texts[`${f}.stderr`] = r.stderr;
      }
    })();

    it('every audit completes (exit 1: findings) with one summary line', async () => {
      await ready;
      expect(codes).toEqual([1, 1, 1, 1, 1]);
      for (const f of FORMATS) expect(texts[`${f}.stderr`]?.trim().split('\n')).toHaveLength(1);
      for (const f of FORMATS) expect(firstUnsafe(texts[`${f}.stderr`] ?? '')).toBeUndefined();
    });

    it('table and HTML and JUnit hold no raw control, escape or bidi character; the hostile rows are reported', async () => {
      await ready;
      for (const f of ['table', 'html', 'junit']) {
        const t = texts[f] ?? '';
        const m = firstUnsafe(t);
        expect(
          m
            ? `${f}: U+${m.cp.toString(16)} near ${JSON.stringify(t.slice(Math.max(0, m.index - 40), m.index + 20))}`
            : '',
        ).toBe('');
      }
      // the findings about hostile rows are there, made visible
      expect(texts.table).toContain('\\x1b[31mALERT');
      expect(texts.html).toContain('&lt;script&gt;');
    });

    it('JUnit parses as XML (]]> and control characters included)', async () => {
      await ready;
      expect(XMLValidator.validate(texts.junit ?? '')).toBe(true);
    });

    it('JSON and SARIF parse and keep the exact hostile values', async () => {
      await ready;
      const rep = JSON.parse(texts.json ?? '') as Report;
      const all = JSON.stringify(rep);
      for (const [k, v] of Object.entries(HOSTILE).filter(([k]) => k !== 'long')) {
        expect(all.includes(JSON.stringify(`${k}:${v}`).slice(1, -1)), `${k} kept exactly in JSON`).toBe(true);
      }
      const sarif = JSON.parse(texts.sarif ?? '');
      expect(sarif.runs[0].results.length).toBeGreaterThan(0);
    });

    it('blobs that are huge, deeply nested, exponential, cyclic or lying: the right findings, nothing crashes', async () => {
      await ready;
      const rep = JSON.parse(texts.json ?? '') as Report;
      const bad = rep.findings
        .filter((f) => f.status === 'fail' && String(f.object.rowKey ?? '').startsWith(`${SCHED}/bad.`))
        .map((f) => `${f.check} ${f.object.rowKey}`)
        .sort();
      console.info(`[rel sqlite] findings on the bad blobs: ${JSON.stringify([...new Set(bad)])}`);
      expect(bad).toContain(`QA-B05 ${SCHED}/bad.huge-blob`);
      // every bad blob is reported by a blob check (gadget/SerialDOS, unexpected type, malformed, oversize)
      for (const row of [
        'serialdos-nrbf',
        'serialdos-java',
        'deep-json',
        'lying-nrbf',
        'lying-java',
        'cyclic-nrbf',
        'huge-blob',
      ])
        expect(
          bad.some((b) => /^QA-B0[2-5] /.test(b) && b.endsWith(`/bad.${row}`)),
          row,
        ).toBe(true);
      expect(bad).toContain(`QA-B04 ${SCHED}/bad.lying-nrbf`);
      expect(bad).toContain(`QA-B04 ${SCHED}/bad.lying-java`);
    });

    it('HTML in headless Chromium: no script runs, no injected element exists', async (ctx) => {
      await ready;
      const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
      if (!chromium) {
        if (/chromium/i.test(process.env.QRTZ_REQUIRE_DB ?? '')) throw new Error('QRTZ_REQUIRE_DB requires chromium');
        console.warn('SKIPPED (chromium): /usr/bin/chromium is not installed (apt-get install chromium)');
        ctx.skip();
        return;
      }
      const r = spawnSync(
        chromium,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--virtual-time-budget=3000',
          '--dump-dom',
          `file://${join(out, 'r.html')}`,
        ],
        { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
      );
      const dom = r.stdout;
      expect(dom.length, r.stderr.slice(-500)).toBeGreaterThan(1000);
      const title = /<title>([\s\S]*?)<\/title>/.exec(dom)?.[1] ?? '';
      expect(title).not.toMatch(/PWNED/);
      expect(dom).not.toMatch(/<img[^>]*onerror/i);
      expect(dom).not.toMatch(/<evil/i);
      // the report's own markup has no script at all; none was injected
      expect((dom.match(/<script/gi) ?? []).length).toBe((texts.html?.match(/<script/gi) ?? []).length);
      expect(dom).toContain('PWNED-SCRIPT'); // shown as text
    });
  });
});
