import fc, { type Arbitrary } from 'fast-check';
import { expThresholds } from '../formats/thresholds.js';
import { nextDown, nextUp } from '../formats/ulp.js';
import type { LogitCase } from './LogitCase.js';
import type { RegionConstraints } from './RegionConstraints.js';
import { finishCase, type Shape } from './_internals/finishCase.js';
import { benignValue, byOrdinal } from './_internals/formatValues.js';
import { lengthsFor, resolveConstraints } from './_internals/resolveConstraints.js';

/**
 * Region `equal`: many equal logits, all a; in a quarter of the cases one of them is replaced by
 * its neighbour one ULP below (above, at −maxFinite), so the row is "all equal but one".
 * a is 0, benign, an exp threshold, ±maxFinite, or any finite value of the format. Lengths
 * are drawn uniformly from [max(minLength, 2), the ordinary cap], so long runs are common.
 *
 * Why it is dangerous: softmax must give 1/n correctly rounded (inexact unless n is a power of
 * two) and log_softmax −ln n; the sum of n terms e^0 = 1 must reach n exactly, but a running sum
 * stagnates once n passes 2^p (2048 in f16, 256 in bf16), and blocked or tree sums round
 * differently at odd lengths; rows of ±maxFinite or threshold values put the whole row on the
 * edge at once (all +Inf in an unshifted exp; e^{x − max} = 1 in a shifted one), and an
 * implementation that special-cases "max attained once" breaks on ties.
 *
 * Shrinking: shorter rows (towards minLength, at least 2 when allowed), a towards 0 (or stays at
 * its special value), the "one below" variant's position towards index 0.
 */
export function equalLogits(constraints: RegionConstraints = {}): Arbitrary<LogitCase> {
  const r = resolveConstraints(constraints);
  const { fmt } = r;
  const th = expThresholds(fmt.name);
  const max = fmt.maxFinite;
  const len = lengthsFor(r, 2);
  const anchor = fc.oneof(
    { arbitrary: fc.constant(0), weight: 1 },
    { arbitrary: benignValue(fmt), weight: 2 },
    { arbitrary: fc.constantFrom(th.overflow, th.underflow, max, -max), weight: 1 },
    { arbitrary: byOrdinal(fmt, -max, max), weight: 1 },
  );
  const oddOne = fc.oneof({ arbitrary: fc.constant(-1), weight: 3 }, { arbitrary: fc.nat(), weight: 1 });
  const shape = fc
    .tuple(anchor, fc.integer({ min: len.min, max: len.max }), oddOne)
    .map(([a, n, odd]): Shape => {
      const x = new Array<number>(n).fill(a);
      if (odd >= 0 && n > 1) x[odd % n] = a === -max ? nextUp(fmt, a) : nextDown(fmt, a);
      return { x };
    });
  return finishCase('equal', r, shape);
}
