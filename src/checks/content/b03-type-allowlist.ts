/** QA-B03 — a type outside the allowlist appears in a blob: every such type is instantiated on load. */
import type { Check } from '../../model.js';
import { MITIGATION } from '../util.js';
import { blobTypes, matchesGlob, rowObject, safeName, type TypeInfo } from './gadgets.js';

/** Types Quartz itself writes, and BCL / JDK value and collection types (globs with `*`). */
export const DEFAULT_ALLOWED_TYPES: Record<'dotnet' | 'java', readonly string[]> = {
  dotnet: [
    'Quartz.*',
    'System.Object',
    'System.String',
    'System.Boolean',
    'System.Byte',
    'System.SByte',
    'System.Char',
    'System.Decimal',
    'System.Double',
    'System.Single',
    'System.Int16',
    'System.Int32',
    'System.Int64',
    'System.UInt16',
    'System.UInt32',
    'System.UInt64',
    'System.IntPtr',
    'System.Guid',
    'System.DateTime',
    'System.DateTimeKind',
    'System.DateTimeOffset',
    'System.TimeSpan',
    'System.DayOfWeek',
    'System.Nullable`1',
    'System.Version',
    'System.TimeZoneInfo',
    'System.TimeZoneInfo+AdjustmentRule',
    'System.TimeZoneInfo+TransitionTime',
    'System.Globalization.*Calendar',
    'System.Globalization.CultureInfo',
    'System.Globalization.CompareInfo',
    'System.Globalization.TextInfo',
    'System.Globalization.CompareOptions',
    'System.OrdinalComparer',
    'System.CultureAwareComparer',
    'System.Collections.Hashtable',
    'System.Collections.ArrayList',
    'System.Collections.Comparer',
    'System.Collections.CaseInsensitiveComparer',
    'System.Collections.IComparer',
    'System.Collections.IHashCodeProvider',
    'System.Collections.Specialized.NameValueCollection',
    'System.Collections.Generic.Dictionary`2',
    'System.Collections.Generic.List`1',
    'System.Collections.Generic.KeyValuePair`2',
    'System.Collections.Generic.HashSet`1',
    'System.Collections.Generic.GenericEqualityComparer`1',
    'System.Collections.Generic.ObjectEqualityComparer`1',
    'System.Collections.Generic.EnumEqualityComparer`1',
    'System.Collections.Generic.NonRandomizedStringEqualityComparer',
    'System.Collections.Generic.GenericComparer`1',
    'System.Collections.Generic.ObjectComparer`1',
    'System.Collections.Generic.SortedList`2',
    'System.Collections.Generic.Queue`1',
    'System.Collections.Generic.Stack`1',
    'System.Collections.Generic.LinkedList`1',
    'System.Collections.SortedList',
    'System.Collections.Queue',
    'System.Collections.Stack',
    'System.Collections.BitArray',
    'System.Uri',
    'C5.*',
  ],
  java: [
    'org.quartz.*',
    'java.lang.Object',
    'java.lang.String',
    'java.lang.Number',
    'java.lang.Integer',
    'java.lang.Long',
    'java.lang.Short',
    'java.lang.Byte',
    'java.lang.Boolean',
    'java.lang.Character',
    'java.lang.Double',
    'java.lang.Float',
    'java.lang.Enum',
    'java.math.BigDecimal',
    'java.math.BigInteger',
    'java.util.Date',
    'java.util.Calendar',
    'java.util.GregorianCalendar',
    'java.util.TimeZone',
    'java.util.SimpleTimeZone',
    'java.util.Locale',
    'sun.util.calendar.ZoneInfo',
    'java.sql.Date',
    'java.sql.Time',
    'java.sql.Timestamp',
    'java.util.HashMap',
    'java.util.LinkedHashMap',
    'java.util.TreeMap',
    'java.util.Hashtable',
    'java.util.Properties',
    'java.util.concurrent.ConcurrentHashMap',
    'java.util.ArrayList',
    'java.util.LinkedList',
    'java.util.Vector',
    'java.util.HashSet',
    'java.util.LinkedHashSet',
    'java.util.TreeSet',
    'java.util.Collections$Unmodifiable*',
    'java.util.Collections$Synchronized*',
    'java.util.Collections$Empty*',
    'java.util.Collections$Singleton*',
    'java.util.Arrays$ArrayList',
  ],
};

/** Java primitive array descriptors ([B, [[I …) hold no class. */
const JAVA_PRIMITIVE_ARRAY = /^\[+[ZBCSIJFD]$/;

/** Whether a type that is no gadget is allowed: its default-allowlist answer kept on its blobTypes info, then the
 *  --allow-type globs. A gadget is never allowed (QA-B02 reports it; QA-B03 skips it). */
function isAllowedInfo(info: TypeInfo, extra: readonly string[]): boolean {
  let ok = info.defaultAllowed;
  if (ok === undefined) {
    const name = info.type;
    ok =
      !name ||
      (info.ecosystem === 'java' && JAVA_PRIMITIVE_ARRAY.test(name)) ||
      inDefaultAllowlist(name, info.ecosystem);
    info.defaultAllowed = ok;
  }
  if (ok) return true;
  for (const g of extra) if (matchesGlob(info.type, g)) return true;
  return false;
}

/** Whether the default allowlist holds a type name (asked once per type info). */
function inDefaultAllowlist(name: string, ecosystem: 'dotnet' | 'java'): boolean {
  for (const g of DEFAULT_ALLOWED_TYPES[ecosystem]) if (matchesGlob(name, g)) return true;
  return false;
}

const SHOW = 5;

export const b03: Check = {
  meta: {
    id: 'QA-B03',
    title: 'Type outside the allowlist in a JobStore blob',
    family: 'content',
    severity: 'medium',
    mitigation: MITIGATION.serialization,
    remediation:
      'Check that each listed type is one your jobs really store; if so, allow it with --allow-type (globs with *), otherwise remove the row. Prefer string-only JobDataMaps: every type in a blob is instantiated when the scheduler loads it.',
  },
  inspectBlob(blob, options) {
    const allow = options.allowTypes ?? [];
    const unexpected: string[] = [];
    // One per distinct (ecosystem, normalised name), as QA-B02 sees them.
    for (const { info } of blobTypes(blob)) {
      // Gadget types are QA-B02's; never allowed, never listed twice.
      if (info.gadget) continue;
      if (!isAllowedInfo(info, allow)) unexpected.push(safeName(info.type));
    }
    if (unexpected.length === 0) return [];
    const object = rowObject(blob);
    const first = unexpected.slice(0, SHOW);
    return [
      {
        status: 'fail',
        message: `${object.name} holds ${unexpected.length} type${unexpected.length === 1 ? '' : 's'} outside the allowlist: ${first.join(', ')}${unexpected.length > SHOW ? ` … (+${unexpected.length - SHOW})` : ''}`,
        object,
        evidence: { count: unexpected.length, types: first.join(', ') },
      },
    ];
  },
};
