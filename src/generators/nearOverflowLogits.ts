import type { Arbitrary } from 'fast-check';
import type { LogitCase } from './LogitCase.js';
import type { RegionConstraints } from './RegionConstraints.js';
import { finishCase } from './_internals/finishCase.js';
import { nearThresholdShapes } from './_internals/nearThreshold.js';
import { resolveConstraints } from './_internals/resolveConstraints.js';

/**
 * Region `near-overflow`: logits within a few ULPs (4) or a small distance (1) of the format's
 * exp-overflow threshold (the largest x with e^x finite: 709.78 in f64, 88.72 in f32, 11.09 in
 * f16, 88.5 in bf16), either as logits themselves or as the spread max − min.
 *
 * Why it is dangerous: an unshifted softmax or log-sum-exp computes e^{x_i}, which is finite at
 * the threshold and +Inf one ULP above it, so Inf/Inf = NaN appears exactly here (Blanchard,
 * Higham & Higham 2021: the unshifted LSE overflowed on 475 of 2500 fp16 MNIST vectors); an exp
 * that is off by an ulp (CUDA expf 2 ulp, WGSL 3 + 2|x| ulp) flips between maxFinite and Inf at
 * the boundary; and a row of logits all at the threshold has LSE = t + ln n above it. At the
 * spread, formulations that shift by the minimum or use 1 / Σ_j e^{x_j − x_i} overflow once
 * max − min passes the threshold even though every logit is small.
 *
 * Modes: at least one logit near the threshold among benign ones; every logit near it; or a
 * spread at it (max 0 or benign, min = max − t').
 *
 * Shrinking: fewer elements (down to minLength, keeping the planted threshold logit or the
 * max/min pair), near values towards the threshold, benign values towards 0, the anchor
 * of a spread towards 0 and the in-between logits towards the minimum.
 */
export function nearOverflowLogits(constraints: RegionConstraints = {}): Arbitrary<LogitCase> {
  const r = resolveConstraints(constraints);
  return finishCase('near-overflow', r, nearThresholdShapes(r, 'overflow'));
}
