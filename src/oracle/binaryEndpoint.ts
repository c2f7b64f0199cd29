import type { TieBreak } from '../formats/roundDecimal.js';
import type { FormatSpec } from '../formats/types.js';
import type { EndpointArith } from './decide.js';
import { U } from './dd.js';
import { exponentOf, pow2i } from './pow2i.js';

/**
 * An enclosure endpoint of the fast path: the exact real 2^k·(a + b + c + d + r), a sum of
 * binary64 numbers (unused ones 0) scaled by an integer power of two k that may lie far outside
 * binary64's exponent range. Typically a + b is a double-double result, c + d another one added
 * without rounding, and r a signed error radius. Rounded into a target format exactly, with
 * binary64 operations only (`roundScaled`).
 */
export interface ScaledSum {
  readonly k: number;
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
  readonly r: number;
}

const sc = new Float64Array(8);
const ex = new Float64Array(8);

/**
 * The exact sign (−1, 0, 1) of x[0] + … + x[m − 1] (m ≤ 8; x is left as it is, the expansion
 * is built in a scratch array).
 *
 * Filter: the recursive floating-point sum D errs by at most (m − 1)·u·Σ|x_i| (Higham, γ_(m−1);
 * additions that underflow are exact), so |D| > 2m·2^−53·Σ|x_i| (computed; the factor 2 covers
 * the rounding of Σ|x_i| and of the bound itself) fixes the sign. Otherwise exactly: Shewchuk's
 * GROW-EXPANSION with zero elimination turns the terms into a nonoverlapping expansion with the
 * same exact sum, and the sign of a nonoverlapping expansion is that of its largest component
 * (the others add up to less than its lowest set bit).
 */
export function exactSign(x: Float64Array, m: number): number {
  let d = 0;
  let abs = 0;
  for (let i = 0; i < m; i++) {
    d += x[i];
    abs += Math.abs(x[i]);
  }
  if (Math.abs(d) > 2 * m * U * abs) return d > 0 ? 1 : -1;
  let len = 0;
  for (let i = 0; i < m; i++) {
    let q = x[i];
    let n = 0;
    for (let j = 0; j < len; j++) {
      const e = ex[j];
      const s = q + e;
      const bb = s - q;
      const err = q - (s - bb) + (e - bb);
      if (err !== 0) ex[n++] = err;
      q = s;
    }
    if (q !== 0) ex[n++] = q;
    len = n;
  }
  return len === 0 ? 0 : ex[len - 1] > 0 ? 1 : -1;
}

/** Steps past the candidate allowed before giving up (NaN); one suffices but for cancellation. */
const MAX_STEPS = 6;

/**
 * The exact value of `e` rounded to nearest into `fmt`, ties as `tie` says (towards +∞ or −∞, or
 * to even), with gradual underflow and IEEE overflow; NaN when it cannot tell (the sum cancels
 * by more than 2^40, or its magnitude lies outside [2^−960, 2^1022) before the scaling 2^k) — the
 * caller then treats the enclosure as undecided.
 *
 * Method: a compensated approximation v of the sum fixes the binade E and the format's quantum
 * Q = 2^qe there (qe = max(E, emin) − p + 1), and a candidate M·Q with M = round(|v|/Q); a
 * candidate well inside its rounding interval is accepted at once. The candidate is then
 * confirmed with exact sign tests of the sum minus (M·Q ∓ gap/2), the midpoints to its
 * neighbours, all scaled by 2^−k (so every term is a binary64 number of moderate size whatever
 * k is): the gap above is Q; the gap below is Q, or Q/2 when M·Q is a power of two at the bottom
 * of a normal binade above 2^emin (the grid below it is twice as fine). A failed test steps the
 * candidate to that neighbour and tests again. A value exactly on a midpoint goes the way `tie`
 * says.
 *
 * Special cases: an exact zero sum gives +0; a nonzero value that rounds to zero keeps its sign;
 * a magnitude rounding to 2^(emax+1) gives ±Infinity.
 */
export function roundScaled(fmt: FormatSpec, e: ScaledSum, tie: TieBreak): number {
  const k = e.k;
  const size = Math.abs(e.a) + Math.abs(e.b) + Math.abs(e.c) + Math.abs(e.d) + Math.abs(e.r);
  if (size === 0) return 0;
  if (!Number.isFinite(size)) return NaN;
  let v = sum2(e.a, e.b, e.c, e.d, e.r);
  // |v − exact| ≤ u|v| + γ_4²·size (Ogita, Rump & Oishi's Sum2), so with |v| ≥ 2^−40·size,
  // v is within (2^−53 + 16·2^−106·2^40)|v| < 2^−52|v| of the exact value: its sign is the
  // exact sign, its binade the exact binade up to a boundary crossing, and the candidate below
  // is off by at most one step, which the stepping loop handles.
  if (!(Math.abs(v) >= size * 2 ** -40)) return NaN;
  const neg = v < 0;
  const sg = neg ? -1 : 1;
  sc[0] = sg * e.a;
  sc[1] = sg * e.b;
  sc[2] = sg * e.c;
  sc[3] = sg * e.d;
  sc[4] = sg * e.r;
  if (neg) {
    v = -v;
    if (tie === 'up') tie = 'down';
    else if (tie === 'down') tie = 'up';
  }
  // ties on magnitudes from here: 'up' = away from zero
  const ev = exponentOf(v);
  // keep every scaled quantity below in range: 2^(k−qe) ≤ 2^1012, Q/4 ≥ 2^−1014, and
  // M·Q ≤ |v|(1 + 2^−51) < 2^1023 (no sum in the sign tests overflows: only one term is huge)
  if (ev < -960 || ev > 1021) return NaN;
  const p = fmt.precision;
  const E = k + ev;
  // |value| < 2^(E+1)·(1 + 2^−52): when E ≤ emin − p − 2, it is below 2^(emin−p) = minSub/2
  if (E <= fmt.emin - p - 2) return neg ? -0 : 0;
  let qe = Math.max(E, fmt.emin) - p + 1;
  const qMin = fmt.emin - p + 1;
  const top = pow2i(p);
  const half = top / 2;
  // the candidate in units of 2^qe, from v scaled by 2^(k − qe) (exact: v is normal and the
  // result lies in [2^−3, 2^54])
  let M = Math.round(v * pow2i(k - qe));
  for (let step = 0; step < MAX_STEPS; step++) {
    if (M >= top) {
      M /= 2;
      qe += 1;
    }
    if (M < 0) return NaN;
    const Q = pow2i(qe - k); // the quantum relative to the terms
    // below: the gap is Q/2 at the bottom of a normal binade above emin, else Q (at M = 0 the
    // neighbour is −Q: the midpoint −Q/2 keeps the test symmetric)
    const halfDown = M === half && qe > qMin ? Q / 4 : Q / 2;
    // Quick acceptance of the first candidate: |exact − v| < 2^−52·v (above), and D = v − M·Q is
    // exact (|D| ≤ Q/2 ≤ M·Q/2: Sterbenz; D = v for M = 0), so |D| + 2^−52·v < min(halfDown, Q/2)
    // puts the exact value strictly between both midpoints (no tie can arise). The test uses
    // 2^−50·v: its sum's rounding (≤ u·(|D| + 2^−50·v)) is covered because |D| ≤ Q/2 ≤ v
    // (M ≥ 1) or |D| = v (M = 0), so u·|D| ≤ (2^−50 − 2^−52)(1 − u)·v.
    if (step === 0) {
      const D = v - M * Q;
      if (Math.abs(D) + v * 2 ** -50 < (halfDown < Q / 2 ? halfDown : Q / 2)) return finish(fmt, M, qe, neg);
    }
    sc[5] = -M * Q; // exact: M ≤ 2^p
    sc[6] = halfDown;
    const lo = exactSign(sc, 7); // sign of value − (M·Q − halfDown)
    if (lo < 0 || (lo === 0 && (tie === 'down' || (tie === 'even' && M % 2 === 1)))) {
      if (halfDown !== Q / 2) {
        // into the finer binade below: the neighbour is 2^p − 1 units of Q/2
        M = top - 1;
        qe -= 1;
      } else M -= 1;
      continue;
    }
    sc[6] = -Q / 2;
    const hi = exactSign(sc, 7); // sign of value − (M·Q + Q/2)
    if (hi > 0 || (hi === 0 && (tie === 'up' || (tie === 'even' && M % 2 === 1)))) {
      M += 1;
      continue;
    }
    return finish(fmt, M, qe, neg);
  }
  return NaN;
}

/** ±M·2^qe as a value of the format: above maxFinite only when M·2^qe = 2^(emax+1) (overflow). */
function finish(fmt: FormatSpec, M: number, qe: number, neg: boolean): number {
  if (M === 0) return neg ? -0 : 0;
  const p = fmt.precision;
  const mag = qe + p - 1 > fmt.emax ? Infinity : M * pow2i(qe);
  const out = mag > fmt.maxFinite ? Infinity : mag;
  return neg ? -out : out;
}

/**
 * Ogita, Rump & Oishi's Sum2 ("Accurate sum and dot product", SIAM J. Sci. Comput. 26(6), 2005)
 * of five terms: a TwoSum cascade plus the sum of its errors; |result − exact| ≤ u·|result| +
 * γ_4²·Σ|terms| with γ_4 = 4u/(1 − 4u).
 */
function sum2(a: number, b: number, c: number, d: number, r: number): number {
  let s = a + b;
  let bb = s - a;
  let err = a - (s - bb) + (b - bb);
  let x = s + c;
  bb = x - s;
  err += s - (x - bb) + (c - bb);
  s = x + d;
  bb = s - x;
  err += x - (s - bb) + (d - bb);
  x = s + r;
  bb = x - s;
  err += s - (x - bb) + (r - bb);
  return x + err;
}

/** The sign (−1, 0, 1) of an endpoint's exact value. */
function scaledSign(e: ScaledSum): number {
  sc[0] = e.a;
  sc[1] = e.b;
  sc[2] = e.c;
  sc[3] = e.d;
  sc[4] = e.r;
  return exactSign(sc, 5);
}

/** The endpoint arithmetic of the fast path, for `decideWith`. */
export const SCALED_ENDPOINTS: EndpointArith<ScaledSum> = {
  round: roundScaled,
  nonNegative: (e) => scaledSign(e) >= 0,
  nonPositive: (e) => scaledSign(e) <= 0,
  isPoint: (lo, hi) =>
    lo.k === hi.k && lo.a === hi.a && lo.b === hi.b && lo.c === hi.c && lo.d === hi.d && lo.r === hi.r,
  nearer: (fmt, lo, hi) => {
    const v = roundScaled(fmt, lo, 'even');
    return v === v ? v : roundScaled(fmt, hi, 'even');
  },
};
