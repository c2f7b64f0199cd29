/**
 * Test support: the error a WGSL f32 kernel of kernels.ts may make *by the WGSL specification*,
 * element by element, as an absolute allowance |ŷ − r| ≤ A around the oracle's correctly rounded
 * r. This is what the tests hold the GPU to: a kernel within WGSL's accuracy promises passes on
 * any conforming device; a broken reduction (a missed partial max → exp overflow; a dropped
 * partial sum) is off by orders of magnitude more. It is not logitfuzz's budget (that is the
 * recommended algorithm's, stricter: see implementation.ts for why these kernels are expected
 * to fail it).
 *
 * Derivation (u = 2^−24 unit roundoff, ε = 2^−23 ≥ ulp(v)/|v| for normal v; first order, times
 * 1.01 for the second-order terms; m = max x, d_j = x_j − m, t_j = e^(d_j), s = Σ t_j ≥ 1):
 * - d̂_j = fl(x_j − m) = d_j(1 + δ), |δ| ≤ u, so e^(d̂_j) is off by a factor e^(|d_j|u);
 *   WGSL exp: 3 + 2|x| ULP. Per term: e_j = (3 + 2|d_j|)ε + |d_j|u, relative.
 * - WGSL permits flushing subnormals to zero (Mesa's llvmpipe does): each term, and an output
 *   below 2^−126, may be off by up to 2^−126 absolutely.
 * - ŝ: n terms summed in any order: relative γ_{n−1} = (n−1)u / (1 − (n−1)u) on top of the
 *   terms' own errors: E_s = Σ t_j e_j / s + n·2^−126 + γ_{n−1}.
 * - WGSL division (f32): 2.5 ULP for divisors in [2^−126, 2^126] (s ∈ [1, n]).
 * - WGSL log: absolute 2^−21 for arguments in [0.5, 2], else 3 ULP (relative 3ε).
 *   log ŝ − log s ≤ E_s·1.01 (|ln(1 + E)| ≤ 1.01·E for E ≤ 0.02).
 * Per op:
 *   softmax_i:     A = y_i·1.01·(e_i + E_s + 2.5ε) + 2^−126
 *   log_softmax_i: A = 1.01·(|d_i|u + E_s + logErr) + ε|r|     (ε|r|: the final rounding)
 *   logsumexp:     A = 1.01·(E_s + logErr) + ε|r|
 * with logErr = 2^−21 if s ≤ 2, else 3ε·ln s; each A also includes ulp(r)/2 for r being the
 * rounded, not the exact, value. Rows must be finite and non-empty (specials are tested apart).
 */
import { F32, ulpOf } from '../../../formats/index.js';
import type { KernelOp } from '../kernels.js';

const U = 2 ** -24;
const EPS = 2 ** -23;
const MIN_NORMAL = 2 ** -126;

/** The absolute allowance per output element of `op` at the finite, non-empty row `x`; `r` the oracle's values. */
export function wgslAllowance(op: KernelOp, x: Float64Array, r: Float64Array): Float64Array {
  const n = x.length;
  let m = -Infinity;
  for (const v of x) m = Math.max(m, v);
  let s = 0;
  let weighted = 0;
  for (const v of x) {
    const d = Math.abs(v - m);
    const t = Math.exp(v - m);
    s += t;
    weighted += t * ((3 + 2 * d) * EPS + d * U);
  }
  const gamma = ((n - 1) * U) / (1 - (n - 1) * U);
  const Es = weighted / s + n * MIN_NORMAL + gamma;
  const logErr = s <= 2 ? 2 ** -21 : 3 * EPS * Math.log(s);
  const out = new Float64Array(r.length);
  for (let i = 0; i < r.length; i++) {
    const half = ulpOf(F32, r[i]) / 2;
    if (op === 'softmax') {
      const d = Math.abs(x[i] - m);
      const ei = (3 + 2 * d) * EPS + d * U;
      const y = Math.exp(x[i] - m) / s;
      out[i] = y * 1.01 * (ei + Es + 2.5 * EPS) + MIN_NORMAL + half;
    } else if (op === 'log_softmax') {
      const d = Math.abs(x[i] - m);
      out[i] = 1.01 * (d * U + Es + logErr) + EPS * Math.abs(r[i]) + half;
    } else {
      out[i] = 1.01 * (Es + logErr) + EPS * Math.abs(r[i]) + half;
    }
  }
  return out;
}
