/** QA-E02 — encryption in transit: metadata, the PostgreSQL part here, the MySQL/MariaDB part beside it. */
import type { Check, EnginePart, FindingDraft } from '../../model.js';
import { MITIGATION, notEvaluated } from '../util.js';
import { e02Mssql } from './e02-in-transit.mssql.js';
import { e02Mysql } from './e02-in-transit.mysql.js';

const OLD_TLS = new Set(['TLSv1', 'TLSv1.1']);

/** The PostgreSQL part. */
const e02Postgres: EnginePart = {
  remediation:
    'Set ssl = on with a certificate, ssl_min_protocol_version = TLSv1.2, and use hostssl lines in pg_hba.conf for the Quartz role; connect with sslmode=verify-full.',
  evaluate(facts) {
    const server = { kind: 'server' as const, name: facts.target.host ?? 'server' };
    const session = { kind: 'session' as const, name: `session of ${facts.connectedAs}` };
    const ne = notEvaluated(facts, ['pg_settings'], server);
    if (ne) return [ne];
    const out: FindingDraft[] = [];
    const ssl = facts.settings.ssl;
    if (ssl === 'off') {
      out.push({
        status: 'fail',
        severity: 'high',
        message:
          'the server has ssl = off: every JobStore connection, JOB_DATA included, crosses the network in plaintext',
        object: server,
        evidence: { ssl: 'off' },
        remediation: 'ALTER SYSTEM SET ssl = on; (with ssl_cert_file/ssl_key_file), then SELECT pg_reload_conf();',
        discriminator: 'server-ssl',
      });
    } else if (ssl === 'on') {
      const min = facts.settings.ssl_min_protocol_version;
      if (min && OLD_TLS.has(min)) {
        out.push({
          status: 'fail',
          severity: 'medium',
          message: `the server accepts ${min}: older than TLS 1.2`,
          object: server,
          evidence: { ssl_min_protocol_version: min },
          remediation: "ALTER SYSTEM SET ssl_min_protocol_version = 'TLSv1.2';",
          discriminator: 'tls-version',
        });
      } else {
        out.push({
          status: 'pass',
          message: `the server offers TLS (ssl = on, minimum ${min ?? 'default'})`,
          object: server,
          discriminator: 'server-ssl',
        });
      }
    }
    if (facts.session.tls === true) {
      out.push({
        status: 'pass',
        message: `this audit session is encrypted (${facts.session.tlsVersion ?? 'TLS'}${facts.session.cipher ? `, ${facts.session.cipher}` : ''})`,
        object: session,
        discriminator: 'session',
      });
    } else if (facts.session.tls === false && facts.session.viaSocket) {
      out.push({
        status: 'info',
        message:
          "this audit session uses a Unix socket (no network); TLS of the scheduler's own connections cannot be seen from here",
        object: session,
        discriminator: 'session',
      });
    } else if (facts.session.tls === false) {
      out.push({
        status: 'fail',
        severity: 'medium',
        message:
          'this audit session crossed the network without TLS: the server (pg_hba.conf) accepts unencrypted TCP connections',
        object: session,
        evidence: { tls: false },
        remediation: 'Use hostssl (not host) lines in pg_hba.conf so that unencrypted TCP logins are refused.',
        discriminator: 'session',
      });
    } else {
      out.push({
        status: 'not-evaluated',
        message: 'the TLS state of this session could not be read (pg_stat_ssl)',
        object: session,
        discriminator: 'session',
      });
    }
    return out;
  },
};

export const e02: Check = {
  meta: {
    id: 'QA-E02',
    title: 'Connections to the JobStore are not required to use TLS',
    family: 'encryption',
    severity: 'high',
    mitigation: MITIGATION.encryption,
    remediation:
      'Configure server certificates, require TLS 1.2 or later for the Quartz account, and connect Quartz with certificate verification.',
    dialects: ['postgres', 'mysql', 'mariadb', 'mssql'],
    needs: {
      postgres:
        'pg_read_all_settings (ssl, ssl_min_protocol_version) and pg_read_all_stats (pg_stat_ssl of the session)',
      mysql: 'nothing beyond connecting (require_secure_transport, tls_version, session status)',
      mariadb: 'nothing beyond connecting (require_secure_transport, tls_version, session status)',
      mssql: 'VIEW SERVER STATE (2022: VIEW SERVER PERFORMANCE STATE) for sys.dm_exec_connections',
    },
  },
  engines: { postgres: e02Postgres, mysql: e02Mysql, mariadb: e02Mysql, mssql: e02Mssql },
};
