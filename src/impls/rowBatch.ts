/**
 * Rows of logits ↔ one flat row-major batch [rows, n], the shape every batching ecosystem takes
 * (docs/design.md, "Implementations"): group rows by length, pack a group into one typed array,
 * and split a flat output back into per-row answers without correcting anything.
 */

/** Indices of `rows` grouped by row length, groups in order of first appearance, indices ascending. */
export function groupByLength(rows: readonly ArrayLike<number>[]): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  rows.forEach((row, i) => {
    const g = groups.get(row.length);
    if (g) g.push(i);
    else groups.set(row.length, [i]);
  });
  return groups;
}

/** A constructor of the flat arrays a batch is packed into. */
export type FlatArrayConstructor = Float32ArrayConstructor | Float64ArrayConstructor;

/**
 * The rows at `indices` (each of length `n`) packed row-major into one new array of `type`. The
 * input rows are only read. Into a Float32Array the conversion is exact only for values of f32,
 * which is the caller's contract (docs/design.md, "Format semantics").
 */
export function packRows<C extends FlatArrayConstructor>(
  rows: readonly ArrayLike<number>[],
  indices: readonly number[],
  n: number,
  type: C,
): InstanceType<C> {
  const out = new type(indices.length * n) as InstanceType<C>;
  indices.forEach((r, k) => out.set(rows[r], k * n));
  return out;
}

/**
 * Splits an implementation's flat output into `rowCount` answers of `width` values each (n for
 * the vector ops, 1 for the scalar ops), as given: nothing is corrected, converted or filtered,
 * so that `judge` sees exactly what came back.
 * - A typed array gives slices of the same type; any other array-like (a plain array, holes and
 *   non-numbers included) gives plain-array slices.
 * - A flat output of the wrong length: row k takes values [k·width, (k+1)·width) as far as there
 *   are any, and the last row takes everything from its start to the end. A short output thus
 *   gives short, then empty rows; a long one a long last row — a `shape` finding either way.
 * - A number is a flat output of one value (a one-row scalar batch may answer with it).
 * - Anything else (undefined, null, a string, an object without a numeric length) is every row's
 *   answer as it is, for `judge` to name in its `shape` finding.
 */
export function splitRows(flat: unknown, rowCount: number, width: number): unknown[] {
  const values: unknown = typeof flat === 'number' ? [flat] : flat;
  if (!isArrayLike(values)) return Array.from({ length: rowCount }, () => values);
  const slice = (start: number, end: number): ArrayLike<unknown> =>
    ArrayBuffer.isView(values) && !(values instanceof DataView)
      ? (values as unknown as Float64Array).slice(start, end)
      : (Array.prototype.slice.call(values, start, end) as unknown[]);
  const out: ArrayLike<unknown>[] = [];
  for (let k = 0; k < rowCount; k++) {
    const start = Math.min(k * width, values.length);
    const end = k === rowCount - 1 ? values.length : Math.min((k + 1) * width, values.length);
    out.push(slice(start, end));
  }
  return out;
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  if (v === null || typeof v !== 'object') return false;
  const length = (v as { length?: unknown }).length;
  return typeof length === 'number' && Number.isSafeInteger(length) && length >= 0;
}
