/**
 * NaN propagates per the special-values policy (docs/design.md, "Special values"): a NaN logit makes every output NaN,
 * whatever else the row holds (±Inf logits, huge or tiny ones), for every implementation expected
 * to pass. Inputs: rows of every finite region with one to three NaNs planted (and sometimes a
 * ±Inf beside them), and the `specials` region's rows that hold a NaN.
 */
import fc from 'fast-check';
import { afterAll, describe, test } from 'vitest';
import { logits } from '../src/generators/logits.js';
import { regionArbitrary } from '../src/generators/regionArbitrary.js';
import type { LogitCase } from '../src/generators/LogitCase.js';
import type { Implementation } from '../src/impls/types.js';
import { assertProperty } from './_support/assertProperty.js';
import { call, showInput } from './_support/evaluate.js';
import { disposeAll, subjects, title } from './_support/implementations.js';
import { SHORT_FINITE_REGIONS } from './_support/regions.js';
import { runs } from './_support/runs.js';

const FILE = 'properties/nanPolicy.prop.test.ts';
const list = await subjects((impl) => impl.expected.inaccurate === 'pass');
afterAll(() => disposeAll(list));

/** Rows with at least one NaN logit, for one implementation's format and op. */
function withNaN(impl: Implementation): fc.Arbitrary<LogitCase> {
  const planted = fc
    .tuple(
      logits({ format: impl.format, op: impl.op, regions: SHORT_FINITE_REGIONS }),
      fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
      fc.constantFrom(null, Infinity, -Infinity),
      fc.nat(),
    )
    .map(([c, at, inf, infAt]): LogitCase => {
      const x = c.x.slice();
      if (inf !== null && x.length > 1) x[infAt % x.length] = inf;
      for (const p of at) x[p % x.length] = NaN;
      return { ...c, x };
    });
  const specials = regionArbitrary('specials', { format: impl.format, op: impl.op, specials: true }).filter(
    (c) => c.x.some((v) => v !== v),
  );
  return fc.oneof({ arbitrary: planted, weight: 3 }, { arbitrary: specials, weight: 1 });
}

describe.each(list.map((s) => [title(s), s] as const))('%s', (name, s) => {
  test.skipIf(s.unavailable !== null)('propagates NaN: a NaN logit makes every output NaN', async () => {
    await assertProperty({
      file: FILE,
      testName: `${name} propagates NaN`,
      seedParts: ['nanPolicy', s.impl.name],
      arbitrary: withNaN(s.impl),
      numRuns: runs(12),
      async check({ x, label }) {
        const a = await call(s.impl, x, label);
        const i = a.findIndex((v) => v === v);
        if (i >= 0)
          throw new Error(
            `NaN swallowed: ${s.impl.name} on ${showInput(x, label)} returned ${a[i]} at ${i}; the policy gives NaN everywhere`,
          );
      },
    });
  });
});
