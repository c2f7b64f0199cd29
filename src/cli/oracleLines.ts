import { encodeNumber, encodeVector } from '../formats/jsonNumber.js';
import { oracle } from '../oracle/index.js';
import { OracleInputError } from '../oracle/types.js';
import type { FormatName } from '../vocabulary/FormatName.js';
import { isScalarOp, type Op } from '../vocabulary/Op.js';
import { parseOracleRequest, RequestError } from './oracleRequest.js';

/** The op and format of lines that do not name them (the command's flags). */
export interface OracleDefaults {
  readonly op: Op;
  readonly format: FormatName;
}

/** The first bad line of a batch, by its line number in the whole input (from 1). */
export interface LineFailure {
  readonly lineNo: number;
  /**
   * `input`: the line is bad (malformed JSON, a bad request, a logit the oracle rejects), exit 2;
   * `internal`: the oracle failed on a good line (a bug), kept apart so that the CLI says so.
   */
  readonly kind: 'input' | 'internal';
  /** The problem, without the line number. */
  readonly message: string;
}

/** What a batch of input lines gives: a plain, cloneable value (it crosses from worker threads). */
export interface LinesAnswer {
  /** One output line (with its '\n') per non-blank input line, in order, up to `failure`. */
  readonly text: string;
  /** Output lines in `text`. */
  readonly lines: number;
  /** Line numbers whose output carries "undetermined". */
  readonly undeterminedLines: number[];
  /** The first bad line, when one stopped the batch; `text` holds the lines before it. */
  readonly failure?: LineFailure;
}

/** A line break as readline (crlfDelay: Infinity) sees one. */
export const LINE_BREAK = /\r\n|\r|\n/;

/**
 * Answers consecutive lines of `logitfuzz oracle`'s input (`input`, each line ended by a line
 * break but perhaps the last), the first numbered `firstLineNo` (docs/design.md, "The oracle command"): each non-blank line gives {"y": ...} (with
 * "undetermined" when the oracle left elements undecided); blank lines give nothing. Stops at
 * the first bad line and says which, keeping the answers before it.
 *
 * The same function serves the main thread and the worker threads (oracleWorker.ts), so that the
 * output does not depend on how many threads computed it.
 */
export function answerLines(input: string, firstLineNo: number, defaults: OracleDefaults): LinesAnswer {
  const lines = input.split(LINE_BREAK);
  // a text that ends with a break leaves an empty last part, which is not a line
  if (lines[lines.length - 1] === '') lines.pop();
  let text = '';
  let count = 0;
  const undeterminedLines: number[] = [];
  for (let j = 0; j < lines.length; j++) {
    const line = lines[j];
    const lineNo = firstLineNo + j;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      const failure: LineFailure = {
        lineNo,
        kind: 'input',
        message: `malformed JSON (${(e as Error).message})`,
      };
      return { text, lines: count, undeterminedLines, failure };
    }
    try {
      const req = parseOracleRequest(value, defaults);
      const result = oracle(req.op, req.format, req.x, req.label);
      const y = isScalarOp(req.op) ? encodeNumber(result.values[0]) : encodeVector(result.values);
      if (result.undetermined.length > 0) {
        undeterminedLines.push(lineNo);
        text += JSON.stringify({ y, undetermined: result.undetermined }) + '\n';
      } else text += JSON.stringify({ y }) + '\n';
      count++;
    } catch (e) {
      // the oracle checks its inputs too; whatever it rejects is still this line's fault
      const input = e instanceof RequestError || e instanceof OracleInputError;
      const failure: LineFailure = {
        lineNo,
        kind: input ? 'input' : 'internal',
        message: (e as Error).message,
      };
      return { text, lines: count, undeterminedLines, failure };
    }
  }
  return { text, lines: count, undeterminedLines };
}
