/**
 * Sums of once-rounded results stay within the bound their roundings allow.
 *
 * The exact gradient g = softmax(x) − onehot(k) sums to 0 and the exact softmax to 1. Each
 * element r_i of the oracle is g_i (resp. softmax_i) rounded ONCE to nearest in the format, so
 * |r_i − g_i| ≤ u·|g_i| when |g_i| is normal (half a spacing, the spacing at most 2u·|g_i|),
 * ≤ σ/2 when it is subnormal (σ the smallest subnormal), and no overflow is possible (|g_i| ≤ 1).
 * From |g_i| ≤ |r_i| + u|g_i| follows |g_i| ≤ |r_i|/(1 − u), hence
 *   |Σ r_i − Σ g_i| ≤ u/(1 − u) · Σ|r_i| + n·σ/2 ≤ B.
 * B is evaluated in binary64 with every operation rounded outward (metrics/directed.ts), n·σ
 * standing in for n·σ/2 (σ/2 is not a binary64 value in f64), and the sums of r are formed
 * exactly (metrics/exactSum.ts), so the comparison itself adds no error. A result rounded twice
 * (e.g. RN(RN(softmax_k) − 1) at the label) breaks it: at [0, −40] label 0 it gives 0 where
 * −e^−40 is due.
 */
import { describe, expect, test } from 'vitest';
import { formatSpec } from '../../src/formats/specs.js';
import { FORMAT_NAMES } from '../../src/vocabulary/FormatName.js';
import { logits } from '../../src/generators/logits.js';
import { down, sumUp, up } from '../../src/metrics/directed.js';
import { dyadicToNumber, exactSum, exceedsBound, sumMinusOne } from '../../src/metrics/exactSum.js';
import { oracle } from '../../src/oracle/oracle.js';
import { showInput } from '../_support/evaluate.js';
import { SHORT_FINITE_REGIONS } from '../_support/regions.js';
import { runs } from '../_support/runs.js';
import { assertProperty } from '../_support/assertProperty.js';

const FILE = 'properties/oracle/roundedSums.prop.test.ts';

/** B = u/(1 − u)·Σ|r_i| + n·σ, rounded outward. */
function roundingBound(format: (typeof FORMAT_NAMES)[number], r: ArrayLike<number>): number {
  const fmt = formatSpec(format);
  const u = fmt.unitRoundoff;
  const abs = sumUp(Array.from(r, Math.abs));
  return up(up(up(u * abs) / down(1 - u)) + up(r.length * fmt.minSubnormal));
}

describe.each(FORMAT_NAMES.map((f) => [f]))('oracle in %s', (format) => {
  test('cross_entropy_grad sums to 0 within the bound of its roundings', () =>
    assertProperty({
      file: FILE,
      testName: 'cross_entropy_grad sums to 0 within the bound of its roundings',
      seedParts: ['oracle/grad-sum', format],
      arbitrary: logits({ format, op: 'cross_entropy_grad', regions: SHORT_FINITE_REGIONS }),
      numRuns: runs(30),
      check: ({ x, label }) => {
        const r = oracle('cross_entropy_grad', format, x, label).values;
        const b = roundingBound(format, r);
        const s = exactSum(r);
        expect(
          exceedsBound(s, b),
          `Σ gradient = ${dyadicToNumber(s)} exceeds ${b} on ${showInput(x, label)}: ${Array.from(r)}`,
        ).toBe(false);
      },
    }));
  test('softmax sums to 1 within the bound of its roundings', () =>
    assertProperty({
      file: FILE,
      testName: 'softmax sums to 1 within the bound of its roundings',
      seedParts: ['oracle/softmax-sum', format],
      arbitrary: logits({ format, op: 'softmax', regions: SHORT_FINITE_REGIONS }),
      numRuns: runs(30),
      check: ({ x }) => {
        const r = oracle('softmax', format, x).values;
        const b = roundingBound(format, r);
        const d = sumMinusOne(r);
        expect(
          exceedsBound(d, b),
          `Σ softmax − 1 = ${dyadicToNumber(d)} exceeds ${b} on ${showInput(x, undefined)}`,
        ).toBe(false);
      },
    }));
});
