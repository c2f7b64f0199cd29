import fc, { type Arbitrary } from 'fast-check';
import { roundNumber } from '../../formats/roundNumber.js';
import type { FormatSpec } from '../../formats/types.js';
import { fromOrdinal, nextDown, nextUp, ordinal } from '../../formats/ulp.js';

/**
 * Value-level building blocks. Every arbitrary here yields only finite values exactly
 * representable in its format: values are built from ordinals (positions in the format's ordered
 * list) or rounded into the format with `roundNumber` and clamped between two format values.
 */

/**
 * Grid steps across an interval in `uniformIn`: 2^(p + 8), capped at 2^53, so every format's
 * draws carry full precision (f64 benign logits have 53 significant bits, not a coarse grid
 * whose differences would all be exact).
 */
function steps(fmt: FormatSpec): number {
  return 2 ** Math.min(fmt.precision + 8, 53);
}

/**
 * Uniform over the format values in [lo, hi] by position (log-uniform in magnitude); shrinks towards the
 * value nearest 0.
 */
export function byOrdinal(fmt: FormatSpec, lo: number, hi: number): Arbitrary<number> {
  const a = ordinal(fmt, lo);
  const b = ordinal(fmt, hi);
  if (a > b) throw new RangeError(`byOrdinal: empty interval [${lo}, ${hi}]`);
  if (a === b) return fc.constant(lo);
  return fc.bigInt({ min: a, max: b }).map((k) => fromOrdinal(fmt, k));
}

/** The format values within `ulps` positions of `center` (clamped to the finite range); shrinks towards `center`. */
function aroundValue(fmt: FormatSpec, center: number, ulps: number): Arbitrary<number> {
  const c = ordinal(fmt, center);
  const top = ordinal(fmt, fmt.maxFinite);
  return fc.integer({ min: -ulps, max: ulps }).map((d) => {
    let k = c + BigInt(d);
    if (k > top) k = top;
    if (k < -top) k = -top;
    return fromOrdinal(fmt, k);
  });
}

/** `v` rounded into the format and clamped to [lo, hi] (lo ≤ hi, both format values). */
export function roundInto(fmt: FormatSpec, v: number, lo: number, hi: number): number {
  const c = v < lo ? lo : v > hi ? hi : v;
  // rounding is monotone and lo, hi are format values, so the result stays in [lo, hi]
  return roundNumber(fmt, c);
}

/**
 * The narrowest pair of format values enclosing [lo, hi] from the inside ([lo', hi'] ⊆ [lo, hi]); clamped to
 * the finite range.
 */
function inward(fmt: FormatSpec, lo: number, hi: number): [number, number] {
  const cl = (v: number) => Math.max(-fmt.maxFinite, Math.min(fmt.maxFinite, v));
  let a = roundNumber(fmt, cl(lo));
  if (a < lo) a = nextUp(fmt, a);
  let b = roundNumber(fmt, cl(hi));
  if (b > hi) b = nextDown(fmt, b);
  return [a, b];
}

/**
 * Uniform in value over [lo, hi] (real bounds, taken inward to format values), rounded into the
 * format: what a uniform random tensor in that range looks like (PyTorch's make_tensor). Draws
 * are target + k·step on a grid of 2^(p + 8) steps (at most 2^53); shrinks towards `target`
 * (clamped into the interval), by default the value nearest 0.
 */
export function uniformIn(fmt: FormatSpec, lo: number, hi: number, target?: number): Arbitrary<number> {
  const [a, b] = inward(fmt, lo, hi);
  if (!(a <= b)) throw new RangeError(`uniformIn: no ${fmt.name} value in [${lo}, ${hi}]`);
  if (a === b) return fc.constant(a);
  const n = steps(fmt);
  const step = b / n - a / n; // no overflow even for ±maxFinite
  const c = target === undefined ? (a > 0 ? a : b < 0 ? b : 0) : roundInto(fmt, target, a, b);
  // |k| ≤ 2^53, so the bigints convert to numbers exactly
  const kMin = BigInt(Math.min(Math.ceil(a / step - c / step), 0));
  const kMax = BigInt(Math.max(Math.floor(b / step - c / step), 0));
  return fc.bigInt({ min: kMin, max: kMax }).map((k) => roundInto(fmt, c + Number(k) * step, a, b));
}

/** Fractions in [0, 1] on a 2^16 grid; shrink to 0. */
export const fraction: Arbitrary<number> = fc.integer({ min: 0, max: 65536 }).map((k) => k / 65536);

/** The format value at fraction f of the way from lo to hi (lo ≤ hi format values). */
export function between(fmt: FormatSpec, lo: number, hi: number, f: number): number {
  return roundInto(fmt, lo * (1 - f) + hi * f, lo, hi);
}

/** The "small distance" of the near-threshold regions, in value. */
export const NEAR_DISTANCE = 1;
/** The "few ULPs" of the near-threshold and near-tie regions. */
export const NEAR_ULPS = 4;

/**
 * Values near a threshold t: within NEAR_ULPS positions of t (where an exp that is off by an
 * ulp flips between finite and overflow, or zero and subnormal), or within NEAR_DISTANCE of it
 * in value. Shrinks towards t.
 */
export function nearValue(fmt: FormatSpec, t: number): Arbitrary<number> {
  return fc.oneof(aroundValue(fmt, t, NEAR_ULPS), uniformIn(fmt, t - NEAR_DISTANCE, t + NEAR_DISTANCE, t));
}

/** Moderate logits, uniform in value in [−10, 10] (PyTorch OpInfo samples [−9, 9)). */
export function benignValue(fmt: FormatSpec): Arbitrary<number> {
  return uniformIn(fmt, -10, 10);
}

/** Largest subnormal of the format. */
export function maxSubnormal(fmt: FormatSpec): number {
  return fmt.minNormal - fmt.minSubnormal;
}

/** ln of the smallest normal, 2^emin (approximate: used only to place generation bands). */
export function lnMinNormal(fmt: FormatSpec): number {
  return fmt.emin * Math.LN2;
}
