/**
 * QA-A01 on SQL Server: SQL Server Audit records changes to the Quartz tables.
 * - a server audit exists, is enabled and STARTED (sys.server_audits, sys.dm_server_audit_status);
 * - an enabled database audit specification writing to a started audit covers INSERT, UPDATE and DELETE on
 *   the Quartz tables (per table, on their schema or on the database) and the groups SCHEMA_OBJECT_CHANGE_GROUP
 *   (DDL: new triggers, altered tables) and DATABASE_PERMISSION_CHANGE_GROUP (who may write them) — at database
 *   level or in a server audit specification;
 * - high when nothing is covered (or no audit runs), medium when partly covered (the gaps named);
 * - c2 audit mode / common criteria compliance: info.
 * Without the catalog views each is not-evaluated naming the permission. The metadata lives in a01-audit-log.ts.
 */
import type { EnginePart, FindingDraft } from '../../model.js';
import { mssqlQuoteIdent, safeRemediation } from '../sql-quote.js';
import { isDraft, mssqlDatabase, mssqlOf, mssqlServer } from '../util.mssql.js';

const DML = ['INSERT', 'UPDATE', 'DELETE'] as const;
const GROUPS = ['SCHEMA_OBJECT_CHANGE_GROUP', 'DATABASE_PERMISSION_CHANGE_GROUP'] as const;
const AUDIT_NEEDS = 'VIEW ANY DEFINITION or ALTER ANY SERVER AUDIT (2022: VIEW ANY SECURITY DEFINITION)';
const STATUS_NEEDS = 'VIEW SERVER STATE (2022: VIEW SERVER SECURITY AUDIT)';
const SPEC_NEEDS = 'VIEW DEFINITION on the database, ALTER ANY DATABASE AUDIT or db_owner';

export const a01Mssql: EnginePart = {
  remediation:
    "CREATE SERVER AUDIT [QuartzAudit] TO FILE (FILEPATH = N'…'); ALTER SERVER AUDIT [QuartzAudit] WITH (STATE = ON); in the Quartz database CREATE DATABASE AUDIT SPECIFICATION [QuartzChanges] FOR SERVER AUDIT [QuartzAudit] ADD (INSERT, UPDATE, DELETE ON SCHEMA::[dbo] BY [public]), ADD (SCHEMA_OBJECT_CHANGE_GROUP), ADD (DATABASE_PERMISSION_CHANGE_GROUP) WITH (STATE = ON);",
  evaluate(facts) {
    const obj = mssqlDatabase(facts);
    const server = mssqlServer(facts);
    const m = mssqlOf(facts, obj);
    if (isDraft(m)) return [m];
    const out: FindingDraft[] = [];
    const a = m.audit;
    if (a.c2AuditMode || a.commonCriteria) {
      out.push({
        status: 'info',
        message: `${[a.c2AuditMode ? 'c2 audit mode' : '', a.commonCriteria ? 'common criteria compliance' : ''].filter(Boolean).join(' and ')} enabled (server-wide tracing of every statement; c2 audit mode is deprecated: prefer SQL Server Audit)`,
        object: server,
        evidence: { c2AuditMode: a.c2AuditMode, commonCriteria: a.commonCriteria },
        discriminator: 'c2',
      });
    }
    if (a.servers === null) {
      out.push({
        status: 'not-evaluated',
        message: `the server audits were not visible to ${facts.connectedAs}: request ${AUDIT_NEEDS}`,
        object: server,
        evidence: { needs: AUDIT_NEEDS },
        discriminator: 'server-audit',
      });
      return out;
    }
    const running = a.servers.filter((s) => s.enabled && (s.status === null || s.status === 'STARTED'));
    const statusUnknown = running.some((s) => s.status === null);
    const db = m.database.name;
    const schema = facts.target.schema;
    const remediation = safeRemediation(() => {
      const s = mssqlQuoteIdent(schema);
      return [
        ...(running.length
          ? []
          : [
              "USE [master]; CREATE SERVER AUDIT [QuartzAudit] TO FILE (FILEPATH = N'/var/opt/mssql/audit/'); ALTER SERVER AUDIT [QuartzAudit] WITH (STATE = ON);",
            ]),
        `USE ${mssqlQuoteIdent(db)}; CREATE DATABASE AUDIT SPECIFICATION [QuartzChanges] FOR SERVER AUDIT ${mssqlQuoteIdent(running[0]?.name ?? 'QuartzAudit')} ADD (INSERT, UPDATE, DELETE ON SCHEMA::${s} BY [public]), ADD (SCHEMA_OBJECT_CHANGE_GROUP), ADD (DATABASE_PERMISSION_CHANGE_GROUP) WITH (STATE = ON);`,
      ].join('\n');
    });
    if (!running.length) {
      const list = a.servers.map((s) => `${s.name} (${s.enabled ? (s.status ?? 'enabled') : 'disabled'})`).join(', ');
      out.push({
        status: 'fail',
        severity: 'high',
        message: a.servers.length
          ? `no server audit is started (${list}): nothing records changes to the Quartz tables`
          : 'no server audit exists: nothing records changes to the Quartz tables',
        object: server,
        evidence: { audits: a.servers.length, list: list || null },
        remediation,
        discriminator: 'coverage',
      });
      return out;
    }
    if (a.specifications === null) {
      out.push({
        status: 'not-evaluated',
        message: `server audit ${running.map((s) => s.name).join(', ')} runs, but the audit specifications were not visible: request ${SPEC_NEEDS}`,
        object: obj,
        evidence: { needs: SPEC_NEEDS },
        discriminator: 'coverage',
      });
      return out;
    }
    const runningNames = new Set(running.map((s) => s.name));
    const live = a.specifications.filter((s) => s.enabled && s.audit !== null && runningNames.has(s.audit));
    const tables = facts.tables.map((t) => `${t.schema}.${t.name}`.toLowerCase());
    const covers = (action: string): boolean => {
      const acts = live
        .filter((s) => s.level === 'database')
        .flatMap((s) => s.actions.filter((x) => x.action === action));
      if (acts.some((x) => x.classDesc === 'DATABASE')) return true;
      if (acts.some((x) => x.classDesc === 'SCHEMA' && x.securable.toLowerCase() === schema.toLowerCase())) return true;
      const objs = new Set(acts.filter((x) => x.classDesc.startsWith('OBJECT')).map((x) => x.securable.toLowerCase()));
      return tables.length > 0 && tables.every((t) => objs.has(t));
    };
    const group = (g: string) => live.some((s) => s.actions.some((x) => x.action === g));
    const missing = [
      ...DML.filter((d) => !covers(d)).map((d) => `${d} on the Quartz tables`),
      ...GROUPS.filter((g) => !group(g)),
    ];
    const total = DML.length + GROUPS.length;
    const evidence = {
      audits: running.map((s) => s.name).join(','),
      specifications: live.map((s) => s.name).join(',') || null,
      missing: missing.join(', ') || null,
    };
    if (missing.length === total) {
      out.push({
        status: 'fail',
        severity: 'high',
        message: `server audit ${running.map((s) => s.name).join(', ')} runs, but no enabled audit specification covers writes to the Quartz tables, SCHEMA_OBJECT_CHANGE_GROUP or DATABASE_PERMISSION_CHANGE_GROUP: injected jobs, new triggers and grants leave no record`,
        object: obj,
        evidence,
        remediation,
        discriminator: 'coverage',
      });
    } else if (missing.length) {
      out.push({
        status: 'fail',
        severity: 'medium',
        message: `the audit of the Quartz tables is partial: not covered: ${missing.join(', ')}`,
        object: obj,
        evidence,
        remediation,
        discriminator: 'coverage',
      });
    } else {
      out.push({
        status: statusUnknown ? 'not-evaluated' : 'pass',
        message: `audit specification ${live.map((s) => s.name).join(', ')} records INSERT, UPDATE, DELETE on the Quartz tables, SCHEMA_OBJECT_CHANGE_GROUP and DATABASE_PERMISSION_CHANGE_GROUP${statusUnknown ? `; whether the audit is started was not visible: request ${STATUS_NEEDS}` : ''}`,
        object: obj,
        evidence,
        discriminator: 'coverage',
      });
    }
    return out;
  },
};
