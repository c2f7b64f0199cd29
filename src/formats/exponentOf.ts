import { F64, HI, U32 } from './_internals/float64Words.js';
import { pow2 } from './pow2.js';

/**
 * The binary exponent of a positive finite binary64 value: the integer e with 2^e ≤ a < 2^(e+1).
 *
 * Special cases: a must be positive and finite (callers handle 0, NaN and ±Inf first); a
 * subnormal binary64 (a < 2^−1022) is measured by `Math.log2`, corrected exactly by `pow2`.
 *
 * Notes: read from the biased exponent field, not `Math.log2`, whose result ECMAScript leaves
 * implementation-approximated (it can be off by one next to a power of two) and which costs a
 * correction step: this sits in the inner loop of the zoo's f16/bf16 emulation.
 */
export function exponentOf(a: number): number {
  F64[0] = a;
  const biased = (U32[HI] >>> 20) & 0x7ff;
  if (biased !== 0) return biased - 1023;
  let e = Math.floor(Math.log2(a));
  if (pow2(e) > a) e -= 1;
  else if (pow2(e + 1) <= a) e += 1;
  return e;
}
