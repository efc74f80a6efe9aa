/** Terminal safety: database content can hold control characters that would drive the terminal. */

/** Escapes C0/C1 control characters (ESC, BEL, CR…) and bidi overrides as visible \xNN / \u{…} text. */
export function escapeControl(text: string, keepNewlines = false): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    if (keepNewlines && ch === '\n') out += ch;
    else if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0)) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0x200e || c === 0x200f)
      out += `\\u{${c.toString(16)}}`;
    else out += ch;
  }
  return out;
}
