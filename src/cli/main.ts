#!/usr/bin/env node
/**
 * The `logitfuzz` bin: runs the command line through `runCli` on the process's own streams,
 * then exits with its code.
 */
import { processIo } from './io.js';
import { runCli } from './runCli.js';

// The reader of our output went away (`logitfuzz oracle < big | head -1`): stop quietly, as
// Unix tools do, instead of dying on an unhandled 'error' event with a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  process.stderr.write(`logitfuzz: cannot write the output: ${err.message}\n`);
  process.exit(2);
});

const code = await runCli(process.argv.slice(2), processIo());
// Wait until what was written has been handed to the OS, then exit explicitly: a command may
// leave handles behind that would keep the process alive after its work is done (a GPU device
// whose setup timed out during `list`, a third-party library's worker threads).
await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
process.exit(code);
