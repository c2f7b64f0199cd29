import fc, { type Arbitrary } from 'fast-check';
import { expThresholds } from '../formats/thresholds.js';
import type { LogitCase } from './LogitCase.js';
import type { RegionConstraints } from './RegionConstraints.js';
import { cancellationGaps } from './_internals/gaps.js';
import { finishCase, type Shape } from './_internals/finishCase.js';
import { benignValue, fraction, roundInto, uniformIn } from './_internals/formatValues.js';
import { layout } from './_internals/layout.js';
import { lengthsFor, resolveConstraints } from './_internals/resolveConstraints.js';

/**
 * Region `cancellation`: x_k close to LSE(x). One logit x_k (0, benign, or anywhere within ±
 * the overflow threshold) is the max; the others lie below it by a per-row floor g0 plus up to
 * 8 more, g0 drawn from the band of `cancellationGaps` ([ln(n_max) + 2, min(0.9·|U|,
 * (2p + 4)·ln 2)], e.g. [7.5, 36.0] in f32 for the default n_max 256), so that
 * s = Σ_{j≠k} e^{x_j − x_k} ranges from e^−2 down to near the bottom of the precision: small but
 * not negligible. The label points at k.
 *
 * Why it is dangerous: log_softmax_k = x_k − LSE = −log1p(s) and cross_entropy(x, k) = LSE − x_k
 * = log1p(s) are tiny, while LSE ≈ x_k is not: computing LSE first and subtracting cancels its
 * leading digits and leaves 0 or ±ulp(x_k) instead of ≈ −s (catastrophic cancellation, worst when
 * |x_k| is large); only a + log1p(s) keeps them (Blanchard, Higham & Higham 2021). The same
 * cancellation hits cross_entropy_grad at k (p_k − 1 ≈ −s), and logsumexp = x_k + log1p(s) loses
 * s if the sum is formed as 1 + s before the log. It matters for log_softmax, logsumexp and the
 * cross-entropy ops; for softmax it is a mildly dominant row.
 *
 * Shrinking: fewer elements (down to minLength, keeping x_k), x_k's position towards index 0,
 * x_k towards 0, the floor g0 towards the low end of the band, the other gaps towards g0.
 */
export function cancellationLogits(constraints: RegionConstraints = {}): Arbitrary<LogitCase> {
  const r = resolveConstraints(constraints);
  const { fmt } = r;
  const o = expThresholds(fmt.name).overflow;
  const [gLo, gHi] = cancellationGaps(r);
  const anchor = fc.oneof(fc.constant(0), benignValue(fmt), uniformIn(fmt, -o, o));
  // a per-row floor g0 sets the scale of s (≈ e^{−g0}); the others sit up to 8 further below
  const floor = uniformIn(fmt, gLo, gHi, gLo);
  const shape = layout(fc.tuple(anchor, floor), fraction, 1, lengthsFor(r, 2)).map(
    ({ params: [v, g0], fills, slots }): Shape => {
      const x = fills.map((f) => roundInto(fmt, v - g0 - 8 * f, -fmt.maxFinite, v));
      if (slots.length) x[slots[0]] = v;
      return { x, focus: slots[0] };
    },
  );
  return finishCase('cancellation', r, shape, 'focus');
}
