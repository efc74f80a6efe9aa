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
  /** Bytes of a text format (JSON, properties) decoded into a string (default MAX_TEXT_BYTES). */
  maxTextBytes?: number;
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

/** Text formats (JSON, properties) decode at most this many bytes into a string: a large blob stays a
 *  Buffer (a whole 270 MB blob as one string is memory the scan cannot afford, and past 512 MiB
 *  characters V8 cannot make the string at all). Content past it is reported as not read. */
export const MAX_TEXT_BYTES = 64 * 1024 * 1024;
