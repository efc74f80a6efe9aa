/**
 * Content checks judge one decoded blob plus options (inspectBlob: no facts, so inspect-blob and the config
 * auditor can run them); the few that judge totals over every streamed row are fact-level and read nothing but
 * the inventory the scan built (facts.blobInventory). This pins which those are.
 */
import { describe, expect, it } from 'vitest';
import { allChecks } from '../../src/checks/index.js';
import { evaluateCheck } from '../../src/engine.js';
import { emptyFacts } from '../../src/facts.js';
import type { BlobInventory } from '../../src/model.js';

const INVENTORY: BlobInventory = {
  byColumn: { 'qrtz_job_details.job_data': { nrbf: { rows: 2, bytes: 300 }, java: { rows: 1, bytes: 90 } } },
  rows: 3,
  bytes: 390,
  types: { 'System.String': 2 },
  typesByFormat: { nrbf: { 'System.String': 2 } },
  jobClasses: { 'Acme.Jobs.Report': 3 },
};

describe('content checks: per blob, or fact-level over the inventory totals', () => {
  const content = allChecks.filter((c) => c.meta.family === 'content');

  it('the fact-level content checks are exactly the inventory-total ones', () => {
    expect(content.length).toBeGreaterThan(10);
    const factLevel = content.filter((c) => c.evaluate || c.engines).map((c) => c.meta.id);
    expect(factLevel.sort()).toEqual(['QA-B00', 'QA-B01', 'QA-B07', 'QA-J04']);
    for (const c of content.filter((x) => !factLevel.includes(x.meta.id)))
      expect(c.inspectBlob, c.meta.id).toBeDefined();
  });

  it('they read the inventory and nothing else of the facts: no inventory, no finding; an inventory, a verdict', () => {
    for (const c of content.filter((x) => x.evaluate)) {
      expect(evaluateCheck(c, emptyFacts('postgres')), c.meta.id).toEqual([]);
      const facts = emptyFacts('sqlite');
      facts.blobInventory = INVENTORY;
      const drafts = evaluateCheck(c, facts);
      expect(drafts.length, c.meta.id).toBeGreaterThan(0);
      expect(
        drafts.every((d) => d.status !== 'not-evaluated'),
        c.meta.id,
      ).toBe(true);
    }
  });
});
