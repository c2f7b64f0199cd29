/**
 * h(m): the most roundings any one term may pass through in the summation the budgets assume for
 * m terms, h(m) = min(m − 1, ⌈log₂ m⌉ + 1); 0 for m ≤ 1. The sum's error is then at most
 * γ_{h(m)}·Σ|x_i| (Higham, "Accuracy and Stability of Numerical Algorithms", 2nd ed., §4.2: a
 * summation tree multiplies each term by one factor (1 + δ), |δ| ≤ u, per addition on its path to
 * the root, and Lemma 3.1 bounds a product of h of them by γ_h).
 *
 * The contract (docs/design.md, "Budgets"): the terms are summed by a binary tree of additions
 * whose depth is at most h(m). That covers
 * - pairwise summation, depth ⌈log₂ m⌉: recursive halving into parts of ⌈m/2⌉ and ⌊m/2⌋ terms,
 *   or adjacent pairs level by level with an odd term carried up (a tree reduction that starts
 *   from one term per lane);
 * - blocked pairwise: consecutive blocks of one size b (the last may be shorter), each summed
 *   pairwise, then the block sums pairwise. Depth ⌈log₂ b⌉ + ⌈log₂ ⌈m/b⌉⌉ ≤ ⌈log₂ m⌉ + 1: with
 *   B = ⌈log₂ b⌉ and N = ⌈log₂ m⌉, b > 2^(B−1) gives ⌈m/b⌉ ≤ ⌈2^N/(2^(B−1) + 1)⌉ ≤ 2^(N−B+1);
 * - one term added to a pairwise sum of the other m − 1 (1 + s in Blanchard, Higham & Higham's
 *   algorithm): depth ⌈log₂(m − 1)⌉ + 1 ≤ ⌈log₂ m⌉ + 1;
 * - recursive summation (depth m − 1) while m ≤ 5, where m − 1 ≤ ⌈log₂ m⌉ + 1.
 * It does not cover recursive summation of longer rows, nor leaves summed recursively before a
 * tree (strided per-thread loops; NumPy's pairwise sum, whose blocks of up to 128 terms go
 * through 8 recursive accumulators: depth 18 for 128 terms, where h = 8), nor 1 + s with s
 * blocked: their depth can exceed h(m), and so can their error.
 *
 * Special cases: m ≤ 1 → 0 (nothing is added); non-integer m is taken as ⌈m⌉.
 */
export function summationDepth(m: number): number {
  const k = Math.ceil(m);
  if (!(k > 1)) return 0;
  // ⌈log₂ k⌉ by doubling: exact for every k (no floating-point logarithm to round)
  let ceilLog2 = 0;
  while (2 ** ceilLog2 < k) ceilLog2++;
  return Math.min(k - 1, ceilLog2 + 1);
}
