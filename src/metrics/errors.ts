import { roundNumber } from '../formats/roundNumber.js';
import { formatSpec } from '../formats/specs.js';
import type { FormatName } from '../vocabulary/FormatName.js';
import { bitsOfError, ulpDistance } from '../formats/ulp.js';
import type { Op } from '../vocabulary/Op.js';
import { argmaxCheck } from './argmax.js';
import { dyadicToNumber, sumMinusOne } from './exactSum.js';

/** Per-element errors of one output row against the correctly rounded reference. */
export interface ElementErrors {
  /** ULP distance in the format (±0 equal; NaN against a number: Infinity; NaN against NaN: 0). */
  readonly ulps: Float64Array;
  /** Bits of error, log2(1 + ulps) (Infinity for an infinite distance). */
  readonly bits: Float64Array;
  /** |a − r| / |r| (0 when both are equal, Infinity when r = 0 ≠ a or one is NaN). */
  readonly relative: Float64Array;
}

/** The summary of one case. */
export interface CaseErrors {
  readonly maxUlps: number;
  readonly maxBits: number;
  readonly maxRelative: number;
  /**
   * softmax only: |Σ a_i − 1| with the sum taken exactly (rounded for reporting); NaN for other
   * ops or when an output is not finite.
   */
  readonly sumDeviation: number;
  /** softmax and log_softmax: whether the largest output is at a largest logit; null otherwise. */
  readonly argmaxOk: boolean | null;
}

/**
 * Relative error of a against the reference r, both values of the format.
 *
 * Special cases: equal values (±0 included, NaN with NaN, Inf with Inf) → 0; r = 0 ≠ a, an
 * infinity against anything else, or NaN against a number → Infinity.
 */
export function relativeError(a: number, r: number): number {
  const an = a !== a;
  const rn = r !== r;
  if (an || rn) return an && rn ? 0 : Infinity;
  if (a === r) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(r) || r === 0) return Infinity;
  return Math.abs(a - r) / Math.abs(r);
}

/**
 * ULP distance, bits of error and relative error of each element of `actual` against
 * `reference` in `format`. Values of `actual` outside the format are rounded into it first
 * (docs/design.md, "ULP distance and error": outputs outside the format are rounded before scoring).
 *
 * Throws a RangeError when the lengths differ (a `shape` finding, decided by the caller).
 */
export function elementErrors(
  format: FormatName,
  actual: ArrayLike<number>,
  reference: ArrayLike<number>,
): ElementErrors {
  const fmt = formatSpec(format);
  const n = actual.length;
  if (reference.length !== n)
    throw new RangeError(`elementErrors: ${n} outputs against ${reference.length} reference values`);
  const ulps = new Float64Array(n);
  const bits = new Float64Array(n);
  const relative = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = roundNumber(fmt, actual[i]);
    const r = reference[i];
    ulps[i] = ulpDistance(fmt, a, r);
    bits[i] = bitsOfError(ulps[i]);
    relative[i] = relativeError(a, r);
  }
  return { ulps, bits, relative };
}

/**
 * The case summary {maxUlps, maxBits, maxRelative, sumDeviation, argmaxOk} of one output row.
 * Maxima of an empty row are 0.
 */
export function caseErrors(
  op: Op,
  format: FormatName,
  x: ArrayLike<number>,
  actual: ArrayLike<number>,
  reference: ArrayLike<number>,
): CaseErrors {
  const fmt = formatSpec(format);
  const e = elementErrors(format, actual, reference);
  let maxUlps = 0;
  let maxBits = 0;
  let maxRelative = 0;
  for (let i = 0; i < e.ulps.length; i++) {
    if (e.ulps[i] > maxUlps) maxUlps = e.ulps[i];
    if (e.bits[i] > maxBits) maxBits = e.bits[i];
    if (e.relative[i] > maxRelative) maxRelative = e.relative[i];
  }
  const rounded = Float64Array.from(actual, (v) => roundNumber(fmt, v));
  let sumDeviation = NaN;
  if (op === 'softmax' && rounded.every(Number.isFinite))
    sumDeviation = Math.abs(dyadicToNumber(sumMinusOne(rounded)));
  const argmaxOk = op === 'softmax' || op === 'log_softmax' ? argmaxCheck(x, rounded, reference).ok : null;
  return { maxUlps, maxBits, maxRelative, sumDeviation, argmaxOk };
}
