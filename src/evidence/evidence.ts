/**
 * Evidence files (issue #13 part 6, the collector/reporter split of Oracle DBSAT): `scan --evidence FILE`
 * writes what the scan collected — the catalog facts, the blob inventory and the content findings of the
 * blob stream, every string through the one redaction path (src/secrets/redact.ts) — as versioned JSON,
 * mode 0600; `qrtz-audit evaluate FILE` reads it back (validated with zod: one line, exit 2, on a wrong,
 * corrupt or newer file) and judges it offline with the current fact-level checks (src/evidence/judge.ts).
 * Row checks are not run again: their findings are the ones in the file.
 */
import { closeSync, existsSync, fchmodSync, openSync, statSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { findingSchema } from '../commands/convert.js';
import type { Collected } from '../engine.js';
import { UserError } from '../errors.js';
import { readBoundedJson } from '../fs-bounded.js';
import type { CheckOptions, Facts, Family, Finding } from '../model.js';
import { DIALECTS, FAMILIES } from '../model.js';
import type { ConfigFilesTarget } from '../report/report.js';
import { toolVersion } from '../report/report.js';
import { escapeControl } from '../report/terminal.js';
import { redactDeep } from '../secrets/redact.js';
import { FindingSpill } from '../spill.js';

export const EVIDENCE_FORMAT = 'qrtz-audit-evidence';
/** Bumped on any incompatible change of the evidence file. */
export const EVIDENCE_VERSION = 1;
/** The largest evidence file evaluate reads. */
export const EVIDENCE_MAX_BYTES = 1024 * 1024 * 1024;

/** The check options that shaped the collection (evaluate's defaults; `now` is the collection's start). */
export type CollectedCheckOptions = Omit<CheckOptions, 'now'>;

/**
 * What a scan collected, judged later (`reportFrom`, `evaluate`): the facts, the content findings (row
 * checks already run), the families and check options of the collection, and the findings of the Quartz
 * application's configuration files when the scan took its target from them (--from-config).
 */
export interface Evidence extends Collected {
  families: Family[];
  checkOptions: CollectedCheckOptions;
  config?: {
    configFiles: ConfigFilesTarget;
    files: { path: string; kind: string }[];
    /** QA-C findings of the configuration files (not re-run offline, like row findings). */
    findings: Finding[];
  };
  /** The qrtz-audit that collected it (set when read from a file). */
  tool?: { name: string; version: string };
}

const unreadableSchema = z
  .object({
    what: z.string(),
    reason: z.string(),
    needs: z.string().optional(),
    table: z.string().optional(),
    cause: z.enum(['privilege', 'lock-timeout', 'statement-timeout', 'tamper', 'other']).optional(),
  })
  .loose();
const looseObjects = z.array(z.object({}).loose());
const stringMap = z.record(z.string(), z.string().nullable());
const countMap = z.record(z.string(), z.number());

/** The facts every check may read, typed at the top level; engine members and list items stay loose. */
const factsSchema = z
  .object({
    dialect: z.enum(DIALECTS as unknown as [string, ...string[]]),
    server: z.object({ product: z.string(), version: z.string(), versionNum: z.number().optional() }).loose(),
    target: z
      .object({
        database: z.string(),
        schema: z.string(),
        tablePrefix: z.string(),
        user: z.string(),
        host: z.string().optional(),
      })
      .loose(),
    serviceAccount: z.string(),
    serviceAccountSource: z.enum(['option', 'connected-login', 'inferred']).optional(),
    connectedAs: z.string(),
    allowedPrincipals: z.array(z.string()),
    tables: z.array(z.object({ logical: z.string(), name: z.string(), schema: z.string() }).loose()),
    missingTables: z.array(z.string()),
    principals: z.array(
      z.object({ name: z.string(), kind: z.string(), canLogin: z.boolean(), attributes: z.array(z.string()) }).loose(),
    ),
    memberships: looseObjects,
    grants: z.array(
      z.object({ grantee: z.string(), privilege: z.string(), objectKind: z.string(), object: z.string() }).loose(),
    ),
    effective: z.array(
      z.object({ principal: z.string(), table: z.string(), privilege: z.string(), via: z.array(z.string()) }).loose(),
    ),
    defaultPrivileges: looseObjects,
    tamper: z.array(z.object({ kind: z.string(), name: z.string(), detail: z.string() }).loose()),
    foreignPrivileges: looseObjects,
    settings: stringMap,
    extensions: z.array(z.string()),
    session: z.object({ tls: z.boolean().nullable() }).loose(),
    tableEncryption: looseObjects,
    capabilities: looseObjects.optional(),
    attestations: z.record(z.string(), z.string()),
    unreadable: z.array(unreadableSchema),
    blobInventory: z
      .object({
        byColumn: z.record(z.string(), z.record(z.string(), z.object({ rows: z.number(), bytes: z.number() }))),
        rows: z.number(),
        bytes: z.number(),
        types: countMap,
        typesByFormat: z.record(z.string(), countMap),
        quartzVersions: countMap.optional(),
        jobClasses: countMap.optional(),
        droppedNames: z.number().optional(),
        unreadable: unreadableSchema.optional(),
      })
      .loose()
      .optional(),
    scheduler: z
      .object({ nowMs: z.number(), timeUnit: z.string(), unreadable: z.array(unreadableSchema) })
      .loose()
      .optional(),
    quartzSchemaColumns: z.array(z.string()).optional(),
    postgres: z.object({}).loose().optional(),
    mysql: z.object({}).loose().optional(),
    sqlite: z.object({}).loose().optional(),
    mssql: z.object({}).loose().optional(),
  })
  .loose();

const evidenceSchema = z
  .object({
    format: z.literal(EVIDENCE_FORMAT),
    version: z.literal(EVIDENCE_VERSION),
    tool: z.object({ name: z.literal('qrtz-audit'), version: z.string() }).loose(),
    startedAt: z.iso.datetime(),
    durationMs: z.number().min(0),
    families: z.array(z.enum(FAMILIES)).min(1),
    checkOptions: z
      .object({
        allowTypes: z.array(z.string()),
        maxBlobSize: z.number().int().positive(),
        allowJobNamespaces: z.array(z.string()),
        misfireThresholdMinutes: z.number().positive(),
        longRunningMinutes: z.number().positive(),
        checkinStaleMinutes: z.number().positive(),
      })
      .strict(),
    facts: factsSchema,
    contentFindings: z.array(findingSchema),
    spilledFindings: z.array(findingSchema),
    config: z
      .object({
        configFiles: z.object({ paths: z.array(z.string()), count: z.number(), environment: z.string() }),
        files: z.array(z.object({ path: z.string(), kind: z.string() })),
        findings: z.array(findingSchema),
      })
      .optional(),
  })
  .strict();

/** The collection's check options as the file records them (no clock: evaluate judges as of startedAt). */
export function collectedCheckOptions(o: CheckOptions): CollectedCheckOptions {
  return {
    allowTypes: [...o.allowTypes],
    maxBlobSize: o.maxBlobSize,
    allowJobNamespaces: [...o.allowJobNamespaces],
    misfireThresholdMinutes: o.misfireThresholdMinutes,
    longRunningMinutes: o.longRunningMinutes,
    checkinStaleMinutes: o.checkinStaleMinutes,
  };
}

/**
 * Writes the evidence file (created or truncated, mode 0600 either way): facts and findings through
 * redactDeep, spilled row findings (already redacted when they spilled) streamed from their temp file.
 */
export function writeEvidence(path: string, ev: Evidence): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'w', 0o600);
    fchmodSync(fd, 0o600);
    const f = fd;
    let buffer = '';
    const out = (s: string) => {
      buffer += s;
      if (buffer.length > 1 << 16) {
        writeSync(f, buffer);
        buffer = '';
      }
    };
    const head = {
      format: EVIDENCE_FORMAT,
      version: EVIDENCE_VERSION,
      tool: { name: 'qrtz-audit', version: toolVersion() },
      startedAt: ev.startedAt,
      durationMs: ev.durationMs,
      families: ev.families,
      checkOptions: redactDeep(ev.checkOptions),
      facts: redactDeep(ev.facts),
      ...(ev.config ? { config: redactDeep(ev.config) } : {}),
    };
    out(JSON.stringify(head).slice(0, -1));
    const list = (name: string, items: Iterable<Finding>, redactEach: boolean) => {
      out(`,${JSON.stringify(name)}:[`);
      let first = true;
      for (const f of items) {
        out(`${first ? '' : ','}\n${JSON.stringify(redactEach ? redactDeep(f) : f)}`);
        first = false;
      }
      out(']');
    };
    list('contentFindings', ev.contentFindings, true);
    // Spilled findings were prepared (redacted) when they spilled, unless the spill had no prepare step.
    list('spilledFindings', ev.spill ? ev.spill.read() : [], !ev.spill?.prepare);
    out('}\n');
    writeSync(f, buffer);
  } catch (err) {
    if ((err as NodeJS.ErrnoException)?.code === undefined) throw err;
    throw new UserError(
      'input',
      `cannot write the evidence file ${escapeControl(path, false)}: ${(err as Error).message}`,
    );
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Checks before connecting that --evidence can be written where it points (one line, exit 2, otherwise). */
export function checkEvidencePath(path: string): void {
  const shown = escapeControl(path, false);
  let dir: ReturnType<typeof statSync> | undefined;
  try {
    dir = statSync(dirname(resolve(path)));
  } catch {
    dir = undefined;
  }
  if (!dir?.isDirectory())
    throw new UserError(
      'usage',
      `--evidence ${shown}: the directory ${escapeControl(dirname(resolve(path)), false)} does not exist`,
    );
  if (existsSync(path) && statSync(path).isDirectory())
    throw new UserError('usage', `--evidence ${shown}: is a directory; give a file name`);
}

/** A map read from the file without a prototype: keys come from the database ("constructor" is just a key). */
function bare<T>(value: T | undefined): T | undefined {
  if (!value || typeof value !== 'object') return value;
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(value)) out[k] = v;
  return out as T;
}

/** Reads and checks an evidence file: every problem is one UserError line (exit 2) naming the file. */
export function readEvidence(path: string): Evidence {
  const { doc, shown } = readBoundedJson(path, {
    maxBytes: EVIDENCE_MAX_BYTES,
    what: 'a qrtz-audit evidence file',
    label: 'the evidence file ',
    reads: 'evaluate reads a file written by scan --evidence',
  });
  const head = (doc ?? {}) as { format?: unknown; version?: unknown };
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || head.format !== EVIDENCE_FORMAT)
    throw new UserError(
      'input',
      `${shown}: not a qrtz-audit evidence file (no "format": "${EVIDENCE_FORMAT}"); evaluate reads a file written by scan --evidence`,
    );
  if (head.version !== EVIDENCE_VERSION) {
    const newer = typeof head.version === 'number' && head.version > EVIDENCE_VERSION;
    throw new UserError(
      'input',
      `${shown}: evidence version ${escapeControl(JSON.stringify(head.version) ?? 'none', false)}; this qrtz-audit ${toolVersion()} reads version ${EVIDENCE_VERSION}${newer ? ' (the file is from a newer qrtz-audit: evaluate it with that version or later)' : ''}`,
    );
  }
  const parsed = evidenceSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(
      'input',
      `${shown}: not a valid qrtz-audit evidence file: ${escapeControl(issue?.path.join('.') || '(root)', false)}: ${escapeControl(issue?.message ?? 'invalid', false)}`,
    );
  }
  // The document itself, not zod's copy (which would rebuild objects and reorder keys).
  const d = doc as z.infer<typeof evidenceSchema> & {
    facts: Facts;
    contentFindings: Finding[];
    spilledFindings: Finding[];
  };
  const facts = d.facts;
  facts.settings = bare(facts.settings) ?? facts.settings;
  facts.attestations = bare(facts.attestations) ?? facts.attestations;
  const inv = facts.blobInventory;
  if (inv) {
    inv.byColumn = bare(inv.byColumn) ?? inv.byColumn;
    inv.types = bare(inv.types) ?? inv.types;
    inv.typesByFormat = bare(inv.typesByFormat) ?? inv.typesByFormat;
    for (const k of Object.keys(inv.typesByFormat)) inv.typesByFormat[k] = bare(inv.typesByFormat[k]) ?? {};
    if (inv.quartzVersions) inv.quartzVersions = bare(inv.quartzVersions);
    if (inv.jobClasses) inv.jobClasses = bare(inv.jobClasses);
  }
  let spill: FindingSpill | undefined;
  if (d.spilledFindings.length) {
    spill = new FindingSpill();
    for (const f of d.spilledFindings) spill.add(f);
  }
  return {
    tool: d.tool,
    facts,
    families: d.families,
    checkOptions: d.checkOptions,
    contentFindings: d.contentFindings,
    ...(spill ? { spill } : {}),
    startedAt: d.startedAt,
    durationMs: d.durationMs,
    ...(d.config ? { config: d.config as Evidence['config'] } : {}),
  };
}
