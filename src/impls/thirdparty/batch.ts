/**
 * Batching for libraries that take one 2-D tensor [rows, n]: rows of equal length go into one
 * call, rows of different lengths into separate calls, and the results come back in input order.
 */

/** Indices of `rows` grouped by row length, in order of first appearance. */
function groupByLength(rows: readonly Float64Array[]): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  rows.forEach((row, i) => {
    const g = groups.get(row.length);
    if (g) g.push(i);
    else groups.set(row.length, [i]);
  });
  return groups;
}

/**
 * The rows at `indices` (all of length n) packed row-major into one Float32Array. The values are
 * f32 by contract (docs/design.md, "Format semantics"), so the conversion is exact; the input rows are
 * only read.
 */
function packRows(rows: readonly Float64Array[], indices: readonly number[], n: number): Float32Array {
  const out = new Float32Array(indices.length * n);
  indices.forEach((r, k) => out.set(rows[r], k * n));
  return out;
}

/**
 * Splits a library's flat output into rows of `width` values, converted to Float64Array (exact:
 * every f32 is a binary64). Nothing is corrected or filtered: a short output gives short rows,
 * which the campaign reports as a `shape` finding.
 */
function unpackRows(flat: ArrayLike<number>, rowCount: number, width: number): Float64Array[] {
  const out: Float64Array[] = [];
  for (let k = 0; k < rowCount; k++) {
    const start = Math.min(k * width, flat.length);
    const end = Math.min((k + 1) * width, flat.length);
    const row = new Float64Array(end - start);
    for (let j = start; j < end; j++) row[j - start] = flat[j];
    out.push(row);
  }
  return out;
}

/**
 * Runs `call` once per distinct row length with the packed rows of that length, and returns the
 * per-row results in input order. `call` returns the flat output; `width(n)` is the output row
 * length (n for vector ops, 1 for scalar ops).
 */
export async function runBatched(
  rows: readonly Float64Array[],
  width: (n: number) => number,
  call: (packed: Float32Array, rowCount: number, n: number) => Promise<ArrayLike<number>>,
): Promise<Float64Array[]> {
  const results = new Array<Float64Array>(rows.length);
  for (const [n, indices] of groupByLength(rows)) {
    const flat = await call(packRows(rows, indices, n), indices.length, n);
    unpackRows(flat, indices.length, width(n)).forEach((row, k) => {
      results[indices[k]] = row;
    });
  }
  return results;
}
