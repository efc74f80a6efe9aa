/** Test helpers: build a Quartz database, scan it with the MySQL adapter and the registered checks. */
import { randomBytes } from 'node:crypto';
import type mysql from 'mysql2/promise';
import { allChecks } from '../../../src/checks/index.js';
import type { ConnectOptions } from '../../../src/dialect.js';
import { createMysqlAdapter } from '../../../src/dialects/mysql/index.js';
import { evaluateFacts } from '../../../src/engine.js';
import type { BlobRow, Facts, Family, Finding } from '../../../src/model.js';
import { checkOptions } from '../../../src/model.js';
import { QUARTZ_MYSQL_SCHEMA } from './schema.js';

export const ALL_FAMILIES = new Set<Family>(['grants', 'encryption', 'audit', 'content', 'scheduler', 'updates']);

/** A short unique suffix for database, user and role names of one test file. */
export function uniq(): string {
  return randomBytes(4).toString('hex');
}

export function connectOptions(url: string, extra: Partial<ConnectOptions> = {}): ConnectOptions {
  return {
    url,
    tablePrefix: 'QRTZ_',
    allowPrincipals: [],
    families: ALL_FAMILIES,
    statementTimeoutMs: 30_000,
    lockTimeoutMs: 2_000,
    connectTimeoutMs: 5_000,
    maxBlobSize: 1024 * 1024,
    attestations: {},
    ...extra,
  };
}

/** Creates database `db` with the official Quartz.NET MySQL InnoDB tables. */
export async function createQuartzDb(conn: mysql.Connection, db: string): Promise<void> {
  await conn.query(`CREATE DATABASE \`${db}\``);
  await conn.query(`USE \`${db}\``);
  for (const stmt of QUARTZ_MYSQL_SCHEMA) await conn.query(stmt);
}

export interface ScanOutput {
  facts: Facts;
  findings: Finding[];
  blobs: BlobRow[];
}

/** Connects, collects facts, evaluates every registered check, streams the blob rows. */
export async function scan(url: string, extra: Partial<ConnectOptions> = {}, withBlobs = false): Promise<ScanOutput> {
  const opts = connectOptions(url, extra);
  const adapter = createMysqlAdapter(opts);
  await adapter.connect();
  try {
    const facts = await adapter.collectFacts();
    const findings = evaluateFacts(facts, allChecks, opts.families, checkOptions({ maxBlobSize: opts.maxBlobSize }));
    const blobs: BlobRow[] = [];
    if (withBlobs) for await (const b of adapter.blobRows()) blobs.push(b);
    return { facts, findings, blobs };
  } finally {
    await adapter.close();
  }
}

export function byCheck(findings: Finding[], check: string, status?: Finding['status']): Finding[] {
  return findings.filter((f) => f.check === check && (status === undefined || f.status === status));
}

/** Findings about one principal (object.principal equals it). */
export function about(findings: Finding[], principal: string): Finding[] {
  return findings.filter((f) => f.object.principal === principal);
}
