import { formatSpec } from '../formats/specs.js';
import type { FormatName } from '../vocabulary/FormatName.js';
import { memoizedBounds, type BoundsMemo } from './budgets.js';
import { up, down } from './directed.js';

/** The bound of the `sum` check and why it may be vacuous. */
export interface SumBound {
  /** An upper bound of |Σ_i ŷ_i − 1| for the recommended algorithm, capped at `cap`. */
  readonly bound: number;
  /** 1 − 2u: the largest deviation the check ever allows (a deviation of 1 always fails). */
  readonly cap: number;
  /** Why no a-priori bound exists (the bound is then the cap), or null. */
  readonly vacuous: string | null;
}

/**
 * The bound of |Σ_i ŷ_i − 1| for the softmax outputs ŷ of the recommended algorithm (shifted,
 * with division) on logits `x` in `format`. Callers sum the outputs exactly (exactSum.ts), so
 * the check itself adds no error.
 *
 * Derivation (notation of algorithmBounds.ts): Σ y_i = 1, and |ŷ_i − y_i| ≤ ε_i·y_i + A_i with
 * ε_i = φ_i + u(1 + φ_i), φ_i = (τ_i + Θ)/(1 − Θ), A_i = b_i(1 + u) + σ/2, b_i = σ[D_i > 0]/(1 − Θ).
 * Summing, and using Σ τ_i·y_i = Σ τ_i·e_i/S = W:
 *   |Σ ŷ_i − 1| ≤ (1 + u)(W + Θ)/(1 − Θ) + u + (n − m)·σ(1 + u)/(1 − Θ) + n·σ/2.
 * First order ≈ (h(n) + 1)u + 2W, h(n) = min(n − 1, ⌈log₂ n⌉ + 1) the depth of the pairwise
 * sum (summationDepth.ts): the weights y_i make it far smaller than the sum of the per-element
 * bounds.
 *
 * Special cases: −Inf logits contribute exact zeros and are left out; no finite logit (the
 * outputs are NaN) or a NaN or +Inf logit: the check does not apply and the bound is NaN; one
 * finite logit: the output is exactly 1, bound 0. A vacuous bound (Θ ≥ 1) gives the cap
 * 1 − 2u, the counterpart of ulpCap: an element within 2^(p−1) − 1 ULPs of a value at the bottom
 * of its binade can be (2^(p−1) − 1)·2u = 1 − 2u too large relative, no more.
 *
 * `memo`: the row's BoundsMemo (budgets.ts), shared with its budgets.
 */
export function softmaxSumBound(format: FormatName, x: ArrayLike<number>, memo?: BoundsMemo): SumBound {
  const fmt = formatSpec(format);
  const u = fmt.unitRoundoff;
  const sigma = fmt.minSubnormal;
  const cap = 1 - 2 * u;
  let count = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v !== v || v === Infinity) return { bound: NaN, cap, vacuous: null };
    if (v !== -Infinity) count++;
  }
  if (count === 0) return { bound: NaN, cap, vacuous: null };
  if (count === 1) return { bound: 0, cap, vacuous: null };
  // the same bounds as the budgets' (budgets.ts): one derivation per row, not one per
  // implementation judged on it; the finite logits are copied only when some are −Inf
  const finite = count === x.length ? x : Float64Array.from(x).filter((v) => v !== -Infinity);
  const { parts, vacuous } = memoizedBounds(memo, 'softmax', format, finite);
  if (vacuous !== null) return { bound: cap, cap, vacuous };
  const { W, theta, n, maxCount } = parts;
  const oneMinusTheta = down(1 - theta);
  const main = up(up(up(1 + u) * up(W + theta)) / oneMinusTheta);
  const sub = up(up(up((n - maxCount) * sigma) * (1 + u)) / oneMinusTheta);
  const bound = up(up(main + u) + up(sub + up((n * sigma) / 2 || n * sigma)));
  return { bound: Math.min(bound, cap), cap, vacuous: null };
}
