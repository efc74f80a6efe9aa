/**
 * The config file (`scan --config qrtz-audit.yml`, issue #13 part 4): one zod schema, strict at every level
 * (an unknown key is an error naming the keys expected there). Settings may be given at the top level (every
 * target) and again in a target (that target only); command-line flags override both (src/runconfig/merge.ts).
 *
 * Passwords only by reference: `passwordEnv: VAR`, `passwordFile: PATH`, or the driver's own mechanisms
 * (~/.pgpass, pg_service.conf, ~/.my.cnf, PGPASSWORD / MYSQL_PWD). A `password:` key, or a password inside a
 * URL or connection string, is an error that says so — and never repeats the value.
 */
import { z } from 'zod';
import { suppressionEntrySchema } from '../compliance/schema.js';
import { FAMILIES, FAMILY_ALIASES, SEVERITIES } from '../model.js';
import { FORMATS } from '../report/index.js';

/** What an inline password error says (the value is never repeated). */
export const INLINE_PASSWORD_HELP =
  'an inline password is not allowed: use passwordEnv: VAR (an environment variable), passwordFile: PATH (mode 0600), or the driver’s own (~/.pgpass, pg_service.conf, ~/.my.cnf, PGPASSWORD / MYSQL_PWD)';

/** Target names become directory names and metric labels: letters, digits, `.`, `_`, `-`. */
export const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const nonEmpty = z.string().trim().min(1);
const failOn = z.enum(SEVERITIES.filter((s) => s !== 'info') as [string, ...string[]]);
const family = z.enum([...FAMILIES, ...Object.keys(FAMILY_ALIASES)] as [string, ...string[]]);
/** A duration: milliseconds as a number, or a string with a unit (`2s`, `1.5min`), as the flags take. */
const duration = z.union([
  z.int().positive(),
  z.string().regex(/^\s*\d+(\.\d+)?\s*(ms|s|min|h)?\s*$/i, 'a duration such as 2000, 2s or 1.5min'),
]);
const minutes = z.int().positive();
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name');

export const thresholdsSchema = z
  .object({
    maxBlobSize: z
      .int()
      .positive()
      .max(1024 * 1024 * 1024),
    statementTimeout: duration,
    lockTimeout: duration,
    connectTimeout: duration,
    misfireThreshold: minutes,
    longRunning: minutes,
    checkinStale: minutes,
  })
  .partial()
  .strict();

/** Settings a target may override (the same keys as the top level's). */
export const settingsShape = {
  schema: nonEmpty.optional(),
  tablePrefix: nonEmpty.optional(),
  serviceAccount: nonEmpty.optional(),
  allowPrincipals: z.array(nonEmpty).optional(),
  allowTypes: z.array(nonEmpty).optional(),
  allowJobNamespaces: z.array(nonEmpty).optional(),
  only: z.array(family).min(1).optional(),
  skip: z.array(family).min(1).optional(),
  thresholds: thresholdsSchema.optional(),
  severityOverrides: z
    .record(
      z.string().regex(/^QA-[A-Z]\d{2}$/, 'a check id such as QA-G04'),
      z.enum(SEVERITIES as [string, ...string[]]),
    )
    .optional(),
  attestations: z
    .record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'an attestation key such as at-rest'), nonEmpty)
    .optional(),
  failOn: failOn.optional(),
  allowIncomplete: z.boolean().optional(),
  sqliteImmutable: z.boolean().optional(),
  sqlcipherKeyEnv: envName.optional(),
  myCnf: z.boolean().optional(),
  /** A baseline per target (fingerprints do not name the target) or for all; an ignore file likewise. */
  baseline: nonEmpty.optional(),
  ignoreFile: nonEmpty.optional(),
} as const;

/** Where a password would be inline: `user:pass@` in a URL, `password=`/`pwd=` in a connection string. */
export function holdsInlinePassword(text: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/@\s:]*:[^@/\s]+@/i.test(text)) return true;
  return /(^|[;?&\s])\s*(password|pwd)\s*=\s*[^;&\s]/i.test(text);
}

export const targetSchema = z
  .object({
    name: z.string().regex(TARGET_NAME, 'a name of letters, digits, ".", "_" or "-" (at most 64)'),
    /** A URL, a JDBC URL, libpq keywords or an ADO.NET string (no password), or a .db path. */
    url: nonEmpty.optional(),
    connectionStringEnv: envName.optional(),
    /** ...or parts: dialect plus host/port/database/user (servers) or path (SQLite). */
    dialect: z.enum(['postgres', 'mysql', 'mariadb', 'mssql', 'sqlite']).optional(),
    host: nonEmpty.optional(),
    port: z.int().min(1).max(65535).optional(),
    database: nonEmpty.optional(),
    user: nonEmpty.optional(),
    path: nonEmpty.optional(),
    passwordEnv: envName.optional(),
    passwordFile: nonEmpty.optional(),
    /** Refused with INLINE_PASSWORD_HELP (declared so the message can say how to fix it). */
    password: z.unknown().optional(),
    ...settingsShape,
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.password !== undefined) ctx.addIssue({ code: 'custom', path: ['password'], message: INLINE_PASSWORD_HELP });
    if (t.url !== undefined && holdsInlinePassword(t.url))
      ctx.addIssue({ code: 'custom', path: ['url'], message: `the URL holds a password: ${INLINE_PASSWORD_HELP}` });
    const parts = (['host', 'port', 'database', 'user', 'path'] as const).filter((k) => t[k] !== undefined);
    const given = [t.url !== undefined, t.connectionStringEnv !== undefined].filter(Boolean).length;
    if (given > 1 || (given === 0 && t.dialect === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [],
        message:
          'a target needs exactly one of url, connectionStringEnv, or dialect with its parts (host, port, database, user; path for sqlite)',
      });
    if (given === 1)
      for (const k of parts)
        ctx.addIssue({
          code: 'custom',
          path: [k],
          message: `${k} goes with dialect and no url/connectionStringEnv (or write it into the URL)`,
        });
    if (given === 1 && t.dialect === 'sqlite')
      ctx.addIssue({
        code: 'custom',
        path: ['dialect'],
        message:
          'with url, dialect only says which database an ADO.NET string is for (postgres, mysql, mariadb, mssql)',
      });
    if (given === 0 && t.dialect === 'sqlite' && t.path === undefined)
      ctx.addIssue({ code: 'custom', path: ['path'], message: 'missing (expected the SQLite file path)' });
    if (given === 0 && t.dialect === 'sqlite')
      for (const k of parts.filter((p) => p !== 'path'))
        ctx.addIssue({ code: 'custom', path: [k], message: `${k} does not apply to sqlite (give path)` });
    if (given === 0 && t.dialect !== undefined && t.dialect !== 'sqlite') {
      if (t.host === undefined)
        ctx.addIssue({ code: 'custom', path: ['host'], message: 'missing (expected the server host)' });
      if (t.path !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['path'],
          message: 'path is for sqlite (give host, port, database, user)',
        });
    }
    if (t.passwordEnv !== undefined && t.passwordFile !== undefined)
      ctx.addIssue({ code: 'custom', path: ['passwordFile'], message: 'give passwordEnv or passwordFile, not both' });
  });
export type TargetConfig = z.infer<typeof targetSchema>;

export const outputsSchema = z
  .object({
    formats: z
      .array(z.enum(FORMATS as [string, ...string[]]))
      .min(1)
      .optional(),
    dir: nonEmpty.optional(),
  })
  .strict();

export const runConfigSchema = z
  .object({
    version: z.literal(1).optional(),
    targets: z.array(targetSchema).min(1),
    ...settingsShape,
    password: z.unknown().optional(),
    suppressions: z.array(suppressionEntrySchema).optional(),
    fingerprintKeyEnv: envName.optional(),
    outputs: outputsSchema.optional(),
    concurrency: z.int().min(1).max(64).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.password !== undefined) ctx.addIssue({ code: 'custom', path: ['password'], message: INLINE_PASSWORD_HELP });
    const seen = new Map<string, number>();
    c.targets.forEach((t, i) => {
      const prev = seen.get(t.name.toLowerCase());
      if (prev !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['targets', i, 'name'],
          message: `duplicate target name (targets[${prev}] has it; names are compared ignoring case)`,
        });
      else seen.set(t.name.toLowerCase(), i);
    });
  });
export type RunConfig = z.infer<typeof runConfigSchema>;

/** The keys expected where an unknown key was found (for the one-line error). */
export function keysExpectedAt(path: readonly PropertyKey[]): string[] {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (last === 'thresholds') return Object.keys(thresholdsSchema.shape);
  if (last === 'outputs') return Object.keys(outputsSchema.shape);
  if (parent === 'suppressions') return ['check', 'object', 'fingerprint', 'reason', 'expires', 'owner'];
  if (parent === 'targets') return Object.keys(targetSchema.shape).filter((k) => k !== 'password');
  return Object.keys(runConfigSchema.shape).filter((k) => k !== 'password');
}
