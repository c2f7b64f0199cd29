/**
 * Exact bounds survive rounding: round-to-nearest is monotone (x ≤ y ⇒ RN(x) ≤ RN(y), gradual
 * underflow and overflow included) and fixes the values of the format, so a bound that holds
 * exactly and is itself a value of the format holds for the oracle's results EXACTLY:
 * - logsumexp ≥ max x: LSE = m + ln(1 + Σ_{j≠k} e^(x_j − m)) ≥ m, and m is a logit, a value of
 *   the format, so RN(LSE) ≥ RN(m) = m;
 * - logsumexp ≤ RN(U) for any U ≥ m + ln n (LSE ≤ m + ln n: every term e^(x_j − m) ≤ 1); U is
 *   m + ln n computed at 60 digits rounded up;
 * - 0 ≤ softmax ≤ 1, log_softmax ≤ 0, cross_entropy ≥ 0, −1 ≤ cross_entropy_grad ≤ 1 (0, 1 and
 *   −1 are values of every format).
 */
import { describe, expect, test } from 'vitest';
import { roundDecimal } from '../../src/formats/roundDecimal.js';
import { formatSpec } from '../../src/formats/specs.js';
import { FORMAT_NAMES } from '../../src/vocabulary/FormatName.js';
import { logits } from '../../src/generators/logits.js';
import { oracle } from '../../src/oracle/oracle.js';
import { Ceil60, exact } from '../_support/decimal.js';
import { showInput } from '../_support/evaluate.js';
import { SHORT_FINITE_REGIONS } from '../_support/regions.js';
import { runs } from '../_support/runs.js';
import { assertProperty } from '../_support/assertProperty.js';

const FILE = 'properties/oracle/monotoneBounds.prop.test.ts';

describe.each(FORMAT_NAMES.map((f) => [f]))('oracle in %s', (format) => {
  const fmt = formatSpec(format);
  test('max x ≤ logsumexp ≤ RN(max x + ln n), and the ranges of the other ops', () =>
    assertProperty({
      file: FILE,
      testName: 'max x ≤ logsumexp ≤ RN(max x + ln n), and the ranges of the other ops',
      seedParts: ['oracle/bounds', format],
      arbitrary: logits({ format, op: 'cross_entropy', regions: SHORT_FINITE_REGIONS }),
      numRuns: runs(30),
      check: ({ x, label }) => {
        const where = `on ${showInput(x, label)}`;
        const m = Math.max(...x);
        const lse = oracle('logsumexp', format, x).values[0];
        expect(lse >= m, `logsumexp ${lse} < max ${m} ${where}`).toBe(true);
        const upper = roundDecimal(fmt, new Ceil60(exact(m)).plus(new Ceil60(x.length).ln()));
        expect(lse <= upper, `logsumexp ${lse} > RN(max + ln n) = ${upper} ${where}`).toBe(true);
        const sm = oracle('softmax', format, x).values;
        expect(
          sm.every((v) => v >= 0 && v <= 1),
          `softmax outside [0, 1]: ${Array.from(sm)} ${where}`,
        ).toBe(true);
        const ls = oracle('log_softmax', format, x).values;
        expect(
          ls.every((v) => v <= 0),
          `log_softmax above 0: ${Array.from(ls)} ${where}`,
        ).toBe(true);
        const ce = oracle('cross_entropy', format, x, label).values[0];
        expect(ce >= 0, `cross_entropy ${ce} < 0 ${where}`).toBe(true);
        const g = oracle('cross_entropy_grad', format, x, label).values;
        expect(
          g.every((v) => v >= -1 && v <= 1),
          `cross_entropy_grad outside [−1, 1]: ${Array.from(g)} ${where}`,
        ).toBe(true);
      },
    }));
});
