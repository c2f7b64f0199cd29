import type { TieBreak } from '../formats/roundDecimal.js';
import type { FormatSpec } from '../formats/types.js';

/** The outcome of trying to round an enclosure into a format. */
export type Decision =
  { readonly decided: true; readonly value: number } | { readonly decided: false; readonly nearer: number };

/**
 * What `decideWith` needs to know about one kind of enclosure endpoint `E` (a decimal.js value
 * for the slow path, a scaled sum of binary64 numbers for the fast path). Every answer must be
 * exact: `round` is a correct rounding of the endpoint's exact value (or NaN when it cannot
 * tell, which makes the enclosure decide nothing).
 */
export interface EndpointArith<E> {
  /** The endpoint's exact value rounded to nearest into `fmt`, ties as `tie` says; or NaN. */
  round(fmt: FormatSpec, e: E, tie: TieBreak): number;
  /** The endpoint's exact value is ≥ 0. */
  nonNegative(e: E): boolean;
  /** The endpoint's exact value is ≤ 0. */
  nonPositive(e: E): boolean;
  /** lo and hi are the same exact value (a degenerate enclosure: the value itself). */
  isPoint(lo: E, hi: E): boolean;
  /** Some value of `fmt` near the enclosure (for the undecided case; need not be exact). */
  nearer(fmt: FormatSpec, lo: E, hi: E): number;
}

/**
 * Rounds the value enclosed by [lo, hi] into `fmt`, if the enclosure decides it. Shared by the
 * slow (decimal.js) and fast (double-double) paths of the oracle, which differ only in their
 * endpoint arithmetic.
 *
 * Contract: either lo = hi and that is the exact value, or the exact value lies strictly
 * inside (lo, hi). The latter holds for every non-degenerate enclosure the oracle builds, because
 * every such result is irrational while lo and hi are decimal or dyadic (hence rational): by the
 * Lindemann–Weierstrass theorem, a sum Σ c_j·e^(a_j) with distinct rational a_j, not all zero,
 * and nonzero algebraic c_j is transcendental, and the oracle's results (e^(d_i)/(1+s),
 * d_i − ln(1+s), m + ln(1+s), −s/(1+s) with s = Σ e^(d_j) over at least one d_j ≠ 0) all reduce to
 * such a sum being nonzero. The exact cases (every finite logit equal to the max) are computed
 * with exact operations and come out as lo = hi. (Enclosures that end exactly at a quantity known
 * to be strictly exceeded — d_i − L with L > 0 ends at d_i — are strictly inside for the same
 * reason or by that sign.)
 *
 * Because the value is strictly inside, a midpoint of the format's grid that equals lo (or hi)
 * cannot be the value: the value rounds like a point just above lo (just below hi). So the lower
 * end rounds with ties towards +∞, the upper end with ties towards −∞; when both give the same
 * format value, that value is the correctly rounded result. Zero: a value strictly inside (0, hi)
 * is positive and rounds to +0; inside (lo, 0) negative and rounds to −0; an enclosure straddling
 * zero cannot decide the sign and is undecided. An exact zero is +0 (x − x = +0 in IEEE); a
 * point that is not zero but rounds to zero keeps its sign.
 */
export function decideWith<E>(ar: EndpointArith<E>, fmt: FormatSpec, lo: E, hi: E): Decision {
  const v = decideValue(ar, fmt, lo, hi);
  return v === v ? { decided: true, value: v } : { decided: false, nearer: ar.nearer(fmt, lo, hi) };
}

/**
 * `decideWith` without the allocation: the decided value, or NaN when the enclosure does not
 * decide the rounding (a rounded result is never NaN). The fast path's hot loop uses this form.
 */
export function decideValue<E>(ar: EndpointArith<E>, fmt: FormatSpec, lo: E, hi: E): number {
  if (ar.isPoint(lo, hi)) {
    const v = ar.round(fmt, lo, 'even');
    // an exact zero is +0; a nonzero value that rounds to zero keeps its sign (NaN stays NaN)
    if (v === 0) return ar.nonNegative(lo) && ar.nonPositive(lo) ? 0 : v;
    return v;
  }
  const a = ar.round(fmt, lo, 'up');
  const b = ar.round(fmt, hi, 'down');
  if (a === b) {
    // NaN (cannot tell) never compares equal, so it lands below as undecided
    if (a !== 0) return a;
    if (ar.nonNegative(lo)) return 0;
    if (ar.nonPositive(hi)) return -0;
  }
  return NaN;
}
