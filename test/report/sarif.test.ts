/**
 * #14 part 1: SARIF that GitHub code scanning accepts, from a real audit (the demo's seeded Quartz.NET SQLite
 * store, through the CLI): rules from the catalogue with full descriptions, help and security-severity on
 * the rule; results only for failures, each with a physical location (the target descriptor, line 1) and
 * logical location; not-evaluated checks as tool execution notifications.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { catalogue } from '../../src/checks/catalogue.js';
import { finalize } from '../../src/engine.js';
import { emptyFacts } from '../../src/facts.js';
import type { Check } from '../../src/model.js';
import { formatReport } from '../../src/report/index.js';
import { buildReport, type Report } from '../../src/report/report.js';
import { TARGET_DESCRIPTOR } from '../../src/report/sarif.js';
import { parseReport, runCli } from '../support/cli.js';
import { githubSarifProblems, sarifSchemaProblems } from './sarif-github.js';

describe('SARIF for GitHub code scanning (real SQLite audit)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qrtz-sarif-'));
  const store = join(dir, 'quartz.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes the GitHub structure; rules from the catalogue; results only for failures', async () => {
    expect((await runCli(['demo', '--keep', store, '--format', 'json'])).code).toBe(0);
    const run = await runCli(['scan', store, '--format', 'sarif']);
    expect(run.code, run.stderr).toBe(1);
    const sarif = JSON.parse(run.stdout);
    expect(sarifSchemaProblems(sarif)).toEqual([]);
    expect(githubSarifProblems(sarif)).toEqual([]);
    const json = parseReport(await runCli(['scan', store, '--format', 'json'])) as Report;
    const r = sarif.runs[0];
    const fails = json.findings.filter((f) => f.status === 'fail');
    expect(fails.length).toBeGreaterThan(3);
    expect(json.findings.some((f) => f.status === 'pass')).toBe(true); // passes exist, and are not results
    expect(r.results).toHaveLength(fails.length);
    expect(r.results.map((x: { ruleId: string }) => x.ruleId).sort()).toEqual(fails.map((f) => f.check).sort());
    const entries = new Map(catalogue().map((e) => [e.id, e]));
    for (const rule of r.tool.driver.rules) {
      const e = entries.get(rule.id);
      expect(e, rule.id).toBeDefined();
      expect(rule.shortDescription.text).toBe(e?.title);
      expect(rule.fullDescription.text).toContain(e?.mitigation);
      expect(rule.help.markdown).toContain('**Remediation**');
      expect(rule.properties.tags).toContain('security');
    }
    for (const res of r.results) {
      expect(res.locations[0].physicalLocation.artifactLocation.uri).toBe(TARGET_DESCRIPTOR);
      expect(res.properties['security-severity']).toBeDefined();
      expect(Object.keys(res.partialFingerprints).sort()).toEqual(['qrtzAudit/v1', 'qrtzAuditTarget/v1']);
    }
    // Fingerprints are stable across runs.
    const again = JSON.parse((await runCli(['scan', store, '--format', 'sarif'])).stdout).runs[0];
    expect(again.results.map((x: { partialFingerprints: object }) => x.partialFingerprints)).toEqual(
      r.results.map((x: { partialFingerprints: object }) => x.partialFingerprints),
    );
  });
});

const check: Check = {
  meta: { id: 'QA-X97', title: 'Test check', family: 'grants', severity: 'high', mitigation: 'm', remediation: 'r' },
};
const facts = (database: string) =>
  emptyFacts('postgres', {
    server: { product: 'PostgreSQL', version: '15' },
    target: { database, schema: 'public', tablePrefix: 'QRTZ_', user: 'auditor', host: 'db.example' },
    serviceAccount: 'app',
  });

describe('SARIF structure', () => {
  it('the schema and GitHub checks reject what they must (they are not vacuous)', () => {
    const base = () => ({
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'x', informationUri: 'https://example.com', version: '1', rules: [] } },
          invocations: [{ executionSuccessful: true }],
          results: [] as unknown[],
        },
      ],
    });
    expect(sarifSchemaProblems(base())).toEqual([]);
    const extra = base() as unknown as { runs: { tool: { driver: Record<string, unknown> } }[] };
    (extra.runs[0] as { tool: { driver: Record<string, unknown> } }).tool.driver.securitySeverity = '9';
    expect(sarifSchemaProblems(extra)).not.toEqual([]);
    const level = base();
    level.runs[0]?.results.push({ message: { text: 'm' }, level: 'fatal' });
    expect(sarifSchemaProblems(level)).not.toEqual([]);
    const noLocation = base();
    noLocation.runs[0]?.results.push({
      ruleId: 'a',
      ruleIndex: 0,
      kind: 'fail',
      level: 'error',
      message: { text: 'm' },
      partialFingerprints: {},
    });
    expect(sarifSchemaProblems(noLocation)).toEqual([]); // valid SARIF …
    expect(githubSarifProblems(noLocation)).not.toEqual([]); // … that GitHub refuses
  });

  const findings = [
    finalize(check, {
      status: 'fail',
      message: 'row bad',
      object: {
        kind: 'row',
        name: 'DEFAULT.nightly',
        schema: 'public',
        table: 'qrtz_job_details',
        rowKey: 'DEFAULT.nightly',
      },
    }),
    finalize(check, { status: 'pass', message: 'ok', object: { kind: 'table', name: 'public.qrtz_locks' } }),
    finalize(
      { ...check, meta: { ...check.meta, id: 'QA-X96' } },
      {
        status: 'not-evaluated',
        message: 'cannot see pg_authid',
        object: { kind: 'database', name: 'jobs' },
      },
    ),
  ];

  it('not-evaluated checks are notifications naming their rule; logical location names server/database/schema/table/row', () => {
    const s = JSON.parse(
      formatReport(buildReport(facts('jobs'), findings, 'high', '2026-01-01T00:00:00.000Z', 1), 'sarif', {
        color: false,
      }),
    );
    expect(githubSarifProblems(s)).toEqual([]);
    const run = s.runs[0];
    expect(run.results).toHaveLength(1);
    expect(run.results[0].locations[0].logicalLocations[0].fullyQualifiedName).toBe(
      'db.example/jobs/public/qrtz_job_details/DEFAULT.nightly',
    );
    // A row named otherwise than its key ends at its key; a principal is appended to the chain.
    const more = JSON.parse(
      formatReport(
        buildReport(
          facts('jobs'),
          [
            finalize(check, {
              status: 'fail',
              message: 'm',
              object: { kind: 'row', name: 'QRTZ_JOB_DETAILS.JOB_DATA G/j', table: 'QRTZ_JOB_DETAILS', rowKey: 'G/j' },
            }),
            finalize(check, {
              status: 'fail',
              message: 'm',
              object: { kind: 'principal', name: 'role app', principal: 'app' },
            }),
          ],
          'high',
          '',
          1,
        ),
        'sarif',
        { color: false },
      ),
    ).runs[0].results.map(
      (x: { locations: { logicalLocations: { fullyQualifiedName: string }[] }[] }) =>
        x.locations[0]?.logicalLocations[0]?.fullyQualifiedName,
    );
    expect(more).toEqual(['db.example/jobs/public/QRTZ_JOB_DETAILS/G/j', 'db.example/jobs/public/role app']);
    const n = run.invocations[0].toolExecutionNotifications;
    const ne = n.find((x: { descriptor: { id: string } }) => x.descriptor.id === 'not-evaluated');
    expect(ne.associatedRule.id).toBe('QA-X96');
    expect(ne.level).toBe('error'); // high, at fail-on: the audit is incomplete
    expect(run.invocations[0].executionSuccessful).toBe(false);
  });

  it('the target fingerprint differs between two databases; the finding fingerprint does not', () => {
    const fp = (db: string) =>
      JSON.parse(formatReport(buildReport(facts(db), findings, 'high', '', 1), 'sarif', { color: false })).runs[0]
        .results[0].partialFingerprints;
    expect(fp('a')['qrtzAudit/v1']).toBe(fp('b')['qrtzAudit/v1']);
    expect(fp('a')['qrtzAuditTarget/v1']).not.toBe(fp('b')['qrtzAuditTarget/v1']);
    expect(fp('a')['qrtzAuditTarget/v1']).toBe(fp('a')['qrtzAuditTarget/v1']);
  });

  it('rule help Markdown never turns database text into Markdown or HTML', () => {
    const evil = { ...check, meta: { ...check.meta, id: 'QA-X95', title: 'a <img src=x> `b` [l](http://x)' } };
    const s = JSON.parse(
      formatReport(
        buildReport(
          facts('jobs'),
          [finalize(evil, { status: 'fail', message: 'm', object: { kind: 'database', name: 'd' } })],
          'high',
          '',
          1,
        ),
        'sarif',
        { color: false },
      ),
    );
    const md = s.runs[0].tool.driver.rules[0].help.markdown as string;
    expect(md).not.toContain('<img');
    expect(md).not.toContain('[l](');
    expect(md).toContain('&lt;img src=x&gt;');
  });
});
