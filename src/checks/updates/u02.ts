/** QA-U02: the database server version is past its vendor end of support (data/eol.json). */
import type { Check, CheckOptions, Facts, FindingDraft } from '../../model.js';
import { safeText } from '../job-util.js';
import { eolTable, nowOf, serverVersion, supportOf } from './eol.js';

export const u02: Check = {
  meta: {
    id: 'QA-U02',
    title: 'Database server version past its vendor end of support',
    family: 'updates',
    severity: 'medium',
    mitigation: 'Keep Quartz and its dependencies updated',
    remediation: 'Upgrade the database server to a supported major version (see the vendor support policy).',
    // SQL Server has no line in data/eol.json yet: not-evaluated there rather than judged by another vendor's table.
    evaluatedOn: ['postgres', 'mysql', 'mariadb', 'sqlite'],
    needs: {
      postgres: 'nothing beyond connecting (server_version)',
      mysql: 'nothing beyond connecting (VERSION())',
      mariadb: 'nothing beyond connecting (VERSION())',
      sqlite: 'nothing (not applicable: a library)',
      mssql: 'nothing beyond connecting (SERVERPROPERTY)',
    },
  },
  evaluate(facts: Facts, options: CheckOptions): FindingDraft[] {
    const object = { kind: 'server' as const, name: `${facts.server.product} ${facts.server.version}`.trim() };
    if (facts.dialect === 'sqlite') {
      return [
        {
          status: 'not-applicable',
          message: 'SQLite is a library linked into the application, not a server: update it with the application',
          object,
        },
      ];
    }
    const table = eolTable();
    const raw = facts.server.version;
    const version = raw && raw !== 'unknown' ? serverVersion(raw) : undefined;
    if (!version) {
      return [{ status: 'not-evaluated', message: 'the server version was not readable', object }];
    }
    const maria = facts.dialect === 'mariadb' || /mariadb/i.test(`${facts.server.product} ${raw}`);
    const key = facts.dialect === 'postgres' ? 'postgresql' : maria ? 'mariadb' : 'mysql';
    const name = key === 'postgresql' ? 'PostgreSQL' : maria ? 'MariaDB' : 'MySQL';
    // PostgreSQL 10+ lines are the major alone.
    const v = key === 'postgresql' && Number.parseInt(version, 10) >= 10 ? version : version;
    const s = supportOf(table[key], v, nowOf(options), table.asOf);
    const evidence = { version: safeText(raw, 120), table: `data/eol.json (${table.asOf})`, source: table[key].source };
    if (s.state === 'eol') {
      return [
        {
          status: 'fail',
          message: `${name} ${version} is past end of support: ${s.why}${s.line?.note ? ` (${s.line.note})` : ''}`,
          object,
          evidence: { ...evidence, line: s.line?.line ?? null, eol: s.line?.eol ?? null },
        },
      ];
    }
    if (s.state === 'unknown') {
      return [{ status: 'info', message: `${name} ${version}: support not known (${s.why})`, object, evidence }];
    }
    return [
      {
        status: 'pass',
        message: `${name} ${version} is supported${s.line.eol ? ` until ${s.line.eol}` : ''}${s.line.note ? ` (${s.line.note})` : ''}`,
        object,
        evidence: { ...evidence, line: s.line.line, eol: s.line.eol ?? null },
      },
    ];
  },
};
