/**
 * The single redaction path. Every output (table, JSON, HTML, SARIF, JUnit, inspect-blob, logs, errors,
 * --debug) passes its text through redact(). Secrets found during the run and connection passwords are
 * registered here; known secret patterns are scrubbed even when unregistered.
 * (Contract; the secrets issue extends the patterns and adds fingerprints.)
 */
const registered = new Set<string>();

/** Remember a value that must never be printed (a password, a detected secret). */
export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 3) registered.add(value);
}

/** Replace every registered secret and URL credential in text. */
export function redact(text: string): string {
  let out = text;
  for (const s of registered) {
    if (out.includes(s)) out = out.split(s).join('[REDACTED]');
    const enc = encodeURIComponent(s);
    if (enc !== s && out.includes(enc)) out = out.split(enc).join('[REDACTED]');
  }
  // user:password@ in URLs
  out = out.replace(/([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, '$1[REDACTED]@');
  return out;
}

/** Deep-redact every string in a JSON-like value. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[redact(k)] = redactDeep(v);
    return out as T;
  }
  return value;
}
