import { Readable } from 'node:stream';
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { exactDecimal, F32, F64, roundDecimal } from '../formats/index.js';
import { streamOracle } from './oracle.js';
import { runCli } from './runCli.js';
import { memoryIo, TextSink } from './_testutil/memoryIo.js';

/** Runs `logitfuzz oracle ARGS` in-process on `input`. */
async function oracleCli(input: string, args: string[] = []) {
  const io = memoryIo(input);
  const code = await runCli(['oracle', ...args], io);
  return { code, out: io.stdout.text, err: io.stderr.text };
}

/** Independent reference at 60 digits: softmax_i = e^{x_i} / Σ e^{x_j}, then one rounding into the format. */
function softmaxRef(x: number[], i: number, fmt = F64): number {
  const D = Decimal.clone({ precision: 60, minE: -9e15, maxE: 9e15 });
  const e = x.map((v) => D.exp(new D(exactDecimal(v))));
  const sum = e.reduce((a, b) => a.plus(b), new D(0));
  return roundDecimal(fmt, e[i].div(sum));
}

describe('logitfuzz oracle', () => {
  it('gives the example of docs/design.md, "The oracle command": [0, -700, -745, -1000] in f64', async () => {
    const r = await oracleCli('[0, -700, -745, -1000]\n', ['--format', 'f64']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const x = [0, -700, -745, -1000];
    const expected = { y: [1, softmaxRef(x, 1), 5e-324, 0] };
    // the reference itself: 9.8…e-305, a normal number; e^-745 rounds up to the smallest subnormal
    expect(expected.y[1]).toBeGreaterThan(9.8e-305);
    expect(expected.y[1]).toBeLessThan(9.9e-305);
    expect(softmaxRef(x, 2)).toBe(5e-324);
    expect(JSON.parse(lines[0])).toEqual(expected);
    expect(lines[0]).toBe(`{"y":[1,${expected.y[1]},5e-324,0]}`);
  });

  it('answers scalar ops with a single value and vector ops with arrays', async () => {
    const input = [
      '[0, 0]',
      '{"op":"cross_entropy","x":[0,0],"label":1}',
      '{"op":"softmax","x":[0,0]}',
      '[]',
    ].join('\n');
    const r = await oracleCli(input, ['--op', 'logsumexp']);
    expect(r.code).toBe(0);
    // ln 2: Math.LN2 is specified as the binary64 value nearest ln 2
    expect(r.out).toBe(
      [`{"y":${Math.LN2}}`, `{"y":${Math.LN2}}`, '{"y":[0.5,0.5]}', '{"y":"-inf"}', ''].join('\n'),
    );
  });

  it('writes -0, nan and inf as strings and reads them in the input', async () => {
    const input = [
      '{"op":"log_softmax","x":[0,-1000]}',
      '["nan", 1]',
      '["inf", 0, "-inf"]',
      '["-0", 0]',
    ].join('\n');
    const r = await oracleCli(input);
    expect(r.code).toBe(0);
    // log_softmax([0, -1000])[0] = -log1p(e^-1000): nonzero, rounds to zero, keeps its sign
    // (docs/design.md, "Special values")
    expect(r.out.split('\n').slice(0, 4)).toEqual([
      '{"y":["-0",-1000]}',
      '{"y":["nan","nan"]}',
      '{"y":[1,0,0]}',
      '{"y":[0.5,0.5]}',
    ]);
  });

  it("lets a line's fields override the flags", async () => {
    const x = [0, 1];
    const r = await oracleCli('[0, 1]\n{"format":"f32","x":[0,1]}\n', ['--format', 'f64']);
    expect(r.code).toBe(0);
    const [a, b] = r.out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { y: number[] });
    expect(a.y).toEqual([softmaxRef(x, 0), softmaxRef(x, 1)]);
    expect(b.y).toEqual([softmaxRef(x, 0, F32), softmaxRef(x, 1, F32)]);
    expect(b.y[0]).not.toBe(a.y[0]);
  });

  it('skips blank lines and accepts CRLF line ends and an id field', async () => {
    const r = await oracleCli('\n[1]\r\n   \n{"id":"c7","x":[2]}');
    expect(r).toEqual({ code: 0, out: '{"y":[1]}\n{"y":[1]}\n', err: '' });
  });

  it('accepts logits of the format: 0.1 is fine in f64, Math.fround(0.1) in f32', async () => {
    const r = await oracleCli(`[0.1, ${Math.fround(0.1)}]\n{"format":"f32","x":[${Math.fround(0.1)}]}\n`);
    expect(r.code).toBe(0);
    expect(r.out.trimEnd().split('\n')).toHaveLength(2);
  });

  describe('bad input: exit 2, one line on stderr naming the line number and the problem', () => {
    const cases: [string, string, string[], RegExp][] = [
      ['malformed JSON', '[0]\n[1, 2', [], /^logitfuzz oracle: line 2: malformed JSON \(.+\)$/],
      ['not an array', '3', [], /line 1: expected an array of logits or an object .*found the number 3$/],
      ['null', 'null', [], /line 1: expected an array of logits .*found null$/],
      ['x not an array', '{"x": 5}', [], /line 1: "x" must be an array of logits, found the number 5$/],
      ['missing x', '{"op":"softmax"}', [], /line 1: missing field "x"/],
      [
        'a string element',
        '[1, "x"]',
        [],
        /line 1: x\[1\]: expected a number or one of "inf", "-inf", "nan", "-0", found the string "x"$/,
      ],
      ['a null element', '[null]', [], /line 1: x\[0\]: .*found null$/],
      ['a nested array', '[[1]]', [], /line 1: x\[0\]: .*found an array$/],
      [
        'an unrepresentable logit',
        '[0, 0.1]',
        ['--format', 'f32'],
        /line 1: x\[1\] = 0\.1 is not representable in f32 \(nearest f32 value: 0\.10000000149011612\)/,
      ],
      [
        'an unrepresentable f16 logit in a line',
        '{"format":"f16","x":[65505]}',
        [],
        /line 1: x\[0\] = 65505 is not representable in f16/,
      ],
      ['a number beyond binary64', '[1e400]', [], /line 1: x\[0\] is too large for binary64 .*write "inf"/],
      ['a missing label', '[1, 2]', ['--op', 'cross_entropy'], /line 1: op cross_entropy needs a label/],
      [
        'a null label',
        '{"op":"cross_entropy_grad","x":[1,2],"label":null}',
        [],
        /line 1: op cross_entropy_grad needs a label/,
      ],
      [
        'a label out of range',
        '{"op":"cross_entropy","x":[1,2],"label":2}',
        [],
        /line 1: label 2 is out of range for 2 logits \(0\.\.1\)$/,
      ],
      [
        'a negative label',
        '{"op":"cross_entropy","x":[1,2],"label":-1}',
        [],
        /line 1: label -1 is out of range/,
      ],
      [
        'a label with an empty x',
        '{"op":"cross_entropy","x":[],"label":0}',
        [],
        /line 1: label 0 is out of range: x is empty$/,
      ],
      [
        'a fractional label',
        '{"op":"cross_entropy","x":[1,2],"label":0.5}',
        [],
        /line 1: "label" must be an integer, found the number 0\.5$/,
      ],
      [
        'a string label',
        '{"op":"cross_entropy","x":[1,2],"label":"1"}',
        [],
        /line 1: "label" must be an integer, found the string "1"$/,
      ],
      [
        'an unknown op',
        '{"op":"softplus","x":[1]}',
        [],
        /line 1: unknown op 'softplus': expected one of softmax, log_softmax, logsumexp, cross_entropy, cross_entropy_grad$/,
      ],
      [
        'an unknown format',
        '{"format":"f8","x":[1]}',
        [],
        /line 1: unknown format 'f8': expected one of f64, f32, f16, bf16$/,
      ],
      ['a non-string op', '{"op":3,"x":[1]}', [], /line 1: unknown op \(the number 3\)/],
      ['an unknown field', '{"fromat":"f32","x":[1]}', [], /line 1: unknown field "fromat"/],
    ];
    it.each(cases)('%s', async (_name, input, args, pattern) => {
      const r = await oracleCli(input, args);
      expect(r.code).toBe(2);
      const errLines = r.err.trimEnd().split('\n');
      expect(errLines).toHaveLength(1);
      expect(errLines[0]).toMatch(pattern);
      expect(errLines[0]).toMatch(/^logitfuzz oracle: line \d+: /);
    });

    it('keeps the lines written before the bad one, and counts blank lines', async () => {
      const r = await oracleCli('[0]\n\n[0, 0]\n[1, "two"]\n[5]\n');
      expect(r.code).toBe(2);
      expect(r.out).toBe('{"y":[1]}\n{"y":[0.5,0.5]}\n');
      expect(r.err).toMatch(/^logitfuzz oracle: line 4: x\[1\]/);
    });

    it('rejects bad flags as usage errors', async () => {
      const r = await oracleCli('[0]', ['--format', 'f128']);
      expect(r).toEqual({
        code: 2,
        out: '',
        err: "logitfuzz oracle: bad value 'f128' for --format: expected one of f64, f32, f16, bf16 (see 'logitfuzz oracle --help')\n",
      });
    });
  });

  it('streams with bounded read-ahead: 200k lines through a slow reader', async () => {
    const N = 200_000;
    const PER_CHUNK = 100;
    let produced = 0;
    let maxLag = 0;
    async function* lines() {
      for (let c = 0; c < N / PER_CHUNK; c++) {
        let s = '';
        for (let k = 0; k < PER_CHUNK; k++) s += `[${(produced + k) % 7}]\n`;
        produced += PER_CHUNK;
        yield s;
      }
    }
    /**
     * A sink that is slower than the producer (an 1 KiB buffer, a macrotask per write), counting lines
     * without keeping them.
     */
    class SlowSink extends TextSink {
      count = 0;
      writes = 0;
      bad = 0;
      constructor() {
        super({ highWaterMark: 1024 });
      }
      override _write(chunk: string | Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
        // a write holds the answers to a batch of lines
        const lines = chunk.toString().split('\n');
        if (lines.pop() !== '') this.bad++;
        for (const l of lines) if (l !== '{"y":[1]}') this.bad++;
        this.count += lines.length;
        this.writes++;
        maxLag = Math.max(maxLag, produced - this.count);
        if (this.writes % 4 === 0) setImmediate(cb);
        else cb();
      }
    }
    const sink = new SlowSink();
    const summary = await streamOracle(Readable.from(lines()), sink, { op: 'softmax', format: 'f64' });
    await new Promise<void>((resolve) => sink.end(resolve));
    expect(summary.lines).toBe(N);
    expect(sink.count).toBe(N);
    expect(sink.bad).toBe(0);
    // the input is read at most a few thousand lines ahead of the output (the batches in flight,
    // a chunk, the streams' buffers), never the whole input
    expect(maxLag).toBeLessThan(10_000);
  });
});
