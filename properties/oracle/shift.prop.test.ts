/**
 * The oracle is shift-invariant EXACTLY.
 *
 * softmax, log_softmax, cross_entropy and cross_entropy_grad depend on x only through the
 * differences x_i − x_j, so for an exact shift — c a value of the format with every x_i + c
 * exactly representable (checked: binary64 TwoSum error 0, then representable in the format) —
 * the exact real results on x and on x + c are the same numbers, and so are their correct
 * roundings: the rows must be bitwise equal (signed zeros included: the sign of a result that
 * rounds to zero is the sign of the exact value; NaN and ±Inf logits are unchanged by a finite
 * shift, and the policy's limits depend only on where they are).
 *
 * logsumexp is shift-EQUIVARIANT: LSE(x + c) = LSE(x) + c, but RN(LSE(x) + c) is not
 * RN(LSE(x)) + c. Sound check instead: the binary64 oracle l = RN64(LSE(x)) gives
 * LSE(x) ∈ [l − h, l + h] with h half the binary64 spacing above |l| (at least RN's error), so
 * LSE(x + c) lies in [l + c − h, l + c + h]; when both ends (computed exactly) round to the same
 * value v of the format — ties towards the interior, the exact value being inside — the oracle
 * in that format on x + c must be v. Otherwise that case decides nothing and is skipped.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { roundDecimal } from '../../src/formats/roundDecimal.js';
import { F64, formatSpec } from '../../src/formats/specs.js';
import { FORMAT_NAMES } from '../../src/vocabulary/FormatName.js';
import { ulpOf } from '../../src/formats/ulp.js';
import { logits } from '../../src/generators/logits.js';
import { oracle } from '../../src/oracle/oracle.js';
import { OPS } from '../../src/vocabulary/Op.js';
import { exact } from '../_support/decimal.js';
import { showInput } from '../_support/evaluate.js';
import { exactShift, shiftPick, shifted } from '../_support/exactShift.js';
import { SHORT_FINITE_REGIONS } from '../_support/regions.js';
import { runs } from '../_support/runs.js';
import { assertProperty } from '../_support/assertProperty.js';
import { firstDifference } from '../_support/sameValues.js';

const FILE = 'properties/oracle/shift.prop.test.ts';
const REGIONS = [...SHORT_FINITE_REGIONS, 'specials' as const];
const INVARIANT = OPS.filter((op) => op !== 'logsumexp');

describe.each(FORMAT_NAMES.map((f) => [f]))('oracle in %s', (format) => {
  const fmt = formatSpec(format);
  describe.each(INVARIANT.map((op) => [op]))('%s', (op) => {
    const arb = fc.tuple(logits({ format, op, specials: true, regions: REGIONS }), shiftPick);
    test('is exactly shift-invariant', () =>
      assertProperty({
        file: FILE,
        testName: `oracle in ${format} ${op} is exactly shift-invariant`,
        seedParts: ['oracle/shift', format, op],
        arbitrary: arb,
        numRuns: runs(25),
        check: ([{ x, label }, pick]) => {
          const c = exactShift(fmt, x, pick);
          const a = oracle(op, format, x, label).values;
          const b = oracle(op, format, shifted(x, c), label).values;
          const i = firstDifference(a, b);
          expect(
            i,
            `${op} in ${format} on ${showInput(x, label)} and shifted by ${c}: element ${i} is ${a[i]} then ${b[i]}`,
          ).toBe(-1);
        },
      }));
  });

  const arb = fc.tuple(logits({ format, op: 'logsumexp', regions: SHORT_FINITE_REGIONS }), shiftPick);
  test('logsumexp is shift-equivariant (decided cases)', () =>
    assertProperty({
      file: FILE,
      testName: `oracle in ${format} logsumexp is shift-equivariant`,
      seedParts: ['oracle/shift', format, 'logsumexp'],
      arbitrary: arb,
      numRuns: runs(25),
      check: ([{ x }, pick]) => {
        const c = exactShift(fmt, x, pick);
        const l = oracle('logsumexp', 'f64', x).values[0];
        if (!Number.isFinite(l)) return;
        // all exact (Exact carries 1600 digits): l + c ± h with h = ulp/2 a power of two
        const h = exact(ulpOf(F64, l)).div(2);
        const mid = exact(l).plus(exact(c));
        const lo = roundDecimal(fmt, mid.minus(h), 'up');
        const hi = roundDecimal(fmt, mid.plus(h), 'down');
        if (!Object.is(lo, hi)) return;
        const got = oracle('logsumexp', format, shifted(x, c)).values[0];
        expect(
          got,
          `logsumexp in ${format} on ${showInput(x, undefined)} shifted by ${c}: LSE(x) = ${l} (f64) decides ${lo}`,
        ).toBe(lo);
      },
    }));
});
