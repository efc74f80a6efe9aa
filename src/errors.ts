/** Errors that end a run with one clear line and a documented exit code. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
/** An internal error (a bug, or a resource limit the tool hit): one line on stderr. */
export const EXIT_INTERNAL = 3;
/** The audit is incomplete: a check at or above --fail-on could not be evaluated (1 wins when both apply). */
export const EXIT_INCOMPLETE = 4;

export type UserErrorKind =
  | 'usage'
  | 'url'
  | 'connection'
  | 'auth'
  | 'database'
  | 'tables'
  | 'privilege'
  | 'timeout'
  | 'input';

/** An error caused by the user's input or environment: printed as one line, exit code 2. */
export class UserError extends Error {
  readonly kind: UserErrorKind;
  readonly exitCode: number;
  constructor(kind: UserErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserError';
    this.kind = kind;
    this.exitCode = EXIT_USAGE;
  }
}
/** A fleet scan (`scan --config` with several targets): a target could not be audited (1 wins over 5, 5 over 4). */
export const EXIT_TARGET_FAILED = 5;
