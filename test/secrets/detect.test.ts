import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectSecrets, detectSecretsBatch, type SecretHit } from '../../src/secrets/detect.js';
import { Gen } from './corpus/load.js';

const g = new Gen('detect.test');
const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const A62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64 = `${A62}+/`;
const URL = `${A62}_-`;
const HEX = '0123456789abcdef';

function detect(value: string, key?: string, path?: string[]): SecretHit[] {
  const p = path ?? [key ?? 'value'];
  return detectSecrets(key === undefined ? { path: p, value } : { path: p, key, value });
}
const ids = (hits: SecretHit[]) => hits.map((h) => `${h.check}:${h.detector}`);

// Test tokens are assembled at runtime from a prefix and seeded random parts.
const tokens: [string, string, string][] = [
  ['aws-access-key-id', `AKIA${g.pick(A, 16)}`, 'critical'],
  ['aws-access-key-id', `ASIA${g.pick(A, 16)}`, 'critical'],
  ['github-token', `ghp_${g.mixed(A62, 36)}`, 'high'],
  ['github-token', `ghs_${g.mixed(A62, 36)}`, 'high'],
  ['github-token', `github_pat_${g.mixed(A62, 22)}_${g.mixed(A62, 59)}`, 'high'],
  ['gitlab-token', `glpat-${g.mixed(URL, 20)}`, 'high'],
  ['slack-token', `xoxb-${g.pick('0123456789', 12)}-${g.pick('0123456789', 12)}-${g.mixed(A62, 24)}`, 'high'],
  ['slack-webhook', `https://hooks.slack.com/services/T${g.pick(A, 8)}/B${g.pick(A, 10)}/${g.mixed(A62, 24)}`, 'high'],
  ['stripe-key', `sk_live_${g.mixed(A62, 24)}`, 'high'],
  ['stripe-key', `sk_test_${g.mixed(A62, 24)}`, 'medium'],
  ['google-api-key', `AIza${g.mixed(URL, 35)}`, 'high'],
  [
    'azure-storage-key',
    `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${g.mixed(B64, 86)}==;EndpointSuffix=core.windows.net`,
    'critical',
  ],
  [
    'azure-sas',
    `https://acme.blob.core.windows.net/c/b.csv?sv=2022-11-02&sp=r&se=2026-01-01&sig=${g.mixed(B64, 43)}%3D`,
    'critical',
  ],
  ['sendgrid-key', `SG.${g.mixed(URL, 22)}.${g.mixed(URL, 43)}`, 'high'],
  ['twilio', `SK${g.pick(HEX, 30)}a1`, 'high'],
  ['npm-token', `npm_${g.mixed(A62, 36)}`, 'high'],
  ['jwt', g.jwt(), 'high'],
  ['private-key', g.pem('RSA'), 'critical'],
  ['private-key', g.pem('OPENSSH'), 'critical'],
  ['private-key', g.putty(), 'critical'],
  ['url-credentials', `postgres://quartz:${g.password(14, '-_.')}@db:5432/q`, 'high'],
  ['connection-string-password', `Server=db;Database=q;User Id=sa;Password=${g.password(12, '!#')};`, 'high'],
  [
    'connection-string-password',
    `jdbc:sqlserver://sql:1433;databaseName=q;user=s;password=${g.password(12, '!#')}`,
    'high',
  ],
  ['connection-string-password', `jdbc:oracle:thin:scott/${g.password(12, '!#')}@//ora:1521/ORCL`, 'high'],
  ['basic-auth', `Authorization: Basic ${Buffer.from(`svc:${g.password(12)}`).toString('base64')}`, 'high'],
  ['bearer-token', `Authorization: Bearer ${g.mixed(A62, 40)}`, 'high'],
];

describe('QA-S02 patterns', () => {
  it.each(tokens)('%s found in a neutral key, in free text and in a description', (detector, token, severity) => {
    for (const [value, key] of [
      [token, 'value'],
      [`job notes: ${token} (see runbook)`, 'notes'],
      [`Uses ${token}`, ''],
    ] as const) {
      const hits = detect(value, key);
      expect(ids(hits), value).toContain(`QA-S02:${detector}`);
      expect(hits.find((h) => h.detector === detector)?.severity).toBe(severity);
    }
  });

  it('shows at most a public 3-character prefix', () => {
    const gh = detect(`ghp_${g.mixed(A62, 36)}`)[0];
    expect(gh?.publicPrefix).toBe('ghp');
    const aws = detect(`AKIA${g.pick(A, 16)}`)[0];
    expect(aws?.publicPrefix).toBe('AKI');
    const url = detect(`https://u:${g.password(12, '-')}@h.example.com/`)[0];
    expect(url?.publicPrefix).toBeUndefined();
    const pem = detect(g.pem('EC'))[0];
    expect(pem?.publicPrefix).toBeUndefined();
  });

  it('finds AWS secret access keys only with AWS context', () => {
    const sk = g.mixed(B64, 40);
    expect(ids(detect(sk, 'secret_access_key', ['backup', 'aws', 'secret_access_key']))).toEqual([
      'QA-S02:aws-secret-access-key',
    ]);
    expect(ids(detect(`aws_secret_access_key = ${sk}`, ''))).toEqual(['QA-S02:aws-secret-access-key']);
    expect(ids(detect(sk, 'blob'))).not.toContain('QA-S02:aws-secret-access-key');
  });

  it('finds Twilio auth tokens next to an account SID or under a Twilio key', () => {
    const token = g.pick(HEX, 32);
    expect(ids(detect(`AC${g.pick(HEX, 32)}:${token}`, ''))).toEqual(['QA-S02:twilio']);
    expect(ids(detect(token, 'authToken', ['twilio', 'authToken']))).toEqual(['QA-S02:twilio']);
    expect(ids(detect(token, 'checksum'))).toEqual([]);
  });

  it.each([
    ['AWS documentation example id', 'AKIAIOSFODNN7EXAMPLE'],
    ['IAM user id', `AIDA${g.pick(A, 17)}`],
    ['Stripe publishable key', `pk_live_${g.mixed(A62, 24)}`],
    ['public key', `-----BEGIN PUBLIC KEY-----\n${g.pick(B64, 64)}\n-----END PUBLIC KEY-----`],
    ['certificate', `-----BEGIN CERTIFICATE-----\n${g.pick(B64, 64)}\n-----END CERTIFICATE-----`],
    ['URL without credentials', 'https://api.example.com/v2/export?since=2024-01-01&limit=500'],
    ['URL with empty password', 'https://user:@example.com/'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${…} placeholder under test
    ['URL with a referenced password', 'postgres://quartz:${PGPASSWORD}@db/quartz'],
    ['integrated security', 'Server=db;Database=Quartz;Integrated Security=SSPI;'],
    ['empty connection-string password', 'Server=db;Database=Quartz;User Id=q;Password=;'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${…} placeholder under test
    ['referenced connection-string password', 'Host=pg;Database=q;Username=q;Password=${PGPASSWORD}'],
    [
      'Azurite development key',
      'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;',
    ],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${…} placeholder under test
    ['Bearer placeholder', 'Authorization: Bearer ${TOKEN}'],
    ['Basic word', 'Basic report without details.'],
    ['invalid JWT shape', 'eyJhbGciOi.eyJzdWIiOi.abc'],
    ['prose mentioning a password', 'Password reset reminders for users whose password expires in 7 days.'],
  ])('%s is not reported', (_label, value) => {
    expect(ids(detect(value, 'value'))).toEqual([]);
  });
});

describe('QA-S01 key names', () => {
  it('reports a secret-named key with a real value, weak when short or common', () => {
    const strong = detect('Xk9#mQ2!vLp4zz', 'smtp_password');
    expect(ids(strong)).toEqual(['QA-S01:key-name']);
    expect(strong[0]?.weak).toBeUndefined();
    expect(strong[0]?.severity).toBe('high');
    expect(detect('changeme', 'jms.password')[0]?.weak).toBe(true);
    expect(detect('abc12', 'apiKey')[0]?.weak).toBe(true);
    expect(detect('Summer2024', 'ftpPwd')[0]?.weak).toBe(true);
  });
  it('uses the last path element as the key', () => {
    const hits = detectSecrets({ path: ['billing', 'connection', 'password'], value: 'Xk9#mQ2!vLp4zz' });
    expect(ids(hits)).toEqual(['QA-S01:key-name']);
    expect(hits[0]?.path).toEqual(['billing', 'connection', 'password']);
  });
  it('does not use key names for free text (key "")', () => {
    expect(detectSecrets({ path: ['password'], key: '', value: 'Xk9#mQ2!vLp4zz' })).toEqual([]);
  });
  it.each([
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${…} placeholder under test
    '${DB_PASSWORD}',
    '%SMTP_PASS%',
    'vault:secret/db#pw',
    '<password>',
    '***',
    'xxx',
    'null',
    'none',
    'true',
    '',
  ])('ignores placeholder %j', (v) => {
    expect(detect(v, 'password')).toEqual([]);
  });
  it('lets the pattern win over the key name (one finding per value)', () => {
    expect(ids(detect(`ghp_${g.mixed(A62, 36)}`, 'password'))).toEqual(['QA-S02:github-token']);
    expect(ids(detect(`Server=db;User Id=sa;Password=${g.password(12, '!')};`, 'connectionString'))).toEqual([
      'QA-S02:connection-string-password',
    ]);
  });
  it('connection-string keys without a password are not reported', () => {
    expect(detect('Server=db;Database=q;Integrated Security=true;', 'connectionString')).toEqual([]);
  });
  it('marks weak connection-string and URL passwords', () => {
    expect(detect('Server=db;Database=Quartz;User Id=sa;Password=changeme;', 'conn')[0]?.weak).toBe(true);
    expect(detect('amqp://guest:guest@localhost:5672/', 'broker')[0]?.weak).toBe(true);
  });
});

describe('QA-S03 high entropy', () => {
  it('reports random tokens with a key hint, as a bare value, or after a context word', () => {
    expect(ids(detect(g.mixed(B64, 44), 'hmac'))).toEqual(['QA-S03:high-entropy']);
    expect(ids(detect(g.pick(HEX, 64), 'hmac'))).toEqual(['QA-S03:high-entropy']);
    expect(ids(detect(g.mixed(A62, 32), 'value'))).toEqual(['QA-S03:high-entropy']);
    expect(ids(detect(`rotated key: ${g.mixed(A62, 40)}`, ''))).toEqual(['QA-S03:high-entropy']);
    expect(detect(g.mixed(A62, 32), 'value')[0]?.severity).toBe('medium');
  });
  it.each([
    ['GUID', '3f2504e0-4f89-41d3-9d6c-0305e82c3301', 'correlationId'],
    ['GUID in braces', '{3F2504E0-4F89-41D3-9D6C-0305E82C3301}', 'x'],
    ['sha256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'checksum'],
    ['hex under a neutral key', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'value'],
    ['cache key hash', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'cacheKey'],
    ['assembly name', 'Quartz, Version=3.3.3.0, Culture=neutral, PublicKeyToken=f6b8c98a402cc8a4', ''],
    ['type name', 'Quartz.Impl.Calendar.AnnualCalendar', '$type'],
    ['cron', '0 0/5 8-17 ? * MON-FRI', 'cronExpression'],
    ['timestamp', '2024-06-01T02:00:00.1234567+02:00', 'startTimeUtc'],
    ['ticks', '638528256000000000', 'ticks'],
    ['path', '/opt/App/v2/Config/appsettings.Production.json', 'FILE_NAME'],
    ['Windows path', 'C:\\Program Files\\Acme\\Scheduler\\Acme.Scheduler.exe', 'command'],
    ['base64 Java serialization', 'rO0ABXNyABVvcmcucXVhcnR6LkpvYkRhdGFNYXCfsIPov6mwywIAAHhy', 'payload'],
    ['base64 text', 'SGVsbG8gZnJvbSB0aGUgbmlnaHRseSBleHBvcnQgam9iIQ==', 'note'],
    ['ULID', '01HZX3K8Q4VJ5N7M2P9R6T1W0Y', 'ulid'],
    ['request id', 'V1StGXR8_Z5jdHi6B-myTq', 'requestId'],
    ['k8s pod name', 'quartz-scheduler-7d9f8b6c5-x2x4k', 'pod'],
    ['lorem', 'Lorem ipsum dolor sit amet, consectetur adipiscing elit', ''],
  ])('%s is not reported', (_l, value, key) => {
    expect(ids(detect(value, key))).toEqual([]);
  });
});

describe('hits never carry the raw value in serializable form', () => {
  it('secretValue is non-enumerable and absent from JSON, spreads and keys', () => {
    const secrets = tokens.map((t) => t[1]);
    const hits = detectSecretsBatch([
      ...secrets.map((v, i) => ({ path: ['m', `k${i}`], value: v })),
      { path: ['smtp_password'], value: 'Xk9#mQ2!vLp4zz' },
      { path: ['hmac'], value: g.mixed(B64, 44) },
    ]);
    expect(hits.length).toBeGreaterThanOrEqual(secrets.length + 2);
    for (const h of hits) {
      expect(typeof h.secretValue).toBe('string');
      expect(h.secretValue.length).toBe(h.length);
      const json = JSON.stringify(h);
      const spread = JSON.stringify({ ...h });
      expect(Object.keys(h)).not.toContain('secretValue');
      expect(json).not.toContain(h.secretValue);
      expect(spread).not.toContain(h.secretValue);
      expect(h.fingerprint).toMatch(/^[0-9a-f]{12}$/);
      if (h.publicPrefix) expect(h.publicPrefix.length).toBeLessThanOrEqual(3);
    }
  });
  it('a secret that occurs more than once in a value is one hit, with few and with many distinct secrets', () => {
    const a = `ghp_${g.mixed(A62, 36)}`;
    const b = `ghp_${g.mixed(A62, 36)}`;
    const few = detect(`${a} ${b} ${a} ${a} ${b}`, '', ['DESCRIPTION']);
    expect(few.map((h) => h.secretValue)).toEqual([a, b]);
    // past 16 hits the duplicates are found through a set of keys
    const many = Array.from({ length: 40 }, () => `ghp_${g.mixed(A62, 36)}`);
    const hits = detect([...many, ...many.slice(0, 20), many[39], ...many].join(' '), '', ['DESCRIPTION']);
    expect(hits.map((h) => h.secretValue)).toEqual(many);
  });
  it('same secret → same fingerprint', () => {
    const v = `ghp_${g.mixed(A62, 36)}`;
    expect(detect(v, 'a')[0]?.fingerprint).toBe(detect(`x ${v} y`, 'b')[0]?.fingerprint);
  });
});

describe('properties', () => {
  const runs = Number(process.env.QRTZ_PROP_RUNS ?? 300);
  it('never throws and never reports GUIDs, numbers, cron-like or dotted names', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uuid(),
          fc.uuid().map((u) => u.toUpperCase()),
          fc.bigInt({ min: 0n, max: 10n ** 20n }).map(String),
          fc
            .array(fc.constantFrom('0', '*', '?', '1-5', 'MON-FRI', '0/5', 'L', '6#3'), { minLength: 6, maxLength: 7 })
            .map((a) => a.join(' ')),
          fc.array(fc.stringMatching(/^[A-Z][a-z]{2,10}$/), { minLength: 2, maxLength: 6 }).map((a) => a.join('.')),
          fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) }).map((d) => d.toISOString()),
        ),
        fc.constantFrom('value', 'id', 'x', '', 'cronExpression', 'type'),
        (value, key) => {
          expect(detect(value, key)).toEqual([]);
        },
      ),
      { numRuns: runs },
    );
  });
  it('always finds prefixed tokens embedded in arbitrary text', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9]{36}$/),
        fc.string({ maxLength: 40 }),
        fc.string({ maxLength: 40 }),
        (body, pre, post) => {
          const tok = `ghp_${body}`;
          const hits = detect(`${pre} ${tok} ${post}`, '');
          expect(hits.some((h) => h.detector === 'github-token' && h.secretValue === tok)).toBe(true);
        },
      ),
      { numRuns: runs },
    );
  });
  it('arbitrary strings under arbitrary keys never throw', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 30 }), (value, key) => {
        for (const h of detect(value, key))
          expect(value.includes(h.secretValue) || h.detector === 'connection-string-password').toBe(true);
      }),
      { numRuns: runs },
    );
  });
});

describe('public prefixes', () => {
  it('Twilio API key ids show only SK, never a character of the secret part', () => {
    const h = detectSecrets({ path: ['v'], value: `SK${'ab12'.repeat(8)}` })[0];
    expect(h?.detector).toBe('twilio');
    expect(h?.publicPrefix).toBe('SK');
  });
  it.each([
    [`xoxb-${'1'.repeat(12)}-${'2'.repeat(12)}-${'ab'.repeat(12)}`, 'xox'],
    [`SG.${'a'.repeat(22)}.${'b'.repeat(43)}`, 'SG.'],
  ])('%s → %s', (v, p) => {
    expect(detectSecrets({ path: ['v'], value: v })[0]?.publicPrefix).toBe(p);
  });
});
