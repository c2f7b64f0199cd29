import type { Command } from './command.js';
import { COMMANDS, findCommand } from './commands.js';
import { CliError, oneLine, UsageError } from './errors.js';
import { write, type Io } from './io.js';
import { logitfuzzVersion } from './version.js';

/** `logitfuzz --help`: the commands and the exit codes. */
function globalHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'logitfuzz — numerical-stability harness and fuzzer for softmax, log_softmax, logsumexp and cross-entropy',
    '',
    'Usage: logitfuzz <command> [flags]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'logitfuzz help <command>' or 'logitfuzz <command> --help' for a command's flags.",
    'Flags: --help, --version.',
    'Exit codes: 0 fine; 1 a failed verdict; 2 a usage, input or load error (one line on stderr).',
    'Set LOGITFUZZ_DEBUG=1 to see the stack trace of an internal error.',
    '',
  ].join('\n');
}

function unknownCommand(name: string, commands: readonly Command[]): UsageError {
  return new UsageError(
    `unknown command '${name}'; the commands are ${commands.map((c) => c.name).join(', ')} (see 'logitfuzz --help')`,
  );
}

/** True when argv asks for help: `--help` or `-h` before any `--`. */
function wantsHelp(argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

/**
 * Runs `logitfuzz ARGV` and resolves to the exit code; never throws and never prints a stack
 * trace unless asked to.
 *
 * - `--help`/`-h`/`help` print the command list; `help CMD` and `CMD --help` a command's help.
 * - `--version` prints the version.
 * - A `UsageError` or `InputError` from a command: one line `logitfuzz CMD: message` on stderr
 *   (usage errors point to `--help`), exit 2.
 * - Anything else is an internal error: one line with its message and the hint to set
 *   LOGITFUZZ_DEBUG=1, which prints the stack (and its causes') as well. Exit 2: the run did not
 *   produce a verdict, so it must not read as a pass (0) or a plain failure (1).
 *
 * `commands` is injectable so tests can register a command that throws.
 */
export async function runCli(
  argv: readonly string[],
  io: Io,
  commands: readonly Command[] = COMMANDS,
): Promise<number> {
  const find = commands === COMMANDS ? findCommand : (n: string) => commands.find((c) => c.name === n);
  let prefix = 'logitfuzz';
  let command: Command | undefined;
  try {
    const [first, ...rest] = argv;
    if (first === undefined) {
      throw new UsageError(
        `no command given; the commands are ${commands.map((c) => c.name).join(', ')} (see 'logitfuzz --help')`,
      );
    }
    if (first === '--help' || first === '-h' || (first === 'help' && rest.length === 0)) {
      await write(io.stdout, globalHelp(commands));
      return 0;
    }
    if (first === '--version' || first === '-V') {
      await write(io.stdout, `${logitfuzzVersion()}\n`);
      return 0;
    }
    if (first === 'help') {
      const c = find(rest[0]);
      if (!c) throw unknownCommand(rest[0], commands);
      await write(io.stdout, c.help);
      return 0;
    }
    if (first.startsWith('-'))
      throw new UsageError(
        `unknown flag ${first} before the command; the global flags are --help and --version`,
      );
    command = find(first);
    if (!command) throw unknownCommand(first, commands);
    prefix = `logitfuzz ${command.name}`;
    if (wantsHelp(rest)) {
      await write(io.stdout, command.help);
      return 0;
    }
    return await command.run(rest, io);
  } catch (err) {
    let line: string;
    if (err instanceof CliError) {
      const hint = err instanceof UsageError && command ? ` (see 'logitfuzz ${command.name} --help')` : '';
      line = `${prefix}: ${oneLine(err.message)}${hint}`;
    } else {
      const message = err instanceof Error ? err.message : String(err);
      line = `${prefix}: internal error: ${oneLine(message)} (set LOGITFUZZ_DEBUG=1 to see the stack)`;
      if (io.env.LOGITFUZZ_DEBUG && io.env.LOGITFUZZ_DEBUG !== '0')
        line = `${prefix}: internal error:\n${stackOf(err)}`;
    }
    try {
      await write(io.stderr, line + '\n');
    } catch {
      // stderr itself is gone: nothing left to tell anyone
    }
    return 2;
  }
}

/** The stack of an error and of its `cause` chain. */
function stackOf(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e !== undefined && depth < 10; depth++) {
    parts.push(e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e));
    e = e instanceof Error ? e.cause : undefined;
    if (e !== undefined) parts.push('Caused by:');
  }
  return parts.join('\n');
}
