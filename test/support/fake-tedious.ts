/**
 * A SQL Server without a server: knex's own mssql client runs as it is (its acquireRawConnection with the
 * `connected` flag and the 'error'/'end' handlers it attaches, its request queue, sp_executesql with typed
 * parameters, its row shaping), with tedious's real Request, TYPES and error classes; only tedious's
 * `Connection` is replaced, through the client's `_driver()`, by a fake that records every request (batch or
 * sp_executesql, text, typed parameters, which connection) and answers from an `answer` function.
 *
 * The fake keeps tedious 19's state rules where the adapter depends on them: a request on a connection that is
 * not logged in fails with EINVALIDSTATE; a lost connection (the session killed, the server gone: `RESET`)
 * fails the request in flight with the socket's ECONNRESET error, ends the connection ('end', once) and then
 * emits tedious's ESOCKET "Connection lost" error; a request past its timeout (`TIMEOUT`) fails with tedious's
 * ETIMEOUT RequestError and leaves the connection logged in; `close()` of a connection that already ended
 * (`closed` set) emits no second 'end', as tedious's does not.
 */
import { EventEmitter } from 'node:events';
import knexFactory from 'knex';
import tedious from 'tedious';
import { vi } from 'vitest';

/** One request a fake connection received. */
export interface Sent {
  kind: 'batch' | 'execSql';
  /** 1-based number of the connection it was sent on. */
  connection: number;
  sql: string;
  params: { name: string; type: string; value: unknown }[];
}

/** The connection is lost while this request runs (the session killed, the server stopped). */
export const RESET = { fault: 'reset' } as const;
/** The request runs past its request timeout (tedious cancels it; the connection stays logged in). */
export const TIMEOUT = { fault: 'timeout' } as const;

/** Rows as the catalog returns them (column name → value as tedious types it), a server error, or a fault. */
export type Answer = Record<string, unknown>[] | Error | typeof RESET | typeof TIMEOUT;

/** The query file a statement comes from: the last `-- <name>.sql:` header that is not a SET file. */
export function fileOf(sql: string): string {
  const names = [...sql.matchAll(/^-- ([a-z0-9-]+)\.sql:/gm)].map((m) => m[1] as string);
  return names.filter((n) => !n.startsWith('set-')).pop() ?? names.pop() ?? '';
}

/** A server error as tedious reports it (RequestError with the server's error number). */
export function serverError(message: string, number: number): Error {
  return Object.assign(new tedious.RequestError(message, 'EREQUEST'), { number });
}

interface TediousRequest extends EventEmitter {
  sqlTextOrProcedure: string;
  parameters?: { name: string; type: { name: string }; value: unknown }[];
  timeout?: number;
  callback(err?: Error, rowCount?: number): void;
}

type KnexMssqlClient = { _driver(): typeof tedious };

/**
 * Installs the fake under every knex mssql client until `restore()`; `answer` decides what each sp_executesql
 * statement returns (the file it comes from and the request as sent), `batch` what a plain batch returns
 * (afterCreate's SET statements: success unless it gives an error).
 */
export function fakeTedious(answer: (file: string, sent: Sent) => Answer, batch?: (sql: string) => Error | undefined) {
  const sent: Sent[] = [];
  const configs: Record<string, unknown>[] = [];
  const passwords: string[] = [];
  let opened = 0;
  let ended = 0;

  class FakeConnection extends EventEmitter {
    readonly id: number;
    state: { name: string } = { name: 'Initialized' };
    /** tedious's own flag: set once the connection is cleaned up (closed by the client, or lost) */
    closed = false;
    private readonly requestTimeout: number;

    constructor(config: Record<string, unknown>) {
      super();
      configs.push(config);
      const auth = config.authentication as { options?: { password?: unknown } } | undefined;
      // knex makes the password non-enumerable; it is still what tedious would send
      passwords.push(String(auth?.options?.password ?? ''));
      this.requestTimeout = Number((config.options as { requestTimeout?: number } | undefined)?.requestTimeout ?? 0);
      this.id = ++opened;
    }

    connect(done: (err?: Error) => void): void {
      this.state = { name: 'LoggedIn' };
      setImmediate(() => done());
    }

    /** tedious's makeRequest: only a logged-in connection takes a request. */
    private refused(req: TediousRequest): boolean {
      if (this.state.name === 'LoggedIn') return false;
      const message = `Requests can only be made in the LoggedIn state, not the ${this.state.name} state`;
      req.callback(new tedious.RequestError(message, 'EINVALIDSTATE'));
      return true;
    }

    execSqlBatch(req: TediousRequest): void {
      if (this.refused(req)) return;
      sent.push({ kind: 'batch', connection: this.id, sql: req.sqlTextOrProcedure, params: [] });
      const err = batch?.(req.sqlTextOrProcedure);
      setImmediate(() => (err ? req.callback(err) : req.callback(undefined, 0)));
    }

    execSql(req: TediousRequest): void {
      if (this.refused(req)) return;
      const s: Sent = {
        kind: 'execSql',
        connection: this.id,
        sql: req.sqlTextOrProcedure,
        params: (req.parameters ?? []).map((p) => ({ name: p.name, type: p.type.name, value: p.value })),
      };
      sent.push(s);
      const a = answer(fileOf(s.sql), s);
      setImmediate(() => {
        if (a === RESET) return this.lose(req);
        if (a === TIMEOUT) {
          const ms = req.timeout ?? this.requestTimeout;
          return req.callback(new tedious.RequestError(`Timeout: Request failed to complete in ${ms}ms`, 'ETIMEOUT'));
        }
        if (a instanceof Error) return req.callback(a);
        if (!Array.isArray(a)) throw new Error('unknown fault');
        for (const row of a)
          req.emit(
            'row',
            Object.entries(row).map(([colName, value]) => ({ metadata: { colName }, value })),
          );
        req.callback(undefined, a.length);
      });
    }

    /** tedious's socketEnd in SentClientRequest: the request fails, the connection ends, then 'error'. */
    private lose(req: TediousRequest): void {
      const socketErr = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      this.state = { name: 'Final' };
      this.end();
      req.callback(socketErr);
      process.nextTick(() =>
        this.emit(
          'error',
          new tedious.ConnectionError(`Connection lost - ${socketErr.message}`, 'ESOCKET', { cause: socketErr }),
        ),
      );
    }

    private end(): void {
      if (this.closed) return;
      this.closed = true;
      ended++;
      process.nextTick(() => this.emit('end'));
    }

    close(): void {
      this.state = { name: 'Final' };
      this.end();
    }
  }

  const probe = knexFactory({ client: 'mssql' });
  const proto = Object.getPrototypeOf(probe.client) as KnexMssqlClient;
  void probe.destroy();
  const driver = { ...tedious, Connection: FakeConnection } as unknown as typeof tedious;
  const spy = vi.spyOn(proto, '_driver').mockImplementation(() => driver);
  return {
    sent,
    /** tedious configurations the connections were created with (knex's _generateConnection output). */
    configs,
    /** the password each connection would have logged in with */
    passwords,
    opened: () => opened,
    /** connections that ended (closed by the client, or lost) */
    closed: () => ended,
    /** connections open now */
    open: () => opened - ended,
    restore: () => spy.mockRestore(),
  };
}
