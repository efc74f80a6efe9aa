/**
 * The first code point a terminal, a browser or an XML reader could act on (C0 but tab and newline, DEL, C1,
 * bidi controls, line/paragraph separators), written independently of src/report/terminal.ts.
 */
export function firstUnsafe(text: string): { index: number; cp: number } | undefined {
  let index = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    const bad =
      (c < 0x20 && c !== 0x09 && c !== 0x0a) ||
      (c >= 0x7f && c <= 0x9f) ||
      c === 0x061c ||
      c === 0x200e ||
      c === 0x200f ||
      (c >= 0x202a && c <= 0x202e) ||
      (c >= 0x2066 && c <= 0x2069) ||
      c === 0x2028 ||
      c === 0x2029;
    if (bad) return { index, cp: c };
    index += ch.length;
  }
  return undefined;
}

/** '' when `text` is safe, else the offending code point and its surroundings (for an assertion message). */
export function unsafeContext(label: string, text: string): string {
  const m = firstUnsafe(text);
  return m
    ? `${label}: U+${m.cp.toString(16)} near ${JSON.stringify(text.slice(Math.max(0, m.index - 40), m.index + 20))}`
    : '';
}
