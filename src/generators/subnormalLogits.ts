import fc, { type Arbitrary } from 'fast-check';
import type { LogitCase } from './LogitCase.js';
import type { RegionConstraints } from './RegionConstraints.js';
import { finishCase, type Shape } from './_internals/finishCase.js';
import { benignValue, byOrdinal, maxSubnormal } from './_internals/formatValues.js';
import { layout } from './_internals/layout.js';
import { lengthsFor, resolveConstraints } from './_internals/resolveConstraints.js';

/**
 * Region `subnormal`: subnormal logits and signed zeros: values uniform over the format's
 * subnormal positions of either sign, and the edge values ±0, ±minSubnormal, ±maxSubnormal,
 * ±minNormal; every logit is such a value, or (a quarter of the cases) they are mixed with
 * benign logits.
 *
 * Why it is dangerous: hardware and compilers that flush subnormals to zero (FTZ/DAZ, common on
 * GPUs) change the inputs themselves; e^x for a subnormal x rounds to exactly 1, so all
 * probabilities are near 1/n and their differences sit far below the precision; signed zeros make the max
 * order-dependent (max(−0, +0)), and a result
 * that rounds to zero must keep its sign (docs/design.md, "Special values": log_softmax([0, −1000])[0] is −0), which
 * x_i − max loses when it computes +0 − +0.
 *
 * Shrinking: fewer elements (down to minLength), subnormal draws towards +0, edge values towards
 * +0 (the first of the list), benign values towards 0.
 */
export function subnormalLogits(constraints: RegionConstraints = {}): Arbitrary<LogitCase> {
  const r = resolveConstraints(constraints);
  const { fmt } = r;
  const ms = maxSubnormal(fmt);
  const tiny = fc.oneof(
    { arbitrary: byOrdinal(fmt, -ms, ms), weight: 3 },
    {
      arbitrary: fc.constantFrom(
        0,
        -0,
        fmt.minSubnormal,
        -fmt.minSubnormal,
        ms,
        -ms,
        fmt.minNormal,
        -fmt.minNormal,
      ),
      weight: 2,
    },
  );
  const len = lengthsFor(r, 1);
  const pure = layout(fc.constant(null), tiny, 0, len).map(({ fills }): Shape => ({ x: [...fills] }));
  const mixed = layout(
    tiny,
    fc.oneof({ arbitrary: tiny, weight: 2 }, { arbitrary: benignValue(fmt), weight: 1 }),
    1,
    len,
  ).map(({ params, fills, slots }): Shape => {
    const x = [...fills];
    if (slots.length) x[slots[0]] = params;
    return { x };
  });
  return finishCase(
    'subnormal',
    r,
    fc.oneof({ arbitrary: pure, weight: 3 }, { arbitrary: mixed, weight: 1 }),
  );
}
