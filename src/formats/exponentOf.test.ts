import fc from 'fast-check';
import { expect, test } from 'vitest';
import { exponentOf } from './exponentOf.js';

test('exponentOf(a) is the e with 2^e ≤ a < 2^(e+1), normal and subnormal, powers of two and neighbours', () => {
  for (let e = -1074; e <= 1023; e++) {
    const p = 2 ** e;
    expect(exponentOf(p)).toBe(e);
    if (e > -1074) expect(exponentOf(p - 2 ** Math.max(e - 53, -1074))).toBe(e - 1);
  }
  expect(exponentOf(Number.MAX_VALUE)).toBe(1023);
  expect(exponentOf(Number.MIN_VALUE)).toBe(-1074);
  fc.assert(
    fc.property(fc.double({ min: Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true }), (a) => {
      const e = exponentOf(a);
      // BigInt-free exact check: scaling by a power of two is exact in range
      expect(a >= 2 ** e && (e === 1023 || a < 2 ** (e + 1))).toBe(true);
    }),
    { numRuns: 5000 },
  );
});
