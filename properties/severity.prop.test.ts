/**
 * The two levels agree with their definitions on every region, for every implementation of the
 * registry (docs/design.md, "Severity"):
 * - a value finding (ulp, underflow, overflow, cancellation, spurious-nan, nan-swallowed, sum) is
 *   only ever `wrong` when it is beyond budget, and it is `wrong` exactly where assert_close would
 *   reject the element (the sum: some element of the row);
 * - `--fail-on wrong` never fails an output that `--fail-on inaccurate` passes.
 * Random inputs from every region (the registry's known-bad formulas included: they are where wrong
 * and inaccurate findings come from).
 */
import { afterAll, describe, test } from 'vitest';
import { regionArbitrary } from '../src/generators/regionArbitrary.js';
import { ASSERT_CLOSE, isClose } from '../src/metrics/closeness.js';
import { failsAt } from '../src/vocabulary/Severity.js';
import type { FindingKind } from '../src/vocabulary/FindingKind.js';
import { assertProperty } from './_support/assertProperty.js';
import { evaluate, showInput } from './_support/evaluate.js';
import { disposeAll, subjects, title } from './_support/implementations.js';
import { REGION_NAMES, regionConstraints } from './_support/regions.js';
import { runs } from './_support/runs.js';

const FILE = 'properties/severity.prop.test.ts';
const ELEMENT_VALUE_KINDS: readonly FindingKind[] = [
  'ulp',
  'underflow',
  'overflow',
  'cancellation',
  'spurious-nan',
  'nan-swallowed',
];
// the pure-JS zoo: fast, and it holds every textbook failure (the GPU and library adapters are
// covered by the same judge through the campaign tests)
const list = await subjects((impl) => impl.backend === 'js');
afterAll(() => disposeAll(list));

describe.each(list.map((s) => [title(s), s] as const))('%s: severities', (name, s) => {
  test.skipIf(s.unavailable !== null).each(REGION_NAMES.filter((r) => r !== 'long').map((r) => [r]))(
    'region %s',
    async (region) => {
      const { rtol, atol } = ASSERT_CLOSE.tolerances[s.impl.format];
      await assertProperty({
        file: FILE,
        testName: `${name}: severities region ${region}`,
        seedParts: ['severity', s.impl.name, region],
        arbitrary: regionArbitrary(region, regionConstraints(s.impl, region)),
        numRuns: runs(4),
        async check(c) {
          const e = await evaluate(s.impl, c.x, c.label);
          const j = e.judgement;
          const where = `${s.impl.name} on ${showInput(c.x, c.label)}`;
          for (const f of j.findings) {
            if (ELEMENT_VALUE_KINDS.includes(f.kind) && f.index >= 0) {
              const a = j.output![f.index];
              const r = e.reference[f.index];
              const beyond = j.ulps![f.index] > j.budget![f.index] || f.kind === 'cancellation';
              if (f.severity === 'wrong' && !(beyond || Math.abs(a - r) >= Math.abs(r)))
                throw new Error(`${where}: ${f.kind} at ${f.index} is wrong within its budget`);
              const wrong = !isClose(a, r, rtol, atol);
              if ((f.severity === 'wrong') !== wrong)
                throw new Error(
                  `${where}: ${f.kind} at ${f.index} (${a} for ${r}) is ${f.severity}, assert_close says ${wrong ? 'not close' : 'close'}`,
                );
            }
            if (f.kind === 'sum') {
              let allClose = true;
              for (let i = 0; i < e.reference.length; i++)
                if (!isClose(j.output![i], e.reference[i], rtol, atol)) allClose = false;
              if ((f.severity === 'wrong') === allClose)
                throw new Error(
                  `${where}: the sum finding is ${f.severity} while the row is ${allClose ? '' : 'not '}close`,
                );
            }
          }
          const failsStrict = j.findings.some((f) => failsAt('inaccurate', f.severity));
          const failsWrong = j.findings.some((f) => failsAt('wrong', f.severity));
          if (failsWrong && !failsStrict)
            throw new Error(`${where}: fails at --fail-on wrong but passes at --fail-on inaccurate`);
        },
      });
    },
  );
});
