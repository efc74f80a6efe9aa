/**
 * QA-G13 — login hygiene of the server the JobStore lives on: the service login is a SQL login without password
 * policy or expiration, the built-in sa login is enabled, SQL authentication is accepted (mixed mode). Only SQL
 * Server has these server logins with their own password policy; no other id means the same (QA-G12 is MySQL's
 * anonymous and empty-password accounts). The SQL Server part is beside it.
 */
import type { Check } from '../../model.js';
import { MITIGATION } from '../util.js';
import { g13Mssql } from './g13-login-hygiene.mssql.js';

export const g13: Check = {
  meta: {
    id: 'QA-G13',
    title: 'Service login without password policy, sa enabled, or SQL authentication accepted',
    family: 'grants',
    severity: 'medium',
    mitigation: MITIGATION.leastPrivilege,
    remediation:
      'Use Windows/Entra authentication for the Quartz service where possible; otherwise ALTER LOGIN [quartz] WITH CHECK_POLICY = ON, CHECK_EXPIRATION = ON; ALTER LOGIN [sa] DISABLE; switch the server to Windows authentication mode when no SQL login is needed.',
    dialects: ['mssql'],
    needs: {
      mssql:
        'nothing for the service login when auditing as it (its own sys.sql_logins row is visible); VIEW ANY DEFINITION (2022: VIEW ANY SECURITY DEFINITION) for other logins and sa',
    },
  },
  engines: { mssql: g13Mssql },
};
