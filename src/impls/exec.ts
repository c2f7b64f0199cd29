import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { encodeVector } from '../formats/jsonNumber.js';
import { decodeAnswer } from './decodeAnswer.js';
import type { FormatName } from '../vocabulary/FormatName.js';
import { needsLabel, type Op } from '../vocabulary/Op.js';
import type { AnyImplementation } from './types.js';
import { EXPECT_PASS } from '../vocabulary/Severity.js';

/**
 * An implementation in any language behind a command line, speaking JSON lines
 * (docs/design.md, "Programs in any language"): logitfuzz writes `{"id","op","format","x","label"}`, the
 * program answers
 * `{"id","y"}` with numbers encoded as the oracle encodes them ("inf", "-inf", "nan", "-0").
 *
 * The program is started once (in `setup`) through the shell and kept for the whole run. If it
 * exits, the pending call fails with its exit status and stderr tail (a `crash` finding), and the
 * next call starts it again. Answers are matched by id; a line that is not JSON, or an answer
 * with another id, is a protocol error that fails the pending calls (a `crash` finding). Numbers
 * are decoded where they can be; anything else in `y` is returned as it is, for `judge` to
 * report as a `shape` finding.
 */
export function execImplementation(
  name: string,
  command: string,
  op: Op,
  format: FormatName,
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
      let msg: { id?: unknown; y?: unknown };
      try {
        msg = JSON.parse(line) as { id?: unknown; y?: unknown };
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
      w.resolve(msg.y);
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
  const call = (x: Float64Array, label: number | undefined): Promise<unknown> => {
    if (!child) start();
    const id = nextId++;
    const msg: Record<string, unknown> = { id, op, format, x: encodeVector(x) };
    if (needsLabel(op)) msg.label = label;
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      child!.stdin.write(JSON.stringify(msg) + '\n');
    });
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
    },
    async run(rows, labels) {
      const answers: unknown[] = [];
      for (let r = 0; r < rows.length; r++) answers.push(decodeAnswer(await call(rows[r], labels?.[r])));
      return answers;
    },
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
