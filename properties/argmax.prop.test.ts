/**
 * Argmax is preserved (ties aside): for every softmax and log_softmax expected to pass, the
 * largest output sits at a largest logit — or at an element whose correctly rounded result equals
 * the largest correctly rounded result, where the format itself cannot order the two. Both ops are
 * increasing in each logit, so the exact results have their max exactly at the max logit. Inputs
 * lean on near ties and equal logits, where an argmax slips.
 */
import { afterAll, describe, test } from 'vitest';
import { logits } from '../src/generators/logits.js';
import { assertProperty } from './_support/assertProperty.js';
import { call, reference, showInput } from './_support/evaluate.js';
import { disposeAll, subjects, title } from './_support/implementations.js';
import { SHORT_FINITE_REGIONS } from './_support/regions.js';
import { runs } from './_support/runs.js';

const FILE = 'properties/argmax.prop.test.ts';
const list = await subjects(
  (impl) => impl.expected.inaccurate === 'pass' && (impl.op === 'softmax' || impl.op === 'log_softmax'),
);
afterAll(() => disposeAll(list));

/** First index of the maximum of v (v without NaN). */
function argmax(v: ArrayLike<number>): number {
  let k = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[k]) k = i;
  return k;
}

describe.each(list.map((s) => [title(s), s] as const))('%s', (name, s) => {
  test.skipIf(s.unavailable !== null)('preserves argmax (ties aside)', async () => {
    await assertProperty({
      file: FILE,
      testName: `${name} preserves argmax`,
      seedParts: ['argmax', s.impl.name],
      arbitrary: logits({
        format: s.impl.format,
        op: s.impl.op,
        minLength: 2,
        regions: SHORT_FINITE_REGIONS,
        weights: { 'near-ties': 4, equal: 2, dominant: 2 },
      }),
      numRuns: runs(40),
      async check({ x }) {
        const a = await call(s.impl, x);
        const r = reference(s.impl.op, s.impl.format, x);
        if (a.some((v) => v !== v))
          throw new Error(`${s.impl.name} on ${showInput(x, undefined)} returned NaN: ${Array.from(a)}`);
        const xmax = x[argmax(x)];
        const amax = a[argmax(a)];
        const rmax = r[argmax(r)];
        for (let i = 0; i < a.length; i++) if (a[i] === amax && (x[i] === xmax || r[i] === rmax)) return;
        const o = argmax(a);
        throw new Error(
          `argmax moved: ${s.impl.name} on ${showInput(x, undefined)}: largest output ${a[o]} at ${o} (logit ${x[o]}, correctly rounded ${r[o]}), ` +
            `but the max logit ${xmax} is at ${argmax(x)} (output ${a[argmax(x)]}, correctly rounded ${r[argmax(x)]})`,
        );
      },
    });
  });
});
