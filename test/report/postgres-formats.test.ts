/**
 * #14: every format from one scan of a real PostgreSQL JobStore (the shared server, or a throwaway one), with
 * an over-grant so there are failures: SARIF valid against the 2.1.0 schema and GitHub's structure, JUnit
 * named after the target with its host, Markdown and HTML with the host in the header; convert reproduces.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report.js';
import { runCli } from '../support/cli.js';
import { pgQuartzStore } from '../support/pg-quartz.js';
import { acquirePostgres, type PgServer } from '../support/pg-server.js';
import { githubSarifProblems, sarifSchemaProblems } from './sarif-github.js';

const got = await acquirePostgres();
const server = 'skip' in got ? undefined : (got as PgServer);
const store = pgQuartzStore('qrep', { db: 'jobs', logins: ['app', 'auditor'] });
const P = store.prefix;
const DB = store.db;

describe.skipIf(!server)('all formats from one PostgreSQL scan', () => {
  const s = server as PgServer;
  const dir = mkdtempSync(join(tmpdir(), 'qrtz-pg-formats-'));
  beforeAll(async () => {
    // Over-grants: PUBLIC can write a Quartz table, the app can TRUNCATE.
    await store.create(
      s,
      `GRANT USAGE ON SCHEMA quartz TO ${P}_app, ${P}_auditor, PUBLIC;
       GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA quartz TO ${P}_app;
       GRANT SELECT ON ALL TABLES IN SCHEMA quartz TO ${P}_auditor;
       GRANT INSERT ON quartz.qrtz_job_details TO PUBLIC;`,
    );
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await store.drop(s);
  });

  it('writes every format; each is valid and names the target', async () => {
    const url = `postgres://${P}_auditor@127.0.0.1:${s.port}/${DB}?sslmode=disable`;
    const out = join(dir, 'out');
    const r = await runCli([
      'scan',
      url,
      '--schema',
      'quartz',
      '--service-account',
      `${P}_app`,
      '--format',
      'json,sarif,junit,markdown,html',
      '--output-dir',
      out,
    ]);
    expect(r.code, r.stderr).toBe(1);
    const json = JSON.parse(readFileSync(join(out, 'qrtz-audit.json'), 'utf8')) as Report;
    const fails = json.findings.filter((f) => f.status === 'fail');
    expect(fails.some((f) => f.family === 'grants')).toBe(true);

    const sarif = JSON.parse(readFileSync(join(out, 'qrtz-audit.sarif'), 'utf8'));
    expect(sarifSchemaProblems(sarif)).toEqual([]);
    expect(githubSarifProblems(sarif)).toEqual([]);
    expect(sarif.runs[0].results).toHaveLength(fails.length);
    const fqns = sarif.runs[0].results.map(
      (x: { locations: { logicalLocations: { fullyQualifiedName: string }[] }[] }) =>
        x.locations[0]?.logicalLocations[0]?.fullyQualifiedName,
    );
    for (const fqn of fqns) expect(fqn.startsWith(`127.0.0.1/${DB}/`)).toBe(true);

    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
      readFileSync(join(out, 'qrtz-audit.junit.xml'), 'utf8'),
    );
    expect(junit.testsuites.testsuite.name).toBe(`qrtz-audit postgres 127.0.0.1/${DB}.quartz QRTZ_`);
    expect(junit.testsuites.testsuite.hostname).toBe('127.0.0.1');

    const md = readFileSync(join(out, 'qrtz-audit.md'), 'utf8');
    expect(md).toMatch(/^## qrtz-audit: FAIL: PostgreSQL /);
    expect(md).toContain('host 127.0.0.1');
    const html = readFileSync(join(out, 'qrtz-audit.html'), 'utf8');
    expect(html).toContain('<dt>host</dt><dd>127.0.0.1</dd>');

    const conv = await runCli(['convert', join(out, 'qrtz-audit.json'), '--format', 'sarif']);
    expect(conv.code).toBe(0);
    expect(conv.stdout).toBe(readFileSync(join(out, 'qrtz-audit.sarif'), 'utf8'));
  }, 60_000);
});
