import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { encodeVector } from '../formats/jsonNumber.js';
import { decodeAnswer } from './decodeAnswer.js';
import type { FormatName } from '../vocabulary/FormatName.js';
import { needsLabel, outputLength, type Op } from '../vocabulary/Op.js';
import { groupByLength, packRows, splitRows } from './rowBatch.js';
import { Unavailable, type AnyImplementation } from './types.js';
import { EXPECT_PASS } from '../vocabulary/Severity.js';

/** How long `setup` waits for the answer to its first request (a Python import of torch takes seconds). */
const PROBE_WAIT_MS = 30_000;

/**
 * An implementation in any language behind a command line, speaking JSON lines
 * (docs/design.md, "Programs in any language"), numbers encoded as the oracle encodes them
 * ("inf", "-inf", "nan", "-0"). Two request forms:
 * - row (the default, `batch` false): one request per row, `{"id","op","format","x","label"}`
 *   (label only for the cross-entropy ops), answered `{"id","y"}` with the row's answer;
 * - batch (`vet --exec CMD --batch`): one request per distinct row length of a `run`, hence one
 *   per campaign batch, `{"id","op","format","shape":[B,n],"x","labels"}` with `x` the B rows
 *   flat row-major and `labels` (the cross-entropy ops only) one class index per row, answered
 *   `{"id","y"}` with `y` flat: B·n values, or B for logsumexp and cross_entropy. `y` is split
 *   into per-row answers as `splitRows` does, nothing corrected: a wrong length comes back as
 *   short or long rows, which `judge` reports as `shape` findings.
 *
 * The program is started once (in `setup`) through the shell and kept for the whole run. If it
 * exits, the pending call fails with its exit status and stderr tail (a `crash` finding; for a
 * batch, of the whole batch), and the next call starts it again. Answers are matched by id; a
 * line that is not JSON, or an answer with another id, is a protocol error that fails the pending
 * calls (a `crash` finding). Numbers are decoded where they can be; anything else in `y` is
 * returned as it is, for `judge` to report as a `shape` finding. Two further answers: `{"id",
 * "error": message}` fails that call (a `crash` with the program's message), and `{"id",
 * "unavailable": reason}` to the small request `setup` sends first (logits [0, 1], label 0) makes
 * the implementation unavailable with that reason (a library without the op, or without the
 * format on this machine).
 */
export function execImplementation(
  name: string,
  command: string,
  op: Op,
  format: FormatName,
  batch = false,
): AnyImplementation {
  let child: ChildProcessWithoutNullStreams | undefined;
  let stderrTail = '';
  let nextId = 1;
  const waiting = new Map<number, { resolve: (y: unknown) => void; reject: (e: Error) => void }>();

  const start = () => {
    const c = spawn(command, { shell: true, stdio: ['pipe', 'pipe', 'pipe'] });
    child = c;
    stderrTail = '';
    c.stderr.on('data', (b: Buffer) => {
      stderrTail = (stderrTail + b.toString()).slice(-2000);
    });
    c.stdin.on('error', () => {}); // EPIPE when the program died: reported through 'exit'
    const rl = createInterface({ input: c.stdout });
    rl.on('line', (line) => {
      if (!line.trim()) return;
      let msg: { id?: unknown; y?: unknown; unavailable?: unknown; error?: unknown };
      try {
        msg = JSON.parse(line) as typeof msg;
      } catch {
        failAll(new Error(`protocol: the program wrote a line that is not JSON: ${line.slice(0, 200)}`));
        return;
      }
      const w = typeof msg.id === 'number' ? waiting.get(msg.id) : undefined;
      if (!w) {
        failAll(
          new Error(`protocol: the program answered id ${JSON.stringify(msg.id)}, which was not asked`),
        );
        return;
      }
      waiting.delete(msg.id as number);
      if (typeof msg.unavailable === 'string') w.reject(new Unavailable(msg.unavailable));
      else if (typeof msg.error === 'string') w.reject(new Error(`the program reported: ${msg.error}`));
      else w.resolve(msg.y);
    });
    c.on('exit', (code, signal) => {
      if (child === c) child = undefined;
      const tail = stderrTail.trim().split('\n').slice(-3).join(' | ');
      failAll(
        new Error(
          `the program exited (${signal ? `signal ${signal}` : `code ${code}`})${tail ? `: ${tail}` : ''}`,
        ),
      );
    });
    c.on('error', (e) => failAll(new Error(`cannot start '${command}': ${e.message}`)));
  };
  const failAll = (e: Error) => {
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  const request = (msg: Record<string, unknown>): Promise<unknown> => {
    if (!child) start();
    const id = nextId++;
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      child!.stdin.write(JSON.stringify({ id, ...msg }) + '\n');
    });
  };
  const labelled = needsLabel(op);
  const rowByRow = async (rows: readonly Float64Array[], labels?: readonly number[]) => {
    const answers: unknown[] = [];
    for (let r = 0; r < rows.length; r++) {
      const msg: Record<string, unknown> = { op, format, x: encodeVector(rows[r]) };
      if (labelled) msg.label = labels?.[r];
      answers.push(decodeAnswer(await request(msg)));
    }
    return answers;
  };
  const batched = async (rows: readonly Float64Array[], labels?: readonly number[]) => {
    const answers = new Array<unknown>(rows.length);
    for (const [n, indices] of groupByLength(rows)) {
      const msg: Record<string, unknown> = {
        op,
        format,
        shape: [indices.length, n],
        x: encodeVector(packRows(rows, indices, n, Float64Array)),
      };
      if (labelled && labels) msg.labels = indices.map((r) => labels[r]);
      const y = decodeAnswer(await request(msg));
      splitRows(y, indices.length, outputLength(op, n)).forEach((a, k) => {
        answers[indices[k]] = a;
      });
    }
    return answers;
  };
  return {
    name,
    op,
    format,
    backend: 'user',
    formula: `program: ${command}`,
    expected: EXPECT_PASS,
    async setup() {
      if (!child) start();
      // one small request first: a program that cannot do this op in this format says so
      // ({"id","unavailable": reason}) and the implementation is unavailable, not a crash per case
      const x = encodeVector([0, 1]);
      const probe = batch
        ? { op, format, shape: [1, 2], x, ...(labelled ? { labels: [0] } : {}) }
        : { op, format, x, ...(labelled ? { label: 0 } : {}) };
      let timer: NodeJS.Timeout | undefined;
      try {
        // a program that does not answer is the campaign's to time out, call by call
        await Promise.race([
          request(probe),
          new Promise((resolve) => {
            timer = setTimeout(resolve, PROBE_WAIT_MS);
          }),
        ]);
      } catch (e) {
        if (e instanceof Unavailable) throw e;
        // any other failure is the campaign's to find and report, case by case
      } finally {
        clearTimeout(timer);
      }
    },
    run: batch ? batched : rowByRow,
    async dispose() {
      const c = child;
      child = undefined;
      if (c) {
        c.stdin.end();
        c.kill();
      }
    },
  };
}
