import { up } from './directed.js';

/**
 * Higham's γ_k = k·u / (1 − k·u), rounded up: the rigorous factor bounding the accumulated
 * relative error of k roundings, ∏(1 + δ_i)^±1 − 1 with |δ_i| ≤ u (Higham, "Accuracy and
 * Stability of Numerical Algorithms", 2nd ed., Lemma 3.1). For example, a sum of n terms by a
 * summation tree of depth h satisfies |ŝ − s| ≤ γ_h·Σ|x_i| (ibid., §4.2): γ_{n−1} for recursive
 * summation in any order, γ_{⌈log₂ n⌉} for pairwise summation (summationDepth.ts gives the depth
 * the budgets assume).
 *
 * Special cases: k ≤ 0 → 0 (no rounding); k·u ≥ 1 → +Infinity: the lemma gives no bound (for a
 * recursive sum, n·u ≥ 1 is where stagnation can lose every further term, e.g. 2048 + 1 = 2048
 * in f16).
 *
 * Notes: k·u is exact in binary64 (k < 2^53, u a power of two), and so is 1 − k·u when k·u < 1
 * and u ≥ 2^−53; only the division rounds, hence one `up`.
 */
export function gamma(k: number, u: number): number {
  if (!(k > 0)) return 0;
  const ku = k * u;
  if (ku >= 1) return Infinity;
  return up(ku / (1 - ku));
}
