import fc, { type Arbitrary } from 'fast-check';
import { expThresholds } from '../formats/thresholds.js';
import type { LogitCase } from './LogitCase.js';
import type { RegionConstraints } from './RegionConstraints.js';
import { finishCase, type Shape } from './_internals/finishCase.js';
import { benignValue, lnMinNormal, roundInto, uniformIn } from './_internals/formatValues.js';
import { layout } from './_internals/layout.js';
import { lengthsFor, resolveConstraints } from './_internals/resolveConstraints.js';

/**
 * Region `spread`: a large spread max − min, so that some probabilities e^{x_i − max}/Σ are
 * subnormal and at least one underflows to zero: the row always holds a logit more than
 * 1.25·|U| below its max (U the format's exp-underflow threshold: −745 in f64, −104 in f32,
 * −17.3 in f16, −92.5 in bf16); the others lie below the max by gaps drawn from the subnormal
 * band [|ln minNormal|, |U|] (−ln 2^emin: 708 in f64, 87 in f32, 9.7 in f16), from
 * [|U|, 4|U|] (underflowing) or from [0, |ln minNormal|] (normal probabilities).
 *
 * Why it is dangerous: gradual underflow must be kept (GPUs that flush subnormals to zero lose
 * those probabilities, and log(softmax) of them gives −Inf where log_softmax is finite);
 * probabilities in the subnormal band have fewer significant bits, so every rounding there costs
 * more relative accuracy; and a sum or max reduction must not be perturbed by the far logits.
 * The cross-entropy with a label at a far logit is a large loss (≈ the spread) that must not
 * become +Inf.
 *
 * Shrinking: fewer elements (down to minLength, keeping the max and the far logit), the max
 * towards 0, gaps towards the low end of their band (the smallest spread that keeps the band),
 * the far gap towards 1.25·|U|.
 */
export function spreadLogits(constraints: RegionConstraints = {}): Arbitrary<LogitCase> {
  const r = resolveConstraints(constraints);
  const { fmt } = r;
  const u = -expThresholds(fmt.name).underflow; // |U|
  const sub = -lnMinNormal(fmt);
  const max = fmt.maxFinite;
  const anchor = fc.oneof(
    { arbitrary: fc.constant(0), weight: 1 },
    { arbitrary: benignValue(fmt), weight: 2 },
    {
      arbitrary: uniformIn(fmt, -expThresholds(fmt.name).overflow, expThresholds(fmt.name).overflow),
      weight: 1,
    },
  );
  const far = uniformIn(fmt, 1.25 * u, 4 * u, 1.25 * u);
  const gap = fc.oneof(
    { arbitrary: uniformIn(fmt, sub, u, sub), weight: 2 },
    { arbitrary: uniformIn(fmt, u, 4 * u, u), weight: 1 },
    { arbitrary: uniformIn(fmt, 0, sub), weight: 1 },
  );
  const shape = layout(fc.tuple(anchor, far), gap, 2, lengthsFor(r, 2)).map(
    ({ params: [a, g], fills, slots }): Shape => {
      const x = fills.map((d) => roundInto(fmt, a - d, -max, a));
      if (slots.length > 0) x[slots[0]] = a;
      if (slots.length > 1) x[slots[1]] = roundInto(fmt, a - g, -max, a);
      return { x };
    },
  );
  return finishCase('spread', r, shape);
}
