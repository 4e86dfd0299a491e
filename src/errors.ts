/**
 * The three kinds of failure:
 * - AbortError: the user must act; carries what to do next.
 * - BugError: our fault; report it.
 * - one device failing inside a fleet run is a Result value, never an exception.
 */

/** Exit codes of every subcommand (docs/cli.md). */
export const ExitCode = {
  /** Everything succeeded. */
  Ok: 0,
  /** Usage, set-up or connection error of the command itself. */
  Error: 1,
  /** The command ran but some devices or items failed. */
  PartialFailure: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A failure the user can fix: says what failed, where, and what to do. */
export class AbortError extends Error {
  override readonly name = 'AbortError';
  constructor(
    message: string,
    /** What to do next, in the present tense. */
    readonly tryMessage?: string,
  ) {
    super(message);
  }
}

/**
 * A flag value or argument the command cannot take: printed with a pointer to the subcommand's --help and
 * docs/cli.md (bin/callhome.ts), exit 1.
 */
export class UsageError extends AbortError {}

/** A failure that is a defect in callhome itself. */
export class BugError extends Error {
  override readonly name = 'BugError';
}

/** Formats any thrown value for a terminal, with the next step when there is one. */
export function describeError(error: unknown): string {
  if (error instanceof AbortError) {
    return error.tryMessage ? `Error: ${error.message}\n${error.tryMessage}` : `Error: ${error.message}`;
  }
  if (error instanceof BugError) {
    return `Internal error (please report it): ${error.message}`;
  }
  if (error instanceof Error) return `Error: ${error.message}`;
  return `Error: ${String(error)}`;
}
