import { benchCommand } from './bench.js';
import { compareCommand } from './compare.js';
import type { Command } from './command.js';
import { listCommand } from './list.js';
import { casesCommand } from './cases.js';
import { mergeCommand } from './merge.js';
import { scoreCommand } from './score.js';
import { oracleCommand } from './oracle.js';
import { replayCommand } from './replay.js';
import { runCommand } from './run.js';
import { surveyCommand } from './survey.js';
import { vetCommand } from './vet.js';

/**
 * Every `logitfuzz` command, in the order `logitfuzz --help` lists them. A new command is one
 * file exporting a `Command` and one line here.
 */
export const COMMANDS: readonly Command[] = [
  runCommand,
  vetCommand,
  surveyCommand,
  replayCommand,
  mergeCommand,
  compareCommand,
  casesCommand,
  scoreCommand,
  oracleCommand,
  listCommand,
  benchCommand,
];

/** The command named `name`, if any. */
export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
