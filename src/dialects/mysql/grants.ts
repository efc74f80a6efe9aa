/**
 * MySQL/MariaDB account names and SHOW GRANTS parsing (pure). SHOW GRANTS lines can carry password hashes
 * (`IDENTIFIED BY PASSWORD '*…'`): the parser keeps only the structure it needs and never the raw line.
 */

/** Canonical principal name: `'user'@'host'`; MariaDB roles and PUBLIC (host '') by their bare name. */
export function accountName(user: string, host: string, isRole = false): string {
  if (user.toUpperCase() === 'PUBLIC' && host === '') return 'PUBLIC';
  if (isRole && host === '') return user;
  return `'${user}'@'${host}'`;
}

/** Splits `'u'@'h'`, `u@h`, `` `u`@`h` `` or a bare name (host undefined). */
export function splitAccount(name: string): { user: string; host: string | undefined } {
  const s = name.trim();
  const quoted = /^(['`"])((?:[^'`"\\]|\\.)*?)\1(?:@(['`"]?)(.*?)\3)?$/.exec(s);
  if (quoted) return { user: quoted[2] ?? '', host: quoted[3] !== undefined ? (quoted[4] ?? '') : undefined };
  const at = s.lastIndexOf('@');
  if (at >= 0) return { user: s.slice(0, at), host: s.slice(at + 1).replace(/^(['`"])(.*)\1$/, '$2') };
  return { user: s, host: undefined };
}

/** Parses an information_schema GRANTEE (`'u'@'h'`, MariaDB roles `'r'@''`, APPLICABLE_ROLES `u@h`). */
export function parseGrantee(grantee: string, roles: ReadonlySet<string> = new Set()): string {
  const { user, host } = splitAccount(grantee);
  if (host === undefined) return user.toUpperCase() === 'PUBLIC' ? 'PUBLIC' : user;
  return accountName(user, host, host === '' && (roles.has(user) || user.toUpperCase() === 'PUBLIC'));
}

/** Does principal `name` match an --allow-principal / --service-account value (`user` matches every host)? */
export function principalMatches(name: string, pattern: string): boolean {
  const a = splitAccount(name);
  const p = splitAccount(pattern);
  if (a.user !== p.user) return false;
  return p.host === undefined || a.host === undefined || p.host === a.host;
}

// ---------------------------------------------------------------------------------------------
// SHOW GRANTS

export interface ParsedPrivilegeGrant {
  kind: 'privileges';
  privileges: { name: string; columns?: string[] }[];
  /** 'global' = *.*; 'schema' = db.*; 'table' = db.table; 'routine' = FUNCTION/PROCEDURE/PACKAGE db.name. */
  level: 'global' | 'schema' | 'table' | 'routine';
  db?: string;
  table?: string;
  grantee: string;
  grantable: boolean;
  /** REQUIRE clause seen on the line (MariaDB prints it on the USAGE line). */
  require?: string;
}
export interface ParsedRoleGrant {
  kind: 'roles';
  roles: string[];
  grantee: string;
  admin: boolean;
}
export interface ParsedDefaultRole {
  kind: 'default-role';
  role: string;
  grantee: string;
}
export type ParsedGrant = ParsedPrivilegeGrant | ParsedRoleGrant | ParsedDefaultRole;

type Tok = { t: 'id' | 'str' | 'word' | 'punct'; v: string };

/** Tokenizes one SHOW GRANTS line: backtick identifiers, quoted strings, words, punctuation. Bounded. */
export function tokenize(line: string): Tok[] {
  const out: Tok[] = [];
  const s = line.slice(0, 100_000);
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '`' || c === "'" || c === '"') {
      let v = '';
      i++;
      while (i < s.length) {
        const d = s[i] as string;
        if (d === '\\' && c !== '`' && i + 1 < s.length) {
          v += s[i + 1];
          i += 2;
          continue;
        }
        if (d === c) {
          if (s[i + 1] === c) {
            v += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += d;
        i++;
      }
      out.push({ t: c === '`' ? 'id' : 'str', v });
    } else if (/[A-Za-z0-9_$*%]/.test(c)) {
      let v = '';
      while (i < s.length && /[A-Za-z0-9_$*%\\]/.test(s[i] as string)) v += s[i++];
      out.push({ t: 'word', v });
    } else {
      out.push({ t: 'punct', v: c });
      i++;
    }
  }
  return out;
}

function isWord(tok: Tok | undefined, w: string): boolean {
  return tok?.t === 'word' && tok.v.toUpperCase() === w;
}

/** Reads an account or role name at tokens[i]: `u`@`h`, 'u'@'h', `r`, PUBLIC, CURRENT_USER. */
function readAccount(toks: Tok[], i: number): { name: string; next: number } | undefined {
  const first = toks[i];
  if (!first) return undefined;
  if (first.t === 'punct') return undefined;
  const user = first.v;
  if (toks[i + 1]?.v === '@' && toks[i + 2] && toks[i + 2]?.t !== 'punct') {
    return { name: accountName(user, (toks[i + 2] as Tok).v), next: i + 3 };
  }
  if (first.t === 'word' && user.toUpperCase() === 'PUBLIC') return { name: 'PUBLIC', next: i + 1 };
  return { name: user, next: i + 1 };
}

/** Parses one line of SHOW GRANTS output; undefined for lines it does not model (PROXY, REVOKE, …). */
export function parseGrantLine(line: string): ParsedGrant | undefined {
  const toks = tokenize(line);
  if (isWord(toks[0], 'SET') && isWord(toks[1], 'DEFAULT') && isWord(toks[2], 'ROLE')) {
    const role = readAccount(toks, 3);
    const forIdx = toks.findIndex((t, k) => k > 3 && isWord(t, 'FOR'));
    const grantee = forIdx > 0 ? readAccount(toks, forIdx + 1) : undefined;
    if (!role || !grantee || isWord(toks[3], 'NONE')) return undefined;
    return { kind: 'default-role', role: role.name, grantee: grantee.name };
  }
  if (!isWord(toks[0], 'GRANT')) return undefined;
  // Find ON and TO at paren depth 0 (identifiers are single tokens, so names cannot fool this).
  let depth = 0;
  let onIdx = -1;
  let toIdx = -1;
  for (let k = 1; k < toks.length; k++) {
    const t = toks[k] as Tok;
    if (t.v === '(' && t.t === 'punct') depth++;
    else if (t.v === ')' && t.t === 'punct') depth--;
    else if (depth === 0 && onIdx < 0 && toIdx < 0 && isWord(t, 'ON')) onIdx = k;
    else if (depth === 0 && toIdx < 0 && isWord(t, 'TO')) {
      toIdx = k;
      break;
    }
  }
  if (toIdx < 0) return undefined;
  const grantee = readAccount(toks, toIdx + 1);
  if (!grantee) return undefined;
  const rest = toks.slice(grantee.next);
  const restWords = rest.filter((t) => t.t === 'word').map((t) => t.v.toUpperCase());
  const withIdx = restWords.indexOf('WITH');
  const grantable = withIdx >= 0 && restWords[withIdx + 1] === 'GRANT' && restWords[withIdx + 2] === 'OPTION';
  if (onIdx < 0) {
    // GRANT role[, role] TO grantee [WITH ADMIN OPTION]
    const roles: string[] = [];
    let k = 1;
    while (k < toIdx) {
      const acc = readAccount(toks, k);
      if (!acc) {
        k++;
        continue;
      }
      roles.push(acc.name);
      k = acc.next;
      if (toks[k]?.v === ',') k++;
    }
    const admin = withIdx >= 0 && restWords[withIdx + 1] === 'ADMIN';
    return { kind: 'roles', roles, grantee: grantee.name, admin };
  }
  // Privilege list.
  const privileges: { name: string; columns?: string[] }[] = [];
  let words: string[] = [];
  let columns: string[] | undefined;
  const flush = () => {
    if (words.length) privileges.push({ name: words.join(' ').toUpperCase(), ...(columns ? { columns } : {}) });
    words = [];
    columns = undefined;
  };
  for (let k = 1; k < onIdx; k++) {
    const t = toks[k] as Tok;
    if (t.t === 'punct' && t.v === ',') flush();
    else if (t.t === 'punct' && t.v === '(') {
      columns = [];
      k++;
      while (k < onIdx && !((toks[k] as Tok).t === 'punct' && (toks[k] as Tok).v === ')')) {
        const c = toks[k] as Tok;
        if (c.t !== 'punct') columns.push(c.v);
        k++;
      }
    } else if (t.t === 'word') words.push(t.v);
  }
  flush();
  // Object.
  let k = onIdx + 1;
  let routine = false;
  if (['FUNCTION', 'PROCEDURE', 'PACKAGE'].some((w) => isWord(toks[k], w))) {
    routine = true;
    k++;
    if (isWord(toks[k], 'BODY')) k++;
  }
  const objToks = toks.slice(k, toIdx);
  const dot = objToks.findIndex((t) => t.t === 'punct' && t.v === '.');
  let level: ParsedPrivilegeGrant['level'];
  let db: string | undefined;
  let table: string | undefined;
  const v = (t: Tok | undefined) => t?.v ?? '';
  if (dot < 0) {
    // `ON *` (current db) or `ON tbl`: treat as unknown-db table.
    if (v(objToks[0]) === '*') level = 'schema';
    else {
      level = routine ? 'routine' : 'table';
      table = v(objToks[0]);
    }
  } else {
    db = objToks.slice(0, dot).map(v).join('');
    table = objToks
      .slice(dot + 1)
      .map(v)
      .join('');
    if (db === '*' && table === '*') {
      level = 'global';
      db = undefined;
      table = undefined;
    } else if (table === '*') {
      level = 'schema';
      table = undefined;
    } else level = routine ? 'routine' : 'table';
  }
  const reqIdx = restWords.indexOf('REQUIRE');
  const require = reqIdx >= 0 ? restWords[reqIdx + 1] : undefined;
  return {
    kind: 'privileges',
    privileges,
    level,
    ...(db !== undefined ? { db } : {}),
    ...(table !== undefined ? { table } : {}),
    grantee: grantee.name,
    grantable,
    ...(require ? { require } : {}),
  };
}

/**
 * Matches a database name against a grant's database pattern (mysql.db stores LIKE patterns: `%`, `_`, and
 * `\_` / `\%` for literal characters). Case-insensitive, as on lower_case_table_names ≥ 1 servers; on
 * case-sensitive servers this errs towards reporting a grant.
 */
export function dbPatternMatches(pattern: string, db: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && i + 1 < pattern.length) {
      re += escapeRe(pattern[++i] as string);
    } else if (c === '%') re += '.*';
    else if (c === '_') re += '.';
    else re += escapeRe(c);
  }
  return new RegExp(`${re}$`, 'is').test(db);
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
