import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JS_FORMULATIONS } from './index.js';
import { formatArithmetic } from './formatArithmetic.js';
import { OPS } from '../../vocabulary/Op.js';

describe('fastF64 kernels do exactly what the generic kernel does with f64 arithmetic', () => {
  const A = formatArithmetic('f64');
  const cases = JS_FORMULATIONS.flatMap((f) =>
    OPS.filter((op) => f.ops[op]?.fastF64).map((op) => ({ f, op, def: f.ops[op]! })),
  );
  it('there is at least one (max-shifted softmax)', () => {
    expect(cases.map((c) => `${c.op}/${c.f.name}`)).toContain('softmax/max-shifted');
  });
  for (const { f, op, def } of cases) {
    it(`${op}/${f.name}: bit-identical outputs on random, extreme and special rows`, () => {
      const value = fc.oneof(
        fc.double(),
        fc.double({ min: -800, max: 800, noNaN: true }),
        fc.constantFrom(0, -0, Infinity, -Infinity, NaN, 709.782712893384, -745.1332191019411),
      );
      fc.assert(
        fc.property(fc.array(value, { minLength: 1, maxLength: 40 }), (xs) => {
          const x = Float64Array.from(xs);
          const slow = Float64Array.from(def.kernel(x, 0, A) as number[]);
          const fast = def.fastF64!(x, 0);
          expect(Array.from(fast, (v) => (Object.is(v, -0) ? '-0' : String(v)))).toEqual(
            Array.from(slow, (v) => (Object.is(v, -0) ? '-0' : String(v))),
          );
        }),
        { seed: 42, numRuns: 2000 },
      );
    });
  }
});
