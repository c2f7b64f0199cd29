import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { FORMAT_NAMES } from '../vocabulary/FormatName.js';
import { encodeNumber, encodeVector } from '../formats/jsonNumber.js';
import { oracle } from '../oracle/index.js';
import { isScalarOp, OPS } from '../vocabulary/Op.js';
import { OracleInputError } from '../oracle/types.js';
import { parseArgs, type FlagSpecs } from './args.js';
import type { Command } from './command.js';
import { InputError } from './errors.js';
import { formatHelp } from './help.js';
import { write } from './io.js';
import { parseOracleRequest, RequestError } from './oracleRequest.js';

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
} as const satisfies FlagSpecs;

/** What a streamed run did. */
export interface OracleStreamSummary {
  /** Output lines written (one per non-blank input line). */
  readonly lines: number;
  /** Input line numbers (from 1) whose output carries "undetermined". */
  readonly undeterminedLines: readonly number[];
}

/**
 * Streams `logitfuzz oracle`: reads JSON lines from `input`, writes one JSON line per non-blank
 * input line to `output`, in order (docs/design.md, "The oracle command").
 *
 * Memory stays bounded however long the input: readline's async iterator pauses the input when
 * more than its high-water mark of lines is waiting (Node ≥ 20), and `write` waits for 'drain'
 * when the reader of `output` is slower than we are. Lines are written as they are computed (not
 * batched), so a program can use this as a co-process, one line in, one line out.
 *
 * Throws an `InputError` naming the line number at the first bad line; lines already written
 * stay written.
 */
export async function streamOracle(
  input: Readable,
  output: Writable,
  defaults: Parameters<typeof parseOracleRequest>[1],
): Promise<OracleStreamSummary> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  let lines = 0;
  const undeterminedLines: number[] = [];
  try {
    for await (const text of rl) {
      lineNo++;
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        throw new InputError(`line ${lineNo}: malformed JSON (${(e as Error).message})`);
      }
      let out: string;
      try {
        const req = parseOracleRequest(value, defaults);
        const result = oracle(req.op, req.format, req.x, req.label);
        const y = isScalarOp(req.op) ? encodeNumber(result.values[0]) : encodeVector(result.values);
        if (result.undetermined.length > 0) {
          undeterminedLines.push(lineNo);
          out = JSON.stringify({ y, undetermined: result.undetermined });
        } else out = JSON.stringify({ y });
      } catch (e) {
        // the oracle checks its inputs too; whatever it rejects is still this line's fault
        if (e instanceof RequestError || e instanceof OracleInputError)
          throw new InputError(`line ${lineNo}: ${e.message}`);
        // an internal error: still say which line triggered it, keeping the original as the cause
        throw new Error(`line ${lineNo}: ${(e as Error).message}`, { cause: e });
      }
      await write(output, out + '\n');
      lines++;
    }
  } finally {
    rl.close();
  }
  return { lines, undeterminedLines };
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
    const summary = await streamOracle(io.stdin, io.stdout, { op: flags.op, format: flags.format });
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
