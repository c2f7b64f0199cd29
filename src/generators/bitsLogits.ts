import fc, { type Arbitrary } from 'fast-check';
import type { LogitCase } from './LogitCase.js';
import type { RegionConstraints } from './RegionConstraints.js';
import { finiteBitPatternValue } from './_internals/bitPatternValue.js';
import { finishCase, type Shape } from './_internals/finishCase.js';
import { layout } from './_internals/layout.js';
import { lengthsFor, resolveConstraints } from './_internals/resolveConstraints.js';

/**
 * Region `bits`: every logit uniform over the format's finite bit patterns, as Herbie samples
 * inputs: the baseline the targeted regions are measured against. NaN and ±Inf patterns are
 * left out even when specials are allowed: non-finite logits belong to the `specials` region,
 * where the policy decides the expected result.
 *
 * Why it is dangerous: uniform over patterns means uniform over binades, so most logits are
 * astronomically large or tiny (in f64, half have magnitude above 1e154 or below 1e−154, and
 * about 1 in 2047 is subnormal): every row exercises overflow, underflow and huge spreads at
 * once, untargeted. It finds what the targeted regions did not anticipate.
 *
 * Shrinking: fewer elements (down to minLength), each pattern towards +0 (pattern 0).
 */
export function bitsLogits(constraints: RegionConstraints = {}): Arbitrary<LogitCase> {
  const r = resolveConstraints(constraints);
  const shape = layout(fc.constant(null), finiteBitPatternValue(r.fmt), 0, lengthsFor(r, 0)).map(
    ({ fills }): Shape => ({ x: [...fills] }),
  );
  return finishCase('bits', r, shape);
}
