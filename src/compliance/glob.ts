/**
 * The object patterns of suppression entries: a tiny glob, documented in the README. `*` matches any run
 * of characters (dots, slashes and spaces included), `?` exactly one character; everything else is
 * literal and the match is case-sensitive and covers the whole object name.
 */
const cache = new Map<string, RegExp>();

export function globRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (!re) {
    const body = [...glob]
      .map((ch) => (ch === '*' ? '[\\s\\S]*' : ch === '?' ? '[\\s\\S]' : ch.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`, 'u');
    cache.set(glob, re);
  }
  return re;
}

export function matchesObjectGlob(name: string, glob: string): boolean {
  return globRegExp(glob).test(name);
}
