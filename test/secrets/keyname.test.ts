import { describe, expect, it } from 'vitest';
import { classifyKey, keyParts } from '../../src/secrets/keyname.js';
import { isPlaceholder } from '../../src/secrets/placeholder.js';
import { commonPasswords, isWeak } from '../../src/secrets/weak.js';

describe('keyParts', () => {
  it.each([
    ['smtp_password', ['smtp', 'password']],
    ['SmtpPassword', ['smtp', 'password']],
    ['SMTPPassword', ['smtp', 'password']],
    ['db.password', ['db', 'password']],
    ['apiKey', ['api', 'key']],
    ['x-api-key', ['x', 'api', 'key']],
    ['java.naming.security.credentials', ['java', 'naming', 'security', 'credentials']],
    ['API_KEY2', ['api', 'key', '2']],
    ['', []],
  ])('%s', (key, parts) => {
    expect(keyParts(key)).toEqual(parts);
  });
});

describe('classifyKey: secret key names by word parts', () => {
  it.each([
    'password',
    'smtp_password',
    'SmtpPassword',
    'db.password',
    'DB_PASSWORD',
    'passwd',
    'pwd',
    'ftpPwd',
    'pass',
    'ADMIN_PASS',
    'secret',
    'client_secret',
    'clientSecret',
    'webhookSecret',
    'webhook-secret',
    'token',
    'accessToken',
    'refresh_token',
    'apikey',
    'api_key',
    'api-key',
    'apiKey',
    'x-api-key',
    'accesskey',
    'accessKey',
    'secretKey',
    'privateKey',
    'connectionString',
    'connectionstring',
    'credential',
    'credentials',
    'java.naming.security.credentials',
    'jms.password',
    'mail.smtp.password',
    'auth',
    'bearer',
    'smtppassword',
    'dbapikey',
    'password1',
    'signingKey',
  ])('%s is a secret key', (key) => {
    expect(classifyKey(key).secret).toBe(true);
  });

  it.each([
    'passenger',
    'compass',
    'bypass',
    'author',
    'authority',
    'tokenizer',
    'secretary',
    'passThrough',
    'password_length',
    'passwordPolicy',
    'passwordExpiryDays',
    'tokenUrl',
    'token_type',
    'secretName',
    'apiKeyId',
    'publicKey',
    'public_key',
    'PublicKeyToken',
    'csrf_token',
    'keyVaultUri',
    'authType',
    'smtp_username',
    'privateKeyPath',
    'passwordFile',
    'passwordHash',
    'key',
    'cacheKey',
    '',
  ])('%s is not a secret key', (key) => {
    expect(classifyKey(key).secret).toBe(false);
  });

  it('marks hints, connection keys and cloud context', () => {
    expect(classifyKey('hmac').hint).toBe(true);
    expect(classifyKey('salt').hint).toBe(true);
    expect(classifyKey('cacheKey').hint).toBe(false);
    expect(classifyKey('keyId').hint).toBe(false);
    expect(classifyKey('connectionString').connection).toBe(true);
    expect(classifyKey('AWS_SECRET_ACCESS_KEY').aws).toBe(true);
    expect(classifyKey('twilioAuthToken').twilio).toBe(true);
    expect(classifyKey('requestId').benign).toBe(true);
    expect(classifyKey('contentMd5').benign).toBe(true);
  });
});

describe('placeholders', () => {
  it.each([
    '',
    '   ',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${…} placeholder under test
    '${DB_PASSWORD}',
    '$(API_KEY)',
    '$SECRET',
    '%SMTP_PASS%',
    '{{ secrets.API_TOKEN }}',
    '<password>',
    'vault:secret/data/billing#apiKey',
    'secret://billing/stripe',
    'env:DB_PASS',
    '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/db/)',
    'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf',
    '***',
    '********',
    'xxx',
    'XXXXXX',
    'null',
    'None',
    'true',
    'false',
    'your_password',
    'AKIAIOSFODNN7EXAMPLE',
  ])('%j is a placeholder', (v) => {
    expect(isPlaceholder(v)).toBe(true);
  });
  it.each(['changeme', 'hunter2', 'P@ssw0rd', 'password', 'Xk9#mQ2!vLp4', '0000'])('%j is a real value', (v) => {
    expect(isPlaceholder(v)).toBe(false);
  });
});

describe('weak secrets', () => {
  it('loads the shipped common-password list', () => {
    const list = commonPasswords();
    expect(list.size).toBeGreaterThan(200);
    expect(list.size).toBeLessThan(1000);
    expect(list.has('changeme')).toBe(true);
  });
  it.each(['changeme', 'Summer2024', 'P@ssw0rd', 'abc12', '1234567', 'Password123'])('%j is weak', (v) => {
    expect(isWeak(v)).toBe(true);
  });
  it.each(['Xk9#mQ2!vLp4', 'correct-horse-battery', 'q8Zr3LmX0vT7kP2w'])('%j is not weak', (v) => {
    expect(isWeak(v)).toBe(false);
  });
});
