/**
 * softmax = exp(log_softmax), checked soundly across formats: the oracle's log_softmax in f64
 * and its softmax in f32 are consistent.
 *
 * Let ℓ_i = log_softmax(x)_i exactly, l its binary64 correct rounding (the f64 oracle) and s the
 * f32 oracle's softmax_i = RN32(e^ℓ_i). Then |ℓ − l| ≤ h, h half the binary64 spacing above |l|
 * (RN's error is at most half the spacing on the side ℓ lies, never more than this), so
 * e^ℓ ∈ [e^(l−h), e^(l+h)] (exp is increasing). With lower and upper bounds L ≤ e^(l−h) and
 * U ≥ e^(l+h) (decimal.js at 60 digits rounded down and up; its exp is correctly rounded) and RN32
 * monotone (gradual underflow included):
 *   1. RN32(L) ≤ s ≤ RN32(U)  — exact comparisons, no tolerance;
 *   2. s is within 1 f32 ULP of RN32(e^l): the interval's relative width e^(2h) − 1 ≈ 2h ≤
 *      |l|·2^−52, below f32's smallest relative spacing 2^−24 while |l| < 2^28 (and below the
 *      fixed subnormal spacing there), so it holds at most one f32 rounding boundary and RN32(L),
 *      RN32(U) are equal or adjacent; for |l| ≥ 2^28, e^l is far below f32's smallest subnormal
 *      and both round to 0.
 * Below −10^4 the bounds are replaced by 0 and e^(−10^4), still bounds, which round to 0 in f32
 * (and keep decimal.js's exponent range).
 * Inputs: f32 logits (representable in both formats), every finite region.
 */
import { describe, expect, test } from 'vitest';
import { roundDecimal } from '../../src/formats/roundDecimal.js';
import { F32, F64 } from '../../src/formats/specs.js';
import { ulpDistance, ulpOf } from '../../src/formats/ulp.js';
import { logits } from '../../src/generators/logits.js';
import { oracle } from '../../src/oracle/oracle.js';
import { Ceil60, exact, Floor60 } from '../_support/decimal.js';
import { showInput } from '../_support/evaluate.js';
import { SHORT_FINITE_REGIONS } from '../_support/regions.js';
import { runs } from '../_support/runs.js';
import { assertProperty } from '../_support/assertProperty.js';

const FILE = 'properties/oracle/softmaxLogSoftmax.prop.test.ts';
const FLOOR = -1e4;

describe('oracle: softmax in f32 against exp of log_softmax in f64', () => {
  test('round_f32(exp(ls_f64)) brackets softmax_f32 and is within 1 ULP of it', () =>
    assertProperty({
      file: FILE,
      testName: 'round_f32(exp(ls_f64)) brackets softmax_f32 and is within 1 ULP of it',
      seedParts: ['oracle/softmax-exp-log_softmax'],
      arbitrary: logits({ format: 'f32', op: 'softmax', regions: SHORT_FINITE_REGIONS }),
      numRuns: runs(30),
      check: ({ x }) => {
        const ls = oracle('log_softmax', 'f64', x).values;
        const sm = oracle('softmax', 'f32', x).values;
        for (let i = 0; i < x.length; i++) {
          const l = ls[i];
          const s = sm[i];
          const where = `element ${i} of ${showInput(x, undefined)}: log_softmax_f64 ${l}, softmax_f32 ${s}`;
          expect(Number.isFinite(l) && l <= 0, `log_softmax must be finite and ≤ 0: ${where}`).toBe(true);
          const h = exact(ulpOf(F64, l)).div(2);
          const lo = exact(l).minus(h);
          const hi = exact(l).plus(h);
          const L = lo.lt(FLOOR) ? new Floor60(0) : new Floor60(lo).exp();
          const U = new Ceil60(hi.lt(FLOOR) ? FLOOR : hi).exp();
          const below = roundDecimal(F32, L);
          const above = roundDecimal(F32, U);
          expect(
            below <= s && s <= above,
            `softmax_f32 outside [RN32(e^(l−h)), RN32(e^(l+h))] = [${below}, ${above}]: ${where}`,
          ).toBe(true);
          const centre = roundDecimal(F32, new Floor60(exact(l).lt(FLOOR) ? FLOOR : exact(l)).exp());
          expect(
            ulpDistance(F32, s, centre),
            `softmax_f32 more than 1 ULP from RN32(e^l) = ${centre}: ${where}`,
          ).toBeLessThanOrEqual(1);
        }
      },
    }));
});
