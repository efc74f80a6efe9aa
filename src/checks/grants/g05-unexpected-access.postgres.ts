/**
 * QA-G05 on PostgreSQL: how its REVOKE statements are written (a RevokeSql, see g05-unexpected-access.ts, where
 * the evaluation lives). Every name goes through the PostgreSQL quoting functions.
 */
import type { QuartzTable } from '../../model.js';
import { pgRole } from '../sql-quote.js';
import { pgIdent, qualified } from '../util.js';

export const postgresRevoke = {
  table: (t: QuartzTable | undefined, display: string): string => (t ? qualified(t) : pgIdent(display)),
  principal: pgRole,
  // One statement names every table.
  revoke: (privs: string[], tables: string[], who: string): string[] => [
    `REVOKE ${privs.join(', ')} ON ${tables.join(', ')} FROM ${who};`,
  ],
};
