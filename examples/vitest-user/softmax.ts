/**
 * The code under test: two softmaxes a project might have written.
 */

/** The stable formula: shift by the max so that no exp overflows. */
export function softmax(x: Float64Array | Float32Array): Float64Array {
  let m = -Infinity;
  for (const v of x) m = Math.max(m, v);
  const e = Array.from(x, (v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return Float64Array.from(e, (v) => v / s);
}

/** The textbook formula without the shift: exp(710) is Infinity, and Infinity / Infinity is NaN. */
export function naiveSoftmax(x: Float64Array | Float32Array): Float64Array {
  const e = Array.from(x, Math.exp);
  const s = e.reduce((a, b) => a + b, 0);
  return Float64Array.from(e, (v) => v / s);
}
