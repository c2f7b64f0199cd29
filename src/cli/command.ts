import type { Io } from './io.js';

/**
 * One `logitfuzz` command. Each lives in its own file and is registered in `commands.ts`.
 *
 * `run` resolves to the exit code (0 fine, 1 a failed verdict) and throws a `UsageError` or
 * `InputError` for exit code 2; `runCli` turns those into one line on stderr. `--help` and `-h`
 * are handled by `runCli` before `run` is called.
 */
export interface Command {
  /** The word after `logitfuzz`. */
  readonly name: string;
  /** One line for `logitfuzz --help`. */
  readonly summary: string;
  /** The full text `logitfuzz CMD --help` prints (usually built by `formatHelp`). */
  readonly help: string;
  run(argv: readonly string[], io: Io): Promise<number>;
}
