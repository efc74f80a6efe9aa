/** QA-A03 — statement logging copies JobStore writes, JOB_DATA parameters included, into server logs: metadata, the PostgreSQL part here, the MySQL/MariaDB part beside it. */
import type { Check, EnginePart } from '../../model.js';
import { MITIGATION } from '../util.js';
import { a03Mysql } from './a03-statement-logging.mysql.js';

/** The PostgreSQL part. */
const a03Postgres: EnginePart = {
  remediation:
    "Use log_statement = 'ddl' and a log_min_duration_statement above 0 (or log_parameter_max_length = 0), and audit writes with pgaudit (pgaudit.log_parameter = off) instead.",
  evaluate(facts) {
    const obj = { kind: 'setting' as const, name: 'log_statement/log_min_duration_statement' };
    const ls = facts.settings.log_statement;
    const lmd = facts.settings.log_min_duration_statement;
    if (ls == null || lmd == null)
      return [
        {
          status: 'not-evaluated',
          message: 'log_statement / log_min_duration_statement could not be read',
          object: obj,
        },
      ];
    const reasons: string[] = [];
    if (ls === 'all' || ls === 'mod') reasons.push(`log_statement = ${ls}`);
    if (lmd === '0') reasons.push('log_min_duration_statement = 0');
    const maxLen = facts.settings.log_parameter_max_length;
    if (!reasons.length)
      return [{ status: 'pass', message: `log_statement = ${ls}, log_min_duration_statement = ${lmd}`, object: obj }];
    return [
      {
        status: 'fail',
        message: `${reasons.join(' and ')}: every JobStore write and its JOB_DATA parameters land in the server log in plaintext${maxLen === '0' ? ' (log_parameter_max_length = 0 hides bind parameters, but not literals)' : ''}`,
        object: obj,
        evidence: { log_statement: ls, log_min_duration_statement: lmd, log_parameter_max_length: maxLen ?? null },
      },
    ];
  },
};

export const a03: Check = {
  meta: {
    id: 'QA-A03',
    title: 'Statement logging writes JobStore statements, JOB_DATA included, into server logs in plaintext',
    family: 'audit',
    severity: 'medium',
    mitigation: MITIGATION.secrets,
    remediation:
      'Turn off logging of every statement (with its parameters) and audit writes with an audit facility that does not log parameter values.',
    dialects: ['postgres', 'mysql', 'mariadb'],
    needs: {
      postgres: 'nothing beyond connecting (log_statement, log_min_duration_statement)',
      mysql: 'nothing beyond connecting (general_log)',
      mariadb: 'nothing beyond connecting (general_log)',
    },
  },
  engines: { postgres: a03Postgres, mysql: a03Mysql, mariadb: a03Mysql },
};
