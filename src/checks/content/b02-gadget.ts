/** QA-B02 — a catalogued deserialization gadget type appears in a blob (any format). */
import type { Check, FindingDraft } from '../../model.js';
import { MITIGATION } from '../util.js';
import { blobTypes, rowObject, safeName } from './gadgets.js';

export const b02: Check = {
  meta: {
    id: 'QA-B02',
    title: 'Known deserialization gadget type in a JobStore blob',
    family: 'content',
    severity: 'critical',
    mitigation: MITIGATION.serialization,
    remediation:
      'Treat the row as a planted payload: stop the schedulers that read this JobStore, preserve the row for investigation, delete it, find who could write the table (QA-G checks) and switch to a serializer that resolves no types from data (Quartz.NET stj, Java useProperties=true with an ObjectInputFilter).',
  },
  inspectBlob(blob) {
    const object = rowObject(blob);
    const out: FindingDraft[] = [];
    // Every catalogued gadget among the blob's distinct types (the per-blob list QA-B03 shares).
    for (const { info, ref } of blobTypes(blob)) {
      if (!info.gadget) continue;
      const m = { type: info.type, entry: info.gadget, ref };
      const type = safeName(m.type);
      const low = m.entry.confidence === 'low';
      out.push({
        status: 'fail',
        severity: low ? 'medium' : 'critical',
        message: `${object.name} holds ${type}, a ${m.entry.ecosystem === 'java' ? 'Java' : '.NET'} ${m.entry.gadget} gadget type${low ? ' (low confidence: dangerous only in combination)' : ''}: ${m.entry.why}`,
        object,
        evidence: {
          type,
          gadget: m.entry.gadget,
          ecosystem: m.entry.ecosystem,
          why: m.entry.why,
          via: safeName(m.ref.via, 60),
          ...(m.ref.assembly ? { assembly: safeName(m.ref.assembly) } : {}),
          ...(low ? { confidence: 'low' } : {}),
        },
        discriminator: type,
      });
    }
    const dos = blob.decoded.denialOfService;
    if (dos) {
      const collection = safeName(dos.collection);
      out.push({
        status: 'fail',
        severity: 'critical',
        message: dos.cutAtDepth
          ? `${object.name} holds ${collection} collections nested at least ${dos.depth} deep (the parse stopped at its depth bound inside them) — the SerialDOS denial-of-service shape, where shared references make deserialization hash at least 2^${dos.log2Visits} times`
          : `${object.name} holds an exponential object graph: ${collection} collections nested ${dos.depth} deep through shared references (${dos.objects} objects, about 2^${dos.log2Visits} hash computations to deserialize) — the SerialDOS denial-of-service shape; reading the row would keep the scheduler hashing for ever`,
        object,
        evidence: {
          type: collection,
          gadget: 'SerialDOS',
          ecosystem: dos.collection.startsWith('java.') ? 'java' : 'dotnet',
          why: 'denial of service: hash-based collections nested through shared references make deserialization exponential',
          depth: dos.depth,
          log2Visits: dos.log2Visits,
          objects: dos.objects,
          ...(dos.cutAtDepth ? { cutAtDepth: true } : {}),
        },
        discriminator: `SerialDOS:${collection}`,
      });
    }
    return out;
  },
};
