/**
 * Exact powers of two as binary64 values, built from bits rather than `Math.pow`, whose
 * accuracy the ECMAScript specification does not promise ("implementation-approximated").
 *
 * Special cases: n > 1023 → +Inf; n < −1074 → +0; −1074 ≤ n < −1022 → the subnormal 2^n.
 */
const buf = new DataView(new ArrayBuffer(8));

export function pow2(n: number): number {
  if (!Number.isInteger(n)) throw new RangeError(`pow2: exponent must be an integer, got ${n}`);
  if (n > 1023) return Infinity;
  if (n < -1074) return 0;
  if (n >= -1022) {
    // biased exponent in bits 52..62, fraction zero
    buf.setBigUint64(0, BigInt(n + 1023) << 52n);
  } else {
    // subnormal: a single fraction bit, 2^n = 2^(n + 1074) · 2^-1074
    buf.setBigUint64(0, 1n << BigInt(n + 1074));
  }
  return buf.getFloat64(0);
}
