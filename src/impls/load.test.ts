import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { judge } from '../metrics/judge.js';
import { oracle } from '../oracle/index.js';
import { loadUserFunction, LoadError, userImplementation, type UserBatch } from './load.js';

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../test/fixtures/modules/${name}`, import.meta.url));

/** A batch function that records each call (a copy of x, rows, cols, labels) and answers `answer`. */
function recording(answer: (x: Float64Array | Float32Array, rows: number, cols: number) => unknown) {
  const calls: { x: number[]; type: string; rows: number; cols: number; labels?: number[] | string }[] = [];
  const fn: UserBatch = (x, rows, cols, labels) => {
    calls.push({
      x: Array.from(x),
      type: x.constructor.name,
      rows,
      cols,
      ...(labels !== undefined
        ? { labels: labels instanceof Int32Array ? Array.from(labels) : 'not Int32Array' }
        : {}),
    });
    return answer(x, rows, cols);
  };
  return { fn, calls };
}

/** Max-shifted softmax of every row of a flat batch, in binary64. */
function softmaxFlat(x: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let m = -Infinity;
    for (let i = 0; i < cols; i++) m = Math.max(m, x[r * cols + i]);
    let s = 0;
    for (let i = 0; i < cols; i++) s += Math.exp(x[r * cols + i] - m);
    for (let i = 0; i < cols; i++) out[r * cols + i] = Math.exp(x[r * cols + i] - m) / s;
  }
  return out;
}

describe('loadUserFunction: row and batch exports', () => {
  it('takes the op name and its Batch twin', async () => {
    const f = await loadUserFunction(fixture('batchExports.mjs'), 'softmax');
    expect(f.row?.name).toBe('softmax');
    expect(f.batch?.name).toBe('softmaxBatch');
  });

  it('takes NAMEBatch with --export NAME, and a batch export alone', async () => {
    const short = await loadUserFunction(fixture('batchExports.mjs'), 'softmax', 'short');
    expect(short.row).toBeUndefined();
    expect(short.batch?.name).toBe('shortBatch');
    const ce = await loadUserFunction(fixture('batchExports.mjs'), 'cross_entropy');
    expect(ce.row).toBeUndefined();
    expect(ce.batch?.name).toBe('cross_entropyBatch');
  });

  it('has no batch function for a module without one', async () => {
    const f = await loadUserFunction(fixture('maxShifted.mjs'), 'softmax');
    expect(typeof f.row).toBe('function');
    expect(f.batch).toBeUndefined();
  });

  it('refuses a Batch export that is not a function, and names the batch name when nothing is there', async () => {
    await expect(loadUserFunction(fixture('batchExports.mjs'), 'logsumexp')).rejects.toThrow(
      new LoadError(`export 'logsumexpBatch' of ${fixture('batchExports.mjs')} is a number, not a function`),
    );
    await expect(loadUserFunction(fixture('batchExports.mjs'), 'log_softmax')).rejects.toThrow(
      /no export 'log_softmax' or 'default' \(nor 'log_softmaxBatch'\); its function exports are .*softmaxBatch/,
    );
  });
});

describe('userImplementation with a batch function', () => {
  const rows = () => [
    Float64Array.from([1, 2, 3]),
    Float64Array.from([0, -Infinity, 4]),
    Float64Array.from([5, 5]),
    Float64Array.from([-1, 0.5, 2]),
  ];

  it('calls it once per row length with the rows flat row-major (Float64Array in f64), in input order', async () => {
    const { fn, calls } = recording(softmaxFlat);
    const impl = userImplementation('softmax/user/f64', { batch: fn }, 'softmax', 'f64');
    const input = rows();
    const answers = await impl.run(input);
    expect(calls).toEqual([
      { x: [1, 2, 3, 0, -Infinity, 4, -1, 0.5, 2], type: 'Float64Array', rows: 3, cols: 3 },
      { x: [5, 5], type: 'Float64Array', rows: 1, cols: 2 },
    ]);
    expect(answers.map((a) => Array.from(a as Float64Array))).toEqual(
      input.map((x) => Array.from(softmaxFlat(x, 1, x.length))),
    );
  });

  it('packs a Float32Array in f32', async () => {
    const { fn, calls } = recording(softmaxFlat);
    await userImplementation('softmax/user/f32', { batch: fn }, 'softmax', 'f32').run([
      Float64Array.from([0.5, 1]),
      Float64Array.from([-2, 3]),
    ]);
    expect(calls).toEqual([{ x: [0.5, 1, -2, 3], type: 'Float32Array', rows: 2, cols: 2 }]);
  });

  it('passes the labels of the rows as an Int32Array, and one value per row comes back for cross_entropy', async () => {
    const { fn, calls } = recording((x, r) => Float64Array.from({ length: r }, (_, k) => x[k * 2]));
    const impl = userImplementation('cross_entropy/user/f64', { batch: fn }, 'cross_entropy', 'f64');
    const answers = await impl.run(
      [Float64Array.from([1, 2]), Float64Array.from([3, 4, 5]), Float64Array.from([6, 7])],
      [1, 2, 0],
    );
    expect(calls).toEqual([
      { x: [1, 2, 6, 7], type: 'Float64Array', rows: 2, cols: 2, labels: [1, 0] },
      { x: [3, 4, 5], type: 'Float64Array', rows: 1, cols: 3, labels: [2] },
    ]);
    expect(answers.map((a) => Array.from(a as Float64Array))).toEqual([[1], [3], [6]]);
  });

  it('refuses labels that are not int32 integers instead of converting them', async () => {
    const { fn, calls } = recording(() => [0]);
    const impl = userImplementation('cross_entropy/user/f64', { batch: fn }, 'cross_entropy', 'f64');
    await expect(impl.run([Float64Array.from([1, 2])], [0.5])).rejects.toThrow(RangeError);
    expect(calls).toEqual([]);
  });

  it('prefers the batch function to the row function', async () => {
    const { fn, calls } = recording(softmaxFlat);
    let rowCalls = 0;
    const row = () => {
      rowCalls++;
      return [1];
    };
    await userImplementation('softmax/user/f64', { row, batch: fn }, 'softmax', 'f64').run(rows());
    expect(rowCalls).toBe(0);
    expect(calls.map((c) => [c.rows, c.cols])).toEqual([
      [3, 3],
      [1, 2],
    ]);
  });

  it('writes the batch copy back into the rows, so that a mutation is seen (f64 and f32)', async () => {
    for (const format of ['f64', 'f32'] as const) {
      const shift: UserBatch = (x, r, c) => {
        const out = softmaxFlat(x, r, c);
        for (let i = 0; i < x.length; i++) x[i] -= 1;
        return out;
      };
      const input = [Float64Array.from([1, 2]), Float64Array.from([3, 4])];
      await userImplementation(`softmax/user/${format}`, { batch: shift }, 'softmax', format).run(input);
      expect(input.map((r) => Array.from(r))).toEqual([
        [0, 1],
        [2, 3],
      ]);
    }
  });

  it('fails the whole run when the batch function throws or rejects', async () => {
    const throws: UserBatch = () => {
      throw new Error('boom');
    };
    const rejects: UserBatch = () => Promise.reject(new Error('later'));
    await expect(userImplementation('s', { batch: throws }, 'softmax', 'f64').run(rows())).rejects.toThrow(
      'boom',
    );
    await expect(userImplementation('s', { batch: rejects }, 'softmax', 'f64').run(rows())).rejects.toThrow(
      'later',
    );
  });

  it('awaits an async batch function', async () => {
    const asyncFn: UserBatch = (x, r, c) => Promise.resolve(softmaxFlat(x, r, c));
    const [a] = await userImplementation('s', { batch: asyncFn }, 'softmax', 'f64').run([
      Float64Array.from([0, 0]),
    ]);
    expect(Array.from(a as Float64Array)).toEqual([0.5, 0.5]);
  });

  it('turns a flat output one value short into a shape finding for the last row only', async () => {
    const short: UserBatch = (x, r, c) => softmaxFlat(x, r, c).slice(0, r * c - 1);
    const input = [Float64Array.from([1, 2, 3]), Float64Array.from([0, 0, 0]), Float64Array.from([-1, 0, 1])];
    const answers = await userImplementation('s', { batch: short }, 'softmax', 'f64').run(input);
    const kinds = answers.map((actual, r) =>
      judge({
        op: 'softmax',
        format: 'f64',
        x: input[r],
        actual,
        reference: oracle('softmax', 'f64', input[r]).values,
      }).findings.map((f) => f.kind),
    );
    expect(kinds.slice(0, 2).map((k) => k.includes('shape'))).toEqual([false, false]);
    expect(kinds[2]).toEqual(['shape']);
    expect((answers[2] as Float64Array).length).toBe(2);
  });

  it('turns a flat output that is much too short, or too long, into shape findings', async () => {
    const input = [Float64Array.from([1, 2]), Float64Array.from([3, 4]), Float64Array.from([5, 6])];
    const shapeRows = async (answer: UserBatch) => {
      const answers = await userImplementation('s', { batch: answer }, 'softmax', 'f64').run(input);
      return answers.flatMap((actual, r) =>
        judge({
          op: 'softmax',
          format: 'f64',
          x: input[r],
          actual,
          reference: oracle('softmax', 'f64', input[r]).values,
        }).findings.some((f) => f.kind === 'shape')
          ? [r]
          : [],
      );
    };
    // 2 of 6 values: row 0 complete, rows 1 and 2 empty
    expect(await shapeRows((x, r, c) => softmaxFlat(x, r, c).slice(0, 2))).toEqual([1, 2]);
    // 7 values: the last row takes the extra one
    expect(await shapeRows((x, r, c) => [...softmaxFlat(x, r, c), 0])).toEqual([2]);
    // not an array at all: every row
    expect(await shapeRows(() => undefined)).toEqual([0, 1, 2]);
    // a list of rows instead of a flat array: every row
    expect(
      await shapeRows((x, r, c) => Array.from({ length: r }, (_, k) => softmaxFlat(x.subarray(k * c), 1, c))),
    ).toEqual([0, 1, 2]);
  });

  it('leaves non-numbers in the flat output for judge to name', async () => {
    const answers = await userImplementation(
      's',
      { batch: () => [0.5, 'half', 0.25, 0.75] },
      'softmax',
      'f64',
    ).run([Float64Array.from([0, 0]), Float64Array.from([0, 1])]);
    expect(answers).toEqual([
      [0.5, 'half'],
      [0.25, 0.75],
    ]);
  });
});

describe('userImplementation without a batch function (row by row, as before)', () => {
  it('calls the row function per row, with labels, and f32 rows as Float32Array copies written back', async () => {
    const seen: [string, number[], number | undefined][] = [];
    const row = (x: Float64Array | Float32Array, label?: number) => {
      seen.push([x.constructor.name, Array.from(x), label]);
      x[0] = 9;
      return [label ?? 0];
    };
    const input = [Float64Array.from([1, 2]), Float64Array.from([3, 4])];
    const answers = await userImplementation('c', { row }, 'cross_entropy', 'f32').run(input, [1, 0]);
    expect(seen).toEqual([
      ['Float32Array', [1, 2], 1],
      ['Float32Array', [3, 4], 0],
    ]);
    expect(answers).toEqual([[1], [0]]);
    expect(input.map((r) => Array.from(r))).toEqual([
      [9, 2],
      [9, 4],
    ]);
  });

  it('accepts a bare row function too (the library API)', async () => {
    const input = [Float64Array.from([5])];
    const [a] = await userImplementation(
      's',
      (x: Float64Array | Float32Array) => [x === input[0] ? 1 : 0],
      'softmax',
      'f64',
    ).run(input);
    // an f64 row is handed over as it is
    expect(a).toEqual([1]);
  });
});
