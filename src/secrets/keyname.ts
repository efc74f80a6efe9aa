/**
 * Key-name heuristics for JobDataMap keys (QA-S01) and the weaker hints QA-S03 uses.
 * Keys are split into word parts (camelCase, PascalCase, snake_case, kebab-case, dotted, spaced),
 * so `smtp_password`, `SmtpPassword`, `db.password` and `apiKey` match while `passenger`,
 * `compass`, `bypass`, `author` and `tokenizer` do not.
 */

/** Split a key into lower-case word parts. `SMTPPassword` → smtp, password; `api-key2` → api, key2. */
export function keyParts(key: string): string[] {
  const out: string[] = [];
  // Separators: anything that is not a letter or digit.
  for (const chunk of key.split(/[^A-Za-z0-9]+/)) {
    if (!chunk) continue;
    // camelCase / PascalCase boundaries, keeping acronyms together: SMTPPassword → SMTP Password.
    const words = chunk.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+|[A-Z]/g);
    if (!words) continue;
    for (const w of words) out.push(w.toLowerCase());
  }
  return out;
}

/** A single word part that names a secret on its own. */
const SECRET_WORDS = new Set([
  'password',
  'passwords',
  'passwd',
  'pwd',
  'pass',
  'passphrase',
  'passcode',
  'secret',
  'secrets',
  'token',
  'tokens',
  'apikey',
  'apikeys',
  'accesskey',
  'secretkey',
  'privatekey',
  'clientsecret',
  'connectionstring',
  'connstr',
  'connstring',
  'credential',
  'credentials',
  'creds',
  'cred',
  'auth',
  'authorization',
  'bearer',
]);

/** Lower-case compounds: a part ending in one of these names a secret (smtppassword, dbapikey). */
const SECRET_SUFFIXES = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'apikey',
  'accesskey',
  'secretkey',
  'privatekey',
  'accesstoken',
  'refreshtoken',
  'authtoken',
  'apitoken',
  'credentials',
  'connectionstring',
];

/** Two consecutive parts that together name a secret. */
const SECRET_PAIRS = new Set([
  'api key',
  'access key',
  'secret key',
  'private key',
  'client secret',
  'connection string',
  'conn str',
  'conn string',
  'signing key',
  'encryption key',
  'account key',
  'master key',
  'auth key',
  'shared key',
  'hmac key',
  'session key',
  'app key',
  'license key',
  'subscription key',
  'sas key',
  'sas token',
  'pass word',
  'pass phrase',
]);

/** A key whose last part is one of these describes a secret without holding it (password_length). */
const NON_SECRET_LAST = new Set([
  'id',
  'ids',
  'name',
  'names',
  'version',
  'length',
  'len',
  'size',
  'min',
  'max',
  'url',
  'uri',
  'endpoint',
  'path',
  'file',
  'filename',
  'dir',
  'type',
  'kind',
  'alias',
  'header',
  'expiry',
  'expires',
  'expiration',
  'ttl',
  'timeout',
  'lifetime',
  'enabled',
  'disabled',
  'required',
  'policy',
  'format',
  'mode',
  'count',
  'provider',
  'field',
  'label',
  'hint',
  'prompt',
  'strength',
  'age',
  'changed',
  'reset',
  'date',
  'time',
  'at',
  'location',
  'env',
  'var',
  'variable',
  'ref',
  'reference',
  'source',
  'store',
  'vault',
  'scheme',
  'method',
  'algorithm',
  'rotation',
  'prefix',
  'suffix',
  'tokenizer',
  'regex',
  'pattern',
  'rule',
  'rules',
  'flag',
  'user',
  'username',
  'login',
  'principal',
  'issuer',
  'audience',
  'scope',
  'scopes',
  'host',
  'port',
  'server',
  'realm',
  'domain',
  'class',
  'handler',
  'service',
  'manager',
  'days',
  'hours',
  'minutes',
  'seconds',
  'ms',
  'interval',
  'md',
  'sha',
  'hash',
  'hashed',
  'checksum',
  'digest',
  'etag',
  'integrity',
  'fingerprint',
  'thumbprint',
  'crc',
  'arn',
  'publishable',
  // descriptive heads found by the held-out set (passwordComplexity): the key describes a policy
  'complexity',
  'requirement',
  'requirements',
  'history',
  'reminder',
  'question',
  'validator',
  'validation',
  'generator',
  'encoder',
  'hasher',
  'attempts',
  'retries',
  'lockout',
  'warning',
  'notification',
  'validity',
]);

/** First parts that make the rest harmless (public_key, csrf_token). */
const NON_SECRET_FIRST = new Set([
  'public',
  'publishable',
  'csrf',
  'xsrf',
  'next',
  'page',
  'pagination',
  'continuation',
]);

/** Whole-key exceptions (compound single words). */
const NON_SECRET_WHOLE = new Set([
  'publickeytoken',
  'publickey',
  'passthrough',
  'passthru',
  'passed',
  'password_changed',
]);

export interface KeyClass {
  /** The key names a secret (QA-S01). */
  secret: boolean;
  /** The key hints at secret-like content (QA-S03 context: key, sig, hmac, salt…). */
  hint: boolean;
  /** The key names a connection string or DSN (its value is parsed, not reported whole). */
  connection: boolean;
  /** The key mentions AWS (context for AWS secret access keys). */
  aws: boolean;
  /** The key mentions Twilio. */
  twilio: boolean;
  /** The key describes something that is not a secret (…Id, …Name, …Url, public…, csrf…, …Hash):
   *  a random-looking value under it is not a QA-S03 candidate either. */
  benign: boolean;
}

const HINT_WORDS = new Set([
  'key',
  'keys',
  'sig',
  'signature',
  'hmac',
  'salt',
  'cookie',
  'session',
  'sas',
  'otp',
  'nonce',
  'seed',
  'license',
  'licence',
  'jwt',
]);

/** Parts in front of `key` that make it a lookup key, not a cryptographic one. */
const LOOKUP_KEY_QUALIFIERS = new Set([
  'cache',
  'lock',
  'partition',
  'sort',
  'primary',
  'foreign',
  'routing',
  'row',
  'lookup',
  'idempotency',
  'dedup',
  'dedupe',
  'correlation',
  'group',
  'job',
  'trigger',
  'map',
  'object',
  'registry',
  'resource',
  'message',
  'translation',
  'i18n',
  'hot',
  'short',
  'shortcut',
  'entity',
  'business',
  'natural',
  'composite',
  'unique',
  'hash',
  'idempotence',
  'storage',
  'bucket',
  's3',
  'blob',
  'queue',
  'topic',
  'redis',
  'registry',
  'config',
  'setting',
  'settings',
]);

const CONNECTION_WORDS = new Set(['connectionstring', 'connstr', 'connstring', 'dsn', 'jdbc', 'odbc']);

const cache = new Map<string, KeyClass>();
/** The class of no key (free text) and of an over-long one: one frozen object, not one per value. */
const NO_KEY: KeyClass = Object.freeze({
  secret: false,
  hint: false,
  connection: false,
  aws: false,
  twilio: false,
  benign: false,
});
/** Longer keys are not classified. */
export const MAX_KEY_LENGTH = 256;

/** Classify a key (the last element of a key path). */
export function classifyKey(key: string | undefined): KeyClass {
  // no key, or a hostile one (keys are names, not documents): no key-name context, nothing cached
  if (!key || key.length > MAX_KEY_LENGTH) return NO_KEY;
  const hit = cache.get(key);
  if (hit) return hit;
  const res = classifyUncached(key);
  if (cache.size > 10_000) cache.clear();
  cache.set(key, res);
  return res;
}

function classifyUncached(key: string): KeyClass {
  const parts = keyParts(key);
  const joined = parts.join('');
  const pairs: string[] = [];
  for (let i = 0; i + 1 < parts.length; i++) pairs.push(`${parts[i]} ${parts[i + 1]}`);
  const aws = parts.includes('aws') || joined.includes('secretaccesskey');
  const twilio = parts.includes('twilio');
  const connection =
    parts.some((p) => CONNECTION_WORDS.has(p)) ||
    pairs.includes('connection string') ||
    pairs.includes('conn str') ||
    pairs.includes('conn string') ||
    (parts.includes('jdbc') && parts.includes('url'));
  // the last word part, ignoring trailing numbers (password1 → password, contentMd5 → md)
  const words = parts.filter((p) => !/^[0-9]+$/.test(p));
  const last = words[words.length - 1] ?? '';
  const first = parts[0] ?? '';
  const excluded =
    NON_SECRET_WHOLE.has(joined) ||
    NON_SECRET_WHOLE.has(key.toLowerCase()) ||
    NON_SECRET_LAST.has(last) ||
    NON_SECRET_FIRST.has(first);
  let secret = false;
  if (!excluded) {
    secret =
      parts.some((p) => SECRET_WORDS.has(p) || SECRET_SUFFIXES.some((s) => p.length > s.length && p.endsWith(s))) ||
      pairs.some((p) => SECRET_PAIRS.has(p));
  }
  let hint = false;
  if (!secret && !NON_SECRET_FIRST.has(first) && !NON_SECRET_WHOLE.has(joined)) {
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i] as string;
      if (!HINT_WORDS.has(p)) continue;
      const prev = parts[i - 1];
      if ((p === 'key' || p === 'keys' || p === 'hash') && prev && LOOKUP_KEY_QUALIFIERS.has(prev)) continue;
      if ((p === 'key' || p === 'keys') && i === 0 && parts.length === 1) continue; // a bare "key" is usually a lookup key
      if (!NON_SECRET_LAST.has(last)) hint = true;
    }
  }
  const benign = !secret && excluded;
  return { secret, hint, connection, aws, twilio, benign };
}
