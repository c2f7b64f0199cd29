import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { roundNumber } from '../../formats/roundNumber.js';
import { F16 } from '../../formats/specs.js';
import { formatArithmetic } from './formatArithmetic.js';

const SEED = 424242;

describe('formatArithmetic', () => {
  test('f64 is plain JS arithmetic and V8 libm', () => {
    const A = formatArithmetic('f64');
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.double({ noNaN: true }), (a, b) => {
        expect(A.add(a, b)).toBe(a + b);
        expect(A.div(a, b)).toBe(a / b);
        expect(A.exp(a)).toBe(Math.exp(a));
        expect(A.log1p(b)).toBe(Math.log1p(b));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  test('f32 operations are the IEEE single-precision ones (Math.fround of the binary64 result is exact rounding for p = 24 ≤ (53 − 2)/2)', () => {
    const A = formatArithmetic('f32');
    fc.assert(
      fc.property(fc.float({ noNaN: true }), fc.float({ noNaN: true }), (a, b) => {
        expect(A.sub(a, b)).toBe(Math.fround(a - b));
        expect(A.mul(a, b)).toBe(Math.fround(a * b));
        expect(A.div(a, b)).toBe(Math.fround(a / b));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  test('f16: ties to even, stagnation at 2^11, gradual underflow, overflow at 65520', () => {
    const A = formatArithmetic('f16');
    // 2049 lies halfway between 2048 and 2050 (spacing 2 above 2^11); 2048's significand is even
    expect(A.add(2048, 1)).toBe(2048);
    expect(A.add(2050, 1)).toBe(2052);
    // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: back to 1; 1 + 3·2^-11 goes up to 1 + 2^-9
    expect(A.add(1, 2 ** -11)).toBe(1);
    expect(A.add(1, 3 * 2 ** -11)).toBe(1 + 2 ** -9);
    // below 2^-14 the quantum is 2^-24: 2^-24/2 is a tie to 0, 3·2^-25 a tie to the even 2^-23
    expect(A.div(2 ** -24, 2)).toBe(0);
    expect(A.mul(3 * 2 ** -24, 0.5)).toBe(2 ** -23);
    expect(A.div(2 ** -14, 4)).toBe(2 ** -16);
    // 65504 + 16 = 65520 is halfway to 2^16, which overflows
    expect(A.add(65504, 8)).toBe(65504);
    expect(A.add(65504, 16)).toBe(Infinity);
    expect(A.mul(256, 256)).toBe(Infinity);
    // e = 2.71828…: the f16 neighbours 2.716796875 and 2.71875 (spacing 2^-9); e is nearer the second
    expect(A.exp(1)).toBe(2.71875);
    expect(A.log(1)).toBe(0);
    expect(A.exp(-Infinity)).toBe(0);
    expect(A.log(0)).toBe(-Infinity);
    expect(A.sub(Infinity, Infinity)).toBeNaN();
  });

  test('bf16: 8 significant bits (256 + 1 ties back to 256), f32 exponent range', () => {
    const A = formatArithmetic('bf16');
    expect(A.add(256, 1)).toBe(256);
    expect(A.add(255, 1)).toBe(256);
    expect(A.add(1, 2 ** -8)).toBe(1);
    expect(A.add(1, 3 * 2 ** -8)).toBe(1 + 2 ** -6);
    expect(A.mul(2 ** 100, 2 ** 27)).toBe(2 ** 127);
    expect(A.mul(2 ** 100, 2 ** 28)).toBe(Infinity);
    // smallest subnormal 2^-133
    expect(A.div(2 ** -126, 2 ** 7)).toBe(2 ** -133);
    expect(A.div(2 ** -133, 2)).toBe(0);
  });

  test('every result of a narrow format is a value of it', () => {
    const A = formatArithmetic('f16');
    fc.assert(
      fc.property(fc.double({ min: -20, max: 20, noNaN: true }), (a) => {
        const v = A.exp(A.sub(A.input(roundNumber(F16, a)), A.one));
        expect(A.store(v, F16)).toBe(v);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});
