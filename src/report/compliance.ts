/**
 * The suppressions and baseline part of the human formats (table, Markdown, HTML): plain text lines that each
 * formatter escapes its own way. Suppressed and baseline-known findings are left out of the main sections
 * (they fail nothing) and counted here, suppressed ones per entry with its reason, owner and expiry.
 */
import type { Report } from './report.js';

export interface ComplianceSection {
  title: string;
  lines: string[];
}

export function complianceSections(report: Report): ComplianceSection[] {
  const out: ComplianceSection[] = [];
  const c = report.compliance;
  const suppressed = report.findings.filter((f) => f.suppressed);
  if (suppressed.length) {
    const bySource = new Map<
      string,
      { check: Set<string>; n: number; mark: NonNullable<(typeof suppressed)[0]['suppressed']> }
    >();
    for (const f of suppressed) {
      const m = f.suppressed as NonNullable<typeof f.suppressed>;
      const g = bySource.get(m.source) ?? { check: new Set<string>(), n: 0, mark: m };
      g.n++;
      g.check.add(`${f.check} ${f.status}`);
      bySource.set(m.source, g);
    }
    out.push({
      title: `SUPPRESSED (${suppressed.length})`,
      lines: [...bySource].map(
        ([source, g]) =>
          `${source}: ${g.n} finding(s) (${[...g.check].join(', ')}) — ${g.mark.reason}${g.mark.owner ? `; owner ${g.mark.owner}` : ''}${g.mark.expires ? `; expires ${g.mark.expires}` : ''}`,
      ),
    });
  }
  const s = c?.suppressions;
  const entry = (e: NonNullable<typeof s>['expired'][number]) =>
    `${e.source}: ${e.check}${e.object !== undefined ? ` ${e.object}` : ''}${e.fingerprint ? ` fingerprint ${e.fingerprint}` : ''} — ${e.reason}${e.owner ? `; owner ${e.owner}` : ''}${e.expires ? `; expires ${e.expires}` : ''}`;
  if (s?.expired.length)
    out.push({ title: `EXPIRED SUPPRESSIONS (${s.expired.length}): no longer applied`, lines: s.expired.map(entry) });
  if (s?.stale.length)
    out.push({ title: `STALE SUPPRESSIONS (${s.stale.length}): match no finding`, lines: s.stale.map(entry) });
  const b = c?.baseline;
  if (b) {
    const lines = [
      `${b.source} (created ${b.createdAt}, ${b.entries} entries): ${b.known} known failing finding(s) hidden, ${b.new} new`,
    ];
    for (const e of b.remediated) lines.push(`remediated: ${e.check} ${e.object} (${e.severity}, ${e.fingerprint})`);
    for (const e of b.unverified)
      lines.push(`unverified (check not run or not evaluated): ${e.check} ${e.object} (${e.fingerprint})`);
    out.push({ title: `BASELINE (${b.known} known, ${b.remediated.length} remediated)`, lines });
  }
  return out;
}
