import { describe, expect, it } from 'vitest';
import { runBatched } from './batch.js';

describe('runBatched', () => {
  const rows = [
    Float64Array.from([1, 2]),
    Float64Array.from([3]),
    Float64Array.from([4, 5]),
    Float64Array.from([0.5]),
  ];

  it('calls once per row length with a Float32Array [rows, n], results in input order as Float64Array', async () => {
    const calls: [number[], number, number][] = [];
    const out = await runBatched(
      rows,
      (n) => n,
      async (packed, rowCount, n) => {
        expect(packed).toBeInstanceOf(Float32Array);
        calls.push([Array.from(packed), rowCount, n]);
        return packed.map((v) => v * 10);
      },
    );
    expect(calls).toEqual([
      [[1, 2, 4, 5], 2, 2],
      [[3, 0.5], 2, 1],
    ]);
    expect(out.every((r) => r instanceof Float64Array)).toBe(true);
    expect(out.map((r) => Array.from(r))).toEqual([[10, 20], [30], [40, 50], [5]]);
  });

  it('gives a short output short rows and a long one a long last row, uncorrected', async () => {
    const pairs = [Float64Array.from([1, 2]), Float64Array.from([3, 4])];
    const short = await runBatched(
      pairs,
      () => 1,
      async () => Float32Array.from([7]),
    );
    expect(short.map((r) => Array.from(r))).toEqual([[7], []]);
    const long = await runBatched(
      pairs,
      () => 1,
      async () => Float32Array.from([7, 8, 9]),
    );
    expect(long.map((r) => Array.from(r))).toEqual([[7], [8, 9]]);
  });
});
