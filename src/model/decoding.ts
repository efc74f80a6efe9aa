/** Decoding: the rows the scan streams and what the blob parsers make of them (never deserialized). */
import type { Unreadable } from './common.js';

/** Tables whose rows the scan streams. SIMPROP_TRIGGERS has no blob: its rows carry only textColumns. */
export type BlobTable = 'JOB_DETAILS' | 'TRIGGERS' | 'BLOB_TRIGGERS' | 'CALENDARS' | 'SIMPROP_TRIGGERS';

export interface BlobRow {
  table: BlobTable;
  /** Real table name, e.g. qrtz_job_details. */
  tableName: string;
  column: string; // JOB_DATA, BLOB_DATA, CALENDAR
  /** SCHED_NAME / group / name (calendar rows have no group). */
  key: { sched: string; group?: string; name: string };
  /** Up to the --max-blob-size bound; null when the column is NULL. */
  bytes: Buffer | null;
  /** Full size in the database (may exceed bytes.length when truncated by the bound). */
  size: number;
  /** JOB_DETAILS: JOB_CLASS_NAME; TRIGGERS: JOB_NAME/JOB_GROUP; plus DESCRIPTION where the table has one. */
  jobClassName?: string;
  description?: string | null;
  /** Other free-text columns the secret detectors read (SIMPROP_TRIGGERS.STR_PROP_1..3). */
  textColumns?: Record<string, string | null>;
}

export type BlobFormat =
  | 'nrbf'
  | 'java'
  | 'json-newtonsoft'
  | 'json-stj'
  | 'json'
  | 'properties'
  | 'gzip'
  | 'empty'
  | 'unknown';

export interface TypeRef {
  /** Fully qualified type name, e.g. System.Collections.Hashtable, org.quartz.JobDataMap. */
  name: string;
  /** .NET assembly (library) name, or undefined. */
  assembly?: string;
  ecosystem: 'dotnet' | 'java';
  /** How it got in: 'nrbf-class', 'json-$type', 'java-classdesc', 'nested:base64'… */
  via: string;
}

export type MapValue = string | number | boolean | null | { type: string; summary?: string };

/** One JobDataMap entry, flattened: nested maps/lists keep their key paths. */
export interface MapEntry {
  path: string[];
  value: MapValue;
  valueType?: string;
}

/** Every string found inside a blob, with where it sits; what the secret detectors read. */
export interface FoundString {
  path: string[];
  value: string;
}

/** A node of the typed object tree that inspect-blob prints (parsers build it; bounded like the parse). */
export interface TreeNode {
  /** Member/field/key name, or a record description. */
  label: string;
  /** Type name of the value, when known. */
  type?: string;
  /** Scalar value (strings may hold secrets: every output redacts). */
  value?: string | number | boolean | null;
  /** Byte offset in the blob where the record starts. */
  offset?: number;
  children?: TreeNode[];
}

export interface DecodeResult {
  format: BlobFormat;
  /** Typed object tree of the root object (for inspect-blob). */
  tree?: TreeNode;
  /** Formats of nested payloads found inside (base64/hex/gzip wrapped), outermost first. */
  nestedFormats: BlobFormat[];
  /** Every type the bytes would make a deserializer load or instantiate. */
  types: TypeRef[];
  /** Quartz object recognised at the root, e.g. 'JobDataMap', 'Calendar', 'Trigger'. */
  quartzObject?: string;
  /** The JobDataMap (or map-like content) as flattened entries. */
  entries: MapEntry[];
  /** All strings, including entry values, member strings and the printable-string fallback. */
  strings: FoundString[];
  /** Set when parsing stopped: where and why. A malformed blob is never clean. */
  malformed?: { offset: number; reason: string };
  /** A bound was hit (depth, records, time): content past it was not read. */
  limited?: string;
  /** NRBF BinaryMethodCall/Return seen. */
  methodCall?: boolean;
  /** Json.NET $type seen anywhere. */
  jsonTypeNames?: boolean;
  /** Assembly names mentioning Quartz with a version, e.g. 'Quartz, Version=3.3.3.0' (QA-U01). */
  quartzVersions?: string[];
  /** Added for QA-B08: bytes after the end of the stream (after NRBF MessageEnd, after the last
   *  complete Java object) that a deserializer never reads; preview = hex of the first bytes. */
  trailing?: TrailingBytes;
  /** Added for QA-B02: an exponential object graph (hash-based collections nested through shared
   *  references, the ysoserial SerialDOS shape) that makes a deserializer hash for ever. */
  denialOfService?: ExpansionFinding;
}

export interface TrailingBytes {
  offset: number;
  length: number;
  /** Hex of the first (at most 16) trailing bytes. */
  preview: string;
  /** Set when the stream was gzip-compressed: offset and length are in the inflated content. */
  within?: 'gzip';
}

export interface ExpansionFinding {
  /** Collection type at the top of the exponential shape, e.g. java.util.HashSet. */
  collection: string;
  /** Hash-based collections nested inside each other along the deepest chain read. */
  depth: number;
  /** Nodes a deserializer visits when it hashes the graph (log2, so it never overflows). */
  log2Visits: number;
  /** Distinct objects in the graph read. */
  objects: number;
  /** The parse hit its depth bound inside the nested collections (depth is then a lower bound). */
  cutAtDepth?: boolean;
}

export interface ScannedBlob {
  row: Omit<BlobRow, 'bytes'>;
  decoded: DecodeResult;
}

export interface BlobInventory {
  /** key: `${table}.${column}` → format → { rows, bytes } */
  byColumn: Record<string, Record<string, { rows: number; bytes: number }>>;
  rows: number;
  bytes: number;
  /** Distinct type names seen, with counts (rows that contain them). */
  types: Record<string, number>;
  /** The same, split by the blob's outer format (nrbf, java, json-newtonsoft…). */
  typesByFormat: Record<string, Record<string, number>>;
  /** Added for QA-U01: DecodeResult.quartzVersions seen (e.g. 'Quartz, Version=2.3.3.0') → blob count. */
  quartzVersions?: Record<string, number>;
  /** Added for QA-J04: QRTZ_JOB_DETAILS JOB_CLASS_NAME → row count (filled by the engine from BlobRow.jobClassName). */
  jobClasses?: Record<string, number>;
  /** Names not kept once a map above held MAX_INVENTORY_NAMES (src/engine.ts): garbage blobs can hold a new one per row. */
  droppedNames?: number;
  /** Reading the rows failed, or the family was skipped. */
  unreadable?: Unreadable;
}
