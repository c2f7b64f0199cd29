import fc, { type Arbitrary } from 'fast-check';
import { fromBits } from '../../formats/bits.js';
import type { FormatSpec } from '../../formats/types.js';

/**
 * A logit uniform over the format's finite bit patterns (exponent field not all ones; ±0 both
 * included), drawn as an index mapped bijectively onto them: index i < F is the positive
 * pattern i, index F + j the negative pattern j (F = (2^e − 1)·2^f finite patterns per sign).
 * Shrinks towards +0 (pattern 0).
 */
export function finiteBitPatternValue(fmt: FormatSpec): Arbitrary<number> {
  const signBit = 1n << BigInt(fmt.bits - 1);
  const perSign = ((1n << BigInt(fmt.exponentBits)) - 1n) << BigInt(fmt.fractionBits);
  return fc
    .bigInt({ min: 0n, max: 2n * perSign - 1n })
    .map((i) => fromBits(fmt, i < perSign ? i : signBit | (i - perSign)));
}
