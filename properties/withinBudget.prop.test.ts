/**
 * Every implementation of the registry that is expected to pass stays within its budget on every
 * input region of its format: `judge` (docs/design.md, "Findings": the findings table, budgets of the recommended
 * algorithm) finds nothing that fails a verdict — no `ulp`, `overflow`, `underflow`,
 * `spurious-nan`, `nan-swallowed`, `sum` or `argmax` finding; `special` findings (deviations on
 * ±Inf logits) are reported by the policy, not failed.
 *
 * Registry-driven: a new implementation is covered by adding it to the registry. Few cases per
 * implementation × region (see runs.ts); the probes and the corpus carry the known hard inputs.
 */
import { afterAll, describe, test } from 'vitest';
import { regionArbitrary } from '../src/generators/regionArbitrary.js';
import { assertProperty } from './_support/assertProperty.js';
import { describe as describeFailure, evaluate } from './_support/evaluate.js';
import { disposeAll, subjects, title } from './_support/implementations.js';
import { REGION_NAMES, regionConstraints } from './_support/regions.js';
import { runs } from './_support/runs.js';

const FILE = 'properties/withinBudget.prop.test.ts';
const list = await subjects((impl) => impl.expected.inaccurate === 'pass');
afterAll(() => disposeAll(list));

describe.each(list.map((s) => [title(s), s] as const))('%s stays within its budget', (name, s) => {
  test.skipIf(s.unavailable !== null).each(REGION_NAMES.map((r) => [r]))('region %s', async (region) => {
    await assertProperty({
      file: FILE,
      testName: `${name} stays within its budget region ${region}`,
      seedParts: ['withinBudget', s.impl.name, region],
      arbitrary: regionArbitrary(region, regionConstraints(s.impl, region)),
      numRuns: region === 'long' ? runs(2) : runs(10),
      async check(c) {
        const e = await evaluate(s.impl, c.x, c.label);
        if (e.failing.length > 0)
          throw new Error(`outside its budget in region ${region}: ${describeFailure(s.impl, e)}`);
      },
    });
  });
});
