/**
 * Batching for libraries that take one 2-D tensor [rows, n]: rows of equal length go into one
 * call, rows of different lengths into separate calls, and the results come back in input order.
 */
import { groupByLength, packRows, splitRows } from '../rowBatch.js';

/**
 * Runs `call` once per distinct row length with the rows of that length packed row-major into one
 * Float32Array (exact: the values are f32 by contract, docs/design.md, "Format semantics"; the
 * input rows are only read), and returns the per-row results in input order. `call` returns the
 * flat output; `width(n)` is the output row length (n for vector ops, 1 for scalar ops). The flat
 * output is split as `splitRows` does, nothing corrected (a short output gives short rows, a long
 * one a long last row: a `shape` finding), each row converted to Float64Array (exact: every f32
 * is a binary64).
 */
export async function runBatched(
  rows: readonly Float64Array[],
  width: (n: number) => number,
  call: (packed: Float32Array, rowCount: number, n: number) => Promise<ArrayLike<number>>,
): Promise<Float64Array[]> {
  const results = new Array<Float64Array>(rows.length);
  for (const [n, indices] of groupByLength(rows)) {
    const flat = await call(packRows(rows, indices, n, Float32Array), indices.length, n);
    splitRows(flat, indices.length, width(n)).forEach((row, k) => {
      results[indices[k]] = Float64Array.from(row as ArrayLike<number>);
    });
  }
  return results;
}
