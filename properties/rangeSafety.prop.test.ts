/**
 * No spurious overflow or underflow: on finite logits, an implementation expected to pass never
 * returns NaN or ±Inf where the correctly rounded result is finite, and never returns 0 where the
 * result is nonzero unless 0 is within the element's budget (a legitimate flush of a result at the
 * subnormal floor). Checked directly on the values, independently of `judge`'s classification,
 * on every finite region of the format — those near the exp thresholds, huge logits and spreads,
 * subnormals and masks included.
 */
import { afterAll, describe, test } from 'vitest';
import { formatSpec } from '../src/formats/specs.js';
import { ulpDistance } from '../src/formats/ulp.js';
import { regionArbitrary } from '../src/generators/regionArbitrary.js';
import { budget } from '../src/metrics/budgets.js';
import { assertProperty } from './_support/assertProperty.js';
import { call, reference, showInput } from './_support/evaluate.js';
import { disposeAll, subjects, title } from './_support/implementations.js';
import { SHORT_FINITE_REGIONS, regionConstraints } from './_support/regions.js';
import { runs } from './_support/runs.js';

const FILE = 'properties/rangeSafety.prop.test.ts';
const list = await subjects((impl) => impl.expected.inaccurate === 'pass');
afterAll(() => disposeAll(list));

describe.each(list.map((s) => [title(s), s] as const))(
  '%s never overflows or underflows spuriously',
  (name, s) => {
    const fmt = formatSpec(s.impl.format);
    test.skipIf(s.unavailable !== null).each(SHORT_FINITE_REGIONS.map((r) => [r]))(
      'region %s',
      async (region) => {
        await assertProperty({
          file: FILE,
          testName: `${name} never overflows or underflows spuriously region ${region}`,
          seedParts: ['rangeSafety', s.impl.name, region],
          arbitrary: regionArbitrary(region, { ...regionConstraints(s.impl, region), specials: false }),
          numRuns: runs(6),
          async check({ x, label }) {
            const r = reference(s.impl.op, s.impl.format, x, label);
            const a = await call(s.impl, x, label);
            let b: Float64Array | undefined;
            for (let i = 0; i < r.length; i++) {
              const where = `${s.impl.name} on ${showInput(x, label)}: element ${i} is ${a[i]}, the correctly rounded result ${r[i]}`;
              if (Number.isFinite(r[i]) && !Number.isFinite(a[i]))
                throw new Error(`spurious ${a[i] !== a[i] ? 'NaN' : 'overflow'}: ${where}`);
              if (a[i] === 0 && r[i] !== 0 && Number.isFinite(r[i])) {
                b ??= budget(s.impl.op, s.impl.format, x, label, undefined, r);
                const d = ulpDistance(fmt, a[i], r[i]);
                if (d > b[i])
                  throw new Error(`spurious underflow to 0 (${d} ULPs, budget ${b[i]}): ${where}`);
              }
            }
          },
        });
      },
    );
  },
);
