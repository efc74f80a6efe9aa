/**
 * QA-U02 on SQL Server: the major version (SERVERPROPERTY('ProductVersion'): 13 = 2016, 14 = 2017, 15 = 2019,
 * 16 = 2022, 17 = 2025) against the dated `sqlserver` lines of data/eol.json (Microsoft fixed lifecycle, end of
 * extended support). Azure SQL Database and Managed Instance are versionless services: not applicable.
 * The metadata lives in u02.ts.
 */
import type { EnginePart, FindingDraft } from '../../model.js';
import { safeText } from '../job-util.js';
import { eolTable, supportOf } from './eol.js';

const AZURE: Record<number, string> = { 5: 'Azure SQL Database', 8: 'Azure SQL Managed Instance' };
const NAMES: Record<string, string> = {
  '13': '2016',
  '14': '2017',
  '15': '2019',
  '16': '2022',
  '17': '2025',
  '12': '2014',
  '11': '2012',
  '10': '2008',
};

export const u02Mssql: EnginePart = {
  remediation:
    'Upgrade to a supported SQL Server version (2019 or 2022; see learn.microsoft.com/lifecycle/products) and apply its latest cumulative update.',
  evaluate(facts, options) {
    const m = facts.mssql;
    const productVersion = m?.version.productVersion || facts.server.version;
    const object = { kind: 'server' as const, name: `${facts.server.product} ${facts.server.version}`.trim() };
    const engine = m?.version.engineEdition ?? null;
    if (engine !== null && AZURE[engine]) {
      return [
        {
          status: 'not-applicable',
          message: `${AZURE[engine]} is a versionless service kept current by Microsoft`,
          object,
        },
      ];
    }
    const major = /^(\d+)\./.exec(productVersion ?? '')?.[1];
    if (!major) return [{ status: 'not-evaluated', message: 'the server version was not readable', object }];
    const table = eolTable();
    const s = supportOf(table.sqlserver, major, options.now ?? Date.now(), table.asOf);
    const name = `SQL Server ${NAMES[major] ?? major} (${safeText(productVersion, 40)})`;
    const evidence = {
      version: safeText(productVersion, 40),
      table: `data/eol.json (${table.asOf})`,
      source: table.sqlserver.source,
    };
    const out: FindingDraft[] = [];
    if (s.state === 'eol') {
      out.push({
        status: 'fail',
        message: `${name} is past end of support: ${s.why}${s.line?.note ? ` (${s.line.note})` : ''}`,
        object,
        evidence: { ...evidence, line: s.line?.line ?? null, eol: s.line?.eol ?? null },
      });
    } else if (s.state === 'unknown') {
      out.push({ status: 'info', message: `${name}: support not known (${s.why})`, object, evidence });
    } else {
      out.push({
        status: 'pass',
        message: `${name} is supported${s.line.eol ? ` until ${s.line.eol}` : ''}${s.line.note ? ` (${s.line.note})` : ''}`,
        object,
        evidence: { ...evidence, line: s.line.line, eol: s.line.eol ?? null },
      });
    }
    return out;
  },
};
