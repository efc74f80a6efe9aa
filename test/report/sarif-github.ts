/**
 * The SARIF 2.1.0 structure GitHub code scanning documents ("SARIF support for code scanning") and the
 * errors of Microsoft's validator with GitHub's rules (`sarif-multitool validate --rule-kind "Sarif;Gh"`,
 * GH1001–GH1007 and SARIF2012), as a zod schema plus cross-field checks. The full 2.1.0 JSON schema and the
 * multitool itself are not vendored (no copy here; the multitool needs an npm install): see the report.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const message = z.object({ text: z.string().min(1) }).loose();
const level = z.enum(['none', 'note', 'warning', 'error']);
/** GitHub: a repository-relative path or file path; a URI scheme other than file: is refused. */
const relativeUri = z
  .string()
  .min(1)
  .refine((u) => !/^[a-z][a-z0-9+.-]*:/i.test(u) || u.startsWith('file:'), 'uri must be a relative path');

const rule = z
  .object({
    id: z.string().min(1),
    name: z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/),
    shortDescription: message,
    fullDescription: message,
    help: z.object({ text: z.string().min(1), markdown: z.string().min(1) }).loose(),
    helpUri: z.url(),
    defaultConfiguration: z.object({ level }).loose(),
    properties: z
      .object({
        tags: z.array(z.string().min(1)).min(1),
        'security-severity': z
          .string()
          .regex(/^\d+(\.\d+)?$/)
          .refine((s) => Number(s) > 0 && Number(s) <= 10, 'security-severity in (0, 10]'),
      })
      .loose(),
  })
  .loose();

const result = z
  .object({
    ruleId: z.string().min(1),
    ruleIndex: z.number().int().min(0),
    kind: z.literal('fail'),
    level: z.enum(['note', 'warning', 'error']),
    message,
    locations: z
      .array(
        z
          .object({
            physicalLocation: z
              .object({
                artifactLocation: z.object({ uri: relativeUri, index: z.number().int().min(0).optional() }).loose(),
                region: z.object({ startLine: z.number().int().min(1) }).loose(),
              })
              .loose(),
            logicalLocations: z
              .array(
                z
                  .object({ name: z.string().min(1), fullyQualifiedName: z.string().min(1), kind: z.string().min(1) })
                  .loose(),
              )
              .min(1),
          })
          .loose(),
      )
      .min(1)
      .max(10),
    partialFingerprints: z.record(z.string(), z.string().min(1)),
  })
  .loose();

const notification = z
  .object({
    level,
    message,
    descriptor: z.object({ id: z.string().min(1) }).loose(),
    associatedRule: z
      .object({ id: z.string().min(1), index: z.number().int().min(0) })
      .loose()
      .optional(),
  })
  .loose();

export const githubSarif = z
  .object({
    $schema: z.url(),
    version: z.literal('2.1.0'),
    runs: z
      .array(
        z
          .object({
            tool: z.object({
              driver: z
                .object({
                  name: z.string().min(1),
                  version: z.string().min(1),
                  informationUri: z.url(),
                  rules: z.array(rule).max(25_000),
                })
                .loose(),
            }),
            invocations: z
              .array(
                z
                  .object({
                    executionSuccessful: z.boolean(),
                    toolExecutionNotifications: z.array(notification).optional(),
                  })
                  .loose(),
              )
              .min(1),
            artifacts: z.array(z.object({ location: z.object({ uri: relativeUri }).loose() }).loose()).optional(),
            results: z.array(result).max(25_000),
          })
          .loose(),
      )
      .min(1),
  })
  .loose();

export type GithubSarif = z.infer<typeof githubSarif>;

/** Schema, then what a schema cannot say: unique rule ids, ruleIndex/associatedRule pointing at their rule,
 *  artifact indexes in range. Returns the problems (empty = accepted). */
export function githubSarifProblems(doc: unknown): string[] {
  const parsed = githubSarif.safeParse(doc);
  if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  const out: string[] = [];
  for (const [r, run] of parsed.data.runs.entries()) {
    const ids = run.tool.driver.rules.map((x) => x.id);
    if (new Set(ids).size !== ids.length) out.push(`runs.${r}: duplicate rule ids`);
    for (const [i, res] of run.results.entries()) {
      if (ids[res.ruleIndex] !== res.ruleId) out.push(`runs.${r}.results.${i}: ruleIndex does not name ${res.ruleId}`);
      for (const loc of res.locations) {
        const index = loc.physicalLocation.artifactLocation.index;
        if (index !== undefined && run.artifacts?.[index]?.location.uri !== loc.physicalLocation.artifactLocation.uri)
          out.push(`runs.${r}.results.${i}: artifact index ${index} does not match its uri`);
      }
    }
    for (const inv of run.invocations)
      for (const n of inv.toolExecutionNotifications ?? [])
        if (n.associatedRule && ids[n.associatedRule.index] !== n.associatedRule.id)
          out.push(`runs.${r}: notification names rule ${n.associatedRule.id} at a wrong index`);
  }
  return out;
}

/**
 * The OASIS SARIF 2.1.0 JSON schema, as an extract of the definitions our SARIF uses
 * (test/fixtures/sarif/sarif-schema-2.1.0-extract.json, its description says how it was made), compiled by
 * zod's JSON Schema reader. zod does not enforce `anyOf` branches that hold only `required` (message: text or
 * id; region: startLine…), which githubSarif above checks instead; and it reads `format: uri-reference` as an
 * absolute URL, so that format becomes RFC 3986's character rule for a URI reference (a relative path passes).
 */
export function sarifSchemaProblems(doc: unknown): string[] {
  const schema = JSON.parse(
    readFileSync(new URL('../fixtures/sarif/sarif-schema-2.1.0-extract.json', import.meta.url), 'utf8'),
  );
  const parsed = z
    .fromJSONSchema(uriReferenceAsPattern(schema) as Parameters<typeof z.fromJSONSchema>[0])
    .safeParse(doc);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

/** Replaces `format: uri-reference` with a pattern of the characters RFC 3986 allows in a URI reference. */
function uriReferenceAsPattern(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(uriReferenceAsPattern);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = uriReferenceAsPattern(v);
  if (out.format === 'uri-reference') {
    delete out.format;
    out.pattern = "^[A-Za-z0-9\\-._~:/?#\\[\\]@!$&'()*+,;=%]*$";
  }
  return out;
}
