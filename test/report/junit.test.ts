/**
 * #14 part 5: JUnit from a real audit (the demo's seeded SQLite JobStore, through the CLI), parsed by an XML
 * parser: one testsuite per target named after it, unique test names, failures only at or above --fail-on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finalize } from '../../src/engine.js';
import { emptyFacts } from '../../src/facts.js';
import type { Check } from '../../src/model.js';
import { formatReport } from '../../src/report/index.js';
import { buildReport, type Report } from '../../src/report/report.js';
import { parseReport, runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'qrtz-junit-'));
const stores = [join(dir, 'a.db'), join(dir, 'b.db')];
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  for (const s of stores) expect((await runCli(['demo', '--keep', s, '--format', 'json'])).code).toBe(0);
});

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
});

interface Case {
  name: string;
  classname: string;
  failure?: { type: string };
  skipped?: unknown;
  properties?: { property: { name: string; value: string }[] };
  'system-out'?: string;
}
interface Suite {
  name: string;
  tests: string;
  failures: string;
  skipped: string;
  properties: { property: { name: string; value: string }[] };
  testcase: Case[];
}

async function junit(store: string, failOn: string) {
  const r = await runCli(['scan', store, '--format', 'junit', '--fail-on', failOn]);
  expect(XMLValidator.validate(r.stdout)).toBe(true);
  const doc = parser.parse(r.stdout) as { testsuites: { testsuite: Suite[]; failures: string } };
  const report = parseReport(await runCli(['scan', store, '--format', 'json', '--fail-on', failOn])) as Report;
  return { code: r.code, doc, report };
}

describe('JUnit (real SQLite audit)', () => {
  it('one suite per target, named after it, with the target as properties; unique test names', async () => {
    const a = await junit(stores[0] as string, 'high');
    const b = await junit(stores[1] as string, 'high');
    expect(a.doc.testsuites.testsuite).toHaveLength(1);
    const sa = a.doc.testsuites.testsuite[0] as Suite;
    const sb = b.doc.testsuites.testsuite[0] as Suite;
    expect(sa.name).toBe(`qrtz-audit sqlite ${a.report.target.database}.main ${a.report.target.tablePrefix}`);
    expect(sa.name).not.toBe(sb.name);
    expect(sa.properties.property.find((p) => p.name === 'database')?.value).toBe(a.report.target.database);
    const names = sa.testcase.map((c) => `${c.classname}\u0000${c.name}`);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(sa.testcase.map((c) => c.name)).size).toBe(sa.testcase.length);
    expect(sa.testcase).toHaveLength(a.report.findings.length + (a.report.summary.incomplete ? 1 : 0));
  });

  it('failures only at or above --fail-on; failing findings below it pass with their severity as properties', async () => {
    const { doc, report } = await junit(stores[0] as string, 'critical');
    const suite = doc.testsuites.testsuite[0] as Suite;
    const atOrAbove = report.findings.filter((f) => f.status === 'fail' && f.severity === 'critical');
    const below = report.findings.filter((f) => f.status === 'fail' && f.severity !== 'critical');
    expect(below.length).toBeGreaterThan(0); // the demo has high/medium failures: they must not fail the suite
    const failed = suite.testcase.filter((c) => c.failure);
    expect(failed).toHaveLength(atOrAbove.length + (report.summary.incomplete ? 1 : 0));
    expect(Number(suite.failures)).toBe(failed.length);
    expect(Number(doc.testsuites.failures)).toBe(failed.length);
    const withSeverity = suite.testcase.filter((c) =>
      c.properties?.property.some((p) => p.name === 'belowFailOn' && p.value === 'critical'),
    );
    expect(withSeverity).toHaveLength(below.length);
    for (const c of withSeverity) expect(c['system-out']).toMatch(/below fail-on critical/);
  });
});

describe('JUnit structure', () => {
  const check: Check = {
    meta: { id: 'QA-X94', title: 'T', family: 'grants', severity: 'high', mitigation: 'm', remediation: 'r' },
  };
  const facts = emptyFacts('postgres', {
    server: { product: 'PostgreSQL', version: '15' },
    target: { database: 'jobs', schema: 'public', tablePrefix: 'QRTZ_', user: 'a', host: 'db"<x>' },
    serviceAccount: 'app',
  });
  it('two findings on the same object get distinct, stable names; the host is escaped', () => {
    const fs = ['SELECT', 'UPDATE', 'UPDATE'].map((d) =>
      finalize(check, { status: 'fail', message: d, object: { kind: 'table', name: 't' }, discriminator: d }),
    );
    const xml = formatReport(buildReport(facts, fs, 'high', '', 0), 'junit', { color: false });
    expect(XMLValidator.validate(xml)).toBe(true);
    const suite = (parser.parse(xml) as { testsuites: { testsuite: Suite[] } }).testsuites.testsuite[0] as Suite;
    const names = suite.testcase.map((c) => c.name);
    expect(new Set(names).size).toBe(3);
    expect(names[0]).toBe(`QA-X94 t [${fs[0]?.fingerprint}]`);
    expect(names[2]).toBe(`QA-X94 t [${fs[2]?.fingerprint}] #2`);
    expect(suite.name).toBe('qrtz-audit postgres db"<x>/jobs.public QRTZ_');
  });
});
