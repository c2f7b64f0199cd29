import { pow2 } from '../formats/pow2.js';
import type { FormatSpec } from '../formats/types.js';
import { down, up } from './directed.js';

/**
 * An a-priori error bound of one computed element ŷ against the exact real result y:
 * |ŷ − y| ≤ relative·|y| + absolute, together with an enclosure of |y|.
 */
export interface ErrorBound {
  /** ε, the part of the error proportional to |y|. */
  readonly relative: number;
  /** A, the part of the error that does not shrink with |y| (subnormal steps, cancellation). */
  readonly absolute: number;
  /** A lower bound of |y| (0 when unknown). */
  readonly magnitudeLow: number;
  /** An upper bound of |y| (used only to detect a possible overflow step). */
  readonly magnitudeHigh: number;
}

/**
 * The largest per-element budget the relative part of a bound may claim, 2^(p−1) − 1 ULPs: the
 * policy "a relative error of 1 or more always fails" (docs/design.md, "The always-fail rule").
 *
 * Derivation: let r be a normal value of the format, in the binade [2^e, 2^(e+1)) with spacing
 * g = 2^(e−p+1). Any format value ≥ 2r (relative error ≥ 1 upwards) is at least
 * (2^(e+1) − r)/g + (2r − 2^(e+1))/(2g) = 2^e/g = 2^(p−1) steps above r (the first term counts
 * the steps left in r's binade, the second those of spacing 2g above it; the smallest r = 2^e is
 * the worst case). Downwards, 0 (relative error 1) is ordinal(r) ≥ ordinal(minNormal) = 2^(p−1)
 * steps away. So every value within 2^(p−1) − 1 ULPs of a normal r has relative error < 1.
 * For f16 the cap is 1023 ULPs, for bf16 127, for f32 2^23 − 1, for f64 2^52 − 1.
 */
export function ulpCap(fmt: FormatSpec): number {
  // called once per output element: 2^(p−1) − 1 is formed once per format
  let c = CAPS.get(fmt);
  if (c === undefined) CAPS.set(fmt, (c = pow2(fmt.precision - 1) - 1));
  return c;
}
const CAPS = new WeakMap<FormatSpec, number>();

/**
 * An upper bound of the number of grid steps of `fmt` in [w, w + len] (w ≥ 0, len ≥ 0):
 * ∫_w^{w+len} dv / max(u·v, σ), with u = 2^−p the unit roundoff and σ the smallest subnormal.
 *
 * Derivation: between two consecutive format values g_k < g_{k+1} the spacing is
 * g_{k+1} − g_k = 2^(e−p+1) where 2^e ≤ g_k (or σ below minNormal); for every v in [g_k, g_{k+1})
 * that spacing is > u·v (since v < 2^(e+1)) and ≥ σ. So the spacing s(v) ≥ max(u·v, σ) and the
 * number of steps between two format values a < b is ∫_a^b dv/s(v) ≤ ∫_a^b dv/max(u·v, σ).
 * With T = σ/u = 2·minNormal the integrand is 1/σ on [0, T] and 1/(u·v) above, so
 * ∫_w^{w+len} = len/σ inside [0, T] and ln(1 + len/w)/u above T (log1p keeps a short window
 * far from zero accurate; forming w + len − w would cancel). Every step is rounded up.
 */
export function gridSteps(fmt: FormatSpec, w: number, len: number): number {
  if (!(len > 0)) return 0;
  if (len === Infinity || w === Infinity) return Infinity;
  const u = fmt.unitRoundoff;
  const sigma = fmt.minSubnormal;
  const T = 2 * fmt.minNormal;
  if (w >= T) return up(up(Math.log1p(up(len / w))) / u);
  // below T work in units of σ (exact power-of-two scalings; T/σ = 2^p = 1/u), so that binary64's
  // own subnormal steps (f64's σ) add no slack to f64 budgets
  const ws = w / sigma;
  const Ts = 1 / u;
  const ls = len / sigma;
  const linear = up(Ts - ws);
  if (ls <= linear) return ls;
  const rest = Number.isFinite(ls) ? up(ls - down(Ts - ws)) / Ts : up(len - down(T - w)) / T;
  return up(linear + up(up(Math.log1p(up(rest))) / u));
}

/**
 * ULPs of a purely relative error ε: an upper bound of the grid steps in [y(1 − ε), y(1 + ε)]
 * for any y ≠ 0, ln((1 + ε)/(1 − ε))/u = log1p(2ε/(1 − ε))/u (the spacing exceeds u·|v|, see
 * `gridSteps`), independent of y. For small ε this is about 2ε/u: a relative error of k·u is
 * worth at most about 2k ULPs (the factor 2 is the binade: at its bottom one ULP is 2u relative,
 * at its top u).
 *
 * Special cases: ε ≥ 1 (or NaN) → +Infinity: no finite interval around y of that relative width
 * stays on one side of zero.
 */
export function relativeUlps(fmt: FormatSpec, epsilon: number): number {
  if (!(epsilon < 1)) return Infinity;
  if (!(epsilon > 0)) return 0;
  return up(up(Math.log1p(up((2 * epsilon) / down(1 - epsilon)))) / fmt.unitRoundoff);
}

/**
 * ULPs of a relative error ε for a result of magnitude at most `magnitudeHigh`: an upper bound
 * of the grid steps in [|y|(1 − ε), |y|(1 + ε)] for every 0 < |y| ≤ magnitudeHigh. Equal to
 * `relativeUlps` for normal results; far smaller for subnormal ones, where the spacing is σ
 * rather than about u·|y| (a relative error ε on y < minNormal is under ε/(2u) steps).
 *
 * Derivation: g(y) = ∫_{y(1−ε)}^{y(1+ε)} f, f(v) = 1/max(u·v, σ), has
 * g'(y) = (1 + ε)f(y(1 + ε)) − (1 − ε)f(y(1 − ε)), which is 0 where both ends are above
 * T = σ/u, 2ε/σ > 0 where both are below, and 1/(u·y) − (1 − ε)/σ > 0 in between (there
 * y(1 − ε) < T). So g is non-decreasing and g(magnitudeHigh) bounds it; the window is formed from
 * its lower end (rounded down, which only moves it towards the denser region) and its length 2εy.
 */
function relativeUlpsAt(fmt: FormatSpec, epsilon: number, magnitudeHigh: number): number {
  if (!(epsilon < 1)) return Infinity;
  if (!(epsilon > 0)) return 0;
  const T = 2 * fmt.minNormal;
  const full = relativeUlps(fmt, epsilon);
  if (!Number.isFinite(magnitudeHigh) || magnitudeHigh * (1 - epsilon) >= T) return full;
  // the whole window below T: 2εy/σ steps, formed in units of σ (y/σ is an exact scaling)
  if (up(magnitudeHigh * up(1 + epsilon)) <= T)
    return Math.min(full, up(2 * up(epsilon * (magnitudeHigh / fmt.minSubnormal))));
  const lo = down(magnitudeHigh * down(1 - epsilon));
  return Math.min(full, gridSteps(fmt, Math.max(0, lo), up(2 * up(epsilon * magnitudeHigh))));
}

/**
 * ULPs of the absolute part A of a bound: an upper bound of the steps in
 * [y(1 + ε), y(1 + ε) + A] and in [y(1 − ε) − A, y(1 − ε)] (y > 0; negative y by symmetry), for
 * every y with |y| ≥ `magnitudeLow`.
 *
 * Derivation: the integrand of `gridSteps` is even and non-increasing in |v|, so
 * - the upper window [w, w + A], w = |y|(1 + ε) ≥ magnitudeLow, holds the most steps at the
 *   smallest w: bounded by gridSteps(magnitudeLow, A);
 * - the lower window [v − A, v], v = |y|(1 − ε) ≥ v₀ = magnitudeLow·(1 − ε): d/dv of its
 *   integral is f(v) − f(v − A) ≤ 0 when v ≥ A/2 (then |v − A| ≤ v). So for v₀ ≥ A/2 the worst
 *   window is at v₀; otherwise the worst is the window centred on 0, 2·gridSteps(0, A/2).
 * This is what makes cancellation near zero (logsumexp = a + log1p(s) with a ≈ −log1p(s)) cost
 * what it really costs: a window of width A around a result much smaller than A spans the
 * format's densest region.
 */
function absoluteUlps(fmt: FormatSpec, absolute: number, magnitudeLow: number, epsilon: number): number {
  if (!(absolute > 0)) return 0;
  const A = absolute;
  const upper = gridSteps(fmt, magnitudeLow, A);
  const v0 = down(magnitudeLow * down(1 - Math.min(epsilon, 1)));
  let lower: number;
  if (2 * v0 <= A) lower = up(2 * gridSteps(fmt, 0, A / 2));
  else if (v0 >= A) lower = gridSteps(fmt, Math.max(0, down(v0 - A)), A);
  else lower = up(gridSteps(fmt, 0, v0) + gridSteps(fmt, 0, up(A - v0)));
  return up(upper + lower);
}

/**
 * Converts an error bound into a budget in ULPs of `fmt` against the correctly rounded result
 * r = RN(y):
 *
 *   budget = ⌊min(relativeUlpsAt(ε, |y| ≤ magnitudeHigh), ulpCap) + absoluteUlps(A) + overflow step⌋
 *
 * Derivation: the computed ŷ lies in [y − ε|y| − A, y + ε|y| + A], and so does r as long as that
 * interval contains [y − max(u|y|, σ/2), y + max(u|y|, σ/2)]; ε and A are raised to at least u
 * and σ/2 here to guarantee it (the bounds of algorithmBounds.ts already include a final
 * rounding, so this changes nothing there). The ULP distance of two format values in an
 * interval is at most the grid steps in it, split into the relative middle and the two absolute
 * ends (see `relativeUlps`, `absoluteUlps`). If the interval reaches maxFinite, +Inf (one step
 * past maxFinite) may be the rounding: one more step. An integer distance ≤ a real bound is ≤
 * its floor.
 *
 * Special cases: a vacuous bound (ε ≥ 1, or a non-finite part: where the sum's γ is infinite no
 * a-priori bound exists) gives the cap itself, never Infinity. The cap applies to the relative
 * part only; the absolute part comes on top (docs/design.md, "The subnormal floor": a 1-ULP tie at the subnormal boundary is not an
 * `underflow`, and cancellation near 0 is accounted for), so results within a few σ of zero, or
 * within A of it, can pass with a relative error ≥ 1 — by design, nowhere else.
 */
export function boundToUlps(fmt: FormatSpec, bound: ErrorBound): number {
  const cap = ulpCap(fmt);
  const { magnitudeLow, magnitudeHigh } = bound;
  if (
    !(bound.relative < 1) ||
    !Number.isFinite(bound.absolute) ||
    !(bound.absolute >= 0) ||
    !(magnitudeLow >= 0)
  )
    return cap;
  // r = RN(y) is within max(u|y|, σ/2) of y: the interval must contain it (see above)
  const eps = Math.max(bound.relative, fmt.unitRoundoff);
  // (σ/2 of f64 is not a binary64 value: σ itself stands in for it)
  const A = Math.max(bound.absolute, fmt.minSubnormal / 2 || fmt.minSubnormal);
  const rel = Math.min(relativeUlpsAt(fmt, eps, magnitudeHigh), cap);
  const abs = absoluteUlps(fmt, A, magnitudeLow, eps);
  const reach = up(up(magnitudeHigh * up(1 + eps)) + A);
  const overflowStep = reach >= fmt.maxFinite ? 1 : 0;
  const total = Math.floor(up(up(rel + abs) + overflowStep));
  return Number.isFinite(total) ? total : cap;
}
