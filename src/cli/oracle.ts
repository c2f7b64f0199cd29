import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { FORMAT_NAMES } from '../vocabulary/FormatName.js';
import { OPS } from '../vocabulary/Op.js';
import { parseArgs, type FlagSpecs } from './args.js';
import type { Command } from './command.js';
import { InputError } from './errors.js';
import { formatHelp } from './help.js';
import { write } from './io.js';
import {
  answerLines,
  LINE_BREAK,
  type LineFailure,
  type LinesAnswer,
  type OracleDefaults,
} from './oracleLines.js';
import type { BatchAnswer, LinesBatch } from './oracleWorker.js';

const FLAGS = {
  op: {
    type: 'string',
    value: 'OP',
    choices: OPS,
    default: 'softmax',
    help: 'op for lines that do not name one',
  },
  format: {
    type: 'string',
    value: 'F',
    choices: FORMAT_NAMES,
    default: 'f64',
    help: 'format for lines that do not name one',
  },
  threads: {
    type: 'integer',
    min: 1,
    max: 64,
    value: 'N',
    help: 'threads that compute, the main one included (default: the number of cores, at most 8; 1: no worker thread)',
  },
} as const satisfies FlagSpecs;

/** What a streamed run did. */
export interface OracleStreamSummary {
  /** Output lines written (one per non-blank input line). */
  readonly lines: number;
  /** Input line numbers (from 1) whose output carries "undetermined". */
  readonly undeterminedLines: readonly number[];
}

/** How `streamOracle` spreads the work. */
export interface OracleStreamOptions {
  /**
   * Threads that compute answers, the calling thread included: N − 1 worker threads are started
   * (1: none, everything is computed on the calling thread).
   * @defaultValue the number of cores (`availableParallelism()`), at most 8
   */
  readonly threads?: number;
  /**
   * Lines answered on the calling thread before any worker thread starts, so that a short input
   * (an example, a test, a co-process's first lines) never waits for threads to start.
   * @defaultValue 256
   */
  readonly inlineLines?: number;
}

/** Most threads `streamOracle` starts by default. */
const MAX_DEFAULT_THREADS = 8;
/**
 * A batch is at most this many lines or characters (whichever comes first) of what the input
 * has delivered: big enough that posting it costs little against answering it (a line of 256
 * logits takes about 120 µs: 0.47 µs per element on one thread, oracleCli.bench.ts), small enough that the threads share the work evenly.
 */
const BATCH_LINES = 64;
const BATCH_CHARS = 1 << 19;
/** Batches in flight per worker thread: one being answered, one waiting, so none idles. */
const IN_FLIGHT_PER_THREAD = 2;

/**
 * Streams `logitfuzz oracle`: reads JSON lines from `input`, writes one JSON line per non-blank
 * input line to `output`, in order (docs/design.md, "The oracle command").
 *
 * Lines are cut as readline cuts them (\n, \r\n or a lone \r) and answered in batches of what
 * the input has delivered (`answerLines`): on this thread for the first `inlineLines` lines, then
 * on `threads` − 1 worker threads and this one (which takes a batch whenever every worker has
 * IN_FLIGHT_PER_THREAD), each batch's answer written as soon as every batch before it is.
 * So a program can use this as a co-process, one line in, one line out, and a long input keeps
 * every core busy; the output is the same for any number of threads.
 *
 * Memory stays bounded however long the input: at most IN_FLIGHT_PER_THREAD batches per thread
 * are in flight, the input is not read while they are, and `write` waits for 'drain' when the
 * reader of `output` is slower than we are.
 *
 * Throws an `InputError` naming the line number at the first bad line; the answers to the lines
 * before it are written first. A failure of the oracle on a good line is an internal error, with
 * its line number too.
 */
export async function streamOracle(
  input: Readable,
  output: Writable,
  defaults: OracleDefaults,
  options: OracleStreamOptions = {},
): Promise<OracleStreamSummary> {
  const threads = options.threads ?? Math.min(availableParallelism(), MAX_DEFAULT_THREADS);
  if (!Number.isInteger(threads) || threads < 1)
    throw new RangeError(`streamOracle: threads must be an integer ≥ 1, got ${threads}`);
  const inlineLines = options.inlineLines ?? 256;
  let lines = 0;
  const undeterminedLines: number[] = [];
  let failure: LineFailure | undefined;
  // a write that failed (the reader went away): the run ends with it, and nothing more is written
  let writeError: unknown;
  let writeFailed = false;

  // answers are written in batch order: `done` holds those that came back out of turn
  const done = new Map<number, LinesAnswer>();
  let submitted = 0;
  let written = 0;
  let writing: Promise<void> = Promise.resolve();
  let slotFreed: (() => void) | undefined;
  const take = (a: LinesAnswer): string => {
    lines += a.lines;
    for (const l of a.undeterminedLines) undeterminedLines.push(l);
    if (a.failure !== undefined) failure ??= a.failure;
    return a.text;
  };
  const drain = async (): Promise<void> => {
    let text = '';
    while (failure === undefined) {
      const a = done.get(written);
      if (a === undefined) break;
      done.delete(written);
      written++;
      text += take(a);
    }
    if (text !== '' && !writeFailed) {
      try {
        await write(output, text);
      } catch (e) {
        writeFailed = true;
        writeError = e;
      }
    }
    // after the write, so that a waiting reader of the input sees a failed write at once
    slotFreed?.();
  };
  const answered = (id: number, a: LinesAnswer): void => {
    done.set(id, a);
    writing = writing.then(drain);
  };

  let pool: ThreadPool | null = null;
  try {
    for await (const batch of lineBatches(input)) {
      if (failure !== undefined || writeFailed) break;
      const id = submitted++;
      if (threads > 1 && pool === null && batch.first + batch.count - 1 > inlineLines)
        pool = new ThreadPool(threads - 1, answered);
      // a worker with room takes the batch, else this thread answers it: `threads` threads
      // compute in all, this one included, so that no core has two of them to run
      if (pool === null) {
        answered(id, answerLines(batch.text, batch.first, defaults));
        await writing;
      } else if (!pool.trySubmit({ id, first: batch.first, text: batch.text, defaults })) {
        answered(id, await answerInSlices(batch, defaults));
        await writing;
      }
      // wait for a free slot before reading on, so that memory stays bounded
      while (
        pool !== null &&
        submitted - written >= threads * IN_FLIGHT_PER_THREAD &&
        failure === undefined &&
        !writeFailed
      ) {
        await Promise.race([new Promise<void>((r) => (slotFreed = r)), pool.failed]);
      }
    }
    while (written < submitted && failure === undefined && !writeFailed) {
      if (pool === null) break;
      await Promise.race([new Promise<void>((r) => (slotFreed = r)), pool.failed]);
    }
    await writing;
  } finally {
    await pool?.close();
  }
  if (writeFailed) throw writeError;
  if (failure !== undefined) {
    const message = `line ${failure.lineNo}: ${failure.message}`;
    if (failure.kind === 'input') throw new InputError(message);
    throw new Error(message);
  }
  return { lines, undeterminedLines };
}

/** Lines the main thread answers between two turns of its event loop while workers run. */
const SLICE_LINES = 4;

/**
 * `answerLines` on a batch a few lines at a time, letting the event loop turn in between: while
 * the main thread computes, it must still read the input (a pipe holds 64 KiB, about one batch:
 * its writer waits until we read), take the workers' answers and hand them new batches, or the
 * workers starve (measured: a fifth of the worker's time idle through a pipe, against a
 * twelfth reading a file). A batch's text holds no \r (lineBatches), so lines end at \n.
 */
async function answerInSlices(b: Batch, defaults: OracleDefaults): Promise<LinesAnswer> {
  let text = '';
  let lines = 0;
  const undeterminedLines: number[] = [];
  let lineNo = b.first;
  for (let pos = 0; pos < b.text.length;) {
    let end = pos;
    let count = 0;
    while (end < b.text.length && count < SLICE_LINES) {
      const nl = b.text.indexOf('\n', end);
      end = nl < 0 ? b.text.length : nl + 1;
      count++;
    }
    const a = answerLines(b.text.slice(pos, end), lineNo, defaults);
    text += a.text;
    lines += a.lines;
    for (const l of a.undeterminedLines) undeterminedLines.push(l);
    if (a.failure !== undefined) return { text, lines, undeterminedLines, failure: a.failure };
    lineNo += count;
    pos = end;
    if (pos < b.text.length) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { text, lines, undeterminedLines };
}

/** Consecutive input lines, the first numbered `first` (from 1), as `answerLines` takes them. */
interface Batch {
  readonly first: number;
  /** Lines in `text`. */
  readonly count: number;
  /** The lines, each ended by a line break but perhaps the last of the input. */
  readonly text: string;
}

/**
 * The lines of `input` in batches of at most BATCH_LINES lines or BATCH_CHARS characters, each
 * made of what one read delivered (so a line is answered as soon as it has arrived). A \r at
 * the end of a read waits for the next, which may start with its \n.
 *
 * This runs on the main thread while the workers answer, so it does not split lines apart: it
 * finds each batch's end with indexOf and hands on a slice of the text (one string to copy
 * to a worker instead of 64). A read with a \r in it (a \r\n or lone \r break) is split with
 * LINE_BREAK instead, and its batches rejoined with \n.
 */
async function* lineBatches(input: Readable): AsyncGenerator<Batch> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let next = 1;
  function* cut(text: string, final: boolean): Generator<Batch> {
    let upTo = text.length;
    if (!final) {
      const end = text.endsWith('\r') ? text.length - 1 : text.length;
      upTo = Math.max(text.lastIndexOf('\n', end - 1), text.lastIndexOf('\r', end - 1)) + 1;
    }
    carry = text.slice(upTo);
    if (upTo === 0) return;
    const cr = text.indexOf('\r');
    if (cr >= 0 && cr < upTo) {
      const parts = text.slice(0, upTo).split(LINE_BREAK);
      // a text that ends with a break leaves an empty last part, which is not a line
      if (parts[parts.length - 1] === '') parts.pop();
      for (let start = 0; start < parts.length;) {
        let end = start;
        let chars = 0;
        while (end < parts.length && end - start < BATCH_LINES && chars < BATCH_CHARS)
          chars += parts[end++].length;
        yield { first: next, count: end - start, text: parts.slice(start, end).join('\n') };
        next += end - start;
        start = end;
      }
      return;
    }
    for (let start = 0; start < upTo;) {
      let end = start;
      let count = 0;
      while (end < upTo && count < BATCH_LINES && end - start < BATCH_CHARS) {
        const nl = text.indexOf('\n', end);
        end = nl < 0 || nl >= upTo ? upTo : nl + 1;
        count++;
      }
      yield { first: next, count, text: text.slice(start, end) };
      next += count;
      start = end;
    }
  }
  for await (const chunk of input as AsyncIterable<string | Buffer>) {
    yield* cut(carry + (typeof chunk === 'string' ? chunk : decoder.write(chunk)), false);
  }
  yield* cut(carry + decoder.end(), true);
}

/** The worker entry beside this module; from TypeScript sources (tests), the compiled one in dist/. */
const WORKER = ((): string => {
  const here = fileURLToPath(new URL('./oracleWorker.js', import.meta.url));
  if (existsSync(here)) return here;
  return fileURLToPath(new URL('../../dist/src/cli/oracleWorker.js', import.meta.url));
})();

/** Worker threads answering batches. */
class ThreadPool {
  private readonly workers: { readonly worker: Worker; inFlight: number }[] = [];
  /** Rejects when a thread fails (it cannot: answerLines catches; a crash is a bug). */
  readonly failed: Promise<never>;

  constructor(size: number, onAnswer: (id: number, answer: LinesAnswer) => void) {
    let fail: (e: Error) => void = () => undefined;
    this.failed = new Promise<never>((_, reject) => (fail = reject));
    this.failed.catch(() => undefined); // raced, not always awaited
    for (let i = 0; i < size; i++) {
      const worker = new Worker(WORKER);
      const slot = { worker, inFlight: 0 };
      worker.on('message', (m: BatchAnswer) => {
        slot.inFlight--;
        onAnswer(m.id, m.answer);
      });
      worker.on('error', (e) => fail(new Error(`oracle worker thread failed: ${e.message}`, { cause: e })));
      worker.on('exit', (code) => {
        if (slot.inFlight > 0)
          fail(new Error(`oracle worker thread exited (code ${code}) with batches in flight`));
      });
      this.workers.push(slot);
    }
  }

  /** Posts `batch` to the thread with the fewest in flight, unless every one has IN_FLIGHT_PER_THREAD. */
  trySubmit(batch: LinesBatch): boolean {
    let best = this.workers[0];
    for (const w of this.workers) if (w.inFlight < best.inFlight) best = w;
    if (best.inFlight >= IN_FLIGHT_PER_THREAD) return false;
    best.inFlight++;
    best.worker.postMessage(batch);
    return true;
  }

  async close(): Promise<void> {
    for (const w of this.workers) w.inFlight = 0;
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}

export const oracleCommand: Command = {
  name: 'oracle',
  summary: 'correctly rounded softmax & co. of JSON lines on stdin',
  help: formatHelp({
    name: 'oracle',
    synopsis: '[--op OP] [--format F] < lines.jsonl',
    description: [
      'Reads JSON lines on stdin, each an array of logits or an object {"op","format","x","label"} (its fields override the flags), and writes one JSON line per input line, in order: {"y":[...]} for softmax, log_softmax and cross_entropy_grad, {"y":v} for logsumexp and cross_entropy. Blank lines are skipped.',
      'Each value is the exact result rounded to nearest (ties to even) directly into the format. Numbers are plain JSON numbers (the shortest text that round-trips) except "inf", "-inf", "nan" and "-0", which are strings, in the input too. Logits are read as binary64 and must be exactly representable in the format (0.1 is an error with --format f32).',
      'Lines are answered in batches of what has arrived, on worker threads once the input is longer than 256 lines (--threads 1: on the main thread only); the output does not depend on the number of threads, and each answer is written as soon as the lines before it are answered, so the command can serve as a co-process.',
      'A bad line stops the run with exit code 2 and a message naming its line number; the lines before it are already written. Should the oracle fail to decide an element\'s rounding, its line carries "undetermined": [indices] and a warning ends the run.',
    ],
    flags: FLAGS,
    examples: [
      "echo '[0, -700, -745, -1000]' | logitfuzz oracle --format f64",
      'echo \'{"op":"cross_entropy","x":[1,2,3],"label":0}\' | logitfuzz oracle',
      "echo '[1e17, 1e17]' | logitfuzz oracle --op log_softmax",
    ],
  }),
  async run(argv, io) {
    const { flags } = parseArgs(argv, FLAGS, { command: 'oracle' });
    const summary = await streamOracle(
      io.stdin,
      io.stdout,
      { op: flags.op, format: flags.format },
      flags.threads === undefined ? {} : { threads: flags.threads },
    );
    const u = summary.undeterminedLines;
    if (u.length > 0) {
      const shown = u.slice(0, 10).join(', ') + (u.length > 10 ? ', …' : '');
      await write(
        io.stderr,
        `logitfuzz oracle: warning: ${u.length} line(s) have elements whose rounding was not decided (lines ${shown}); ` +
          'they are listed in "undetermined" and hold the nearer candidate\n',
      );
    }
    return 0;
  },
};
