import fc, { type Arbitrary } from 'fast-check';
import { expThresholds } from '../formats/thresholds.js';
import type { LogitCase } from './LogitCase.js';
import type { RegionConstraints } from './RegionConstraints.js';
import { dominantMinGap } from './_internals/gaps.js';
import { finishCase, type Shape } from './_internals/finishCase.js';
import { benignValue, roundInto, uniformIn } from './_internals/formatValues.js';
import { layout } from './_internals/layout.js';
import { lengthsFor, resolveConstraints } from './_internals/resolveConstraints.js';

/**
 * Region `dominant`: one logit v above all the others by at least (p + 2)·ln 2 + ln(n_max)
 * (44 in f64, 24 in f32, 15 in f16, 12 in bf16 for the default n_max 256; 1.4 less for n_max
 * 64) and at most about 2·|U| (U the exp-underflow threshold), at any position: first, last,
 * or anywhere between; v is 0, benign, or anywhere within ± the overflow threshold.
 *
 * Why it is dangerous: the softmax must round to exactly 1 at the dominant logit and to tiny
 * (possibly subnormal or zero) values elsewhere; the sum is 1 + s with s below the unit
 * roundoff, so log Σ must be computed as log1p(s) (Blanchard, Higham & Higham 2021) or the
 * log_softmax of the others and the LSE lose s entirely; and the max reduction must find the
 * dominant logit wherever it is (llama.cpp#24451: a GPU max reduction that ignored some partial
 * maxima made exp overflow). The label of the cross-entropy ops points at the dominant logit
 * (loss ≈ s, cancellation) or anywhere (loss ≈ the gap) with equal odds.
 *
 * Shrinking: fewer elements (down to minLength, keeping the dominant logit), its position
 * towards index 0, v towards 0, gaps towards the smallest dominant gap.
 */
export function dominantLogits(constraints: RegionConstraints = {}): Arbitrary<LogitCase> {
  const r = resolveConstraints(constraints);
  const { fmt } = r;
  const th = expThresholds(fmt.name);
  const gMin = dominantMinGap(r);
  const gMax = Math.max(-2 * th.underflow, 2 * gMin);
  const anchor = fc.oneof(fc.constant(0), benignValue(fmt), uniformIn(fmt, -th.overflow, th.overflow));
  const gap = uniformIn(fmt, gMin, gMax, gMin);
  const shape = layout(anchor, gap, 1, lengthsFor(r, 1)).map(({ params: v, fills, slots }): Shape => {
    const x = fills.map((g) => roundInto(fmt, v - g, -fmt.maxFinite, v));
    if (slots.length) x[slots[0]] = v;
    return { x, focus: slots[0] };
  });
  return finishCase('dominant', r, shape, 'either');
}
