/** QA-B07 — Java serialization payloads in the JobStore. Fact-level, like QA-B01: the inventory totals per column. */
import type { Check } from '../../model.js';
import { MITIGATION } from '../util.js';
import { present } from './b01-native-serialization.js';

export const b07: Check = {
  meta: {
    id: 'QA-B07',
    title: 'Java serialization payloads in the JobStore',
    family: 'content',
    severity: 'high',
    mitigation: MITIGATION.serialization,
    remediation:
      'Use org.quartz.jobStore.useProperties=true (string-only JobDataMaps) and an ObjectInputFilter (jdk.serialFilter) that allows only Quartz and JDK value types; CALENDAR and BLOB_DATA stay Java-serialized, so keep writers out.',
  },
  evaluate: (facts) => present(facts, 'java', 'Java serialization payloads'),
};
