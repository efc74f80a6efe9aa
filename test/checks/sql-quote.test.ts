/**
 * #9 part 5: every remediation is safe to paste. Hostile names (quotes, semicolons, comments, newlines,
 * ESC, bidi controls, keywords, upper case) go through the checks that print SQL; the PostgreSQL
 * remediation must parse with PostgreSQL's own parser (libpg-query) as exactly the intended statements
 * with the names round-tripping, and a name that cannot be pasted yields a comment saying so.
 */
import fc from 'fast-check';
import { parse } from 'libpg-query';
import { describe, expect, it } from 'vitest';
import { g01 } from '../../src/checks/grants/g01-role-attributes.js';
import { g02 } from '../../src/checks/grants/g02-predefined-roles.js';
import { g03 } from '../../src/checks/grants/g03-extra-table-privileges.js';
import { g04 } from '../../src/checks/grants/g04-public.js';
import { g05 } from '../../src/checks/grants/g05-unexpected-access.js';
import { g06 } from '../../src/checks/grants/g06-ownership.js';
import { g09 } from '../../src/checks/grants/g09-default-privileges.js';
import {
  accountSplitPoints,
  mssqlQuoteIdent,
  mysqlAccount,
  mysqlQuoteIdent,
  pgQuoteIdent,
  shellQuote,
  UnsafeNameError,
  unsafeNameReason,
} from '../../src/checks/sql-quote.js';
import { evaluateCheck } from '../../src/engine.js';
import { emptyFacts } from '../../src/facts.js';
import type { Check, Facts, FindingDraft, Grant } from '../../src/model.js';
import { checkOptions, QUARTZ_TABLES } from '../../src/model.js';
import { hasUnsafeText } from '../../src/report/terminal.js';

const RUNS = Number(process.env.QRTZ_PROPERTY_RUNS ?? 300);
const PIECES = [
  'a',
  'z',
  'Quartz',
  'UC',
  '_',
  '1',
  ' ',
  '"',
  "'",
  '`',
  ';',
  '--',
  '/*',
  '*/',
  '$$',
  '\\',
  ':x',
  '[',
  ']',
  '@',
  '%',
  'é',
  '中',
  'select',
  'user',
  'table',
  'PUBLIC',
  'ALTER ROLE x SUPERUSER; --',
  '\n',
  '\r',
  '\t',
  '\u0000',
  '\u001b]0;owned\u0007',
  '\u001b[2J',
  '\u202e',
  '\u2066',
  '\u200f',
  '\u061c',
  '\u2028',
  '\u0085',
];
/** A hostile name: short runs of the pieces above, or any string; at most 63 bytes (PostgreSQL NAMEDATALEN). */
const hostileName = fc
  .oneof(
    fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 6 }).map((a) => a.join('')),
    fc.string({ minLength: 1, maxLength: 12, unit: 'binary' }),
    fc.constantFrom('select', 'user', 'order', 'public', 'Upper', 'a"b', 'x; DROP TABLE y; --'),
  )
  .filter((s) => s.length > 0 && Buffer.byteLength(s) <= 63);

const opts = checkOptions({ maxBlobSize: 1 << 20 });
const run = (c: Check, f: Facts): FindingDraft[] => evaluateCheck(c, f, opts) ?? [];

function pgFacts(role: string, schema: string, table: string): Facts {
  const tables = QUARTZ_TABLES.map((t) => ({
    logical: t,
    name: t === 'TRIGGERS' ? table : `qrtz_${t.toLowerCase()}`,
    schema,
    owner: role,
  }));
  const trig = tables.find((t) => t.logical === 'TRIGGERS') as (typeof tables)[number];
  const grant = (privilege: string, grantable = false, objectKind: Grant['objectKind'] = 'table'): Grant => ({
    grantee: role === 'app' ? 'other' : role,
    privilege,
    objectKind,
    object: `${schema}.${table}${objectKind === 'column' ? `.${role}` : ''}`,
    quartzTable: 'TRIGGERS',
    grantable,
  });
  return emptyFacts('postgres', {
    target: { database: role, schema, tablePrefix: 'QRTZ_', user: 'auditor' },
    serviceAccount: role,
    connectedAs: 'auditor',
    tables: tables.map((t) => (t.logical === 'TRIGGERS' ? { ...trig, owner: 'owner' } : { ...t, owner: 'owner' })),
    principals: [
      { name: role, kind: 'user', canLogin: true, attributes: ['superuser', 'createrole'] },
      { name: 'auditor', kind: 'user', canLogin: true, attributes: [] },
      { name: 'owner', kind: 'role', canLogin: false, attributes: [] },
      { name: schema, kind: 'role', canLogin: false, attributes: [] },
      { name: 'pg_read_all_data', kind: 'role', canLogin: false, attributes: [] },
    ],
    memberships: [
      { member: role, role: schema, inherit: true, admin: false },
      { member: schema, role: 'pg_read_all_data', inherit: true, admin: false },
      { member: role, role: 'owner', inherit: true, admin: false },
    ],
    grants: [
      grant('TRUNCATE'),
      grant('SELECT', true),
      grant('REFERENCES', false, 'column'),
      { ...grant('SELECT'), grantee: 'PUBLIC' },
    ],
    effective: [
      { principal: `${role}x`, table: 'TRIGGERS', privilege: 'INSERT', via: [] },
      { principal: `${role}x`, table: 'TRIGGERS', privilege: 'SELECT', via: [schema] },
    ],
    defaultPrivileges: [{ owner: role, schema, objectType: 'table', grantee: `${role}y`, privilege: 'SELECT' }],
    postgres: {
      auditor: {},
      tableAccessMethods: {},
      ...{ schemaCreate: ['PUBLIC'], schemaOwner: role, databaseOwner: role },
    },
  });
}

type Node = Record<string, unknown>;
const kinds = (stmts: { stmt: Node }[]) => stmts.map((s) => Object.keys(s.stmt)[0]);

/** Every string value of the parse tree under the given keys (rolename, relname, schemaname, sval, priv_name). */
function strings(node: unknown, keys: string[], out: string[] = []): string[] {
  if (Array.isArray(node)) for (const x of node) strings(x, keys, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (typeof v === 'string' && keys.includes(k)) out.push(v);
      else strings(v, keys, out);
    }
  }
  return out;
}

/** The checks that print SQL with database names, and the statement kinds each must produce. */
const PG_CASES: { check: Check; pick: (d: FindingDraft[]) => FindingDraft[]; kinds: string[] }[] = [
  { check: g01, pick: (d) => d.filter((x) => x.status === 'fail'), kinds: ['AlterRoleStmt', 'AlterRoleStmt'] },
  { check: g02, pick: (d) => d.filter((x) => x.status === 'fail'), kinds: ['GrantRoleStmt'] },
  {
    check: g03,
    pick: (d) => d.filter((x) => x.status === 'fail'),
    kinds: ['GrantStmt', 'GrantStmt', 'GrantStmt'],
  },
  { check: g04, pick: (d) => d.filter((x) => x.status === 'fail'), kinds: ['GrantStmt', 'GrantStmt'] },
  {
    check: g05,
    pick: (d) => d.filter((x) => x.status === 'fail'),
    kinds: ['GrantStmt', 'GrantRoleStmt'],
  },
  {
    check: g06,
    pick: (d) => d.filter((x) => x.status === 'fail'),
    kinds: [...QUARTZ_TABLES.map(() => 'AlterTableStmt'), 'AlterOwnerStmt', 'AlterOwnerStmt'],
  },
  { check: g09, pick: (d) => d.filter((x) => x.status === 'fail'), kinds: ['AlterDefaultPrivilegesStmt'] },
];

describe('sql-quote', () => {
  it('quotes like quote_ident, backticks, account literals and brackets', () => {
    expect(pgQuoteIdent('quartz_app')).toBe('quartz_app');
    expect(pgQuoteIdent('QRTZ_TRIGGERS')).toBe('"QRTZ_TRIGGERS"');
    expect(pgQuoteIdent('user')).toBe('"user"');
    expect(pgQuoteIdent('a"b')).toBe('"a""b"');
    expect(pgQuoteIdent('a$b')).toBe('"a$b"');
    expect(mysqlQuoteIdent('a`b')).toBe('`a``b`');
    expect(mysqlAccount("'o''brien'@'%'")).toBe("'o''''brien'@'%'");
    expect(mysqlAccount("'app'@'10.0.%'")).toBe("'app'@'10.0.%'");
    expect(mysqlAccount("'a\\b'@'h'")).toBe("`a\\b`@'h'");
    expect(mysqlAccount('PUBLIC')).toBe('PUBLIC');
    // user a'@'b on host c and user a on host b'@'c have one canonical name: refused, not guessed.
    expect(() => mysqlAccount("'a'@'b'@'c'")).toThrow(UnsafeNameError);
    expect(mysqlAccount("'a'@'@'")).toBe("'a'@'@'");
    // overlapping: user select on host @' or user select'@ on host '' — refused too
    expect(() => mysqlAccount("'select'@'@''")).toThrow(UnsafeNameError);
    expect(mssqlQuoteIdent('a]b')).toBe('[a]]b]');
    for (const bad of ['a\nb', 'x\u001b[2J', 'inv\u202etxt', '', 'a\u0000', 'a\u2028b']) {
      expect(() => pgQuoteIdent(bad)).toThrow(UnsafeNameError);
      expect(() => mysqlQuoteIdent(bad)).toThrow(UnsafeNameError);
      expect(() => mssqlQuoteIdent(bad)).toThrow(UnsafeNameError);
    }
  });

  it('the injection of issue #9 (newline + ALTER ROLE in a role name) yields no SQL in QA-G05', async () => {
    const evil = 'x\nALTER ROLE x SUPERUSER; --';
    const facts = pgFacts('app', 'quartz', 'qrtz_triggers');
    facts.effective = [{ principal: evil, table: 'TRIGGERS', privilege: 'INSERT', via: [] }];
    const d = run(g05, facts).filter((x) => x.status === 'fail');
    expect(d).toHaveLength(1);
    const rem = d[0]?.remediation ?? '';
    expect(rem).toMatch(/^-- no SQL given: /);
    expect(rem).not.toContain('\n');
    expect((await parse(rem)).stmts ?? []).toHaveLength(0);
  });

  it('QA-G03/G04/G05 quote an upper-case table so the fix names the real table', async () => {
    const facts = pgFacts('app', 'adv_uc', 'QRTZ_TRIGGERS');
    for (const c of [g03, g04, g05]) {
      for (const f of run(c, facts).filter((x) => x.status === 'fail' && x.remediation?.includes('TRIGGERS'))) {
        expect(f.remediation).toContain('adv_uc."QRTZ_TRIGGERS"');
        const tree = await parse(f.remediation ?? '');
        expect(strings(tree, ['relname'])).toContain('QRTZ_TRIGGERS');
      }
    }
  });

  it('property: PostgreSQL remediations for hostile names parse as exactly the intended statements', async () => {
    await fc.assert(
      fc.asyncProperty(hostileName, hostileName, hostileName, async (role, schema, table) => {
        // PostgreSQL refuses to create roles named public or none (the parser reads them as keywords).
        fc.pre(role !== 'public' && role !== 'none');
        // The model names the PUBLIC pseudo-role 'PUBLIC' (the schema doubles as a role in these facts).
        fc.pre(schema !== 'PUBLIC' && role !== 'PUBLIC');
        const facts = pgFacts(role, schema, table);
        const unsafe = [role, schema, table].some((n) => unsafeNameReason(n) !== undefined);
        for (const c of PG_CASES) {
          const drafts = c.pick(run(c.check, facts));
          expect(drafts.length, c.check.meta.id).toBeGreaterThan(0);
          const sql = drafts.map((d) => d.remediation ?? '').join('\n');
          const tree = await parse(sql);
          const stmts = (tree.stmts ?? []) as { stmt: Node }[];
          if (unsafe && drafts.some((d) => d.remediation?.startsWith('-- no SQL given'))) {
            // A remediation that refuses is one comment line with nothing raw in it.
            for (const d of drafts.filter((x) => x.remediation?.startsWith('--'))) {
              expect(hasUnsafeText(d.remediation ?? '')).toBe(false);
            }
            continue;
          }
          expect(kinds(stmts), `${c.check.meta.id}: ${sql}`).toEqual(c.kinds);
          const names = strings(tree, ['rolename', 'relname', 'schemaname', 'sval', 'priv_name']);
          // Every hostile name that went in comes out of the parser unchanged.
          const expected: Record<string, string[]> = {
            'QA-G01': [role],
            'QA-G02': [role],
            'QA-G03': [role, schema, table],
            'QA-G04': [schema, table],
            'QA-G05': [`${role}x`, schema, table],
            'QA-G06': [schema, table, role],
            'QA-G09': [role, schema, `${role}y`],
          };
          for (const n of expected[c.check.meta.id] ?? []) {
            if (n === 'PUBLIC') continue;
            expect(names, `${c.check.meta.id}: ${JSON.stringify(n)} in ${sql}`).toContain(n);
          }
        }
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('property: QA-G05 MySQL remediations are one REVOKE per table with quoted names', () => {
    const ID = '`(?:[^`]|``)*`';
    const PART = `(?:'(?:[^'\\\\]|'')*'|${ID})`;
    const line = new RegExp(
      `^REVOKE (?:SELECT|INSERT|UPDATE|DELETE)(?:, (?:SELECT|INSERT|UPDATE|DELETE))* ON (${ID})\\.(${ID}) FROM (${PART}@${PART}|PUBLIC);$`,
      's',
    );
    const unq = (s: string) => s.slice(1, -1).replace(/``/g, '`');
    fc.assert(
      fc.property(hostileName, hostileName, hostileName, (user, db, table) => {
        const account = `'${user}'@'%'`;
        const facts = emptyFacts('mariadb', {
          target: { database: db, schema: db, tablePrefix: 'QRTZ_', user: 'auditor' },
          serviceAccount: "'app'@'%'",
          connectedAs: "'auditor'@'%'",
          tables: QUARTZ_TABLES.map((t) => ({ logical: t, name: t === 'LOCKS' ? table : `QRTZ_${t}`, schema: db })),
          principals: [{ name: account, kind: 'user', canLogin: true, attributes: [] }],
          effective: [
            { principal: account, table: 'LOCKS', privilege: 'UPDATE', via: [] },
            { principal: account, table: 'TRIGGERS', privilege: 'INSERT', via: [] },
          ],
        });
        const d = run(g05, facts).filter((x) => x.status === 'fail');
        expect(d).toHaveLength(1);
        const rem = d[0]?.remediation ?? '';
        if (
          [user, db, table].some((n) => unsafeNameReason(n) || /[\u{10000}-\u{10ffff}]/u.test(n)) ||
          accountSplitPoints(account) > 1
        ) {
          expect(rem).toMatch(/^-- no SQL given: /);
          expect(hasUnsafeText(rem)).toBe(false);
          return;
        }
        const lines = rem.split('\n');
        expect(lines).toHaveLength(2);
        const tables = lines.map((l) => {
          const m = line.exec(l);
          expect(m, l).not.toBeNull();
          expect(unq(m?.[1] ?? '')).toBe(db);
          return unq(m?.[2] ?? '');
        });
        expect(tables.sort()).toEqual([table, 'QRTZ_TRIGGERS'].sort());
      }),
      { numRuns: RUNS },
    );
  });

  it('property: shell words round-trip through sh', async () => {
    const { execFileSync } = await import('node:child_process');
    const words = fc.sample(hostileName, { numRuns: 60, seed: 42 }).filter((w) => !unsafeNameReason(w));
    words.push("it's", '$(touch /tmp/x)', '`id`', 'a b', '-rf', '~root', '*');
    const script = `for w in ${words.map(shellQuote).join(' ')}; do printf '%s\\0' "$w"; done`;
    const out = execFileSync('sh', ['-c', script]).toString('utf8').split('\u0000').slice(0, -1);
    expect(out).toEqual(words);
    expect(() => shellQuote('a\nb')).toThrow(UnsafeNameError);
  });

  it('property: MySQL quoting is token-tight (one backtick identifier, one account literal)', () => {
    fc.assert(
      fc.property(hostileName, hostileName, (user, host) => {
        if (unsafeNameReason(user) || unsafeNameReason(host) || /[\u{10000}-\u{10ffff}]/u.test(user + host)) return;
        const id = mysqlQuoteIdent(user);
        // A backtick identifier: opening and closing backtick, every inner backtick doubled.
        expect(id.startsWith('`') && id.endsWith('`')).toBe(true);
        expect(id.slice(1, -1).replace(/``/g, '')).not.toContain('`');
        expect(id.slice(1, -1).replace(/``/g, '`')).toBe(user);
        const name = `'${user}'@'${host}'`;
        if (accountSplitPoints(name) > 1) {
          // Ambiguous split: no statement at all.
          expect(() => mysqlAccount(name)).toThrow(UnsafeNameError);
          return;
        }
        const acct = mysqlAccount(name);
        const m = /^('(?:[^']|'')*'|`(?:[^`]|``)*`)@('(?:[^']|'')*'|`(?:[^`]|``)*`)$/s.exec(acct);
        expect(m, acct).not.toBeNull();
        const unq = (s: string) =>
          s[0] === '`' ? s.slice(1, -1).replace(/``/g, '`') : s.slice(1, -1).replace(/''/g, "'");
        expect(unq(m?.[1] ?? '')).toBe(user);
        expect(unq(m?.[2] ?? '')).toBe(host);
        // A backslash never sits inside a single-quoted literal (NO_BACKSLASH_ESCAPES changes its meaning).
        for (const part of [m?.[1] ?? '', m?.[2] ?? '']) if (part[0] === "'") expect(part).not.toContain('\\');
      }),
      { numRuns: RUNS * 3 },
    );
  });
});
