/** SQL Server connection part: URLs, ADO.NET connection strings as Quartz.NET configs hold them, refusals, errors. */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  mapMssqlError,
  mssqlTarget,
  parseConnectionStringTarget,
  parseDataSource,
  parseMssqlUrl,
} from '../../../src/dialects/mssql/connection.js';
import { UserError } from '../../../src/errors.js';
import { redact } from '../../../src/secrets/redact.js';

describe('ADO.NET connection strings', () => {
  it('reads the Quartz.NET shape: Server=tcp:host,port; Database; User Id; Password; Encrypt; TrustServerCertificate', () => {
    const t = parseConnectionStringTarget(
      'Server=tcp:sql01.corp.example,14330;Database=quartz;User Id=quartz_app;Password=Qz-8f!k2pL;Encrypt=True;TrustServerCertificate=False',
    );
    expect(t).toMatchObject({
      host: 'sql01.corp.example',
      port: 14330,
      database: 'quartz',
      user: 'quartz_app',
      encrypt: true,
      trustServerCertificate: false,
      source: 'connection-string',
    });
    expect(t.config).toMatchObject({
      server: 'sql01.corp.example',
      port: 14330,
      database: 'quartz',
      user: 'quartz_app',
    });
    expect(t.config.password).toBe('Qz-8f!k2pL');
    expect(t.config.options).toMatchObject({ encrypt: true, trustServerCertificate: false });
    expect(t.display).toBe('mssql://quartz_app@sql01.corp.example:14330/quartz');
    expect(t.display).not.toContain('Qz-8f');
    expect(redact('login failed: Qz-8f!k2pL')).not.toContain('Qz-8f!k2pL');
  });

  it('Data Source / Initial Catalog / UID / PWD aliases, quoted values, instance names and Connect Timeout', () => {
    const t = parseConnectionStringTarget(
      'Data Source=DBHOST\\SQLEXPRESS;Initial Catalog=Quartz Store;UID=app;PWD="a;b""c";Connect Timeout=7;TrustServerCertificate=yes',
    );
    expect(t).toMatchObject({ host: 'DBHOST', instanceName: 'SQLEXPRESS', port: undefined, database: 'Quartz Store' });
    expect(t.config.password).toBe('a;b"c');
    expect(t.config.connectionTimeout).toBe(7000);
    expect(t.config.options).toMatchObject({ instanceName: 'SQLEXPRESS', trustServerCertificate: true });
    expect(t.display).toBe('mssql://app@DBHOST\\SQLEXPRESS/Quartz Store');
  });

  it('Encrypt defaults to true (Microsoft.Data.SqlClient 4+); Strict / Mandatory / Optional are understood', () => {
    expect(parseConnectionStringTarget('Server=h;User Id=u;Password=p').encrypt).toBe(true);
    expect(parseConnectionStringTarget('Server=h;User Id=u;Encrypt=Strict').encrypt).toBe('strict');
    expect(parseConnectionStringTarget('Server=h;User Id=u;Encrypt=Mandatory').encrypt).toBe(true);
    expect(parseConnectionStringTarget('Server=h;User Id=u;Encrypt=false').encrypt).toBe(false);
    expect(() => parseConnectionStringTarget('Server=h;User Id=u;Encrypt=maybe')).toThrow(
      /Encrypt must be true or false/,
    );
  });

  it('pool-tuning keys are accepted without effect and listed; unknown keys are refused', () => {
    const t = parseConnectionStringTarget(
      'Server=h;User Id=u;Max Pool Size=50;Pooling=true;Application Name=Scheduler',
    );
    expect(t.ignoredKeys).toEqual(['max pool size', 'pooling']);
    expect(t.config.options?.appName).toBe('Scheduler');
    expect(() => parseConnectionStringTarget('Server=h;User Id=u;Colour=blue')).toThrow(/unknown keyword "colour"/);
  });

  it('options the audit cannot honour are clear errors, never ignored', () => {
    expect(() => parseConnectionStringTarget('Server=h;Database=q;Integrated Security=SSPI')).toThrow(
      /Integrated Security .* not supported/,
    );
    expect(() => parseConnectionStringTarget('Server=h;Trusted_Connection=True;User Id=u')).toThrow(
      /Integrated Security/,
    );
    expect(() => parseConnectionStringTarget('Server=h;User Id=u;AttachDbFilename=|DataDirectory|\\q.mdf')).toThrow(
      /AttachDbFilename/,
    );
    expect(() => parseConnectionStringTarget('Server=h;User Id=u;Authentication=Active Directory Default')).toThrow(
      /only SqlPassword/,
    );
    expect(() => parseConnectionStringTarget('Server=np:\\\\h\\pipe\\sql\\query;User Id=u')).toThrow(/protocol np/);
    expect(() => parseConnectionStringTarget('Server=(localdb)\\MSSQLLocalDB;User Id=u')).toThrow(/LocalDB/);
    expect(() => parseConnectionStringTarget('Database=q;User Id=u')).toThrow(/no Server/);
    expect(() => parseConnectionStringTarget('Server=h;Password=p')).toThrow(/no User Id/);
    // an "off" value of a refused key is harmless
    expect(parseConnectionStringTarget('Server=h;User Id=u;MultiSubnetFailover=False').host).toBe('h');
    expect(parseConnectionStringTarget('Server=h;User Id=u;Integrated Security=false').host).toBe('h');
  });

  it('errors never carry the password', () => {
    try {
      parseConnectionStringTarget('Server=h;User Id=u;Password=Hunter2-secret;Bogus Key=1');
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      expect(String((e as Error).message)).not.toContain('Hunter2-secret');
    }
  });

  it('data sources: tcp: prefix, host,port, host\\instance, . and (local)', () => {
    expect(parseDataSource('tcp:db,1500')).toEqual({ host: 'db', port: 1500, instanceName: undefined });
    expect(parseDataSource('.')).toMatchObject({ host: 'localhost' });
    expect(parseDataSource('(local)\\SQLEXPRESS')).toEqual({
      host: 'localhost',
      port: undefined,
      instanceName: 'SQLEXPRESS',
    });
    expect(() => parseDataSource('admin:db')).toThrow(/admin connection/);
    expect(() => parseDataSource('db,99999')).toThrow(/malformed port/);
  });
});

describe('mssql:// and sqlserver:// URLs', () => {
  it('reads user, password, host, port, database and the ADO.NET query keys', () => {
    const t = parseMssqlUrl(
      'mssql://quartz:p%40ss-w0rd@db.example:1444/quartz?encrypt=strict&trustServerCertificate=true',
    );
    expect(t).toMatchObject({ host: 'db.example', port: 1444, user: 'quartz', database: 'quartz', encrypt: 'strict' });
    expect(t.trustServerCertificate).toBe(true);
    expect(t.config.password).toBe('p@ss-w0rd');
    expect(t.display).toBe('mssql://quartz@db.example:1444/quartz');
    const s = parseMssqlUrl('sqlserver://u@h/q?instanceName=SQLEXPRESS');
    expect(s).toMatchObject({ instanceName: 'SQLEXPRESS', source: 'url' });
    expect(s.display).toBe('sqlserver://u@h\\SQLEXPRESS/q');
  });

  it('refuses credentials in the query, unknown keys and Integrated Security', () => {
    expect(() => parseMssqlUrl('mssql://u@h/q?password=x')).toThrow(/not allowed/);
    expect(() => parseMssqlUrl('mssql://u@h/q?user_id=x')).toThrow(/not allowed/);
    expect(() => parseMssqlUrl('mssql://u@h/q?Initial%20Catalog=other')).toThrow(/not allowed/);
    expect(() => parseMssqlUrl('mssql://u@h/q?colour=blue')).toThrow(/unknown keyword/);
    expect(() => parseMssqlUrl('mssql://h/q?integratedSecurity=true')).toThrow(/Integrated Security/);
    expect(() => parseMssqlUrl('postgres://u@h/q')).toThrow(/not a SQL Server URL/);
  });

  it('--password-stdin overrides; a connection string wins over a bare mssql: URL', () => {
    expect(parseMssqlUrl('mssql://u:url-pw@h/q', { password: 'stdin-pw' }).config.password).toBe('stdin-pw');
    const t = mssqlTarget('mssql:', 'Server=h2;User Id=u2;Password=cs-pw-123', {});
    expect(t).toMatchObject({ host: 'h2', user: 'u2' });
    expect(() => mssqlTarget('mssql:', undefined, {})).toThrow(/no server/);
  });
});

describe('connecting', () => {
  it('a refused port fails within the connect timeout with one line and exit 2, no password', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const { createMssqlAdapter } = await import('../../../src/dialects/mssql/index.js');
    const adapter = createMssqlAdapter({
      url: `mssql://quartz:Refused-Pw-77@127.0.0.1:${port}/quartz`,
      tablePrefix: 'QRTZ_',
      allowPrincipals: [],
      families: new Set(['grants']),
      statementTimeoutMs: 5000,
      lockTimeoutMs: 1000,
      connectTimeoutMs: 3000,
      maxBlobSize: 1024,
      attestations: {},
    });
    // within the connect timeout, without a clock: the error is the refusal itself, not "timed out"
    const err = await adapter.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UserError);
    const e = err as UserError;
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe(`connection refused by mssql://quartz@127.0.0.1:${port}`);
    expect(e.message).not.toContain('Refused-Pw-77');
    expect(e.message.split('\n')).toHaveLength(1);
    await adapter.close();
  });

  it('maps login failure, unknown database and instance lookup to their kinds', () => {
    const d = 'mssql://u@h:1433/q';
    expect(mapMssqlError({ code: 'ELOGIN', number: 18456, message: "Login failed for user 'u'." }, d).kind).toBe(
      'auth',
    );
    expect(mapMssqlError({ code: 'EREQUEST', number: 4060 }, d).kind).toBe('database');
    expect(mapMssqlError({ code: 'EINSTLOOKUP', message: 'x' }, d).message).toMatch(/instance lookup/);
    expect(mapMssqlError({ code: 'ETIMEOUT', message: 'Failed to connect in 3000ms' }, d).kind).toBe('timeout');
  });
});

describe('--connection-string / --connection-string-env', () => {
  it('reads the variable; an unset variable is a usage error naming it', async () => {
    const { connectionStringOf } = await import('../../../src/dialects/mssql/index.js');
    expect(connectionStringOf({ connectionStringEnv: 'QZ_CS' }, { QZ_CS: 'Server=h;User Id=u' })).toBe(
      'Server=h;User Id=u',
    );
    expect(connectionStringOf({ connectionString: 'Server=x;User Id=u' }, {})).toBe('Server=x;User Id=u');
    expect(() => connectionStringOf({ connectionStringEnv: 'QZ_NOPE' }, {})).toThrow(/QZ_NOPE is not set/);
    expect(connectionStringOf(undefined, {})).toBeUndefined();
  });
});
