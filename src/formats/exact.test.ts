import type { GMPFunctions } from 'gmp-wasm';
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { beforeAll, expect, test } from 'vitest';
import { RNDD, RNDU, getMpfr, mpfrRoundString } from '../../test/mpfr/rounding.js';
import { decompose, exactDecimal } from './exact.js';
import { F64 } from './specs.js';

/** Enough digits for any binary64 value times 2^1074 (an integer below 2^2098, 632 digits). */
const D = Decimal.clone({ precision: 2000, minE: -9e15, maxE: 9e15 });

let mpfr: GMPFunctions;
beforeAll(async () => {
  mpfr = await getMpfr();
});

test('known exact expansions', () => {
  // 0.1 as binary64 is 3602879701896397 / 2^55 (a classic; e.g. the Python docs, "Floating Point Arithmetic")
  expect(exactDecimal(0.1).toFixed()).toBe('0.1000000000000000055511151231257827021181583404541015625');
  expect(exactDecimal(2 ** 70).toFixed()).toBe('1180591620717411303424');
  expect(exactDecimal(-0.5).toFixed()).toBe('-0.5');
  expect(Object.is(exactDecimal(-0).toNumber(), -0)).toBe(true);
  // 2^-1074 has 751 significant digits (5^1074 has 751 digits)
  expect(exactDecimal(5e-324).precision(true)).toBe(751);
  expect(() => exactDecimal(NaN)).toThrow(RangeError);
  expect(() => exactDecimal(Infinity)).toThrow(RangeError);
});

test('MPFR reads exactDecimal(x) back as exactly x (rounding up and down both give x)', () => {
  fc.assert(
    // −0 prints as "0" (decimal.js's toString drops the sign of zero; the sign is checked above)
    fc.property(
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => x + 0),
      (x) => {
        const s = exactDecimal(x).toString();
        // a decimal equals a binary64 value iff its directed roundings to binary64 coincide with it
        expect(mpfrRoundString(mpfr, F64, s, RNDU)).toBe(x);
        expect(mpfrRoundString(mpfr, F64, s, RNDD)).toBe(x);
        return true;
      },
    ),
    { seed: 0xe4ac7, numRuns: 2000 },
  );
});

test('decompose gives sign·M·2^E with an integer M below 2^53', () => {
  fc.assert(
    fc.property(
      fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => x !== 0),
      (x) => {
        const { sign, mantissa, exponent } = decompose(x);
        expect(mantissa > 0n && mantissa < 1n << 53n).toBe(true);
        expect(exponent >= -1074 && exponent <= 971).toBe(true);
        // M·2^E = |x|, checked in exact rational arithmetic: M·2^(E+1074) = |x|·2^1074
        const m2 = mantissa << BigInt(exponent + 1074);
        const direct = new D(exactDecimal(Math.abs(x))).times(new D(2).pow(1074));
        expect(direct.toFixed()).toBe(m2.toString());
        expect(sign).toBe(x < 0 ? -1 : 1);
        return true;
      },
    ),
    { seed: 0xdec0, numRuns: 500 },
  );
});
