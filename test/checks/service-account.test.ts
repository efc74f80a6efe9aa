/** src/service-account.ts: which principal is the Quartz service account (#10 part 5). */
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import type { EffectivePrivilege, Principal } from '../../src/model.js';
import { QUARTZ_TABLES } from '../../src/model.js';
import { chooseServiceAccount, closeMatches, type ServiceAccountInput } from '../../src/service-account.js';

const login = (name: string, attributes: string[] = []): Principal => ({
  name,
  kind: 'user',
  canLogin: true,
  attributes,
});
const dml = (principal: string, privs = ['SELECT', 'INSERT', 'UPDATE', 'DELETE']): EffectivePrivilege[] =>
  QUARTZ_TABLES.flatMap((table) => privs.map((privilege) => ({ principal, table, privilege, via: [] })));

function input(extra: Partial<ServiceAccountInput> = {}): ServiceAccountInput {
  return {
    connectedAs: 'auditor',
    principals: [
      login('auditor'),
      login('quartz_app'),
      login('owner'),
      login('postgres', ['superuser']),
      { name: 'reporting', kind: 'role', canLogin: false, attributes: [] },
      { name: 'PUBLIC', kind: 'public', canLogin: false, attributes: [] },
    ],
    effective: [
      ...dml('auditor', ['SELECT']),
      ...dml('quartz_app'),
      ...dml('owner'),
      ...dml('postgres'),
      ...dml('reporting'),
    ],
    tables: [...QUARTZ_TABLES],
    owners: ['owner'],
    complete: true,
    ...extra,
  };
}

function usageError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(2);
    return err as UserError;
  }
  throw new Error('expected a usage error');
}

describe('chooseServiceAccount', () => {
  it('--service-account naming an existing principal wins', () => {
    expect(chooseServiceAccount(input({ explicit: 'quartz_app' }))).toEqual({ name: 'quartz_app', source: 'option' });
  });

  it('--service-account naming nobody: exit 2, one line, with close matches', () => {
    const e = usageError(() => chooseServiceAccount(input({ explicit: 'quartz_ap' })));
    expect(e.message).toBe('--service-account: no principal named "quartz_ap" exists (close matches: "quartz_app")');
    expect(e.message).not.toContain('\n');
    const far = usageError(() => chooseServiceAccount(input({ explicit: 'zzzzzzzz' })));
    expect(far.message).not.toContain('close matches');
  });

  it('--service-account is taken as given when principals could not be read', () => {
    expect(chooseServiceAccount(input({ explicit: 'ghost', complete: false }))).toEqual({
      name: 'ghost',
      source: 'option',
    });
  });

  it('the connected login when it holds the DML Quartz needs', () => {
    expect(chooseServiceAccount(input({ connectedAs: 'quartz_app' }))).toEqual({
      name: 'quartz_app',
      source: 'connected-login',
    });
  });

  it('a read-only auditor: the one non-owner, non-superuser login with the DML is inferred', () => {
    expect(chooseServiceAccount(input())).toEqual({ name: 'quartz_app', source: 'inferred' });
  });

  it('two candidates: usage error listing both; none: says so', () => {
    const two = input({
      principals: [...input().principals, login('batch')],
      effective: [...input().effective, ...dml('batch')],
    });
    const e = usageError(() => chooseServiceAccount(two));
    expect(e.message).toContain('candidates: "quartz_app", "batch"');
    expect(e.message).toContain('--service-account');
    const none = usageError(() => chooseServiceAccount(input({ effective: dml('owner') })));
    expect(none.message).toContain('no login other than the owner holds');
  });

  it('a login missing one privilege on one table is no candidate', () => {
    const partial = input({
      effective: [
        ...dml('owner'),
        ...dml('quartz_app').filter((e) => !(e.table === 'LOCKS' && e.privilege === 'UPDATE')),
      ],
    });
    usageError(() => chooseServiceAccount(partial));
  });

  it('unreadable privileges: never infer, fall back to the connected login', () => {
    expect(chooseServiceAccount(input({ complete: false }))).toEqual({ name: 'auditor', source: 'connected-login' });
  });

  it('MySQL-style names compare through the given function', () => {
    const same = (a: string, b: string) => a.replace(/'/g, '') === b.replace(/'/g, '');
    expect(
      chooseServiceAccount(input({ explicit: 'quartz_app', same, principals: [login("'quartz_app'")] })).source,
    ).toBe('option');
  });

  it('closeMatches ranks by edit distance and substring', () => {
    expect(closeMatches('quartz', ['quartz_app', 'qaurtz', 'other'])).toEqual(['qaurtz', 'quartz_app']);
  });
});
