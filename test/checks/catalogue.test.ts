/** #11 part 1/6: one id, one check — one metadata record per id, one title and severity whatever the engine,
 *  and the catalogue, `qrtz-audit checks` and SARIF rules agree with it. */
import { describe, expect, it } from 'vitest';
import { catalogue, formatCatalogue } from '../../src/checks/catalogue.js';
import { allChecks } from '../../src/checks/index.js';
import { parseFamilies } from '../../src/commands/scan.js';
import { CONFIG_CHECK_META } from '../../src/config/checks.js';
import { decodeBlob } from '../../src/decode/index.js';
import { evaluateFacts, inspectBlobWith } from '../../src/engine.js';
import { emptyFacts } from '../../src/facts.js';
import { writeJobDataMap } from '../../src/fixtures/java-writer.js';
import type { Dialect } from '../../src/model.js';
import { DIALECT_NAMES, DIALECTS, FAMILIES } from '../../src/model.js';
import { formatSarif } from '../../src/report/sarif.js';
import { runCli } from '../support/cli.js';

describe('check catalogue', () => {
  it('holds exactly one metadata record per id (database and config checks together)', () => {
    const ids = [...allChecks.map((c) => c.meta.id), ...Object.keys(CONFIG_CHECK_META)];
    const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
    expect(dupes).toEqual([]);
    expect(catalogue().map((e) => e.id)).toEqual([...new Set(ids)].sort());
  });

  it('every engine reports the same title, family and default severity for an id', () => {
    // Run every check over empty facts of every dialect: whatever each engine part says, the finding's
    // title/family/mitigation are the id's one record.
    const byId = new Map<string, Set<string>>();
    for (const d of DIALECTS) {
      for (const f of evaluateFacts(emptyFacts(d), allChecks, new Set(FAMILIES))) {
        const s = byId.get(f.check) ?? new Set<string>();
        s.add(`${f.title}\u0000${f.family}\u0000${f.mitigation}`);
        byId.set(f.check, s);
      }
    }
    expect(byId.size).toBeGreaterThan(20);
    for (const [id, s] of byId) expect([...s], id).toHaveLength(1);
  });

  it('a check that applies to a dialect without an evaluator reports not-evaluated there, never a pass', () => {
    const entries = catalogue();
    const pending = entries.filter((e) => e.notYetEvaluated.length > 0);
    expect(pending.map((e) => e.id)).toContain('QA-A01');
    for (const e of pending) {
      for (const d of e.notYetEvaluated) {
        const fs = evaluateFacts(emptyFacts(d), allChecks, new Set(FAMILIES)).filter((f) => f.check === e.id);
        expect(
          fs.map((f) => [f.status, f.message]),
          `${e.id} on ${d}`,
        ).toEqual([['not-evaluated', `not yet evaluated on ${DIALECT_NAMES[d]}`]]);
      }
    }
  });

  it("QA-U02 on SQL Server is not-evaluated, never judged against another vendor's end-of-support table", () => {
    const f = emptyFacts('mssql', { server: { product: 'Microsoft SQL Server', version: '5.7.44' } });
    const u02 = evaluateFacts(f, allChecks, new Set(FAMILIES)).filter((x) => x.check === 'QA-U02');
    expect(u02.map((x) => [x.status, x.message])).toEqual([['not-evaluated', 'not yet evaluated on SQL Server']]);
  });

  it('MySQL meanings of the old QA-G03/G04 have their own ids; QA-G03/G04 are PostgreSQL-only in meaning', () => {
    const e = (id: string) => catalogue().find((x) => x.id === id);
    expect(e('QA-G11')?.dialects).toEqual(['mysql', 'mariadb']);
    expect(e('QA-G12')?.dialects).toEqual(['mysql', 'mariadb']);
    for (const id of ['QA-G03', 'QA-G04']) {
      expect(e(id)?.dialects).not.toContain('mysql');
      expect(e(id)?.dialects).not.toContain('mariadb');
    }
  });

  it('content checks judge a decoded blob and the options only: no facts (inspect-blob and config files have none)', () => {
    const content = allChecks.filter((c) => c.inspectBlob);
    expect(content.length).toBeGreaterThan(10);
    for (const c of content) {
      expect(['content'], c.meta.id).toContain(c.meta.family);
      expect(c.inspectBlob?.length ?? 0, c.meta.id).toBeLessThanOrEqual(2);
    }
    const blob = {
      row: {
        table: 'JOB_DETAILS' as const,
        tableName: 'QRTZ_JOB_DETAILS',
        column: 'JOB_DATA',
        key: { sched: 's', name: 'n' },
        size: 3,
      },
      decoded: decodeBlob(new Uint8Array([1, 2, 3])),
    };
    // A truncated Java-serialized JobDataMap: malformed (QA-B04), judged without facts.
    blob.decoded = decodeBlob(writeJobDataMap({ a: 'b', c: 1 }).subarray(0, 220));
    const f = inspectBlobWith(blob, allChecks, new Set(FAMILIES));
    expect(f.filter((x) => /failed internally/.test(x.message))).toEqual([]);
    expect(f.map((x) => x.check)).toContain('QA-B04');
  });

  it('registers the config checks as family config', () => {
    const config = catalogue().filter((e) => e.family === 'config');
    expect(config.map((e) => e.id)).toEqual(Object.keys(CONFIG_CHECK_META).sort());
    expect(config.length).toBe(12);
  });

  it('every dialect a check applies to names what the audit login needs there', () => {
    for (const e of catalogue()) {
      if (e.source !== 'database') continue;
      for (const d of e.dialects) expect(e.needs[d], `${e.id} on ${d}`).toBeTruthy();
    }
  });

  it('SARIF rules carry the catalogue title and the dialect remediation, never the first finding', () => {
    const report = {
      tool: { name: 'qrtz-audit', version: '0' },
      target: { dialect: 'mysql' },
      startedAt: '',
      durationMs: 0,
      summary: { incomplete: false, incompleteChecks: [], failOn: 'high' },
      unreadable: [],
      findings: [
        {
          check: 'QA-A01',
          severity: 'low',
          status: 'fail',
          title: 'a title some engine once had',
          message: 'm',
          object: { kind: 'database', name: 'd' },
          remediation: 'finding-specific remediation',
          mitigation: 'x',
          family: 'audit',
          fingerprint: 'f',
        },
      ],
    } as unknown as Parameters<typeof formatSarif>[0];
    const rule = JSON.parse(formatSarif(report)).runs[0].tool.driver.rules[0];
    const entry = catalogue().find((e) => e.id === 'QA-A01');
    expect(rule.shortDescription.text).toBe(entry?.title);
    expect(rule.help.text).toBe(entry?.remediationByDialect.mysql);
    expect(rule.defaultConfiguration.level).toBe('error'); // high, not the finding's low
  });
});

describe('families', () => {
  it('--only blobs / --skip blobs stay an alias for what blobs covered (content, scheduler, updates)', () => {
    expect([...parseFamilies('blobs')].sort()).toEqual(['content', 'scheduler', 'updates']);
    expect([...parseFamilies('grants,blobs')].sort()).toEqual(['content', 'grants', 'scheduler', 'updates']);
    expect([...parseFamilies(undefined, 'blobs')].sort()).toEqual(['audit', 'config', 'encryption', 'grants']);
    expect(() => parseFamilies('blob')).toThrow(
      /unknown check family blob .*alias blobs = content\+scheduler\+updates/,
    );
  });
});

describe('qrtz-audit checks', () => {
  it('prints the catalogue as JSON, one record per id', async () => {
    const r = await runCli(['checks', '--format', 'json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { id: string }[];
    expect(list.map((x) => x.id)).toEqual(catalogue().map((e) => e.id));
  });

  it('--dialect mssql lists what applies to SQL Server, with the permission and "not yet evaluated"', async () => {
    const r = await runCli(['checks', '--dialect', 'mssql', '--format', 'markdown']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(formatCatalogue(catalogue(), 'markdown', 'mssql' as Dialect));
    const a01 = r.stdout.split('\n').find((l) => l.startsWith('| QA-A01 |'));
    expect(a01).toContain('mssql (not yet evaluated)');
    expect(a01).toContain('VIEW AUDIT STATE');
    expect(r.stdout).not.toContain('| QA-G10 |'); // MySQL-only
    expect(r.stdout).not.toContain('| QA-C01 |'); // config files, not a database
  });

  it('a bad --dialect or --format is one usage line, exit 2', async () => {
    const bad = await runCli(['checks', '--dialect', 'oracle']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect((await runCli(['checks', '--format', 'xml'])).code).toBe(2);
  });
});
