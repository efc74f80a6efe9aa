import { describe, expect, it } from 'vitest';
import { s01 as qaS01 } from '../../src/checks/content/s01.js';
import { s02 } from '../../src/checks/content/s02.js';
import { s03 } from '../../src/checks/content/s03.js';
import { scanBlob } from '../../src/checks/content/secrets-scan.js';
import { decodeBlob } from '../../src/decode/index.js';
import { finalize } from '../../src/engine.js';
import { hashMap, writeJobDataMap as javaJobDataMap } from '../../src/fixtures/java-writer.js';
import { writeJobDataMap as nrbfJobDataMap } from '../../src/fixtures/nrbf-writer.js';
import type { DecodeResult, Facts, FindingDraft, ScannedBlob } from '../../src/model.js';
import { checkOptions } from '../../src/model.js';
import { REDACTED, redact, scrubbable } from '../../src/secrets/redact.js';

/** The secret checks (they were the registry of src/checks/secrets/ before #11 merged it into content/). */
const checks = [qaS01, s02, s03];

import { Gen } from './corpus/load.js';

const g = new Gen('checks.test');
const A62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const _facts = {} as Facts;
const options = checkOptions({ maxBlobSize: 1 << 20 });

function decoded(partial: Partial<DecodeResult>): DecodeResult {
  return { format: 'nrbf', nestedFormats: [], types: [], entries: [], strings: [], ...partial };
}

function blob(d: DecodeResult, row: Partial<ScannedBlob['row']> = {}): ScannedBlob {
  return {
    row: {
      table: 'JOB_DETAILS',
      tableName: 'qrtz_job_details',
      column: 'JOB_DATA',
      key: { sched: 'Sched', group: 'billing', name: 'sync' },
      size: 100,
      ...row,
    },
    decoded: d,
  };
}

function run(b: ScannedBlob): Record<string, FindingDraft[]> {
  const out: Record<string, FindingDraft[]> = {};
  for (const c of checks) out[c.meta.id] = c.inspectBlob?.(b, options) ?? [];
  return out;
}

describe('secret checks on handmade decode results', () => {
  const password = 'Xk9#mQ2!vLp4zz';
  const weak = 'changeme';
  const ghp = `ghp_${g.mixed(A62, 36)}`;
  const random = g.mixed(A62, 40);
  const b = blob(
    decoded({
      entries: [
        { path: ['billing', 'connection', 'password'], value: password },
        { path: ['smtp_password'], value: weak },
        { path: ['notify', 'token'], value: ghp },
        { path: ['hmac'], value: random },
        { path: ['count'], value: 5 },
        { path: ['tokens', '[0]'], value: 'Zq8rT5vXw2Lm9Np4' },
        { path: ['nested'], value: { type: 'System.Collections.Hashtable' } },
      ],
      strings: [
        // duplicates of entry values (different paths, as parsers report them) are not reported twice
        { path: ['map', 'billing', 'connection', 'password'], value: password },
        { path: ['map', 'notify', 'token'], value: ghp },
        { path: ['member', 'endpoint'], value: 'postgres://quartz:Pg5ecretPw@db.internal/quartz' },
        { path: ['member', 'password'], value: 'only-as-a-string-1' },
      ],
    }),
    {
      description: `Posts with xoxb-123456789012-123456789012-${g.mixed(A62, 24)}`,
      jobClassName: 'Acme.Jobs.SyncJob, Acme.Jobs',
    },
  );
  const res = run(b);

  it('QA-S01 reports secret-named keys with key paths, weak notes and no raw value', () => {
    const s01 = res['QA-S01'] ?? [];
    expect(s01.map((d) => d.evidence?.keyPath).sort()).toEqual([
      'billing › connection › password',
      'smtp_password',
      'tokens › [0]',
    ]);
    const billing = s01.find((d) => d.evidence?.keyPath === 'billing › connection › password');
    expect(billing?.message).toBe('JobDataMap key path billing › connection › password holds a secret (length 14)');
    expect(billing?.status).toBe('fail');
    expect(billing?.severity).toBe('high');
    expect(billing?.object).toEqual({
      kind: 'row',
      name: 'qrtz_job_details.JOB_DATA Sched/billing.sync',
      table: 'qrtz_job_details',
      rowKey: 'Sched/billing.sync',
    });
    expect(billing?.discriminator).toBe('key-name:billing/connection/password');
    const smtp = s01.find((d) => d.evidence?.keyPath === 'smtp_password');
    expect(smtp?.message).toContain('weak');
    expect(smtp?.evidence?.weak).toBe(true);
    expect(smtp?.evidence?.length).toBe(8);
    expect(smtp?.evidence?.fingerprint).toMatch(/^[0-9a-f]{12}$/);
  });

  it('QA-S02 reports patterns in entries, strings and text columns, once each', () => {
    const s02 = res['QA-S02'] ?? [];
    const byDetector = s02.map((d) => `${d.evidence?.detector}@${d.evidence?.keyPath}`).sort();
    expect(byDetector).toEqual([
      'github-token@notify › token',
      'slack-token@DESCRIPTION',
      'url-credentials@member › endpoint',
    ]);
    const gh = s02.find((d) => d.evidence?.detector === 'github-token');
    expect(gh?.evidence?.prefix).toBe('ghp');
    expect(gh?.message).toBe('JobDataMap key path notify › token holds a GitHub token (length 40, prefix ghp)');
    expect(s02.find((d) => d.evidence?.detector === 'slack-token')?.message).toMatch(
      /^column DESCRIPTION holds a Slack token/,
    );
    expect(s02.find((d) => d.evidence?.detector === 'url-credentials')?.message).toMatch(
      /^JOB_DATA string at member › endpoint holds/,
    );
  });

  it('QA-S03 reports high-entropy values with a key hint', () => {
    const s03 = res['QA-S03'] ?? [];
    expect(s03.map((d) => d.evidence?.keyPath)).toEqual(['hmac']);
    expect(s03[0]?.severity).toBe('medium');
  });

  it('strings are checked for patterns only, not for key names', () => {
    const all = Object.values(res).flat();
    expect(all.some((d) => d.evidence?.keyPath === 'member › password')).toBe(false);
  });

  it('no draft contains a raw secret, and every raw secret is registered for redaction', () => {
    const json = JSON.stringify(res);
    for (const h of scanBlob(b)) {
      expect(json).not.toContain(h.hit.secretValue);
      // Short or word-like values (e.g. "changeme") are never scrubbed from ordinary text (#10 part 5):
      // they are kept out of drafts in the first place (asserted above).
      if (scrubbable(h.hit.secretValue)) expect(redact(`x ${h.hit.secretValue} y`)).toBe(`x ${REDACTED} y`);
    }
    expect(json).not.toContain(password);
    expect(json).not.toContain(ghp);
    expect(json).not.toContain('Pg5ecretPw');
  });

  it('the engine turns drafts into findings of family content', () => {
    const s01 = checks[0];
    const d = res['QA-S01']?.[0];
    if (!s01 || !d) throw new Error('missing');
    const f = finalize(s01, d);
    expect(f.family).toBe('content');
    expect(f.check).toBe('QA-S01');
    expect(f.remediation).toMatch(/secret store/);
  });
});

describe('deduplication', () => {
  it('one draft per (path, detector) in a row, counting the values', () => {
    const t1 = `ghp_${g.mixed(A62, 36)}`;
    const t2 = `ghp_${g.mixed(A62, 36)}`;
    const res = run(blob(decoded({ entries: [{ path: ['cmd'], value: `sync --from ${t1} --to ${t2}` }] })));
    expect(res['QA-S02']).toHaveLength(1);
    expect(res['QA-S02']?.[0]?.evidence?.count).toBe(2);
    expect(res['QA-S02']?.[0]?.message).toContain('2 values');
  });
  it('calendar rows name the row without a group', () => {
    const res = run(
      blob(decoded({ entries: [{ path: ['apiKey'], value: 'Zq8rT5vXw2Lm9Np4' }] }), {
        table: 'CALENDARS',
        tableName: 'qrtz_calendars',
        column: 'CALENDAR',
        key: { sched: 'S', name: 'holidays' },
      }),
    );
    expect(res['QA-S01']?.[0]?.object.name).toBe('qrtz_calendars.CALENDAR S/holidays');
    expect(res['QA-S01']?.[0]?.message).toMatch(/^CALENDAR key path apiKey holds/);
  });
  it('a clean blob gives no drafts', () => {
    const res = run(
      blob(
        decoded({
          entries: [{ path: ['FILE_NAME'], value: '/var/lib/quartz/in.csv' }],
          strings: [{ path: ['x'], value: 'Quartz.JobDataMap' }],
        }),
      ),
    );
    expect(Object.values(res).flat()).toEqual([]);
  });
});

describe('secret checks on real decoder output', () => {
  const pw = 'Xk9#mQ2!vLp4zz';
  const aws = `AKIA${g.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`;
  const cases: [string, Uint8Array][] = [
    [
      'NRBF (Quartz.NET 3.x Dictionary)',
      nrbfJobDataMap({
        billing: { dictionary: { connection: { dictionary: { password: pw } } } },
        upload: { list: ['x', aws] },
      }),
    ],
    [
      'NRBF (Quartz.NET 1.x Hashtable)',
      nrbfJobDataMap(
        { billing: { hashtable: { connection: { hashtable: { password: pw } } } }, upload: aws },
        { layout: '1.x' },
      ),
    ],
    ['Java JobDataMap', javaJobDataMap({ billing: hashMap({ connection: hashMap({ password: pw }) }), upload: aws })],
    [
      'Json.NET',
      Buffer.from(
        JSON.stringify({
          $type: 'Quartz.JobDataMap, Quartz',
          billing: { connection: { password: pw } },
          upload: [aws],
        }),
      ),
    ],
    [
      'properties',
      Buffer.from(
        `#quartz\nbilling.connection.password=${pw.replace(/#/g, '\\#').replace(/!/g, '\\!')}\nupload=${aws}\n`,
      ),
    ],
  ];
  it.each(cases)('%s: S01 with the key path and S02 for the AWS key id', (_label, bytes) => {
    const d = decodeBlob(bytes);
    const res = run(blob(d));
    const s01 = res['QA-S01'] ?? [];
    expect(s01).toHaveLength(1);
    expect(['billing › connection › password', 'billing.connection.password']).toContain(s01[0]?.evidence?.keyPath);
    expect(s01[0]?.evidence?.length).toBe(pw.length);
    const s02 = res['QA-S02'] ?? [];
    expect(s02.map((x) => x.evidence?.detector)).toEqual(['aws-access-key-id']);
    expect(s02[0]?.severity).toBe('critical');
    expect(JSON.stringify(res)).not.toContain(pw);
    expect(JSON.stringify(res)).not.toContain(aws);
  });
});

describe('hostile key paths', () => {
  it('escapes control and bidi characters and shortens long keys in messages and evidence', () => {
    const key = `pass\u001b[31mword\u202e${'x'.repeat(500)}`;
    const res = run(blob(decoded({ entries: [{ path: ['a\nb', key, 'password'], value: 'Xk9#mQ2!vLp4zz' }] })));
    const d = res['QA-S01']?.[0];
    expect(d).toBeDefined();
    const text = `${d?.message} ${d?.evidence?.keyPath}`;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence
    expect(text).not.toMatch(/[\u0000-\u001f\u202e]/);
    expect(String(d?.evidence?.keyPath).length).toBeLessThanOrEqual(300);
    expect(d?.evidence?.keyPath).toContain('\\x1b');
  });
});

describe('key names scanned as free text (remembered across blobs when they hold no secret)', () => {
  const ghpKey = `ghp_${g.mixed(A62, 36)}`;
  const maps = [
    { [ghpKey]: 'x', endpoint: 'https://svc.example.com/a' },
    { endpoint: 'https://svc.example.com/b', [ghpKey]: 7 },
  ];
  for (const [name, write] of [
    ['nrbf', nrbfJobDataMap],
    ['java', javaJobDataMap],
  ] as const) {
    it(`${name}: a key name that is a token is reported as a string on every blob; a clean one never`, () => {
      for (let round = 0; round < 2; round++)
        for (const m of maps) {
          const hits = scanBlob(blob(decodeBlob(write(m))));
          const strings = hits.filter((h) => h.source === 'string');
          expect(strings.map((h) => [h.hit.detector, h.hit.secretValue])).toEqual([['github-token', ghpKey]]);
          expect(hits.some((h) => h.hit.secretValue.includes('endpoint'))).toBe(false);
        }
    });
  }

  it('a string equal to a remembered key name elsewhere in another blob gets the same (no) hits', () => {
    scanBlob(blob(decoded({ entries: [{ path: ['reportName'], value: 'r' }] })));
    const later = blob(
      decoded({
        strings: [
          { path: ['other'], value: 'reportName' },
          { path: ['t'], value: ghpKey },
        ],
      }),
    );
    expect(scanBlob(later).map((h) => h.hit.path)).toEqual([['t']]);
  });
});

describe('strings equal to an entry value are not scanned again', () => {
  it('however many entry values share a length (one value, a list, a Set per length)', () => {
    for (const n of [1, 2, 8, 9, 30]) {
      const tokens = Array.from({ length: n }, () => `ghp_${g.mixed(A62, 36)}`);
      const other = `ghp_${g.mixed(A62, 36)}`;
      const hits = scanBlob(
        blob(
          decoded({
            entries: tokens.map((t, i) => ({ path: ['tokens', String(i)], value: t })),
            strings: [...tokens, other].map((t, i) => ({ path: ['s', `@${i}`], value: t })),
          }),
        ),
      );
      expect(hits.filter((h) => h.source === 'entry')).toHaveLength(n);
      expect(hits.filter((h) => h.source === 'string').map((h) => h.hit.secretValue)).toEqual([other]);
    }
  });
});
