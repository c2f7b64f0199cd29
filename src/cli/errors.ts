/**
 * Errors a command throws to end with exit code 2 and a one-line message
 * (docs/design.md, "Exit codes and errors": a usage, input or load error, with a message that names the
 * problem). Anything
 * else that escapes a command is an internal error (see `runCli`).
 */
export abstract class CliError extends Error {
  /** The exit code the CLI ends with. */
  readonly exitCode = 2 as const;
}

/**
 * A bad command line: an unknown flag, a bad flag value, a missing argument. The message names
 * the flag and the accepted values; `runCli` adds a pointer to the command's --help.
 */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Bad input data (a malformed stdin line, a logit not in the format, a file that will not load). */
export class InputError extends CliError {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** Collapses a message to one line, so stderr stays one line per error whatever the cause says. */
export function oneLine(message: string): string {
  return message.replace(/\s*\r?\n\s*/g, ' ').trim();
}
