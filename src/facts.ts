/** Helpers around Facts shared by adapters, the engine and tests. */
import type { Dialect, Facts } from './model.js';

/** A Facts value with nothing read yet: adapters fill it in; tests and inspect-blob start from it. */
export function emptyFacts(dialect: Dialect, init: Partial<Facts> = {}): Facts {
  return {
    dialect,
    server: { product: dialect, version: 'unknown' },
    target: { database: '', schema: '', tablePrefix: 'QRTZ_', user: '' },
    serviceAccount: '',
    connectedAs: '',
    allowedPrincipals: [],
    tables: [],
    missingTables: [],
    principals: [],
    memberships: [],
    grants: [],
    effective: [],
    defaultPrivileges: [],
    tamper: [],
    foreignPrivileges: [],
    settings: {},
    extensions: [],
    session: { tls: null },
    tableEncryption: [],
    attestations: {},
    unreadable: [],
    ...init,
  };
}

/** The Unreadable entry for `what`, if the adapter could not read it. */
export function unreadable(facts: Facts, what: string) {
  return facts.unreadable.find((u) => u.what === what);
}
