/** Terminal safety: database content can hold control characters that would drive the terminal. */

/**
 * True for a code point no human-facing output may carry raw: C0/C1 controls (ESC, BEL, CR, NUL…),
 * DEL, line/paragraph separators, bidi controls (U+061C, U+200E/F, U+202A–202E, U+2066–2069),
 * zero-width characters and BOM, lone surrogates. Tab and newline are included: callers decide.
 */
export function isUnsafeCodePoint(c: number): boolean {
  return (
    c < 0x20 ||
    (c >= 0x7f && c <= 0x9f) ||
    c === 0x061c ||
    (c >= 0x200b && c <= 0x200f) ||
    c === 0x2028 ||
    c === 0x2029 ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2060 && c <= 0x2069) ||
    c === 0xfeff ||
    (c >= 0xd800 && c <= 0xdfff)
  );
}

/** True when the text holds any character escapeControl would rewrite (newlines included). */
export function hasUnsafeText(text: string): boolean {
  for (const ch of text) if (isUnsafeCodePoint(ch.codePointAt(0) as number)) return true;
  return false;
}

/**
 * Escapes C0/C1 control characters (ESC, BEL, CR…), DEL and bidi/zero-width formatting characters
 * as visible text: \n \r \t, \xNN, \uXXXX. The one escape function every human-readable output uses
 * (terminal table, stderr, HTML, JUnit; JSON and SARIF carry it as a `display` form).
 */
export function escapeControl(text: string, keepNewlines = false): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    if (c === 0x0a) out += keepNewlines ? '\n' : '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (isUnsafeCodePoint(c)) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}
