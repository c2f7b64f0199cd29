import fc, { type Arbitrary } from 'fast-check';
import type { LogitCase } from './LogitCase.js';
import type { RegionConstraints } from './RegionConstraints.js';
import { longLengthArbitrary } from './longLengths.js';
import { finishCase } from './_internals/finishCase.js';
import { LONG_PLACES } from './_internals/longPosition.js';
import { longPatterns, longRow } from './_internals/longRows.js';
import {
  LONG_MIN_LENGTH,
  longCap,
  longUnavailable,
  resolveConstraints,
} from './_internals/resolveConstraints.js';

/**
 * Region `long`: long rows, the source of every case above 256 elements (the other regions stop
 * at 256). Lengths (`longLengthArbitrary`) lie within [max(minLength, 63), min(maxLength,
 * longMaxLength)]; when that cap is above 256 only lengths above 256 are drawn, 1 in 8 of them
 * above 16,384 (so `logits`' default mix, with `long` at 1/8, has 1 case in 8 above 256 and 1 in
 * 64 above 16,384). They favour powers of two, multiples of the workgroup sizes 64/128/256/1024,
 * 3·2^k, the vocabulary sizes 32,000, 50,257, 128,256, 151,936 and 256,000, and 10^4/10^5/10^6,
 * each ± 1, with some uniform and log-uniform lengths. Available only when the cap is at least
 * 256 (with maxLength below 256 `logits` leaves it out, and asking for it explicitly throws
 * naming the field that is too small).
 *
 * Rows (`longRow`): all zeros, benign, dominant, masked (finite masks, −Inf only with specials),
 * near the overflow threshold (one logit or all), a spread at the underflow threshold, huge,
 * a wide spread, subnormal, and with specials a NaN or ±Inf; the interesting element (the max,
 * the huge logit, the start of the masked run, the special) goes at an end, at a tile boundary
 * k·w − 1 or k·w, inside the partial last tile, or anywhere (`longPosition`). Labels
 * (cross-entropy ops): at that element or random, with equal odds.
 *
 * Why it is dangerous: error bounds grow with n (γ_{n−1} for the sum: Blanchard, Higham & Higham
 * 2021) and a running sum of ones stagnates at 2^p (2048 in f16, 256 in bf16); GPU kernels
 * break at lengths just past a workgroup size or not a power of two (pytorch#147284: rows that do
 * not sum to 1 for odd widths between 512 and 1024; pytorch#143644: wrong log_softmax at dim
 * 517); a max reduction that drops a partial maximum (llama.cpp#24451) shows when the max sits
 * at a boundary or in the tail; and the extremes of the short regions (overflow, underflow,
 * masks, NaN) must survive a tiled, multi-pass reduction over a whole vocabulary.
 *
 * Values are derived from one drawn seed with a small deterministic generator (mulberry32), not
 * one fast-check value per element, so a row of 2^18 costs milliseconds. Shrinking: the length
 * towards the shortest favoured length (63, or the first at or above minLength), the pattern
 * towards all zeros, the place towards the last element, the seed towards 0; elements do not
 * shrink individually.
 */
export function longLogits(constraints: RegionConstraints = {}): Arbitrary<LogitCase> {
  const r = resolveConstraints(constraints);
  const bad = longUnavailable(r);
  if (bad) throw bad;
  const length = longLengthArbitrary(Math.max(r.minLength, LONG_MIN_LENGTH), longCap(r));
  const shape = fc
    .tuple(length, fc.constantFrom(...longPatterns(r)), fc.constantFrom(...LONG_PLACES), fc.nat())
    .map(([n, pattern, place, seed]) => longRow(r, n, pattern, place, seed));
  return finishCase('long', r, shape, 'either');
}
