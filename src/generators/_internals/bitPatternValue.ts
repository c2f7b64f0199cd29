import fc, { type Arbitrary } from 'fast-check';
import { fromBits } from '../../formats/bits.js';
import type { FormatSpec } from '../../formats/types.js';

/**
 * A logit uniform over the format's bit patterns: all 2^bits of them when `specials` (NaN
 * payloads map to NaN), otherwise the finite ones only (exponent field not all ones), drawn as
 * an index mapped bijectively onto them: index i < F is the positive pattern i, index F + j the
 * negative pattern j (F = (2^e − 1)·2^f finite patterns per sign). Shrinks towards +0.
 */
export function bitPatternValue(fmt: FormatSpec, specials: boolean): Arbitrary<number> {
  const total = 1n << BigInt(fmt.bits);
  const signBit = total >> 1n;
  if (specials) return fc.bigInt({ min: 0n, max: total - 1n }).map((b) => fromBits(fmt, b));
  const perSign = ((1n << BigInt(fmt.exponentBits)) - 1n) << BigInt(fmt.fractionBits);
  return fc
    .bigInt({ min: 0n, max: 2n * perSign - 1n })
    .map((i) => fromBits(fmt, i < perSign ? i : signBit | (i - perSign)));
}
