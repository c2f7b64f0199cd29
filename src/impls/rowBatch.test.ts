import { describe, expect, it } from 'vitest';
import { groupByLength, packRows, splitRows } from './rowBatch.js';

const rows = [
  Float64Array.from([1, 2]),
  Float64Array.from([3]),
  Float64Array.from([4, 5]),
  Float64Array.from([6]),
];

describe('groupByLength and packRows', () => {
  it('groups indices by length in order of first appearance and packs a group row-major', () => {
    expect([...groupByLength(rows)]).toEqual([
      [2, [0, 2]],
      [1, [1, 3]],
    ]);
    const packed = packRows(rows, [0, 2], 2, Float32Array);
    expect(packed).toBeInstanceOf(Float32Array);
    expect(Array.from(packed)).toEqual([1, 2, 4, 5]);
    expect(Array.from(packRows(rows, [3, 1], 1, Float64Array))).toEqual([6, 3]);
  });
});

describe('splitRows', () => {
  it('cuts a flat output of the right length into rows of the same type', () => {
    const out = splitRows(Float32Array.from([1, 2, 3, 4, 5, 6]), 3, 2);
    expect(out.map((r) => (r as Float32Array).constructor.name)).toEqual([
      'Float32Array',
      'Float32Array',
      'Float32Array',
    ]);
    expect(out.map((r) => Array.from(r as Float32Array))).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
  });

  it('corrects nothing: a short output gives short then empty rows, a long one a long last row', () => {
    expect(splitRows([1, 2, 3], 3, 2)).toEqual([[1, 2], [3], []]);
    expect(splitRows([1, 2, 3, 4, 5], 2, 2)).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
    expect(splitRows([], 2, 1)).toEqual([[], []]);
  });

  it('keeps non-numbers and holes as they are', () => {
    // eslint-disable-next-line no-sparse-arrays
    const out = splitRows([1, 'x', , null], 2, 2);
    expect(out[0]).toEqual([1, 'x']);
    const second = out[1] as unknown[];
    expect(second).toHaveLength(2);
    expect(1 in second).toBe(true);
    expect(0 in second).toBe(false);
  });

  it('takes a number as a flat output of one value, and gives anything else to every row as it is', () => {
    expect(splitRows(7, 1, 1)).toEqual([[7]]);
    expect(splitRows(7, 2, 1)).toEqual([[7], []]);
    expect(splitRows(undefined, 2, 3)).toEqual([undefined, undefined]);
    expect(splitRows('abc', 1, 3)).toEqual(['abc']);
    const obj = { y: 1 };
    expect(splitRows(obj, 2, 1)).toEqual([obj, obj]);
    expect(splitRows({ length: -1 }, 1, 1)).toEqual([{ length: -1 }]);
  });
});
