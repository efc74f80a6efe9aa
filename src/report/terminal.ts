/** Terminal safety: database content can hold control characters that would drive the terminal. */

/**
 * Escapes C0/C1 control characters (ESC, BEL, CR…), DEL and bidi/zero-width formatting characters
 * as visible text: \n \r \t, \xNN, \uXXXX. The one escape function every human-readable output uses.
 */
export function escapeControl(text: string, keepNewlines = false): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    if (c === 0x0a) out += keepNewlines ? '\n' : '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (
      (c >= 0x200b && c <= 0x200f) ||
      (c >= 0x202a && c <= 0x202e) ||
      (c >= 0x2066 && c <= 0x2069) ||
      c === 0xfeff
    )
      out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}
