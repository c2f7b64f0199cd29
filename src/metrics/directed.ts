/**
 * Directed rounding emulated on binary64, for computing rigorous upper and lower bounds.
 *
 * JavaScript has no rounding-mode control, so the bounds in budgets.ts are computed with ordinary
 * binary64 arithmetic and each intermediate result is then pushed outward by `up` or `down`.
 *
 * Contract: let v be the binary64 result of one operation whose exact value is w — one IEEE
 * operation (+, −, ×, ÷, correctly rounded: |v − w| ≤ 2^−53·|w|, or ≤ 2^−1075 when the result
 * is subnormal, and exact when a sum or difference is subnormal), or one call of Math.exp /
 * Math.expm1 / Math.log1p, which V8 implements as fdlibm ports documented "< 1 ulp" (|v − w| <
 * ulp(w) ≤ 2^−52·|w| in the normal range, < 2^−1074 below it). Then `up(v) ≥ w` and
 * `down(v) ≤ w`.
 *
 * Derivation: in the normal range |v − w| ≤ ρ|w| with ρ = 2^−51 (2^−52 padded by a factor 2 for a
 * result just below a power of two, whose ulp is measured on the larger side), and
 * fl(v·UP) ≥ w·(1 − ρ)(1 + 2^−48)(1 − 2^−53) > w because
 * (1 − 2^−51)(1 + 2^−48)(1 − 2^−53) = 1 + 2^−48 − 2^−51 − 2^−53 − O(2^−99) > 1 (w > 0; negative
 * values by symmetry). Below 2^−1022 the error is under one subnormal step 2^−1074, and v ± 2^−1074
 * is exact there.
 *
 * Special cases: ±Infinity and NaN pass through. A zero is taken as exact or as the rounding of
 * a non-negative quantity — true of every caller (non-negative bound quantities, and the signed
 * sum a + L of logsumexp, which is exact when it is 0): `down(±0)` = 0, `up(±0)` = 2^−1074.
 *
 * Notes: chaining k operations compounds to a relative widening of at most (1 + 2^−48)^k, far
 * below anything a budget in ULPs of f64 (2^−53 relative) can notice for k < 2^20; the final
 * budgets are floored to integers.
 */
const UP = 1 + 2 ** -48;
/** See {@link UP}. */
const DOWN = 1 - 2 ** -48;
/** binary64's smallest subnormal and smallest normal. */
const SUB = 2 ** -1074;
const NORMAL = 2 ** -1022;

/** An upper bound of the exact value whose binary64 evaluation gave `v` (see module doc). */
export function up(v: number): number {
  if (!Number.isFinite(v)) return v;
  if (Math.abs(v) < NORMAL) return v + SUB;
  return v > 0 ? v * UP : v * DOWN;
}

/** A lower bound of the exact value whose binary64 evaluation gave `v` (see module doc). */
export function down(v: number): number {
  if (!Number.isFinite(v)) return v;
  if (v === 0) return 0;
  if (Math.abs(v) < NORMAL) return v > 0 ? Math.max(0, v - SUB) : v - SUB;
  return v > 0 ? v * DOWN : v * UP;
}

/** Σ values, rounded up after every addition (each value an upper bound, all ≥ 0). */
export function sumUp(values: Iterable<number>): number {
  let s = 0;
  for (const v of values) s = up(s + v);
  return s;
}
