/** QA-A03 on MySQL/MariaDB (general query log): the evaluation part; the metadata lives in a03-statement-logging.ts. */
import type { EnginePart } from '../../model.js';
import { isOn } from '../util-mysql.js';

export const a03Mysql: EnginePart = {
  remediation: 'SET GLOBAL general_log=OFF (and in the configuration); use an audit plugin for accountability instead.',
  evaluate(facts) {
    const obj = { kind: 'setting' as const, name: 'general_log' };
    const v = facts.settings.general_log;
    if (v === undefined || v === null)
      return [{ status: 'not-evaluated', message: 'general_log is not known', object: obj }];
    if (!isOn(v)) return [{ status: 'pass', message: `general_log=${v}`, object: obj }];
    const out = facts.settings.log_output ?? 'FILE';
    return [
      {
        status: 'fail',
        severity: 'medium',
        message: `general_log=ON (log_output=${out}): every JobStore statement, with its JobDataMap bytes and parameters, is written to ${/TABLE/i.test(out) ? 'mysql.general_log (readable by anyone with SELECT on mysql.*) and ' : ''}${facts.settings.general_log_file ?? 'the general log file'} in plaintext`,
        object: obj,
        evidence: { general_log: v, log_output: out },
      },
    ];
  },
};
