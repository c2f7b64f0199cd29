import fc, { type Arbitrary } from 'fast-check';
import type { LogitCase } from './LogitCase.js';
import type { RegionConstraints } from './RegionConstraints.js';
import { finishCase, type Shape } from './_internals/finishCase.js';
import { benignValue } from './_internals/formatValues.js';
import { layout } from './_internals/layout.js';
import { configError, lengthsFor, resolveConstraints } from './_internals/resolveConstraints.js';

/**
 * Region `specials`: NaN, +Inf and −Inf logits, mixed among benign ones (at least one special
 * per row) or making up the whole row (all −Inf, all +Inf, or mixed). Requires
 * `specials: true` (the special values policy includes them); throws naming `specials`
 * otherwise.
 *
 * Why it is dangerous: the policy (docs/design.md, "Special values") says a NaN logit makes every output NaN, −Inf
 * contributes e^{−Inf} = 0, all −Inf gives NaN for softmax and −Inf for logsumexp, and +Inf
 * logits take the limit (1/k each for k entries at +Inf); real libraries get these wrong or
 * disagree: one +Inf makes the whole PyTorch output NaN (pytorch#6864), softmax([inf, 0]) is
 * [nan, nan] in JAX (jax#21495), all −Inf gives NaN (pytorch#25110), and OpenVINO and
 * onnxruntime disagree (openvino#33456). A max-shift computes Inf − Inf = NaN; a NaN can be
 * swallowed by a max that ignores it (Math.max vs a comparison loop).
 *
 * Shrinking: fewer elements (down to minLength, keeping one special), specials towards −Inf
 * (then +Inf, then NaN), benign values towards 0.
 */
export function specialsLogits(constraints: RegionConstraints = {}): Arbitrary<LogitCase> {
  const r = resolveConstraints(constraints);
  if (!r.specials)
    throw configError(
      'specials',
      "region 'specials' needs specials: true (the special values policy must include NaN and ±Inf)",
    );
  const special = fc.constantFrom(-Infinity, Infinity, NaN);
  const len = lengthsFor(r, 1);
  const mixed = layout(
    special,
    fc.oneof({ arbitrary: benignValue(r.fmt), weight: 3 }, { arbitrary: special, weight: 1 }),
    1,
    len,
  ).map(({ params, fills, slots }): Shape => {
    const x = [...fills];
    if (slots.length) x[slots[0]] = params;
    return { x };
  });
  const all = layout(fc.constant(null), special, 0, len).map(({ fills }): Shape => ({ x: [...fills] }));
  return finishCase('specials', r, fc.oneof({ arbitrary: mixed, weight: 3 }, { arbitrary: all, weight: 1 }));
}
