/**
 * Softmaxes for the API tests and docs: a stable one (max-shifted, computed in binary64 and
 * rounded once into the I/O format, so within a few ULPs everywhere), a deliberately naive one
 * (exp without the shift: overflows past 709.78 in f64), and a stable cross-entropy.
 */

/** Max-shifted softmax; rounds into f32 when given a Float32Array. */
export function stableSoftmax(x: Float64Array | Float32Array): Float64Array | Float32Array {
  let m = -Infinity;
  for (const v of x) m = Math.max(m, v);
  const e = Array.from(x, (v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  const y = e.map((v) => v / s);
  return x instanceof Float32Array ? Float32Array.from(y) : Float64Array.from(y);
}

/** exp(x_i) / Σ exp(x_j): the textbook formula without the shift. */
export function naiveSoftmax(x: Float64Array | Float32Array): Float64Array {
  const e = Array.from(x, Math.exp);
  const s = e.reduce((a, b) => a + b, 0);
  return Float64Array.from(e, (v) => v / s);
}

/** LSE(x) − x_k with LSE = m + log1p(Σ_{j≠k*} e^(x_j − m)) and the cancellation-free form at the max. */
export function stableCrossEntropy(x: Float64Array | Float32Array, label?: number): number {
  const k = label ?? 0;
  let m = -Infinity;
  let at = -1;
  for (let i = 0; i < x.length; i++) if (x[i] > m || at < 0) [m, at] = [x[i], i];
  let s = 0;
  for (let i = 0; i < x.length; i++) if (i !== at) s += Math.exp(x[i] - m);
  return Math.log1p(s) + (m - x[k]);
}
