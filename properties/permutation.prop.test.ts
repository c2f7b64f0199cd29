/**
 * Permutation equivariance within the bound. softmax, log_softmax and the cross-entropy gradient
 * permute with their input (logsumexp and cross_entropy are invariant, the label moving with its
 * logit). An implementation expected to pass must
 *   1. be within its budget against the oracle ON THE PERMUTED INPUT (never bitwise against its
 *      own output: a recursive sum depends on the order of its terms), and
 *   2. stay within b(x)_{π(j)} + b(πx)_j ULPs of its own output at the corresponding element.
 */
import fc from 'fast-check';
import { afterAll, describe, test } from 'vitest';
import { formatSpec } from '../src/formats/specs.js';
import { ulpDistance } from '../src/formats/ulp.js';
import { logits } from '../src/generators/logits.js';
import { isScalarOp } from '../src/vocabulary/Op.js';
import { assertProperty } from './_support/assertProperty.js';
import { describe as describeFailure, evaluate, showInput } from './_support/evaluate.js';
import { disposeAll, subjects, title } from './_support/implementations.js';
import { SHORT_FINITE_REGIONS } from './_support/regions.js';
import { runs } from './_support/runs.js';

const FILE = 'properties/permutation.prop.test.ts';
const list = await subjects((impl) => impl.expected.inaccurate === 'pass');
afterAll(() => disposeAll(list));

describe.each(list.map((s) => [title(s), s] as const))('%s', (name, s) => {
  const fmt = formatSpec(s.impl.format);
  const scalar = isScalarOp(s.impl.op);
  test.skipIf(s.unavailable !== null)('is permutation-equivariant within its bound', async () => {
    const arbitrary = logits({
      format: s.impl.format,
      op: s.impl.op,
      minLength: 2,
      regions: SHORT_FINITE_REGIONS,
    }).chain((c) => {
      const idx = c.x.map((_, i) => i);
      return fc
        .shuffledSubarray(idx, { minLength: idx.length, maxLength: idx.length })
        .map((perm) => ({ ...c, perm }));
    });
    await assertProperty({
      file: FILE,
      testName: `${name} is permutation-equivariant`,
      seedParts: ['permutation', s.impl.name],
      arbitrary,
      numRuns: runs(15),
      async check({ x, label, perm }) {
        // element j of the permuted row is element perm[j] of x; the label moves with its logit
        const xp = perm.map((i) => x[i]);
        const lp = label === undefined ? undefined : perm.indexOf(label);
        const moved = await evaluate(s.impl, xp, lp);
        if (moved.failing.length > 0)
          throw new Error(
            `outside its budget on the permuted input (perm ${JSON.stringify(perm)}): ${describeFailure(s.impl, moved)}`,
          );
        const base = await evaluate(s.impl, x, label);
        if (base.failing.length > 0)
          throw new Error(`outside its budget on the input: ${describeFailure(s.impl, base)}`);
        const b0 = base.judgement.budget!;
        const b1 = moved.judgement.budget!;
        for (let j = 0; j < moved.output.length; j++) {
          const i = scalar ? 0 : perm[j];
          const d = ulpDistance(fmt, base.judgement.output![i], moved.judgement.output![j]);
          if (d > b0[i] + b1[j]) {
            throw new Error(
              `permutation ${JSON.stringify(perm)} moved element ${i} by ${d} ULPs, more than the budgets ${b0[i]} + ${b1[j]} allow: ` +
                `${s.impl.name} on ${showInput(x, label)} gives ${base.output[i]}, permuted ${moved.output[j]} (correctly rounded ${base.reference[i]})`,
            );
          }
        }
      },
    });
  });
});
