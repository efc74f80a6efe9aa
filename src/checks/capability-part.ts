/**
 * An engine part that judges engine-neutral capabilities (Facts.capabilities, src/capabilities.ts) instead of an
 * engine's attribute or privilege names: used where a check's other engines have their own parts but an engine's
 * adapter already normalised what the service account can do (SQL Server for QA-G01/G02).
 */
import type { Capability, EnginePart, FindingDraft } from '../model.js';
import { principalObject } from './util.js';

export function capabilityPart(opts: {
  /** Capabilities that fail the check, with the severity of each. */
  fails: Partial<Record<Capability, 'critical' | 'high' | 'medium' | 'low'>>;
  /** What passing means, for the pass message. */
  passes: string;
  remediation?: string;
}): EnginePart {
  return {
    ...(opts.remediation ? { remediation: opts.remediation } : {}),
    evaluate(facts) {
      const obj = principalObject(facts.serviceAccount || '(unknown)');
      if (!facts.capabilities) {
        return [
          {
            status: 'not-evaluated',
            message: `what ${facts.serviceAccount || 'the service account'} can do at server level was not visible to ${facts.connectedAs || 'the audit login'}`,
            object: obj,
          },
        ];
      }
      const out: FindingDraft[] = [];
      for (const [capability, severity] of Object.entries(opts.fails) as [Capability, FindingDraft['severity']][]) {
        const held = facts.capabilities.filter(
          (c) => c.principal === facts.serviceAccount && c.capability === capability,
        );
        if (!held.length) continue;
        out.push({
          status: 'fail',
          ...(severity ? { severity } : {}),
          message: `service account ${facts.serviceAccount} can ${capability.replace(/-/g, ' ')}: ${held.map((c) => c.via).join('; ')}`,
          object: obj,
          evidence: { capability, via: held.map((c) => c.via).join('; ') },
          discriminator: capability,
        });
      }
      if (!out.length)
        out.push({ status: 'pass', message: `service account ${facts.serviceAccount} ${opts.passes}`, object: obj });
      return out;
    },
  };
}
