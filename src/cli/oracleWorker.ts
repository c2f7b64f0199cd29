/**
 * A worker thread of `logitfuzz oracle` (oracle.ts `streamOracle`): answers the batches of lines
 * the main thread posts, one message back per batch, with the same `answerLines` the main thread
 * uses, so that the output is the same however many threads computed it.
 */
import { parentPort } from 'node:worker_threads';
import { answerLines, type LinesAnswer, type OracleDefaults } from './oracleLines.js';

/** A batch of consecutive input lines, numbered from `first`. */
export interface LinesBatch {
  readonly id: number;
  readonly first: number;
  /** The lines, each ended by a line break but perhaps the last of the input. */
  readonly text: string;
  readonly defaults: OracleDefaults;
}

/** The answer to batch `id`. */
export interface BatchAnswer {
  readonly id: number;
  readonly answer: LinesAnswer;
}

const port = parentPort;
if (port === null) throw new Error('oracleWorker.ts runs as a worker thread of logitfuzz oracle');
port.on('message', (b: LinesBatch) => {
  const reply: BatchAnswer = { id: b.id, answer: answerLines(b.text, b.first, b.defaults) };
  port.postMessage(reply);
});
