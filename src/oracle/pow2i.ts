import { pow2 } from '../formats/pow2.js';

/**
 * Fast exact powers of two and binary exponents for the fast path's hot loops.
 *
 * `pow2i(n)` reads a table filled once from `pow2` (which builds each value from its bits), so it
 * is exact without relying on `Math.pow` or `**`, whose accuracy ECMAScript does not promise.
 */
const MIN = -1074;
const MAX = 1023;
const TABLE = new Float64Array(MAX - MIN + 1);
for (let n = MIN; n <= MAX; n++) TABLE[n - MIN] = pow2(n);

/**
 * 2^n exactly for an integer n. Special cases: n > 1023 → +Inf; n < −1074 → +0 (as `pow2`).
 */
export function pow2i(n: number): number {
  if (n > MAX) return Infinity;
  if (n < MIN) return 0;
  return TABLE[n - MIN];
}

// One scratch binary64 and its two 32-bit words: faster than a DataView in the hot loops.
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
/** Index of the high word in U32: the platform's byte order, from 1.0 = 0x3ff00000_00000000. */
const HI = ((): number => {
  F64[0] = 1;
  return U32[1] === 0x3ff00000 ? 1 : 0;
})();

/**
 * ⌊log2 |a|⌋ for a finite nonzero a, exactly, from its bits (subnormals included).
 */
export function exponentOf(a: number): number {
  F64[0] = a;
  const biased = (U32[HI] >>> 20) & 0x7ff;
  if (biased !== 0) return biased - 1023;
  // subnormal: a = m·2^−1074 with 0 < m < 2^52; scale into the normal range exactly
  return exponentOf(a * 18446744073709551616) - 64; // 2^64
}
