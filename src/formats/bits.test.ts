import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { fromBits, toBits } from './bits.js';
import { BF16, F16, F32, F64 } from './specs.js';
import type { FormatSpec } from './types.js';

/** The IEEE fields of a bit pattern, decoded with plain integer arithmetic. */
function fields(fmt: FormatSpec, bits: bigint): { sign: 0 | 1; exp: bigint; frac: bigint } {
  const fb = BigInt(fmt.fractionBits);
  return {
    sign: (bits >> BigInt(fmt.bits - 1)) & 1n ? 1 : 0,
    exp: (bits >> fb) & ((1n << BigInt(fmt.exponentBits)) - 1n),
    frac: bits & ((1n << fb) - 1n),
  };
}

/**
 * |value| / minSubnormal of a finite pattern, from the fields alone: a subnormal is frac·2^(emin−p+1)
 * and a normal (2^(p−1) + frac)·2^(exp − bias − p + 1) = (2^(p−1) + frac)·2^(exp − 1)·minSubnormal.
 */
function magnitudeInMinSubnormals(fmt: FormatSpec, exp: bigint, frac: bigint): bigint {
  if (exp === 0n) return frac;
  return ((1n << BigInt(fmt.fractionBits)) + frac) << (exp - 1n);
}

/** minSubnormal^−1 = 2^(bias + p − 2) as a number (exact: a power of two from a bigint). */
function inverseMinSubnormal(fmt: FormatSpec): number {
  return Number(1n << BigInt(fmt.bias + fmt.fractionBits - 1));
}

const NAN_PATTERN = (fmt: FormatSpec): bigint =>
  (((1n << BigInt(fmt.exponentBits)) - 1n) << BigInt(fmt.fractionBits)) |
  (1n << BigInt(fmt.fractionBits - 1));

describe.each([F16, BF16])('$name: all 65536 bit patterns', (fmt: FormatSpec) => {
  const expAllOnes = (1n << BigInt(fmt.exponentBits)) - 1n;
  const scale = inverseMinSubnormal(fmt);

  test('fromBits agrees with the field layout and toBits inverts it (NaNs map to NaN)', () => {
    let nans = 0;
    let checked = 0;
    for (let i = 0; i < 65536; i++) {
      const b = BigInt(i);
      const v = fromBits(fmt, b);
      const { sign, exp, frac } = fields(fmt, b);
      if (exp === expAllOnes) {
        if (frac !== 0n) {
          nans++;
          if (!Number.isNaN(v)) throw new Error(`${fmt.name} 0x${i.toString(16)}: NaN pattern gave ${v}`);
          continue;
        }
        if (v !== (sign ? -Infinity : Infinity))
          throw new Error(`${fmt.name} 0x${i.toString(16)}: expected ±Inf, got ${v}`);
      } else {
        // value · 2^(bias+p−2) is an integer (the magnitude in minSubnormals); the product is exact
        const mag = BigInt(Math.abs(v) * scale);
        const want = magnitudeInMinSubnormals(fmt, exp, frac);
        if (mag !== want)
          throw new Error(
            `${fmt.name} 0x${i.toString(16)}: ${v} is ${mag} minSubnormals, fields say ${want}`,
          );
        const negative = v < 0 || Object.is(v, -0);
        if (negative !== (sign === 1))
          throw new Error(`${fmt.name} 0x${i.toString(16)}: wrong sign for ${v}`);
      }
      if (toBits(fmt, v) !== b)
        throw new Error(`${fmt.name} 0x${i.toString(16)}: toBits(${v}) = 0x${toBits(fmt, v).toString(16)}`);
      checked++;
    }
    // 2 signs × (2^fractionBits − 1) NaN payloads
    expect(nans).toBe(2 * ((1 << fmt.fractionBits) - 1));
    expect(checked + nans).toBe(65536);
  });

  test('toBits(NaN) is the canonical quiet NaN, which decodes to NaN', () => {
    expect(toBits(fmt, NaN)).toBe(NAN_PATTERN(fmt));
    expect(fromBits(fmt, NAN_PATTERN(fmt))).toBeNaN();
  });
});

test('known bit patterns of f16 and bf16', () => {
  // binary16 (IEEE 754 / Wikipedia "Half-precision floating-point format" examples)
  expect(fromBits(F16, 0x3c00n)).toBe(1);
  expect(fromBits(F16, 0xc000n)).toBe(-2);
  expect(fromBits(F16, 0x7bffn)).toBe(65504);
  expect(fromBits(F16, 0x0400n)).toBe(6.103515625e-5);
  expect(fromBits(F16, 0x0001n)).toBe(5.960464477539063e-8);
  expect(fromBits(F16, 0x3555n)).toBe(0.333251953125);
  expect(fromBits(F16, 0x7c00n)).toBe(Infinity);
  expect(Object.is(fromBits(F16, 0x8000n), -0)).toBe(true);
  expect(toBits(F16, 0.333251953125)).toBe(0x3555n);
  // bfloat16 is the top half of binary32: 1 = 0x3F80, π ≈ 3.140625 = 0x4049
  expect(fromBits(BF16, 0x3f80n)).toBe(1);
  expect(fromBits(BF16, 0x4049n)).toBe(3.140625);
  expect(fromBits(BF16, 0x7f7fn)).toBe(3.3895313892515355e38);
  expect(toBits(BF16, -0)).toBe(0x8000n);
});

test('f32 known constants', () => {
  expect(toBits(F32, 1)).toBe(0x3f800000n);
  expect(toBits(F32, -2)).toBe(0xc0000000n);
  expect(toBits(F32, 3.4028234663852886e38)).toBe(0x7f7fffffn);
  expect(toBits(F32, 1.401298464324817e-45)).toBe(1n);
  expect(toBits(F32, 1.1754943508222875e-38)).toBe(0x00800000n);
  expect(toBits(F32, Infinity)).toBe(0x7f800000n);
  expect(toBits(F32, -0)).toBe(0x80000000n);
  expect(toBits(F32, NaN)).toBe(0x7fc00000n);
  expect(fromBits(F32, 0x3eaaaaabn)).toBe(0.3333333432674408); // fround(1/3)
});

test('f64 known constants', () => {
  expect(toBits(F64, 1)).toBe(0x3ff0000000000000n);
  expect(toBits(F64, 0.1)).toBe(0x3fb999999999999an);
  expect(toBits(F64, 1.7976931348623157e308)).toBe(0x7fefffffffffffffn);
  expect(toBits(F64, 5e-324)).toBe(1n);
  expect(toBits(F64, 2.2250738585072014e-308)).toBe(0x0010000000000000n);
  expect(toBits(F64, -Infinity)).toBe(0xfff0000000000000n);
  expect(toBits(F64, -0)).toBe(0x8000000000000000n);
  expect(toBits(F64, NaN)).toBe(0x7ff8000000000000n);
  expect(fromBits(F64, 0x400921fb54442d18n)).toBe(Math.PI);
});

describe('random bit patterns of f32 and f64 round-trip', () => {
  test('f32: values agree with the fields, toBits inverts fromBits', () => {
    const scale = inverseMinSubnormal(F32);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (i) => {
        const b = BigInt(i);
        const v = fromBits(F32, b);
        const { sign, exp, frac } = fields(F32, b);
        if (exp === 255n) {
          if (frac !== 0n) return Number.isNaN(v);
          return v === (sign ? -Infinity : Infinity) && toBits(F32, v) === b;
        }
        expect(BigInt(Math.abs(v) * scale)).toBe(magnitudeInMinSubnormals(F32, exp, frac));
        expect(toBits(F32, v)).toBe(b);
        return true;
      }),
      { seed: 0x5eed32, numRuns: 20000 },
    );
  });

  test('f32: patterns with the NaN exponent and nonzero payloads all decode to NaN', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.integer({ min: 1, max: 2 ** 23 - 1 }), (s, payload) => {
        const b = (s ? 1n << 31n : 0n) | (255n << 23n) | BigInt(payload);
        return Number.isNaN(fromBits(F32, b));
      }),
      { seed: 0x0a0a, numRuns: 2000 },
    );
  });

  test('f64: agrees with a Float64Array view of the same bits, toBits inverts fromBits', () => {
    const u = new BigUint64Array(1);
    const f = new Float64Array(u.buffer);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (b) => {
        const v = fromBits(F64, b);
        u[0] = b;
        if (Number.isNaN(f[0])) return Number.isNaN(v);
        expect(Object.is(v, f[0])).toBe(true);
        expect(toBits(F64, v)).toBe(b);
        return true;
      }),
      { seed: 0x5eed64, numRuns: 20000 },
    );
  });

  test('f64: any double round-trips through toBits', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (x) => Object.is(fromBits(F64, toBits(F64, x)), x)),
      { seed: 64, numRuns: 10000 },
    );
  });
});

test('toBits rejects values not representable in the format; fromBits rejects over-wide patterns', () => {
  expect(() => toBits(F16, 1 + 2 ** -11)).toThrow(RangeError);
  expect(() => toBits(BF16, 1 + 2 ** -8)).toThrow(RangeError);
  expect(() => toBits(F32, 0.1)).toThrow(RangeError);
  expect(() => toBits(F16, 65536)).toThrow(RangeError);
  expect(() => fromBits(F16, 0x10000n)).toThrow(RangeError);
  expect(() => fromBits(F32, -1n)).toThrow(RangeError);
});
