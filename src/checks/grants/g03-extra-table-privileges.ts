/** QA-G03 — TRUNCATE / REFERENCES / TRIGGER / MAINTAIN or grant options on Quartz tables (PostgreSQL). */
import type { Check, FindingDraft, QuartzTable } from '../../model.js';
import { pgRole, safeRemediation } from '../sql-quote.js';
import { listSome, MITIGATION, notEvaluated, pgIdent, principalObject, qualified } from '../util.js';
import { g03Mssql } from './g03-extra-table-privileges.mssql.js';

const EXTRA = ['TRUNCATE', 'REFERENCES', 'TRIGGER', 'MAINTAIN'];

export const g03: Check = {
  meta: {
    id: 'QA-G03',
    title: 'Non-owner holds TRUNCATE, REFERENCES, TRIGGER or MAINTAIN, or a grant option, on Quartz tables',
    family: 'grants',
    severity: 'medium',
    mitigation: MITIGATION.leastPrivilege,
    remediation: 'Quartz needs only SELECT, INSERT, UPDATE and DELETE. REVOKE the rest and every GRANT OPTION.',
    dialects: ['postgres', 'mssql'],
    needs: {
      postgres: 'nothing beyond connecting (table ACLs)',
      mssql: 'VIEW DEFINITION on the database (sys.database_permissions of every principal)',
    },
  },
  // SQL Server: its own part; the other engines share the evaluate below.
  engines: { mssql: g03Mssql },
  evaluate(facts) {
    const dbObj = { kind: 'schema' as const, name: facts.target.schema, schema: facts.target.schema };
    const ne = notEvaluated(facts, ['table-acl'], dbObj);
    if (ne) return [ne];
    const owners = new Map(facts.tables.map((t) => [t.logical, t.owner]));
    const byLogical = new Map(facts.tables.map((t) => [t.logical, t]));
    type Acc = {
      privs: Set<string>;
      grantable: Set<string>;
      tables: Set<string>;
      /** Table-level grants by display name (schema.table); column-level grants one by one. */
      onTables: Map<string, { privs: Set<string>; grantable: Set<string> }>;
      onColumns: { privilege: string; column: string; table: string; grantable: boolean; extra: boolean }[];
    };
    const byGrantee = new Map<string, Acc>();
    for (const g of facts.grants) {
      if (!g.quartzTable || owners.get(g.quartzTable) === g.grantee) continue;
      const extra = EXTRA.includes(g.privilege);
      if (!extra && !g.grantable) continue;
      const e: Acc = byGrantee.get(g.grantee) ?? {
        privs: new Set(),
        grantable: new Set(),
        tables: new Set(),
        onTables: new Map(),
        onColumns: [],
      };
      byGrantee.set(g.grantee, e);
      if (extra) e.privs.add(g.privilege);
      if (g.grantable) e.grantable.add(g.privilege);
      const t = byLogical.get(g.quartzTable);
      const display = t ? `${t.schema}.${t.name}` : g.object;
      e.tables.add(display);
      if (!t) continue;
      if (g.objectKind === 'column') {
        const prefix = `${t.schema}.${t.name}.`;
        const column = g.object.startsWith(prefix) ? g.object.slice(prefix.length) : g.object;
        e.onColumns.push({ privilege: g.privilege, column, table: display, grantable: g.grantable, extra });
      } else {
        const cell = e.onTables.get(display) ?? { privs: new Set(), grantable: new Set() };
        e.onTables.set(display, cell);
        if (extra) cell.privs.add(g.privilege);
        if (g.grantable) cell.grantable.add(g.privilege);
      }
    }
    const tableOf = new Map(facts.tables.map((t) => [`${t.schema}.${t.name}`, t]));
    const out: FindingDraft[] = [];
    for (const [grantee, e] of byGrantee) {
      const tables = [...e.tables].sort();
      const remediation = safeRemediation(() => {
        const target = pgRole(grantee);
        const q = (display: string) => qualified(tableOf.get(display) as QuartzTable);
        const fixes: string[] = [];
        const cells = [...e.onTables].sort((a, b) => a[0].localeCompare(b[0]));
        // One statement per distinct privilege set, listing the tables that have it.
        const group = (pick: (c: { privs: Set<string>; grantable: Set<string> }) => Set<string>) => {
          const byPrivs = new Map<string, string[]>();
          for (const [display, cell] of cells) {
            const p = [...pick(cell)].sort().join(', ');
            if (p) byPrivs.set(p, [...(byPrivs.get(p) ?? []), q(display)]);
          }
          return byPrivs;
        };
        for (const [p, ts] of group((c) => c.privs)) fixes.push(`REVOKE ${p} ON ${ts.join(', ')} FROM ${target};`);
        for (const [p, ts] of group((c) => c.grantable))
          fixes.push(`REVOKE GRANT OPTION FOR ${p} ON ${ts.join(', ')} FROM ${target} CASCADE;`);
        for (const c of e.onColumns) {
          const col = `(${pgIdent(c.column)})`;
          if (c.extra) fixes.push(`REVOKE ${c.privilege} ${col} ON ${q(c.table)} FROM ${target};`);
          if (c.grantable)
            fixes.push(`REVOKE GRANT OPTION FOR ${c.privilege} ${col} ON ${q(c.table)} FROM ${target} CASCADE;`);
        }
        return fixes.join('\n');
      });
      const high = e.privs.has('TRIGGER') || e.grantable.size > 0;
      const parts: string[] = [];
      if (e.privs.size) parts.push(`${[...e.privs].sort().join(', ')}`);
      if (e.grantable.size) parts.push(`WITH GRANT OPTION on ${[...e.grantable].sort().join(', ')}`);
      out.push({
        status: 'fail',
        severity: high ? 'high' : 'medium',
        message: `${grantee === 'PUBLIC' ? 'PUBLIC' : `role ${grantee}`} holds ${parts.join('; ')} on ${listSome(tables, 4)}${e.privs.has('TRIGGER') ? ' (TRIGGER lets it attach code that runs on every Quartz write)' : ''}`,
        object: principalObject(grantee),
        evidence: {
          privileges: [...e.privs].sort().join(','),
          grantOption: [...e.grantable].sort().join(','),
          tables: tables.length,
        },
        remediation,
        discriminator: 'extra-privileges',
      });
    }
    if (!out.length)
      out.push({
        status: 'pass',
        message: 'no non-owner holds TRUNCATE, REFERENCES, TRIGGER, MAINTAIN or a grant option on the Quartz tables',
        object: dbObj,
      });
    return out;
  },
};
