import type { TieBreak } from '../formats/roundDecimal.js';
import type { FormatSpec } from '../formats/types.js';
import type { EndpointArith } from './decide.js';
import { U } from './dd.js';
import { exponentOf, pow2i } from './pow2i.js';

/**
 * Enclosure endpoints of the fast path: exact reals of the form 2^k·(h + l + r) with binary64
 * h, l, r and an integer k (which may lie far outside binary64's exponent range), rounded into a
 * target format exactly, with binary64 operations only.
 */
export interface ScaledSum {
  readonly k: number;
  readonly h: number;
  readonly l: number;
  readonly r: number;
}

const sc = new Float64Array(8);
const ex = new Float64Array(8);

/**
 * The exact sign (−1, 0, 1) of x[0] + … + x[m − 1] (m ≤ 8).
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
 * The exact value 2^k·(h + l + r) rounded to nearest into `fmt`, ties as `tie` says (towards +∞
 * or −∞, or to even), with gradual underflow and IEEE overflow; NaN when it cannot tell (the
 * sum cancels to far below its terms, or a term is subnormal in a way that keeps the scaling
 * from being exact) — the caller then treats the enclosure as undecided.
 *
 * Method: an approximation v = RN(RN(h + l) + r) of a well-conditioned sum fixes the binade E and the format's quantum
 * Q = 2^qe there (qe = max(E, emin) − p + 1), and a candidate M·Q with M = round(|v|/Q). The
 * candidate is then confirmed with exact sign tests of (h + l + r) − (M·Q ∓ gap/2) against the
 * midpoints to its neighbours, all scaled by 2^−k (so every term is a binary64 number near 1
 * whatever k is): the gap above is Q; the gap below is Q, or Q/2 when M·Q is a power of two at
 * the bottom of a normal binade above 2^emin (the grid below it is twice as fine). A failed test
 * steps the candidate to the neighbour and repeats. A value exactly on a midpoint goes the
 * way `tie` says.
 *
 * Special cases: an exact zero sum gives +0; a nonzero value that rounds to zero keeps its sign;
 * a magnitude rounding to 2^(emax+1) gives ±Infinity.
 */
export function roundScaled(fmt: FormatSpec, k: number, h: number, l: number, r: number, tie: TieBreak): number {
  let v = h + l + r;
  const size = Math.abs(h) + Math.abs(l) + Math.abs(r);
  if (size === 0) return 0;
  // Well-conditioned sums only: then |exact − v| ≤ 2u·size ≤ 4u·|v| (two roundings), so v's
  // binade is the exact value's up to a boundary crossing, which the stepping below handles.
  if (!(Math.abs(v) >= size / 2) || !Number.isFinite(size)) return NaN;
  const neg = v < 0;
  let hh = h;
  let ll = l;
  let rr = r;
  if (neg) {
    hh = -h;
    ll = -l;
    rr = -r;
    v = -v;
    if (tie === 'up') tie = 'down';
    else if (tie === 'down') tie = 'up';
  }
  // ties on magnitudes now: 'up' = away from zero
  const ev = exponentOf(v);
  // keep every scaled quantity below (2^(k−qe) ≤ 2^1012, Q/4 ≥ 2^−1014, M·Q ≤ 2^1004) in range
  if (ev < -960 || ev > 1000) return NaN;
  const p = fmt.precision;
  const E = k + ev;
  // |value| < 2^(E+1)·(1 + 2^−50): when E ≤ emin − p − 2, it is below 2^(emin−p) = minSub/2
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
    const mq = M * Q; // exact: M ≤ 2^p
    // below: the gap is Q/2 at the bottom of a normal binade above emin, else Q (and at M = 0 the
    // neighbour is −Q: the midpoint −Q/2 keeps the test symmetric)
    const halfDown = M === half && qe > qMin ? Q / 4 : Q / 2;
    sc[0] = hh;
    sc[1] = ll;
    sc[2] = rr;
    sc[3] = -mq;
    sc[4] = halfDown;
    const lo = exactSign(sc, 5); // sign of value − (M·Q − halfDown)
    if (lo < 0 || (lo === 0 && (tie === 'down' || (tie === 'even' && M % 2 === 1)))) {
      if (halfDown !== Q / 2) {
        // into the finer binade below: the neighbour is 2^p − 1 units of Q/2
        M = top - 1;
        qe -= 1;
      } else M -= 1;
      continue;
    }
    sc[4] = -Q / 2;
    const hi = exactSign(sc, 5); // sign of value − (M·Q + Q/2)
    if (hi > 0 || (hi === 0 && (tie === 'up' || (tie === 'even' && M % 2 === 1)))) {
      M += 1;
      continue;
    }
    // M·2^qe is the rounding; above maxFinite only when M·2^qe = 2^(emax+1)
    if (M === 0) return neg ? -0 : 0;
    const mag = qe + p - 1 > fmt.emax ? Infinity : M * pow2i(qe);
    const out = mag > fmt.maxFinite ? Infinity : mag;
    return neg ? -out : out;
  }
  return NaN;
}

/** The endpoint arithmetic of the fast path, for `decideWith`. */
export const SCALED_ENDPOINTS: EndpointArith<ScaledSum> = {
  round: (fmt, e, tie) => roundScaled(fmt, e.k, e.h, e.l, e.r, tie),
  nonNegative: (e) => signOf(e) >= 0,
  nonPositive: (e) => signOf(e) <= 0,
  isPoint: (lo, hi) => lo.k === hi.k && lo.h === hi.h && lo.l === hi.l && lo.r === 0 && hi.r === 0,
  nearer: (fmt, lo) => roundScaled(fmt, lo.k, lo.h, lo.l, 0, 'even'),
};

function signOf(e: ScaledSum): number {
  sc[0] = e.h;
  sc[1] = e.l;
  sc[2] = e.r;
  return exactSign(sc, 3);
}
