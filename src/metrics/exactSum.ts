import { decompose } from '../formats/exact.js';
import { pow2 } from '../formats/pow2.js';

/** An exact dyadic rational mant·2^exp. */
export interface Dyadic {
  readonly mant: bigint;
  readonly exp: number;
}

function toDyadic(v: number): Dyadic {
  if (!Number.isFinite(v)) throw new RangeError(`exactSum: ${v} has no exact value`);
  if (v === 0) return { mant: 0n, exp: 0 };
  const { sign, mantissa, exponent } = decompose(v);
  return { mant: sign < 0 ? -mantissa : mantissa, exp: exponent };
}

/**
 * The exact sum of finite binary64 values (so of values of any of the four formats), as a dyadic
 * rational: every value is M·2^E with E ≥ −1074, so all of them scale exactly onto the smallest
 * exponent present and add as bigints. No rounding at all (unlike a Neumaier sum, which is only
 * accurate to a few ULPs of the total when terms cancel).
 *
 * Special cases: the empty sum is 0; a non-finite value throws a RangeError (callers judge NaN
 * and ±Inf elements before summing).
 */
export function exactSum(values: ArrayLike<number>): Dyadic {
  const parts: Dyadic[] = [];
  let e = Infinity;
  for (let i = 0; i < values.length; i++) {
    const d = toDyadic(values[i]);
    if (d.mant === 0n) continue;
    parts.push(d);
    if (d.exp < e) e = d.exp;
  }
  if (parts.length === 0) return { mant: 0n, exp: 0 };
  let m = 0n;
  for (const d of parts) m += d.mant << BigInt(d.exp - e);
  return { mant: m, exp: e };
}

/** a − b exactly. */
function subtractDyadic(a: Dyadic, b: Dyadic): Dyadic {
  const e = Math.min(a.exp, b.exp);
  return { mant: (a.mant << BigInt(a.exp - e)) - (b.mant << BigInt(b.exp - e)), exp: e };
}

/** |d| > bound, decided exactly (bound a finite binary64 value ≥ 0). */
export function exceedsBound(d: Dyadic, bound: number): boolean {
  const b = toDyadic(bound);
  const e = Math.min(d.exp, b.exp);
  const mag = d.mant < 0n ? -d.mant : d.mant;
  return mag << BigInt(d.exp - e) > b.mant << BigInt(b.exp - e);
}

/** Σ values − 1, exactly: the `sum` check of softmax outputs. */
export function sumMinusOne(values: ArrayLike<number>): Dyadic {
  return subtractDyadic(exactSum(values), { mant: 1n, exp: 0 });
}

/** The unit roundoff of binary64, 2^−53: a correctly rounded addition errs by at most u·|result|. */
const U64 = 2 ** -53;

/**
 * Whether |Σ values − 1| > bound, decided exactly: always the answer of
 * `exceedsBound(sumMinusOne(values), bound)`, but without bigints unless the deviation lies
 * within a few units of its last place of the bound (the judge's `sum` check runs once per row
 * and implementation, and the exact sum allocates a bigint per value).
 *
 * Derivation: the m = n + 1 terms −1, v_1, …, v_n are summed by Sum2 (Ogita, Rump & Oishi,
 * "Accurate sum and dot product", 2005, Algorithm 4.4: recursive summation whose every
 * rounding error, exact by TwoSum, is summed apart and added at the end). Its result r errs by
 * at most u·|s| + γ²_{m−1}·Σ|t| (their Proposition 4.5), so by at most
 * (u·|r| + γ²_{m−1}·Σ|t|)/(1 − u); additions never lose to underflow (a subnormal sum is exact).
 * The plainly summed Σ|t|, â ≥ 1, is at least (1 − γ_{m−1})·Σ|t|. While m·u ≤ 1/16,
 * γ_{m−1} ≤ 1.07·m·u, and E = 2u·|r| + (2mu)²·â (2mu and its square are exact, the product
 * rounds by at most u) covers the error with room to spare. With M = E + 4u·bound,
 * |r| > bound + 2M means |Σ − 1| > bound, and |r| + 2M < bound means it is not: the doubled M
 * absorbs the rounding of M itself, and 4u·bound that of the comparisons' sums (when the bound
 * is too small for 4u·bound to be exact, (2mu)²·â ≥ 2^−104 dwarfs it). Anything between (the
 * deviation within about 12 units of roundoff of the bound, relative), or a sum that
 * overflowed, goes to the exact bigint sum.
 *
 * Special cases: the empty row gives |0 − 1| = 1; a non-finite value throws a RangeError as
 * `exactSum` does; so does a bound that is NaN, negative or infinite.
 */
export function sumMinusOneExceeds(values: ArrayLike<number>, bound: number): boolean {
  if (!(bound >= 0 && bound < Infinity)) throw new RangeError(`sumMinusOneExceeds: bad bound ${bound}`);
  const m = values.length + 1;
  let p = -1;
  let errors = 0;
  let a = 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // TwoSum (Knuth): p + v = t + q exactly
    const t = p + v;
    const bp = t - p;
    errors += p - (t - bp) + (v - bp);
    p = t;
    a += Math.abs(v);
  }
  const r = p + errors;
  // r and a are NaN or ±Inf after a non-finite value or an overflow (anywhere: a NaN or ±Inf
  // step propagates): the exact path decides, or throws
  if (m * U64 <= 1 / 16 && Number.isFinite(r) && Number.isFinite(a)) {
    const dev = Math.abs(r);
    const c = 2 * m * U64;
    const margin = 2 * U64 * dev + c * c * a + 4 * U64 * bound;
    if (dev > bound + 2 * margin) return true;
    if (dev + 2 * margin < bound) return false;
  }
  return exceedsBound(sumMinusOne(values), bound);
}

/**
 * A dyadic as the nearest-ish binary64 value, for messages and statistics (the mantissa is
 * truncated to 62 bits before scaling, so it can be off in the last bits; comparisons use
 * `exceedsBound`, which is exact).
 */
export function dyadicToNumber(d: Dyadic): number {
  if (d.mant === 0n) return 0;
  const neg = d.mant < 0n;
  let m = neg ? -d.mant : d.mant;
  let e = d.exp;
  const len = m.toString(2).length;
  if (len > 62) {
    m >>= BigInt(len - 62);
    e += len - 62;
  }
  // Number(m) ≤ 2^62 is exact; the exponent is applied in two halves so that neither factor
  // overflows or underflows on its own
  const h = Math.trunc(e / 2);
  const mag = Number(m) * pow2Clamped(h) * pow2Clamped(e - h);
  return neg ? -mag : mag;
}

function pow2Clamped(k: number): number {
  if (k > 1023) return Infinity;
  if (k < -1074) return 0;
  return pow2(k);
}
