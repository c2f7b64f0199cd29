import fc, { type Arbitrary } from 'fast-check';
import { expThresholds } from '../../formats/thresholds.js';
import { benignValue, between, fraction, nearValue, roundInto } from './formatValues.js';
import { layout } from './layout.js';
import type { Shape } from './finishCase.js';
import { lengthsFor, type Resolved } from './resolveConstraints.js';

/**
 * Shapes at one exp threshold of the format (`overflow` or `underflow`), in three modes:
 * - `element`: at least one logit near the threshold, the rest near it or benign;
 * - `all`: every logit near the threshold;
 * - `spread`: the spread sits at the threshold instead: max = a (0 or benign) and
 *   min = a − t' (overflow; t' near the overflow threshold) or a + t' (underflow; t' near the
 *   underflow threshold), the other logits between them.
 * "Near" is within a few ULPs or a small distance (formatValues.nearValue).
 */
export function nearThresholdShapes(r: Resolved, which: 'overflow' | 'underflow'): Arbitrary<Shape> {
  const { fmt } = r;
  const th = expThresholds(fmt.name);
  const t = th[which];
  const near = nearValue(fmt, t);
  const benign = benignValue(fmt);
  const element = layout(
    near,
    fc.oneof({ arbitrary: near, weight: 3 }, { arbitrary: benign, weight: 1 }),
    1,
    lengthsFor(r, 1),
  ).map(({ params, fills, slots }): Shape => {
    const x = [...fills];
    if (slots.length) x[slots[0]] = params;
    return { x };
  });
  const all = layout(fc.constant(null), near, 0, lengthsFor(r, 1)).map(({ fills }): Shape => ({
    x: [...fills],
  }));
  // the offset of the smallest logit from the largest: −overflow threshold, or the underflow threshold
  const offset = nearValue(fmt, which === 'overflow' ? -th.overflow : th.underflow);
  const anchor = fc.oneof({ arbitrary: fc.constant(0), weight: 2 }, { arbitrary: benign, weight: 1 });
  const spread = layout(fc.tuple(anchor, offset), fraction, 2, lengthsFor(r, 2)).map(
    ({ params: [a, d], fills, slots }): Shape => {
      const lo = roundInto(fmt, a + d, -fmt.maxFinite, fmt.maxFinite);
      const x = fills.map((f) => between(fmt, lo, a, f));
      if (slots.length > 0) x[slots[0]] = a;
      if (slots.length > 1) x[slots[1]] = lo;
      return { x };
    },
  );
  return fc.oneof(
    { arbitrary: element, weight: 2 },
    { arbitrary: all, weight: 1 },
    { arbitrary: spread, weight: 2 },
  );
}
