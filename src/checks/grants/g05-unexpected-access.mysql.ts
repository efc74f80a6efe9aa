/**
 * QA-G05 on MySQL/MariaDB: how its REVOKE statements are written (a RevokeSql, see g05-unexpected-access.ts,
 * where the evaluation lives). Every name goes through the MySQL quoting functions.
 */
import type { QuartzTable } from '../../model.js';
import { mysqlAccount, mysqlQuoteIdent } from '../sql-quote.js';
import { mysqlQualified } from '../util.js';

export const mysqlRevoke = {
  table: (t: QuartzTable | undefined, display: string): string => (t ? mysqlQualified(t) : mysqlQuoteIdent(display)),
  principal: mysqlAccount,
  // MySQL REVOKE names one table per statement.
  revoke: (privs: string[], tables: string[], who: string): string[] =>
    tables.map((t) => `REVOKE ${privs.join(', ')} ON ${t} FROM ${who};`),
};
