/**
 * Softmaxes for the API tests and docs: a stable one (max-shifted, computed in binary64 with a
 * pairwise sum — the summation the budgets assume — and rounded once into the I/O format, so
 * within budget everywhere), a deliberately naive one (exp without the shift: overflows past
 * 709.78 in f64), and a stable cross-entropy (1 + a pairwise sum of the other terms).
 *
 * A left-to-right sum is not enough: its error grows with the row length (depth n − 1 against the
 * budgets' ⌈log₂ n⌉ + 1), and a long row of small terms after a 1 stagnates at 1.
 */

/** Σ v[lo..hi) by recursive halving: every term passes through at most ⌈log₂ n⌉ additions. */
function pairwiseSum(v: ArrayLike<number>, lo = 0, hi = v.length): number {
  if (hi - lo <= 0) return 0;
  if (hi - lo === 1) return v[lo];
  const mid = lo + Math.ceil((hi - lo) / 2);
  return pairwiseSum(v, lo, mid) + pairwiseSum(v, mid, hi);
}

/** Max-shifted softmax with a pairwise sum; rounds into f32 when given a Float32Array. */
export function stableSoftmax(x: Float64Array | Float32Array): Float64Array | Float32Array {
  let m = -Infinity;
  for (const v of x) m = Math.max(m, v);
  const e = Array.from(x, (v) => Math.exp(v - m));
  const s = pairwiseSum(e);
  const y = e.map((v) => v / s);
  return x instanceof Float32Array ? Float32Array.from(y) : Float64Array.from(y);
}

/** exp(x_i) / Σ exp(x_j): the textbook formula without the shift. */
export function naiveSoftmax(x: Float64Array | Float32Array): Float64Array {
  const e = Array.from(x, Math.exp);
  const s = e.reduce((a, b) => a + b, 0);
  return Float64Array.from(e, (v) => v / s);
}

/**
 * LSE(x) − x_k with LSE = m + log1p(Σ_{j≠k*} e^(x_j − m)) (the Σ pairwise) and the
 * cancellation-free form at the max.
 */
export function stableCrossEntropy(x: Float64Array | Float32Array, label?: number): number {
  const k = label ?? 0;
  let m = -Infinity;
  let at = -1;
  for (let i = 0; i < x.length; i++) if (x[i] > m || at < 0) [m, at] = [x[i], i];
  const terms: number[] = [];
  for (let i = 0; i < x.length; i++) if (i !== at) terms.push(Math.exp(x[i] - m));
  return Math.log1p(pairwiseSum(terms)) + (m - x[k]);
}
