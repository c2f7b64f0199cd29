import type { FormatSpec } from '../formats/types.js';
import type { ScaledSum } from './binaryEndpoint.js';
import { exponentOf, pow2i } from './pow2i.js';

/**
 * The fast path's first rounding test: decides most enclosures [lo, hi] of the fast path in a
 * few binary64 operations, and returns NaN (not decided here) for the rest, which then go to the
 * exact test (`decideValue` on `SCALED_ENDPOINTS`, decide.ts). It never returns a value the
 * exact test would not: when it answers, the whole enclosure lies strictly inside one rounding
 * interval of `fmt`, so the exact value rounds to the returned value, whichever way ties go.
 *
 * Why a second test: the exact test rounds each endpoint on its own, with exact sign tests of
 * expansions (binaryEndpoint.ts). For f64 results its own quick acceptance (a 2^−50 slack) can
 * never pass, since the grid itself is 2^−53 apart, so every f64 element paid for four exact
 * sign tests, as much as its exponential. Here the enclosure's center is carried as a
 * double-double, whose low part measures the distance to the candidate with no rounding at all.
 *
 * Method, for endpoints lo = 2^k·(a + b + c + d − ρlo), hi = 2^k·(a + b + c + d + ρhi) that
 * share k and a, b, c, d (every enclosure the fast path builds), ρlo, ρhi ≥ 0:
 * 1. The center C = a + b + c + d as h + l, within ε_C: TwoSum gives a + c = s₁ + e₁ exactly; t = RN(RN(b + d) + e₁) errs by at most γ₂·(|b| + |d| + |e₁|),
 *    γ₂ = 2u/(1 − 2u) ≤ 2^−51.99; TwoSum gives s₁ + t = h + l exactly. So C ∈ h + l ± ε_C
 *    with ε_C = (|b| + |d| + |e₁|)·2^−51 (bounding γ₂ and the roundings of the bound itself; with
 *    c = d = 0 every step is exact and ε_C = 0).
 * 2. The binade E = k + ⌊log2 |h|⌋ and the format's quantum Q = 2^qe there, qe = max(E, emin) −
 *    p + 1. With f = 2^(k − qe), X = h·f, Y = l·f and the radii ρ·f are exact scalings (h's
 *    exponent is kept within ±960 and E − qe ≤ p − 1 ≤ 52, so every product is a normal number;
 *    a product below 2^−1022, only possible for a part ≪ h, is charged 2^−1074 in the margin).
 * 3. M = round(X) is the candidate, in units of Q; D = X − M is exact (X < 2^53 is a multiple of
 *    its own ulp ≤ 1/2, and |D| ≤ 1/2). The value, in units of Q, lies in
 *    M + (D + Y) ± (ε_C·f + ρ·f); with S = RN(D + Y), |S − (D + Y)| ≤ u·|S|.
 * 4. Accept M when S − ρlo·f − margin > −½ and S + ρhi·f + margin < ½, where margin covers
 *    ε_C·f, the rounding of S and of these sums (a relative 2^−50 of everything involved, plus
 *    2^−1074·4 for scalings below binary64's normal range): then the value is strictly inside
 *    (M − ½, M + ½)·Q, and M·Q is its correct rounding, no tie possible. At the bottom of a
 *    normal binade (M = 2^(p−1), qe above the subnormal quantum) the grid below is twice as
 *    fine, and the lower test is against −¼ instead (a softmax just below 1 lands here). M = 2^p
 *    (a carry into the next binade) and a result that overflows are left to the exact test, and
 *    so is M = 0 unless the whole enclosure has one sign (then ±0).
 *
 * Special cases: every part zero (an exact zero center with zero radii), h = 0 after step 1
 * (total cancellation), non-finite parts and exponents near binary64's limits return NaN, for
 * the exact test to handle.
 */
export function quickDecide(fmt: FormatSpec, lo: ScaledSum, hi: ScaledSum): number {
  const a = lo.a;
  const b = lo.b;
  const c = lo.c;
  const d = lo.d;
  const rLo = -lo.r;
  const rHi = hi.r;
  if (!(rLo >= 0 && rHi >= 0)) return NaN;
  const p = fmt.precision;
  if (c === 0 && d === 0 && (p === 53 || p === 24) && lo.k >= -1022 && lo.k <= 1023) {
    const v = roundTrip(p === 53, a, b, rLo, rHi, pow2i(lo.k));
    if (v === v) return v;
  }
  let h: number;
  let l: number;
  let eC = 0;
  if (c === 0 && d === 0) {
    h = a;
    l = b;
  } else {
    // a + c = s1 + e1 exactly (TwoSum)
    const s1 = a + c;
    let bb = s1 - a;
    const e1 = a - (s1 - bb) + (c - bb);
    const t = b + d + e1;
    eC = (Math.abs(b) + Math.abs(d) + Math.abs(e1)) * 2 ** -51;
    // s1 + t = h + l exactly (TwoSum)
    h = s1 + t;
    bb = h - s1;
    l = s1 - (h - bb) + (t - bb);
  }
  if (h === 0 || !Number.isFinite(h) || !Number.isFinite(l) || !Number.isFinite(eC + rLo + rHi)) return NaN;
  const eh = exponentOf(h);
  if (eh < -960 || eh > 960) return NaN;
  const E = lo.k + eh;
  const qMin = fmt.emin - p + 1;
  const qe = Math.max(E, fmt.emin) - p + 1;
  const shift = lo.k - qe; // = p − 1 − eh in the normal range, larger below it
  // X = h·2^shift: E − qe ≤ p − 1, so |X| < 2^p; far below the subnormal quantum, X is tiny
  if (E - qe < -100) {
    // |h|·2^shift < 2^−99: when the low part, the center's error and the radii total less than
    // |h|/2 (the factor 2 covers this sum's own roundings), the value has h's sign and a magnitude
    // below 2^−98·Q, so it rounds to a zero of that sign
    if (Math.abs(h) > 2 * (Math.abs(l) + eC + rLo + rHi)) return h > 0 ? 0 : -0;
    return NaN;
  }
  if (shift > 1023 || shift < -1022) return NaN;
  const f = pow2i(shift);
  const neg = h < 0;
  const X = neg ? -h * f : h * f;
  const Y = neg ? -l * f : l * f;
  const M = Math.round(X);
  const D = X - M;
  const S = D + Y;
  // ρ in units of Q on the side where the value can fall short (down) or exceed (up) of M·Q
  const down = (neg ? rHi : rLo) * f;
  const up = (neg ? rLo : rHi) * f;
  const margin =
    (Math.abs(S) + Math.abs(D) + Math.abs(Y) + eC * f + down + up) * 2 ** -50 + eC * f + 2 ** -1072;
  const top = pow2i(p);
  if (M >= top) return NaN;
  // at the bottom of a normal binade the grid below is twice as fine: half a gap is Q/4
  const halfDown = M === top / 2 && qe > qMin ? 0.25 : 0.5;
  if (!(S - down - margin > -halfDown && S + up + margin < 0.5)) return NaN;
  if (M === 0) {
    // the value is strictly inside (−Q/2, Q/2): its sign decides ±0 when the enclosure has one
    if (S - down - margin > 0) return neg ? -0 : 0;
    if (S + up + margin < 0) return neg ? 0 : -0;
    return NaN;
  }
  if (qe + p - 1 > fmt.emax) return NaN;
  const mag = M * pow2i(qe);
  if (!(mag <= fmt.maxFinite)) return NaN;
  return neg ? -mag : mag;
}

/** Widening of the radii that makes `roundTrip`'s floating-point ends safe (see there). */
const MARGIN_F64 = 2 ** -100;
const MARGIN_F32 = 2 ** -50;
const WIDEN = 1 + 2 ** -50;
const MIN_H = 2 ** -900;

/**
 * The common case of f64 and f32 results, without reading an exponent: the enclosure
 * 2^k·[h + l − ρlo, h + l + ρhi] with f = 2^k exact, H = h·f a normal binary64 number. Its ends,
 * each widened by a margin μ|H| (μ = 2^−100 for f64, 2^−50 for f32) on top of a relative
 * 2^−50, are evaluated as H + RN(L ± R) in binary64 and rounded into the format (for f64 by that
 * very addition, for f32 by `Math.fround`); when both give H's own rounding c, so does every
 * value inside, strictly: the floating-point ends differ from the exact widened ends by at most
 * 2u·|H| + u·|L ± R| (two roundings), which the margin exceeds, so the exact (unwidened) ends lie
 * strictly inside c's rounding interval, which is closed at worst (a tie at its end). The
 * interval's shape — a finer grid below a power of two, a carry into the next binade, gradual
 * underflow of f32 — is the format's own rounding's business, so nothing here depends on it.
 * A result that rounds to zero or overflows, or an H outside [2^−900, 2^1023), is left (NaN) to
 * the general test.
 */
function roundTrip(f64: boolean, h: number, l: number, rLo: number, rHi: number, f: number): number {
  const H = h * f;
  const absH = Math.abs(H);
  if (!(absH >= MIN_H && absH < Infinity)) return NaN;
  const L = l * f;
  const mu = absH * (f64 ? MARGIN_F64 : MARGIN_F32);
  const up = rHi * f * WIDEN + mu;
  const down = rLo * f * WIDEN + mu;
  if (f64) return H + (L + up) === H && H + (L - down) === H ? H : NaN;
  const c = Math.fround(H);
  if (c === 0 || !Number.isFinite(c)) return NaN;
  return Math.fround(H + (L + up)) === c && Math.fround(H + (L - down)) === c ? c : NaN;
}
