/** Contract between the format parsers and the decode entry point (src/decode/index.ts). */
import type {
  BlobFormat,
  ExpansionFinding,
  FoundString,
  MapEntry,
  TrailingBytes,
  TreeNode,
  TypeRef,
} from '../model.js';

export interface Limits {
  maxDepth: number;
  maxRecords: number;
  /** Absolute deadline, Date.now() based. */
  deadline: number;
  maxStringLength: number;
}

/** What one format parser learned from one buffer. Parsers never recurse into nested payloads:
 *  they report strings and byte arrays, and the entry point searches those for nested payloads. */
export interface FormatResult {
  format: BlobFormat;
  tree?: TreeNode;
  types: TypeRef[];
  entries: MapEntry[];
  strings: FoundString[];
  /** Byte arrays found in the graph (e.g. NRBF Byte[] members, Java byte[] fields), for nested search. */
  byteArrays: { path: string[]; bytes: Uint8Array }[];
  quartzObject?: string;
  malformed?: { offset: number; reason: string };
  limited?: string;
  methodCall?: boolean;
  jsonTypeNames?: boolean;
  quartzVersions?: string[];
  trailing?: TrailingBytes;
  denialOfService?: ExpansionFinding;
}
