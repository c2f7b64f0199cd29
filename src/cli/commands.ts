import { benchCommand } from './bench.js';
import type { Command } from './command.js';
import { listCommand } from './list.js';
import { mergeCommand } from './merge.js';
import { oracleCommand } from './oracle.js';
import { replayCommand } from './replay.js';
import { runCommand } from './run.js';
import { vetCommand } from './vet.js';

/**
 * Every `logitfuzz` command, in the order `logitfuzz --help` lists them. A new command is one
 * file exporting a `Command` and one line here.
 */
export const COMMANDS: readonly Command[] = [runCommand, vetCommand, replayCommand, mergeCommand, oracleCommand, listCommand, benchCommand];

/** The command named `name`, if any. */
export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
