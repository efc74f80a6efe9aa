/**
 * `--shard I/N`: split a fleet's targets across N jobs (a CI matrix, a Kubernetes Indexed Job). A target
 * belongs to shard `sha256(name) mod N` (the first 8 bytes of the digest as an unsigned integer), so the
 * split depends only on the names: adding a target never moves the others, and every job computes the same
 * partition. I counts from 0 (Kubernetes' JOB_COMPLETION_INDEX does too).
 */
import { createHash } from 'node:crypto';
import { InvalidArgumentError } from 'commander';

export interface Shard {
  index: number;
  count: number;
}

/** The largest N accepted (a typo such as 0/10000000 is a usage error, not a million idle jobs). */
export const MAX_SHARDS = 1000;

/** `I/N` with 0 ≤ I < N ≤ 1000, whole numbers. */
export function parseShard(value: string): Shard {
  const m = /^\s*(\d{1,4})\s*\/\s*(\d{1,4})\s*$/.exec(value);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || count > MAX_SHARDS || index >= count)
    throw new InvalidArgumentError(
      `expected I/N with 0 <= I < N <= ${MAX_SHARDS} (I counts from 0, e.g. 0/4 … 3/4), got ${JSON.stringify(value)}`,
    );
  return { index, count };
}

/** The shard a target name belongs to among `count`. */
export function shardOf(name: string, count: number): number {
  const digest = createHash('sha256').update(name, 'utf8').digest();
  return Number(digest.readBigUInt64BE(0) % BigInt(count));
}

/** The targets of shard `s`, in their original order. */
export function selectShard<T extends { name: string }>(targets: readonly T[], s: Shard): T[] {
  return targets.filter((t) => shardOf(t.name, s.count) === s.index);
}
