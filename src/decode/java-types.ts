/**
 * The plain graph the Java serialization reader builds (src/decode/java-reader.ts) and the graph
 * walks, tree and Quartz views read (src/decode/java-graph.ts, java-tree.ts, views-java.ts): class
 * descriptors, objects, arrays, strings, block data. Nothing here is ever instantiated as the Java
 * type it names. Also the classDescFlags (SC_*) of the Java Object Serialization Specification §6.4.
 */

export const SC_WRITE_METHOD = 0x01;
export const SC_SERIALIZABLE = 0x02;
export const SC_EXTERNALIZABLE = 0x04;
export const SC_BLOCK_DATA = 0x08;
export const SC_ENUM = 0x10;

/**
 * The java.util maps whose writeObject puts their key/value pairs, key first, as objects into their class
 * annotation (a subclass such as LinkedHashMap or Properties writes them in its map superclass's class data):
 * the views read the pairs there, and the reader interns the strings at a key position.
 */
export const MAP_CLASSES = new Set([
  'java.util.HashMap',
  'java.util.Hashtable',
  'java.util.TreeMap',
  'java.util.concurrent.ConcurrentHashMap',
  'java.util.IdentityHashMap',
  'java.util.WeakHashMap',
  'java.util.EnumMap',
]);

export interface JFieldDesc {
  /** Type code: B C D F I J S Z L [ */
  code: string;
  name: string;
  /** JVM descriptor for L and [ fields, e.g. Ljava/util/Map; */
  className?: string;
}

export interface JClassDesc {
  kind: 'classdesc';
  name: string;
  suid: bigint;
  flags: number;
  fields: JFieldDesc[];
  annotation: JContent[];
  superDesc: JClassDesc | null;
  /** Interfaces of a dynamic proxy class descriptor (TC_PROXYCLASSDESC). */
  proxy?: string[];
  offset: number;
  /** Walk mark (see java-graph.ts). */
  mark: number;
  /** Set once the descriptor is read to its end (its superclass descriptor included). */
  done: boolean;
  /** The class chain, root class first, cached once every descriptor in it is done (java-reader.ts). */
  chain: JClassDesc[] | undefined;
  /** The name isHashedCollection was last asked about, and its answer (asked once per descriptor). */
  hashedName: string | undefined;
  hashed: boolean;
  /** The class data of a class that contributes no fields and no data, shared by its objects (java-reader.ts). */
  emptyData: JClassData | undefined;
}
export interface JNull {
  kind: 'null';
}
export interface JString {
  kind: 'string';
  value: string;
  offset: number;
  mark: number;
  /** True when the stored value was cut at maxStringLength. */
  truncated?: boolean;
}
export interface JPrim {
  kind: 'prim';
  code: string;
  value: number | bigint | boolean | string;
}
/** A primitive field value as read: the field's type code is in the class descriptor. */
export type JPrimValue = number | bigint | boolean | string;
/** A field value: an object/string/… content, or a primitive (no wrapper object per value). */
export type JFieldValue = JContent | JPrimValue;
export interface JClassData {
  desc: JClassDesc;
  /** One value per field read, in the order of desc.fields (values[i] is the field desc.fields[i]). */
  values: JFieldValue[];
  /** writeObject / Externalizable(SC_BLOCK_DATA) data: objects and block data up to TC_ENDBLOCKDATA. */
  annotation?: JContent[];
}
export interface JObject {
  kind: 'object';
  desc: JClassDesc;
  data: JClassData[];
  offset: number;
  mark: number;
}
export interface JArray {
  kind: 'array';
  desc: JClassDesc;
  length: number;
  /** Element code: a primitive code, or L for objects. */
  elemCode: string;
  bytes?: Uint8Array;
  prims?: (number | bigint | boolean | string)[];
  items?: JValue[];
  offset: number;
  mark: number;
}
export interface JEnum {
  kind: 'enum';
  desc: JClassDesc;
  constant: string;
  offset: number;
  mark: number;
}
export interface JClassObj {
  kind: 'class';
  desc: JClassDesc;
  offset: number;
  mark: number;
}
export interface JBlock {
  kind: 'block';
  bytes: Uint8Array;
  offset: number;
  mark: number;
}
export interface JException {
  kind: 'exception';
  value: JValue;
  offset: number;
  mark: number;
}
export interface JReset {
  kind: 'reset';
  offset: number;
}
export type JContent =
  | JNull
  | JString
  | JObject
  | JArray
  | JEnum
  | JClassObj
  | JClassDesc
  | JBlock
  | JException
  | JReset;
export type JValue = JContent | JPrim;
