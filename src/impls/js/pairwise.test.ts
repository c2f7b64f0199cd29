import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { roundNumber } from '../../formats/roundNumber.js';
import { formatSpec } from '../../formats/specs.js';
import { simulateRecommended } from '../../metrics/simulateRecommended.js';
import type { FormatName } from '../../vocabulary/FormatName.js';
import { needsLabel, OPS } from '../../vocabulary/Op.js';
import { jsImplementations } from './index.js';

const FORMATS: readonly FormatName[] = ['f64', 'f32', 'f16', 'bf16'];
const impls = jsImplementations().filter((i) => i.name.split('/')[1] === 'pairwise');

/**
 * Values as strings, NaN equal to NaN: a bit-for-bit comparison of rows, except the sign of a zero
 * (the formulation's −log1p(0) at the pivot is −0 where the simulation's 0 − log1p(0) is +0; the
 * metrics treat ±0 alike).
 */
const bits = (a: ArrayLike<number>) => Array.from(a, (v) => String(v));

describe("'pairwise' is the budget's reference algorithm", () => {
  test('offered for every op in every format', () => {
    expect(impls.map((i) => i.name).sort()).toEqual(
      OPS.flatMap((op) => FORMATS.map((f) => `${op}/pairwise/${f}`)).sort(),
    );
  });

  test.each(FORMATS)(
    '%s: bit for bit what simulateRecommended computes with its pairwise sum',
    async (format) => {
      const fmt = formatSpec(format);
      // finite logits of the format, spread enough to reach the underflow and tail regimes;
      // a label anywhere except on a second, tied maximum (there the recommended gradient is
      // −s/(1 + s) and the formulation's 1/(1 + s) − 1 is exact enough, but not the same bits)
      const row = fc
        .array(
          fc.oneof(
            fc.double({ min: -120, max: 120, noNaN: true }),
            fc.integer({ min: -40, max: 40 }),
            fc.constant(-Infinity),
          ),
          { minLength: 1, maxLength: 70 },
        )
        .map((a) => a.map((v) => roundNumber(fmt, v)))
        .filter((a) => a.some((v) => v !== -Infinity));
      await fc.assert(
        fc.asyncProperty(row, fc.nat(), async (x, l) => {
          for (const impl of impls.filter((i) => i.format === format)) {
            let label: number | undefined;
            if (needsLabel(impl.op)) {
              const max = Math.max(...x);
              const first = x.indexOf(max);
              label = l % x.length;
              if (x[label] === max && label !== first) label = first;
            }
            const [out] = await impl.run([Float64Array.from(x)], label === undefined ? undefined : [label]);
            const sim = simulateRecommended(impl.op, format, x, label, 'pairwise');
            expect(bits(out), `${impl.name} on [${x.join(', ')}] label ${label}`).toEqual(bits(sim));
          }
        }),
        { seed: 0x9a1f, numRuns: 150 },
      );
    },
  );

  test('a long row where a recursive sum in the format stagnates: the pairwise sum does not', async () => {
    // f16: 2^15 equal logits (2^16 would overflow the sum, 65536 > 65504); a recursive sum stops
    // at 2048, pairwise sums of powers of two are exact
    const x = new Float64Array(2 ** 15);
    const softmax = impls.find((i) => i.name === 'softmax/pairwise/f16')!;
    const [out] = await softmax.run([x]);
    expect(new Set(out)).toEqual(new Set([2 ** -15]));
    const lse = impls.find((i) => i.name === 'logsumexp/pairwise/f16')!;
    const [[y]] = await lse.run([x]);
    expect(y).toBe(roundNumber(formatSpec('f16'), Math.log(2 ** 15)));
  });
});
