/**
 * QA-T01 on SQL Server: the engine-neutral judgement of Facts.tamper (DML triggers on the Quartz tables, database
 * DDL triggers, synonyms and views under Quartz names, above all in the service account's default schema, where
 * unqualified Quartz statements resolve first), with the T-SQL that removes each object: DROP TRIGGER (schema-
 * scoped for DML triggers, ON DATABASE for DDL triggers), DROP SYNONYM / DROP VIEW, and the default schema reset.
 * The metadata lives in t01-tamper.ts.
 */
import type { Check, EnginePart, FindingDraft } from '../../model.js';
import { mssqlQuoteIdent, safeRemediation } from '../sql-quote.js';

const DROP: Record<string, string> = { SN: 'SYNONYM', V: 'VIEW', U: 'TABLE', IF: 'FUNCTION', TF: 'FUNCTION' };

/** The SQL Server part, given the check whose engine-neutral evaluate it refines. */
export function t01Mssql(check: () => Check): EnginePart {
  return {
    remediation:
      'DROP TRIGGER [dbo].[trigger_name]; DROP TRIGGER [ddl_trigger] ON DATABASE; DROP SYNONYM [schema].[QRTZ_…]; ALTER USER [quartz_user] WITH DEFAULT_SCHEMA = [dbo]; then make sure only the owner can ALTER the Quartz schema.',
    evaluate(facts, options) {
      const drafts = check().evaluate?.(facts, options) ?? [];
      const m = facts.mssql;
      if (!m) return drafts;
      return drafts.map((d): FindingDraft => {
        if (d.status !== 'fail') return d;
        const kind = String(d.evidence?.kind ?? '');
        const name = String(d.evidence?.name ?? '');
        const fix = safeRemediation(() => {
          if (kind === 'trigger') {
            const t = m.triggers?.find((x) => x.name === name);
            if (t?.kind === 'database-ddl') return `DROP TRIGGER ${mssqlQuoteIdent(t.name)} ON DATABASE;`;
            const schema = t?.parent ? t.parent.slice(0, t.parent.indexOf('.')) : facts.target.schema;
            return `DROP TRIGGER ${mssqlQuoteIdent(schema)}.${mssqlQuoteIdent(name)}; -- after checking what it does (sys.sql_modules)`;
          }
          const s = m.shadows.find((x) => `${x.schema}.${x.name}` === name);
          if (!s) return '';
          const lines = [
            `DROP ${DROP[s.type] ?? 'SYNONYM'} ${mssqlQuoteIdent(s.schema)}.${mssqlQuoteIdent(s.name)};${s.type === 'U' ? ' -- only if it is not a second Quartz store' : ''}`,
          ];
          if (s.inDefaultSchema)
            lines.push(
              `ALTER USER ${mssqlQuoteIdent(m.serviceUser.name)} WITH DEFAULT_SCHEMA = ${mssqlQuoteIdent(facts.target.schema)};`,
            );
          return lines.join('\n');
        });
        return fix ? { ...d, remediation: fix } : d;
      });
    },
  };
}
