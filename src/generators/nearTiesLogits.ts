import fc, { type Arbitrary } from 'fast-check';
import { expThresholds } from '../formats/thresholds.js';
import { fromOrdinal, ordinal } from '../formats/ulp.js';
import type { LogitCase } from './LogitCase.js';
import type { RegionConstraints } from './RegionConstraints.js';
import { finishCase, type Shape } from './_internals/finishCase.js';
import { NEAR_ULPS, benignValue, byOrdinal } from './_internals/formatValues.js';
import { layout } from './_internals/layout.js';
import { lengthsFor, resolveConstraints } from './_internals/resolveConstraints.js';

/**
 * Region `near-ties`: every logit within 4 ULPs of one anchor a (exact ties included: offsets are
 * drawn from [−4, 4]); a is benign, an exp threshold, ±maxFinite or any finite value of the format.
 *
 * Why it is dangerous: the max is ambiguous, so reductions that compare in a different order
 * (GPU trees, SIMD lanes) may double-count or drop a maximum, or differ from run to run
 * (nondeterminism shows in the last bit); x_i − max is 0 or a few ulps, so every e^{x_i − max}
 * is within a few ulps of 1 and the probabilities are near 1/n, which is inexact for most n;
 * argmax must land on one of the tied maxima. At ±maxFinite, x_i − max can overflow, and at the
 * thresholds the tie decides overflow or underflow for every element at once.
 *
 * Shrinking: fewer elements (down to minLength, at least 2 when allowed), offsets towards 0
 * (exact ties), the anchor towards 0 (benign, any-value) or stays at its special value.
 */
export function nearTiesLogits(constraints: RegionConstraints = {}): Arbitrary<LogitCase> {
  const r = resolveConstraints(constraints);
  const { fmt } = r;
  const th = expThresholds(fmt.name);
  const max = fmt.maxFinite;
  const anchor = fc.oneof(
    { arbitrary: benignValue(fmt), weight: 3 },
    { arbitrary: fc.constantFrom(th.overflow, th.underflow, max, -max), weight: 1 },
    { arbitrary: byOrdinal(fmt, -max, max), weight: 2 },
  );
  const top = ordinal(fmt, max);
  const shape = layout(anchor, fc.integer({ min: -NEAR_ULPS, max: NEAR_ULPS }), 0, lengthsFor(r, 2)).map(
    ({ params: a, fills }): Shape => {
      const c = ordinal(fmt, a);
      // keep the whole window inside the finite range, so offsets of ±4 all stay distinct values
      const lim = top - BigInt(NEAR_ULPS);
      const base = c > lim ? lim : c < -lim ? -lim : c;
      return { x: fills.map((d) => fromOrdinal(fmt, base + BigInt(d))) };
    },
  );
  return finishCase('near-ties', r, shape);
}
