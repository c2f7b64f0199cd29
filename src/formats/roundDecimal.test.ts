import { Decimal } from 'decimal.js';
import type { GMPFunctions } from 'gmp-wasm';
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { RNDD, RNDN, RNDU, getMpfr, mpfrRoundString, type MpfrRounding } from '../../test/mpfr/rounding.js';
import { exactDecimal, ExactDecimal } from './exact.js';
import { roundDecimal, type TieBreak } from './roundDecimal.js';
import { BF16, F16, F32, F64 } from './specs.js';
import type { FormatSpec } from './types.js';
import { fromOrdinal, nextUp, ordinal } from './ulp.js';

let mpfr: GMPFunctions;
beforeAll(async () => {
  mpfr = await getMpfr();
});

/**
 * Exact arithmetic on format values and their midpoints: a binary64 value has at most 767
 * significant digits, and the midpoint of two neighbours one more, so 2000 digits never round.
 */
const D = Decimal.clone({ precision: 2000, rounding: Decimal.ROUND_HALF_EVEN, minE: -9e15, maxE: 9e15 });

/** Random decimal strings `±d.ddd…e±X` with 30–60 significant digits over (and past) the format's range. */
function decimalStringArb(fmt: FormatSpec): fc.Arbitrary<string> {
  // three decades beyond the smallest subnormal and two beyond maxFinite, so underflow to zero
  // and overflow to infinity are both sampled
  const lo = Math.floor(Math.log10(fmt.minSubnormal)) - 3;
  const hi = Math.ceil(Math.log10(fmt.maxFinite)) + 2;
  return fc
    .tuple(
      fc.boolean(),
      fc.integer({ min: 1, max: 9 }),
      fc
        .integer({ min: 29, max: 59 })
        .chain((n) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n })),
      fc.integer({ min: lo, max: hi }),
    )
    .map(([neg, lead, rest, e]) => `${neg ? '-' : ''}${lead}.${rest.join('')}e${e}`);
}

/** A random positive finite value of the format (uniform over its ordered list of values). */
function formatValueArb(fmt: FormatSpec): fc.Arbitrary<number> {
  if (fmt.name === 'f64') return fc.double({ min: 0, max: fmt.maxFinite, noNaN: true }).map((x) => x + 0);
  const top = ordinal(fmt, fmt.maxFinite);
  return fc.bigInt({ min: 0n, max: top }).map((k) => fromOrdinal(fmt, k));
}

/**
 * The exact midpoint between a positive format value v and the next value above it. Above
 * maxFinite the "next value" is 2^(emax+1), the value the format would have with a wider
 * exponent: IEEE 754's overflow rule rounds as if the exponent range were unbounded.
 */
function midpointAbove(fmt: FormatSpec, v: number): Decimal {
  const upper = v === fmt.maxFinite ? new D(2).pow(fmt.emax + 1) : new D(exactDecimal(nextUp(fmt, v)));
  return new D(exactDecimal(v)).plus(upper).div(2);
}

/** Plain decimal text MPFR's parser accepts (decimal.js switches to exponent notation itself). */
function text(d: Decimal): string {
  return d.toString();
}

function check(fmt: FormatSpec, s: string, tie: TieBreak, rnd: MpfrRounding): void {
  const got = roundDecimal(fmt, new ExactDecimal(s), tie);
  const want = mpfrRoundString(mpfr, fmt, s, rnd);
  if (!Object.is(got, want))
    throw new Error(`${fmt.name}: roundDecimal(${s}, ${tie}) = ${got}, MPFR says ${want}`);
}

describe.each([F64, F32, F16, BF16])('$name: roundDecimal agrees with MPFR', (fmt: FormatSpec) => {
  test('random decimal strings of 30–60 digits over the whole range', () => {
    fc.assert(
      fc.property(decimalStringArb(fmt), (s) => {
        check(fmt, s, 'even', RNDN);
        return true;
      }),
      { seed: 0xdec + fmt.precision, numRuns: 1500 },
    );
  });

  test('30–60-digit truncations of midpoints, just below and just above them', () => {
    fc.assert(
      fc.property(formatValueArb(fmt), fc.integer({ min: 30, max: 60 }), fc.boolean(), (v, digits, neg) => {
        const mid = midpointAbove(fmt, v);
        const signed = neg ? mid.neg() : mid;
        check(fmt, text(signed.toSignificantDigits(digits, Decimal.ROUND_DOWN)), 'even', RNDN);
        check(fmt, text(signed.toSignificantDigits(digits, Decimal.ROUND_UP)), 'even', RNDN);
        return true;
      }),
      { seed: 0x3d + fmt.precision, numRuns: 1000 },
    );
  });

  test('midpoints nudged by a relative 2^-k (k = 20..200) either way, where rounding via binary64 would fail', () => {
    // For k > 53 a nudge is invisible to binary64, so a decimal → binary64 → format path would
    // see the exact tie; only a single direct rounding sees the side.
    fc.assert(
      fc.property(
        formatValueArb(fmt),
        fc.integer({ min: 20, max: 200 }),
        fc.boolean(),
        fc.boolean(),
        (v, k, neg, up) => {
          const mid = midpointAbove(fmt, v);
          const nudged = mid.times(new D(1).plus(new D(2).pow(-k).times(up ? 1 : -1)));
          check(fmt, text(neg ? nudged.neg() : nudged), 'even', RNDN);
          return true;
        },
      ),
      { seed: 0x2d9e + fmt.precision, numRuns: 1000 },
    );
  });

  test('exact midpoints under each tie rule: even ↔ RNDN, up ↔ RNDU, down ↔ RNDD', () => {
    const edges = [0, fmt.minSubnormal, fmt.minNormal - fmt.minSubnormal, fmt.minNormal, 1, fmt.maxFinite];
    const run = (v: number, neg: boolean) => {
      const mid = midpointAbove(fmt, v);
      const s = text(neg ? mid.neg() : mid);
      check(fmt, s, 'even', RNDN);
      check(fmt, s, 'up', RNDU);
      check(fmt, s, 'down', RNDD);
    };
    for (const v of edges) {
      run(v, false);
      run(v, true);
    }
    fc.assert(
      fc.property(formatValueArb(fmt), fc.boolean(), (v, neg) => {
        run(v, neg);
        return true;
      }),
      { seed: 0x71e + fmt.precision, numRuns: 800 },
    );
  });

  test('the ties at the ends of the range, by the IEEE rules', () => {
    const top = midpointAbove(fmt, fmt.maxFinite);
    expect(roundDecimal(fmt, top)).toBe(Infinity); // 2^(emax+1) has the even significand
    expect(roundDecimal(fmt, top, 'down')).toBe(fmt.maxFinite);
    expect(roundDecimal(fmt, top, 'up')).toBe(Infinity);
    expect(roundDecimal(fmt, top.neg(), 'up')).toBe(-fmt.maxFinite);
    expect(roundDecimal(fmt, top.neg(), 'down')).toBe(-Infinity);
    const bottom = midpointAbove(fmt, 0); // minSubnormal / 2
    expect(Object.is(roundDecimal(fmt, bottom), 0)).toBe(true);
    expect(Object.is(roundDecimal(fmt, bottom.neg()), -0)).toBe(true);
    expect(roundDecimal(fmt, bottom, 'up')).toBe(fmt.minSubnormal);
    expect(Object.is(roundDecimal(fmt, bottom.neg(), 'up'), -0)).toBe(true);
    expect(roundDecimal(fmt, bottom.neg(), 'down')).toBe(-fmt.minSubnormal);
  });
});

test('special values and exponents far outside every format', () => {
  for (const fmt of [F64, F32, F16, BF16]) {
    expect(roundDecimal(fmt, new ExactDecimal(NaN))).toBeNaN();
    expect(roundDecimal(fmt, new ExactDecimal(-Infinity))).toBe(-Infinity);
    expect(Object.is(roundDecimal(fmt, new ExactDecimal('-0')), -0)).toBe(true);
    expect(Object.is(roundDecimal(fmt, new ExactDecimal('0')), 0)).toBe(true);
    // far below half the smallest subnormal / far above maxFinite: decided without huge bigints
    expect(Object.is(roundDecimal(fmt, new ExactDecimal('-1e-9000000000000')), -0)).toBe(true);
    expect(roundDecimal(fmt, new ExactDecimal('1e9000000000000'))).toBe(Infinity);
  }
});

test('every binary64 value rounds to itself in f64', () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) =>
      Object.is(roundDecimal(F64, exactDecimal(x)), x),
    ),
    { seed: 0x64, numRuns: 2000 },
  );
});
