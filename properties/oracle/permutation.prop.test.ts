/**
 * The oracle is permutation-equivariant EXACTLY: every op is a symmetric function of the logits
 * (the label moving with its logit), so permuting x permutes the exact results of softmax,
 * log_softmax and the gradient and leaves logsumexp and cross_entropy unchanged — and each
 * element is the correct rounding of its exact value, whatever its position. Rows must match
 * bitwise (signed zeros and NaN included), on every region, NaN and ±Inf logits included.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { FORMAT_NAMES } from '../../src/vocabulary/FormatName.js';
import { logits } from '../../src/generators/logits.js';
import { oracle } from '../../src/oracle/oracle.js';
import { isScalarOp, OPS } from '../../src/vocabulary/Op.js';
import { showInput } from '../_support/evaluate.js';
import { SHORT_FINITE_REGIONS } from '../_support/regions.js';
import { runs } from '../_support/runs.js';
import { assertProperty } from '../_support/assertProperty.js';

const FILE = 'properties/oracle/permutation.prop.test.ts';
const REGIONS = [...SHORT_FINITE_REGIONS, 'specials' as const];

describe.each(FORMAT_NAMES.map((f) => [f]))('oracle in %s', (format) => {
  describe.each(OPS.map((op) => [op]))('%s', (op) => {
    const arb = logits({ format, op, specials: true, regions: REGIONS, minLength: 2 }).chain((c) => {
      const idx = c.x.map((_, i) => i);
      return fc
        .shuffledSubarray(idx, { minLength: idx.length, maxLength: idx.length })
        .map((perm) => ({ ...c, perm }));
    });
    test('is exactly permutation-equivariant', () =>
      assertProperty({
        file: FILE,
        testName: `oracle in ${format} ${op} is exactly permutation-equivariant`,
        seedParts: ['oracle/permutation', format, op],
        arbitrary: arb,
        numRuns: runs(25),
        check: ({ x, label, perm }) => {
          const xp = perm.map((i) => x[i]);
          const lp = label === undefined ? undefined : perm.indexOf(label);
          const a = oracle(op, format, x, label).values;
          const b = oracle(op, format, xp, lp).values;
          for (let j = 0; j < b.length; j++) {
            const i = isScalarOp(op) ? 0 : perm[j];
            expect(
              Object.is(a[i], b[j]),
              `${op} in ${format} on ${showInput(x, label)}, permuted by ${JSON.stringify(perm)}: element ${i} is ${a[i]}, at ${j} after permuting ${b[j]}`,
            ).toBe(true);
          }
        },
      }));
  });
});
