import fc, { type Arbitrary } from 'fast-check';
import type { LogitCase } from './LogitCase.js';
import type { RegionConstraints } from './RegionConstraints.js';
import { finishCase, type Shape } from './_internals/finishCase.js';
import { benignValue } from './_internals/formatValues.js';
import { layout } from './_internals/layout.js';
import { lengthsFor, resolveConstraints } from './_internals/resolveConstraints.js';

/**
 * Region `benign`: moderate logits, uniform in value over [−10, 10] and rounded into the format
 * (PyTorch's OpInfo samples softmax inputs from [−9, 9)).
 *
 * Why it is (not) dangerous: it is the control region. Nothing overflows, underflows or cancels
 * here, so every implementation, naive ones included, should be within its error budget: a
 * failure in `benign` is a plain bug (a wrong formula, a reduction that drops elements, a
 * length-dependent indexing error), not a numerical edge.
 *
 * Shrinking: fewer elements (down to minLength), each value towards 0.
 */
export function benignLogits(constraints: RegionConstraints = {}): Arbitrary<LogitCase> {
  const r = resolveConstraints(constraints);
  const shape = layout(fc.constant(null), benignValue(r.fmt), 0, lengthsFor(r, 0)).map(
    ({ fills }): Shape => ({ x: [...fills] }),
  );
  return finishCase('benign', r, shape);
}
