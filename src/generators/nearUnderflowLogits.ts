import type { Arbitrary } from 'fast-check';
import type { LogitCase } from './LogitCase.js';
import type { RegionConstraints } from './RegionConstraints.js';
import { finishCase } from './_internals/finishCase.js';
import { nearThresholdShapes } from './_internals/nearThreshold.js';
import { resolveConstraints } from './_internals/resolveConstraints.js';

/**
 * Region `near-underflow`: logits within a few ULPs (4) or a small distance (1) of the format's
 * exp-underflow threshold (the smallest x with e^x nonzero: −745.13 in f64, −103.97 in f32,
 * −17.33 in f16, −92.5 in bf16), either as logits themselves or as the spread min − max.
 *
 * Why it is dangerous: just above the threshold e^x is a subnormal, just below it rounds to 0;
 * an exp that flushes subnormals to zero (FTZ on GPUs) or is off by an ulp gets these wrong. A
 * row whose every logit sits there makes an unshifted log-sum-exp compute log(0) = −Inf (and an
 * unshifted softmax 0/0 = NaN) although the exact LSE is about t + ln n. At the spread, the
 * smallest probability e^{min − max}/Σ lands on the subnormal/zero boundary, where gradual
 * underflow must be kept and rounding decided correctly.
 *
 * Modes: at least one logit near the threshold among benign ones; every logit near it; or a
 * spread at it (max 0 or benign, min = max + t').
 *
 * Shrinking: fewer elements (down to minLength, keeping the planted threshold logit or the
 * max/min pair), near values towards the threshold, benign values towards 0, the anchor
 * of a spread towards 0 and the in-between logits towards the minimum.
 */
export function nearUnderflowLogits(constraints: RegionConstraints = {}): Arbitrary<LogitCase> {
  const r = resolveConstraints(constraints);
  return finishCase('near-underflow', r, nearThresholdShapes(r, 'underflow'));
}
