/**
 * Values that are not secrets even under a secret-looking key: placeholders, references to a
 * secret store, booleans and empty markers. `changeme` is NOT a placeholder: it is a weak real
 * password (see weak.ts).
 */

const WORDS = new Set([
  'null',
  'nil',
  'none',
  'undefined',
  'true',
  'false',
  'yes',
  'no',
  'on',
  'off',
  'n/a',
  'na',
  '-',
  '--',
  'redacted',
  '[redacted]',
  '<redacted>',
  'masked',
  'hidden',
  'placeholder',
  'todo',
  'tbd',
  'empty',
  'unset',
  'notset',
  'not set',
  // authentication scheme names under `auth` keys
  'basic',
  'bearer',
  'digest',
  'ntlm',
  'negotiate',
  'kerberos',
  'oauth',
  'oauth2',
  'sspi',
  'windows',
  'anonymous',
  'integrated',
  'certificate',
  'cert',
  'apikey',
  'api_key',
  'jwt',
  'token',
  'login',
  'plain',
  'cram-md5',
  'xoauth2',
  'ssl',
  'tls',
  'starttls',
]);

const REFERENCE_PATTERNS: RegExp[] = [
  /^\$\{[^}]*\}$/, // ${ENV}
  /^\$\([^)]*\)$/, // $(VAR)
  /^\$[A-Za-z_][A-Za-z0-9_]*$/, // $VAR
  /^%[A-Za-z_][A-Za-z0-9_.-]*%$/, // %VAR%
  /^\{\{[^}]*\}\}$/, // {{var}}
  /^\{[A-Za-z_][A-Za-z0-9_.:-]*\}$/, // {var}
  /^<[^<>]{1,60}>$/, // <password>
  /^\[[A-Za-z _-]{1,40}\]$/, // [password]
  /^#\{[^}]*\}$/, // #{var}
  /^@Microsoft\.KeyVault\(/i,
  /^(?:vault|secret|secrets|keyvault|azurekeyvault|kv|env|aws-sm|awssm|ssm|gcp-sm|gsm|op|sops|file|k8s|kubernetes-secret):/i, // vault:…, env:…
  /^(?:secret|vault|keyvault|azure-keyvault|aws-secretsmanager|gcp-secretmanager|op):\/\//i,
  /^arn:aws:(?:secretsmanager|ssm|kms):/i,
  /^projects\/[^/]+\/secrets\//, // GCP Secret Manager resource name
  /^\*+$/, // ***
  /^[xX]{3,}$/, // xxx
  /^[•·●]+$/u,
  /^(?:\.{3}|…)$/u,
  /^your[ _-]?[a-z _-]*$/i, // your_password, your-api-key
  /^(?:my|some|the)[ _-]?(?:password|secret|token|api[ _-]?key)$/i,
  /^(?:enter|insert|replace|set)[ _-].*$/i, // enter-password-here
  /EXAMPLE(?:KEY)?$/, // AWS documentation examples (AKIAIOSFODNN7EXAMPLE, wJalr…EXAMPLEKEY)
  /^(?:example|sample|dummy|fake|test)[ _-]?(?:password|secret|token|key|api[ _-]?key)?$/i,
];

/** True when the value is empty, a placeholder, a reference to a secret store, or a flag. */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  if (WORDS.has(v.toLowerCase())) return true;
  for (const re of REFERENCE_PATTERNS) if (re.test(v)) return true;
  // the same character repeated (aaaaaaa, 000000) is filler, not a secret… unless short and weak
  // (0000 is a real weak PIN), so only long runs count
  if (v.length >= 6 && /^(.)\1+$/.test(v)) return true;
  return false;
}

/** Values with an embedded reference: a connection-string password `${DB_PASS}` etc. */
export function isReferenceLike(value: string): boolean {
  return isPlaceholder(value) || /\$\{[^}]+\}|\{\{[^}]+\}\}|%[A-Z_][A-Z0-9_]*%/.test(value);
}
