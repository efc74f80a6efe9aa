/**
 * The connection strings users already have (issue #14 part 9), parsed without a server: JDBC URLs,
 * ADO.NET strings (Npgsql, MySqlConnector / MySql.Data, SqlClient), libpq keyword strings,
 * pg_service.conf and ~/.my.cnf. Every option is honoured, of no effect, or refused by name; a
 * password is never in the URL the adapters get, nor in any error.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConnectionStringTarget } from '../../src/dialects/mssql/connection.js';
import { parseMysqlUrl } from '../../src/dialects/mysql/connection.js';
import { parseMyCnf } from '../../src/dialects/mysql/option-file.js';
import { parsePostgresUrl } from '../../src/dialects/postgres/connection.js';
import { looksLikeKeywordString, parseKeywordString } from '../../src/dialects/postgres/conninfo.js';
import { resolveTarget } from '../../src/dialects/target.js';
import { UserError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'qrtz-cs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The UserError a call throws (fails the test when it does not throw one). */
function errorOf(f: () => unknown): UserError {
  try {
    f();
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('expected a UserError');
}

describe('libpq keyword strings', () => {
  it('parses quoting and escapes as libpq does', () => {
    const kw = parseKeywordString(
      `host=db.example port = 5433 dbname='quartz jobs' user=o\\'neil password='a\\'b\\\\c d'`,
    );
    expect(Object.fromEntries(kw)).toEqual({
      host: 'db.example',
      port: '5433',
      dbname: 'quartz jobs',
      user: "o'neil",
      password: "a'b\\c d",
    });
    expect(errorOf(() => parseKeywordString("host=x password='open")).message).toBe(
      'connection string: unterminated quoted value of password',
    );
    expect(errorOf(() => parseKeywordString('host x')).message).toMatch(/missing "=" after "host"/);
  });

  it('becomes a postgres:// URL without the password; unknown and refused keywords are named', () => {
    const t = resolveTarget({
      url: "host=db port=5433 dbname=quartz user=quartz password='s3 cret' sslmode=verify-full",
    });
    expect(t).toMatchObject({ form: 'keywords', password: 's3 cret' });
    expect(t.url).toBe('postgres://quartz@db:5433/quartz?sslmode=verify-full');
    expect(looksLikeKeywordString('Host=db;Port=5432')).toBe(false);
    const bad = errorOf(() => parsePostgresUrl(resolveTarget({ url: 'host=db options=-csearch_path=evil' }).url, {}));
    expect(bad.message).toMatch(/^connection URL: options is not supported: it would change the session settings/);
    expect(errorOf(() => parsePostgresUrl('postgres://u@h/db?frobnicate=1', {})).message).toBe(
      'connection URL: unknown parameter "frobnicate"',
    );
  });
});

describe('pg_service.conf and PGSERVICE', () => {
  const svc = join(dir, 'pg_service.conf');
  writeFileSync(
    svc,
    '# services\n[quartz]\nhost=svc-host\nport=6543\ndbname=quartz\nuser=svc_user\nsslmode=require\n\n[other]\nhost=elsewhere\n',
  );
  const env = { PGSERVICEFILE: svc, PGSYSCONFDIR: join(dir, 'none') };

  it('service= and PGSERVICE fill in what the string does not say; explicit parameters win', () => {
    const a = parsePostgresUrl(resolveTarget({ url: 'service=quartz' }).url, env);
    expect([a.config.host, a.config.port, a.config.user, a.config.database, a.sslmode]).toEqual([
      'svc-host',
      6543,
      'svc_user',
      'quartz',
      'require',
    ]);
    const b = parsePostgresUrl('postgres://me@explicit/db', { ...env, PGSERVICE: 'quartz', PGPORT: '1111' });
    expect([b.config.host, b.config.port, b.config.user, b.config.database]).toEqual(['explicit', 6543, 'me', 'db']);
  });

  it('the system file (PGSYSCONFDIR) is read after the user file; a missing service is one line', () => {
    const sys = mkdtempSync(join(dir, 'sys-'));
    writeFileSync(join(sys, 'pg_service.conf'), '[sysonly]\nhost=sys-host\n');
    const c = parsePostgresUrl('postgres://', { PGSERVICEFILE: svc, PGSYSCONFDIR: sys, PGSERVICE: 'sysonly' });
    expect(c.config.host).toBe('sys-host');
    expect(errorOf(() => parsePostgresUrl('postgres:///?service=nope', env)).message).toMatch(
      /^definition of service "nope" not found \(looked in .*pg_service\.conf/,
    );
  });

  it('PGSSLCERT/PGSSLKEY, sslcert/sslkey and sslrootcert (require with a root certificate verifies the chain)', () => {
    const pem = (n: string) => {
      const f = join(dir, n);
      writeFileSync(f, `-----BEGIN X-----\n${n}\n-----END X-----\n`);
      return f;
    };
    const [crt, key, ca] = [pem('c.crt'), pem('c.key'), pem('root.crt')];
    const p = parsePostgresUrl(
      resolveTarget({ url: `host=h sslmode=require sslcert=${crt} sslkey=${key} sslrootcert=${ca}` }).url,
      {},
    );
    expect(p.sslmode).toBe('verify-ca');
    expect(p.config.ssl).toMatchObject({ rejectUnauthorized: true, cert: expect.stringContaining('c.crt') });
    const e = parsePostgresUrl('postgres://u@h/db?sslmode=verify-full', {
      PGSSLCERT: crt,
      PGSSLKEY: key,
      PGSSLROOTCERT: ca,
    });
    expect(e.config.ssl).toMatchObject({
      ca: expect.stringContaining('root.crt'),
      key: expect.stringContaining('c.key'),
    });
  });
});

describe('JDBC URLs', () => {
  it('jdbc:postgresql: properties become libpq keywords; ssl=true verifies as pgjdbc does; currentSchema is the schema', () => {
    const t = resolveTarget({
      url: 'jdbc:postgresql://db.example:5432/quartz?user=quartz&password=p%40ss&ssl=true&currentSchema=qrtz&ApplicationName=scheduler&reWriteBatchedInserts=true',
    });
    expect(t).toMatchObject({ form: 'jdbc', password: 'p@ss', schema: 'qrtz' });
    expect(t.url).toBe('postgres://quartz@db.example:5432/quartz?sslmode=verify-full');
    expect(t.noEffect).toEqual(['ApplicationName', 'reWriteBatchedInserts']);
    expect(
      resolveTarget({ url: 'jdbc:postgresql://h/db?sslfactory=org.postgresql.ssl.NonValidatingFactory' }).url,
    ).toBe('postgres://h/db?sslmode=require');
    expect(errorOf(() => resolveTarget({ url: 'jdbc:postgresql://h/db?options=-c%20x' })).message).toMatch(
      /^jdbc:postgresql: options \(it would change the session settings/,
    );
    expect(errorOf(() => resolveTarget({ url: 'jdbc:postgresql://h/db?bogus=1' })).message).toBe(
      'jdbc:postgresql: unknown property "bogus"',
    );
    expect(errorOf(() => resolveTarget({ url: 'jdbc:postgresql://a:5432,b:5432/db' })).message).toMatch(
      /several hosts/,
    );
  });

  it('jdbc:mysql: and jdbc:mariadb: with useSSL / sslMode / trustServerCertificate', () => {
    const my = resolveTarget({
      url: 'jdbc:mysql://db:3306/quartz?user=quartz&password=pw&useSSL=true&serverTimezone=UTC&characterEncoding=utf8',
    });
    expect(my).toMatchObject({ url: 'mysql://quartz@db:3306/quartz?sslmode=required', password: 'pw' });
    expect(resolveTarget({ url: 'jdbc:mysql://db/q?useSSL=true&verifyServerCertificate=true' }).url).toBe(
      'mysql://db/q?sslmode=verify_ca',
    );
    expect(resolveTarget({ url: 'jdbc:mysql://db/q?sslMode=VERIFY_IDENTITY' }).url).toBe(
      'mysql://db/q?sslmode=verify_identity',
    );
    expect(resolveTarget({ url: 'jdbc:mysql://db/q?useSSL=false' }).url).toBe('mysql://db/q?sslmode=disabled');
    expect(resolveTarget({ url: 'jdbc:mariadb://db/q?useSsl=true' }).url).toBe(
      'mariadb://db/q?sslmode=verify_identity',
    );
    expect(resolveTarget({ url: 'jdbc:mariadb://db/q?useSsl=true&trustServerCertificate=true' }).url).toBe(
      'mariadb://db/q?sslmode=required',
    );
    expect(errorOf(() => resolveTarget({ url: 'jdbc:mysql://db/q?sessionVariables=sql_mode=x' })).message).toMatch(
      /^jdbc:mysql: sessionVariables .* is not supported$/,
    );
    expect(errorOf(() => resolveTarget({ url: 'jdbc:mysql:replication://a,b/q' })).message).toMatch(
      /replication URLs are not supported/,
    );
  });

  it('jdbc:sqlserver: host:port;key=value becomes the ADO.NET string the SQL Server part reads', () => {
    const t = resolveTarget({
      url: 'jdbc:sqlserver://sql.example:1433;databaseName=Quartz;user=quartz;password={p;a}}ss};encrypt=true;trustServerCertificate=false;loginTimeout=30;sendStringParametersAsUnicode=false',
    });
    expect(t).toMatchObject({ url: 'mssql:', form: 'jdbc', noEffect: ['sendStringParametersAsUnicode'] });
    const m = parseConnectionStringTarget(t.connectionString as string);
    expect([m.host, m.port, m.database, m.user, m.encrypt, m.trustServerCertificate, m.config.password]).toEqual([
      'sql.example',
      1433,
      'Quartz',
      'quartz',
      true,
      false,
      'p;a}ss',
    ]);
    const inst = parseConnectionStringTarget(
      resolveTarget({ url: 'jdbc:sqlserver://sql\\QUARTZ;databaseName=q;user=u' }).connectionString as string,
    );
    expect(inst.instanceName).toBe('QUARTZ');
    expect(errorOf(() => resolveTarget({ url: 'jdbc:sqlserver://h;trustStore=/x.jks' })).message).toMatch(
      /trustStore .* not supported/,
    );
    expect(errorOf(() => resolveTarget({ url: 'jdbc:oracle:thin:@h:1521:x' })).message).toMatch(
      /^unsupported JDBC URL jdbc:oracle:/,
    );
  });
});

describe('ADO.NET strings', () => {
  it('Npgsql: keys map to libpq keywords; Search Path is the schema; SSL Mode values', () => {
    const t = resolveTarget({
      connectionString:
        'Server=db;Port=5432;Database=quartz;User Id=quartz;Password="p;w""d";Search Path=qrtz,public;SSL Mode=VerifyFull;Pooling=true;Maximum Pool Size=20',
    });
    expect(t).toMatchObject({ form: 'ado', password: 'p;w"d', schema: 'qrtz' });
    expect(t.url).toBe('postgres://quartz@db:5432/quartz?sslmode=verify-full');
  });

  it('MySqlConnector / MySql.Data: SslMode, SslCa, Unix sockets', () => {
    const t = resolveTarget({
      connectionString:
        'Server=db;Port=3306;Database=quartz;Uid=quartz;Pwd=pw;SslMode=Required;AllowUserVariables=True',
    });
    expect(t).toMatchObject({ url: 'mysql://quartz@db:3306/quartz?sslmode=required', password: 'pw' });
    const s = resolveTarget({
      connectionString: 'Server=/run/mysqld/mysqld.sock;Protocol=Unix;Database=q;User ID=u;CharSet=utf8mb4',
      dialect: 'mariadb',
    });
    expect(s.url).toBe('mariadb://u@localhost/q?socket=%2Frun%2Fmysqld%2Fmysqld.sock');
    expect(
      errorOf(() => resolveTarget({ connectionString: 'Server=h;Uid=u;CertificateFile=c.pfx', dialect: 'mysql' }))
        .message,
    ).toMatch(/certificatefile is not supported \(PKCS#12/);
  });

  it('SqlClient strings go to the SQL Server part unchanged', () => {
    const cs = 'Data Source=tcp:sql,1433;Initial Catalog=Quartz;User Id=q;Password=pw;Encrypt=True';
    expect(resolveTarget({ connectionString: cs })).toMatchObject({ url: 'mssql:', connectionString: cs });
  });

  it('which database: --dialect, the URL scheme, or keys only one provider uses; else one line saying how', () => {
    const plain = 'Server=db;Database=quartz;User Id=q;Password=Hunter2-secret';
    const e = errorOf(() => resolveTarget({ connectionString: plain }));
    expect(e.message).toMatch(
      /^cannot tell which database this ADO.NET connection string is for: say which with --dialect postgres\|mysql\|mariadb\|mssql/,
    );
    expect(e.message).not.toContain('Hunter2');
    expect(resolveTarget({ connectionString: plain, dialect: 'npgsql' }).url).toBe('postgres://q@db/quartz');
    expect(resolveTarget({ url: 'mysql:', connectionString: plain }).url).toBe('mysql://q@db/quartz');
    expect(resolveTarget({ url: 'mssql:', connectionString: plain }).url).toBe('mssql:');
    const mixed = errorOf(() => resolveTarget({ connectionString: `${plain};Search Path=x;AllowUserVariables=true` }));
    expect(mixed.message).toMatch(/keys of several providers: postgres \(search path\), mysql \(allowuservariables\)/);
    expect(errorOf(() => resolveTarget({ connectionString: plain, dialect: 'oracle' })).message).toMatch(
      /^--dialect: unknown/,
    );
    expect(errorOf(() => resolveTarget({ url: 'postgres://h/db', connectionString: plain })).message).toMatch(
      /not both/,
    );
  });
});

describe('~/.my.cnf', () => {
  it('[client] fills in what the URL does not say; the URL wins; loose- options are skipped', () => {
    const home = mkdtempSync(join(dir, 'home-'));
    writeFileSync(
      join(home, '.my.cnf'),
      '[mysqld]\ndatadir=/x\n[client]\nuser = cnf_user\npassword = "cnf pw#1"\nhost=cnf-host\nport=3307\nssl-mode=REQUIRED\ndefault-character-set=utf8mb4\nloose-frobnicate=1\n',
    );
    const env = { HOME: home, MYSQL_PWD: 'env-pw' };
    const a = parseMysqlUrl('mysql:///quartz', {}, env);
    expect([a.config.user, a.config.password, a.config.host, a.config.port, a.sslmode]).toEqual([
      'cnf_user',
      'cnf pw#1',
      'cnf-host',
      3307,
      'required',
    ]);
    const b = parseMysqlUrl('mysql://me:url-pw@explicit/quartz?sslmode=disabled', {}, env);
    expect([b.config.user, b.config.password, b.config.host, b.config.port, b.sslmode]).toEqual([
      'me',
      'url-pw',
      'explicit',
      3306,
      'disabled',
    ]);
    const off = parseMysqlUrl('mysql:///quartz', { extra: { noMyCnf: '1' } }, env);
    expect([off.config.password, off.config.host]).toEqual(['env-pw', 'localhost']);
    expect(parseMysqlUrl('mysql:///quartz', {}, { ...env, QRTZ_AUDIT_NO_MY_CNF: '1' }).config.user).not.toBe(
      'cnf_user',
    );
  });

  it('an option the audit cannot honour is named with its file and line', () => {
    expect(errorOf(() => parseMyCnf('[client]\nuser=x\nbind-address=1.2.3.4\n', '/h/.my.cnf')).message).toBe(
      '/h/.my.cnf, line 3: option "bind-address" of [client] is not supported (--no-my-cnf skips the file)',
    );
    expect(parseMyCnf('[mysql]\nbind-address=1\n[client]\nssl\n', 'f').values.get('ssl')).toBe('');
  });
});

describe('a password split by a separator it should have escaped is never printed', () => {
  it('libpq, ADO.NET and JDBC forms', () => {
    for (const [f, text] of [
      [() => resolveTarget({ url: 'host=h password=Sec ret-Half2 dbname=q' }), 'ret-Half2'],
      [
        () => resolveTarget({ connectionString: 'Host=h;Password=Sec;ret-Half2;Database=q', dialect: 'postgres' }),
        'ret-Half2',
      ],
      [
        () => resolveTarget({ connectionString: 'Server=h;Pwd=Sec;retHalf2=x;Database=q', dialect: 'mysql' }),
        'retHalf2',
      ],
      [() => resolveTarget({ url: 'jdbc:postgresql://h/q?user=u&password=Sec&retHalf2=x' }), 'retHalf2'],
      [() => resolveTarget({ url: 'jdbc:sqlserver://h;user=u;password=Sec;ret-Half2;encrypt=true' }), 'ret-Half2'],
    ] as const) {
      const e = errorOf(f);
      expect(e.message).not.toContain(text);
      expect(e.message).toMatch(/password|property without/i);
    }
  });
});
