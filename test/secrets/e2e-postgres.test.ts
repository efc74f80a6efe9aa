/**
 * Every secret detector on a real PostgreSQL JobStore: one fabricated secret per detector, spread
 * round-robin over NRBF, Java, Json.NET and properties JobDataMaps (nested key paths), plus a
 * trigger JobDataMap and the DESCRIPTION column. `qrtz-audit scan` must report each with the right
 * detector, row and key path, and no output format (with --debug) may contain a raw value.
 * Fingerprints are stable across runs with --fingerprint-key-env and differ between keys.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashMap, writeJobDataMap as javaJobDataMap } from '../../src/fixtures/java-writer.js';
import { writeJobDataMap as nrbfJobDataMap } from '../../src/fixtures/nrbf-writer.js';
import { parseReport, runCli } from '../support/cli.js';
import { createQuartzDb, dropAll } from '../support/pg-quartz.js';
import { acquirePostgres, adminSql, type PgServer } from '../support/pg-server.js';
import { Gen } from './corpus/load.js';

const got = await acquirePostgres();
const server = 'skip' in got ? undefined : (got as PgServer);
const DB = `qa${process.pid}_secrets`;
const OWNER = `qa${process.pid}_sowner`;

const g = new Gen('e2e-postgres');
const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const A62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64 = `${A62}+/`;
const URLS = `${A62}_-`;
const HEX = '0123456789abcdef';

/** [detector, key path inside the map, value, raw secret that must never be printed]. */
const cases: [string, string[], string, string][] = [];
const add = (detector: string, path: string[], value: string, secret = value) =>
  cases.push([detector, path, value, secret]);
{
  const pw = g.password(14, '!#*');
  add('key-name', ['billing', 'connection', 'password'], pw);
  add('high-entropy', ['webhook', 'hmac'], g.mixed(B64, 44));
  add('aws-access-key-id', ['aws', 'keyId'], `AKIA${g.pick(A, 16)}`);
  add('aws-secret-access-key', ['aws', 'secret_access_key'], g.mixed(B64, 40));
  add('github-token', ['ci', 'token'], `ghp_${g.mixed(A62, 36)}`);
  add('gitlab-token', ['mirror', 'value'], `glpat-${g.mixed(URLS, 20)}`);
  add(
    'slack-token',
    ['notify', 'bot'],
    `xoxb-${g.pick('0123456789', 12)}-${g.pick('0123456789', 12)}-${g.mixed(A62, 24)}`,
  );
  add(
    'slack-webhook',
    ['notify', 'url'],
    `https://hooks.slack.com/services/T${g.pick(A, 8)}/B${g.pick(A, 10)}/${g.mixed(A62, 24)}`,
  );
  add('stripe-key', ['billing', 'stripe'], `sk_live_${g.mixed(A62, 24)}`);
  add('google-api-key', ['geo', 'maps'], `AIza${g.mixed(URLS, 35)}`);
  const accountKey = `${g.mixed(B64, 86)}==`;
  add(
    'azure-storage-key',
    ['archive', 'storage'],
    `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${accountKey};EndpointSuffix=core.windows.net`,
    accountKey,
  );
  const sig = `${g.mixed(B64, 43)}%3D`;
  add(
    'azure-sas',
    ['archive', 'upload'],
    `https://acme.blob.core.windows.net/c/x.csv?sv=2022-11-02&sp=rw&se=2026-01-01&sig=${sig}`,
    sig,
  );
  add('sendgrid-key', ['mail', 'provider'], `SG.${g.mixed(URLS, 22)}.${g.mixed(URLS, 43)}`);
  add('twilio', ['sms', 'sid'], `SK${g.pick(HEX, 30)}a1`);
  add('npm-token', ['publish', 'npmrc'], `npm_${g.mixed(A62, 36)}`);
  add('jwt', ['api', 'assertion'], g.jwt());
  const pem = g.pem('RSA');
  add('private-key', ['sftp', 'identity'], pem);
  const urlPw = g.password(14, '-_.');
  add('url-credentials', ['source', 'db'], `postgres://etl:${urlPw}@db.internal:5432/dw`, urlPw);
  const csPw = g.password(12, '!#');
  add('connection-string-password', ['target', 'sql'], `Server=sql01;Database=dw;User Id=etl;Password=${csPw};`, csPw);
  const basic = Buffer.from(`svc:${g.password(12)}`).toString('base64');
  add('basic-auth', ['http', 'headers'], `Authorization: Basic ${basic}`, basic);
  const bearer = g.mixed(A62, 40);
  add('bearer-token', ['http', 'auth'], `Bearer ${bearer}`, bearer);
}
const FORMATS = ['nrbf', 'java', 'json', 'properties'] as const;
type Format = (typeof FORMATS)[number];

function blobOf(format: Format, path: string[], value: string): Uint8Array {
  const [outer, inner] = path.length === 3 ? [path[0] as string, path.slice(1)] : [path[0] as string, path.slice(1)];
  switch (format) {
    case 'nrbf': {
      let v: Parameters<typeof nrbfJobDataMap>[0][string] = value;
      for (let i = inner.length - 1; i >= 0; i--) v = { dictionary: { [inner[i] as string]: v } };
      return nrbfJobDataMap({ [outer]: v, retries: 3 });
    }
    case 'java': {
      let v: Parameters<typeof javaJobDataMap>[0][string] = value;
      for (let i = inner.length - 1; i >= 0; i--) v = hashMap({ [inner[i] as string]: v });
      return javaJobDataMap({ [outer]: v, count: 7 });
    }
    case 'json': {
      let v: unknown = value;
      for (let i = inner.length - 1; i >= 0; i--) v = { [inner[i] as string]: v };
      return Buffer.from(JSON.stringify({ $type: 'Quartz.JobDataMap, Quartz', [outer]: v, retries: 3 }));
    }
    case 'properties': {
      const esc = value
        .replace(/\\/g, '\\\\')
        .replace(/\n/g, '\\n')
        .replace(/^([#! ])/, '\\$1');
      return Buffer.from(`#Fri Nov 27 03:06:46 UTC 2026\n${path.join('.')}=${esc}\nuser=svc\n`);
    }
  }
}

/** Key path as a decoder reports it for that format (properties keys are flat dotted names). */
function expectedKeyPath(format: Format, path: string[]): string {
  return format === 'properties' ? path.join('.') : path.join(' › ');
}

describe.skipIf(!server)('every secret detector on a real PostgreSQL JobStore', () => {
  const s = server as PgServer;
  const out = mkdtempSync(join(tmpdir(), 'qrtz-secrets-'));
  const expected: { rowKey: string; detector: string; keyPath: string }[] = [];
  const descSecret = `https://hooks.slack.com/services/T${g.pick(A, 8)}/B${g.pick(A, 10)}/${g.mixed(A62, 24)}`;
  const triggerSecret = g.password(13, '!#');

  beforeAll(async () => {
    await createQuartzDb(s, DB, 'public', OWNER);
    for (const [i, [detector, path, value]] of cases.entries()) {
      const format = FORMATS[i % FORMATS.length] as Format;
      const name = `job-${i}-${format}`;
      await adminSql(s, DB, 'INSERT INTO qrtz_job_details VALUES ($1, $2, $3, $4, $5, true, false, false, false, $6)', [
        'Sched',
        name,
        'secrets',
        null,
        'Acme.Jobs.Sync, Acme.Jobs',
        Buffer.from(blobOf(format, path, value)),
      ]);
      expected.push({ rowKey: `Sched/secrets.${name}`, detector, keyPath: expectedKeyPath(format, path) });
    }
    await adminSql(s, DB, 'INSERT INTO qrtz_job_details VALUES ($1, $2, $3, $4, $5, true, false, false, false, $6)', [
      'Sched',
      'described',
      'secrets',
      `Posts results to ${descSecret} every night`,
      'Acme.Jobs.Report, Acme.Jobs',
      Buffer.from(''),
    ]);
    expected.push({ rowKey: 'Sched/secrets.described', detector: 'slack-webhook', keyPath: 'DESCRIPTION' });
    await adminSql(
      s,
      DB,
      `INSERT INTO qrtz_triggers (sched_name, trigger_name, trigger_group, job_name, job_group, trigger_state, trigger_type, start_time, job_data)
       VALUES ('Sched', 'nightly', 'tg', 'described', 'secrets', 'WAITING', 'CRON', 0, $1)`,
      [Buffer.from(nrbfJobDataMap({ jms: { dictionary: { password: triggerSecret } } }))],
    );
    expected.push({ rowKey: 'Sched/tg.nightly', detector: 'key-name', keyPath: 'jms › password' });
  });
  afterAll(async () => {
    rmSync(out, { recursive: true, force: true });
    try {
      await dropAll(s, [DB], [OWNER]);
    } finally {
      await s.stop();
    }
  });

  const target = () => `postgres://postgres@127.0.0.1:${s.port}/${DB}?sslmode=disable`;

  it('reports each secret with its detector, row and key path', async () => {
    const rep = parseReport(await runCli(['scan', target(), '--only', 'blobs', '--format', 'json']));
    const found = rep.findings
      .filter((f) => f.check.startsWith('QA-S') && f.status === 'fail')
      .map((f) => `${f.object.rowKey} ${f.evidence?.detector} ${f.evidence?.keyPath}`);
    for (const e of expected)
      expect(found, `${e.detector} in ${e.rowKey}`).toContain(`${e.rowKey} ${e.detector} ${e.keyPath}`);
    // nothing else: one finding per planted secret
    expect(found.length).toBe(expected.length);
    const sev = (d: string) => rep.findings.find((f) => f.evidence?.detector === d)?.severity;
    expect(sev('private-key')).toBe('critical');
    expect(sev('aws-access-key-id')).toBe('critical');
    expect(sev('high-entropy')).toBe('medium');
    expect(sev('key-name')).toBe('high');
  });

  it('no raw secret in any output format or file, even with --debug', async () => {
    const base = ['--debug', 'scan', target(), '--only', 'blobs'];
    const runs = [
      await runCli([...base, '--format', 'json']),
      await runCli([...base, '--format', 'table', '--verbose']),
      await runCli([...base, '--format', 'sarif', '--output', join(out, 'r.sarif')]),
      await runCli([...base, '--format', 'junit', '--output', join(out, 'r.xml')]),
      await runCli([...base, '--format', 'html', '--output', join(out, 'r.html')]),
    ];
    expect(runs.map((r) => r.code)).toEqual([1, 1, 1, 1, 1]);
    const text = [
      ...runs.map((r) => r.stdout + r.stderr),
      readFileSync(join(out, 'r.sarif'), 'utf8'),
      readFileSync(join(out, 'r.xml'), 'utf8'),
      readFileSync(join(out, 'r.html'), 'utf8'),
    ].join('\n');
    expect(text).toContain('QA-S02');
    const secrets = [...cases.map((c) => c[3]), descSecret, triggerSecret];
    for (const secret of secrets) {
      expect(text.includes(secret), `leaked ${secret.slice(0, 3)}… (${secret.length})`).toBe(false);
      expect(text.includes(encodeURIComponent(secret)), 'leaked URL-encoded').toBe(false);
      expect(text.includes(JSON.stringify(secret).slice(1, -1)), 'leaked JSON-escaped').toBe(false);
    }
  });

  it('fingerprints are stable with --fingerprint-key-env and differ across keys', async () => {
    const fps = async (key: string) => {
      process.env.QRTZ_TEST_FP_KEY = key;
      const rep = parseReport(
        await runCli([
          'scan',
          target(),
          '--only',
          'blobs',
          '--format',
          'json',
          '--fingerprint-key-env',
          'QRTZ_TEST_FP_KEY',
        ]),
      );
      return rep.findings
        .filter((f) => f.check.startsWith('QA-S') && f.status === 'fail')
        .map((f) => `${f.object.rowKey} ${f.evidence?.keyPath} ${f.evidence?.fingerprint}`)
        .sort();
    };
    const a1 = await fps('baseline-key-one');
    const a2 = await fps('baseline-key-one');
    const b = await fps('baseline-key-two');
    delete process.env.QRTZ_TEST_FP_KEY;
    expect(a1).toEqual(a2);
    expect(a1.length).toBe(expected.length);
    expect(b).not.toEqual(a1);
  });
});
