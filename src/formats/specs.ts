import { pow2 } from './pow2.js';
import type { FormatSpec } from './types.js';
import { type FormatName, FORMAT_NAMES } from '../vocabulary/FormatName.js';
import { expectedOneOf } from '../vocabulary/expectedOneOf.js';

function spec(name: FormatName, precision: number, exponentBits: number): FormatSpec {
  const bias = 2 ** (exponentBits - 1) - 1;
  const emax = bias;
  const emin = 1 - bias;
  return Object.freeze({
    name,
    precision,
    emin,
    emax,
    bits: 1 + exponentBits + precision - 1,
    exponentBits,
    fractionBits: precision - 1,
    bias,
    // (2 − 2^(1−p))·2^emax, computed exactly: both factors and the product are binary64-exact
    maxFinite: (2 - pow2(1 - precision)) * pow2(emax),
    minNormal: pow2(emin),
    minSubnormal: pow2(emin - precision + 1),
    unitRoundoff: pow2(-precision),
    epsilon: pow2(1 - precision),
  });
}

/** IEEE 754 binary64: p = 53, emax = 1023. maxFinite 1.7976931348623157e308 (0x7FEFFFFFFFFFFFFF). */
export const F64: FormatSpec = spec('f64', 53, 11);
/** IEEE 754 binary32: p = 24, emax = 127. maxFinite 3.4028234663852886e38 (0x7F7FFFFF). */
export const F32: FormatSpec = spec('f32', 24, 8);
/** IEEE 754 binary16: p = 11, emax = 15. maxFinite 65504 (0x7BFF), min subnormal 2^-24. */
export const F16: FormatSpec = spec('f16', 11, 5);
/**
 * bfloat16: binary32's exponent with 8 significand bits (7 stored). maxFinite
 * (2 − 2^-7)·2^127 ≈ 3.3895313892515355e38 (0x7F7F), min subnormal 2^-133.
 */
export const BF16: FormatSpec = spec('bf16', 8, 8);

export const FORMATS: Readonly<Record<FormatName, FormatSpec>> = Object.freeze({
  f64: F64,
  f32: F32,
  f16: F16,
  bf16: BF16,
});

/** The spec of a format by name; throws a RangeError naming the valid names otherwise. */
export function formatSpec(name: FormatName | string): FormatSpec {
  const f = (FORMATS as Record<string, FormatSpec | undefined>)[name];
  if (!f) throw new RangeError(`unknown format '${name}': ${expectedOneOf(FORMAT_NAMES)}`);
  return f;
}
