/** QA-U02: the database server version is past its vendor end of support (data/eol.json). */
import type { Check, CheckOptions, EnginePart, Facts, FindingDraft } from '../../model.js';
import { safeText } from '../job-util.js';
import { eolTable, nowOf, serverVersion, supportOf } from './eol.js';
import { u02Mssql } from './u02.mssql.js';

export const u02: Check = {
  meta: {
    id: 'QA-U02',
    title: 'Database server version past its vendor end of support',
    family: 'updates',
    severity: 'medium',
    mitigation: 'Keep Quartz and its dependencies updated',
    remediation: 'Upgrade the database server to a supported major version (see the vendor support policy).',
    needs: {
      postgres: 'nothing beyond connecting (server_version)',
      mysql: 'nothing beyond connecting (VERSION())',
      mariadb: 'nothing beyond connecting (VERSION())',
      sqlite: 'nothing (not applicable: a library)',
      mssql: 'nothing beyond connecting (SERVERPROPERTY)',
    },
  },
  // Each engine names its product line in data/eol.json; SQLite is a library (not applicable); SQL Server has
  // its own part (u02.mssql.ts: editions, cumulative updates).
  engines: {
    postgres: eolPart(() => 'postgresql'),
    // A MySQL URL may reach a MariaDB server that did not say so at connect time: its version text does.
    mysql: eolPart((facts) =>
      /mariadb/i.test(`${facts.server.product} ${facts.server.version}`) ? 'mariadb' : 'mysql',
    ),
    mariadb: eolPart(() => 'mariadb'),
    sqlite: {
      evaluate: (facts) => [
        {
          status: 'not-applicable',
          message: 'SQLite is a library linked into the application, not a server: update it with the application',
          object: serverObject(facts),
        },
      ],
    },
    mssql: u02Mssql,
  },
};

type EolKey = 'postgresql' | 'mysql' | 'mariadb';
const PRODUCT: Record<EolKey, string> = { postgresql: 'PostgreSQL', mysql: 'MySQL', mariadb: 'MariaDB' };

function serverObject(facts: Facts) {
  return { kind: 'server' as const, name: `${facts.server.product} ${facts.server.version}`.trim() };
}

/** The server's version against its product line in data/eol.json. */
function eolPart(keyOf: (facts: Facts) => EolKey): EnginePart {
  return {
    evaluate(facts: Facts, options: CheckOptions): FindingDraft[] {
      const object = serverObject(facts);
      const table = eolTable();
      const raw = facts.server.version;
      const version = raw && raw !== 'unknown' ? serverVersion(raw) : undefined;
      if (!version) {
        return [{ status: 'not-evaluated', message: 'the server version was not readable', object }];
      }
      const key = keyOf(facts);
      const name = PRODUCT[key];
      const s = supportOf(table[key], version, nowOf(options), table.asOf);
      const evidence = {
        version: safeText(raw, 120),
        table: `data/eol.json (${table.asOf})`,
        source: table[key].source,
      };
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
}
