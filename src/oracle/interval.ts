import { Decimal } from 'decimal.js';
import { roundDecimal } from '../formats/roundDecimal.js';
import type { FormatSpec } from '../formats/types.js';
import { decideWith, type Decision, type EndpointArith } from './decide.js';

export type { Decision };

/**
 * Directed-rounding arithmetic at a fixed number of significant decimal digits.
 *
 * `F` rounds every result towards −∞ and `C` towards +∞, so an expression evaluated with `F` on
 * lower bounds and `C` on upper bounds encloses the exact value (interval arithmetic). decimal.js
 * rounds +, −, ×, ÷ correctly in the configured mode. Its ln is documented as correctly rounded
 * too, but rather than lean on that for directed modes we evaluate it to nearest with five guard
 * digits and widen by two units in the last place each way (`widen`): the enclosure then holds
 * even if the library were off by a whole unit. (Exponentials are not taken here but in binary
 * fixed point, fixedExp.ts.)
 */
export interface Arith {
  /** Working precision in significant decimal digits. */
  readonly digits: number;
  /** Rounds towards −∞. */
  readonly F: Decimal.Constructor;
  /** Rounds towards +∞. */
  readonly C: Decimal.Constructor;
  /** Rounds to nearest, five guard digits beyond `digits`: for ln before `widen`. */
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
function widen(a: Arith, r: Decimal): Interval {
  if (r.isZero()) return exact(r);
  const slack = a.C.mul(r.abs(), `1e${1 - (a.digits + 5)}`).times(2);
  return { lo: a.F.sub(r, slack), hi: a.C.add(r, slack) };
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

/** Decimal endpoints: exact comparisons and `roundDecimal`'s exact rounding. */
const DECIMAL_ENDPOINTS: EndpointArith<Decimal> = {
  round: (fmt, e, tie) => roundDecimal(fmt, e, tie),
  // gte/lte rather than the sign: a floor-rounded exact zero is −0 in decimal.js
  nonNegative: (e) => e.gte(0),
  nonPositive: (e) => e.lte(0),
  isPoint: (lo, hi) => lo.eq(hi),
  nearer: (fmt, lo, hi) => roundDecimal(fmt, lo.plus(hi).div(2), 'even'),
};

/**
 * Rounds the value enclosed by `iv` into `fmt`, if the enclosure decides it: `decideWith` (its
 * contract and proof are there) on decimal endpoints.
 */
export function decide(fmt: FormatSpec, iv: Interval): Decision {
  return decideWith(DECIMAL_ENDPOINTS, fmt, iv.lo, iv.hi);
}
