/**
 * Exact powers of two as binary64 values, built from bits rather than `Math.pow`, whose
 * accuracy the ECMAScript specification does not promise ("implementation-approximated").
 *
 * Special cases: n > 1023 → +Inf; n < −1074 → +0; −1074 ≤ n < −1022 → the subnormal 2^n.
 *
 * Notes: every power in range is built once, from its bits, into a table: `pow2` sits in the
 * inner loop of the zoo's f16/bf16 emulation (`roundNumber`) and of ULP distances, where building
 * a BigInt per call dominated a campaign's profile.
 */

/** The smallest exponent with a nonzero binary64 power: 2^−1074 is the least subnormal. */
const MIN_EXP = -1074;
/** The largest exponent with a finite binary64 power: 2^1023 (binary64's emax). */
const MAX_EXP = 1023;

const TABLE = ((): Float64Array => {
  const buf = new DataView(new ArrayBuffer(8));
  const t = new Float64Array(MAX_EXP - MIN_EXP + 1);
  for (let n = MIN_EXP; n <= MAX_EXP; n++) {
    // normal: biased exponent in bits 52..62, fraction zero; subnormal: a single fraction bit,
    // 2^n = 2^(n + 1074) · 2^−1074
    buf.setBigUint64(0, n >= -1022 ? BigInt(n + 1023) << 52n : 1n << BigInt(n + 1074));
    t[n - MIN_EXP] = buf.getFloat64(0);
  }
  return t;
})();

export function pow2(n: number): number {
  if (!Number.isInteger(n)) throw new RangeError(`pow2: exponent must be an integer, got ${n}`);
  if (n > MAX_EXP) return Infinity;
  if (n < MIN_EXP) return 0;
  return TABLE[n - MIN_EXP];
}
