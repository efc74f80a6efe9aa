/** QA-A01 on MySQL/MariaDB (server_audit, audit_log filters): the evaluation part; the metadata lives in a01-audit-log.ts. */
import type { EnginePart, Facts, FindingDraft } from '../../model.js';
import { isOn, serverObject, splitName } from '../util-mysql.js';

/** server_audit_events values that record writes to tables (empty = every event). */
const WRITE_EVENTS = ['QUERY', 'QUERY_DML', 'QUERY_DML_NO_SELECT', 'QUERY_DDL', 'TABLE'];

function userList(v: string | null | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim().replace(/^'|'$/g, ''))
    .filter(Boolean);
}

function mariadbServerAudit(facts: Facts): FindingDraft {
  const s = facts.settings;
  const obj = { kind: 'setting' as const, name: 'server_audit' };
  const user = splitName(facts.serviceAccount).user;
  const problems: string[] = [];
  if (!isOn(s.server_audit_logging)) problems.push(`server_audit_logging=${s.server_audit_logging ?? 'unknown'}`);
  const events = (s.server_audit_events ?? '')
    .split(',')
    .map((e) => e.trim().toUpperCase())
    .filter(Boolean);
  if (events.length && !events.some((e) => WRITE_EVENTS.includes(e))) {
    problems.push(`server_audit_events=${events.join(',')} records no statements on tables (add QUERY_DML or TABLE)`);
  }
  const incl = userList(s.server_audit_incl_users);
  const excl = userList(s.server_audit_excl_users);
  if (incl.length && !incl.includes(user)) {
    problems.push(`server_audit_incl_users=${incl.join(',')} does not include ${user}`);
  } else if (!incl.length && excl.includes(user)) {
    problems.push(`server_audit_excl_users excludes the service account ${user}`);
  }
  const evidence = {
    server_audit_logging: s.server_audit_logging ?? null,
    server_audit_events: s.server_audit_events || '(all)',
    server_audit_output_type: s.server_audit_output_type ?? null,
  };
  if (problems.length) {
    return {
      status: 'fail',
      severity: 'high',
      message: `the server_audit plugin is loaded but does not record the JobStore's writes: ${problems.join('; ')}`,
      object: obj,
      evidence,
      remediation:
        "SET GLOBAL server_audit_logging=ON; SET GLOBAL server_audit_events='CONNECT,QUERY_DDL,QUERY_DML_NO_SELECT,QUERY_DCL'; and persist them in the server configuration",
    };
  }
  return {
    status: 'pass',
    message: `server_audit records ${events.length ? events.join(',') : 'all events'} for ${incl.length ? incl.join(',') : 'every user'} (output ${s.server_audit_output_type ?? '?'})`,
    object: obj,
    evidence,
  };
}

/** Does a filter definition log anything? `{"filter":{"log":false}}` (and no class rules) logs nothing. */
function filterLogs(definition: string | null): boolean {
  if (!definition) return false;
  try {
    const f = (JSON.parse(definition) as { filter?: { log?: unknown; class?: unknown } }).filter;
    if (!f) return false;
    if (f.log === false && f.class === undefined) return false;
    return true;
  } catch {
    return true; // unparsable here but accepted by the server: do not claim it logs nothing
  }
}

/**
 * MySQL Enterprise Audit / Percona audit_log_filter: rule-based filtering logs only for accounts with a filter
 * (their own, or the default filter of USER '%'). Legacy mode (no filters) logs by audit_log_policy.
 */
function mysqlAuditFilters(facts: Facts, loaded: string): FindingDraft {
  const obj = { kind: 'setting' as const, name: 'audit_log' };
  const s = facts.settings;
  const filters = facts.mysql?.auditFilters;
  const evidence = { audit: loaded, audit_log_policy: s.audit_log_policy ?? null };
  if (!filters) {
    const u = facts.unreadable.find((x) => x.what === 'audit_log_filters');
    return {
      status: 'not-evaluated',
      message: `${loaded} is loaded, but its filters could not be read${u ? `: ${u.reason}` : ''} — whether the service account's statements are logged is unknown`,
      object: obj,
      evidence: { ...evidence, needs: u?.needs ?? 'SELECT on mysql.audit_log_user and mysql.audit_log_filter' },
    };
  }
  if (!filters.length) {
    const policy = (s.audit_log_policy ?? '').toUpperCase();
    if (policy === 'ALL' || policy === 'QUERIES') {
      return {
        status: 'pass',
        message: `${loaded} is loaded in legacy mode with audit_log_policy=${policy}`,
        object: obj,
        evidence,
      };
    }
    return {
      status: 'fail',
      severity: 'high',
      message: `${loaded} is loaded but no audit filter is defined or assigned: rule-based auditing logs nothing`,
      object: obj,
      evidence,
      remediation: `SELECT audit_log_filter_set_filter('log_all', '{"filter": {"log": true}}'); SELECT audit_log_filter_set_user('%', 'log_all');`,
    };
  }
  const { user, host } = splitName(facts.serviceAccount);
  const own =
    filters.find((f) => f.user === user && f.host === host) ??
    filters.find((f) => f.user === user && host === undefined);
  const chosen = own ?? filters.find((f) => f.user === '%');
  if (!chosen) {
    return {
      status: 'fail',
      severity: 'high',
      message: `no audit filter applies to the service account ${facts.serviceAccount} (no own filter and no default filter for '%'): its writes to the JobStore are not logged`,
      object: obj,
      evidence: { ...evidence, filters: filters.length },
    };
  }
  const logs = filterLogs(chosen.definition);
  return {
    status: logs ? 'pass' : 'fail',
    ...(logs ? {} : { severity: 'high' as const }),
    message: logs
      ? `${loaded}: the service account is audited by filter ${chosen.filter}${own ? '' : " (the default filter of '%')"}`
      : `${loaded}: filter ${chosen.filter} applied to the service account ${chosen.definition ? 'logs nothing' : 'does not exist'}`,
    object: obj,
    evidence: { ...evidence, filter: chosen.filter },
  };
}

export const a01Mysql: EnginePart = {
  remediation:
    'MariaDB: plugin_load_add=server_audit, server_audit_logging=ON, server_audit_events=CONNECT,QUERY_DDL,QUERY_DML_NO_SELECT,QUERY_DCL (server_audit=FORCE_PLUS_PERMANENT). MySQL Enterprise: audit_log plugin/component with a filter on the Quartz database; Percona Server: audit_log_filter.',
  evaluate(facts) {
    const ext = new Set(facts.extensions.map((e) => e.toLowerCase()));
    if (ext.has('server_audit')) return [mariadbServerAudit(facts)];
    const obj = serverObject(facts);
    const mysqlAudit = ['audit_log', 'audit_log_filter', 'component_audit_log_filter', 'server_audit2'].filter((n) =>
      ext.has(n),
    );
    if (mysqlAudit.length) return [mysqlAuditFilters(facts, mysqlAudit.join(', '))];
    if (!facts.extensions.length) {
      return [{ status: 'not-evaluated', message: 'the list of loaded plugins could not be read', object: obj }];
    }
    return [
      {
        status: 'fail',
        severity: 'high',
        message:
          'no audit plugin is loaded (server_audit, audit_log, audit_log_filter): an injected job or a rewritten JobDataMap leaves no trace of who wrote it',
        object: obj,
        evidence: { plugins: facts.extensions.length },
      },
    ];
  },
};
