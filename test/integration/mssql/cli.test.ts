/** The CLI with SQL Server targets: a refused port ends in the connect timeout, exit 2, one line, no password. */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { URL_PASSWORD_WARNING } from '../../../src/commands/scan.js';
import { runCli } from '../../support/cli.js';

async function refusedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('qrtz-audit scan against SQL Server targets', () => {
  it('mssql:// URL to a refused port: exit 2, one line, no password', async () => {
    const port = await refusedPort();
    // the refusal itself, not the connect timeout (the last line says "refused", not "timed out")
    const run = await runCli([
      'scan',
      `mssql://quartz:Cli-Url-Pw-91@127.0.0.1:${port}/quartz`,
      '--connect-timeout',
      '3000',
    ]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    // the password in the URL draws its one warning line first (issue #17 part 6), then the one error line
    expect(run.stderr.trim().split('\n')).toEqual([
      URL_PASSWORD_WARNING,
      expect.stringContaining('connection refused'),
    ]);
    expect(run.stderr).toContain(`connection refused by mssql://quartz@127.0.0.1:${port}`);
    expect(run.stderr).not.toContain('Cli-Url-Pw-91');
  });

  it('--connection-string-env with an ADO.NET string: same, and the password never printed', async () => {
    const port = await refusedPort();
    process.env.QRTZ_TEST_MSSQL_CS = `Server=tcp:127.0.0.1,${port};Database=quartz;User Id=quartz_app;Password=Cs-Env-Pw-92;Encrypt=True;TrustServerCertificate=False;Connect Timeout=3`;
    try {
      const run = await runCli(['scan', 'mssql:', '--connection-string-env', 'QRTZ_TEST_MSSQL_CS']);
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toContain(`connection refused by mssql://quartz_app@127.0.0.1:${port}`);
      expect(run.stderr).not.toContain('Cs-Env-Pw-92');
    } finally {
      delete process.env.QRTZ_TEST_MSSQL_CS;
    }
  });

  it('an option that cannot be honoured is one clear line, exit 2', async () => {
    const run = await runCli([
      'scan',
      'sqlserver:',
      '--connection-string',
      'Server=db;Database=quartz;Integrated Security=SSPI',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Integrated Security .* not supported/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
