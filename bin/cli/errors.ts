/**
 * The two ways a command fails. Both are caught by `main()`, which prints the message on
 * standard error and returns the exit code; no output file has been written by then.
 */

/** The input cannot be read or converted (a bad file, an impossible conversion): exit code 1. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** The command line itself is wrong (unknown command or option, missing argument): exit code 2. */
export class UsageError extends Error {
  /** The command whose usage to point at, or null for the general usage. */
  readonly command: string | null;
  constructor(message: string, command: string | null) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}

export const EXIT_OK = 0;
export const EXIT_BAD_INPUT = 1;
export const EXIT_USAGE = 2;

/** “name”, as every message of Cartography quotes file names. */
export const q = (text: string): string => `“${text}”`;

/** Problems listed under a heading, one (or more) lines each, at most 20: a file with thousands stays readable. */
export function problemsError<T>(heading: string, problems: readonly T[], lines: (problem: T) => string): CliError {
  const listed = problems.slice(0, 20).map(lines);
  if (problems.length > 20) listed.push(`  (and ${problems.length - 20} more problems)`);
  return new CliError([heading, ...listed].join('\n'));
}
