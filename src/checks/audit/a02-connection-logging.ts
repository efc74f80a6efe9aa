/** QA-A02 — log_connections / log_disconnections are off (PostgreSQL). */
import type { Check } from '../../model.js';
import { MITIGATION } from '../util.js';
import { a02Mssql } from './a02-connection-logging.mssql.js';

export const a02: Check = {
  meta: {
    id: 'QA-A02',
    title: 'Connections and disconnections are not logged',
    family: 'audit',
    severity: 'low',
    mitigation: MITIGATION.audit,
    remediation:
      'ALTER SYSTEM SET log_connections = on; ALTER SYSTEM SET log_disconnections = on; SELECT pg_reload_conf();',
    dialects: ['postgres', 'mssql'],
    needs: {
      postgres: 'pg_read_all_settings (log_connections, log_disconnections)',
      mssql:
        'VIEW ANY DEFINITION or ALTER ANY SERVER AUDIT (2022: VIEW ANY SECURITY DEFINITION): server audit specifications with FAILED_LOGIN_GROUP / SUCCESSFUL_LOGIN_GROUP',
    },
  },
  // PostgreSQL: the evaluate below; SQL Server: its own part.
  engines: { mssql: a02Mssql },
  evaluate(facts) {
    const obj = { kind: 'setting' as const, name: 'log_connections/log_disconnections' };
    const c = facts.settings.log_connections;
    const d = facts.settings.log_disconnections;
    if (c == null || d == null)
      return [
        { status: 'not-evaluated', message: 'log_connections / log_disconnections could not be read', object: obj },
      ];
    // PostgreSQL 18 turns log_connections into a list; an empty list or 'off' logs nothing.
    const off = (v: string) => v === 'off' || v === '' || v === 'false';
    const offs = [off(c) ? 'log_connections' : '', off(d) ? 'log_disconnections' : ''].filter(Boolean);
    if (!offs.length)
      return [{ status: 'pass', message: `log_connections = ${c}, log_disconnections = ${d}`, object: obj }];
    return [
      {
        status: 'fail',
        message: `${offs.join(' and ')} off: logins to the JobStore leave no trace`,
        object: obj,
        evidence: { log_connections: c, log_disconnections: d },
      },
    ];
  },
};
