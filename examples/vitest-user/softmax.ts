/**
 * The code under test: two softmaxes a project might have written.
 */

/**
 * Σ v[lo..hi) pairwise (recursive halving): each term passes through at most ⌈log₂ n⌉ additions.
 * A left-to-right sum passes the first through n − 1, and on long rows its error outgrows the
 * budget (a row of tiny terms after a 1 even stagnates at 1).
 */
function pairwiseSum(v: readonly number[], lo = 0, hi = v.length): number {
  if (hi - lo <= 0) return 0;
  if (hi - lo === 1) return v[lo];
  const mid = lo + Math.ceil((hi - lo) / 2);
  return pairwiseSum(v, lo, mid) + pairwiseSum(v, mid, hi);
}

/** The stable formula: shift by the max so that no exp overflows, and sum pairwise. */
export function softmax(x: Float64Array | Float32Array): Float64Array {
  let m = -Infinity;
  for (const v of x) m = Math.max(m, v);
  const e = Array.from(x, (v) => Math.exp(v - m));
  const s = pairwiseSum(e);
  return Float64Array.from(e, (v) => v / s);
}

/** The textbook formula without the shift: exp(710) is Infinity, and Infinity / Infinity is NaN. */
export function naiveSoftmax(x: Float64Array | Float32Array): Float64Array {
  const e = Array.from(x, Math.exp);
  const s = e.reduce((a, b) => a + b, 0);
  return Float64Array.from(e, (v) => v / s);
}
