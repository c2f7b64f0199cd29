import { Decimal } from 'decimal.js';

/**
 * Decimal constructor used for exact conversions. Precision is irrelevant for construction from
 * a string (decimal.js keeps every digit given), and the exponent limits are decimal.js's
 * widest, so 2^−1074 and 2^1024 are both in range.
 */
export const ExactDecimal = Decimal.clone({
  precision: 100,
  rounding: Decimal.ROUND_HALF_EVEN,
  minE: -9e15,
  maxE: 9e15,
});

const view = new DataView(new ArrayBuffer(8));

/** Decomposes a finite nonzero binary64 value into sign·M·2^E with integer M (up to 2^53). */
export function decompose(x: number): { sign: 1 | -1; mantissa: bigint; exponent: number } {
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const sign = bits >> 63n ? -1 : 1;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & 0xfffffffffffffn;
  if (biased === 0) return { sign, mantissa: frac, exponent: -1074 };
  return { sign, mantissa: frac | (1n << 52n), exponent: biased - 1075 };
}

/**
 * The exact value of a finite binary64 number (hence of any f32, f16 or bf16 value) as a
 * Decimal.
 *
 * Never `new Decimal(x)`: that goes through the shortest round-tripping decimal string, which is
 * not the value (0.1 is 0.1000000000000000055511151231257827…).
 *
 * Special cases: ±0 → ±0 (decimal.js keeps the sign of zero); NaN and ±Inf → a RangeError, since
 * they have no exact real value (callers handle them by policy first).
 *
 * Notes: M·2^E with E < 0 equals M·5^(−E)·10^E, an exact decimal with at most 767 significant
 * digits (for subnormal binary64).
 */
export function exactDecimal(x: number): Decimal {
  if (!Number.isFinite(x)) throw new RangeError(`exactDecimal: ${x} has no exact real value`);
  if (x === 0) return new ExactDecimal(Object.is(x, -0) ? '-0' : '0');
  const { sign, mantissa, exponent } = decompose(x);
  const s = sign < 0 ? '-' : '';
  if (exponent >= 0) return new ExactDecimal(s + (mantissa << BigInt(exponent)).toString());
  const k = -exponent;
  return new ExactDecimal(`${s}${(mantissa * 5n ** BigInt(k)).toString()}e-${k}`);
}
