/**
 * QA-E02 on SQL Server: transport encryption as the server sees the audit's own session
 * (sys.dm_exec_connections.encrypt_option for @@SPID) and how the audit trusted the certificate.
 * - encrypt_option FALSE over TCP: the server does not force encryption and this login's traffic, JobStore
 *   rows included, is plaintext: high;
 * - TrustServerCertificate=True: the certificate was accepted without validation (any man in the middle can
 *   present one): medium;
 * - encrypt_option not visible: not-evaluated naming VIEW SERVER STATE.
 * The Quartz application's own connection string (Encrypt/TrustServerCertificate) is not observable from the
 * server; the message says so. The metadata lives in e02-in-transit.ts.
 */
import type { EnginePart, FindingDraft } from '../../model.js';
import { isDraft, mssqlOf, mssqlServer } from '../util.mssql.js';

const NEEDS = 'VIEW SERVER STATE (2022: VIEW SERVER PERFORMANCE STATE) for sys.dm_exec_connections';

export const e02Mssql: EnginePart = {
  remediation:
    'Install a CA-issued certificate on SQL Server and set Force Encryption = Yes (Windows: SQL Server Configuration Manager; Linux: mssql-conf set network.forceencryption 1; 2022: Force Strict Encryption for TDS 8.0); connect Quartz with Encrypt=True;TrustServerCertificate=False.',
  evaluate(facts) {
    const server = mssqlServer(facts);
    const m = mssqlOf(facts, server);
    if (isDraft(m)) return [m];
    const c = m.connection;
    const session = { kind: 'session' as const, name: `session of ${facts.connectedAs}` };
    const out: FindingDraft[] = [];
    const transport = c.netTransport ?? 'unknown transport';
    const local = /^(Shared memory|Named pipe)$/i.test(c.netTransport ?? '');
    if (c.encryptOption === null) {
      out.push({
        status: 'not-evaluated',
        message: `whether the server encrypts this session was not visible (the driver ${c.encryptRequested === false ? 'did not request' : 'requested'} encryption): request ${NEEDS}`,
        object: session,
        evidence: { encryptRequested: String(c.encryptRequested), needs: NEEDS },
        discriminator: 'encrypt-option',
      });
    } else if (!c.encryptOption) {
      out.push({
        status: 'fail',
        severity: local ? 'low' : 'high',
        message: `the audit session is not encrypted (sys.dm_exec_connections.encrypt_option = FALSE over ${transport}): the server does not force encryption, so a Quartz client that does not ask for it sends credentials' session traffic and JOB_DATA in plaintext`,
        object: session,
        evidence: { encrypt_option: false, net_transport: c.netTransport, auth_scheme: c.authScheme },
        remediation:
          'Set Force Encryption = Yes on the server (Linux: mssql-conf set network.forceencryption 1) with a CA-issued certificate, and connect Quartz with Encrypt=True.',
        discriminator: 'encrypt-option',
      });
    } else {
      out.push({
        status: 'pass',
        message: `the audit session is encrypted (encrypt_option = TRUE over ${transport}${c.encryptRequested === 'strict' ? ', TDS 8.0 strict' : ''})`,
        object: session,
        evidence: { encrypt_option: true, net_transport: c.netTransport },
        discriminator: 'encrypt-option',
      });
    }
    if (c.trustServerCertificate && c.encryptRequested !== false) {
      out.push({
        status: 'fail',
        severity: 'medium',
        message:
          'the server certificate was trusted blindly (TrustServerCertificate=True): TLS without certificate validation does not stop a man in the middle; Quartz connection strings copied from this one do the same',
        object: session,
        evidence: { trustServerCertificate: true },
        remediation:
          'Give SQL Server a certificate from a CA the clients trust (or add its CA to the trust store) and connect with TrustServerCertificate=False (HostNameInCertificate when the name differs).',
        discriminator: 'trust-server-certificate',
      });
    }
    out.push({
      status: 'info',
      message:
        "the Quartz application's own connection (its Encrypt and TrustServerCertificate keys) is not observable from the server: check its quartz.dataSource connection string (Microsoft.Data.SqlClient 4+ defaults to Encrypt=True)",
      object: server,
      discriminator: 'application-connection',
    });
    return out;
  },
};
