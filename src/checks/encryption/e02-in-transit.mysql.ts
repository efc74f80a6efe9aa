/** QA-E02 on MySQL/MariaDB (require_secure_transport, TLS versions, the session cipher): the evaluation part; the metadata lives in e02-in-transit.ts. */
import type { EnginePart, FindingDraft } from '../../model.js';
import { isOn, serverObject } from '../util-mysql.js';

export const e02Mysql: EnginePart = {
  remediation:
    'Configure server certificates (ssl_cert/ssl_key), set require_secure_transport=ON, tls_version=TLSv1.2,TLSv1.3, and connect Quartz with SslMode=VerifyFull (or VerifyCA).',
  evaluate(facts) {
    const obj = serverObject(facts);
    const s = facts.settings;
    const out: FindingDraft[] = [];
    const haveSsl = s.have_ssl ?? s.have_openssl;
    const offers = haveSsl === undefined || haveSsl === null ? facts.session.tls === true : /^yes$/i.test(haveSsl);
    if (!offers && facts.session.tls !== true) {
      out.push({
        status: 'fail',
        severity: 'high',
        message: `the server offers no TLS (have_ssl=${haveSsl ?? 'unknown'}): job data, JobDataMap secrets and the service account's password exchange travel in plaintext`,
        object: obj,
        evidence: { have_ssl: haveSsl ?? null },
        discriminator: 'have_ssl',
      });
    }
    const rst = s.require_secure_transport;
    if (rst === undefined || rst === null) {
      out.push({
        status: 'not-evaluated',
        message: 'require_secure_transport is not known on this server',
        object: { kind: 'setting', name: 'require_secure_transport' },
        discriminator: 'require_secure_transport',
      });
    } else if (!isOn(rst)) {
      out.push({
        status: 'fail',
        severity: 'medium',
        message: 'require_secure_transport=OFF: clients (the Quartz application included) may connect without TLS',
        object: { kind: 'setting', name: 'require_secure_transport' },
        evidence: { require_secure_transport: rst },
        remediation:
          'SET PERSIST require_secure_transport=ON; (MariaDB: require_secure_transport=ON in the server configuration)',
        discriminator: 'require_secure_transport',
      });
    }
    const tls = (s.tls_version ?? '').split(',').map((v) => v.trim());
    const old = tls.filter((v) => /^TLSv1(\.[01])?$/i.test(v));
    if (old.length) {
      out.push({
        status: 'fail',
        severity: 'low',
        message: `the server still accepts ${old.join(', ')} (tls_version=${s.tls_version})`,
        object: { kind: 'setting', name: 'tls_version' },
        evidence: { tls_version: s.tls_version ?? null },
        remediation: 'tls_version=TLSv1.2,TLSv1.3',
        discriminator: 'tls_version',
      });
    }
    const sess = facts.session;
    const sessText = sess.tls
      ? `this audit session uses ${sess.tlsVersion ?? 'TLS'} ${sess.cipher ?? ''}`.trim()
      : sess.viaSocket
        ? 'this audit session uses a local socket'
        : 'this audit session is NOT encrypted';
    if (!out.some((f) => f.status === 'fail')) {
      out.push({
        status: 'pass',
        message: `TLS is offered and required (require_secure_transport=${rst}); ${sessText}`,
        object: obj,
        evidence: { tls: sess.tls, tlsVersion: sess.tlsVersion ?? null },
      });
    } else {
      out.push({
        status: 'info',
        message: sessText,
        object: { kind: 'session', name: 'audit session' },
        evidence: { tls: sess.tls, tlsVersion: sess.tlsVersion ?? null, cipher: sess.cipher ?? null },
        discriminator: 'session',
      });
    }
    return out;
  },
};
