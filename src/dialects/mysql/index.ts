/**
 * MySQL 8 / MariaDB adapter: connects read-only (connection.ts), discovers the Quartz tables, runs
 * queries/mysql/*.sql and turns the rows into facts through the pure functions of map.ts, and
 * streams blob rows (blobs.ts). It knows SQL; it never judges.
 */
import mysql from 'mysql2';
import { serviceAccountCapabilities } from '../../capabilities.js';
import { UserError } from '../../errors.js';
import { emptyFacts } from '../../facts.js';
import type {
  BlobRow,
  Facts,
  Grant,
  Membership,
  MysqlFacts,
  Principal,
  QuartzTable,
  TamperObject,
  Unreadable,
} from '../../model.js';
import { readsTableContents } from '../../model.js';
import { loadQuery } from '../../queries.js';
import { chooseServiceAccount, closeMatches } from '../../service-account.js';
import type { Adapter, AdapterCapabilities, ConnectOptions } from '../adapter.js';
import { BLOB_SOURCES } from '../shared/blob-sources.js';
import { expectedTables, logicalName, noTablesError, notTablesUnreadable } from '../shared/discovery.js';
import { type Guarded, guardedReads } from '../shared/guarded.js';
import { addContentFacts } from '../shared/scheduler.js';
import { BLOB_BATCH_BYTES, keysetAfter, rowsWithin, SIZE_BATCH_ROWS, streamMysqlBlobs } from './blobs.js';
import {
  failureCause,
  isTimeout,
  type MysqlSession,
  mapMysqlError,
  openMysqlSession,
  type ParsedMysqlUrl,
  parseMysqlUrl,
  quoteIdent,
} from './connection.js';

export {
  BLOB_BATCH_BYTES,
  failureCause,
  keysetAfter,
  mapMysqlError,
  type ParsedMysqlUrl,
  parseMysqlUrl,
  quoteIdent,
  rowsWithin,
  SIZE_BATCH_ROWS,
};

import { MYSQL_BUILTIN_FUNCTIONS } from './builtins.js';
import { accountName, principalMatches, splitAccount, tokenize } from './grants.js';
import {
  computeEffective,
  createOptionsEncrypted,
  detectFlavour,
  type Flavour,
  foreignPrivileges,
  mapApplicableRoles,
  mapAuditFilters,
  mapComponents,
  mapGlobalGrants,
  mapMariadbRoles,
  mapMysqlRoles,
  mapPlugins,
  mapPrivilegeRows,
  mapShadowRoutines,
  mapShowGrants,
  mapTablespacesMariadb,
  mapTablespacesMysql,
  mapTriggers,
  mapUsersMariadb,
  mapUsersMysql,
  mapVariables,
  type Row,
  reachableRoles,
  roleNames,
  superusers,
  tableIndex,
} from './map.js';

export const GRANT_TABLES_NEED =
  'SELECT on the mysql grant tables (MariaDB: mysql.global_priv, db, tables_priv, columns_priv, roles_mapping; MySQL: mysql.user, db, tables_priv, columns_priv, role_edges, default_roles, global_grants)';

/** information_schema.TABLES types that are plain tables (MariaDB: system-versioned tables are tables too). */
const READABLE_TABLE_TYPES = new Set(['BASE TABLE', 'SYSTEM VERSIONED']);

const str = (v: unknown): string =>
  v === null || v === undefined ? '' : Buffer.isBuffer(v) ? v.toString() : String(v);

/** The state one facts collection passes between its steps. */
interface MysqlCollection {
  facts: Facts;
  extra: MysqlFacts;
  guarded: Guarded;
  maria: boolean;
  flavour: Flavour;
  connectedAs: string;
  idx: ReturnType<typeof tableIndex>;
  lowerCaseNames: number;
  /** The grant tables were readable (else only the own account's grants are known). */
  fullView: boolean;
}

export class MysqlAdapter implements Adapter {
  /** Over the knex connection layer; START TRANSACTION READ ONLY, at the server's isolation level. */
  readonly capabilities: AdapterCapabilities = { viaConnectionLayer: true };
  private readonly schemeDialect: 'mysql' | 'mariadb';
  /** The audit session: a knex pool of one, its connection held for the session (settings, read-only transaction). */
  private session: MysqlSession | undefined;
  private readonly parsed: ParsedMysqlUrl;
  private flavour: Flavour | undefined;
  private server: Row = {};
  private database = '';
  private tables: (QuartzTable & { createOptions: string })[] = [];
  /** Relations under Quartz table names that are not base tables (views, sequences): reported, never read. */
  private notTables: TamperObject[] = [];

  constructor(private readonly options: ConnectOptions) {
    this.parsed = parseMysqlUrl(options.url, options);
    this.schemeDialect = /^mariadb:/i.test(options.url) ? 'mariadb' : 'mysql';
  }

  /** 'mysql' or 'mariadb': detected from the server after connect, else what the URL scheme says. */
  get dialect(): 'mysql' | 'mariadb' {
    return this.flavour?.dialect ?? this.schemeDialect;
  }

  /** The detected flavour (after connect): 'mysql' or 'mariadb', whatever the URL scheme said. */
  get detected(): Flavour | undefined {
    return this.flavour;
  }

  private run(sql: string, params: unknown[] = []): Promise<Row[]> {
    const s = this.session;
    if (!s) return Promise.reject(new Error('not connected'));
    return s.pinned.run(sql, params);
  }

  private query(name: string, params: unknown[] = [], subs: Record<string, string> = {}): Promise<Row[]> {
    return this.run(loadQuery('mysql', name, subs), params);
  }

  async connect(): Promise<void> {
    const { sslmode, display, config } = this.parsed;
    try {
      try {
        this.session = await openMysqlSession(config, this.options);
      } catch (err) {
        // Like the mysql client's --ssl-mode=PREFERRED: fall back to a plain connection when TLS is not offered.
        const noSsl = /does not support secure connection|ssl|tls/i.test(String((err as Error)?.message));
        if (sslmode === 'preferred' && noSsl && !/access denied/i.test(String((err as Error)?.message))) {
          const { ssl: _ssl, ...plain } = config;
          this.session = await openMysqlSession(plain, this.options);
        } else throw err;
      }
      const [server] = await this.query('server');
      this.server = server ?? {};
      this.flavour = detectFlavour(str(this.server.version), str(this.server.version_comment));
      // The session limits were set by the connection layer (afterCreate) for the flavour it read.
      this.database = this.parsed.database ?? str(this.server.current_db);
      if (!this.database) {
        throw new UserError('url', 'no database in the URL (mysql://user@host/DATABASE) and no --schema given');
      }
      if ((await this.query('database_exists', [this.database])).length === 0) {
        throw new UserError(
          'database',
          `database ${JSON.stringify(this.database)} does not exist (or ${str(this.server.current_account) || 'this login'} holds no privilege on it)`,
        );
      }
      await this.discover();
    } catch (err) {
      await this.close();
      throw mapMysqlError(err, display, config.password !== undefined);
    }
  }

  private async discover(): Promise<void> {
    const prefix = this.options.tablePrefix;
    const expected = expectedTables(prefix).map((t) => t.lower.toUpperCase());
    const rows = await this.query('quartz_tables', [this.database, expected]);
    this.tables = [];
    this.notTables = [];
    for (const r of rows) {
      const logical = logicalName(prefix, str(r.TABLE_NAME));
      if (!logical) continue;
      const type = str(r.TABLE_TYPE).toUpperCase();
      if (!READABLE_TABLE_TYPES.has(type)) {
        // A view (or anything but a base table) under a Quartz name may run stored code when read: never read it.
        const definer = r.VIEW_DEFINER === null || r.VIEW_DEFINER === undefined ? undefined : str(r.VIEW_DEFINER);
        this.notTables.push({
          kind: 'not-a-table',
          name: `${str(r.TABLE_SCHEMA)}.${str(r.TABLE_NAME)}`,
          table: str(r.TABLE_NAME),
          ...(definer ? { owner: definer } : {}),
          detail: `${type || 'unknown relation type'} in place of the Quartz table ${logical}${
            definer ? ` (definer ${definer}, SQL SECURITY ${str(r.VIEW_SECURITY) || '?'})` : ''
          }: not read`,
        });
        continue;
      }
      this.tables.push({
        logical,
        name: str(r.TABLE_NAME),
        schema: str(r.TABLE_SCHEMA),
        createOptions: str(r.CREATE_OPTIONS),
      });
    }
    if (this.tables.length === 0 && this.notTables.length === 0) {
      const candidates = await this.query('lookalike_tables').catch(() => [] as Row[]);
      throw noTablesError(
        `database ${this.database}`,
        prefix,
        candidates.map((c) => ({ schema: str(c.TABLE_SCHEMA), prefix: str(c.TABLE_NAME).replace(/locks$/i, '') })),
      );
    }
  }

  /** The Quartz table a failed statement was about, when only one is named in its message or it read only one. */
  private tableInError(message: string): string | undefined {
    const hit = this.tables.filter((t) => message.toLowerCase().includes(t.name.toLowerCase()));
    return hit.length === 1 ? hit[0]?.name : undefined;
  }

  /** Reads the catalog into facts in named steps, each a guarded read (src/dialects/shared/guarded.ts). */
  async collectFacts(): Promise<Facts> {
    const o = this.options;
    const flavour = this.flavour ?? detectFlavour('', '');
    const maria = flavour.dialect === 'mariadb';
    const connectedAs = currentAccount(str(this.server.current_account));
    const facts = emptyFacts(flavour.dialect, {
      server: { product: flavour.product, version: flavour.version, versionNum: flavour.versionNum },
      target: {
        database: this.database,
        schema: this.database,
        tablePrefix: o.tablePrefix,
        user: connectedAs,
        ...(this.parsed.config.host ? { host: this.parsed.config.host } : {}),
      },
      serviceAccount: connectedAs,
      connectedAs,
      allowedPrincipals: [...o.allowPrincipals],
      tables: this.tables.map(({ logical, name, schema }) => ({ logical, name, schema })),
      attestations: { ...o.attestations },
    });
    facts.tamper.push(...this.notTables);
    facts.unreadable.push(...notTablesUnreadable(o.tablePrefix, this.notTables));
    const present = new Set(this.tables.map((t) => t.logical));
    facts.missingTables = expectedTables(o.tablePrefix)
      .map((t) => t.logical)
      .filter((l) => !present.has(l));
    const lowerCaseNames = Number(str(this.server.lower_case_table_names) || '0');
    const extra: MysqlFacts = { flavour: flavour.dialect, lowerCaseTableNames: lowerCaseNames };
    facts.mysql = extra;

    // A lost connection ends the audit; a lock or statement timeout (or a missing privilege) costs only this read.
    const guarded = guardedReads(facts.unreadable, {
      fatal: (err) => (!failureCause(err) && isTimeout(err) ? mapMysqlError(err, this.parsed.display) : undefined),
      cause: failureCause,
      table: (err, cause) =>
        cause && cause !== 'privilege'
          ? this.tableInError(String((err as { message?: unknown })?.message ?? ''))
          : undefined,
    });

    const c: MysqlCollection = {
      facts,
      extra,
      guarded,
      maria,
      flavour,
      connectedAs,
      idx: tableIndex(this.database, facts.tables),
      lowerCaseNames,
      fullView: false,
    };
    await this.serverSettings(c);
    await this.accounts(c);
    await this.serviceAccount(c);
    await this.tamper(c);
    await this.contentFacts(c);
    await this.encryption(c);
    const capabilities = serviceAccountCapabilities(facts);
    if (capabilities) facts.capabilities = capabilities;
    return facts;
  }

  /** The read-only transaction, then what every account may read: variables, session TLS, plugins, components, audit filters. */
  private async serverSettings(c: MysqlCollection): Promise<void> {
    const { facts, extra, guarded, maria, flavour } = c;
    const o = this.options;
    await guarded('start-read-only', async () => {
      await this.query('start_read_only');
    });

    // Settings, status, plugins: readable by every account.
    await guarded('variables', async () => {
      const vars = mapVariables(await this.query('variables'));
      for (const [k, v] of Object.entries(vars)) facts.settings[k] = v;
      facts.settings.version = facts.settings.version ?? flavour.version;
    });
    await guarded('session-status', async () => {
      const st = mapVariables(await this.query('session_status'));
      const cipher = st.ssl_cipher ?? '';
      facts.session = {
        tls: cipher !== '',
        ...(st.ssl_version ? { tlsVersion: st.ssl_version } : {}),
        ...(cipher ? { cipher } : {}),
        viaSocket: this.parsed.viaSocket,
      };
    });
    await guarded('information_schema.PLUGINS', async () => {
      const plugins = mapPlugins(await this.query('plugins'));
      extra.plugins = plugins;
      facts.extensions = plugins.filter((p) => p.status.toUpperCase() === 'ACTIVE').map((p) => p.name);
    });
    if (!maria) {
      await guarded(
        'mysql.component',
        async () => {
          const comps = mapComponents(await this.query('components'));
          extra.components = comps;
          facts.extensions.push(...comps);
        },
        'SELECT on mysql.component',
      );
    }

    const auditLoaded = facts.extensions.some((e) =>
      /^(audit_log|audit_log_filter|component_audit_log_filter)$/i.test(e),
    );
    if (!maria && auditLoaded && o.families.has('audit')) {
      const db = quoteIdent(facts.settings.audit_log_database || facts.settings.audit_log_filter_database || 'mysql');
      await guarded(
        'audit_log_filters',
        async () => {
          extra.auditFilters = mapAuditFilters(await this.query('audit_log_filters', [], { db }));
        },
        'SELECT on mysql.audit_log_user and mysql.audit_log_filter',
      );
    }
  }

  /** Accounts, roles and grants from the grant tables; without them, the own account's SHOW GRANTS. */
  private async accounts(c: MysqlCollection): Promise<void> {
    const { facts, extra, guarded, maria, idx } = c;
    const o = this.options;
    // Accounts and roles.
    c.fullView = await guarded(
      maria ? 'mysql.global_priv' : 'mysql.user',
      async () => {
        if (maria) {
          const { principals, defaultRoles } = mapUsersMariadb(await this.query('users_mariadb'));
          facts.principals = principals;
          const rows = await this.query('roles_mapping');
          facts.memberships = mapMariadbRoles(rows, defaultRoles);
        } else {
          const edges = await this.query('role_edges');
          const defaults = await this.query('default_roles');
          const roleAccounts = new Set(edges.map((e) => accountName(str(e.FROM_USER), str(e.FROM_HOST))));
          facts.principals = mapUsersMysql(await this.query('users_mysql'), roleAccounts);
          facts.memberships = mapMysqlRoles(
            edges,
            defaults,
            facts.settings,
            facts.principals.map((p) => p.name),
          );
        }
      },
      GRANT_TABLES_NEED,
    );

    if (c.fullView && o.families.has('grants')) {
      const roles = roleNames(facts.principals);
      c.fullView = await guarded(
        'grants.information_schema',
        async () => {
          const [user, schema, table, column] = [
            await this.query('user_privileges'),
            await this.query('schema_privileges'),
            await this.query('table_privileges'),
            await this.query('column_privileges'),
          ];
          facts.grants = mapPrivilegeRows({ user, schema, table, column }, roles, idx);
        },
        GRANT_TABLES_NEED,
      );
      if (!maria) {
        await guarded(
          'mysql.global_grants',
          async () => {
            facts.grants.push(...mapGlobalGrants(await this.query('global_grants')));
          },
          'SELECT on mysql.global_grants',
        );
      }
    }
    if (!c.fullView) {
      extra.partialView = true;
      facts.unreadable.push({
        what: 'grants.others',
        reason: 'the grant tables are not readable: only the connected account’s own grants (SHOW GRANTS) are known',
        needs: GRANT_TABLES_NEED,
      });
      if (o.families.has('grants')) await this.ownGrants(facts, idx, maria);
    }
  }

  /** Superusers, effective privileges, the service account and what it holds outside the Quartz tables. */
  private async serviceAccount(c: MysqlCollection): Promise<void> {
    const { facts, extra, connectedAs } = c;
    const o = this.options;
    facts.allowedPrincipals = expandAllowed(o.allowPrincipals, facts.principals);
    const knownNames = facts.principals.map((p) => p.name);
    const supers = superusers(facts.grants);
    for (const p of facts.principals) {
      if ([p.name, ...reachableRoles(p.name, facts.memberships)].some((n) => supers.has(n))) {
        if (!p.attributes.includes('superuser')) p.attributes.push('superuser');
      }
    }
    facts.effective = computeEffective(
      facts.grants,
      facts.memberships,
      knownNames,
      facts.tables,
      this.database,
      supers,
    );
    // Service account: --service-account (user, user@host or 'user'@'host'; must exist), else the connected
    // account when it holds Quartz's DML, else the one other login that does (inferred), else a usage error.
    const complete = c.fullView && o.families.has('grants') && facts.tables.length > 0;
    const wanted = o.serviceAccount;
    if (wanted !== undefined && complete && !facts.principals.some((p) => sameAccount(p.name, wanted))) {
      // Close matches by the user part too ('svc' is near 'svx', whatever the quoting and host of the account).
      const accounts = facts.principals.filter((p) => p.kind !== 'public').map((p) => p.name);
      const byUser = closeMatches(
        splitAccount(wanted).user,
        accounts.map((n) => splitAccount(n).user),
      );
      const near = byUser.flatMap((u) => accounts.filter((n) => splitAccount(n).user === u)).slice(0, 3);
      throw new UserError(
        'usage',
        `--service-account: no principal named ${JSON.stringify(wanted)} exists${
          near.length ? ` (close matches: ${near.map((n) => JSON.stringify(n)).join(', ')})` : ''
        }`,
      );
    }
    const choice = chooseServiceAccount({
      ...(o.serviceAccount !== undefined ? { explicit: o.serviceAccount } : {}),
      connectedAs,
      principals: facts.principals,
      effective: facts.effective,
      tables: facts.tables.map((t) => t.logical),
      owners: [],
      complete,
      same: sameAccount,
    });
    facts.serviceAccount =
      choice.source === 'option' ? resolveAccount(o.serviceAccount, facts.principals, connectedAs, extra) : choice.name;
    facts.serviceAccountSource = choice.source;
    if (!c.fullView && facts.serviceAccount !== connectedAs) {
      // The shared checks (QA-G05/G07/G08) read these keys: another account's grants are unknown.
      for (const what of ['effective-privileges', 'foreign-privileges']) {
        facts.unreadable.push({
          what,
          reason: `the grants of ${facts.serviceAccount} are not visible to ${connectedAs}`,
          needs: GRANT_TABLES_NEED,
        });
      }
    }
    facts.foreignPrivileges = foreignPrivileges(facts.grants, facts.memberships, facts.serviceAccount, this.database);
    extra.serviceAccountRoles = reachableRoles(facts.serviceAccount, facts.memberships);
  }

  /** Triggers and shadowing routines; which triggers information_schema hides from this login. */
  private async tamper(c: MysqlCollection): Promise<void> {
    const { facts, guarded, connectedAs } = c;
    const o = this.options;
    if (o.families.has('grants')) {
      // information_schema.TRIGGERS hides triggers of tables where the reader lacks TRIGGER.
      await guarded('tamper', async () => {
        if (facts.tables.length === 0) return;
        facts.tamper.push(
          ...mapTriggers(await this.query('triggers', [this.database, facts.tables.map((t) => t.name.toUpperCase())])),
        );
      });
      await guarded('tamper.routines', async () => {
        facts.tamper.push(
          ...mapShadowRoutines(await this.query('shadow_routines', [this.database, [...MYSQL_BUILTIN_FUNCTIONS]])),
        );
      });
      const hidden = facts.tables.filter(
        (t) =>
          !facts.effective.some(
            (e) => e.principal === connectedAs && e.table === t.logical && e.privilege === 'TRIGGER',
          ),
      );
      if (hidden.length > 0) {
        facts.unreadable.push({
          // 'tamper' is what QA-T01 reads; when some triggers are visible, they are reported and this stays a note.
          what: facts.tamper.some((x) => x.kind === 'trigger') ? 'triggers.partial' : 'tamper',
          reason: `information_schema.TRIGGERS hides triggers on tables where ${connectedAs} lacks TRIGGER: ${hidden
            .map((t) => t.name)
            .join(', ')}`,
          needs: `TRIGGER on ${this.database}.* (or on each Quartz table)`,
        });
      }
    }
  }

  /** Scheduler state and schema columns (table contents), through the shared scheduler reader. */
  private async contentFacts(c: MysqlCollection): Promise<void> {
    const { facts, guarded } = c;
    const o = this.options;
    if (readsTableContents(o.families)) {
      // Scheduler state (QA-H…) and schema columns (QA-U01) are table contents: shared reader, queries/mysql/scheduler-*.sql.
      const quote = (t: QuartzTable) => `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
      // The shared reader records a failed read by its message: remember which table and why, to annotate it.
      const failures = new Map<string, { table?: string; cause: NonNullable<Unreadable['cause']> }>();
      const run = async (sql: string, params: unknown[]) => {
        try {
          return await this.run(sql, params);
        } catch (err) {
          const cause = failureCause(err);
          if (!cause && isTimeout(err)) throw err;
          const table = facts.tables.find((t) => sql.includes(quote(t)))?.name;
          failures.set(String((err as Error)?.message ?? err), {
            cause: cause ?? 'other',
            ...(table ? { table } : {}),
          });
          throw err;
        }
      };
      await addContentFacts(facts, run, { dialect: 'mysql', quote }, guarded);
      for (const u of [...facts.unreadable, ...(facts.scheduler?.unreadable ?? [])]) {
        const f = u.cause ? undefined : failures.get(u.reason);
        if (f) Object.assign(u, f);
      }
    }
  }

  /** Tablespace encryption of the Quartz tables (CREATE_OPTIONS when PROCESS is missing). */
  private async encryption(c: MysqlCollection): Promise<void> {
    const { facts, guarded, maria, lowerCaseNames } = c;
    const o = this.options;
    if (o.families.has('encryption') && this.tables.length > 0) {
      const names = this.tables.map((t) => innodb(t, lowerCaseNames));
      const ok = await guarded(
        'tablespaces',
        async () => {
          facts.tableEncryption = maria
            ? mapTablespacesMariadb(await this.query('tablespaces_mariadb', [names]), facts.tables, lowerCaseNames)
            : mapTablespacesMysql(await this.query('tablespaces_mysql', [names]), facts.tables, lowerCaseNames);
        },
        'PROCESS',
      );
      if (!ok) {
        facts.tableEncryption = this.tables.map((t) => {
          const flag = createOptionsEncrypted(t.createOptions);
          return {
            table: `${t.schema}.${t.name}`,
            encrypted: flag === true ? true : null,
            detail: `CREATE_OPTIONS '${t.createOptions}' (tablespace state unreadable without PROCESS)`,
          };
        });
      }
    }
  }

  /** Fallback without the grant tables: SHOW GRANTS for the own account and each role it holds. */
  private async ownGrants(facts: Facts, idx: ReturnType<typeof tableIndex>, maria: boolean): Promise<void> {
    const self = facts.connectedAs;
    const lines = async (rows: Row[]) => rows.map((r) => str(Object.values(r)[0]));
    const ownLines = await lines(await this.query('show_grants'));
    const own = { ...mapShowGrants(ownLines, idx), lines: ownLines };
    const grants: Grant[] = [...own.grants];
    const memberships: Membership[] = [...own.memberships];
    const fromApplicable = await this.query('applicable_roles').catch(() => [] as Row[]);
    for (const m of mapApplicableRoles(fromApplicable, self)) {
      const known = memberships.find((x) => x.member === m.member && x.role === m.role);
      if (!known) memberships.push(m);
      else known.inherit ||= m.inherit; // MySQL's SHOW GRANTS omits default roles; APPLICABLE_ROLES has IS_DEFAULT.
    }
    const seen = new Set<string>();
    const queue = memberships.map((m) => m.role);
    while (queue.length && seen.size < 200) {
      const role = queue.shift() as string;
      if (seen.has(role) || grants.some((g) => g.grantee === role && seen.has(role))) continue;
      seen.add(role);
      const { user, host } = splitAccount(role);
      const target = host === undefined ? user : `${user}@${host}`;
      try {
        const rows = await this.query('show_grants_for', [], { account: targetLiteral(target) });
        const r = mapShowGrants(await lines(rows), idx);
        for (const g of r.grants) if (!grants.some((x) => sameGrant(x, g))) grants.push(g);
        for (const m of r.memberships) {
          if (!memberships.some((x) => x.member === m.member && x.role === m.role)) {
            memberships.push(m);
            queue.push(m.role);
          }
        }
      } catch (err) {
        if (isTimeout(err)) throw err;
        if (!maria && (await this.roleGrantsUsing(role, own.lines, idx, grants))) continue;
        facts.unreadable.push({
          what: `grants.role:${role}`,
          reason: String((err as Error)?.message ?? err),
          needs: GRANT_TABLES_NEED,
        });
      }
    }
    facts.grants = grants;
    facts.memberships = memberships;
    const { user, host } = splitAccount(self);
    const attributes: string[] = [];
    if (user === '') attributes.push('anonymous');
    if (host === '%' || host === '') attributes.push('host-any');
    if (own.require) {
      attributes.push('require-ssl');
      if (own.require === 'X509' || own.require === 'SUBJECT' || own.require === 'ISSUER')
        attributes.push('require-x509');
    } else if (maria) {
      // MariaDB's SHOW GRANTS prints REQUIRE on the USAGE line; absent = REQUIRE NONE.
    } else {
      const req = await this.query('show_create_user')
        .then((rows) => requireClause(str(Object.values(rows[0] ?? {})[0])))
        .catch(() => undefined);
      if (req && req !== 'NONE') {
        attributes.push('require-ssl');
        if (req === 'X509' || req === 'SUBJECT' || req === 'ISSUER') attributes.push('require-x509');
      }
      if (req === undefined)
        facts.unreadable.push({
          what: 'account.ssl_type',
          reason: 'MySQL does not show REQUIRE in SHOW GRANTS and mysql.user is not readable',
          needs: 'SELECT on mysql.user',
        });
    }
    const principals: Principal[] = [{ name: self, kind: 'user', canLogin: true, attributes, host: host ?? '' }];
    for (const role of seen) principals.push({ name: role, kind: 'role', canLogin: false, attributes: ['role'] });
    if (grants.some((g) => g.grantee === 'PUBLIC')) {
      principals.push({ name: 'PUBLIC', kind: 'public', canLogin: false, attributes: [] });
    }
    facts.principals = principals;
  }

  /**
   * MySQL: SHOW GRANTS FOR a role needs SELECT on mysql.*, but SHOW GRANTS FOR CURRENT_USER() USING role does not.
   * The role's privileges are the lines that appear only with the role applied; they are attributed to the role.
   */
  private async roleGrantsUsing(role: string, ownLines: string[], idx: ReturnType<typeof tableIndex>, grants: Grant[]) {
    try {
      const rows = await this.query('show_grants_using', [], { role: targetLiteral(role) });
      const extra = rows.map((r) => str(Object.values(r)[0])).filter((l) => !ownLines.includes(l));
      for (const g of mapShowGrants(extra, idx).grants) {
        const attributed = { ...g, grantee: role };
        if (!grants.some((x) => sameGrant(x, attributed))) grants.push(attributed);
      }
      return true;
    } catch (err) {
      if (isTimeout(err)) throw err;
      return false;
    }
  }

  blobRows(onUnreadable?: (u: Unreadable) => void): AsyncIterable<BlobRow> {
    if (!this.session) throw new Error('not connected');
    return streamMysqlBlobs(
      {
        tables: this.tables,
        maxBlobSize: this.options.maxBlobSize,
        display: this.parsed.display,
        query: (name, params, subs) => this.query(name, params, subs),
      },
      onUnreadable,
    );
  }

  async countBlobRows(): Promise<number | undefined> {
    if (!this.session) return undefined;
    let total = 0;
    for (const src of BLOB_SOURCES) {
      const t = this.tables.find((x) => x.logical === src.table);
      if (!t) continue;
      try {
        const rows = await this.query('blob_count', [], { table: `${quoteIdent(t.schema)}.${quoteIdent(t.name)}` });
        total += Number(rows[0]?.N ?? rows[0]?.n ?? 0);
      } catch (err) {
        // No privilege, a lock or statement timeout: the bar goes without a total. Anything else (a lost
        // connection) is what blobRows would meet too.
        if (!failureCause(err)) throw mapMysqlError(err, this.parsed.display);
        return undefined;
      }
    }
    return total;
  }

  async close(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    if (!s) return;
    await s.pinned.release().catch(() => {});
    await s.connection.destroy().catch(() => {});
  }
}

function innodb(t: QuartzTable, lowerCaseNames: number): string {
  const n = `${t.schema}/${t.name}`;
  return lowerCaseNames > 0 ? n.toLowerCase() : n;
}

function sameGrant(a: Grant, b: Grant): boolean {
  return (
    a.grantee === b.grantee && a.privilege === b.privilege && a.objectKind === b.objectKind && a.object === b.object
  );
}

/** The REQUIRE clause of a SHOW CREATE USER line (NONE, SSL, X509, SUBJECT, ISSUER, CIPHER); quoted strings skipped. */
export function requireClause(line: string): string | undefined {
  const toks = tokenize(line);
  for (let i = 0; i < toks.length - 1; i++) {
    const t = toks[i];
    const n = toks[i + 1];
    const prev = toks[i - 1];
    // PASSWORD REQUIRE CURRENT is a password option, not the TLS requirement.
    if (prev?.t === 'word' && prev.v.toUpperCase() === 'PASSWORD') continue;
    if (t?.t === 'word' && t.v.toUpperCase() === 'REQUIRE' && n?.t === 'word') return n.v.toUpperCase();
  }
  return undefined;
}

/** `'role'` or `'user'@'host'` as SQL literals for SHOW GRANTS FOR. */
function targetLiteral(target: string): string {
  const { user, host } = splitAccount(target);
  const lit = (s: string) => mysql.escape(s);
  return host === undefined ? lit(user) : `${lit(user)}@${lit(host)}`;
}

/** CURRENT_USER() returns user@host (no quotes; the user part may itself contain @). */
export function currentAccount(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 0) return value;
  return accountName(value.slice(0, at), value.slice(at + 1));
}

/** Resolves --service-account against the known accounts. */
export function resolveAccount(
  wanted: string | undefined,
  principals: Principal[],
  connectedAs: string,
  extra: Pick<MysqlFacts, 'serviceAccountCandidates'>,
): string {
  if (!wanted) return connectedAs;
  const { user, host } = splitAccount(wanted);
  if (host !== undefined) return accountName(user, host);
  const candidates = principals.filter((p) => p.kind === 'user' && principalMatches(p.name, user));
  if (candidates.length > 1) extra.serviceAccountCandidates = candidates.map((p) => p.name);
  if (candidates[0]) return candidates[0].name;
  if (principalMatches(connectedAs, user)) return connectedAs;
  return accountName(user, '%');
}

/** Account comparison for chooseServiceAccount: `user` (no host) matches the account on every host, as resolveAccount does. */
export function sameAccount(a: string, b: string): boolean {
  return principalMatches(a, b);
}

/** --allow-principal values as canonical names: `user` matches the account on every host (and a role). */
export function expandAllowed(allowed: string[], principals: Principal[]): string[] {
  const out = new Set<string>();
  for (const a of allowed) {
    const { user, host } = splitAccount(a);
    if (host !== undefined) out.add(accountName(user, host));
    else {
      out.add(user);
      for (const p of principals) if (principalMatches(p.name, user)) out.add(p.name);
    }
  }
  return [...out];
}

export function createMysqlAdapter(options: ConnectOptions): Adapter {
  return new MysqlAdapter(options);
}
