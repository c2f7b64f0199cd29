import { PassThrough, Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { encodeVector } from '../formats/jsonNumber.js';
import { roundNumber, formatSpec } from '../formats/index.js';
import { mulberry32 as rng } from '../generators/_internals/mulberry32.js';
import { oracle } from '../oracle/index.js';
import { FORMAT_NAMES, type FormatName } from '../vocabulary/FormatName.js';
import type { Op } from '../vocabulary/Op.js';
import { InputError } from './errors.js';
import { streamOracle } from './oracle.js';
import { TextSink } from './_testutil/memoryIo.js';

const DEFAULTS = { op: 'softmax', format: 'f64' } as const;

/**
 * Fresh input lines: every op and format, extreme and ordinary logits, blank lines, and line
 * breaks of every kind readline knows (\n, \r\n, a lone \r).
 */
function randomInput(seed: number, count: number): { text: string; lineCount: number } {
  const r = rng(seed);
  const ops = ['softmax', 'log_softmax', 'logsumexp', 'cross_entropy', 'cross_entropy_grad'] as const;
  const breaks = ['\n', '\r\n', '\r'];
  let text = '';
  let lineCount = 0;
  for (let i = 0; i < count; i++) {
    if (r() < 0.05) text += ' ';
    else {
      const format = FORMAT_NAMES[Math.floor(r() * FORMAT_NAMES.length)];
      const fmt = formatSpec(format);
      const n = 1 + Math.floor(r() * 40);
      const scale = r() < 0.5 ? 10 : 1000;
      const x = Array.from({ length: n }, () => roundNumber(fmt, (r() - 0.5) * scale));
      const op = ops[Math.floor(r() * ops.length)];
      const line: Record<string, unknown> = { op, format, x: encodeVector(x) };
      if (op === 'cross_entropy' || op === 'cross_entropy_grad') line.label = Math.floor(r() * n);
      text += JSON.stringify(r() < 0.3 && format === 'f64' && op === 'softmax' ? x : line);
    }
    lineCount++;
    text += i === count - 1 && r() < 0.5 ? '' : breaks[Math.floor(r() * breaks.length)];
  }
  return { text, lineCount };
}

/** `text` delivered in pieces of random sizes (so that a \r\n is sometimes split between two). */
function chunked(text: string, seed: number): Readable {
  const r = rng(seed);
  const pieces: Buffer[] = [];
  const bytes = Buffer.from(text, 'utf8');
  for (let at = 0; at < bytes.length;) {
    const size = 1 + Math.floor(r() * 3000);
    pieces.push(bytes.subarray(at, at + size));
    at += size;
  }
  return Readable.from(pieces);
}

async function run(input: Readable, threads: number, inlineLines = 0) {
  const sink = new TextSink();
  const summary = await streamOracle(input, sink, DEFAULTS, { threads, inlineLines });
  return { summary, text: sink.text };
}

describe('logitfuzz oracle on worker threads', () => {
  it('writes the same output as the main thread alone, in order, on fresh inputs in random chunks', async () => {
    const seed = Date.now() >>> 0;
    const { text, lineCount } = randomInput(seed, 700);
    const alone = await run(Readable.from([text]), 1);
    const threaded = await run(chunked(text, seed + 1), 2);
    expect(threaded.text, `seed ${seed}`).toBe(alone.text);
    expect(threaded.summary).toEqual(alone.summary);
    // one answer per non-blank line, and each the oracle's own
    const answers = alone.text.split('\n');
    expect(answers.pop()).toBe('');
    expect(answers.length).toBe(alone.summary.lines);
    expect(alone.summary.lines).toBeLessThan(lineCount);
    const lines = text.split(/\r\n|\r|\n/).filter((l) => l.trim() !== '');
    for (const k of [0, Math.floor(lines.length / 2), lines.length - 1]) {
      const v = JSON.parse(lines[k]) as unknown;
      const req = Array.isArray(v)
        ? { op: 'softmax' as const, format: 'f64' as const, x: v as number[], label: undefined }
        : (v as { op: Op; format: FormatName; x: (number | string)[]; label?: number });
      const x = req.x.map((e) =>
        typeof e === 'number' ? e : e === '-0' ? -0 : Number(e.replace('inf', 'Infinity')),
      );
      const y = oracle(req.op, req.format, x, req.label).values;
      const expected =
        req.op === 'logsumexp' || req.op === 'cross_entropy' ? encodeVector(y)[0] : encodeVector(y);
      expect(JSON.parse(answers[k]), `line ${k}, seed ${seed}`).toEqual({ y: expected });
    }
  });

  it('stops at a bad line in a later batch: the answers before it written, its number in the error', async () => {
    const good = '[0, 1]\n'.repeat(300);
    const input = good + '[0, "one"]\n' + good;
    const sink = new TextSink();
    const err = await streamOracle(Readable.from([input]), sink, DEFAULTS, {
      threads: 2,
      inlineLines: 0,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/^line 301: x\[1\]: expected a number/);
    const written = sink.text.split('\n');
    expect(written.pop()).toBe('');
    expect(written.length).toBe(300);
    expect(new Set(written)).toEqual(
      new Set([JSON.stringify({ y: encodeVector(oracle('softmax', 'f64', [0, 1]).values) })]),
    );
  });

  it('serves as a co-process: each line is answered before the next is sent', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const done = streamOracle(input, output, DEFAULTS, { threads: 2, inlineLines: 1 });
    const reader = output[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    for (let i = 0; i < 4; i++) {
      input.write(`[0, ${-i}]\n`);
      const answer = await reader.next();
      const expected = encodeVector(oracle('softmax', 'f64', [0, -i]).values);
      expect(JSON.parse(String(answer.value))).toEqual({ y: expected });
    }
    input.end();
    expect((await done).lines).toBe(4);
  });

  it('ends with the write error when the reader goes away mid-run, instead of waiting for ever', async () => {
    let writes = 0;
    const broken = new Writable({
      write(_chunk, _enc, cb) {
        writes++;
        cb(writes >= 2 ? Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }) : null);
      },
    });
    broken.on('error', () => undefined); // the error is what streamOracle must end with
    const input = '[0, 1, 2]\n'.repeat(5000);
    const err = await streamOracle(Readable.from([input]), broken, DEFAULTS, {
      threads: 3,
      inlineLines: 0,
    }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('write EPIPE');
    // it stopped writing after the failure rather than pushing the rest of the answers
    expect(writes).toBeLessThanOrEqual(3);
  });

  it('rejects a bad thread count', async () => {
    await expect(
      streamOracle(Readable.from(['[0]\n']), new TextSink(), DEFAULTS, { threads: 0 }),
    ).rejects.toThrow(/threads must be an integer ≥ 1, got 0/);
  });
});
