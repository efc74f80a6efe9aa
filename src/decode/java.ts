/**
 * Java Object Serialization format parser: bytes → FormatResult (type inventory, every string and
 * byte array with its path, SerialDOS expansion, trailing bytes, the Quartz view, a lazily built
 * typed tree). Parse, never deserialize. The work is split along its jobs, like the NRBF code:
 *   - src/decode/java-types.ts   the plain graph (class descriptors, objects, arrays…) and SC_* flags
 *   - src/decode/java-reader.ts  the stream grammar: bytes → graph, bounded, never throws
 *   - src/decode/java-graph.ts   walks over the shared graph: strings and byte arrays with paths,
 *                                SerialDOS expansion (src/decode/expansion.ts)
 *   - src/decode/java-tree.ts    the inspect tree (and the lazy-tree helper)
 *   - src/decode/views-java.ts   the Quartz views (JobDataMap, triggers, calendars)
 * This module only puts them together; it is the import point for the rest of the code.
 */
import { javaExpansion, walkStrings } from './java-graph.js';
import { readJava } from './java-reader.js';
import { buildTree, defineLazyTree } from './java-tree.js';
import type { JContent } from './java-types.js';
import { trailingBytes } from './nrbf.js';
import type { FormatResult, Limits } from './types.js';
import { javaViews } from './views-java.js';

export { decodeModifiedUtf8, javaArrayElement } from './java-reader.js';
export { defineLazyTree, hexPreview } from './java-tree.js';
export {
  type JArray,
  type JBlock,
  type JClassData,
  type JClassDesc,
  type JClassObj,
  type JContent,
  type JEnum,
  type JException,
  type JFieldDesc,
  type JNull,
  type JObject,
  type JPrim,
  type JReset,
  type JString,
  type JValue,
  SC_BLOCK_DATA,
  SC_ENUM,
  SC_EXTERNALIZABLE,
  SC_SERIALIZABLE,
  SC_WRITE_METHOD,
} from './java-types.js';

/** Record the first fault of a step after the read (the result keeps what the other steps found). */
function failed(res: FormatResult, offset: number, what: string, e: unknown): void {
  res.malformed ??= { offset, reason: `${what} failed: ${e instanceof Error ? e.message : String(e)}` };
}

/** Parse a Java serialization stream. Never throws for any input. */
export function parseJava(bytes: Uint8Array, limits: Limits): FormatResult {
  const r = readJava(bytes, limits);
  const res: FormatResult = { format: 'java', types: r.types, entries: [], strings: [], byteArrays: [] };
  // ObjectInputStream.readObject reads the first object and stops there: bytes that do not
  // form another complete content are not malformed, but data hidden after the payload (QA-B08).
  if (r.trailingFrom !== undefined) res.trailing = trailingBytes(bytes, r.trailingFrom);
  if (r.malformed) res.malformed = r.malformed;
  if (r.limited) res.limited = r.limited;
  // Each step's fault is recorded, never thrown (no closure per step: they are made per blob).
  try {
    const dos = javaExpansion(r.top, r.hashedCount, res.limited?.startsWith('depth') === true);
    if (dos) res.denialOfService = dos;
  } catch (e) {
    failed(res, r.end, 'expansion', e);
  }
  try {
    walkStrings(r.top, res.strings, res.byteArrays, limits.deadline + 500);
  } catch (e) {
    failed(res, r.end, 'string walk', e);
  }
  defineLazyTree(res, () => buildTree(r.top, new Map()));
  try {
    let first: JContent | undefined;
    for (const t of r.top)
      if (t.kind !== 'block' && t.kind !== 'reset') {
        first = t;
        break;
      }
    if (first) {
      const views = javaViews(first);
      res.entries = views.entries;
      if (views.quartzObject) res.quartzObject = views.quartzObject;
    }
  } catch (e) {
    failed(res, r.end, 'Quartz views', e);
  }
  return res;
}
