import { describe, expect, test } from 'vitest';
import { BF16, F16, F32, F64, FORMATS, formatSpec } from './specs.js';
import { isFormatName } from '../vocabulary/FormatName.js';
import type { FormatSpec } from './types.js';

/** 2^k as a number, built from a bigint (exact for −1074 ≤ k ≤ 1023; independent of pow2). */
function twoTo(k: number): number {
  if (k >= 0) return Number(1n << BigInt(k));
  // 1/2^j is exact for j ≤ 1022; split deeper scales in two exact steps
  if (k >= -1022) return 1 / Number(1n << BigInt(-k));
  return (1 / Number(1n << 1000n)) * (1 / Number(1n << BigInt(-k - 1000)));
}

/**
 * IEEE 754-2019 table 3.5 (binary16/32/64) and the bfloat16 definition (binary32's exponent
 * field, 8-bit significand): storage width, precision p, emax; emin = 1 − emax.
 */
const IEEE: Record<string, { bits: number; p: number; emax: number }> = {
  f64: { bits: 64, p: 53, emax: 1023 },
  f32: { bits: 32, p: 24, emax: 127 },
  f16: { bits: 16, p: 11, emax: 15 },
  bf16: { bits: 16, p: 8, emax: 127 },
};

/**
 * The same constants as decimal literals published independently (C's DBL_MAX/DBL_MIN/
 * DBL_TRUE_MIN, FLT_*, the binary16 table on Wikipedia and in IEEE 754, bfloat16's 0x7F7F) —
 * shortest round-trip texts of the binary64 values.
 */
const PUBLISHED: Record<string, { max: number; minNormal: number; minSub: number }> = {
  f64: { max: 1.7976931348623157e308, minNormal: 2.2250738585072014e-308, minSub: 5e-324 },
  f32: { max: 3.4028234663852886e38, minNormal: 1.1754943508222875e-38, minSub: 1.401298464324817e-45 },
  f16: { max: 65504, minNormal: 6.103515625e-5, minSub: 5.960464477539063e-8 },
  bf16: { max: 3.3895313892515355e38, minNormal: 1.1754943508222875e-38, minSub: 9.183549615799121e-41 },
};

describe.each([F64, F32, F16, BF16])('format $name', (fmt: FormatSpec) => {
  const ieee = IEEE[fmt.name];
  const emin = 1 - ieee.emax;

  test('layout parameters match IEEE 754', () => {
    expect(fmt.bits).toBe(ieee.bits);
    expect(fmt.precision).toBe(ieee.p);
    expect(fmt.emax).toBe(ieee.emax);
    expect(fmt.emin).toBe(emin);
    expect(fmt.fractionBits).toBe(ieee.p - 1);
    expect(1 + fmt.exponentBits + fmt.fractionBits).toBe(ieee.bits);
    // the bias maps the stored field 1 to emin: 1 − bias = emin
    expect(fmt.bias).toBe(1 - emin);
  });

  test('maxFinite, minNormal, minSubnormal are the IEEE definitions', () => {
    // maxFinite = (2^p − 1)·2^(emax − p + 1), an integer significand times a power of two
    const maxSig = Number((1n << BigInt(ieee.p)) - 1n);
    expect(fmt.maxFinite).toBe(maxSig * twoTo(ieee.emax - ieee.p + 1));
    expect(fmt.minNormal).toBe(twoTo(emin));
    expect(fmt.minSubnormal).toBe(twoTo(emin - ieee.p + 1));
    expect(fmt.unitRoundoff).toBe(twoTo(-ieee.p));
    expect(fmt.epsilon).toBe(twoTo(1 - ieee.p));
  });

  test('maxFinite, minNormal, minSubnormal equal the published decimal constants', () => {
    const pub = PUBLISHED[fmt.name];
    expect(fmt.maxFinite).toBe(pub.max);
    expect(fmt.minNormal).toBe(pub.minNormal);
    expect(fmt.minSubnormal).toBe(pub.minSub);
  });

  test('formatSpec and FORMATS find it by name', () => {
    expect(formatSpec(fmt.name)).toBe(fmt);
    expect(FORMATS[fmt.name]).toBe(fmt);
    expect(isFormatName(fmt.name)).toBe(true);
  });
});

test('formatSpec rejects unknown names with the valid ones in the message', () => {
  expect(() => formatSpec('f8')).toThrow(/f64, f32, f16, bf16/);
  expect(isFormatName('F64')).toBe(false);
});
