/** Picks the adapter for a connection URL by its scheme. A new database is one adapter folder + one line here. */

import { UserError } from '../errors.js';
import type { Adapter, AdapterFactory, ConnectOptions } from './adapter.js';

/** One line per database: the URL schemes that name it and its adapter (loaded only when used). */
const DATABASES: { schemes: string[]; load: () => Promise<AdapterFactory> }[] = [
  {
    schemes: ['postgres', 'postgresql'],
    load: async () => (await import('./postgres/index.js')).createPostgresAdapter,
  },
  { schemes: ['sqlite'], load: async () => (await import('./sqlite/index.js')).createSqliteAdapter },
  { schemes: ['mysql', 'mariadb'], load: async () => (await import('./mysql/index.js')).createMysqlAdapter },
  { schemes: ['mssql', 'sqlserver'], load: async () => (await import('./mssql/index.js')).createMssqlAdapter },
];

const registry: Record<string, () => Promise<AdapterFactory>> = Object.fromEntries(
  DATABASES.flatMap((d) => d.schemes.map((s) => [s, d.load] as const)),
);

/** The URL scheme, or 'sqlite' for a bare path ending in .db/.sqlite/.sqlite3. */
export function schemeOf(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(url);
  if (m?.[1] && m[1].length > 1) return m[1].toLowerCase();
  if (/\.(db|sqlite|sqlite3)$/i.test(url)) return 'sqlite';
  throw new UserError(
    'url',
    'cannot tell the database from the URL: expected postgres://, mysql://, mariadb://, mssql://, sqlserver:// or sqlite:PATH',
  );
}

export function supportedSchemes(): string[] {
  return Object.keys(registry);
}

export async function adapterFor(options: ConnectOptions): Promise<Adapter> {
  const scheme = schemeOf(options.url);
  const load = registry[scheme];
  if (!load) {
    throw new UserError('url', `unsupported database scheme ${scheme}: (supported: ${supportedSchemes().join(', ')})`);
  }
  return (await load())(options);
}
