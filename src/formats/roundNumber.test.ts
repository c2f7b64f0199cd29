import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { exactDecimal } from './exact.js';
import { roundDecimal } from './roundDecimal.js';
import { isRepresentable, roundNumber } from './roundNumber.js';
import { BF16, F16, F32, F64 } from './specs.js';
import type { FormatSpec } from './types.js';

/** 2^k as a number from a bigint (exact for −1074 ≤ k ≤ 1023; independent of the code under test). */
function twoTo(k: number): number {
  if (k >= 0) return Number(1n << BigInt(k));
  if (k >= -1022) return 1 / Number(1n << BigInt(-k));
  return (1 / Number(1n << 1000n)) * (1 / Number(1n << BigInt(-k - 1000)));
}

/** The binary64 neighbours of a finite double, from its bit pattern (IEEE encodings are ordered). */
const u64 = new BigUint64Array(1);
const f64 = new Float64Array(u64.buffer);
function stepDouble(x: number, dir: 1 | -1): number {
  if (x === 0) return dir * 5e-324;
  f64[0] = x;
  u64[0] += x > 0 === dir > 0 ? 1n : -1n;
  return f64[0];
}

/** Same value, same sign of zero. */
function same(a: number, b: number): boolean {
  return Object.is(a, b);
}

/** Doubles roundNumber and the exact path must agree on, per format. */
function agreementArbitraries(fmt: FormatSpec): [string, fc.Arbitrary<number>][] {
  // the overflow boundary maxFinite + ulp(maxFinite)/2 = (2^(p+1) − 1)·2^(emax − p); for f64
  // it is not a double, so the neighbourhood of maxFinite stands in
  const edge =
    fmt.precision === 53
      ? fmt.maxFinite
      : Number((1n << BigInt(fmt.precision + 1)) - 1n) * twoTo(fmt.emax - fmt.precision);
  const window = twoTo(fmt.emax - fmt.precision); // half an ulp of maxFinite on each side
  const edgeArb = fc
    .tuple(
      fc.boolean(),
      fc.double({
        min: edge - window,
        max: fmt.precision === 53 ? fmt.maxFinite : edge + window,
        noNaN: true,
      }),
    )
    .map(([neg, x]) => (neg ? -x : x));
  return [
    ['any double', fc.double({ noNaN: true })],
    ['within ±2·maxFinite', fc.double({ min: -2 * fmt.maxFinite, max: 2 * fmt.maxFinite, noNaN: true })],
    ['subnormal range', fc.double({ min: -2 * fmt.minNormal, max: 2 * fmt.minNormal, noNaN: true })],
    [
      'below half the smallest subnormal',
      fc.double({ min: -fmt.minSubnormal, max: fmt.minSubnormal, noNaN: true }),
    ],
    ['near overflow', edgeArb],
    ['near 1', fc.double({ min: 0.5, max: 4, noNaN: true })],
  ];
}

describe.each([F64, F32, F16, BF16])(
  '$name: roundNumber(x) = roundDecimal(exactDecimal(x))',
  (fmt: FormatSpec) => {
    test.each(agreementArbitraries(fmt))('%s', (_label, arb) => {
      fc.assert(
        fc.property(arb, (x) => {
          const direct = roundNumber(fmt, x);
          const exact = Number.isFinite(x) ? roundDecimal(fmt, exactDecimal(x)) : x;
          if (!same(direct, exact))
            throw new Error(`${fmt.name}: roundNumber(${x}) = ${direct}, exact rounding gives ${exact}`);
          // the result is a value of the format, and rounding is idempotent
          expect(isRepresentable(fmt, direct)).toBe(true);
          expect(same(roundNumber(fmt, direct), direct)).toBe(true);
          return true;
        }),
        { seed: 0x7a11 + fmt.bits + fmt.precision, numRuns: 1500 },
      );
    });

    test('special values pass through; signs of zero are kept', () => {
      expect(roundNumber(fmt, NaN)).toBeNaN();
      expect(roundNumber(fmt, Infinity)).toBe(Infinity);
      expect(roundNumber(fmt, -Infinity)).toBe(-Infinity);
      expect(same(roundNumber(fmt, -0), -0)).toBe(true);
      expect(same(roundNumber(fmt, -Number.MIN_VALUE), fmt.precision === 53 ? -Number.MIN_VALUE : -0)).toBe(
        true,
      );
    });
  },
);

/**
 * Constructed ties: a format value v = m·2^q (integer significand m, quantum exponent q) and its
 * upper neighbour (m+1)·2^q; their midpoint (2m+1)·2^(q−1) has p + 1 bits, so it is a double for
 * every format narrower than binary64. Ties to even: m even → v, m odd → (m+1)·2^q (∞ past maxFinite).
 */
function midpointArb(fmt: FormatSpec): fc.Arbitrary<{ m: number; q: number; neg: boolean }> {
  const p = fmt.precision;
  const qMin = fmt.emin - p + 1;
  const qMax = fmt.emax - p + 1;
  const normal = fc.record({
    m: fc.integer({ min: 2 ** (p - 1), max: 2 ** p - 1 }),
    q: fc.integer({ min: qMin, max: qMax }),
    neg: fc.boolean(),
  });
  // subnormal significands exist only at the smallest quantum
  const subnormal = fc.record({
    m: fc.integer({ min: 0, max: 2 ** (p - 1) - 1 }),
    q: fc.constant(qMin),
    neg: fc.boolean(),
  });
  // the top of the range and the subnormal/normal boundary, where the neighbour changes binade
  // or overflows (subnormal significands again only at the smallest quantum)
  const edges = fc.oneof(
    fc.record({ m: fc.constantFrom(0, 1, 2 ** (p - 1) - 1), q: fc.constant(qMin), neg: fc.boolean() }),
    fc.record({
      m: fc.constantFrom(2 ** (p - 1), 2 ** p - 2, 2 ** p - 1),
      q: fc.constantFrom(qMin, qMax),
      neg: fc.boolean(),
    }),
  );
  return fc.oneof(normal, subnormal, edges);
}

function valueOf(fmt: FormatSpec, m: number, q: number): number {
  const v = m * twoTo(q);
  return v > fmt.maxFinite ? Infinity : v;
}

describe.each([F32, F16, BF16])('$name: exact midpoints', (fmt: FormatSpec) => {
  test('ties go to the even neighbour, and one double either side goes to the nearer one', () => {
    fc.assert(
      fc.property(midpointArb(fmt), ({ m, q, neg }) => {
        const s = neg ? -1 : 1;
        const lower = s * valueOf(fmt, m, q);
        const upper = s * valueOf(fmt, m + 1, q);
        const mid = s * (2 * m + 1) * twoTo(q - 1);
        const even = m % 2 === 0 ? lower : upper;
        for (const [x, want] of [
          [mid, even],
          [stepDouble(mid, -s as 1 | -1), lower],
          [stepDouble(mid, s as 1 | -1), upper],
        ] as const) {
          const got = roundNumber(fmt, x);
          if (!same(got, want))
            throw new Error(`${fmt.name}: roundNumber(${x}) = ${got}, expected ${want} (m=${m}, q=${q})`);
          const viaDecimal = roundDecimal(fmt, exactDecimal(x));
          if (!same(viaDecimal, want))
            throw new Error(`${fmt.name}: roundDecimal(${x}) = ${viaDecimal}, expected ${want}`);
        }
        return true;
      }),
      { seed: 0x71e5 + fmt.precision, numRuns: 4000 },
    );
  });
});

test('explicit ties, worked by hand', () => {
  // f16 near 1: ulp 2^-10. 1 + 2^-11 is the midpoint of 1 (m = 1024, even) and 1 + 2^-10.
  expect(roundNumber(F16, 1 + 2 ** -11)).toBe(1);
  // 1 + 3·2^-11 sits between 1 + 2^-10 (m = 1025, odd) and 1 + 2^-9 (m = 1026): up
  expect(roundNumber(F16, 1 + 3 * 2 ** -11)).toBe(1 + 2 ** -9);
  // f16 overflow boundary: 65504 + 16 = 65520 is the midpoint of 65504 and 2^16, whose
  // significand is even: +Inf. Anything below goes to 65504.
  expect(roundNumber(F16, 65520)).toBe(Infinity);
  expect(roundNumber(F16, 65519.99)).toBe(65504);
  expect(roundNumber(F16, -65520)).toBe(-Infinity);
  // f16 half the smallest subnormal 2^-25 ties to 0; just above goes to 2^-24
  expect(same(roundNumber(F16, -(2 ** -25)), -0)).toBe(true);
  expect(roundNumber(F16, 2 ** -25 + 2 ** -40)).toBe(2 ** -24);
  // bf16 overflow boundary (2^9 − 1)·2^119 = (2 − 2^-8)·2^127
  expect(roundNumber(BF16, 511 * 2 ** 119)).toBe(Infinity);
  expect(roundNumber(BF16, 510.5 * 2 ** 119)).toBe(BF16.maxFinite);
  // f32 overflow boundary (2^25 − 1)·2^103
  expect(roundNumber(F32, (2 ** 25 - 1) * 2 ** 103)).toBe(Infinity);
  expect(roundNumber(F32, (2 ** 25 - 1.5) * 2 ** 103)).toBe(F32.maxFinite);
});

describe('double rounding traps', () => {
  test('bf16 and f16: a double that rounds differently directly and via f32', () => {
    // 1 + 2^-8 + 2^-30 lies above the bf16 midpoint 1 + 2^-8 (ulp 2^-7 at 1): directly it rounds
    // up to 1 + 2^-7. Via f32 (ulp 2^-23) the 2^-30 is lost, leaving the exact midpoint, which
    // ties to the even 1.
    const xb = 1 + 2 ** -8 + 2 ** -30;
    expect(Math.fround(xb)).toBe(1 + 2 ** -8);
    expect(roundNumber(BF16, xb)).toBe(1 + 2 ** -7);
    expect(roundNumber(BF16, Math.fround(xb))).toBe(1);
    // f16: ulp 2^-10 at 1, midpoint 1 + 2^-11
    const xh = 1 + 2 ** -11 + 2 ** -30;
    expect(roundNumber(F16, xh)).toBe(1 + 2 ** -10);
    expect(roundNumber(F16, Math.fround(xh))).toBe(1);
  });

  test.each([F16, BF16])(
    '$name: near every midpoint, the direct rounding differs from the one via f32',
    (fmt: FormatSpec) => {
      fc.assert(
        fc.property(midpointArb(fmt), ({ m, q, neg }) => {
          const s = neg ? -1 : 1;
          const mid = s * (2 * m + 1) * twoTo(q - 1);
          // move away from the even neighbour by far less than half an f32 ulp (2^-24 relative,
          // or 2^-150 in f32's subnormal range), so f32 lands back on the midpoint
          const towardsOdd = m % 2 === 0 ? s : -s;
          const x = mid + towardsOdd * Math.abs(mid) * 2 ** -40;
          expect(x).not.toBe(mid);
          expect(Math.fround(x)).toBe(mid);
          const odd = m % 2 === 0 ? s * valueOf(fmt, m + 1, q) : s * valueOf(fmt, m, q);
          const even = m % 2 === 0 ? s * valueOf(fmt, m, q) : s * valueOf(fmt, m + 1, q);
          expect(same(roundNumber(fmt, x), odd)).toBe(true);
          expect(same(roundDecimal(fmt, exactDecimal(x)), odd)).toBe(true);
          expect(same(roundNumber(fmt, Math.fround(x)), even)).toBe(true);
          return true;
        }),
        { seed: 0xdb1 + fmt.precision, numRuns: 2000 },
      );
    },
  );

  test('f32: a decimal just above an f32 midpoint rounds up directly but ties down via binary64', () => {
    // Precision enough to hold an f32 midpoint (at most ~110 significant digits) times 1 + 2^-60.
    const D = Decimal.clone({ precision: 400 });
    fc.assert(
      fc.property(midpointArb(F32), ({ m, q, neg }) => {
        const s = neg ? -1 : 1;
        // even m, so the tie goes to m·2^q and the direction of the perturbation decides
        const me = m % 2 === 0 ? m : m - 1;
        const mid = s * (2 * me + 1) * twoTo(q - 1);
        // mid·(1 + 2^-60): 2^-60 relative is below half a binary64 ulp (2^-53), so binary64
        // rounds it back onto the midpoint
        const above = new D(exactDecimal(mid)).times(new D(1).plus(new D(2).pow(-60)));
        const viaF64 = roundDecimal(F64, above);
        expect(viaF64).toBe(mid);
        const up = s * valueOf(F32, me + 1, q);
        const down = s * valueOf(F32, me, q);
        expect(same(roundDecimal(F32, above), up)).toBe(true);
        expect(same(roundNumber(F32, viaF64), down)).toBe(true);
        return true;
      }),
      { seed: 0xf32d, numRuns: 1000 },
    );
  });
});
