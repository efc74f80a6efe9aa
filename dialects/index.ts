/** Picks the adapter for a connection URL by its scheme. A new dialect is one adapter + one line here. */
import type { Adapter, AdapterFactory, ConnectOptions } from '../src/dialect.js';
import { UserError } from '../src/errors.js';

const registry: Record<string, () => Promise<AdapterFactory>> = {
  postgres: async () => (await import('./postgres.js')).createPostgresAdapter,
  postgresql: async () => (await import('./postgres.js')).createPostgresAdapter,
  sqlite: async () => (await import('./sqlite.js')).createSqliteAdapter,
  mysql: async () => (await import('./mysql/index.js')).createMysqlAdapter,
  mariadb: async () => (await import('./mysql/index.js')).createMysqlAdapter,
  mssql: async () => (await import('./mssql/index.js')).createMssqlAdapter,
  sqlserver: async () => (await import('./mssql/index.js')).createMssqlAdapter,
};

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
