/**
 * Shapes shared by suppressions, baselines and the config file (issue #13). The schemas are the one
 * definition: the ignore file, the config file's `suppressions:` key and the JSON report's `suppressed`
 * marker are all validated or typed from here.
 */
import { z } from 'zod';

/** YYYY-MM-DD, a real calendar date (expiry applies from the start of the next day, UTC). */
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    {
      message: 'a real calendar date',
    },
  );

/**
 * One accepted finding: a check id plus an object pattern (glob over the finding's object name) or a
 * fingerprint; a reason is mandatory; expiry and owner are optional.
 */
export const suppressionEntrySchema = z
  .object({
    check: z.string().regex(/^QA-[A-Z]\d{2}$/, 'a check id such as QA-S01'),
    object: z.string().min(1).optional(),
    fingerprint: z
      .string()
      .regex(/^[0-9a-f]{16}$/, 'a 16-hex-digit finding fingerprint')
      .optional(),
    reason: z.string().trim().min(1, 'a reason is mandatory'),
    expires: isoDate.optional(),
    owner: z.string().min(1).optional(),
  })
  .strict()
  .refine((e) => e.object !== undefined || e.fingerprint !== undefined, {
    message: 'an entry needs an object pattern or a fingerprint',
  });
export type SuppressionEntry = z.infer<typeof suppressionEntrySchema>;

/** `.qrtz-audit-ignore.yml`: a list of entries under `suppressions:`. */
export const ignoreFileSchema = z.object({ suppressions: z.array(suppressionEntrySchema) }).strict();

/** What a suppressed finding carries in every machine format (JSON `suppressed`, SARIF `suppressions[]`). */
export interface SuppressionMark {
  reason: string;
  expires?: string;
  owner?: string;
  /** Where the entry came from: the ignore file or the config file, with its entry index. */
  source: string;
}
