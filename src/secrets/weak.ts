/**
 * Weak secrets: short values and well-known passwords (data/common-passwords.txt, one per line,
 * `#` comments, compared case-insensitively). The list is read once, lazily; when the file cannot
 * be found (an unusual install layout) a small built-in list is used instead.
 */
import { readFileSync } from 'node:fs';

/** Values shorter than this are weak. */
export const WEAK_MIN_LENGTH = 8;

const FALLBACK = [
  '123456',
  '12345678',
  'password',
  'password1',
  'qwerty',
  'changeme',
  'changeit',
  'letmein',
  'admin',
  'secret',
  'welcome',
  'p@ssw0rd',
];

let list: Set<string> | undefined;

function load(): Set<string> {
  // src/secrets → ../../data; dist/src/secrets → ../../../data
  for (const rel of ['../../data/common-passwords.txt', '../../../data/common-passwords.txt']) {
    try {
      const text = readFileSync(new URL(rel, import.meta.url), 'utf8');
      const set = new Set<string>();
      for (const line of text.split(/\r?\n/)) {
        const t = line.trim();
        if (t && !t.startsWith('#')) set.add(t.toLowerCase());
      }
      if (set.size > 0) return set;
    } catch {
      // try the next layout
    }
  }
  return new Set(FALLBACK);
}

/** The common-password list (lower case). */
export function commonPasswords(): ReadonlySet<string> {
  list ??= load();
  return list;
}

/** A secret value is weak when it is short or a well-known password. */
export function isWeak(value: string): boolean {
  return value.length < WEAK_MIN_LENGTH || commonPasswords().has(value.toLowerCase());
}
