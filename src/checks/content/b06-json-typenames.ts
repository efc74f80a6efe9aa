/** QA-B06 — Json.NET `$type` in a blob: with TypeNameHandling.Auto the data chooses the class to build. */
import type { Check } from '../../model.js';
import { MITIGATION } from '../util.js';
import { rowObject, safeName } from './gadgets.js';

export const b06: Check = {
  meta: {
    id: 'QA-B06',
    title: 'Json.NET $type type names in a JobStore blob',
    family: 'content',
    severity: 'medium',
    mitigation: MITIGATION.serialization,
    remediation:
      "Quartz.NET's Newtonsoft serializer reads JOB_DATA with TypeNameHandling.Auto and no SerializationBinder, so a $type in the row selects the class to instantiate. Store only strings and primitives in JobDataMaps, switch to the System.Text.Json serializer (quartz.serializer.type = stj), or configure a SerializationBinder that allows only your types.",
  },
  inspectBlob(blob) {
    if (!blob.decoded.jsonTypeNames) return [];
    const object = rowObject(blob);
    const named = [...new Set(blob.decoded.types.filter((t) => t.via.includes('$type')).map((t) => safeName(t.name)))];
    return [
      {
        status: 'fail',
        message: `${object.name} carries Json.NET $type metadata${named.length ? ` naming ${named.slice(0, 5).join(', ')}${named.length > 5 ? ` … (+${named.length - 5})` : ''}` : ''}: whoever can write this column chooses the type the scheduler instantiates`,
        object,
        evidence: { typeNames: named.length, first: named[0] ?? null, format: blob.decoded.format },
      },
    ];
  },
};
