import { Decimal } from 'decimal.js';
import { roundDecimal } from '../formats/roundDecimal.js';
import type { FormatSpec } from '../formats/types.js';

/**
 * Directed-rounding arithmetic at a fixed number of significant decimal digits.
 *
 * `F` rounds every result towards −∞ and `C` towards +∞, so an expression evaluated with `F` on
 * lower bounds and `C` on upper bounds encloses the exact value (interval arithmetic). decimal.js
 * rounds +, −, ×, ÷ correctly in the configured mode. Its exp and ln are documented as correctly
 * rounded too, but rather than lean on that for directed modes we evaluate them to nearest with
 * five guard digits and widen by two units in the last place each way (`widen`): the enclosure
 * then holds even if the library were off by a whole unit.
 */
export interface Arith {
  /** Working precision in significant decimal digits. */
  readonly digits: number;
  /** Rounds towards −∞. */
  readonly F: Decimal.Constructor;
  /** Rounds towards +∞. */
  readonly C: Decimal.Constructor;
  /** Rounds to nearest, five guard digits beyond `digits`: for exp and ln before `widen`. */
  readonly N: Decimal.Constructor;
}

const cache = new Map<number, Arith>();
const RANGE = { minE: -9e15, maxE: 9e15 } as const;

export function arith(digits: number): Arith {
  let a = cache.get(digits);
  if (!a) {
    a = {
      digits,
      F: Decimal.clone({ precision: digits, rounding: Decimal.ROUND_FLOOR, ...RANGE }),
      C: Decimal.clone({ precision: digits, rounding: Decimal.ROUND_CEIL, ...RANGE }),
      N: Decimal.clone({ precision: digits + 5, rounding: Decimal.ROUND_HALF_EVEN, ...RANGE }),
    };
    cache.set(digits, a);
  }
  return a;
}

/** A closed interval [lo, hi] holding an exact real value; lo = hi means the value is exact. */
export interface Interval {
  readonly lo: Decimal;
  readonly hi: Decimal;
}

export function exact(v: Decimal): Interval {
  return { lo: v, hi: v };
}

/**
 * Encloses the exact value of a result `r` rounded to nearest at `N`'s precision (d = digits + 5
 * significant digits): |r − exact| ≤ ½·10^(e−d+1) ≤ ½·|r|·10^(1−d) for r's decimal exponent e.
 * We widen by 2·|r|·10^(1−d), four times that, in directed arithmetic.
 */
export function widen(a: Arith, r: Decimal): Interval {
  if (r.isZero()) return exact(r);
  const slack = a.C.mul(r.abs(), `1e${1 - (a.digits + 5)}`).times(2);
  return { lo: a.F.sub(r, slack), hi: a.C.add(r, slack) };
}

/** e^d for an exact d, enclosed. e^0 = 1 exactly. */
export function expInterval(a: Arith, d: Decimal): Interval {
  if (d.isZero()) return exact(new a.F(1));
  return widen(a, a.N.exp(d));
}

/**
 * ln(1 + s) for s ∈ [lo, hi] with 0 ≤ lo ≤ hi, enclosed.
 *
 * Special cases: hi = 0 → exactly 0.
 *
 * Notes: computing 1 + s at `digits` would lose s entirely when s < 10^−digits (the enclosure
 * would be [0, 10^−digits], useless for log_softmax at the max, which is −log1p(s)). So:
 * - when hi < 10^(−digits/2), the alternating series gives s − s²/2 ≤ log1p(s) ≤ s − s²/2 + s³/3
 *   for 0 ≤ s < 1; both bounds increase with s, so evaluate the lower at lo and the upper at hi.
 *   The truncation width is below s³/3 + s²/2·(hi−lo)/s, relative ≤ 10^−digits.
 * - otherwise s ≥ 10^(−digits/2) and 1 + s is formed at digits + digits/2 + 10 digits, so its
 *   rounding (≤ 10^−(1.5·digits+9)) is below 10^−(digits+9) relative to ln(1+s) ≥ s/2.
 */
export function log1pInterval(a: Arith, s: Interval): Interval {
  if (s.hi.isZero()) return exact(new a.F(0));
  const small = new a.F(`1e-${Math.ceil(a.digits / 2)}`);
  if (s.hi.lt(small)) {
    const lo = a.F.sub(s.lo, a.C.div(a.C.mul(s.lo, s.lo), 2));
    const hi2 = a.C.mul(s.hi, s.hi);
    const hi = a.C.add(a.C.sub(s.hi, a.F.div(hi2, 2)), a.C.div(a.C.mul(hi2, s.hi), 3));
    return { lo: lo.lt(0) ? new a.F(0) : lo, hi };
  }
  const w = arith(a.digits + Math.ceil(a.digits / 2) + 10);
  const lo = widen(w, w.N.ln(w.F.add(1, s.lo))).lo;
  const hi = widen(w, w.N.ln(w.C.add(1, s.hi))).hi;
  return { lo: lo.lt(0) ? new a.F(0) : lo, hi };
}

/** The outcome of trying to round an enclosure into a format. */
export type Decision = { readonly decided: true; readonly value: number } | { readonly decided: false; readonly nearer: number };

/**
 * Rounds the value enclosed by `iv` into `fmt`, if the enclosure decides it.
 *
 * Contract: either iv.lo = iv.hi and that is the exact value, or the exact value lies strictly
 * inside (lo, hi). The latter holds for every non-degenerate enclosure the oracle builds, because
 * every such result is irrational while lo and hi are decimal (hence rational): by the
 * Lindemann–Weierstrass theorem, a sum Σ c_j·e^(a_j) with distinct rational a_j, not all zero,
 * and nonzero algebraic c_j is transcendental, and the oracle's results (e^(d_i)/(1+s),
 * d_i − ln(1+s), m + ln(1+s), −s/(1+s) with s = Σ e^(d_j) over at least one d_j ≠ 0) all reduce to
 * such a sum being nonzero. The exact cases (every finite logit equal to the max) are computed
 * with exact operations and come out as lo = hi.
 *
 * Because the value is strictly inside, a midpoint of the format's grid that equals lo (or hi)
 * cannot be the value: the value rounds like a point just above lo (just below hi). So the lower
 * end rounds with ties towards +∞, the upper end with ties towards −∞; when both give the same
 * format value, that value is the correctly rounded result. Zero: a value strictly inside (0, hi)
 * is positive and rounds to +0; inside (lo, 0) negative and rounds to −0; an enclosure straddling
 * zero cannot decide the sign and is undecided. An exact zero is +0 (x − x = +0 in IEEE).
 */
export function decide(fmt: FormatSpec, iv: Interval): Decision {
  if (iv.lo.eq(iv.hi)) {
    const v = roundDecimal(fmt, iv.lo, 'even');
    return { decided: true, value: v === 0 ? 0 : v };
  }
  const a = roundDecimal(fmt, iv.lo, 'up');
  const b = roundDecimal(fmt, iv.hi, 'down');
  if (a === b) {
    if (a !== 0) return { decided: true, value: a };
    // gte/lte rather than the sign: a floor-rounded exact zero is −0 in decimal.js
    if (iv.lo.gte(0)) return { decided: true, value: 0 };
    if (iv.hi.lte(0)) return { decided: true, value: -0 };
  }
  return { decided: false, nearer: roundDecimal(fmt, iv.lo.plus(iv.hi).div(2), 'even') };
}
