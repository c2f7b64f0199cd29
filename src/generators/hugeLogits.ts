import fc, { type Arbitrary } from 'fast-check';
import { expThresholds } from '../formats/thresholds.js';
import { nextUp } from '../formats/ulp.js';
import type { LogitCase } from './LogitCase.js';
import type { RegionConstraints } from './RegionConstraints.js';
import { finishCase, type Shape } from './_internals/finishCase.js';
import { benignValue, byOrdinal } from './_internals/formatValues.js';
import { layout } from './_internals/layout.js';
import { lengthsFor, resolveConstraints } from './_internals/resolveConstraints.js';

/**
 * Region `huge`: logits of magnitude above the exp-overflow threshold, up to ± the format's
 * largest finite value, including rows whose every element is huge and rows of only ±maxFinite
 * ([MAX, MAX], [−MAX, MAX], …).
 *
 * Why it is dangerous: e^{x} is +Inf for every such logit, so an unshifted softmax gives
 * Inf/Inf = NaN; in a shifted one x_i − max itself overflows (−MAX − MAX = −Inf, and a
 * mean-centred or min-shifted formula gets MAX − (−MAX) = +Inf); summing the logits overflows;
 * a division-free softmax e^{x_i − LSE} returns [1, 1] for [MAX, MAX] (docs/design.md, "Budgets"); and
 * log_softmax and cross_entropy results are themselves near maxFinite, where x_k − LSE can
 * overflow although the exact result is finite.
 *
 * Modes: every logit huge (magnitudes above the overflow threshold, log-uniform: uniform over
 * the format's positions); huge logits mixed with benign ones (at least one huge); every logit
 * ±maxFinite.
 *
 * Shrinking: fewer elements (down to minLength, keeping the planted huge logit), huge values
 * towards the overflow threshold (the smallest huge magnitude) or to +maxFinite in the extreme
 * mode, benign values towards 0.
 */
export function hugeLogits(constraints: RegionConstraints = {}): Arbitrary<LogitCase> {
  const r = resolveConstraints(constraints);
  const { fmt } = r;
  const max = fmt.maxFinite;
  const lo = nextUp(fmt, expThresholds(fmt.name).overflow);
  const huge = fc.oneof(
    { arbitrary: byOrdinal(fmt, lo, max), weight: 2 },
    { arbitrary: byOrdinal(fmt, -max, -lo), weight: 2 },
    { arbitrary: fc.constantFrom(max, -max), weight: 1 },
  );
  const len = lengthsFor(r, 1);
  const all = layout(fc.constant(null), huge, 0, len).map(({ fills }): Shape => ({ x: [...fills] }));
  const mixed = layout(huge, fc.oneof(huge, benignValue(fmt)), 1, len).map(
    ({ params, fills, slots }): Shape => {
      const x = [...fills];
      if (slots.length) x[slots[0]] = params;
      return { x };
    },
  );
  const extremes = layout(fc.constant(null), fc.constantFrom(max, -max), 0, lengthsFor(r, 2)).map(
    ({ fills }): Shape => ({ x: [...fills] }),
  );
  return finishCase(
    'huge',
    r,
    fc.oneof(
      { arbitrary: all, weight: 2 },
      { arbitrary: mixed, weight: 2 },
      { arbitrary: extremes, weight: 1 },
    ),
  );
}
