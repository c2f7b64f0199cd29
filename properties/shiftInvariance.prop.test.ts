/**
 * Shift invariance within the bound. softmax, log_softmax, cross_entropy and its gradient are
 * invariant under x → x + c (logsumexp shifts by c). For an exact shift — c a value of the format
 * with every x_i + c exactly representable — the shifted input is a valid input with the same
 * exact result, so an implementation expected to pass must
 *   1. be within its budget against the oracle ON THE SHIFTED INPUT (never bitwise against its
 *      own unshifted output: a recursive sum rounds differently once the values change), and
 *   2. for the invariant ops, stay within b(x)_i + b(x + c)_i ULPs of its unshifted output
 *      (both within budget of the same correctly rounded value; ULP distance is a metric).
 */
import fc from 'fast-check';
import { afterAll, describe, test } from 'vitest';
import { formatSpec } from '../src/formats/specs.js';
import { ulpDistance } from '../src/formats/ulp.js';
import { logits } from '../src/generators/logits.js';
import { assertProperty } from './_support/assertProperty.js';
import { describe as describeFailure, evaluate, showInput } from './_support/evaluate.js';
import { exactShift, shiftPick, shifted } from './_support/exactShift.js';
import { disposeAll, subjects, title } from './_support/implementations.js';
import { SHORT_FINITE_REGIONS } from './_support/regions.js';
import { runs } from './_support/runs.js';

const FILE = 'properties/shiftInvariance.prop.test.ts';
const list = await subjects((impl) => impl.expected.inaccurate === 'pass');
afterAll(() => disposeAll(list));

describe.each(list.map((s) => [title(s), s] as const))('%s', (name, s) => {
  const fmt = formatSpec(s.impl.format);
  const invariant = s.impl.op !== 'logsumexp';
  test.skipIf(s.unavailable !== null)('is shift-invariant within its bound', async () => {
    await assertProperty({
      file: FILE,
      testName: `${name} is shift-invariant`,
      seedParts: ['shift', s.impl.name],
      arbitrary: fc.tuple(
        logits({ format: s.impl.format, op: s.impl.op, regions: SHORT_FINITE_REGIONS }),
        shiftPick,
      ),
      numRuns: runs(15),
      async check([{ x, label }, pick]) {
        const c = exactShift(fmt, x, pick);
        const xs = shifted(x, c);
        const moved = await evaluate(s.impl, xs, label);
        if (moved.failing.length > 0)
          throw new Error(
            `outside its budget on the input shifted by ${c}: ${describeFailure(s.impl, moved)}`,
          );
        if (!invariant) return;
        const base = await evaluate(s.impl, x, label);
        if (base.failing.length > 0)
          throw new Error(`outside its budget on the unshifted input: ${describeFailure(s.impl, base)}`);
        const b0 = base.judgement.budget!;
        const b1 = moved.judgement.budget!;
        for (let i = 0; i < base.output.length; i++) {
          const d = ulpDistance(fmt, base.judgement.output![i], moved.judgement.output![i]);
          if (d > b0[i] + b1[i]) {
            throw new Error(
              `shift by ${c} moved element ${i} by ${d} ULPs, more than the budgets ${b0[i]} + ${b1[i]} allow: ` +
                `${s.impl.name} on ${showInput(x, label)} gives ${base.output[i]}, shifted ${moved.output[i]} (correctly rounded ${base.reference[i]})`,
            );
          }
        }
      },
    });
  });
});
